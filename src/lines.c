/* Stage 2: UTF-8 text -> lines, and the normalised view that grammar rules
 * match against.  The view folds what Chinese typesetting varies freely
 * (full-width digits and punctuation, ideographic spaces, traditional
 * characters) so a grammar can be written in ASCII and simplified
 * Chinese; a byte map leads every match back to the document's own
 * characters, which are what the output shows. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

uint32_t pp__utf8_decode(const char *p, size_t n, int *l) {
  const unsigned char *s = (const unsigned char *)p;
  unsigned char c = s[0];
  if (c < 0x80) {
    *l = 1;
    return c;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (!len || (size_t)len > n) {
    *l = 1;
    return 0xFFFD;
  }
  uint32_t cp = c & (0x7F >> len);
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *l = 1;
      return 0xFFFD;
    }
    cp = cp << 6 | (s[i] & 0x3F);
  }
  *l = len;
  return cp;
}

int pp__utf8_put(char *o, uint32_t c) {
  if (c < 0x80) {
    o[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    o[0] = (char)(0xC0 | c >> 6);
    o[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    o[0] = (char)(0xE0 | c >> 12);
    o[1] = (char)(0x80 | (c >> 6 & 0x3F));
    o[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | c >> 18);
  o[1] = (char)(0x80 | (c >> 12 & 0x3F));
  o[2] = (char)(0x80 | (c >> 6 & 0x3F));
  o[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

int pp__is_space(uint32_t c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == 0xA0 ||
         c == 0x3000 || c == 0xFEFF || (c >= 0x2000 && c <= 0x200B) ||
         c == 0x202F || c == 0x205F;
}

/* Length of the code point that ends at s + n, stepping back over
 * continuation bytes. */
static size_t last_cp_len(const char *s, size_t n) {
  size_t k = 1;
  while (k < n && k < 4 && ((unsigned char)s[n - k] & 0xC0) == 0x80)
    k++;
  return k;
}

const char *pp__trim(const char *s, size_t n, size_t *out_n) {
  while (n) {
    int l;
    uint32_t c = pp__utf8_next(s, n, &l);
    if (!pp__is_space(c))
      break;
    s += l;
    n -= (size_t)l;
  }
  while (n) {
    size_t k = last_cp_len(s, n);
    int l;
    uint32_t c = pp__utf8_next(s + n - k, k, &l);
    if (!pp__is_space(c))
      break;
    n -= k;
  }
  *out_n = n;
  return s;
}

void pp__split_lines(pp_arena *a, const char *text, size_t len, pp_lines *out) {
  /* Counted first, so the array is allocated once at its final size.  A
   * lone \r (old Mac files) ends a line too; without one, lines are found
   * by memchr alone. */
  size_t count = 0, lone_cr = 0;
  const char *end = text + len;
  for (const char *p = text; (p = memchr(p, '\n', (size_t)(end - p))); p++)
    count++;
  if (memchr(text, '\r', len))
    for (size_t i = 0; i < len; i++)
      lone_cr += text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n');
  count += lone_cr + (len > 0 && text[len - 1] != '\n' && text[len - 1] != '\r');
  pp_line *v = count ? pp__alloc(a, count * sizeof *v) : NULL;
  size_t i = 0, n = 0;
  /* A final newline ends the last line; it does not start an empty one. */
  while (i < len && n < count) {
    size_t j, e;
    if (!lone_cr) {
      const char *nl = memchr(text + i, '\n', len - i);
      j = e = nl ? (size_t)(nl - text) : len;
      if (e > i && text[e - 1] == '\r')
        e--;
    } else {
      for (j = i; j < len && text[j] != '\n' && text[j] != '\r';)
        j++;
      e = j;
      if (j < len && text[j] == '\r' && j + 1 < len && text[j + 1] == '\n')
        j++;
    }
    pp_line *l = &v[n++];
    l->no = (long)n;
    l->text.s = pp__trim(text + i, e - i, &l->text.n);
    l->kind = l->text.n ? PP_LINE_BODY : PP_LINE_BLANK;
    i = j + 1;
  }
  out->v = v;
  out->n = n;
}

/* The folded form of c for matching, or c itself. */
static inline uint32_t fold(uint32_t c) {
  if (c < 0x80)
    return c == '\t' || c == '\f' || c == '\v' ? ' ' : c;
  if (c >= 0x3400 && c <= 0xFAFF) /* Han: no space or full-width form here */
    return pp__simplified(c);
  if (c >= 0xFF01 && c <= 0xFF5E) /* full-width ASCII variants */
    return c - 0xFF01 + 0x21;
  if (pp__is_space(c))
    return ' ';
  return pp__simplified(c);
}

