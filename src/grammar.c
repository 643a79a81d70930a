#define _POSIX_C_SOURCE 200809L
/* Grammar files: YAML -> compiled PCRE2 rules.  Grammar files come from
 * users, so the reader is defensive: libyaml's event parser with our own
 * caps on size and nesting (its loader is quadratic on deep flow nesting),
 * no aliases, every key checked, every pattern compiled with a match limit
 * and \C forbidden. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "internal.h"

enum { MAX_GRAMMAR_BYTES = 1 << 20, MAX_DEPTH = 16, MATCH_LIMIT = 100000, MAX_LEVELS = 32 };

/* ---- a small YAML tree ------------------------------------------------ */

enum { Y_SCALAR, Y_SEQ, Y_MAP };
typedef struct ynode {
  int type;
  const char *value; /* scalars */
  long line;
  struct ynode **kids; /* seq items; maps alternate key, value */
  size_t n, cap;
} ynode;

typedef struct loader {
  pp_arena *a;
  const char *file;
  pp_error *err;
} loader;

/* The parser and the event in hand, released if an allocation fails while
 * they are live. */
typedef struct yreader {
  yaml_parser_t p;
  yaml_event_t ev;
  int has_ev;
} yreader;

static void yreader_release(void *r) {
  yreader *y = r;
  if (y->has_ev)
    yaml_event_delete(&y->ev);
  yaml_parser_delete(&y->p);
}

/* Reads events into a ynode tree, releasing the parser on every path: on
 * return here, or through pp__oom if an allocation fails meanwhile. */
static ynode *yload(loader *L, const char *data, size_t len) {
  yreader y;
  ynode *stack[MAX_DEPTH + 1];
  int depth = 0, fail = 0;
  ynode *root = NULL;
  y.has_ev = 0;
  if (!yaml_parser_initialize(&y.p)) {
    pp__error(L->err, PP_ERR_NOMEM, L->file, 0, "out of memory");
    return NULL;
  }
  pp__defer(L->a, yreader_release, &y);
  yaml_parser_set_input_string(&y.p, (const unsigned char *)data, len);
  for (int done = 0; !done && !fail;) {
    if (!yaml_parser_parse(&y.p, &y.ev)) {
      if (y.p.error == YAML_MEMORY_ERROR) {
        pp__error(L->err, PP_ERR_NOMEM, L->file, 0, "out of memory");
        fail = 1;
        break;
      }
      pp__error(L->err, PP_ERR_GRAMMAR, L->file, (long)y.p.problem_mark.line + 1,
                "not valid YAML: %s", y.p.problem ? y.p.problem : "parse error");
      L->err->column = (long)y.p.problem_mark.column + 1;
      fail = 1;
      break;
    }
    y.has_ev = 1;
    long line = (long)y.ev.start_mark.line + 1;
    ynode *nd = NULL;
    switch (y.ev.type) {
    case YAML_STREAM_END_EVENT:
      done = 1;
      break;
    case YAML_ALIAS_EVENT:
      pp__error(L->err, PP_ERR_GRAMMAR, L->file, line,
                "aliases are not allowed in grammar files");
      fail = 1;
      break;
    case YAML_SCALAR_EVENT:
      nd = pp__alloc(L->a, sizeof *nd);
      nd->type = Y_SCALAR;
      nd->value = pp__strndup(L->a, (const char *)y.ev.data.scalar.value,
                              y.ev.data.scalar.length);
      break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      nd = pp__alloc(L->a, sizeof *nd);
      nd->type = y.ev.type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP;
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      depth--;
      break;
    case YAML_DOCUMENT_START_EVENT:
      if (root) {
        pp__error(L->err, PP_ERR_GRAMMAR, L->file, line,
                  "a grammar file holds one YAML document");
        fail = 1;
      }
      break;
    default:
      break;
    }
    if (nd) {
      nd->line = line;
      if (depth == 0) {
        root = nd;
      } else {
        ynode *parent = stack[depth - 1];
        parent->kids = pp__grow(L->a, parent->kids, parent->n, &parent->cap,
                                sizeof *parent->kids);
        parent->kids[parent->n++] = nd;
      }
      if (nd->type != Y_SCALAR) {
        if (depth >= MAX_DEPTH) {
          pp__error(L->err, PP_ERR_GRAMMAR, L->file, line,
                    "nesting deeper than %d levels", MAX_DEPTH);
          fail = 1;
        } else
          stack[depth++] = nd;
      }
    }
    yaml_event_delete(&y.ev);
    y.has_ev = 0;
  }
  pp__undefer(L->a, &y);
  yreader_release(&y);
  if (fail)
    return NULL;
  if (!root || root->type != Y_MAP) {
    pp__error(L->err, PP_ERR_GRAMMAR, L->file, root ? root->line : 1,
              "a grammar file must be a mapping");
    return NULL;
  }
  return root;
}

/* ---- schema ----------------------------------------------------------- */

#ifdef __GNUC__
__attribute__((format(printf, 3, 4)))
#endif
static int bad(loader *L, const ynode *n, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  pp__error(L->err, PP_ERR_GRAMMAR, L->file, n ? n->line : 0, "%s", msg);
  return -1;
}

