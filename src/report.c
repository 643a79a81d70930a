/* Reports over an alignment: `diff` of two plans and `compare` of many,
 * as YAML or JSON through the shared writers, or as a terminal view laid
 * out by display width (CJK and full-width characters take two columns,
 * East Asian ambiguous ones one or two as the caller says).  Terminal text
 * wraps inside its column and is never cut. */
#include <stdlib.h>
#include <string.h>
#include "icu.h"
#include "internal.h"

/* ---- display width ------------------------------------------------------ */

int pp__cp_width(uint32_t c, int ambiguous) {
  if (c < 0x20 || (c >= 0x7F && c < 0xA0))
    return 0;
  int gc = ICU(u_charType)((UChar32)c);
  if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_FORMAT_CHAR)
    return 0;
  switch (ICU(u_getIntPropertyValue)((UChar32)c, UCHAR_EAST_ASIAN_WIDTH)) {
  case U_EA_WIDE:
  case U_EA_FULLWIDTH:
    return 2;
  case U_EA_AMBIGUOUS:
    return ambiguous;
  default:
    return 1;
  }
}

size_t pp__text_width(const char *s, size_t n, int ambiguous) {
  size_t w = 0;
  for (size_t i = 0; i < n;) {
    int l;
    w += (size_t)pp__cp_width(pp__utf8_next(s + i, n - i, &l), ambiguous);
    i += (size_t)l;
  }
  return w;
}

/* ---- cells: wrapped, styled text -------------------------------------- */

enum { STYLE_PLAIN, STYLE_MARK };

/* A line under construction, in the report's arena. */
typedef struct lbuf {
  char *p;
  size_t len, cap;
} lbuf;

static void lput(pp_arena *a, lbuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = pp__alloc(a, cap);
    if (b->len)
      memcpy(p, b->p, b->len);
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

typedef struct cell {
  lbuf *lines; /* each line's bytes, with colour codes */
  size_t *widths;
  size_t n, cap;
  size_t width;  /* the column's width */
  int ambiguous, color, side; /* side 0 left, 1 right: colour and markers */
  int style;     /* the style the current line is in */
  pp_arena *a;
} cell;

static const char *mark_on(const cell *c) {
  if (c->color)
    return c->side ? "\033[1;32m" : "\033[1;31m";
  return c->side ? "{+" : "[-";
}

static const char *mark_off(const cell *c) {
  if (c->color)
    return "\033[0m";
  return c->side ? "+}" : "-]";
}

static void new_line(cell *c) {
  if (c->n && c->style == STYLE_MARK && c->color)
    lput(c->a, &c->lines[c->n - 1], "\033[0m", strlen("\033[0m"));
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 8;
    lbuf *lines = pp__alloc(c->a, cap * sizeof *lines);
    size_t *widths = pp__alloc(c->a, cap * sizeof *widths);
    if (c->n) {
      memcpy(lines, c->lines, c->n * sizeof *lines);
      memcpy(widths, c->widths, c->n * sizeof *widths);
    }
    c->lines = lines;
    c->widths = widths;
    c->cap = cap;
  }
  memset(&c->lines[c->n], 0, sizeof c->lines[0]);
  c->widths[c->n++] = 0;
}

/* Appends UTF-8 text, wrapping at the column's width. */
static void put(cell *c, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    int l;
    uint32_t cp = pp__utf8_next(s + i, n - i, &l);
    if (cp == '\n') {
      new_line(c);
      if (c->style == STYLE_MARK && c->color)
        lput(c->a, &c->lines[c->n - 1], mark_on(c), strlen(mark_on(c)));
      i += (size_t)l;
      continue;
    }
    size_t w = (size_t)pp__cp_width(cp, c->ambiguous);
    if (c->widths[c->n - 1] + w > c->width && c->widths[c->n - 1] > 0) {
      new_line(c);
      if (c->style == STYLE_MARK && c->color)
        lput(c->a, &c->lines[c->n - 1], mark_on(c), strlen(mark_on(c)));
    }
    lput(c->a, &c->lines[c->n - 1], s + i, (size_t)l);
    c->widths[c->n - 1] += w;
    i += (size_t)l;
  }
}

static void style(cell *c, int st) {
  if (c->style == st)
    return;
  const char *m = st == STYLE_MARK ? mark_on(c) : mark_off(c);
  if (c->color) {
    lput(c->a, &c->lines[c->n - 1], m, strlen(m));
  } else {
    c->style = STYLE_PLAIN; /* markers are text, and take columns */
    put(c, m, strlen(m));
  }
  c->style = st;
}

static void cell_init(cell *c, pp_arena *a, size_t width, int ambiguous, int color, int side) {
  memset(c, 0, sizeof *c);
  c->a = a;
  c->width = width ? width : 1;
  c->ambiguous = ambiguous;
  c->color = color;
  c->side = side;
  new_line(c);
}

