/* Private declarations shared by the pipeline stages.  Nothing here is
 * installed.  Stages: decode.c -> lines.c -> classify.c (with grammar.c) ->
 * tree.c (with meta.c) -> emit*.c.  Data flows one way: a stage reads what
 * the one before produced and never reaches back. */
#ifndef PP_INTERNAL_H
#define PP_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "planparse.h"

/* ---- arena.c: bump allocation; one arena per document or grammar ------ */

/* Every object of a document lives in its arena, so freeing a document is
 * one walk over a chunk list, and an allocation failure deep inside the
 * parser can unwind with longjmp without leaking: whoever set `oom` frees
 * the arena afterwards. */
typedef struct pp_chunk pp_chunk;

/* Where an allocation failure unwinds to, with what must be released on
 * the way: resources outside the arena (a libyaml parser, a heap buffer)
 * are registered with pp__defer while they are live. */
typedef struct pp_unwind {
  jmp_buf jb;
  struct {
    void (*fn)(void *);
    void *p;
  } todo[8];
  int n;
} pp_unwind;

typedef struct pp_arena {
  pp_chunk *head;
  pp_unwind *oom; /* unwind target on allocation failure; NULL aborts */
} pp_arena;

/* Registers fn(p) to run if an allocation fails before pp__undefer(a, p). */
void pp__defer(pp_arena *a, void (*fn)(void *), void *p);
void pp__undefer(pp_arena *a, void *p);

void *pp__alloc(pp_arena *a, size_t size);          /* zeroed */
/* Like pp__alloc, without zeroing: for buffers filled at once. */
void *pp__alloc_raw(pp_arena *a, size_t size);
char *pp__strndup(pp_arena *a, const char *s, size_t n);
char *pp__strdup(pp_arena *a, const char *s);
char *pp__printf(pp_arena *a, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
char *pp__vprintf(pp_arena *a, const char *fmt, va_list ap)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 0)))
#endif
    ;
/* Grows an arena array of elem-sized items so that index n fits. */
void *pp__grow(pp_arena *a, void *p, size_t n, size_t *cap, size_t elem);
void pp__arena_free(pp_arena *a);
void pp__oom(pp_arena *a); /* runs the deferred releases; does not return */

/* A growable byte buffer on the heap, for rendered output. */
typedef struct pp_buf {
  char *p;
  size_t len, cap;
  int failed; /* an allocation or a write failed; contents are incomplete */
  FILE *sink; /* when set, the buffer drains into it every megabyte */
  int werr;   /* errno of a failed write to sink */
} pp_buf;
void pp__buf_flush(pp_buf *b); /* writes what is held to the sink */
void pp__buf_put_slow(pp_buf *b, const char *s, size_t n);
/* Appends n bytes; the writers call it for every key and comma, so the
 * common case, room in the buffer, is inline. */