/* Checks that every key of map m is one of the NULL-terminated keys. */
static int known_keys(loader *L, const ynode *m, const char *const *keys) {
  for (size_t i = 0; i + 1 < m->n; i += 2) {
    const ynode *k = m->kids[i];
    if (k->type != Y_SCALAR)
      return bad(L, k, "keys must be plain strings");
    int ok = 0;
    for (const char *const *p = keys; *p; p++)
      ok |= strcmp(*p, k->value) == 0;
    if (!ok)
      return bad(L, k, "unknown key '%s'", k->value);
    for (size_t j = 0; j < i; j += 2)
      if (strcmp(m->kids[j]->value, k->value) == 0)
        return bad(L, k, "duplicate key '%s'", k->value);
  }
  return 0;
}

static const ynode *get(const ynode *m, const char *key) {
  for (size_t i = 0; i + 1 < m->n; i += 2)
    if (m->kids[i]->type == Y_SCALAR && strcmp(m->kids[i]->value, key) == 0)
      return m->kids[i + 1];
  return NULL;
}

static const char *get_str(loader *L, const ynode *m, const char *key,
                           int required, int *fail) {
  const ynode *v = get(m, key);
  if (!v) {
    if (required) {
      pp__error(L->err, PP_ERR_GRAMMAR, L->file, m->line, "missing key '%s'", key);
      *fail = 1;
    }
    return NULL;
  }
  if (v->type != Y_SCALAR) {
    pp__error(L->err, PP_ERR_GRAMMAR, L->file, v->line, "'%s' must be a string", key);
    *fail = 1;
    return NULL;
  }
  return v->value;
}

/* Where the group, class or escape that starts at p ends.  Escapes and
 * classes inside a group are skipped whole, so their brackets do not
 * count. */
static const char *skip_atom(const char *p) {
  if (*p == '\\') {
    if (!p[1])
      return p + 1;
    if (strchr("pPxNogkK", p[1]) && p[2] == '{') {
      const char *e = strchr(p + 2, '}');
      return e ? e + 1 : p + strlen(p);
    }
    return p + 2;
  }
  if (*p == '[') {
    p++;
    if (*p == '^')
      p++;
    if (*p == ']')
      p++; /* a leading ] is a member */
    while (*p && *p != ']') {
      if (p[0] == '[' && p[1] == ':') { /* [:alpha:] */
        const char *e = strstr(p + 2, ":]");
        p = e ? e + 2 : p + 1;
      } else
        p = *p == '\\' ? skip_atom(p) : p + 1;
    }
    return *p ? p + 1 : p;
  }
  /* a group */
  int depth = 0;
  do {
    if (*p == '\\' || *p == '[') {
      p = skip_atom(p);
      continue;
    }
    depth += *p == '(';
    depth -= *p == ')';
    p++;
  } while (*p && depth > 0);
  return p;
}

/* The longest run of literal characters outside every group, class and
 * alternation: any match must contain it, so a line without it cannot
 * match and pcre2_match need not run.  Found conservatively: patterns
 * with top-level alternatives, quoting (\Q), or options that change how
 * a literal matches (i, x) get none. */
static void required_literal(pp_arena *a, pp_rule *r, const char *src) {
  const char *best = NULL, *run = NULL;
  size_t bestn = 0, runn = 0;
  for (const char *p = src; *p;) {
    char c = *p;
    int literal = !strchr("\\[(^$.|?*+{)", c);
    if (c == '|' || (c == '\\' && p[1] == 'Q'))
      return;
    if (c == '(' && p[1] == '?') { /* (?i) (?x:…): options, not a group name */
      int ix = 0;
      const char *o = p + 2;
      for (; (*o >= 'a' && *o <= 'z') || *o == '^' || *o == '-'; o++)
        ix |= *o == 'i' || *o == 'x';
      if (ix && (*o == ')' || *o == ':'))
        return;
    }
    if (strchr("?*+{", c) && run && runn) {
      /* The quantified character may be absent: drop it from the run. */
      size_t k = 1;
      while (k < runn && ((unsigned char)run[runn - k] & 0xC0) == 0x80)
        k++;
      runn -= k;
    }
    if (literal) {
      if (!run || run + runn != p)
        run = p, runn = 0;
      int l = 1;
      if ((unsigned char)c >= 0x80)
        pp__utf8_next(p, strlen(p), &l);
      runn += (size_t)l;
      p += l;
    } else {
      if (run && runn > bestn)
        best = run, bestn = runn;
      run = NULL;
      if (c == '{') { /* a counted repeat {2}, {0,80}: its digits are no literal */
        const char *q = p + 1;
        while ((*q >= '0' && *q <= '9') || *q == ',' || *q == ' ')
          q++;
        p = *q == '}' ? q + 1 : p + 1;
      } else
        p = c == '\\' || c == '[' || c == '(' ? skip_atom(p) : p + 1;
    }
    if (run && runn > bestn && !(*p && strchr("?*+{", *p)))
      best = run, bestn = runn;
  }
  if (bestn) {
    r->lit = pp__strndup(a, best, bestn);
    r->litn = bestn;
  }
}

static int top_level_bar(const char *p) {
  while (*p) {
    if (*p == '|')
      return 1;
    p = *p == '\\' || *p == '[' || *p == '(' ? skip_atom(p) : p + 1;
  }
  return 0;
}

/* For a rule anchored with ^ at its start, the bytes a match can begin
 * with, so that most lines are turned away on their first byte without
 * running the matcher at all.  PCRE2 works the set out only for unanchored
 * patterns: it is read from the pattern compiled once more without its ^,
 * whose matches at the start of a line are exactly the rule's.  Patterns
 * whose ^ might match elsewhere ((?m), alternatives) or whose first
 * character set depends on options or verbs get no gate. */
