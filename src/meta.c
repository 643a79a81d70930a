/* The lines before the first heading: a cover notice, a web page's header,
 * the title block, then the preamble.  The title is the last line there
 * that the grammar's title rule accepts; a line such as "2023 年工作要点"
 * continues the issuer line above it.  Everything up to the title is the
 * front matter (meta); what follows it is preamble. */
#include <string.h>

#include "internal.h"

void pp__meta_set(pp_doc *d, const char *key, const char *value) {
  for (size_t i = 0; i < d->nmeta; i++)
    if (strcmp(d->meta[i].key, key) == 0) {
      d->meta[i].value = value;
      return;
    }
  d->meta = pp__grow(&d->arena, d->meta, d->nmeta, &d->capmeta, sizeof *d->meta);
  d->meta[d->nmeta].key = key;
  d->meta[d->nmeta++].value = value;
}

static int has_any(pp_span t, const char *const *needles) {
  for (const char *const *n = needles; *n; n++) {
    size_t k = strlen(*n);
    for (size_t i = 0; i + k <= t.n; i++)
      if (memcmp(t.s + i, *n, k) == 0)
        return 1;
  }
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

size_t pp__front_matter(pp_doc *d, const pp_grammar *g, const pp_lines *ls, size_t end) {
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
  pp_matcher m;
  pp_norm nm = {0};
  if (pp__matcher_init(&m))
    pp__oom(&d->arena);
  for (size_t i = end; i-- > first;) {
    const pp_line *l = &ls->v[i];
    if (l->kind == PP_LINE_BLANK || l->kind == PP_LINE_REMOVED)
      continue;
    if (pp__normalize(&nm, l->text.s, l->text.n)) {
      pp__matcher_free(&m);
      pp__oom(&d->arena);
    }
    /* A title rule at its match limit is no title: the classify pass has
     * already run every rule of this grammar's levels on these lines. */
    if (pp__match(&m, g->title, nm.s, nm.len) == PP_MATCH_YES) {
      title = i;
      break;
    }
  }
  pp__norm_free(&nm);
  pp__matcher_free(&m);
  if (title == end)
    return 0;
  const pp_line *t = &ls->v[title];
  const char *value = pp__strndup(&d->arena, t->text.s, t->text.n);
  if (continues_above(t->text)) {
    size_t p = title;
    while (p-- > first && (ls->v[p].kind == PP_LINE_BLANK || ls->v[p].kind == PP_LINE_REMOVED))
      ;
    if (p < title && p >= first && title_head(ls->v[p].text))
      value = pp__printf(&d->arena, "%.*s %s", (int)ls->v[p].text.n, ls->v[p].text.s, value);
  }
  pp__meta_set(d, "title", value);
  d->meta_first = ls->v[first].no;
  d->meta_last = t->no;
  return title + 1;
}
