/* The lines before the first heading: a cover notice, a web page's header,
 * the title block, then the preamble.  The title is the last line there
 * that the grammar's title rule accepts; a line such as "2023 年工作要点"
 * continues the issuer line above it.  Everything up to the title is the
 * front matter (meta); what follows it is preamble. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static pp_kv *meta_put(pp_doc *d, const char *key, const char *value) {
  pp_kv *kv = NULL;
  for (size_t i = 0; i < d->nmeta && !kv; i++)
    if (strcmp(d->meta[i].key, key) == 0)
      kv = &d->meta[i];
  if (!kv) {
    d->meta = pp__grow(&d->arena, d->meta, d->nmeta, &d->capmeta, sizeof *d->meta);
    kv = &d->meta[d->nmeta++];
    kv->key = key;
  }
  kv->value = value;
  kv->items = NULL;
  kv->nitems = 0;
  return kv;
}

void pp__meta_set(pp_doc *d, const char *key, const char *value) { meta_put(d, key, value); }

void pp__meta_set_list(pp_doc *d, const char *key, const char *items) {
  pp_kv *kv = meta_put(d, key, items);
  size_t n = 1;
  for (const char *p = items; *p; p++)
    n += *p == '\n';
  kv->items = pp__alloc(&d->arena, n * sizeof *kv->items);
  for (const char *p = items;;) {
    size_t k = strcspn(p, "\n");
    kv->items[kv->nitems++] = pp__strndup(&d->arena, p, k);
    if (!p[k])
      break;
    p += k + 1;
  }
}

static int has_any(pp_span t, const char *const *needles) {
  for (const char *const *n = needles; *n; n++)
    if (pp__find(t, *n))
      return 1;
  return 0;
}

/* Does a title line read as the tail of a title broken over two lines
 * ("2023 年工作要点" under the issuers)? */
static int continues_above(pp_span t) {
  return t.n && ((t.s[0] >= '0' && t.s[0] <= '9') ||
                 (t.n >= 3 && memcmp(t.s, "年", 3) == 0) ||
                 ((unsigned char)t.s[0] == 0xEF && (unsigned char)t.s[1] == 0xBC &&
                  (unsigned char)t.s[2] >= 0x90 && (unsigned char)t.s[2] <= 0x99));
}

/* Could line p be the first half of a broken title: short, no sentence,
 * neither a date nor a document number? */
static int title_head(pp_span t) {
  static const char *const stops[] = {"。", "，", "：", ":", "〔", "[", "号", "日", NULL};
  return t.n > 0 && t.n <= 120 && !has_any(t, stops);
}

/* The grammar's rule for a meta key, or NULL. */
static const pp_rule *meta_rule(const pp_grammar *g, const char *key) {
  for (size_t r = 0; r < g->nmeta; r++)
    if (strcmp(g->meta[r].key, key) == 0)
      return &g->meta[r].rule;
  return NULL;
}

/* One fact per meta rule: the first front-matter line it matches.  A date
 * is written as ISO 8601 from its year, month and day groups. */