static void first_bytes(pp_rule *r, const char *src) {
  if (src[0] != '^' || strstr(src, "(?i") || strstr(src, "(?m") || strstr(src, "(*") ||
      top_level_bar(src))
    return;
  int ec;
  PCRE2_SIZE eo;
  pcre2_code *aux = pcre2_compile((PCRE2_SPTR)src + 1, PCRE2_ZERO_TERMINATED,
                                  PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C |
                                      PCRE2_MATCH_INVALID_UTF,
                                  &ec, &eo, NULL);
  if (!aux)
    return;
  uint32_t type = 0, cu = 0;
  const uint8_t *bits = NULL;
  pcre2_pattern_info(aux, PCRE2_INFO_FIRSTCODETYPE, &type);
  if (type == 1 && pcre2_pattern_info(aux, PCRE2_INFO_FIRSTCODEUNIT, &cu) == 0 && cu < 256) {
    memset(r->first, 0, sizeof r->first);
    r->first[cu >> 3] = (unsigned char)(1u << (cu & 7));
    r->gate = 1;
  } else if (pcre2_pattern_info(aux, PCRE2_INFO_FIRSTBITMAP, &bits) == 0 && bits) {
    memcpy(r->first, bits, sizeof r->first);
    r->gate = 1;
  }
  pcre2_code_free(aux);
}

/* Compiles src, reporting errors in the grammar file; jit for rules that
 * will match, not for patterns compiled only to be checked. */
static int compile_as(loader *L, pp_rule *r, const char *src, long line, const char *what,
                      int jit) {
  int ec;
  PCRE2_SIZE eo;
  r->src = src;
  r->line = line;
  r->what = what;
  r->re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
                        PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C |
                            PCRE2_MATCH_INVALID_UTF,
                        &ec, &eo, NULL);
  if (!r->re && ec == PCRE2_ERROR_HEAP_FAILED) {
    pp__error(L->err, PP_ERR_NOMEM, L->file, line, "out of memory");
    return -1;
  }
  if (!r->re) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(ec, msg, sizeof msg);
    pp__error(L->err, PP_ERR_GRAMMAR, L->file, line,
              "%s: bad pattern: %s at offset %zu", what, (const char *)msg,
              (size_t)eo);
    return -1;
  }
  /* JIT is an optimisation only: without it the interpreter runs, and a
   * rule is compiled by JIT only once it has run PP_JIT_AFTER times (see
   * pp__match), so a small file does not pay for compiling every rule.
   * PLANPARSE_NO_JIT turns it off for valgrind, which cannot see into
   * JIT-generated code and reports false uninitialised reads there. */
  required_literal(L->a, r, src);
  if (jit)
    first_bytes(r, src);
  const char *nojit = getenv("PLANPARSE_NO_JIT");
  r->may_jit = jit && (!nojit || !*nojit || strcmp(nojit, "0") == 0);
  atomic_init(&r->jit, NULL);
  atomic_init(&r->runs, 0);
  int g;
  r->g_label = (g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "label")) > 0 ? g : 0;
  r->g_num = (g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "num")) > 0 ? g : 0;
  r->g_title = (g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "title")) > 0 ? g : 0;
  r->g_value = (g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "value")) > 0 ? g : 0;
  r->g_year = (g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "year")) > 0 ? g : 0;
  r->g_month = (g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "month")) > 0 ? g : 0;
  r->g_day = (g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "day")) > 0 ? g : 0;
  return 0;
}

static int compile(loader *L, pp_rule *r, const char *src, long line, const char *what) {
  return compile_as(L, r, src, line, what, 1);
}

static pp_rule *compile_one(loader *L, const ynode *v, const char *what) {
  if (!v)
    return NULL;
  if (v->type != Y_SCALAR) {
    bad(L, v, "%s must be a pattern string", what);
    return NULL;
  }
  pp_rule *r = pp__alloc(L->a, sizeof *r);
  return compile(L, r, v->value, v->line, what) ? NULL : r;
}

static int parse_levels(loader *L, pp_grammar *g, const ynode *lv) {
  static const char *const keys[] = {"name", "number", "patterns", NULL};
  if (lv->type != Y_SEQ || lv->n == 0)
    return bad(L, lv, "'levels' must be a non-empty list");
  if (lv->n > MAX_LEVELS)
    return bad(L, lv->kids[MAX_LEVELS], "more than %d levels", MAX_LEVELS);
  g->levels = pp__alloc(L->a, lv->n * sizeof *g->levels);
  for (size_t i = 0; i < lv->n; i++) {
    const ynode *m = lv->kids[i];
    pp_level *l = &g->levels[g->nlevels++]; /* counted now so a failure frees it */
    int fail = 0;
    if (m->type != Y_MAP)
      return bad(L, m, "a level must be a mapping");
    if (known_keys(L, m, keys))
      return -1;
    l->name = get_str(L, m, "name", 1, &fail);
    const char *num = get_str(L, m, "number", 1, &fail);
    if (fail)
      return -1;
    for (size_t j = 0; j + 1 < g->nlevels; j++)
      if (strcmp(g->levels[j].name, l->name) == 0)
        return bad(L, m, "level '%s' is defined twice", l->name);
    static const char *const styles[] = {"arabic", "chinese", "circled", "ordinal"};
    l->numstyle = -1;
    for (int s = 0; s < 4; s++)
      if (strcmp(num, styles[s]) == 0)
        l->numstyle = s;
    if (l->numstyle < 0)
      return bad(L, get(m, "number"),
                 "unknown number style '%s' (arabic, chinese, circled or ordinal)", num);
    const ynode *ps = get(m, "patterns");
    if (!ps || ps->type != Y_SEQ || ps->n == 0)
      return bad(L, ps ? ps : m, "level '%s' needs a non-empty list 'patterns'", l->name);
    l->rules = pp__alloc(L->a, ps->n * sizeof *l->rules);
    const char *what = pp__printf(L->a, "level %s", l->name);
    for (size_t j = 0; j < ps->n; j++) {
      if (ps->kids[j]->type != Y_SCALAR)
        return bad(L, ps->kids[j], "%s: a pattern must be a string", what);
      pp_rule *r = &l->rules[l->nrules++];
      if (compile(L, r, ps->kids[j]->value, ps->kids[j]->line, what))
        return -1;
      if (!r->g_title)
        return bad(L, ps->kids[j], "%s: the pattern has no (?<title>...) group", what);
      if (!r->g_label && l->numstyle != PP_NUM_ORDINAL)
        return bad(L, ps->kids[j],
                   "%s: the pattern has no (?<label>...) group, so only 'number: ordinal' fits",
                   what);
    }
  }
  return 0;
}

