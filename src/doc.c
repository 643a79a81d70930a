/* pp_doc_parse runs the stages in order, and the accessors read the result.
 * An allocation failure anywhere inside unwinds here through the arena's
 * pp_unwind, which first frees the half-built document whole. */
#include <stdlib.h>
#include <string.h>

#include "icu.h"
#include "internal.h"

const char *pp_version(void) { return PP_VERSION; }

void pp_cleanup(void) {
  if (pp__icu_loaded())
    ICU(u_cleanup)();
}

/* The grammar that recognises most of the document; ties go to the one
 * loaded first, so a user's directory can shadow the shipped grammars. */
static const pp_grammar *choose(const pp_grammars *set, const pp_lines *ls, pp_matcher *m) {
  const pp_grammar *best = NULL;
  long best_score = -1;
  for (size_t i = 0; i < pp_grammars_count(set); i++) {
    const pp_grammar *g = pp_grammars_at(set, i);
    long s = pp__score(g, ls, m);
    if (s > best_score) {
      best = g;
      best_score = s;
    }
  }
  return best;
}

/* Adds to hits[t] each match of theme t in s, one scan for all themes. */
static void scan_themes(pp_matcher *m, const pp_grammar *th, const char *s, int *hits,
                        size_t *last_end) {
  if (th->words) {
    pp__words_scan(th->words, s, hits, last_end, th->nthemes);
    return;
  }
  size_t n = strlen(s), off = 0;
  pp_norm v;
  memset(&v, 0, sizeof v);
  while (off <= n) {
    v.s = (char *)s + off;
    v.len = n - off;
    if (pp__match(m, th->all_themes, &v) != PP_MATCH_YES)
      break;
    size_t a, b;
    for (size_t t = 0; t < th->nthemes; t++)
      if (!pp__group(m, th->theme_group[t], &a, &b)) {
        hits[t]++;
        break;
      }
    pp__group(m, 0, &a, &b);
    if (b > a) {
      off += b;
    } else { /* an empty match: step over one whole character */
      int l = 1;
      if (off + a < n)
        pp__utf8_next(s + off + a, n - off - a, &l);
      off += a + (size_t)l;
    }
  }
}

/* Every node's themes: a pattern in its title, or twice in its text. */
static void tag_themes(pp_doc *d, const pp_grammar *th, pp_matcher *m) {
  int *title = pp__alloc(&d->arena, (th->nthemes + 1) * sizeof *title);
  int *text = pp__alloc(&d->arena, (th->nthemes + 1) * sizeof *text);
  size_t *last_end = pp__alloc(&d->arena, (th->nthemes + 1) * sizeof *last_end);
  pp_iter it;
  pp_iter_init(&it, d);
  pp_node *n;
  while ((n = (pp_node *)pp_iter_next(&it, NULL))) {
    memset(title, 0, th->nthemes * sizeof *title);
    memset(text, 0, th->nthemes * sizeof *text);
    scan_themes(m, th, n->title, title, last_end);
    scan_themes(m, th, n->text, text, last_end);
    size_t k = 0;
    for (size_t t = 0; t < th->nthemes; t++)
      k += title[t] || text[t] >= 2;
    if (!k)
      continue;
    const char **v = pp__alloc(&d->arena, k * sizeof *v);
    for (size_t t = 0; t < th->nthemes; t++)
      if (title[t] || text[t] >= 2)
        v[n->nthemes++] = th->themes[t].name;
    n->themes = v;
  }
}

typedef struct parse_state {
  pp_doc *doc;
  pp_matcher m;
  pp_norm nm;
  pp_arena scratch;
} parse_state;

static void state_free(void *p) {
  parse_state *st = p;
  pp__matcher_free(&st->m);
  pp__norm_free(&st->nm);
  pp__arena_free(&st->scratch);
}

static void doc_release(void *p) {
  pp_doc *d = p;
  free(d->adopted);
  pp_arena a = d->arena; /* d lives in its own arena */
  pp__arena_free(&a);
}

