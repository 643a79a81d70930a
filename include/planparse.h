/* planparse: Chinese work plans (工作要点, 工作计划) as structured trees.
 *
 * The pipeline is decode -> lines -> grammar -> tree -> emit.  A caller
 * loads grammars into a pp_grammars set, parses bytes into a pp_doc with
 * pp_doc_parse(), walks the tree with the accessors and pp_iter, and renders
 * it with pp_doc_render().
 *
 * Ownership, stated once and repeated on each prototype:
 *   - Objects returned by *_new, *_load and *_parse belong to the caller, who
 *     releases them with the matching *_free.
 *   - Strings and nodes returned by accessors are borrowed: they live as long
 *     as the pp_doc (or pp_grammar) they came from and must not be freed.
 *   - Buffers returned by pp_doc_render() belong to the caller (free()).
 *   - Input buffers passed in are only read, never kept.
 *
 * Strings are UTF-8 and NUL-terminated.  Line numbers are 1-based and refer
 * to the input as given.  No function keeps global state; distinct objects
 * may be used from distinct threads.
 */
#ifndef PLANPARSE_H
#define PLANPARSE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PP_BUILDING) && defined(__GNUC__)
#define PP_API __attribute__((visibility("default")))
#else
#define PP_API
#endif

/* Exit-status-shaped error kinds: the CLI returns these values as-is. */
typedef enum pp_status {
  PP_OK = 0,
  PP_ERR_INPUT = 1,   /* the input cannot be read as a plan (encoding, binary) */
  PP_ERR_IO = 2,      /* usage, missing file, read or write failure */
  PP_ERR_GRAMMAR = 3, /* a grammar file is invalid, or a rule hit its limit */
  PP_ERR_NOMEM = 4    /* out of memory */
} pp_status;

/* Filled by every fallible call.  file may be empty; line and column are 0
 * when unknown. */
typedef struct pp_error {
  pp_status status;
  char file[512];
  long line;
  long column;
  char message[512];
} pp_error;

/* ---- grammars ---------------------------------------------------------- */

typedef struct pp_grammar pp_grammar;
typedef struct pp_grammars pp_grammars;

/* A new, empty set.  Caller frees with pp_grammars_free().  NULL on OOM. */
PP_API pp_grammars *pp_grammars_new(void);
/* Frees the set and every grammar in it.  NULL is allowed. */
PP_API void pp_grammars_free(pp_grammars *set);

/* Loads one grammar file (YAML) into the set; the set owns it.  A grammar
 * whose name is already in the set replaces nothing and is skipped, so that
 * directories added first take precedence.  Returns the grammar (borrowed)
 * or NULL with err filled. */
PP_API const pp_grammar *pp_grammars_add_file(pp_grammars *set,
                                              const char *path, pp_error *err);
/* Same, from a buffer; name_hint is used in messages only. */
PP_API const pp_grammar *pp_grammars_add_buffer(pp_grammars *set,
                                                const char *data, size_t len,
                                                const char *name_hint,
                                                pp_error *err);
/* Loads every *.yaml file of dir (sorted by name).  A missing directory is
 * not an error (returns 0); an invalid grammar file is (returns -1). */
PP_API int pp_grammars_add_dir(pp_grammars *set, const char *dir, pp_error *err);

/* Borrowed; NULL when absent. */
PP_API const pp_grammar *pp_grammars_find(const pp_grammars *set,
                                          const char *name);
PP_API size_t pp_grammars_count(const pp_grammars *set);
/* Borrowed; i < pp_grammars_count(). */
PP_API const pp_grammar *pp_grammars_at(const pp_grammars *set, size_t i);
/* Borrowed strings of a grammar. */
PP_API const char *pp_grammar_name(const pp_grammar *g);
PP_API const char *pp_grammar_description(const pp_grammar *g);
PP_API const char *pp_grammar_path(const pp_grammar *g);

/* ---- parsing ----------------------------------------------------------- */

typedef struct pp_doc pp_doc;
typedef struct pp_node pp_node;