static void facts(pp_doc *d, const pp_grammar *g, const pp_lines *ls, size_t first,
                  size_t last, pp_matcher *m, pp_norm *nm) {
  for (size_t r = 0; r < g->nmeta; r++) {
    const pp_rule *rule = &g->meta[r].rule;
    if (pp_doc_meta(d, g->meta[r].key))
      continue; /* the front matter said it first */
    for (size_t i = first; i <= last; i++) {
      const pp_line *l = &ls->v[i];
      if (l->kind == PP_LINE_BLANK || l->kind == PP_LINE_REMOVED)
        continue;
      if (pp__normalize(nm, l->text.s, l->text.n))
        pp__oom(&d->arena);
      int rc = pp__match(m, rule, nm);
      if (rc == PP_MATCH_LIMIT) {
        pp__warn(d, l->no, "grammar %s: %s hit the match limit; no %s taken from this line",
                 g->name, rule->what, g->meta[r].key);
        continue;
      }
      if (rc != PP_MATCH_YES)
        continue;
      size_t s, e;
      const char *value = NULL;
      if (rule->g_year && rule->g_month && rule->g_day) {
        long ymd[3];
        int gs[3] = {rule->g_year, rule->g_month, rule->g_day};
        int ok = 1;
        for (int k = 0; k < 3; k++) {
          ok = ok && !pp__group(m, gs[k], &s, &e);
          ymd[k] = ok ? pp__numeral(nm->s + s, e - s, PP_NUM_ARABIC) : -1;
          if (ymd[k] < 0) /* 二〇二三年三月十五日 */
            ymd[k] = ok ? pp__numeral(nm->s + s, e - s, PP_NUM_CHINESE) : -1;
        }
        if (ok && ymd[0] >= 1900 && ymd[0] <= 2999 && ymd[1] >= 1 && ymd[1] <= 12 &&
            ymd[2] >= 1 && ymd[2] <= 31)
          value = pp__printf(&d->arena, "%04ld-%02ld-%02ld", ymd[0], ymd[1], ymd[2]);
      } else if (!pp__group(m, rule->g_value, &s, &e) && e > s) {
        size_t n;
        pp_span v = pp__norm_span(l->text.s, l->text.n, nm->len, s, e);
        const char *o = pp__trim(v.s, v.n, &n);
        if (n)
          value = pp__strndup(&d->arena, o, n);
      }
      if (value) {
        pp__meta_set(d, g->meta[r].key, value);
        break;
      }
    }
  }
}

/* The first "2023年" (four digits, optional spaces, 年) in s, or 0. */
static long year_in(const char *s) {
  for (const char *p = s; *p; p++) {
    if (!(p[0] >= '1' && p[0] <= '2'))
      continue;
    if (p > s && p[-1] >= '0' && p[-1] <= '9')
      continue;
    long y = 0;
    int k = 0;
    while (k < 4 && p[k] >= '0' && p[k] <= '9')
      y = y * 10 + (p[k++] - '0');
    if (k != 4 || (p[4] >= '0' && p[4] <= '9'))
      continue;
    const char *q = p + 4;
    while (*q == ' ')
      q++;
    if (strncmp(q, "年", 3) == 0 && y >= 1900 && y <= 2999)
      return y;
  }
  return 0;
}

/* ---- issuers and region ---------------------------------------------- */

static int is_han(uint32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }

static int is_unit(uint32_t c) {
  c = pp__simplified(c); /* 區, 縣 */
  return c == 0x5E02 /* 市 */ || c == 0x533A /* 区 */ || c == 0x53BF /* 县 */ ||
         c == 0x65D7 /* 旗 */ || c == 0x76DF /* 盟 */;
}

/* Splits a line of issuers ("中共X工委 X教育局") on runs of white space. */
static void add_issuers(pp_doc *d, const char *s, size_t n, pp_buf *list) {
  size_t i = 0;
  while (i < n) {
    int l;
    while (i < n && pp__is_space(pp__utf8_next(s + i, n - i, &l)))
      i += (size_t)l;
    size_t st = i;
    while (i < n && !pp__is_space(pp__utf8_next(s + i, n - i, &l)))
      i += (size_t)l;
    if (i > st) {
      pp__buf_put(list, s + st, i - st);
      pp__buf_put(list, "\n", 1);
    }
  }
  if (list->failed)
    pp__oom(&d->arena);
}

/* The administrative unit an issuer belongs to: "中共忻州市教育系统工委" ->
 * 忻州市; "银川市金凤区教育局" -> 金凤区 (the innermost named unit). */
