/* Stage 4: classified lines -> the tree.  Lines are first gathered into
 * paragraphs, mending page-break splits (and saying so in `repairs`); then
 * paragraphs are placed: headings open nodes on a stack bounded by the
 * grammar's number of levels, body text and fields go to the innermost open
 * node, and everything after an appendix marker goes to the appendix. */
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "internal.h"

/* ---- text helpers ------------------------------------------------------ */

static int ends_sentence(pp_span t) {
  static const char *const closers[] = {"。", "！", "？", "；", "：", "…", "”", "’", "」",
                                        "』", "）", "】", "!", "?", ";", ":", ".", ")", NULL};
  for (const char *const *c = closers; *c; c++) {
    size_t k = strlen(*c);
    if (t.n >= k && memcmp(t.s + t.n - k, *c, k) == 0)
      return 1;
  }
  return 0;
}

/* Copies t into the arena without the `**` bold markers. */
static char *unmark(pp_arena *a, const char *s, size_t n) {
  char *o = pp__alloc_raw(a, n + 1), *p = o;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '*' && i + 1 < n && s[i + 1] == '*') {
      i++;
      continue;
    }
    *p++ = s[i];
  }
  size_t len;
  const char *t = pp__trim(o, (size_t)(p - o), &len);
  memmove(o, t, len);
  o[len] = 0;
  return o;
}

/* A heap buffer reused while the tree is built: for the text of the node
 * being built, which takes text only until the next node opens, so that
 * each text goes into the arena once, at its exact size (no doubling
 * leaves copies behind); and for joining a paragraph's lines, which are
 * copied on from there. */
typedef struct open_text {
  char *buf;
  size_t len, cap;
  const char **owner; /* where the finished text goes, or NULL */
  /* Or, while the text is one piece of the document's own text: that
   * piece, [span, span + len), which becomes the text in place. */
  const char *span;
} open_text;

static void open_text_free(void *p) { free(((open_text *)p)->buf); }

static void put(pp_doc *d, open_text *o, const char *s, size_t n) {
  if (o->len + n + 1 > o->cap) {
    size_t cap = o->cap ? o->cap : 256;
    while (cap < o->len + n + 1)
      cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
    char *b = realloc(o->buf, cap);
    if (!b)
      pp__oom(&d->arena);
    o->buf = b;
    o->cap = cap;
  }
  memcpy(o->buf + o->len, s, n);
  o->len += n;
}

/* Appends s without its ** bold markers. */
static void put_unmarked(pp_doc *d, open_text *o, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && !(s[j] == '*' && j + 1 < n && s[j + 1] == '*'))
      j++;
    put(d, o, s + i, j - i);
    i = j + 2;
  }
}

/* ---- paragraphs -------------------------------------------------------- */

typedef struct para {
  long first, last;
  const char *text; /* the line itself, or the joined lines in the arena */
  size_t len;
} para;

/* Can the paragraph that ends with line l continue on the next line?  Body
 * text can; a heading only when it carries a sentence of body text after
 * its title (section titles have no closing punctuation by nature). */
static int open_ended(const pp_line *l) {
  if (ends_sentence(l->text))
    return 0;
  if (l->kind == PP_LINE_BODY)
    return 1;
  return l->kind == PP_LINE_HEAD && pp__find(l->title, "。") != NULL;
}

static pp_span line_text(const pp_line *l) {
  return l->kind == PP_LINE_HEAD ? l->title : l->text;
}

/* Reads the paragraph starting at line i, joining page-break splits (in
 * join) and recording each join; returns the index after it. */
static size_t read_para(pp_doc *d, pp_lines *ls, size_t i, size_t end, para *p,
                        open_text *join) {
  const pp_line *tail = &ls->v[i];
  size_t next = i + 1, total = line_text(tail).n;
  p->first = p->last = tail->no;
  while (open_ended(tail)) {
    size_t j = next;
    while (j < end && (ls->v[j].kind == PP_LINE_BLANK || ls->v[j].kind == PP_LINE_REMOVED))
      j++;
    if (j >= end || ls->v[j].kind != PP_LINE_BODY)
      break;
    d->repairs = pp__grow(&d->arena, d->repairs, d->nrepairs, &d->caprepairs,
                          sizeof *d->repairs);
    pp_note *r = &d->repairs[d->nrepairs++];
    r->kind = "join";
    r->line = tail->no;
    r->last = ls->v[j].no;
    tail = &ls->v[j];
    total += tail->text.n;
    p->last = tail->no;
    next = j + 1;
  }
  if (next == i + 1) { /* one line: no copy */
    p->text = line_text(&ls->v[i]).s;
    p->len = total;
    return next;
  }
  join->len = 0; /* valid until the next paragraph is read */
  for (size_t k = i; k < next; k++) {
    const pp_line *l = &ls->v[k];
    if (k > i && l->kind != PP_LINE_BODY)
      continue;
    pp_span t = line_text(l);
    put(d, join, t.s, t.n);
  }
  join->buf[join->len] = 0;
  p->text = join->buf;
  p->len = join->len;
  return next;
}