static int parse_fields(loader *L, pp_grammar *g, const ynode *fv) {
  static const char *const keys[] = {"name", "pattern", "split", "levels", NULL};
  if (fv->type != Y_SEQ)
    return bad(L, fv, "'fields' must be a list");
  g->fields = pp__alloc(L->a, (fv->n + 1) * sizeof *g->fields);
  for (size_t i = 0; i < fv->n; i++) {
    const ynode *m = fv->kids[i];
    pp_field *f = &g->fields[g->nfields++];
    int fail = 0;
    if (m->type != Y_MAP)
      return bad(L, m, "a field must be a mapping");
    if (known_keys(L, m, keys))
      return -1;
    f->name = get_str(L, m, "name", 1, &fail);
    const char *split = get_str(L, m, "split", 0, &fail);
    const ynode *pat = get(m, "pattern");
    if (fail)
      return -1;
    if (!pat)
      return bad(L, m, "field '%s' needs a 'pattern'", f->name);
    f->split = PP_SPLIT_NONE;
    if (split && strcmp(split, "list") == 0)
      f->split = PP_SPLIT_LIST;
    else if (split && strcmp(split, "names") == 0)
      f->split = PP_SPLIT_NAMES;
    else if (split && strcmp(split, "none") != 0)
      return bad(L, get(m, "split"), "unknown split '%s' (none, list or names)", split);
    const char *what = pp__printf(L->a, "field %s", f->name);
    const ynode *lv = get(m, "levels");
    if (lv && (lv->type != Y_SEQ || lv->n == 0))
      return bad(L, lv, "%s: 'levels' must be a non-empty list of level names", what);
    for (size_t k = 0; lv && k < lv->n; k++) {
      const ynode *name = lv->kids[k];
      size_t j = 0;
      while (name->type == Y_SCALAR && j < g->nlevels && strcmp(g->levels[j].name, name->value))
        j++;
      if (name->type != Y_SCALAR || j == g->nlevels)
        return bad(L, name, "%s: undefined level '%s'", what,
                   name->type == Y_SCALAR ? name->value : "(not a name)");
      f->levels |= (uint32_t)1 << j;
    }
    if (pat->type != Y_SCALAR)
      return bad(L, pat, "%s: the pattern must be a string", what);
    if (compile(L, &f->rule, pat->value, pat->line, what))
      return -1;
    if (!f->rule.g_value)
      return bad(L, pat, "%s: the pattern has no (?<value>...) group", what);
  }
  return 0;
}

static int parse_boiler(loader *L, pp_grammar *g, const ynode *bv) {
  static const char *const keys[] = {"pattern", "reason", NULL};
  if (bv->type != Y_SEQ)
    return bad(L, bv, "'boilerplate' must be a list");
  g->boiler = pp__alloc(L->a, (bv->n + 1) * sizeof *g->boiler);
  for (size_t i = 0; i < bv->n; i++) {
    const ynode *m = bv->kids[i];
    pp_boiler *b = &g->boiler[g->nboiler++];
    int fail = 0;
    if (m->type != Y_MAP)
      return bad(L, m, "a boilerplate entry must be a mapping");
    if (known_keys(L, m, keys))
      return -1;
    const ynode *pat = get(m, "pattern");
    b->reason = get_str(L, m, "reason", 1, &fail);
    if (fail)
      return -1;
    if (!pat || pat->type != Y_SCALAR)
      return bad(L, pat ? pat : m, "a boilerplate entry needs a 'pattern' string");
    if (compile(L, &b->rule, pat->value, pat->line, "boilerplate"))
      return -1;
  }
  return 0;
}

static int parse_meta(loader *L, pp_grammar *g, const ynode *mv) {
  if (mv->type != Y_MAP)
    return bad(L, mv, "'meta' must be a mapping of key to pattern");
  g->meta = pp__alloc(L->a, (mv->n / 2 + 1) * sizeof *g->meta);
  for (size_t i = 0; i + 1 < mv->n; i += 2) {
    const ynode *k = mv->kids[i], *v = mv->kids[i + 1];
    if (k->type != Y_SCALAR || v->type != Y_SCALAR)
      return bad(L, k, "'meta' maps a key to a pattern string");
    pp_metarule *m = &g->meta[g->nmeta++];
    m->key = k->value;
    if (strcmp(m->key, "title") == 0 || strcmp(m->key, "year") == 0 || strcmp(m->key, "lines") == 0)
      return bad(L, k, "meta key '%s' is reserved", m->key);
    const char *what = pp__printf(L->a, "meta %s", m->key);
    if (compile(L, &m->rule, v->value, v->line, what))
      return -1;
    int dated = m->rule.g_year && m->rule.g_month && m->rule.g_day;
    if (!m->rule.g_value && !dated)
      return bad(L, v, "%s: the pattern needs a (?<value>...) group, or (?<year>) (?<month>) (?<day>)",
                 what);
  }
  return 0;
}