/* The words of one side's unit that the other side's lacks are marked. */
static void put_segs(cell *c, const pp_compare *cmp, size_t plan, size_t unit, int part,
                     const char *s, long other_plan, long other_unit) {
  size_t ns;
  const pp_seg *sg = pp__unit_segs(cmp, plan, unit, part, &ns);
  for (size_t k = 0; k < ns; k++) {
    int marked = other_unit >= 0 && sg[k].word >= 0 &&
                 !pp__unit_has(cmp, (size_t)other_plan, (size_t)other_unit, sg[k].word);
    /* A mark runs on over the spaces and punctuation between two marked
     * words, so "6000个" reads as one change, not two. */
    if (!marked && sg[k].word < 0 && c->style == STYLE_MARK) {
      size_t j = k + 1;
      while (j < ns && sg[j].word < 0)
        j++;
      marked = j < ns && other_unit >= 0 &&
               !pp__unit_has(cmp, (size_t)other_plan, (size_t)other_unit, sg[j].word);
    }
    style(c, marked ? STYLE_MARK : STYLE_PLAIN);
    put(c, s + sg[k].start, sg[k].end - sg[k].start);
  }
  style(c, STYLE_PLAIN);
}

static void unit_cell(cell *c, const pp_compare *cmp, size_t plan, long unit, long other_plan,
                      long other_unit) {
  if (unit < 0)
    return;
  const pp_node *n = pp_compare_unit(cmp, plan, (size_t)unit);
  const char *path = pp_compare_unit_path(cmp, plan, (size_t)unit);
  put(c, path, strlen(path));
  put(c, " ", 1);
  put_segs(c, cmp, plan, (size_t)unit, 0, n->title, other_plan, other_unit);
  if (n->text[0]) {
    put(c, "\n", 1);
    put_segs(c, cmp, plan, (size_t)unit, 1, n->text, other_plan, other_unit);
  }
}

static void pad(pp_buf *out, size_t n, char ch) {
  for (size_t i = 0; i < n; i++)
    pp__buf_put(out, &ch, 1);
}

/* Writes cells side by side, every line exactly `width` columns wide. */
static void row(pp_buf *out, cell *l, cell *r, const char *mid) {
  size_t n = l->n > r->n ? l->n : r->n;
  for (size_t i = 0; i < n; i++) {
    if (i < l->n) {
      pp__buf_put(out, l->lines[i].p ? l->lines[i].p : "", l->lines[i].len);
      pad(out, l->width - l->widths[i], ' ');
    } else
      pad(out, l->width, ' ');
    pp__buf_puts(out, " |");
    pp__buf_puts(out, i == 0 ? mid : "    ");
    pp__buf_puts(out, "| ");
    if (i < r->n) {
      pp__buf_put(out, r->lines[i].p ? r->lines[i].p : "", r->lines[i].len);
      pad(out, r->width - r->widths[i], ' ');
    } else
      pad(out, r->width, ' ');
    pp__buf_put(out, "\n", 1);
  }
}

static void rule(pp_buf *out, size_t lw, size_t rw) {
  pad(out, lw, '-');
  pp__buf_puts(out, "-+----+-");
  pad(out, rw, '-');
  pp__buf_put(out, "\n", 1);
}

/* A full-width line of text, wrapped and padded to the width. */
static void banner(pp_buf *out, pp_arena *a, const char *s, const pp_view *v) {
  cell c;
  cell_init(&c, a, (size_t)v->width, v->ambiguous, 0, 0);
  put(&c, s, strlen(s));
  for (size_t i = 0; i < c.n; i++) {
    pp__buf_put(out, c.lines[i].p ? c.lines[i].p : "", c.lines[i].len);
    pad(out, c.width - c.widths[i], ' ');
    pp__buf_put(out, "\n", 1);
  }
}

/* A plan's short name: its region without the trailing 市/区/县 (忻州市 ->
 * 忻州), else its title, else its file name. */
const char *pp__plan_name(pp_arena *a, const pp_doc *d) {
  const char *r = pp_doc_meta(d, "region");
  if (r) {
    size_t n = strlen(r);
    if (n > 6 && (strcmp(r + n - 3, "市") == 0 || strcmp(r + n - 3, "区") == 0 ||
                  strcmp(r + n - 3, "县") == 0))
      return pp__strndup(a, r, n - 3);
    return r;
  }
  const char *s = pp_doc_source(d), *slash = strrchr(s, '/');
  return slash ? slash + 1 : s;
}