/* ---- nodes ------------------------------------------------------------- */

/* Can [s, s + n) be a node's text as it stands (no ** markers to drop)? */
static int as_is(const char *s, size_t n) {
  return !pp__find((pp_span){s, n}, "**");
}

static void unspan(pp_doc *d, open_text *o) {
  if (o->span) {
    const char *s = o->span;
    size_t n = o->len;
    o->span = NULL;
    o->len = 0;
    put(d, o, s, n);
  }
}

/* A text that is one piece of the document's text is ended in place with
 * a NUL: the byte after a trimmed line is white space or its line end,
 * which nothing reads once the tree is built, and the document's text is
 * its own (a decoded copy, or the input it adopted).  Most node texts are
 * so, and need no copy. */
static void close_text(pp_doc *d, open_text *o) {
  if (o->owner && o->span) {
    ((char *)o->span)[o->len] = 0;
    *o->owner = o->span;
  } else if (o->owner)
    *o->owner = pp__strndup(&d->arena, o->buf ? o->buf : "", o->len);
  o->owner = NULL;
  o->span = NULL;
  o->len = 0;
}

/* Starts the text of a new node with its first part (the rest of its
 * heading line), as unmark() would make it: markers out, then trimmed.
 * in_place: s lies in the document's text, not in a joining buffer. */
static void open_node_text(pp_doc *d, open_text *o, const char **owner, const char *s, size_t n,
                           int in_place) {
  close_text(d, o);
  o->owner = owner;
  if (in_place && as_is(s, n)) {
    size_t len;
    const char *t = pp__trim(s, n, &len);
    o->span = len ? t : NULL;
    o->len = len;
    return;
  }
  put_unmarked(d, o, s, n);
  size_t len = 0;
  if (o->len) {
    const char *t = pp__trim(o->buf, o->len, &len);
    memmove(o->buf, t, len);
  }
  o->len = len;
}

/* Paragraphs of a body are joined with a newline. */
static void add_text(pp_doc *d, open_text *o, const char *s, size_t len, int in_place) {
  s = pp__trim(s, len, &len);
  if (!len)
    return;
  if (!o->len && in_place && as_is(s, len)) {
    o->span = s;
    o->len = len;
    return;
  }
  unspan(d, o);
  if (o->len)
    put(d, o, "\n", 1);
  put_unmarked(d, o, s, len); /* as unmark() would */
}

/* Splits a heading's text into title and body: the bold span when it leads,
 * else the lead sentence up to the first 。. */
static void split_title(pp_doc *d, pp_node *n, open_text *o, const char *s, size_t len,
                        int bold_open, int in_place) {
  pp_span t = {s, len};
  const char *cut = NULL, *rest = NULL;
  if (bold_open && (cut = pp__find(t, "**")))
    rest = cut + 2;
  else if (len > 4 && memcmp(s, "**", 2) == 0) {
    pp_span in = {s + 2, len - 2};
    const char *close = pp__find(in, "**");
    if (close) {
      cut = close;
      rest = close + 2;
      t.s = s + 2;
    }
  }
  if (!cut) {
    const char *stop = pp__find(t, "。");
    if (stop) {
      cut = stop;
      rest = stop + strlen("。");
    }
  }
  if (!cut) {
    n->title = unmark(&d->arena, s, len);
    open_node_text(d, o, &n->text, "", 0, 0);
    return;
  }
  size_t tn = (size_t)(cut - t.s);
  /* The lead sentence's own full stop belongs to neither part. */
  while (tn >= 3 && (memcmp(t.s + tn - 3, "。", 3) == 0 || memcmp(t.s + tn - 3, "：", 3) == 0))
    tn -= 3;
  n->title = unmark(&d->arena, t.s, tn);
  open_node_text(d, o, &n->text, rest, (size_t)(s + len - rest), in_place);
}