/* A pattern that is a plain word (regex escapes of punctuation allowed),
 * unescaped into the arena; NULL when it needs a regex. */
static char *plain_word(pp_arena *a, const char *p) {
  size_t n = strlen(p);
  char *o = pp__alloc(a, n + 1), *q = o;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '\\') {
      unsigned char e = (unsigned char)p[i + 1];
      if (!e || (e < 0x80 && (e == '_' || (e >= '0' && e <= '9') ||
                                ((e | 32) >= 'a' && (e | 32) <= 'z'))))
        return NULL; /* \d, \s, \1 ... are regex */
      *q++ = (char)e;
      i++;
    } else if (c < 0x80 && strchr(".^$|?*+()[]{}", c))
      return NULL;
    else
      *q++ = (char)c;
  }
  *q = 0;
  return q > o ? o : NULL;
}

/* A pair of code points as one key; never 0, since c1 is never 0. */
static uint64_t pair_key(uint32_t c1, uint32_t c2) { return (uint64_t)c1 << 21 | c2; }

static uint32_t pair_hash(uint64_t k) {
  return (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> 48); /* 16 bits */
}

/* The code point at s (a text the decoder passed, so valid UTF-8) and its
 * length; 0 at the end. */
static uint32_t cp_at(const char *s, int *l) {
  if (!*s) {
    *l = 0;
    return 0;
  }
  return pp__utf8_next(s, 4, l); /* stops at the NUL: it is no continuation byte */
}

static size_t words_slot(const pp_words *ac, uint64_t k) {
  size_t i = pair_hash(k) & (ac->nslots - 1);
  while (ac->key[i] && ac->key[i] != k)
    i = (i + 1) & (ac->nslots - 1);
  return i;
}

/* The themes' words, when every pattern is a word. */
static void build_words(pp_grammar *g, pp_arena *a, const ynode *tv) {
  size_t nwords = 0;
  for (size_t i = 0; i < tv->n; i++) {
    const ynode *ps = get(tv->kids[i], "patterns");
    for (size_t j = 0; j < ps->n; j++) {
      if (!plain_word(a, ps->kids[j]->value))
        return;
      nwords++;
    }
  }
  pp_words *ac = pp__alloc(a, sizeof *ac);
  ac->nslots = 16;
  while (ac->nslots < nwords * 2)
    ac->nslots *= 2;
  ac->key = pp__alloc(a, ac->nslots * sizeof *ac->key);
  ac->first = pp__alloc(a, ac->nslots * sizeof *ac->first);
  ac->next = pp__alloc(a, nwords * sizeof *ac->next);
  ac->word = pp__alloc(a, nwords * sizeof *ac->word);
  ac->len = pp__alloc(a, nwords * sizeof *ac->len);
  ac->theme = pp__alloc(a, nwords * sizeof *ac->theme);
  for (size_t i = 0; i < tv->n; i++) {
    const ynode *ps = get(tv->kids[i], "patterns");
    for (size_t j = 0; j < ps->n; j++) {
      const char *w = plain_word(a, ps->kids[j]->value);
      size_t n = strlen(w);
      int l1, l2;
      uint32_t c1 = cp_at(w, &l1), c2 = cp_at(w + l1, &l2);
      uint64_t k = pair_key(c1, c2);
      size_t slot = words_slot(ac, k);
      int dup = 0; /* a word listed twice counts once, for its first theme */
      for (int32_t x = ac->key[slot] ? ac->first[slot] : -1; x >= 0 && !dup; x = ac->next[x])
        dup = ac->len[x] == n && memcmp(ac->word[x], w, n) == 0;
      if (dup)
        continue;
      size_t x = ac->nwords++;
      ac->word[x] = w;
      ac->len[x] = n;
      ac->theme[x] = (int)i;
      /* Appended to its pair's chain, so words keep their listed order. */
      ac->next[x] = -1;
      if (!ac->key[slot]) {
        ac->key[slot] = k;
        ac->first[slot] = (int32_t)x;
      } else {
        int32_t y = ac->first[slot];
        while (ac->next[y] >= 0)
          y = ac->next[y];
        ac->next[y] = (int32_t)x;
      }
      uint32_t h = pair_hash(k);
      ac->bits[h >> 6] |= 1ull << (h & 63);
      ac->lead[(c1 & 0xFFFF) >> 6] |= 1ull << (c1 & 63);
      ac->singles |= c2 == 0;
    }
  }
  g->words = ac;
}

/* Every occurrence, in the order of where it starts; per theme, the most
 * occurrences that do not overlap: an occurrence that starts at or after
 * the end of the last one counted is counted, and one that ends sooner
 * than it takes its place (the greedy rule for intervals taken in order of
 * their starts, which finds the largest count). */