static void diff_text(const pp_compare *cmp, size_t A, size_t B, const pp_view *v, pp_buf *out,
                      pp_arena *a) {
  size_t inner = (size_t)(v->width > 12 ? v->width : 12) - 8;
  size_t lw = inner / 2, rw = inner - lw;
  size_t na = pp_compare_unit_count(cmp, A), nb = pp_compare_unit_count(cmp, B);
  long *to_b = pp__alloc(a, (na + 1) * sizeof *to_b);
  long *to_a = pp__alloc(a, (nb + 1) * sizeof *to_a);
  double *score = pp__alloc(a, (na + 1) * sizeof *score);
  for (size_t i = 0; i < na; i++)
    to_b[i] = -1;
  for (size_t j = 0; j < nb; j++)
    to_a[j] = -1;
  size_t np = pp_compare_pair_count(cmp, A, B);
  for (size_t k = 0; k < np; k++) {
    size_t ua, ub;
    double s;
    pp_compare_pair(cmp, A, B, k, &ua, &ub, &s);
    to_b[ua] = (long)ub;
    to_a[ub] = (long)ua;
    score[ua] = s;
  }
  const pp_doc *da = pp__compare_doc(cmp, A), *db = pp__compare_doc(cmp, B);
  const char *name_a = pp__plan_name(a, da), *name_b = pp__plan_name(a, db);
  cell l, r;
  cell_init(&l, a, lw, v->ambiguous, v->color, 0);
  cell_init(&r, a, rw, v->ambiguous, v->color, 1);
  const char *ta = pp_doc_meta(da, "title"), *tb = pp_doc_meta(db, "title");
  put(&l, name_a, strlen(name_a));
  put(&l, "\n", 1);
  if (ta)
    put(&l, ta, strlen(ta));
  put(&r, name_b, strlen(name_b));
  put(&r, "\n", 1);
  if (tb)
    put(&r, tb, strlen(tb));
  row(out, &l, &r, "    ");
  /* Rows in document order on both sides: an unmatched unit of b comes
   * before the first row whose b unit follows it. */
  size_t next_b = 0;
  for (size_t i = 0; i <= na; i++) {
    long j = i < na ? to_b[i] : (long)nb;
    for (; j >= 0 && next_b < (size_t)j && next_b < nb; next_b++) {
      if (to_a[next_b] >= 0)
        continue;
      rule(out, lw, rw);
      cell_init(&l, a, lw, v->ambiguous, v->color, 0);
      cell_init(&r, a, rw, v->ambiguous, v->color, 1);
      unit_cell(&r, cmp, B, (long)next_b, -1, -1);
      row(out, &l, &r, "    ");
    }
    if (i == na)
      break;
    rule(out, lw, rw);
    cell_init(&l, a, lw, v->ambiguous, v->color, 0);
    cell_init(&r, a, rw, v->ambiguous, v->color, 1);
    unit_cell(&l, cmp, A, (long)i, (long)B, to_b[i]);
    char mid[8] = "    ";
    if (to_b[i] >= 0) {
      unit_cell(&r, cmp, B, to_b[i], (long)A, (long)i);
      snprintf(mid, sizeof mid, "%4.2f", score[i]);
    }
    row(out, &l, &r, mid);
  }
  rule(out, lw, rw);
  char *sum = pp__printf(a, "%zu matched · %zu only in %s · %zu only in %s", np, na - np, name_a,
                         nb - np, name_b);
  banner(out, a, sum, v);
}

/* ---- compare: the terminal view --------------------------------------- */