static inline size_t utf8_len(uint32_t c) {
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/* Normalises into nm.  No map of offsets is kept: a rule that matches
 * asks for the original of a few offsets only (its groups), and
 * pp__norm_span folds the line again up to them; most lines are either
 * matched by no rule or asked for offsets near their start or at their
 * end. */
int pp__normalize(pp_norm *nm, const char *s, size_t n) {
  /* Rules look at the head of a line; a longer line is matched on its
   * first PP_NORM_MAX bytes, where $ does not match, and whatever a rule
   * captures up to the end of that head runs on to the end of the line
   * (see pp__norm_span). */
  nm->truncated = n > PP_NORM_MAX;
  if (n > PP_NORM_MAX) {
    n = PP_NORM_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--;
  }
  if (nm->cap < n + 1) {
    size_t cap = n + 1 < 256 ? 256 : n + 1;
    char *ns = realloc(nm->s, cap);
    if (!ns)
      return -1;
    nm->s = ns;
    nm->cap = cap;
  }
  char *out = nm->s;
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    int l;
    uint32_t c = pp__utf8_next(s + i, n - i, &l);
    uint32_t f = fold(c);
    if (f == c && l == 3) {
      /* Unchanged, as nearly every character of a Chinese line is: its
       * three bytes copied without a call. */
      out[o] = s[i];
      out[o + 1] = s[i + 1];
      out[o + 2] = s[i + 2];
      o += 3;
    } else if (f == c) {
      /* Unchanged: copy the bytes as they are (also keeps invalid ones). */
      memcpy(out + o, s + i, (size_t)l);
      o += (size_t)l;
    } else {
      o += (size_t)pp__utf8_put(out + o, f);
    }
    i += (size_t)l;
  }
  out[o] = 0;
  nm->len = o;
  return 0;
}

pp_span pp__norm_span(const char *orig, size_t n, size_t len, size_t s, size_t e) {
  size_t want[2] = {s, e}, at[2];
  size_t i = 0, o = 0; /* the character at orig + i was normalised to o */
  for (int q = 0; q < 2; q++) {
    size_t k = want[q];
    at[q] = n;
    if (k >= len)
      continue;
    while (i < n) {
      int l;
      uint32_t c = pp__utf8_next(orig + i, n - i, &l);
      uint32_t f = fold(c);
      size_t w = f == c ? (size_t)l : utf8_len(f);
      if (k < o + w) {
        /* Inside a character copied as it was, byte for byte; inside a
         * folded one, the whole character. */
        at[q] = f == c ? i + (k - o) : i;
        break;
      }
      o += w;
      i += (size_t)l;
    }
  }
  pp_span sp = {orig + at[0], at[1] - at[0]};
  return sp;
}

static void store_head(pp_arena *a, pp_line *l, pp_norm *nm) {
  if (pp__normalize(nm, l->text.s, l->text.n))
    pp__oom(a);
  l->head = pp__strndup(a, nm->s, nm->len);
  l->headn = (uint32_t)nm->len;
  l->headtrunc = (unsigned char)nm->truncated;
}

void pp__heads(pp_arena *a, pp_lines *ls, pp_norm *nm) {
  for (size_t i = 0, seen = 0; i < ls->n && seen < PP_SCORE_LINES; i++)
    if (ls->v[i].kind != PP_LINE_BLANK) {
      store_head(a, &ls->v[i], nm);
      seen++;
    }
}

pp_norm pp__head_view(const pp_line *l) {
  pp_norm v;
  memset(&v, 0, sizeof v);
  v.s = (char *)l->head; /* read only: a view is never normalised into */
  v.len = l->headn;
  v.truncated = l->headtrunc;
  return v;
}

void pp__norm_free(pp_norm *nm) {
  free(nm->s);
  nm->s = NULL;
  nm->cap = nm->len = 0;
}

const char *pp__find(pp_span t, const char *needle) {
  size_t k = strlen(needle);
  if (!k || k > t.n)
    return k ? NULL : t.s;
  for (const char *p = t.s, *last = t.s + t.n - k; p <= last; p++) {
    p = memchr(p, needle[0], (size_t)(last - p) + 1);
    if (!p)
      return NULL;
    if (memcmp(p, needle, k) == 0)
      return p;
  }
  return NULL;
}