void pp__words_scan(const pp_words *ac, const char *s, int *hits, size_t *last_end, size_t nthemes) {
  for (size_t t = 0; t < nthemes; t++)
    last_end[t] = 0;
  size_t n = strlen(s);
  int l1, l2;
  for (size_t i = 0; i < n;) {
    /* Most characters start no word: turned away before the next one is
     * read and the pair hashed. */
    uint32_t c1 = pp__utf8_next(s + i, n - i, &l1);
    if (!(ac->lead[(c1 & 0xFFFF) >> 6] >> (c1 & 63) & 1)) {
      i += (size_t)l1;
      continue;
    }
    uint32_t c2 = cp_at(s + i + l1, &l2);
    for (int pass = 0; pass < 1 + ac->singles; pass++) {
      uint64_t k = pair_key(c1, pass ? 0 : c2);
      uint32_t h = pair_hash(k);
      if (!(ac->bits[h >> 6] >> (h & 63) & 1))
        continue;
      size_t slot = words_slot(ac, k);
      for (int32_t x = ac->key[slot] ? ac->first[slot] : -1; x >= 0; x = ac->next[x]) {
        if (ac->len[x] > n - i || memcmp(s + i, ac->word[x], ac->len[x]) != 0)
          continue;
        int t = ac->theme[x];
        size_t end = i + ac->len[x];
        if (i >= last_end[t]) {
          hits[t]++;
          last_end[t] = end;
        } else if (end < last_end[t])
          last_end[t] = end;
      }
    }
    i += (size_t)l1;
  }
}

/* A themes file: name, description, and a list of {name, patterns}. */
static pp_grammar *build_themes(pp_grammar *g, loader *L, const ynode *root) {
  static const char *const keys[] = {"name", "description", "themes", NULL};
  static const char *const tkeys[] = {"name", "patterns", NULL};
  int fail = 0;
  if (known_keys(L, root, keys))
    return NULL;
  g->name = get_str(L, root, "name", 0, &fail);
  g->description = get_str(L, root, "description", 0, &fail);
  if (fail)
    return NULL;
  g->name = g->name ? g->name : "themes";
  g->description = g->description ? g->description : "";
  const ynode *tv = get(root, "themes");
  if (tv->type != Y_SEQ)
    return bad(L, tv, "'themes' must be a list"), NULL;
  g->themes = pp__alloc(L->a, (tv->n + 1) * sizeof *g->themes);
  for (size_t i = 0; i < tv->n; i++) {
    const ynode *m = tv->kids[i];
    if (m->type != Y_MAP)
      return bad(L, m, "a theme must be a mapping"), NULL;
    if (known_keys(L, m, tkeys))
      return NULL;
    pp_theme *t = &g->themes[g->nthemes++];
    t->name = get_str(L, m, "name", 1, &fail);
    if (fail)
      return NULL;
    const ynode *ps = get(m, "patterns");
    if (!ps || ps->type != Y_SEQ || ps->n == 0)
      return bad(L, ps ? ps : m, "theme '%s' needs a non-empty list 'patterns'", t->name), NULL;
    /* Each pattern is checked alone, to report its own errors; the theme
     * matches as their alternation. */
    const char *what = pp__printf(L->a, "theme %s", t->name);
    size_t total = 0;
    for (size_t j = 0; j < ps->n; j++) {
      pp_rule probe;
      if (ps->kids[j]->type != Y_SCALAR)
        return bad(L, ps->kids[j], "%s: a pattern must be a string", what), NULL;
      /* A plain word cannot be a bad pattern (libyaml let only valid UTF-8
       * through): only real patterns are compiled to be checked. */
      if (!plain_word(L->a, ps->kids[j]->value)) {
        if (compile_as(L, &probe, ps->kids[j]->value, ps->kids[j]->line, what, 0))
          return NULL;
        pcre2_code_free(probe.re);
      }
      total += strlen(ps->kids[j]->value) + 5;
    }
    char *joined = pp__alloc(L->a, total + 1), *o = joined;
    for (size_t j = 0; j < ps->n; j++)
      o += sprintf(o, "%s(?:%s)", j ? "|" : "", ps->kids[j]->value);
    t->src = joined;
  }
  /* Plain words go into one word table; otherwise all themes become one
   * pattern, each theme the named group t<i>.  Either way a text is
   * scanned once. */
  build_words(g, L->a, tv);
  if (g->words)
    return g;
  size_t total = 1;
  for (size_t i = 0; i < g->nthemes; i++)
    total += strlen(g->themes[i].src) + 32;
  char *all = pp__alloc(L->a, total), *o = all;
  for (size_t i = 0; i < g->nthemes; i++)
    o += sprintf(o, "%s(?<t%zu>%s)", i ? "|" : "", i, g->themes[i].src);
  g->all_themes = pp__alloc(L->a, sizeof *g->all_themes);
  if (compile(L, g->all_themes, all, tv->line, "themes"))
    return NULL;
  g->theme_group = pp__alloc(L->a, (g->nthemes + 1) * sizeof *g->theme_group);
  for (size_t i = 0; i < g->nthemes; i++) {
    char name[32];
    snprintf(name, sizeof name, "t%zu", i);
    g->theme_group[i] = pcre2_substring_number_from_name(g->all_themes->re, (PCRE2_SPTR)name);
  }
  return g;
}