static inline void pp__buf_put(pp_buf *b, const char *s, size_t n) {
  if (b->cap - b->len > n && !b->failed && (!b->sink || b->len + n <= (1u << 20))) {
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0; /* the held text is always a string */
  } else
    pp__buf_put_slow(b, s, n);
}
void pp__buf_puts(pp_buf *b, const char *s);
void pp__buf_release(void *b); /* frees b's heap memory; for pp__defer */
void pp__buf_printf(pp_buf *b, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void pp__error(pp_error *e, pp_status st, const char *file, long line,
               const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* ---- decode.c ----------------------------------------------------------- */

/* Converts input bytes to UTF-8 (in out_a; a holds what conversion needs
 * meanwhile), without BOM.  Sets *enc to
 * the canonical name of the encoding read.  *bad counts U+FFFD substitutions
 * when lossy.  Returns NULL with err filled. */
/* UTF-8 input comes back as data itself when in_place is set, else copied
 * into out_a. */
char *pp__decode(pp_arena *a, pp_arena *out_a, const char *data, size_t len,
                 int in_place, const char *force,
                 int lossy, const char *source, size_t *out_len,
                 const char **enc, size_t *bad, pp_error *err);

/* ---- hant.c ------------------------------------------------------------- */

/* The simplified form of a traditional character, or c itself.  Bit k of
 * pp__hant_bits (hant.c, from the table generated at build time) says
 * whether U+3400 + k is traditional; it is looked at inline, before any
 * call, because matching folds every Han character of every line. */
enum { PP_HAN_FIRST = 0x3400, PP_HAN_LAST = 0xFAFF };
extern const unsigned char pp__hant_bits[];
uint32_t pp__simplified_table(uint32_t c);
static inline uint32_t pp__simplified(uint32_t c) {
  if (c < PP_HAN_FIRST || c > PP_HAN_LAST)
    return c;
  uint32_t k = c - PP_HAN_FIRST;
  return pp__hant_bits[k >> 3] >> (k & 7) & 1 ? pp__simplified_table(c) : c;
}
/* The whole text through ICU's Traditional-Simplified transliterator, in
 * the arena; NULL with err filled. */
char *pp__simplify_text(pp_arena *a, const char *s, size_t n, size_t *out_n,
                        pp_error *err, const char *source);

/* ---- utf8 helpers (lines.c) ---------------------------------------------- */

/* Decodes one code point at s (n bytes left); stores its length in *l.
 * Invalid sequences yield U+FFFD with length 1. */
uint32_t pp__utf8_decode(const char *s, size_t n, int *l); /* any sequence */
/* The code point at s (n bytes left) and its length in *l; 0xFFFD with
 * length 1 for a byte that starts no valid sequence.  ASCII and the
 * three-byte characters of Chinese text, nearly every character the
 * passes over a text see, are decoded inline. */
static inline uint32_t pp__utf8_next(const char *s, size_t n, int *l) {
  const unsigned char *u = (const unsigned char *)s;
  /* Three bytes first: nearly every character of a Chinese text.  Both
   * continuation bytes are checked at once (each XOR 0x80 is below 0x40). */
  if ((u[0] & 0xF0) == 0xE0 && n >= 3 && !(((u[1] ^ 0x80) | (u[2] ^ 0x80)) & 0xC0)) {
    *l = 3;
    return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
  }
  if (u[0] < 0x80) {
    *l = 1;
    return u[0];
  }
  return pp__utf8_decode(s, n, l);
}
int pp__utf8_put(char *out, uint32_t c); /* returns bytes written (1-4) */
int pp__is_space(uint32_t c);
/* Trims Unicode white space on both ends of [s, s+n). */
const char *pp__trim(const char *s, size_t n, size_t *out_n);

/* ---- lines.c ------------------------------------------------------------ */

enum pp_line_kind {
  PP_LINE_BLANK,
  PP_LINE_BODY,
  PP_LINE_HEAD,     /* a heading of some level */
  PP_LINE_FIELD,    /* 责任单位：… */
  PP_LINE_ARTICLE,  /* starts an appendix article */
  PP_LINE_REMOVED,  /* boilerplate, wholly removed */
  PP_LINE_META      /* a signature block after the plan, read into meta */
};

typedef struct pp_span {
  const char *s;
  size_t n;
} pp_span;

typedef struct pp_line {
  long no;       /* 1-based */
  pp_span text;  /* trimmed content; may be rewritten by boilerplate removal */
  int kind;
  int level;     /* heading level, or field index */
  pp_span label; /* as written, for headings */
  pp_span num;   /* the part the number is read from */
  pp_span title; /* heading title or field value, as written */
  const char *head; /* the normalised head rules match (see pp_norm) */
  uint32_t headn;
  unsigned char headtrunc;
} pp_line;

typedef struct pp_lines {
  pp_line *v;
  size_t n;
} pp_lines;

/* The first occurrence of needle in t, or NULL. */
const char *pp__find(pp_span t, const char *needle);

/* Splits UTF-8 text into lines (LF, CRLF or lone CR).  Lines point into
 * text, which must outlive them. */
void pp__split_lines(pp_arena *a, const char *text, size_t len, pp_lines *out);

/* The text matching sees: full-width digits, letters and punctuation folded
 * to ASCII, every kind of space to U+0020.  The buffer is owned by the
 * scratch and reused from line to line. */
typedef struct pp_norm {
  int truncated; /* the line goes on past s: $ does not match at its end */
  char *s;
  size_t len, cap;
} pp_norm;
/* Rules see at most this much of a line: labels, field names and web
 * furniture stand at its head. */
enum { PP_NORM_MAX = 512 };
int pp__normalize(pp_norm *nm, const char *s, size_t n); /* 0, or -1 on OOM */
/* What normalised bytes [s, e) of a line came from: a span of the line's
 * own text orig (n bytes), whose normalised form is len bytes long.  The
 * end of the normalised text stands for the end of the whole line. */
pp_span pp__norm_span(const char *orig, size_t n, size_t len, size_t s, size_t e);
/* The grammars are scored on this many non-blank lines from the top. */
enum { PP_SCORE_LINES = 2000 };
/* Stores the normalised heads of the lines the grammars are scored on, so
 * that each grammar scores without normalising again; a rule that matches
 * normalises its line once more, for the byte map.  Later lines get their
 * head when they are classified, and keep none: a long document costs no
 * second copy of its text. */
void pp__heads(pp_arena *a, pp_lines *ls, pp_norm *nm);
/* A view of line l's stored head, for pp__match. */
pp_norm pp__head_view(const pp_line *l);
void pp__norm_free(pp_norm *nm);

/* ---- grammar.c ---------------------------------------------------------- */

enum pp_numstyle { PP_NUM_ARABIC, PP_NUM_CHINESE, PP_NUM_CIRCLED, PP_NUM_ORDINAL };
enum pp_split { PP_SPLIT_NONE, PP_SPLIT_LIST, PP_SPLIT_NAMES };

typedef struct pp_rule {
  pcre2_code *re;
  const char *src;   /* the pattern as written */
  const char *what;  /* "level item", "field 责任单位", ... for messages */
  long line;         /* its line in the grammar file */
  const char *lit;   /* bytes every match must contain (see pp__match), or NULL */
  size_t litn;
  int gate;          /* first[] holds every byte a match can begin with */
  unsigned char first[32];
  /* JIT comes when a rule has run often enough to repay compiling it: a
   * JIT-compiled copy of re, published once and read by any thread. */
  int may_jit;
  _Atomic(pcre2_code *) jit;
  atomic_uint runs;
  int g_label, g_num, g_title, g_value; /* capture group numbers, 0 if absent */
  int g_year, g_month, g_day;
} pp_rule;

typedef struct pp_level {
  const char *name;
  int numstyle;
  pp_rule *rules;
  size_t nrules;
} pp_level;

typedef struct pp_field {
  const char *name;
  int split;
  uint32_t levels; /* bit i: may belong to level i; 0 = any level */
  pp_rule rule;
} pp_field;

typedef struct pp_boiler {
  const char *reason;
  pp_rule rule;
} pp_boiler;

typedef struct pp_metarule {
  const char *key;
  pp_rule rule;
} pp_metarule;

/* A policy theme (grammars/themes.yaml): an item has it when a pattern
 * matches its title, or matches its text twice or more. */
typedef struct pp_theme {
  const char *name;
  const char *src; /* its patterns as one alternation */
} pp_theme;

struct pp_grammar {
  pp_arena arena;
  const char *name, *description, *path;
  pp_level *levels;
  size_t nlevels;
  pp_field *fields;
  size_t nfields;
  pp_boiler *boiler;
  size_t nboiler;
  pp_rule *article; /* appendix article start, or NULL */
  pp_rule *title;   /* title line, or NULL */
  pp_metarule *meta; /* front-matter facts: doc_number, date, ... */
  size_t nmeta;
  pp_theme *themes; /* a themes file has these and no levels */
  size_t nthemes;
  pp_rule *all_themes; /* every theme at once: group t<i> is theme i */
  int *theme_group;    /* capture group of each theme in all_themes */
  struct pp_words *words; /* when every theme pattern is a plain word */
};

/* The theme words (grammar.c), found by their first two characters: a
 * bitmap over a hash of every pair that starts a word turns almost every
 * position of a text away at once, with no chain of lookups from one byte
 * to the next; the words of a pair are then compared.  Used when no theme
 * pattern needs a regex. */
typedef struct pp_words {
  uint64_t lead[1024];  /* by code point mod 65536: some word may start with it */
  uint64_t bits[1024];  /* by pair_hash(): some word may start here */
  uint64_t *key;        /* open-addressed slots: the pair, or 0 */
  int32_t *first;       /* per slot: its first word */
  size_t nslots;
  int32_t *next;        /* per word: the next word of the same pair, or -1 */
  const char **word;    /* per word: its bytes, its length, its theme */
  size_t *len;
  int *theme;
  size_t nwords;
  int singles;          /* some word is one character long (its pair: c, 0) */
} pp_words;
/* Adds to hits[t] the largest number of matches of theme t in s that do
 * not overlap one another. */
void pp__words_scan(const pp_words *w, const char *s, int *hits, size_t *last_end, size_t nthemes);
/* The themes of the set (from its first themes file), or NULL. */
const pp_grammar *pp__set_themes(const pp_grammars *set);

/* The outcome of one match of a grammar rule against a line. */
enum { PP_MATCH_NO = 0, PP_MATCH_YES = 1, PP_MATCH_LIMIT = -1 };
typedef struct pp_matcher {
  pcre2_match_data *md;
  pcre2_match_context *mc;
} pp_matcher;
int pp__matcher_init(pp_matcher *m);
void pp__matcher_free(pp_matcher *m);
/* Matches rule against the normalised view of a line; returns PP_MATCH_*. */
int pp__match(pp_matcher *m, const pp_rule *r, const pp_norm *nm);
/* Offsets of group g of the last match, or -1 when unset. */
int pp__group(const pp_matcher *m, int g, size_t *start, size_t *end);

/* ---- numeral.c ---------------------------------------------------------- */

/* Reads a label's number; -1 when it cannot (or it overflows). */
long pp__numeral(const char *s, size_t n, int style);

/* ---- document (tree.c) ---------------------------------------------------- */

/* A numeric target of a node (targets.c). */
typedef struct pp_target {
  const char *text, *indicator, *unit, *comparator;
  const char *bound; /* decrease_by / increase_by with 以上 or 以内, else NULL */
  double value, high;
  int range;         /* value-high, as in 3-5所 */
} pp_target;
/* Finds the targets in n's text. */
void pp__targets(pp_doc *d, pp_node *n);

typedef struct pp_field_val {
  const char *name;
  const char **values;
  size_t n, cap;
} pp_field_val;

struct pp_node {
  const char *kind, *label, *title, *text;
  long number;
  long first, last;
  pp_field_val *fields;
  size_t nfields, capfields;
  const char **themes;
  size_t nthemes;
  pp_target *targets;
  size_t ntargets, captargets;
  struct pp_node *parent, *first_child, *last_child, *next;
  int level;
};

typedef struct pp_para {
  const char *title; /* articles only */
  const char *text;
  long first, last;
} pp_para;

typedef struct pp_note {
  long line, last; /* last: repairs only */
  const char *kind; /* repairs: "join"; removed: the reason */
  const char *text;
} pp_note;

typedef struct pp_kv {
  const char *key, *value; /* a list's value: its items joined by '\n' */
  const char **items;      /* a list's items, or NULL */
  size_t nitems;
} pp_kv;

struct pp_doc {
  pp_arena arena;
  void *adopted; /* the caller's input, read in place (pp_options.adopt) */
  const char *source, *encoding, *grammar;
  pp_kv *meta;
  size_t nmeta, capmeta;
  long meta_first, meta_last; /* 0 when no front matter */
  long sign_first, sign_last; /* the closing signature block; 0 when none */
  long year;                  /* the year the plan is for; 0 when unknown */
  pp_para *preamble;
  size_t npreamble, cappreamble;
  pp_node *first, *last;
  pp_para *appendix;
  size_t nappendix, capappendix;
  pp_note *removed, *repairs, *warnings;
  size_t nremoved, capremoved, nrepairs, caprepairs, nwarnings, capwarnings;
};

/* A plan's work units are its items, or its leaf nodes where it numbers
 * no items (tree.c).  pp__has_items(d) says which; pp__is_unit tests a
 * node with that answer. */
int pp__has_items(const pp_doc *d);
int pp__is_unit(const pp_node *n, int have_items);
/* UTF-16 to UTF-8 in the arena; NULL when ICU fails (decode.c). */
char *pp__utf16_to_utf8(pp_arena *a, const uint16_t *u, int32_t ulen, size_t *out_len);
void pp__meta_set(pp_doc *d, const char *key, const char *value);
void pp__meta_set_list(pp_doc *d, const char *key, const char *items);
void pp__warn(pp_doc *d, long line, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* classify.c: marks every line's kind with grammar g; removes boilerplate
 * (recording it in d).  Returns 0, or -1 with err filled (rule limit). */
int pp__classify(pp_doc *d, const pp_grammar *g, pp_lines *ls,
                 pp_matcher *m, pp_norm *nm, pp_error *err);
/* How well g fits the lines: the number of heading, field and article lines
 * it recognises.  Cheap enough to run for every grammar. */
long pp__score(const pp_grammar *g, const pp_lines *ls, pp_matcher *m);

/* tree.c: builds the tree from classified lines. */
void pp__build(pp_doc *d, const pp_grammar *g, pp_lines *ls, pp_matcher *m, pp_norm *nm);

/* meta.c: finds the title block among the lines before the first heading.
 * Returns the index one past the last front-matter line (0 if none) and
 * records meta in d. */
size_t pp__front_matter(pp_doc *d, const pp_grammar *g, const pp_lines *ls,
                        size_t end, pp_matcher *m, pp_norm *nm);
/* meta.c: a signature block (issuers, then a date) closing the plan
 * before line index end: its lines become PP_LINE_META and feed meta. */
void pp__signature(pp_doc *d, const pp_grammar *g, pp_lines *ls, size_t end, pp_matcher *m,
                   pp_norm *nm);
/* meta.c: the year the plan is for, from the title, the date or the
 * preamble; call once the tree is built. */
void pp__meta_year(pp_doc *d);

/* ---- emit.c ------------------------------------------------------------- */

/* The events every renderer understands; emit.c walks a document once and
 * calls these, so YAML and JSON can never disagree on structure. */
typedef struct pp_writer pp_writer;
struct pp_writer {
  void (*map_begin)(pp_writer *w);
  void (*map_end)(pp_writer *w);
  void (*seq_begin)(pp_writer *w, int flow);
  void (*seq_end)(pp_writer *w);
  void (*key)(pp_writer *w, const char *k);
  void (*str)(pp_writer *w, const char *s); /* NULL emits null */
  void (*num)(pp_writer *w, long v);
  void (*real)(pp_writer *w, double v); /* three decimals */
  void (*lit)(pp_writer *w, const char *number); /* a number as written */
  pp_buf *out;
  int failed;
};
void pp__emit_doc(const pp_doc *d, pp_writer *w);
/* v in decimal into buf (room for 21 bytes and a NUL); returns its length.
 * Line numbers are most of the numbers written, too many for printf. */
size_t pp__format_long(char *buf, long v);
/* Writers: new and finish bracket the stream; finish frees the writer and
 * returns NULL on success, else what went wrong (static text). */
void *pp__yaml_writer_new(pp_buf *out, pp_writer **w);
const char *pp__yaml_writer_finish(void *state);
void *pp__json_writer_new(pp_buf *out, pp_writer **w, int compact);
/* CSV or TSV rows (no header) of a document's work units. */
void pp__emit_table(const pp_doc *d, char sep, pp_buf *out);
/* One CSV (sep ',') or TSV cell, quoted or cleaned as the format needs. */
void pp__table_cell(pp_buf *out, const char *s, char sep);
const char *pp__json_writer_finish(void *state);
/* Frees a writer without finishing it; for pp__defer. */
void pp__yaml_writer_abort(void *state);
void pp__json_writer_abort(void *state);

/* ---- align.c and report.c ---------------------------------------------- */

/* A run of a unit's title or text: a word (its id) or what lies between
 * words (-1), as byte offsets into the string. */
typedef struct pp_seg {
  size_t start, end;
  int32_t word;
} pp_seg;

typedef struct pp_topic {
  const char *label;
  long *member; /* per plan: unit index, or -1 */
  size_t size, first;
} pp_topic;

void pp__compare_release(void *c);
void pp__arena_release(void *a); /* frees the pp_arena at a; for pp__defer */
const char *pp__plan_name(pp_arena *a, const pp_doc *d);
int pp__cp_width(uint32_t c, int ambiguous);
size_t pp__text_width(const char *s, size_t n, int ambiguous);
void pp__close_breaker(void *bi);
const pp_seg *pp__unit_segs(const pp_compare *c, size_t plan, size_t i, int part, size_t *n);
int pp__unit_has(const pp_compare *c, size_t plan, size_t i, int32_t w);
const pp_doc *pp__compare_doc(const pp_compare *c, size_t plan);

#endif