static void compare_text(const pp_compare *cmp, const pp_view *v, pp_buf *out, pp_arena *a) {
  size_t n = pp_compare_plan_count(cmp), nt = pp_compare_topic_count(cmp);
  const char **name = pp__alloc(a, (n + 1) * sizeof *name);
  size_t *colw = pp__alloc(a, (n + 1) * sizeof *colw), marks = 0;
  for (size_t p = 0; p < n; p++) {
    name[p] = pp__plan_name(a, pp__compare_doc(cmp, p));
    colw[p] = pp__text_width(name[p], strlen(name[p]), v->ambiguous);
    if (colw[p] < 4)
      colw[p] = 4;
    marks += colw[p] + 1;
  }
  size_t W = (size_t)v->width, labw = W > marks + 12 ? W - marks : 12;

  /* 1. Coverage: which plan covers which topic. */
  banner(out, a, pp__printf(a, "Topics shared by the %zu plans (x: the plan covers it)", n), v);
  pp_buf line = {0};
  pp__defer(a, pp__buf_release, &line);
  cell c;
  for (long t = -1; t < (long)nt; t++) {
    cell_init(&c, a, labw, v->ambiguous, 0, 0);
    if (t < 0)
      put(&c, "topic", 5);
    else {
      const char *lab = pp_compare_topic_label(cmp, (size_t)t);
      put(&c, lab, strlen(lab));
    }
    for (size_t i = 0; i < c.n; i++) {
      pp__buf_put(out, c.lines[i].p ? c.lines[i].p : "", c.lines[i].len);
      pad(out, c.width - c.widths[i], ' ');
      for (size_t p = 0; p < n; p++) {
        pp__buf_put(out, " ", 1);
        if (i > 0) {
          pad(out, colw[p], ' ');
        } else if (t < 0) {
          pp__buf_puts(out, name[p]);
          pad(out, colw[p] - pp__text_width(name[p], strlen(name[p]), v->ambiguous), ' ');
        } else {
          int has = pp_compare_topic_member(cmp, (size_t)t, p) >= 0;
          pad(out, colw[p] - 1, ' ');
          if (has && v->color)
            pp__buf_puts(out, "\033[1;32mx\033[0m");
          else
            pp__buf_puts(out, has ? "x" : ".");
        }
      }
      pad(out, W > labw + marks ? W - labw - marks : 0, ' ');
      pp__buf_put(out, "\n", 1);
    }
  }

  /* 2. Similarity, shaded: darker is more alike. */
  pad(out, W, ' ');
  pp__buf_put(out, "\n", 1);
  banner(out, a, "How alike the plans are (share of work items with a counterpart)", v);
  static const char shades[] = " .:-=+*#%@";
  static const int bg[] = {255, 253, 251, 249, 246, 243, 240, 237, 234, 232};
  size_t namew = 0;
  for (size_t p = 0; p < n; p++)
    if (pp__text_width(name[p], strlen(name[p]), v->ambiguous) > namew)
      namew = pp__text_width(name[p], strlen(name[p]), v->ambiguous);
  for (long p = -1; p < (long)n; p++) {
    size_t used = namew;
    if (p < 0)
      pad(out, namew, ' ');
    else {
      pp__buf_puts(out, name[p]);
      pad(out, namew - pp__text_width(name[p], strlen(name[p]), v->ambiguous), ' ');
    }
    for (size_t q = 0; q < n && used + 7 <= W; q++, used += 7) {
      if (p < 0) {
        size_t w = pp__text_width(name[q], strlen(name[q]), v->ambiguous);
        if (w <= 6) {
          pad(out, 7 - w, ' ');
          pp__buf_puts(out, name[q]);
        } else
          pp__buf_printf(out, "%7zu", q + 1);
        continue;
      }
      double s = pp_compare_similarity(cmp, (size_t)p, q);
      int k = (int)(s * 9.999);
      if (k < 0)
        k = 0;
      if (v->color)
        pp__buf_printf(out, " \033[48;5;%dm\033[38;5;%dm %4.2f \033[0m", bg[k], k >= 5 ? 255 : 232, s);
      else
        pp__buf_printf(out, "  %4.2f%c", s, shades[k]);
    }
    pad(out, W > used ? W - used : 0, ' ');
    pp__buf_put(out, "\n", 1);
  }

  /* 3. What each plan alone sets out to do. */
  for (size_t p = 0; p < n; p++) {
    pad(out, W, ' ');
    pp__buf_put(out, "\n", 1);
    banner(out, a, pp__printf(a, "Only in %s:", name[p]), v);
    size_t nu = pp_compare_unit_count(cmp, p);
    unsigned char *in_topic = pp__alloc(a, nu + 1);
    for (size_t t = 0; t < nt; t++) {
      long m = pp_compare_topic_member(cmp, t, p);
      if (m >= 0)
        in_topic[m] = 1;
    }
    for (size_t i = 0; i < nu; i++)
      if (!in_topic[i])
        banner(out, a,
               pp__printf(a, "  %s %s", pp_compare_unit_path(cmp, p, i),
                          pp_compare_unit(cmp, p, i)->title),
               v);
  }
  pp__undefer(a, &line);
  free(line.p);
}

/* ---- themes across plans ------------------------------------------------ */

static void plan_info(pp_writer *w, const pp_doc *d);

/* The key every report of many plans opens with. */
static void plans(pp_writer *w, const pp_compare *c) {
  w->key(w, "plans");
  w->seq_begin(w, 0);
  for (size_t p = 0; p < pp_compare_plan_count(c); p++)
    plan_info(w, pp__compare_doc(c, p));
  w->seq_end(w);
}

typedef struct theme_counts {
  const char **name;
  size_t *count; /* [theme * plans + plan] */
  size_t n;
} theme_counts;

/* How many work units of each plan have each theme; themes by how many
 * units have them in all, most first. */