pp_doc *pp_doc_parse(const char *data, size_t len, const pp_options *opt,
                     pp_error *err) {
  pp_unwind un;
  parse_state st;
  memset(&st, 0, sizeof st);
  un.n = 0;
  const char *source = opt->source ? opt->source : "-";
  /* Everything to release is registered with un and released by pp__oom
   * before it jumps, so nothing here is read after the jump. */
  /* An adopted input is freed on every way out: with the document, on
   * failure, or as soon as it is decoded into a copy. */
  void *adopted = opt->adopt ? (void *)data : NULL;
  if (setjmp(un.jb)) {
    pp__error(err, PP_ERR_NOMEM, source, 0, "out of memory");
    return NULL;
  }
  pp_arena a = {0};
  a.oom = &un;
  if (adopted)
    pp__defer(&a, free, adopted);
  pp_doc *d = pp__alloc(&a, sizeof *d);
  d->arena = a; /* from here the document owns its arena */
  if (adopted) {
    pp__undefer(&d->arena, adopted);
    d->adopted = adopted; /* doc_release frees it */
    ((char *)adopted)[len] = 0;
  }
  pp__defer(&d->arena, doc_release, d);
  st.scratch.oom = &un;
  pp__defer(&d->arena, state_free, &st);
  if (pp__matcher_init(&st.m))
    pp__oom(&d->arena);
  d->source = pp__strdup(&d->arena, source);

  if (!opt->grammars || (!opt->grammar && pp_grammars_count(opt->grammars) == 0)) {
    pp__error(err, PP_ERR_GRAMMAR, source, 0, "no grammar loaded");
    goto fail;
  }
  size_t tlen, bad;
  const char *enc;
  char *text = pp__decode(&st.scratch, &d->arena, data, len, adopted != NULL, opt->encoding,
                          opt->lossy, source, &tlen, &enc, &bad, err);
  if (!text)
    goto fail;
  if (adopted && ((uintptr_t)text < (uintptr_t)adopted ||
                  (uintptr_t)text > (uintptr_t)adopted + len)) {
    free(adopted); /* decoded into a copy: the input is no longer needed */
    d->adopted = NULL;
  }
  d->encoding = enc;
  if (bad)
    pp__warn(d, 0, "%zu invalid byte sequence%s replaced by U+FFFD", bad, bad > 1 ? "s" : "");

  /* Line texts point into `text`, in the document's arena, so the strings
   * the tree borrows live as long as the document. */
  if (opt->simplify) {
    text = pp__simplify_text(&d->arena, text, tlen, &tlen, err, source);
    if (!text)
      goto fail;
    free(d->adopted); /* read from the simplified copy from here on */
    d->adopted = NULL;
  }
  pp_lines ls;
  pp__split_lines(&st.scratch, text, tlen, &ls);
  pp__heads(&st.scratch, &ls, &st.nm);

  const pp_grammar *g = opt->grammar ? opt->grammar : choose(opt->grammars, &ls, &st.m);
  d->grammar = g->name;
  if (pp__classify(d, g, &ls, &st.m, &st.nm, err))
    goto fail;
  pp__build(d, g, &ls, &st.m, &st.nm);
  if (pp__set_themes(opt->grammars))
    tag_themes(d, pp__set_themes(opt->grammars), &st.m);
  {
    pp_iter it;
    pp_node *n;
    pp_iter_init(&it, d);
    while ((n = (pp_node *)pp_iter_next(&it, NULL)))
      pp__targets(d, n);
  }
  pp__undefer(&d->arena, &st);
  pp__undefer(&d->arena, d);
  state_free(&st);
  d->arena.oom = NULL;
  return d;

fail:
  pp__undefer(&d->arena, &st);
  pp__undefer(&d->arena, d);
  state_free(&st);
  doc_release(d);
  return NULL;
}

void pp_doc_free(pp_doc *d) {
  if (d)
    doc_release(d);
}

const char *pp_doc_source(const pp_doc *d) { return d->source; }
const char *pp_doc_encoding(const pp_doc *d) { return d->encoding; }
const char *pp_doc_grammar(const pp_doc *d) { return d->grammar; }
const pp_node *pp_doc_first_child(const pp_doc *d) { return d->first; }
long pp_doc_year(const pp_doc *d) { return d->year; }
size_t pp_doc_warning_count(const pp_doc *d) { return d->nwarnings; }
size_t pp_doc_repair_count(const pp_doc *d) { return d->nrepairs; }
size_t pp_doc_removed_count(const pp_doc *d) { return d->nremoved; }
size_t pp_doc_appendix_count(const pp_doc *d) { return d->nappendix; }

const char *pp_doc_meta(const pp_doc *d, const char *key) {
  for (size_t i = 0; i < d->nmeta; i++)
    if (strcmp(d->meta[i].key, key) == 0)
      return d->meta[i].value;
  return NULL;
}

const char *pp_node_kind(const pp_node *n) { return n->kind; }
const char *pp_node_label(const pp_node *n) { return n->label; }
long pp_node_number(const pp_node *n) { return n->number; }
const char *pp_node_title(const pp_node *n) { return n->title; }
const char *pp_node_text(const pp_node *n) { return n->text; }
long pp_node_first_line(const pp_node *n) { return n->first; }
long pp_node_last_line(const pp_node *n) { return n->last; }
const pp_node *pp_node_parent(const pp_node *n) { return n->parent; }
const pp_node *pp_node_first_child(const pp_node *n) { return n->first_child; }
const pp_node *pp_node_next(const pp_node *n) { return n->next; }
size_t pp_node_field_count(const pp_node *n) { return n->nfields; }
size_t pp_node_theme_count(const pp_node *n) { return n->nthemes; }
const char *pp_node_theme(const pp_node *n, size_t i) {
  return i < n->nthemes ? n->themes[i] : NULL;
}
const char *pp_node_field_name(const pp_node *n, size_t i) {
  return i < n->nfields ? n->fields[i].name : NULL;
}
size_t pp_node_field_value_count(const pp_node *n, size_t i) {
  return i < n->nfields ? n->fields[i].n : 0;
}
const char *pp_node_field_value(const pp_node *n, size_t i, size_t j) {
  return i < n->nfields && j < n->fields[i].n ? n->fields[i].values[j] : NULL;
}

void pp_iter_init(pp_iter *it, const pp_doc *d) {
  it->next = d->first;
  it->depth = 0;
}

const pp_node *pp_iter_next(pp_iter *it, int *depth) {
  const pp_node *n = it->next;
  if (!n)
    return NULL;
  if (depth)
    *depth = it->depth;
  if (n->first_child) {
    it->next = n->first_child;
    it->depth++;
  } else {
    const pp_node *p = n;
    while (p && !p->next) {
      p = p->parent;
      it->depth--;
    }
    it->next = p ? p->next : NULL;
  }
  return n;
}