static const char *region_of(pp_doc *d, const char *s) {
  if (strncmp(s, "中共", 6) == 0)
    s += 6;
  size_t n = strlen(s), i = 0, best_s = 0, best_e = 0, start = 0;
  int chars = 0;
  while (i < n) {
    int l;
    uint32_t c = pp__utf8_next(s + i, n - i, &l);
    if (!is_han(c))
      break;
    i += (size_t)l;
    chars++;
    if (is_unit(c) && chars >= 3) {
      best_s = start;
      best_e = i;
      start = i;
      chars = 0;
    } else if (chars > 7)
      break;
  }
  return best_e ? pp__strndup(&d->arena, s + best_s, best_e - best_s) : NULL;
}

/* Does the word end in a character that makes "…市" generic rather than a
 * name: 全市, 我市, 本市, 各市, 城市, 省市 …? */
static int generic_before(const char *w, size_t n) {
  static const char *const stops[] = {"全", "我", "本", "各", "该", "城", "都", "超", "门",
                                      "省", "县", "股", "上", "入", "夜", "集", "跨", "与",
                                      "和", "及", "的", NULL};
  size_t k = n;
  while (k > 0 && ((unsigned char)w[k - 1] & 0xC0) == 0x80)
    k--;
  if (k > 0)
    k--;
  for (const char *const *s = stops; *s; s++)
    if (n - k == strlen(*s) && memcmp(w + k, *s, n - k) == 0)
      return 1;
  return 0;
}

/* Appends text and a newline to b, without growing b past budget. */
static void take(pp_buf *b, const char *text, size_t budget) {
  size_t n = strlen(text);
  if (n > budget - b->len)
    n = budget - b->len;
  pp__buf_put(b, text, n);
  pp__buf_put(b, "\n", 1);
}

/* With no issuer to go by, a place the text names: a word "X市" starting
 * at a word boundary ("《吕梁市教育督导…》"), not a generic one (全市,
 * 我市), whose name X the text repeats most often on its own (吕梁思政,
 * 吕梁特色 …).  Only the first 256 KiB of text is read. */
static const char *region_in_text(pp_doc *d) {
  enum { MAXC = 64, BUDGET = 256 * 1024 };
  const char *cand[MAXC];
  long score[MAXC];
  int nc = 0;
  pp_buf all = {0};
  pp__defer(&d->arena, pp__buf_release, &all);
  for (size_t i = 0; i < d->npreamble && all.len < BUDGET; i++)
    take(&all, d->preamble[i].text, BUDGET);
  pp_iter it;
  pp_iter_init(&it, d);
  const pp_node *node;
  while (all.len < BUDGET && (node = pp_iter_next(&it, NULL)))
    take(&all, node->text, BUDGET);
  if (all.failed)
    pp__oom(&d->arena);
  const char *t = all.p ? all.p : "";
  size_t n = all.len;
  uint32_t prev = 0;
  for (size_t i = 0; i < n;) {
    int l;
    uint32_t c = pp__utf8_next(t + i, n - i, &l);
    if (is_han(c) && !is_han(prev)) {
      size_t j = i + (size_t)l;
      for (int k = 1; j < n && k < 4; k++) {
        int l2;
        uint32_t c2 = pp__utf8_next(t + j, n - j, &l2);
        if (!is_han(c2))
          break;
        if (k >= 2 && c2 == 0x5E02 /* 市 */ && !generic_before(t + i, j - i)) {
          const char *w = pp__strndup(&d->arena, t + i, j - i);
          int seen = 0;
          for (int q = 0; q < nc; q++)
            seen |= strcmp(cand[q], w) == 0;
          if (!seen && nc < MAXC)
            cand[nc++] = w;
          break;
        }
        j += (size_t)l2;
      }
    }
    prev = c;
    i += (size_t)l;
  }
  int best = -1;
  for (int q = 0; q < nc; q++) {
    score[q] = 0;
    size_t k = strlen(cand[q]);
    for (const char *p = t; (p = strstr(p, cand[q])); p += k)
      score[q]++;
    if (best < 0 || score[q] > score[best])
      best = q;
  }
  pp__undefer(&d->arena, &all);
  free(all.p);
  return best >= 0 && score[best] >= 2 ? pp__printf(&d->arena, "%s市", cand[best]) : NULL;
}