static theme_counts count_themes(const pp_compare *c, pp_arena *a) {
  theme_counts tc = {0};
  size_t np = pp_compare_plan_count(c), cap = 0;
  for (size_t p = 0; p < np; p++)
    for (size_t i = 0; i < pp_compare_unit_count(c, p); i++) {
      const pp_node *n = pp_compare_unit(c, p, i);
      for (size_t k = 0; k < pp_node_theme_count(n); k++) {
        const char *t = pp_node_theme(n, k);
        size_t j = 0;
        while (j < tc.n && strcmp(tc.name[j], t) != 0)
          j++;
        if (j == tc.n) {
          size_t oldcap = cap;
          tc.name = pp__grow(a, tc.name, tc.n, &cap, sizeof *tc.name);
          size_t *nc = pp__alloc(a, (cap * np + 1) * sizeof *nc);
          if (tc.count)
            memcpy(nc, tc.count, oldcap * np * sizeof *nc);
          tc.count = nc;
          tc.name[tc.n++] = t;
        }
        tc.count[j * np + p]++;
      }
    }
  /* Insertion sort by total: a few dozen themes at most. */
  for (size_t i = 1; i < tc.n; i++)
    for (size_t j = i; j > 0; j--) {
      size_t s1 = 0, s0 = 0;
      for (size_t p = 0; p < np; p++) {
        s1 += tc.count[j * np + p];
        s0 += tc.count[(j - 1) * np + p];
      }
      if (s1 <= s0)
        break;
      const char *tn = tc.name[j];
      tc.name[j] = tc.name[j - 1];
      tc.name[j - 1] = tn;
      for (size_t p = 0; p < np; p++) {
        size_t x = tc.count[j * np + p];
        tc.count[j * np + p] = tc.count[(j - 1) * np + p];
        tc.count[(j - 1) * np + p] = x;
      }
    }
  return tc;
}

static void themes_text(const pp_compare *c, const pp_view *v, pp_buf *out, pp_arena *a) {
  size_t np = pp_compare_plan_count(c);
  theme_counts tc = count_themes(c, a);
  size_t W = (size_t)v->width, labw = 0, used;
  const char **name = pp__alloc(a, (np + 1) * sizeof *name);
  size_t *colw = pp__alloc(a, (np + 1) * sizeof *colw);
  for (size_t p = 0; p < np; p++) {
    name[p] = pp__plan_name(a, pp__compare_doc(c, p));
    colw[p] = pp__text_width(name[p], strlen(name[p]), v->ambiguous);
    if (colw[p] < 4)
      colw[p] = 4;
  }
  for (size_t t = 0; t < tc.n; t++) {
    size_t w = pp__text_width(tc.name[t], strlen(tc.name[t]), v->ambiguous);
    if (w > labw)
      labw = w;
  }
  if (labw < 5)
    labw = 5;
  banner(out, a, "Work items per policy theme", v);
  for (long t = -1; t < (long)tc.n; t++) {
    const char *lab = t < 0 ? "theme" : tc.name[t];
    pp__buf_puts(out, lab);
    pad(out, labw - pp__text_width(lab, strlen(lab), v->ambiguous), ' ');
    used = labw;
    for (size_t p = 0; p < np && used + colw[p] + 1 <= W; p++) {
      pp__buf_put(out, " ", 1);
      if (t < 0) {
        pad(out, colw[p] - pp__text_width(name[p], strlen(name[p]), v->ambiguous), ' ');
        pp__buf_puts(out, name[p]);
      } else {
        char num[32];
        size_t k = tc.count[(size_t)t * np + p];
        snprintf(num, sizeof num, "%zu", k);
        pad(out, colw[p] - strlen(num), ' ');
        pp__buf_puts(out, k ? num : ".");
      }
      used += colw[p] + 1;
    }
    pad(out, W > used ? W - used : 0, ' ');
    pp__buf_put(out, "\n", 1);
  }
}

static void themes_data(const pp_compare *c, pp_writer *w, pp_arena *a) {
  size_t np = pp_compare_plan_count(c);
  theme_counts tc = count_themes(c, a);
  w->map_begin(w);
  plans(w, c);
  w->key(w, "themes");
  w->seq_begin(w, 0);
  for (size_t t = 0; t < tc.n; t++) {
    w->map_begin(w);
    w->key(w, "name");
    w->str(w, tc.name[t]);
    w->key(w, "counts");
    w->seq_begin(w, 1);
    for (size_t p = 0; p < np; p++)
      w->num(w, (long)tc.count[t * np + p]);
    w->seq_end(w);
    w->map_end(w);
  }
  w->seq_end(w);
  w->map_end(w);
}

/* ---- YAML and JSON ---------------------------------------------------- */

static void plan_info(pp_writer *w, const pp_doc *d) {
  w->map_begin(w);
  w->key(w, "source");
  w->str(w, pp_doc_source(d));
  w->key(w, "title");
  w->str(w, pp_doc_meta(d, "title"));
  w->key(w, "region");
  w->str(w, pp_doc_meta(d, "region"));
  w->map_end(w);
}

static void unit_info(pp_writer *w, const pp_compare *c, size_t plan, size_t i,
                      const char *plan_key) {
  const pp_node *n = pp_compare_unit(c, plan, i);
  w->map_begin(w);
  if (plan_key) {
    w->key(w, "plan");
    w->str(w, plan_key);
  }
  w->key(w, "kind");
  w->str(w, n->kind);
  w->key(w, "number");
  if (n->number >= 0)
    w->num(w, n->number);
  else
    w->str(w, NULL);
  w->key(w, "title");
  w->str(w, n->title);
  w->key(w, "path");
  w->str(w, pp_compare_unit_path(c, plan, i));
  w->map_end(w);
}