static void add_field(pp_doc *d, pp_node *n, const pp_field *f, pp_span v);

/* ---- numbering checks -------------------------------------------------- */

typedef struct numbering {
  long *last;          /* per level: the last number seen anywhere */
  long *ordinal;       /* per level: siblings so far under ord_parent */
  const pp_node **ord_parent;
} numbering;

static void check_number(pp_doc *d, numbering *nb, const pp_grammar *g,
                         pp_node *n, int first_under_parent) {
  const pp_level *lv = &g->levels[n->level];
  if (lv->numstyle == PP_NUM_ORDINAL)
    return;
  long prev = nb->last[n->level];
  if (n->number < 0) {
    pp__warn(d, n->first, "%s label '%s' is not a number", n->kind, n->label);
    return;
  }
  /* Numbering may restart under each parent or run on across parents. */
  /* prev + 1 cannot overflow a label a grammar let through unbounded. */
  long next = prev < LONG_MAX ? prev + 1 : prev;
  int ok = (prev < LONG_MAX && n->number == next) || (first_under_parent && n->number == 1);
  if (!ok) {
    long expected = first_under_parent && prev <= 0 ? 1 : next;
    if (n->number > expected)
      pp__warn(d, n->first, "%s %ld follows %ld: expected %ld, so %s missing",
               n->kind, n->number, expected - 1, expected,
               n->number - expected > 1 ? "numbers are" : "it is");
    else if (n->number == prev)
      pp__warn(d, n->first, "%s %ld repeats the previous number; expected %ld",
               n->kind, n->number, expected);
    else
      pp__warn(d, n->first, "%s %ld is out of order after %ld; expected %ld",
               n->kind, n->number, prev, expected);
  }
  nb->last[n->level] = n->number;
}

/* ---- repeated fragments ------------------------------------------------ */

/* A text whose last sentence is unfinished and repeats, word for word, the
 * tail of something said before is most likely a copy-paste slip: keep it,
 * but warn.  The longest repeated suffix is found by binary search, since a
 * suffix that occurs implies that every shorter one does. */
static void check_fragment(pp_doc *d, const char *text, long line) {
  pp_span t = {text, strlen(text)};
  if (!t.n || ends_sentence(t))
    return;
  size_t start = 0;
  for (size_t i = 0; i < t.n; i++) {
    if (t.s[i] == '\n')
      start = i + 1;
    else if (i + 3 <= t.n && (memcmp(t.s + i, "。", 3) == 0 || memcmp(t.s + i, "；", 3) == 0 ||
                              memcmp(t.s + i, "！", 3) == 0 || memcmp(t.s + i, "？", 3) == 0))
      start = i + 3;
  }
  if (start == 0)
    return;
  /* Look back a bounded distance: a slip repeats what is near, and the
   * bound keeps a hostile megabyte paragraph linear. */
  enum { LOOKBACK = 16 * 1024, MAXFRAG = 1024 };
  pp_span before = {t.s + (start > LOOKBACK ? start - LOOKBACK : 0), 0};
  before.n = (size_t)(t.s + start - before.s);
  pp_span frag = {t.s + start, t.n - start};
  if (frag.n > MAXFRAG)
    return;
  size_t cps[MAXFRAG + 1], k = 0; /* suffix start offsets, longest last */
  for (size_t i = frag.n; i > 0; i--)
    if (((unsigned char)frag.s[i - 1] & 0xC0) != 0x80)
      cps[k++] = i - 1;
  size_t lo = 0, hi = k; /* the suffix of lo code points occurs */
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    pp_span suf = {frag.s + cps[mid - 1], frag.n - cps[mid - 1]};
    char *needle = pp__strndup(&d->arena, suf.s, suf.n);
    if (pp__find(before, needle))
      lo = mid;
    else
      hi = mid - 1;
  }
  /* Twelve characters rule out chance matches of stock phrases. */
  if (lo >= 12 && lo * 2 >= k)
    pp__warn(d, line, "repeated fragment: the unfinished sentence \"%.*s\" repeats earlier text",
             (int)frag.n, frag.s);
}

/* ---- fields inside the text ------------------------------------------- */