static pp_grammar *build(pp_grammar *g, loader *L, const char *data, size_t len) {
  static const char *const keys[] = {"name",  "description", "levels",   "fields",
                                     "boilerplate", "title",   "appendix", "meta", NULL};
  if (len > MAX_GRAMMAR_BYTES) {
    pp__error(L->err, PP_ERR_GRAMMAR, L->file, 0,
              "grammar file larger than %d bytes", MAX_GRAMMAR_BYTES);
    return NULL;
  }
  const ynode *root = yload(L, data, len);
  if (!root)
    return NULL;
  if (get(root, "themes") && !get(root, "levels"))
    return build_themes(g, L, root);
  if (known_keys(L, root, keys))
    return NULL;
  int fail = 0;
  g->name = get_str(L, root, "name", 1, &fail);
  g->description = get_str(L, root, "description", 0, &fail);
  if (fail)
    return NULL;
  if (!g->description)
    g->description = "";
  const ynode *lv = get(root, "levels");
  if (!lv) {
    bad(L, root, "missing key 'levels'");
    return NULL;
  }
  if (parse_levels(L, g, lv))
    return NULL;
  const ynode *v;
  if ((v = get(root, "fields")) && parse_fields(L, g, v))
    return NULL;
  if ((v = get(root, "boilerplate")) && parse_boiler(L, g, v))
    return NULL;
  if ((v = get(root, "title")) && !(g->title = compile_one(L, v, "title")))
    return NULL;
  if ((v = get(root, "appendix")) && !(g->article = compile_one(L, v, "appendix")))
    return NULL;
  if ((v = get(root, "meta")) && parse_meta(L, g, v))
    return NULL;
  return g;
}

static void rule_free(pp_rule *r) {
  if (!r)
    return;
  pcre2_code_free(r->re);
  pcre2_code_free(atomic_load(&r->jit));
}

static void grammar_free(pp_grammar *g) {
  if (!g)
    return;
  for (size_t i = 0; i < g->nlevels; i++)
    for (size_t j = 0; j < g->levels[i].nrules; j++)
      rule_free(&g->levels[i].rules[j]);
  for (size_t i = 0; i < g->nfields; i++)
    rule_free(&g->fields[i].rule);
  for (size_t i = 0; i < g->nboiler; i++)
    rule_free(&g->boiler[i].rule);
  rule_free(g->title);
  rule_free(g->all_themes);
  for (size_t i = 0; i < g->nmeta; i++)
    rule_free(&g->meta[i].rule);
  rule_free(g->article);
  pp_arena a = g->arena;
  pp__arena_free(&a);
}

/* ---- the set ---------------------------------------------------------- */

struct pp_grammars {
  pp_grammar **v;
  size_t n, cap;
  pp_grammar *themes; /* the first themes file loaded */
};

const pp_grammar *pp__set_themes(const pp_grammars *set) { return set->themes; }

pp_grammars *pp_grammars_new(void) { return calloc(1, sizeof(pp_grammars)); }

void pp_grammars_free(pp_grammars *s) {
  if (!s)
    return;
  for (size_t i = 0; i < s->n; i++)
    grammar_free(s->v[i]);
  grammar_free(s->themes);
  free(s->v);
  free(s);
}

const pp_grammar *pp_grammars_add_buffer(pp_grammars *s, const char *data,
                                         size_t len, const char *name_hint,
                                         pp_error *err) {
  pp_arena a = {0};
  pp_unwind un;
  pp_grammar *volatile g = NULL;
  un.n = 0;
  a.oom = &un;
  if (setjmp(un.jb)) {
    /* Compiled patterns of a half-built grammar are owned by its rules.
     * Without g, the very first allocation failed: nothing to free. */
    if (g)
      grammar_free(g);
    pp__error(err, PP_ERR_NOMEM, name_hint, 0, "out of memory");
    return NULL;
  }
  pp_grammar *ng = pp__alloc(&a, sizeof *ng);
  ng->arena = a; /* the grammar owns the arena from here on */
  g = ng;
  loader L = {&ng->arena, name_hint, err};
  ng->path = pp__strdup(&ng->arena, name_hint ? name_hint : "");
  if (!build(ng, &L, data, len)) {
    grammar_free(ng);
    return NULL;
  }
  ng->arena.oom = NULL;
  if (ng->themes || !ng->levels) {
    /* Themes, not a grammar: the first themes file found counts. */
    if (s->themes) {
      grammar_free(ng);
      return s->themes;
    }
    s->themes = ng;
    return ng;
  }
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->v[i]->name, ng->name) == 0) {
      grammar_free(ng);
      return s->v[i];
    }
  if (s->n == s->cap) {
    size_t nc = s->cap ? s->cap * 2 : 4;
    pp_grammar **nv = realloc(s->v, nc * sizeof *nv);
    if (!nv) {
      grammar_free(ng);
      pp__error(err, PP_ERR_NOMEM, name_hint, 0, "out of memory");
      return NULL;
    }
    s->v = nv;
    s->cap = nc;
  }
  s->v[s->n++] = ng;
  return ng;
}