static void diff_data(const pp_compare *c, size_t A, size_t B, pp_writer *w, pp_arena *a) {
  size_t na = pp_compare_unit_count(c, A), nb = pp_compare_unit_count(c, B);
  unsigned char *ma = pp__alloc(a, na + 1), *mb = pp__alloc(a, nb + 1);
  w->map_begin(w);
  w->key(w, "a");
  plan_info(w, pp__compare_doc(c, A));
  w->key(w, "b");
  plan_info(w, pp__compare_doc(c, B));
  w->key(w, "pairs");
  w->seq_begin(w, 0);
  for (size_t k = 0; k < pp_compare_pair_count(c, A, B); k++) {
    size_t ua, ub;
    double s;
    pp_compare_pair(c, A, B, k, &ua, &ub, &s);
    ma[ua] = mb[ub] = 1;
    w->map_begin(w);
    w->key(w, "a");
    unit_info(w, c, A, ua, NULL);
    w->key(w, "b");
    unit_info(w, c, B, ub, NULL);
    w->key(w, "score");
    w->real(w, s);
    w->map_end(w);
  }
  w->seq_end(w);
  for (int side = 0; side < 2; side++) {
    w->key(w, side ? "only_b" : "only_a");
    w->seq_begin(w, 0);
    size_t nu = side ? nb : na;
    for (size_t i = 0; i < nu; i++)
      if (!(side ? mb : ma)[i])
        unit_info(w, c, side ? B : A, i, NULL);
    w->seq_end(w);
  }
  w->map_end(w);
}

static void compare_data(const pp_compare *c, pp_writer *w) {
  size_t n = pp_compare_plan_count(c);
  w->map_begin(w);
  plans(w, c);
  w->key(w, "topics");
  w->seq_begin(w, 0);
  for (size_t t = 0; t < pp_compare_topic_count(c); t++) {
    w->map_begin(w);
    w->key(w, "label");
    w->str(w, pp_compare_topic_label(c, t));
    w->key(w, "members");
    w->seq_begin(w, 0);
    for (size_t p = 0; p < n; p++) {
      long m = pp_compare_topic_member(c, t, p);
      if (m >= 0)
        unit_info(w, c, p, (size_t)m, pp_doc_source(pp__compare_doc(c, p)));
    }
    w->seq_end(w);
    w->map_end(w);
  }
  w->seq_end(w);
  w->key(w, "similarity");
  w->seq_begin(w, 0);
  for (size_t p = 0; p < n; p++) {
    w->seq_begin(w, 1);
    for (size_t q = 0; q < n; q++)
      w->real(w, pp_compare_similarity(c, p, q));
    w->seq_end(w);
  }
  w->seq_end(w);
  w->map_end(w);
}

/* ---- entry points ------------------------------------------------------ */

enum { COMPARE = -1, THEMES = -2, TARGETS = -3 }; /* report kinds, where A is no plan */
static void targets_text(const pp_compare *c, const pp_view *v, pp_buf *out, pp_arena *a);
static void targets_data(const pp_compare *c, pp_writer *w, pp_arena *a);
static void targets_table(const pp_compare *c, char sep, pp_buf *out, pp_arena *a);

static char *render(const pp_compare *c, long A, long B, const pp_view *v, size_t *len,
                    pp_error *err) {
  pp_unwind un;
  pp_arena a = {0};
  pp_buf out = {0};
  un.n = 0;
  a.oom = &un;
  if (setjmp(un.jb)) {
    pp__error(err, PP_ERR_NOMEM, "", 0, "out of memory");
    return NULL;
  }
  pp__defer(&a, pp__buf_release, &out);
  pp__defer(&a, pp__arena_release, &a);
  const char *problem = NULL;
  if (v->format == PP_FORMAT_TEXT) {
    if (A >= 0)
      diff_text(c, (size_t)A, (size_t)B, v, &out, &a);
    else if (A == THEMES)
      themes_text(c, v, &out, &a);
    else if (A == TARGETS)
      targets_text(c, v, &out, &a);
    else
      compare_text(c, v, &out, &a);
    if (out.failed)
      problem = "out of memory";
  } else if (v->format == PP_FORMAT_CSV || v->format == PP_FORMAT_TSV) {
    if (A == TARGETS)
      targets_table(c, v->format == PP_FORMAT_CSV ? ',' : '\t', &out, &a);
    else
      problem = "csv and tsv are for --targets";
    if (!problem && out.failed)
      problem = "out of memory";
  } else {
    pp_writer *w;
    int json = v->format == PP_FORMAT_JSON;
    void *st = json ? pp__json_writer_new(&out, &w, 0) : pp__yaml_writer_new(&out, &w);
    problem = "out of memory";
    if (st) {
      /* The writer lives on the heap while the report allocates. */
      pp__defer(&a, json ? pp__json_writer_abort : pp__yaml_writer_abort, st);
      if (A >= 0)
        diff_data(c, (size_t)A, (size_t)B, w, &a);
      else if (A == THEMES)
        themes_data(c, w, &a);
      else if (A == TARGETS)
        targets_data(c, w, &a);
      else
        compare_data(c, w);
      pp__undefer(&a, st);
      problem = json ? pp__json_writer_finish(st) : pp__yaml_writer_finish(st);
    }
  }
  pp__undefer(&a, &a);
  pp__undefer(&a, &out);
  pp__arena_free(&a);
  if (problem) {
    free(out.p);
    pp__error(err, strcmp(problem, "out of memory") == 0 ? PP_ERR_NOMEM : PP_ERR_INPUT, "", 0,
              "cannot render the report: %s", problem);
    return NULL;
  }
  if (!out.p)
    pp__buf_put(&out, "", 0);
  if (!out.p) { /* even the empty output could not be allocated */
    pp__error(err, PP_ERR_NOMEM, "", 0, "cannot render the report: out of memory");
    return NULL;
  }
  if (len)
    *len = out.len;
  return out.p;
}