/* Tries every field rule on one segment of text; adds the field to n. */
static int try_field(pp_doc *d, const pp_grammar *g, pp_node *n, pp_matcher *m, pp_norm *nm,
                     const char *s, size_t len) {
  s = pp__trim(s, len, &len);
  if (!len || pp__normalize(nm, s, len))
    return 0;
  for (size_t i = 0; i < g->nfields; i++) {
    const pp_field *f = &g->fields[i];
    if (f->levels && !(f->levels & (uint32_t)1 << n->level))
      continue;
    size_t vs, ve;
    if (pp__match(m, &f->rule, nm) != PP_MATCH_YES || pp__group(m, f->rule.g_value, &vs, &ve))
      continue;
    pp_span v = pp__norm_span(s, len, nm->len, vs, ve);
    add_field(d, n, f, v);
    return 1;
  }
  return 0;
}

/* Plans often give the fields inside an item's text, in brackets:
 * "…推进标准化建设。（牵头单位：组织人事科；配合单位：各学校）".  Each
 * bracketed group is split at semicolons and every part tried as a field
 * line; the text itself stays as written. */
static void inline_fields(pp_doc *d, const pp_grammar *g, pp_node *n, pp_matcher *m,
                          pp_norm *nm) {
  enum { MAX_GROUP = 600 }; /* longer brackets are asides, not fields */
  const char *t = n->text, *end = t + strlen(t);
  /* Only '(' and the lead byte of '（' can open a group. */
  for (const char *p = t; (p = strpbrk(p, "(\xEF")); p++) {
    const unsigned char *u = (const unsigned char *)p;
    int wide = u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x88; /* （ */
    if (!wide && *p != '(')
      continue;
    const char *body = p + (wide ? 3 : 1), *q = NULL;
    /* The nearest closing bracket of either width, looked for only as far
     * as a group may reach, so a text full of openers stays linear. */
    const char *limit = end - body > MAX_GROUP ? body + MAX_GROUP : end;
    for (const char *c = body; c <= limit && c < end && !q; c++)
      if (*c == ')' || (c[0] == '\xEF' && c[1] == '\xBC' && c[2] == '\x89')) /* ） */
        q = c;
    if (!q)
      continue;
    const char *seg = body;
    for (const char *r = body; r <= q; r++) {
      int semi = r < q && (strncmp(r, "；", 3) == 0 || *r == ';');
      if (r == q || semi) {
        try_field(d, g, n, m, nm, seg, (size_t)(r - seg));
        seg = r + (semi && *r != ';' ? 3 : 1);
        if (semi && *r != ';')
          r += 2;
      }
    }
    p = q;
  }
}

/* ---- the builder -------------------------------------------------------- */

static void append_para(pp_doc *d, pp_para **v, size_t *n, size_t *cap,
                        const para *p, const char *title) {
  *v = pp__grow(&d->arena, *v, *n, cap, sizeof **v);
  pp_para *q = &(*v)[(*n)++];
  q->title = title;
  q->text = unmark(&d->arena, p->text, p->len);
  q->first = p->first;
  q->last = p->last;
}