static void issuers_and_region(pp_doc *d, const pp_lines *ls, size_t first, size_t title,
                               const char *head) {
  pp_buf list = {0};
  pp__defer(&d->arena, pp__buf_release, &list);
  /* The signature block: short lines without punctuation just above the
   * signing date. */
  const char *date = pp_doc_meta(d, "date");
  size_t at = title + 1;
  for (size_t i = first; date && i < title; i++)
    if (ls->v[i].kind != PP_LINE_BLANK && ls->v[i].kind != PP_LINE_REMOVED &&
        year_in(pp__strndup(&d->arena, ls->v[i].text.s, ls->v[i].text.n)) &&
        ls->v[i].text.n <= 40 && pp__find(ls->v[i].text, "日"))
      at = i;
  if (at <= title) {
    size_t top = at;
    while (top > first) {
      const pp_line *l = &ls->v[top - 1];
      if (l->kind == PP_LINE_BLANK || l->kind == PP_LINE_REMOVED) {
        top--;
        continue;
      }
      if (!title_head(l->text) || l->text.n > 160)
        break;
      top--;
    }
    for (size_t i = top; i < at; i++)
      if (ls->v[i].kind == PP_LINE_BODY)
        add_issuers(d, ls->v[i].text.s, ls->v[i].text.n, &list);
  }
  if (!list.len && head)
    add_issuers(d, head, strlen(head), &list);
  const char *t = pp_doc_meta(d, "title");
  if (!list.len && t) {
    /* "瓦房店市教育局2023年工作要点": who speaks is what precedes the year. */
    size_t n = strlen(t), cut = n;
    for (size_t i = 0; i + 4 <= n; i++)
      if (t[i] >= '0' && t[i] <= '9') {
        cut = i;
        break;
      }
    if (cut < n && cut > 0)
      add_issuers(d, t, cut, &list);
  }
  if (list.len) {
    pp__meta_set_list(d, "issuers", pp__strndup(&d->arena, list.p, list.len - 1));
    const char *r = region_of(d, pp__strndup(&d->arena, list.p, strcspn(list.p, "\n")));
    if (r)
      pp__meta_set(d, "region", r);
  }
  pp__undefer(&d->arena, &list);
  free(list.p);
}

void pp__meta_year(pp_doc *d) {
  const char *title = pp_doc_meta(d, "title");
  const char *date = pp_doc_meta(d, "date");
  long y = title ? year_in(title) : 0;
  if (!y && date)
    y = strtol(date, NULL, 10);
  /* A report without a title names its year early: "明确了2022年…". */
  for (size_t i = 0; !y && i < d->npreamble; i++)
    y = year_in(d->preamble[i].text);
  d->year = y;
  if (!pp_doc_meta(d, "region")) {
    const char *r = region_in_text(d);
    if (r)
      pp__meta_set(d, "region", r);
  }
}

/* The index just past the last line before i that has text. */
static size_t skip_back(const pp_lines *ls, size_t i) {
  while (i > 0 && (ls->v[i - 1].kind == PP_LINE_BLANK || ls->v[i - 1].kind == PP_LINE_REMOVED))
    i--;
  return i;
}

/* Issuer lines and a date after the last heading's text close the plan
 * like a letter; they say who issued it and when, so they go to meta. */