char *pp_diff_render(const pp_compare *c, size_t a, size_t b, const pp_view *v, size_t *len,
                     pp_error *err) {
  if (a >= pp_compare_plan_count(c) || b >= pp_compare_plan_count(c) || a == b) {
    pp__error(err, PP_ERR_IO, "", 0, "diff needs two distinct plans");
    return NULL;
  }
  return render(c, (long)a, (long)b, v, len, err);
}

char *pp_compare_render(const pp_compare *c, const pp_view *v, size_t *len, pp_error *err) {
  return render(c, COMPARE, -1, v, len, err);
}

char *pp_themes_render(const pp_compare *c, const pp_view *v, size_t *len, pp_error *err) {
  return render(c, THEMES, -1, v, len, err);
}

/* ---- targets across plans ------------------------------------------------ */

typedef struct tref {
  size_t plan, unit;
  const pp_target *t;
  size_t group;
} tref;

/* Character pairs of an indicator, for likeness: 公办率 and 公办幼儿园在园
 * 幼儿占比 share 公办.  Returns the count; pairs are code point pairs. */
static size_t bigrams(const char *s, uint64_t *out, size_t max) {
  size_t n = strlen(s), k = 0;
  uint32_t prev = 0;
  for (size_t i = 0; i < n && k < max;) {
    int l;
    uint32_t c = pp__utf8_next(s + i, n - i, &l);
    i += (size_t)l;
    if (c < 0x3400) { /* quotes, brackets, digits: no part of the name */
      prev = 0;
      continue;
    }
    if (prev)
      out[k++] = (uint64_t)prev << 32 | c;
    prev = c;
  }
  return k;
}

static double likeness(const char *a, const char *b) {
  uint64_t x[64], y[64];
  size_t nx = bigrams(a, x, 64), ny = bigrams(b, y, 64), common = 0;
  if (!nx || !ny)
    return strcmp(a, b) == 0;
  for (size_t i = 0; i < nx; i++)
    for (size_t j = 0; j < ny; j++)
      if (x[i] == y[j]) {
        common++;
        break;
      }
  return (double)common / (double)(nx < ny ? nx : ny); /* overlap coefficient */
}

/* Do two units speak to a policy theme in common?  覆盖率 of 平安校园 and of
 * 普惠园 are different measures; their items' themes tell them apart. */
static int share_theme(const pp_node *a, const pp_node *b) {
  for (size_t i = 0; i < a->nthemes; i++)
    for (size_t j = 0; j < b->nthemes; j++)
      if (strcmp(a->themes[i], b->themes[j]) == 0)
        return 1;
  return 0;
}

static int percent(const pp_target *t) {
  return strcmp(t->unit, "%") == 0 || strstr(t->unit, "百分点") != NULL;
}

/* Every target of every plan's work units, grouped: two targets are in one
 * group when their units are of a kind (share or count) and their
 * indicators share half their character pairs or more, and their items
 * a policy theme.  Groups number from 1;
 * a group of one plan's targets only is 0. */
static tref *collect_targets(const pp_compare *c, pp_arena *a, size_t *count, size_t *groups) {
  tref *v = NULL;
  size_t n = 0, cap = 0;
  for (size_t p = 0; p < pp_compare_plan_count(c); p++)
    for (size_t i = 0; i < pp_compare_unit_count(c, p); i++) {
      const pp_node *u = pp_compare_unit(c, p, i);
      for (size_t k = 0; k < u->ntargets; k++) {
        v = pp__grow(a, v, n, &cap, sizeof *v);
        v[n++] = (tref){p, i, &u->targets[k], 0};
      }
    }
  size_t g = 0;
  for (size_t i = 0; i < n; i++) {
    if (v[i].group)
      continue;
    int other_plan = 0;
    for (size_t j = i + 1; j < n; j++)
      if (!v[j].group && v[j].plan != v[i].plan && percent(v[j].t) == percent(v[i].t) &&
          likeness(v[i].t->indicator, v[j].t->indicator) >= 0.5 &&
          share_theme(pp_compare_unit(c, v[i].plan, v[i].unit),
                      pp_compare_unit(c, v[j].plan, v[j].unit))) {
        if (!other_plan)
          g++, other_plan = 1, v[i].group = g;
        v[j].group = g;
      }
  }
  *count = n;
  *groups = g;
  return v;
}

