/* Stage 3: each line against the grammar.  A line is boilerplate (removed
 * in whole or in part), a heading of some level, a field, the start of an
 * appendix article, or body text.  Rules see the normalised view; what they
 * capture is mapped back to the document's own characters. */
#include <string.h>

#include "internal.h"

typedef struct hit {
  int kind, level;
  pp_span label, num, title;
} hit;

/* Group g of the last match on head, in the line's own characters. */
static pp_span group(const pp_matcher *m, const pp_norm *head, pp_span orig, int g) {
  size_t s, e;
  pp_span none = {orig.s, 0};
  if (g <= 0 || pp__group(m, g, &s, &e)) /* 0: the rule has no such group */
    return none;
  pp_span sp = pp__norm_span(orig.s, orig.n, head->len, s, e);
  sp.s = pp__trim(sp.s, sp.n, &sp.n);
  return sp;
}

/* Does t hold anything but bold markers and spaces? */
static int has_content(pp_span t) {
  for (size_t i = 0; i < t.n; i++)
    if (t.s[i] != '*' && t.s[i] != ' ')
      return 1;
  return 0;
}

static int limit_error(pp_error *err, const pp_grammar *g, const pp_rule *r,
                       const char *source, long line) {
  pp__error(err, PP_ERR_GRAMMAR, g->path, r->line,
            "%s: pattern hit the match limit on %s line %ld", r->what,
            source ? source : "input", line);
  return -1;
}

/* Classifies a line by its head.  With spans, what the rules capture is
 * read back in the document's own characters; without (scoring), only the
 * kind is wanted. */
static int classify_text(const pp_grammar *g, pp_matcher *m, const pp_norm *head,
                         pp_span orig, int in_appendix, int spans, hit *h,
                         const pp_rule **failed) {
  int rc;
  memset(h, 0, sizeof *h);
  h->kind = PP_LINE_BODY;
  if (g->article) {
    if ((rc = pp__match(m, g->article, head)) == PP_MATCH_LIMIT)
      return *failed = g->article, -1;
    if (rc == PP_MATCH_YES) {
      h->kind = PP_LINE_ARTICLE;
      if (spans)
        h->title = group(m, head, orig, g->article->g_title);
      return 0;
    }
  }
  if (in_appendix)
    return 0;
  for (size_t i = 0; i < g->nlevels; i++)
    for (size_t j = 0; j < g->levels[i].nrules; j++) {
      const pp_rule *r = &g->levels[i].rules[j];
      if ((rc = pp__match(m, r, head)) == PP_MATCH_LIMIT)
        return *failed = r, -1;
      if (rc != PP_MATCH_YES)
        continue;
      size_t ts, te;
      pp_span t = {head->s, 0};
      if (!pp__group(m, r->g_title, &ts, &te))
        t = (pp_span){head->s + ts, te - ts};
      if (!has_content(t))
        continue; /* a bare label is no heading */
      if (spans) {
        h->title = group(m, head, orig, r->g_title);
        h->label = group(m, head, orig, r->g_label);
        h->num = r->g_num ? group(m, head, orig, r->g_num) : h->label;
      }
      h->kind = PP_LINE_HEAD;
      h->level = (int)i;
      return 0;
    }
  for (size_t i = 0; i < g->nfields; i++) {
    const pp_rule *r = &g->fields[i].rule;
    if ((rc = pp__match(m, r, head)) == PP_MATCH_LIMIT)
      return *failed = r, -1;
    if (rc == PP_MATCH_YES) {
      h->kind = PP_LINE_FIELD;
      h->level = (int)i;
      if (spans)
        h->title = group(m, head, orig, r->g_value);
      return 0;
    }
  }
  return 0;
}

static void note_removed(pp_doc *d, long line, pp_span text, const char *why) {
  d->removed = pp__grow(&d->arena, d->removed, d->nremoved, &d->capremoved,
                        sizeof *d->removed);
  pp_note *r = &d->removed[d->nremoved++];
  r->line = line;
  r->text = pp__strndup(&d->arena, text.s, text.n);
  r->kind = why;
}

/* Removes boilerplate from line l: the whole line, or the matched part.
 * Returns 1 when nothing of the line is left. */