typedef struct pp_options {
  const char *source;           /* name shown in the output and in errors */
  const pp_grammars *grammars;  /* borrowed; required */
  const pp_grammar *grammar;    /* borrowed; NULL picks the best scoring */
  const char *encoding;         /* NULL detects; else an ICU converter name */
  int lossy;                    /* accept invalid bytes as U+FFFD, with a warning */
  int simplify;                 /* output traditional characters as simplified */
  int adopt;                    /* data came from malloc and is handed over */
} pp_options;

/* Parses len bytes of data.  Returns a document the caller frees with
 * pp_doc_free(), or NULL with err filled (status, and line where known).
 * An empty input is a valid, empty document with a warning.
 * Without opt->adopt, data stays the caller's and is copied as needed.
 * With it, data must be a malloc'd block of at least len + 1 bytes, which
 * the library owns from this call on, whatever its outcome: UTF-8 input is
 * then read in place rather than copied, and anything else is freed once
 * decoded. */
PP_API pp_doc *pp_doc_parse(const char *data, size_t len,
                            const pp_options *opt, pp_error *err);
PP_API void pp_doc_free(pp_doc *doc);

/* Borrowed strings; never NULL except pp_doc_meta() for an absent key.
 * Meta keys: title, doc_number, date (ISO 8601), published, index_id,
 * publicity, recipients, issuers (one per line, '\n'-separated), region;
 * a grammar's meta rules may add others. */
PP_API const char *pp_doc_source(const pp_doc *doc);
PP_API const char *pp_doc_encoding(const pp_doc *doc);
PP_API const char *pp_doc_grammar(const pp_doc *doc);
PP_API const char *pp_doc_meta(const pp_doc *doc, const char *key);
PP_API const pp_node *pp_doc_first_child(const pp_doc *doc);
/* The year the plan is for (from its title, date or preamble); 0 if unknown. */
PP_API long pp_doc_year(const pp_doc *doc);
PP_API size_t pp_doc_warning_count(const pp_doc *doc);
PP_API size_t pp_doc_repair_count(const pp_doc *doc);
PP_API size_t pp_doc_removed_count(const pp_doc *doc);
PP_API size_t pp_doc_appendix_count(const pp_doc *doc);

/* Node accessors: all results borrowed from the document. */
PP_API const char *pp_node_kind(const pp_node *n);   /* "section", "item"... */
PP_API const char *pp_node_label(const pp_node *n);  /* "" when unlabelled */
PP_API long pp_node_number(const pp_node *n);
PP_API const char *pp_node_title(const pp_node *n);
PP_API const char *pp_node_text(const pp_node *n);
PP_API long pp_node_first_line(const pp_node *n);
PP_API long pp_node_last_line(const pp_node *n);
PP_API const pp_node *pp_node_parent(const pp_node *n); /* NULL at top */
PP_API const pp_node *pp_node_first_child(const pp_node *n);
PP_API const pp_node *pp_node_next(const pp_node *n);
PP_API size_t pp_node_field_count(const pp_node *n);
PP_API const char *pp_node_field_name(const pp_node *n, size_t i);
PP_API size_t pp_node_field_value_count(const pp_node *n, size_t i);
PP_API const char *pp_node_field_value(const pp_node *n, size_t i, size_t j);

/* Policy themes (grammars/themes.yaml) the node speaks to; borrowed. */
PP_API size_t pp_node_theme_count(const pp_node *n);
PP_API const char *pp_node_theme(const pp_node *n, size_t i);

/* Depth-first walk without recursion.  pp_iter_next() returns the next node,
 * entering children before siblings, or NULL at the end; *depth (if not
 * NULL) receives 0 for top-level nodes. */
typedef struct pp_iter {
  const pp_node *next;
  int depth;
} pp_iter;
PP_API void pp_iter_init(pp_iter *it, const pp_doc *doc);
PP_API const pp_node *pp_iter_next(pp_iter *it, int *depth);

/* ---- rendering --------------------------------------------------------- */

/* JSONL is JSON on one line; CSV and TSV give one row per work unit (items,
 * or leaf nodes where a plan numbers no items) under pp_table_header(). */
typedef enum pp_format {
  PP_FORMAT_YAML,
  PP_FORMAT_JSON,
  PP_FORMAT_TEXT,
  PP_FORMAT_JSONL,
  PP_FORMAT_CSV,
  PP_FORMAT_TSV
} pp_format;