static void target_text(const pp_target *t, char *buf, size_t n) {
  const char *c = strcmp(t->comparator, "at_least") == 0      ? "≥"
                  : strcmp(t->comparator, "at_most") == 0     ? "≤"
                  : strcmp(t->comparator, "decrease_by") == 0 ? "−"
                  : strcmp(t->comparator, "increase_by") == 0 ? "+"
                                                              : "";
  if (t->range)
    snprintf(buf, n, "%s%g-%g%s", c, t->value, t->high, t->unit);
  else
    snprintf(buf, n, "%s%g%s%s", c, t->value, t->unit, t->bound ? "+" : "");
}

static void targets_text(const pp_compare *c, const pp_view *v, pp_buf *out, pp_arena *a) {
  size_t n, groups, np = pp_compare_plan_count(c);
  tref *r = collect_targets(c, a, &n, &groups);
  banner(out, a, "Targets that mean the same thing, by plan", v);
  for (size_t g = 1; g <= groups; g++) {
    pad(out, (size_t)v->width, '-');
    pp__buf_put(out, "\n", 1);
    for (size_t p = 0; p < np; p++)
      for (size_t i = 0; i < n; i++)
        if (r[i].group == g && r[i].plan == p) {
          char val[96];
          target_text(r[i].t, val, sizeof val);
          banner(out, a,
                 pp__printf(a, "%s %s: %s %s", pp__plan_name(a, pp__compare_doc(c, p)),
                            pp_compare_unit_path(c, p, r[i].unit), r[i].t->indicator, val),
                 v);
        }
  }
  pad(out, (size_t)v->width, '-');
  pp__buf_put(out, "\n", 1);
}

static void target_fields(pp_writer *w, const pp_compare *c, const tref *r) {
  char num[64];
  w->key(w, "plan");
  w->str(w, pp_doc_source(pp__compare_doc(c, r->plan)));
  w->key(w, "path");
  w->str(w, pp_compare_unit_path(c, r->plan, r->unit));
  w->key(w, "indicator");
  w->str(w, r->t->indicator);
  w->key(w, "comparator");
  w->str(w, r->t->comparator);
  w->key(w, "value");
  snprintf(num, sizeof num, "%g", r->t->value);
  w->lit(w, num);
  w->key(w, "unit");
  w->str(w, r->t->unit);
  w->key(w, "text");
  w->str(w, r->t->text);
}

static void targets_data(const pp_compare *c, pp_writer *w, pp_arena *a) {
  size_t n, groups;
  tref *r = collect_targets(c, a, &n, &groups);
  w->map_begin(w);
  plans(w, c);
  w->key(w, "groups");
  w->seq_begin(w, 0);
  for (size_t g = 1; g <= groups; g++) {
    w->map_begin(w);
    w->key(w, "members");
    w->seq_begin(w, 0);
    for (size_t i = 0; i < n; i++)
      if (r[i].group == g) {
        w->map_begin(w);
        target_fields(w, c, &r[i]);
        w->map_end(w);
      }
    w->seq_end(w);
    w->map_end(w);
  }
  w->seq_end(w);
  w->map_end(w);
}

/* CSV (or TSV): one row per target of every plan. */
static void targets_table(const pp_compare *c, char sep, pp_buf *out, pp_arena *a) {
  size_t n, groups;
  tref *r = collect_targets(c, a, &n, &groups);
  const char *head[] = {"plan", "region", "path", "indicator", "comparator", "value", "unit", "text"};
  for (int k = 0; k < 8; k++) {
    if (k)
      pp__buf_put(out, &sep, 1);
    pp__buf_puts(out, head[k]);
  }
  pp__buf_put(out, "\n", 1);
  for (size_t i = 0; i < n; i++) {
    const pp_doc *d = pp__compare_doc(c, r[i].plan);
    char num[64];
    snprintf(num, sizeof num, "%g", r[i].t->value);
    const char *cols[8] = {pp_doc_source(d), pp_doc_meta(d, "region"),
                           pp_compare_unit_path(c, r[i].plan, r[i].unit), r[i].t->indicator,
                           r[i].t->comparator, num, r[i].t->unit, r[i].t->text};
    for (int k = 0; k < 8; k++) {
      if (k)
        pp__buf_put(out, &sep, 1);
      pp__table_cell(out, cols[k], sep);
    }
    pp__buf_put(out, "\n", 1);
  }
}

char *pp_targets_render(const pp_compare *c, const pp_view *v, size_t *len, pp_error *err) {
  return render(c, TARGETS, -1, v, len, err);
}