void pp__build(pp_doc *d, const pp_grammar *g, pp_lines *ls, pp_matcher *m, pp_norm *nm) {
  size_t end = ls->n, body = 0;
  while (body < end && ls->v[body].kind != PP_LINE_HEAD && ls->v[body].kind != PP_LINE_ARTICLE)
    body++;
  size_t i = pp__front_matter(d, g, ls, body, m, nm);
  if (body < end) {
    size_t stop = body;
    while (stop < end && ls->v[stop].kind != PP_LINE_ARTICLE)
      stop++;
    pp__signature(d, g, ls, stop, m, nm);
  }

  pp_node *stack[64];
  int depth = 0;
  numbering nb;
  nb.last = pp__alloc(&d->arena, (g->nlevels + 1) * sizeof *nb.last);
  nb.ordinal = pp__alloc(&d->arena, (g->nlevels + 1) * sizeof *nb.ordinal);
  nb.ord_parent = pp__alloc(&d->arena, (g->nlevels + 1) * sizeof *nb.ord_parent);
  pp_para *article = NULL;
  pp_node *last_top = NULL;
  open_text ot = {NULL, 0, 0, NULL, NULL}, join = {NULL, 0, 0, NULL, NULL};
  pp__defer(&d->arena, open_text_free, &ot);
  pp__defer(&d->arena, open_text_free, &join);

  while (i < end) {
    pp_line *l = &ls->v[i];
    if (l->kind == PP_LINE_BLANK || l->kind == PP_LINE_REMOVED || l->kind == PP_LINE_META) {
      i++;
      continue;
    }
    if (l->kind == PP_LINE_ARTICLE) {
      d->appendix = pp__grow(&d->arena, d->appendix, d->nappendix, &d->capappendix,
                             sizeof *d->appendix);
      article = &d->appendix[d->nappendix++];
      article->title = unmark(&d->arena, l->title.s, l->title.n);
      open_node_text(d, &ot, &article->text, "", 0, 0);
      article->first = article->last = l->no;
      depth = 0;
      i++;
      continue;
    }
    if (l->kind == PP_LINE_FIELD && depth > 0 && !article) {
      /* The innermost open node of a level the field may belong to. */
      const pp_field *f = &g->fields[l->level];
      int k = depth;
      while (k > 0 && f->levels && !(f->levels & (uint32_t)1 << stack[k - 1]->level))
        k--;
      if (k > 0) {
        add_field(d, stack[k - 1], f, l->title);
        for (int j = 0; j < depth; j++)
          stack[j]->last = l->no;
        i++;
        continue;
      }
      l->kind = PP_LINE_BODY; /* no node takes it: plain text */
    }
    para p;
    i = read_para(d, ls, i, end, &p, &join);
    if (article) {
      add_text(d, &ot, p.text, p.len, p.text != join.buf);
      article->last = p.last;
    } else if (l->kind == PP_LINE_HEAD) {
      pp_node *n = pp__alloc(&d->arena, sizeof *n);
      const pp_level *lv = &g->levels[l->level];
      n->level = l->level;
      n->kind = lv->name;
      n->label = pp__strndup(&d->arena, l->label.s, l->label.n);
      /* "**一、加强党建**…": the grammar took the opening ** with the
       * label, so the title starts inside the bold span. */
      int bold_open = l->text.n >= 2 && memcmp(l->text.s, "**", 2) == 0 &&
                      !(l->title.n >= 2 && memcmp(l->title.s, "**", 2) == 0);
      split_title(d, n, &ot, p.text, p.len, bold_open, p.text != join.buf);
      n->first = p.first;
      n->last = p.last;
      while (depth > 0 && stack[depth - 1]->level >= n->level)
        depth--;
      pp_node *parent = depth > 0 ? stack[depth - 1] : NULL;
      n->parent = parent;
      pp_node *prev_sib = parent ? parent->last_child : last_top;
      int first_under = !prev_sib || prev_sib->level != n->level;
      if (parent) {
        if (parent->last_child)
          parent->last_child->next = n;
        else
          parent->first_child = n;
        parent->last_child = n;
      } else {
        if (d->last)
          d->last->next = n;
        else
          d->first = n;
        d->last = n;
        last_top = n;
      }
      /* A level counts its own siblings for ordinals; a parent, once
       * closed, never reopens, so one counter per level suffices. */
      if (lv->numstyle == PP_NUM_ORDINAL) {
        if (nb.ord_parent[n->level] != parent) {
          nb.ord_parent[n->level] = parent;
          nb.ordinal[n->level] = 0;
        }
        n->number = ++nb.ordinal[n->level];
      } else
        n->number = pp__numeral(l->num.s, l->num.n, lv->numstyle);
      check_number(d, &nb, g, n, first_under);
      for (int k = 0; k < depth; k++)
        if (stack[k]->last < n->last)
          stack[k]->last = n->last;
      if (depth < (int)(sizeof stack / sizeof stack[0]))
        stack[depth++] = n;
    } else if (depth > 0) {
      add_text(d, &ot, p.text, p.len, p.text != join.buf);
      for (int k = 0; k < depth; k++)
        stack[k]->last = p.last;
    } else {
      append_para(d, &d->preamble, &d->npreamble, &d->cappreamble, &p, NULL);
    }
  }

  close_text(d, &ot);
  pp__undefer(&d->arena, &ot);
  pp__undefer(&d->arena, &join);
  open_text_free(&ot);
  open_text_free(&join);

  /* Unfinished repeats: in node texts, walked without recursion. */
  pp_iter it;
  pp_iter_init(&it, d);
  const pp_node *n;
  while ((n = pp_iter_next(&it, NULL))) {
    check_fragment(d, n->text[0] ? n->text : n->title, n->last);
    inline_fields(d, g, (pp_node *)n, m, nm);
  }
  for (size_t k = 0; k < d->npreamble; k++)
    check_fragment(d, d->preamble[k].text, d->preamble[k].last);
  pp__meta_year(d);
  if (!d->first && !d->npreamble && !d->nappendix && !d->meta_first)
    pp__warn(d, 0, "empty document: no text found");
  else if (!d->first)
    pp__warn(d, 0, "no headings found for grammar %s", g->name);
}