const pp_grammar *pp_grammars_add_file(pp_grammars *s, const char *path,
                                       pp_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    pp__error(err, errno == ENOMEM ? PP_ERR_NOMEM : PP_ERR_IO, path, 0,
              "cannot open grammar: %s", strerror(errno));
    return NULL;
  }
  char *buf = malloc(MAX_GRAMMAR_BYTES + 1);
  if (!buf) {
    fclose(f);
    pp__error(err, PP_ERR_NOMEM, path, 0, "out of memory");
    return NULL;
  }
  size_t n = fread(buf, 1, MAX_GRAMMAR_BYTES + 1, f);
  int rerr = ferror(f);
  fclose(f);
  if (rerr) {
    free(buf);
    pp__error(err, PP_ERR_IO, path, 0, "read error");
    return NULL;
  }
  const pp_grammar *g = pp_grammars_add_buffer(s, buf, n, path, err);
  free(buf);
  return g;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int pp_grammars_add_dir(pp_grammars *s, const char *dir, pp_error *err) {
  DIR *d = opendir(dir);
  if (!d) {
    if (errno == ENOENT || errno == ENOTDIR)
      return 0;
    pp__error(err, errno == ENOMEM ? PP_ERR_NOMEM : PP_ERR_IO, dir, 0,
              "cannot read grammar directory: %s", strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  int rc = 0;
  while ((e = readdir(d))) {
    size_t l = strlen(e->d_name);
    if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0 || e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 8;
      char **nn = realloc(names, cap * sizeof *nn);
      if (!nn) {
        rc = -1;
        break;
      }
      names = nn;
    }
    size_t dl = strlen(dir);
    char *p = malloc(dl + l + 2);
    if (!p) {
      rc = -1;
      break;
    }
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, e->d_name, l + 1);
    names[n++] = p;
  }
  closedir(d);
  if (rc)
    pp__error(err, PP_ERR_NOMEM, dir, 0, "out of memory");
  if (names)
    qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    if (!rc && !pp_grammars_add_file(s, names[i], err))
      rc = -1;
    free(names[i]);
  }
  free(names);
  return rc;
}

const pp_grammar *pp_grammars_find(const pp_grammars *s, const char *name) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->v[i]->name, name) == 0)
      return s->v[i];
  return NULL;
}

size_t pp_grammars_count(const pp_grammars *s) { return s->n; }
const pp_grammar *pp_grammars_at(const pp_grammars *s, size_t i) {
  return i < s->n ? s->v[i] : NULL;
}
const char *pp_grammar_name(const pp_grammar *g) { return g->name; }
const char *pp_grammar_description(const pp_grammar *g) { return g->description; }
const char *pp_grammar_path(const pp_grammar *g) { return g->path; }

/* ---- matching --------------------------------------------------------- */

int pp__matcher_init(pp_matcher *m) {
  m->md = pcre2_match_data_create(32, NULL);
  m->mc = pcre2_match_context_create(NULL);
  if (!m->md || !m->mc) {
    pp__matcher_free(m);
    return -1;
  }
  pcre2_set_match_limit(m->mc, MATCH_LIMIT);
  pcre2_set_depth_limit(m->mc, MATCH_LIMIT / 10);
  return 0;
}

void pp__matcher_free(pp_matcher *m) {
  pcre2_match_data_free(m->md);
  pcre2_match_context_free(m->mc);
  m->md = NULL;
  m->mc = NULL;
}

/* Does s hold the n bytes of lit?  Looked for by one of its continuation
 * bytes when it has one: in Chinese text the lead bytes E4-E9 are in
 * almost every character, a given continuation byte in few. */
static int contains(const char *s, size_t len, const char *lit, size_t n) {
  size_t k = 0;
  while (k < n && ((unsigned char)lit[k] & 0xC0) != 0x80)
    k++;
  if (k == n)
    k = 0;
  for (const char *p = s + k, *end = s + len; p < end && (size_t)(end - p) >= n - k;) {
    p = memchr(p, lit[k], (size_t)(end - p) - (n - k) + 1);
    if (!p)
      return 0;
    if (memcmp(p - k, lit, n) == 0)
      return 1;
    p++;
  }
  return 0;
}

/* Publishes a JIT-compiled copy of r's pattern: a copy, because other
 * threads may be matching with r->re meanwhile.  On any failure the
 * interpreter goes on. */
static pcre2_code *jit_now(pp_rule *r) {
  pcre2_code *c = pcre2_code_copy(r->re);
  if (!c || pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) != 0) {
    pcre2_code_free(c);
    return r->re;
  }
  atomic_store_explicit(&r->jit, c, memory_order_release);
  return c;
}

int pp__match(pp_matcher *m, const pp_rule *r, const pp_norm *nm) {
  enum { PP_JIT_AFTER = 32 };
  unsigned char c0 = nm->len ? (unsigned char)nm->s[0] : 0;
  if (r->gate && nm->len && !(r->first[c0 >> 3] >> (c0 & 7) & 1))
    return PP_MATCH_NO;
  if (r->lit && !contains(nm->s, nm->len, r->lit, r->litn))
    return PP_MATCH_NO;
  /* The counters are a cache, not part of the rule's meaning: const here. */
  pp_rule *mr = (pp_rule *)r;
  pcre2_code *re = atomic_load_explicit(&mr->jit, memory_order_acquire);
  if (!re) {
    re = r->re;
    if (r->may_jit && atomic_fetch_add_explicit(&mr->runs, 1, memory_order_relaxed) + 1 ==
                          PP_JIT_AFTER)
      re = jit_now(mr); /* exactly one thread sees the count reach it */
  }
  int rc = pcre2_match(re, (PCRE2_SPTR)nm->s, nm->len, 0, nm->truncated ? PCRE2_NOTEOL : 0,
                       m->md, m->mc);
  if (rc >= 0)
    return PP_MATCH_YES;
  if (rc == PCRE2_ERROR_NOMATCH)
    return PP_MATCH_NO;
  /* Limits, JIT stack exhaustion and anything else: never a quiet no. */
  return PP_MATCH_LIMIT;
}

int pp__group(const pp_matcher *m, int g, size_t *start, size_t *end) {
  if (g < 0 || (uint32_t)g >= pcre2_get_ovector_count(m->md))
    return -1;
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
  if (ov[2 * g] == PCRE2_UNSET)
    return -1;
  *start = ov[2 * g];
  *end = ov[2 * g + 1];
  return 0;
}