static int strip_boilerplate(pp_doc *d, const pp_grammar *g, pp_line *l,
                             pp_matcher *m, pp_norm *nm, const pp_rule **failed) {
  pp_norm view = pp__head_view(l);
  for (size_t i = 0; i < g->nboiler; i++) {
    const pp_rule *r = &g->boiler[i].rule;
    int rc = pp__match(m, r, &view);
    if (rc == PP_MATCH_LIMIT)
      return *failed = r, -1;
    if (rc != PP_MATCH_YES)
      continue;
    size_t s, e;
    if (pp__group(m, 0, &s, &e) || s == e)
      continue; /* an empty match removes nothing */
    pp_span cut = pp__norm_span(l->text.s, l->text.n, view.len, s, e);
    size_t before = (size_t)(cut.s - l->text.s), restn;
    const char *head = pp__trim(l->text.s, before, &before);
    const char *rest = pp__trim(cut.s + cut.n, (size_t)(l->text.s + l->text.n - (cut.s + cut.n)),
                                &restn);
    if (!before && !restn) {
      note_removed(d, l->no, l->text, g->boiler[i].reason);
      l->kind = PP_LINE_REMOVED;
      return 1;
    }
    cut.s = pp__trim(cut.s, cut.n, &cut.n);
    note_removed(d, l->no, cut, g->boiler[i].reason);
    char *t = pp__alloc(&d->arena, before + restn + 2);
    memcpy(t, head, before);
    memcpy(t + before, rest, restn);
    l->text.s = pp__trim(t, before + restn, &l->text.n);
    if (pp__normalize(nm, l->text.s, l->text.n))
      pp__oom(&d->arena);
    l->head = pp__strndup(&d->arena, nm->s, nm->len);
    l->headn = (uint32_t)nm->len;
    l->headtrunc = (unsigned char)nm->truncated;
    view = pp__head_view(l);
    i = (size_t)-1; /* the shorter line may hold more boilerplate */
  }
  return 0;
}

int pp__classify(pp_doc *d, const pp_grammar *g, pp_lines *ls, pp_matcher *m,
                 pp_norm *nm, pp_error *err) {
  int in_appendix = 0;
  for (size_t i = 0; i < ls->n; i++) {
    pp_line *l = &ls->v[i];
    const pp_rule *failed = NULL;
    if (l->kind == PP_LINE_BLANK)
      continue;
    if (!has_content(l->text)) {
      /* A stray "**": markup with nothing to mark. */
      note_removed(d, l->no, l->text, "markup only");
      l->kind = PP_LINE_REMOVED;
      continue;
    }
    /* Past the lines the grammars were scored on, no head is stored: the
     * line is normalised here, and its head is nm's text
     * until the line is done. */
    int lent = !l->head;
    if (lent) {
      if (pp__normalize(nm, l->text.s, l->text.n))
        pp__oom(&d->arena);
      l->head = nm->s;
      l->headn = (uint32_t)nm->len;
      l->headtrunc = (unsigned char)nm->truncated;
    }
    int rc = strip_boilerplate(d, g, l, m, nm, &failed);
    if (rc < 0)
      return limit_error(err, g, failed, d->source, l->no);
    if (rc > 0) {
      if (lent && l->head == nm->s)
        l->head = NULL;
      continue;
    }
    hit h;
    pp_norm head = pp__head_view(l);
    rc = classify_text(g, m, &head, l->text, in_appendix, 1, &h, &failed);
    if (rc)
      return limit_error(err, g, failed, d->source, l->no);
    l->kind = h.kind;
    l->level = h.level;
    l->label = h.label;
    l->num = h.num;
    l->title = h.title;
    if (h.kind == PP_LINE_ARTICLE)
      in_appendix = 1;
    if (lent && l->head == nm->s)
      l->head = NULL;
  }
  return 0;
}

long pp__score(const pp_grammar *g, const pp_lines *ls, pp_matcher *m) {
  /* The first lines tell the layout. */
  long score = 0;
  int in_appendix = 0;
  for (size_t i = 0, seen = 0; i < ls->n && seen < PP_SCORE_LINES; i++) {
    const pp_line *l = &ls->v[i];
    if (l->kind == PP_LINE_BLANK)
      continue;
    seen++;
    hit h;
    const pp_rule *failed;
    pp_norm head = pp__head_view(l);
    /* A rule at its limit counts as no evidence here; if this grammar is
     * chosen, classification reports the limit properly. */
    int rc = classify_text(g, m, &head, l->text, in_appendix, 0, &h, &failed);
    if (rc)
      continue;
    if (h.kind == PP_LINE_ARTICLE)
      in_appendix = 1;
    score += h.kind == PP_LINE_HEAD || h.kind == PP_LINE_FIELD || h.kind == PP_LINE_ARTICLE;
  }
  return score;
}