void pp__signature(pp_doc *d, const pp_grammar *g, pp_lines *ls, size_t end, pp_matcher *m,
                   pp_norm *nm) {
  const pp_rule *date = meta_rule(g, "date"), *pub = meta_rule(g, "publicity");
  size_t i = skip_back(ls, end);
  if (!date || i == 0)
    return;
  size_t last = i - 1, first;
  /* An optional publicity note, then the date, then issuer lines. */
  if (pub && pp__normalize(nm, ls->v[last].text.s, ls->v[last].text.n) == 0 &&
      pp__match(m, pub, nm) == PP_MATCH_YES && last > 0) {
    i = skip_back(ls, last);
    if (i == 0)
      return;
  }
  size_t dl = i - 1;
  if (ls->v[dl].kind != PP_LINE_BODY || pp__normalize(nm, ls->v[dl].text.s, ls->v[dl].text.n) ||
      pp__match(m, date, nm) != PP_MATCH_YES)
    return;
  first = dl;
  i = dl;
  for (int k = 0; k < 3; k++) {
    i = skip_back(ls, i);
    if (i == 0 || ls->v[i - 1].kind != PP_LINE_BODY || !title_head(ls->v[i - 1].text) ||
        ls->v[i - 1].text.n > 60)
      break;
    first = --i;
  }
  if (first == dl)
    return; /* a date alone closes no plan: it may be a sentence's */
  facts(d, g, ls, dl, last, m, nm);
  pp_buf list = {0};
  pp__defer(&d->arena, pp__buf_release, &list);
  for (size_t k = first; k < dl; k++)
    if (ls->v[k].kind == PP_LINE_BODY)
      add_issuers(d, ls->v[k].text.s, ls->v[k].text.n, &list);
  if (list.len && !pp_doc_meta(d, "issuers"))
    pp__meta_set_list(d, "issuers", pp__strndup(&d->arena, list.p, list.len - 1));
  pp__undefer(&d->arena, &list);
  free(list.p);
  if (!pp_doc_meta(d, "region") && pp_doc_meta(d, "issuers")) {
    const char *is = pp_doc_meta(d, "issuers");
    const char *r = region_of(d, pp__strndup(&d->arena, is, strcspn(is, "\n")));
    if (r)
      pp__meta_set(d, "region", r);
  }
  for (size_t k = first; k <= last; k++)
    if (ls->v[k].kind == PP_LINE_BODY)
      ls->v[k].kind = PP_LINE_META;
  d->sign_first = ls->v[first].no;
  d->sign_last = ls->v[last].no;
}

size_t pp__front_matter(pp_doc *d, const pp_grammar *g, const pp_lines *ls, size_t end,
                        pp_matcher *m, pp_norm *nm) {
  size_t first = end, title = end;
  for (size_t i = 0; i < end; i++) {
    const pp_line *l = &ls->v[i];
    if (l->kind == PP_LINE_BLANK || l->kind == PP_LINE_REMOVED)
      continue;
    if (first == end)
      first = i;
  }
  if (first == end || !g->title)
    return 0;
  for (size_t i = end; i-- > first;) {
    const pp_line *l = &ls->v[i];
    if (l->kind == PP_LINE_BLANK || l->kind == PP_LINE_REMOVED)
      continue;
    if (pp__normalize(nm, l->text.s, l->text.n))
      pp__oom(&d->arena);
    int rc = pp__match(m, g->title, nm);
    if (rc == PP_MATCH_LIMIT)
      pp__warn(d, l->no, "grammar %s: %s hit the match limit; line not taken as the title",
               g->name, g->title->what);
    if (rc == PP_MATCH_YES) {
      title = i;
      break;
    }
  }
  if (title == end)
    return 0;
  facts(d, g, ls, first, title, m, nm);
  const pp_line *t = &ls->v[title];
  const char *value = pp__strndup(&d->arena, t->text.s, t->text.n), *head = NULL;
  if (continues_above(t->text)) {
    size_t p = title;
    while (p-- > first && (ls->v[p].kind == PP_LINE_BLANK || ls->v[p].kind == PP_LINE_REMOVED))
      ;
    if (p < title && p >= first && title_head(ls->v[p].text)) {
      head = pp__strndup(&d->arena, ls->v[p].text.s, ls->v[p].text.n);
      value = pp__printf(&d->arena, "%s %s", head, value);
    }
  }
  pp__meta_set(d, "title", value);
  issuers_and_region(d, ls, first, title, head);
  d->meta_first = ls->v[first].no;
  d->meta_last = t->no;
  return title + 1;
}
