/* JSON writer: two-space indentation, short arrays (line ranges, field
 * values) on one line, UTF-8 passed through, U+2028/U+2029 escaped so the
 * output is also valid JavaScript. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { MAX_NEST = 4096 };

typedef struct jstate {
  pp_writer w;
  int depth;
  unsigned char first[MAX_NEST]; /* no element yet at this depth */
  unsigned char flow[MAX_NEST];
  int after_key;
  int compact; /* one line: JSON Lines */
} jstate;

static void indent(jstate *s) {
  if (s->compact)
    return;
  pp__buf_put(s->w.out, "\n", 1);
  for (int i = 0; i < s->depth; i++)
    pp__buf_put(s->w.out, "  ", 2);
}

/* Separator and layout before a value or key at the current depth. */
static void before(jstate *s) {
  if (s->after_key) {
    s->after_key = 0;
    return;
  }
  if (s->depth == 0)
    return;
  if (!s->first[s->depth])
    pp__buf_put(s->w.out, s->flow[s->depth] && !s->compact ? ", " : ",",
                s->flow[s->depth] && !s->compact ? 2 : 1);
  s->first[s->depth] = 0;
  if (!s->flow[s->depth])
    indent(s);
}

static void open(jstate *s, const char *c, int flow) {
  before(s);
  pp__buf_puts(s->w.out, c);
  if (s->depth + 1 >= MAX_NEST) {
    s->w.failed = 1;
    return;
  }
  s->depth++;
  s->first[s->depth] = 1;
  s->flow[s->depth] = (unsigned char)(flow || s->flow[s->depth - 1]);
}

static void close(jstate *s, const char *c) {
  int empty = s->first[s->depth], flow = s->flow[s->depth];
  s->depth--;
  if (!empty && !flow)
    indent(s);
  pp__buf_puts(s->w.out, c);
}

static void j_map_begin(pp_writer *w) { open((jstate *)w, "{", 0); }
static void j_map_end(pp_writer *w) { close((jstate *)w, "}"); }
static void j_seq_begin(pp_writer *w, int flow) { open((jstate *)w, "[", flow); }
static void j_seq_end(pp_writer *w) { close((jstate *)w, "]"); }

static void quoted(pp_buf *b, const char *v) {
  pp__buf_put(b, "\"", 1);
  /* Bytes that may need an escape: controls, " and \, and E2 (the lead
   * byte of U+2028 and U+2029); everything else is copied in runs.  The
   * NUL that ends v is one of them, so a run is scanned with one test a
   * byte. */
  static const unsigned char attn[256] = {
      [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
      [0x08] = 1, [0x09] = 1, [0x0A] = 1, [0x0B] = 1, [0x0C] = 1, [0x0D] = 1, [0x0E] = 1,
      [0x0F] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1,
      [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1,
      [0x1D] = 1, [0x1E] = 1, [0x1F] = 1, ['"'] = 1, ['\\'] = 1, [0x7F] = 1, [0xE2] = 1};
  const unsigned char *p = (const unsigned char *)v;
  const unsigned char *run = p;
  for (; *p; p++) {
    while (!attn[p[0]] && !attn[p[1]] && !attn[p[2]] && !attn[p[3]])
      p += 4; /* p[k] is read only after p[k - 1] was no NUL */
    while (!attn[*p])
      p++;
    if (!*p)
      break;
    const char *esc = NULL;
    char tmp[8];
    if (*p == '"')
      esc = "\\\"";
    else if (*p == '\\')
      esc = "\\\\";
    else if (*p == '\n')
      esc = "\\n";
    else if (*p == '\t')
      esc = "\\t";
    else if (*p == '\r')
      esc = "\\r";
    else if (*p < 0x20 || *p == 0x7F) {
      snprintf(tmp, sizeof tmp, "\\u%04x", *p);
      esc = tmp;
    } else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
      esc = p[2] == 0xA8 ? "\\u2028" : "\\u2029";
      pp__buf_put(b, (const char *)run, (size_t)(p - run));
      pp__buf_puts(b, esc);
      p += 2;
      run = p + 1;
      continue;
    }
    if (esc) {
      pp__buf_put(b, (const char *)run, (size_t)(p - run));
      pp__buf_puts(b, esc);
      run = p + 1;
    }
  }
  pp__buf_put(b, (const char *)run, (size_t)(p - run));
  pp__buf_put(b, "\"", 1);
}

static void j_key(pp_writer *w, const char *k) {
  jstate *s = (jstate *)w;
  before(s);
  quoted(w->out, k);
  pp__buf_put(w->out, ": ", ((jstate *)w)->compact ? 1 : 2);
  s->after_key = 1;
}

static void j_str(pp_writer *w, const char *v) {
  before((jstate *)w);
  if (v)
    quoted(w->out, v);
  else
    pp__buf_puts(w->out, "null");
}

static void j_num(pp_writer *w, long v) {
  before((jstate *)w);
  char tmp[24];
  pp__buf_put(w->out, tmp, pp__format_long(tmp, v));
}

static void j_real(pp_writer *w, double v) {
  before((jstate *)w);
  pp__buf_printf(w->out, "%.3f", v);
}

static void j_lit(pp_writer *w, const char *v) {
  before((jstate *)w);
  pp__buf_puts(w->out, v);
}

void *pp__json_writer_new(pp_buf *out, pp_writer **w, int compact) {
  jstate *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->compact = compact;
  s->w = (pp_writer){j_map_begin, j_map_end, j_seq_begin, j_seq_end, j_key, j_str, j_num, j_real, j_lit, out, 0};
  *w = &s->w;
  return s;
}

void pp__json_writer_abort(void *st) { free(st); }

const char *pp__json_writer_finish(void *st) {
  jstate *s = st;
  pp__buf_put(s->w.out, "\n", 1);
  const char *problem = s->w.out->failed ? "out of memory" : s->w.failed ? "nesting too deep" : NULL;
  free(s);
  return problem;
}