/* Writes the document to f as it is rendered, without holding it whole.
 * Returns 0, or -1 with err filled (PP_ERR_IO and "write error: ..." when
 * writing failed; what was written by then stays written). */
PP_API int pp_doc_write(const pp_doc *doc, pp_format format, FILE *f, pp_error *err);

/* The header row of CSV or TSV output, with its newline; static storage. */
PP_API const char *pp_table_header(pp_format format);

/* Renders the whole document as YAML, JSON, JSONL, CSV or TSV.  Returns a NUL-terminated buffer the caller
 * frees with free(), its length in *len; NULL with err filled on failure. */
PP_API char *pp_doc_render(const pp_doc *doc, pp_format format, size_t *len,
                           pp_error *err);

/* ---- comparing plans ---------------------------------------------------- */

typedef struct pp_compare pp_compare;

/* Aligns the work units of n documents (borrowed: they must outlive the
 * result): items, or leaf nodes where a plan numbers no items.  Pairs are
 * one to one per pair of plans, with cosine scores in [0, 1] of at least
 * threshold.  Caller frees with pp_compare_free(); NULL with err filled. */
PP_API pp_compare *pp_compare_new(const pp_doc *const *docs, size_t n, double threshold,
                                  pp_error *err);
PP_API void pp_compare_free(pp_compare *c);
PP_API size_t pp_compare_plan_count(const pp_compare *c);
PP_API size_t pp_compare_unit_count(const pp_compare *c, size_t plan);
/* Borrowed from the plan's document; NULL when out of range. */
PP_API const pp_node *pp_compare_unit(const pp_compare *c, size_t plan, size_t i);
/* Labels from the top down, such as "三/9"; borrowed. */
PP_API const char *pp_compare_unit_path(const pp_compare *c, size_t plan, size_t i);
/* Matched pairs of plans a and b, in the order of a's units. */
PP_API size_t pp_compare_pair_count(const pp_compare *c, size_t a, size_t b);
PP_API int pp_compare_pair(const pp_compare *c, size_t a, size_t b, size_t k, size_t *unit_a,
                           size_t *unit_b, double *score);
/* How much of two plans has a counterpart: 2 * pairs / (units of a +
 * units of b); 1 on the diagonal. */
PP_API double pp_compare_similarity(const pp_compare *c, size_t a, size_t b);
/* Topics: groups of aligned units, at most one per plan, largest first. */
PP_API size_t pp_compare_topic_count(const pp_compare *c);
PP_API const char *pp_compare_topic_label(const pp_compare *c, size_t t); /* borrowed */
PP_API long pp_compare_topic_member(const pp_compare *c, size_t t, size_t plan); /* or -1 */

/* How a report is shown: YAML, JSON, or TEXT for a terminal, laid out in
 * `width` columns, East Asian ambiguous characters taking `ambiguous` (1 or
 * 2) columns, marked words in ANSI colour when `color`, else between
 * [- -] (left) and {+ +} (right). */
typedef struct pp_view {
  pp_format format;
  int width;
  int ambiguous;
  int color;
} pp_view;

/* Reports of plans a and b (diff), or of all plans (compare).  A buffer the
 * caller frees with free(); NULL with err filled. */
PP_API char *pp_diff_render(const pp_compare *c, size_t a, size_t b, const pp_view *v,
                            size_t *len, pp_error *err);
PP_API char *pp_compare_render(const pp_compare *c, const pp_view *v, size_t *len,
                               pp_error *err);
/* Policy themes by plan: how many work units of each plan have each theme
 * (YAML/JSON: plans, themes as {name, counts}). */
PP_API char *pp_themes_render(const pp_compare *c, const pp_view *v, size_t *len,
                              pp_error *err);
/* Targets whose indicators mean the same thing, grouped across plans
 * (YAML/JSON: plans, groups of members {plan, path, indicator, comparator,
 * value, unit, text}); CSV/TSV: one row per target of every plan. */
PP_API char *pp_targets_render(const pp_compare *c, const pp_view *v, size_t *len,
                               pp_error *err);

/* "0.1.0"; static storage. */
PP_API const char *pp_version(void);

/* Releases what the libraries underneath cache for the whole process (ICU's
 * converters, dictionaries, transliterators), so memory checkers see
 * nothing left.  Call once, at exit, when no thread uses planparse or ICU. */
PP_API void pp_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