/* ---- fields ------------------------------------------------------------ */

static int is_sep(uint32_t c, int split) {
  if (pp__is_space(c))
    return 1;
  return c == 0x3001 || c == 0xFF0C || c == ',' || c == 0xFF1B || c == ';' ||
         (split == PP_SPLIT_LIST && (c == '/' || c == 0xFF0F));
}

static void add_value(pp_doc *d, pp_field_val *fv, const char *s, size_t n) {
  if (!n)
    return;
  fv->values = pp__grow(&d->arena, fv->values, fv->n, &fv->cap, sizeof *fv->values);
  fv->values[fv->n++] = pp__strndup(&d->arena, s, n);
}

static void add_field(pp_doc *d, pp_node *n, const pp_field *f, pp_span v) {
  pp_field_val *fv = NULL;
  for (size_t i = 0; i < n->nfields; i++)
    if (strcmp(n->fields[i].name, f->name) == 0)
      fv = &n->fields[i];
  if (!fv) {
    n->fields = pp__grow(&d->arena, n->fields, n->nfields, &n->capfields, sizeof *n->fields);
    fv = &n->fields[n->nfields++];
    memset(fv, 0, sizeof *fv);
    fv->name = f->name;
  }
  /* A value's closing full stop is punctuation, not part of the name. */
  while (v.n >= 3 && memcmp(v.s + v.n - 3, "。", 3) == 0)
    v.n -= 3;
  while (v.n && (v.s[v.n - 1] == '.' || v.s[v.n - 1] == ';'))
    v.n--;
  if (f->split == PP_SPLIT_NONE) {
    add_value(d, fv, v.s, v.n);
    return;
  }
  /* Tokenise; for names, runs of one-character tokens are one name padded
   * with spaces for alignment (崔 茜). */
  size_t i = 0;
  char *pending = NULL;
  size_t plen = 0;
  while (i < v.n) {
    int l;
    while (i < v.n && is_sep(pp__utf8_next(v.s + i, v.n - i, &l), f->split))
      i += (size_t)l;
    size_t s = i, chars = 0;
    int space_after = 0;
    while (i < v.n && !is_sep(pp__utf8_next(v.s + i, v.n - i, &l), f->split)) {
      i += (size_t)l;
      chars++;
    }
    if (s == i)
      break;
    if (i < v.n) {
      uint32_t c = pp__utf8_next(v.s + i, v.n - i, &l);
      space_after = pp__is_space(c);
    }
    if (f->split == PP_SPLIT_NAMES && chars == 1 && (space_after || pending)) {
      char *np = pp__alloc(&d->arena, plen + (i - s) + 1);
      if (pending)
        memcpy(np, pending, plen);
      memcpy(np + plen, v.s + s, i - s);
      pending = np;
      plen += i - s;
      if (!space_after || i >= v.n) {
        add_value(d, fv, pending, plen);
        pending = NULL;
        plen = 0;
      }
      continue;
    }
    if (pending) {
      add_value(d, fv, pending, plen);
      pending = NULL;
      plen = 0;
    }
    add_value(d, fv, v.s + s, i - s);
  }
  if (pending)
    add_value(d, fv, pending, plen);
}

int pp__has_items(const pp_doc *d) {
  pp_iter it;
  const pp_node *n;
  pp_iter_init(&it, d);
  while ((n = pp_iter_next(&it, NULL)))
    if (strcmp(n->kind, "item") == 0)
      return 1;
  return 0;
}

int pp__is_unit(const pp_node *n, int have_items) {
  return have_items ? strcmp(n->kind, "item") == 0 : n->first_child == NULL;
}

void pp__warn(pp_doc *d, long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *msg = pp__vprintf(&d->arena, fmt, ap);
  va_end(ap);
  d->warnings = pp__grow(&d->arena, d->warnings, d->nwarnings, &d->capwarnings,
                         sizeof *d->warnings);
  pp_note *w = &d->warnings[d->nwarnings++];
  w->line = line;
  w->text = msg;
}
