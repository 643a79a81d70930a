/* Allocation failure at the N-th allocation of the whole process, for every
 * N until a run completes (SQLite's method).  The allocator is replaced in
 * this executable, so ICU, PCRE2, libyaml and the C library fail with
 * planparse's own allocations, as they would when memory runs out.
 *
 * Every run must end in success with output identical to a run without
 * failures, or in a clean PP_ERR_NOMEM, and never crash; and the process
 * must hold as many blocks after the run as before (under the sanitizer
 * build: as many bytes, and LeakSanitizer checks at exit as well).
 *
 * ICU starts up once, before the runs, and keeps its caches between them:
 * ICU 72 does not survive failures in its own start-up (PP_OOM_COLD=1 shows
 * it: a null hash table dereferenced while building the transliterator
 * registry, a deadlock on its own mutex while setting the default locale,
 * an endless loop while loading the dictionary break engine).  A run whose
 * failure fell inside ICU is followed by releasing ICU's caches and filling
 * them again without failures, so that every run starts from one state.
 * A few allocations inside ICU are let through rather than refused (see
 * `exempt` below), and counted in the summary. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <unwind.h>

#include "planparse.h"

/* The real allocator: glibc's, or the sanitizer's when it sits in front of
 * glibc (sending its blocks to glibc's free would corrupt both). */
#if defined(__SANITIZE_ADDRESS__)
#define PP_OOM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PP_OOM_ASAN 1
#endif
#endif

#ifdef PP_OOM_ASAN
void *__interceptor_malloc(size_t);
void *__interceptor_calloc(size_t, size_t);
void *__interceptor_realloc(void *, size_t);
void __interceptor_free(void *);
void *__interceptor_memalign(size_t, size_t);
void *__interceptor_valloc(size_t);
void *__interceptor_pvalloc(size_t);
size_t __sanitizer_get_current_allocated_bytes(void);
#define real_malloc __interceptor_malloc
#define real_calloc __interceptor_calloc
#define real_realloc __interceptor_realloc
#define real_free __interceptor_free
#define real_memalign __interceptor_memalign
#define real_valloc __interceptor_valloc
#define real_pvalloc __interceptor_pvalloc
#else
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void __libc_free(void *);
void *__libc_memalign(size_t, size_t);
void *__libc_valloc(size_t);
void *__libc_pvalloc(size_t);
#define real_malloc __libc_malloc
#define real_calloc __libc_calloc
#define real_realloc __libc_realloc
#define real_free __libc_free
#define real_memalign __libc_memalign
#define real_valloc __libc_valloc
#define real_pvalloc __libc_pvalloc
#endif

/* The allocator runs before the sanitizer's runtime is set up (the loader
 * and the runtime itself allocate), so it must not be instrumented. */
#ifdef PP_OOM_ASAN
#define RAW __attribute__((no_sanitize("address", "undefined")))
#else
#define RAW
#endif

void *malloc(size_t n);
void *calloc(size_t a, size_t b);
void *realloc(void *p, size_t n);
void free(void *p);
void *reallocarray(void *p, size_t a, size_t b);
void *aligned_alloc(size_t al, size_t n);
int posix_memalign(void **out, size_t al, size_t n);
void *memalign(size_t al, size_t n);
void *valloc(size_t n);
void *pvalloc(size_t n);

/* One thread calls the library here, so plain variables do. */
static int armed;
static long seen;    /* allocations asked for while armed */
static long fail_at; /* the one to refuse; 0 for none */
static long live;    /* blocks held by the whole process */

/* What the process holds, to compare before and after a run.  The
 * sanitizer's runtime allocates for strdup and the like without calling
 * malloc, so there its own count of bytes is the one that adds up. */
static long held_now(void) {
#ifdef PP_OOM_ASAN
  return (long)__sanitizer_get_current_allocated_bytes();
#else
  return live;
#endif
}

/* ---- where an allocation comes from ----------------------------------- */

/* The unwinder straight from libgcc: glibc's backtrace() dlopens it on
 * first use, and LeakSanitizer then takes the loader's blocks for leaks. */
enum { DEPTH = 48 };
typedef struct trace {
  void *pc[DEPTH];
  int n;
} trace;

static _Unwind_Reason_Code step(struct _Unwind_Context *ctx, void *arg) {
  trace *t = arg;
  if (t->n == DEPTH)
    return _URC_END_OF_STACK;
  t->pc[t->n++] = (void *)_Unwind_GetIP(ctx);
  return _URC_NO_REASON;
}

static trace where; /* of the refused allocation, for the report */

static void capture(void) {
  where.n = 0;
  _Unwind_Backtrace(step, &where);
}

static const char *symbol(void *pc, const char **file) {
  Dl_info info;
  if (!dladdr(pc, &info))
    return *file = "?", "?";
  *file = info.dli_fname ? info.dli_fname : "?";
  return info.dli_sname ? info.dli_sname : "";
}

/* Allocations inside ICU that are let through, not refused, because ICU 72
 * itself mishandles their failure, and no caller can make up for it:
 *  - break iteration (ubrk_next and the like) has no error status: a
 *    failure there crashes it (CjkBreakEngine::divideUpDictionaryRange
 *    uses what it could not allocate) or silently moves the boundaries;
 *  - a failure while ubrk_open builds the iterator, or while utrans_openU
 *    parses the transliterator's ID, is reported, but ICU leaks what it had
 *    allocated so far in that call;
 *  - ucsdet_open survives no failure in the detector's constructor: it
 *    returns a detector without its InputText and without an error (to
 *    crash in ucsdet_setText), or deletes it and crashes in the destructor.
 * An entry names a frame (its mangled name, in part) on the stack. */
enum { NO_STATUS, LEAKS, UNCHECKED, NCAUSES };
static const char *const cause_name[NCAUSES] = {
    "in break iteration, which has no error status", "where ICU leaks its own blocks",
    "in ucsdet_open, which crashes on them"};
static const struct {
  const char *frame;
  int cause;
} exempt[] = {
    {"RuleBasedBreakIterator4next", NO_STATUS},
    {"RuleBasedBreakIterator5first", NO_STATUS},
    {"RuleBasedBreakIterator4last", NO_STATUS},
    {"RuleBasedBreakIterator8previous", NO_STATUS},
    {"RuleBasedBreakIterator9following", NO_STATUS},
    {"RuleBasedBreakIterator9preceding", NO_STATUS},
    {"RuleBasedBreakIteratorC1EP11UDataMemory", LEAKS},
    {"TransliteratorIDParser", LEAKS},
    {"15CharsetDetectorC", UNCHECKED},
};

/* The innermost exempt frame's cause, or -1; and whether ICU is on the stack. */
static int in_icu;
static int classify_where(void) {
  in_icu = 0;
  int cause = -1;
  for (int i = 0; i < where.n; i++) {
    const char *file, *s = symbol(where.pc[i], &file);
    if (strstr(file, "libicu"))
      in_icu = 1;
    for (size_t j = 0; cause < 0 && j < sizeof exempt / sizeof exempt[0]; j++)
      if (strstr(s, exempt[j].frame))
        cause = exempt[j].cause;
  }
  return cause;
}

/* A run that records, for every allocation, whether it is let through and
 * why, so that the loop need not run those at all (about half of them). */
static int recording;
static signed char *exempt_map; /* cause, or -1 */
static size_t exempt_cap;

static void record(long k, int cause) {
  if ((size_t)k >= exempt_cap) {
    size_t cap = exempt_cap ? 2 * exempt_cap : 4096;
    while (cap <= (size_t)k)
      cap *= 2;
    signed char *m = real_realloc(exempt_map, cap); /* not counted: the test's own */
    if (!m) {
      fputs("oom_test: out of memory recording\n", stderr);
      exit(2);
    }
    memset(m + exempt_cap, -1, cap - exempt_cap);
    exempt_map = m;
    exempt_cap = cap;
  }
  exempt_map[k] = (signed char)cause;
}

static int refused_in_icu; /* the refused allocation was ICU's */
static long let_through[NCAUSES];

RAW static int refuse(void) {
  if (!armed)
    return 0;
  ++seen;
  if (!recording && seen != fail_at)
    return 0;
  armed = 0; /* the unwinder and dladdr may allocate */
  capture();
  int cause = classify_where();
  armed = 1;
  if (recording) {
    record(seen, cause);
    return 0;
  }
  if (cause >= 0) {
    let_through[cause]++;
    return 0;
  }
  refused_in_icu = in_icu;
  errno = ENOMEM;
  return 1;
}

/* ---- the allocator ----------------------------------------------------- */

RAW static void *held(void *p) {
  if (p)
    live++;
  return p;
}

RAW void *malloc(size_t n) { return refuse() ? NULL : held(real_malloc(n)); }
RAW void *calloc(size_t a, size_t b) { return refuse() ? NULL : held(real_calloc(a, b)); }
RAW void free(void *p) {
  if (p)
    live--;
  real_free(p);
}
RAW void *realloc(void *p, size_t n) {
  if (!p)
    return malloc(n);
  if (n == 0) { /* glibc's realloc frees here and returns NULL */
    free(p);
    return NULL;
  }
  return refuse() ? NULL : real_realloc(p, n);
}
RAW void *reallocarray(void *p, size_t a, size_t b) {
  if (b && a > SIZE_MAX / b) {
    errno = ENOMEM;
    return NULL;
  }
  return realloc(p, a * b);
}
RAW void *memalign(size_t al, size_t n) { return refuse() ? NULL : held(real_memalign(al, n)); }
RAW void *aligned_alloc(size_t al, size_t n) { return memalign(al, n); }
RAW int posix_memalign(void **out, size_t al, size_t n) {
  if (al < sizeof(void *) || (al & (al - 1)))
    return EINVAL;
  void *p = memalign(al, n);
  if (!p)
    return ENOMEM;
  *out = p;
  return 0;
}
RAW void *valloc(size_t n) { return refuse() ? NULL : held(real_valloc(n)); }
RAW void *pvalloc(size_t n) { return refuse() ? NULL : held(real_pvalloc(n)); }

/* ---- the run ----------------------------------------------------------- */

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  if (b)
    b[n] = 0;
  *len = (size_t)n;
  return b;
}

/* Every output of a run, in order; those of the run without failures are
 * kept to compare the others with. */
enum { MAX_OUT = 64 };
typedef struct outputs {
  char *text[MAX_OUT];
  size_t len[MAX_OUT];
  size_t n;
} outputs;

typedef struct run_state {
  outputs *ref; /* NULL while recording the reference */
  outputs got;
  int nomem;    /* steps that failed cleanly */
  int bad;      /* steps that failed otherwise, or gave other output */
} run_state;

static void complain(run_state *r, const char *step_name, const char *what) {
  int was = armed;
  armed = 0;
  r->bad++;
  fprintf(stderr, "FAIL: allocation %ld failing: %s: %s\n  refused in:", fail_at, step_name,
          what);
  /* From the allocator's caller outwards. */
  static const char *const ours[] = {"malloc", "calloc", "realloc", "reallocarray", "memalign",
                                      "aligned_alloc", "posix_memalign", "valloc", "pvalloc"};
  int from = 0;
  for (int i = 0; i < where.n && i < 8; i++) {
    const char *file, *s = symbol(where.pc[i], &file);
    for (size_t k = 0; k < sizeof ours / sizeof ours[0]; k++)
      if (strcmp(s, ours[k]) == 0)
        from = i + 1;
  }
  for (int i = from; i < where.n && i < from + 10; i++) {
    const char *file, *s = symbol(where.pc[i], &file);
    const char *base = strrchr(file, '/');
    fprintf(stderr, " %s", *s ? s : base ? base + 1 : file);
  }
  fputc('\n', stderr);
  armed = was;
}

/* A step that failed: clean when the error says out of memory. */
static void failed(run_state *r, const char *step_name, const pp_error *e) {
  if (e->status == PP_ERR_NOMEM && e->message[0] && !strchr(e->message, '\n')) {
    r->nomem++;
    return;
  }
  char what[700];
  snprintf(what, sizeof what, "status %d instead of out of memory (%s)", (int)e->status,
           e->message);
  complain(r, step_name, what);
}

/* A step that succeeded: its output must be the one a run without
 * failures gives, not quietly less. */
static void output(run_state *r, const char *step_name, char *text, size_t len) {
  size_t k = r->got.n++;
  if (!r->ref) {
    r->got.text[k] = text;
    r->got.len[k] = len;
    return;
  }
  if (len != r->ref->len[k] || memcmp(text, r->ref->text[k], len) != 0)
    complain(r, step_name, "succeeded with other output than a run without failures");
  free(text);
}

/* The slot of a step that produced nothing, so later outputs keep their place. */
static void skipped(run_state *r) { r->got.n++; }

static FILE *sink;
static char sink_buf[1 << 16];

static void render_doc(run_state *r, const pp_doc *d) {
  static const pp_format formats[] = {PP_FORMAT_YAML, PP_FORMAT_JSON, PP_FORMAT_JSONL,
                                      PP_FORMAT_CSV, PP_FORMAT_TSV};
  pp_error e;
  for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
    size_t len;
    char *out = pp_doc_render(d, formats[k], &len, &e);
    if (out)
      output(r, "pp_doc_render", out, len);
    else {
      skipped(r);
      failed(r, "pp_doc_render", &e);
    }
  }
  /* The streaming path, into a file whose buffer is ours, so that stdio
   * itself allocates nothing while armed. */
  rewind(sink);
  if (ftruncate(fileno(sink), 0) != 0) {
    perror("ftruncate");
    exit(2);
  }
  if (pp_doc_write(d, PP_FORMAT_YAML, sink, &e) == 0 && fflush(sink) == 0) {
    long n = ftell(sink);
    int was = armed;
    armed = 0; /* reading the result back is the test's business */
    char *text = malloc((size_t)n + 1);
    rewind(sink);
    if (!text || fread(text, 1, (size_t)n, sink) != (size_t)n) {
      perror("reading back");
      exit(2);
    }
    armed = was;
    output(r, "pp_doc_write", text, (size_t)n);
  } else {
    skipped(r);
    failed(r, "pp_doc_write", &e);
  }
}

typedef char *(*report_fn)(const pp_compare *, const pp_view *, size_t *, pp_error *);

static void report(run_state *r, const char *name, report_fn fn, const pp_compare *c,
                   const pp_view *v) {
  pp_error e;
  size_t len;
  char *out = fn(c, v, &len, &e);
  if (out)
    output(r, name, out, len);
  else {
    skipped(r);
    failed(r, name, &e);
  }
}

static char *diff_0_1(const pp_compare *c, const pp_view *v, size_t *len, pp_error *e) {
  return pp_diff_render(c, 0, 1, v, len, e);
}

static void render_reports(run_state *r, const pp_compare *c) {
  static const pp_view views[] = {{PP_FORMAT_TEXT, 80, 2, 0}, {PP_FORMAT_TEXT, 60, 1, 1},
                                  {PP_FORMAT_YAML, 80, 1, 0}, {PP_FORMAT_JSON, 80, 1, 0}};
  for (size_t k = 0; k < sizeof views / sizeof views[0]; k++) {
    report(r, "pp_diff_render", diff_0_1, c, &views[k]);
    report(r, "pp_compare_render", pp_compare_render, c, &views[k]);
    report(r, "pp_themes_render", pp_themes_render, c, &views[k]);
    report(r, "pp_targets_render", pp_targets_render, c, &views[k]);
  }
  pp_view csv = {PP_FORMAT_CSV, 80, 1, 0};
  report(r, "pp_targets_render", pp_targets_render, c, &csv);
}

/* Plans in other encodings, each read twice: detected, then by the name
 * the first reading gave, with --lossy. */
enum { MAX_OTHER = 8 };
static char *other[MAX_OTHER];
static size_t other_len[MAX_OTHER];
static int nother;

static void read_other(run_state *r, const pp_grammars *set) {
  for (int k = 0; k < nother; k++) {
    char name[64];
    const char *enc = NULL;
    for (int pass = 0; pass < 2; pass++) {
      pp_error e;
      pp_options opt = {.source = "other", .grammars = set, .encoding = enc, .lossy = pass};
      pp_doc *d = pp_doc_parse(other[k], other_len[k], &opt, &e);
      if (!d) {
        failed(r, "pp_doc_parse", &e);
        for (; pass < 2; pass++) /* what this and the next reading would have given */
          skipped(r);
        break;
      }
      size_t len;
      char *out = pp_doc_render(d, PP_FORMAT_JSON, &len, &e);
      if (out)
        output(r, "pp_doc_render", out, len);
      else {
        skipped(r);
        failed(r, "pp_doc_render", &e);
      }
      snprintf(name, sizeof name, "%s", pp_doc_encoding(d));
      enc = name;
      pp_doc_free(d);
    }
  }
}

/* One whole run: grammars, two documents, every document format, the
 * comparison and every report, then the plans in other encodings.  A step
 * that fails leaves out only what depends on it, so the objects are also
 * shown to stay usable after a failure. */
static void run(run_state *r, const char *grammars, const char *a, size_t na, const char *b,
                size_t nb) {
  pp_error e;
  pp_doc *da = NULL, *db = NULL;
  pp_compare *c = NULL;
  pp_grammars *set = pp_grammars_new();
  if (!set) {
    r->nomem++;
    return;
  }
  if (pp_grammars_add_dir(set, grammars, &e)) {
    failed(r, "pp_grammars_add_dir", &e);
    goto done;
  }
  /* The first handed over (read in place, freed by the library whatever
   * happens), the second copied and read as --simplify does, which opens
   * ICU's transliterator. */
  int was = armed;
  armed = 0;
  char *copy = malloc(na + 1);
  armed = was;
  if (!copy) {
    perror("oom_test");
    exit(2);
  }
  memcpy(copy, a, na + 1);
  pp_options opt = {.source = "a", .grammars = set, .adopt = 1};
  if (!(da = pp_doc_parse(copy, na, &opt, &e)))
    failed(r, "pp_doc_parse", &e);
  pp_options opt_b = {.source = "b", .grammars = set, .simplify = 1};
  if (!(db = pp_doc_parse(b, nb, &opt_b, &e)))
    failed(r, "pp_doc_parse", &e);
  if (!da || !db)
    goto done;
  render_doc(r, da);
  render_doc(r, db);
  const pp_doc *both[2] = {da, db};
  if (!(c = pp_compare_new(both, 2, 0.17, &e))) {
    failed(r, "pp_compare_new", &e);
    goto done;
  }
  render_reports(r, c);
  read_other(r, set);
done:
  pp_compare_free(c);
  pp_doc_free(da);
  pp_doc_free(db);
  pp_grammars_free(set);
}

/* A run without failures: its outputs must be the reference's. */
static int clean_run(outputs *ref, const char *grammars, const char *a, size_t na,
                     const char *b, size_t nb) {
  run_state r = {ref, {{0}, {0}, 0}, 0, 0};
  run(&r, grammars, a, na, b, nb);
  return r.nomem || r.bad || r.got.n != ref->n;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 4 + MAX_OTHER) {
    fprintf(stderr, "usage: oom_test GRAMMAR_DIR PLAN_A PLAN_B [PLAN_IN_OTHER_ENCODING...]\n"
                    "  PP_OOM_AT=N fails only the N-th allocation (to debug one case)\n"
                    "  PP_OOM_COLD=1 releases ICU's caches before every run\n");
    return 2;
  }
  size_t na, nb;
  char *a = slurp(argv[2], &na), *b = slurp(argv[3], &nb);
  if (!a || !b || !(sink = tmpfile()) || setvbuf(sink, sink_buf, _IOFBF, sizeof sink_buf)) {
    perror("oom_test");
    return 2;
  }
  for (nother = 0; nother + 4 < argc; nother++)
    if (!(other[nother] = slurp(argv[nother + 4], &other_len[nother]))) {
      perror(argv[nother + 4]);
      return 2;
    }
  const int cold = getenv("PP_OOM_COLD") && strcmp(getenv("PP_OOM_COLD"), "1") == 0;
  const long only = getenv("PP_OOM_AT") ? atol(getenv("PP_OOM_AT")) : 0;
  double t0 = now();
  capture(); /* the unwinder finds its tables now, not while armed */

  run_state ref = {0};
  run(&ref, argv[1], a, na, b, nb);
  if (ref.nomem || ref.bad || ref.got.n > MAX_OUT) {
    fprintf(stderr, "oom_test: the run without failures failed\n");
    return 1;
  }
  /* Which allocations are exempt, from a run that counts them all. */
  recording = armed = 1;
  seen = 0;
  int differs = clean_run(&ref.got, argv[1], a, na, b, nb);
  recording = armed = 0;
  const long total = seen;
  /* What the process holds with ICU's caches released, and with them
   * filled again by a run; a failed run must come back to these. */
  pp_cleanup();
  long cold_base = held_now();
  if (differs || (!cold && clean_run(&ref.got, argv[1], a, na, b, nb))) {
    fprintf(stderr, "oom_test: a second run without failures differed from the first\n");
    return 1;
  }
  long warm_base = held_now();

  long runs = 0, bad = 0, nomem_runs = 0, absorbed = 0, completed = 0;
  for (fail_at = only ? only : 1;; fail_at++) {
    if (!only && !cold && fail_at <= total && exempt_map[fail_at] >= 0) {
      let_through[exempt_map[fail_at]]++;
      continue;
    }
    run_state r = {&ref.got, {{0}, {0}, 0}, 0, 0};
    long let_before = let_through[NO_STATUS] + let_through[LEAKS] + let_through[UNCHECKED];
    seen = 0;
    where.n = 0;
    refused_in_icu = 0;
    armed = 1;
    run(&r, argv[1], a, na, b, nb);
    armed = 0;
    runs++;
    int refused = seen >= fail_at &&
                  let_through[NO_STATUS] + let_through[LEAKS] + let_through[UNCHECKED] == let_before;
    if (cold || refused_in_icu || held_now() != warm_base) {
      /* Releasing ICU's caches tells a leak apart from a cache that the
       * failure left with less (or more) in it. */
      pp_cleanup();
      if (held_now() != cold_base) {
        char what[80];
        long d = held_now() - cold_base;
        snprintf(what, sizeof what, "%ld %s %s", labs(d),
#ifdef PP_OOM_ASAN
                 "bytes",
#else
                 "blocks",
#endif
                 d > 0 ? "leaked" : "freed twice, or not ours");
        complain(&r, "after the run", what);
        warm_base += d; /* so that the next runs are judged on their own */
        cold_base += d;
      }
      if (!cold && (clean_run(&ref.got, argv[1], a, na, b, nb) || held_now() != warm_base)) {
        complain(&r, "the next run without failures", "differs from the first");
        warm_base = held_now();
      }
    }
    if (r.nomem == 0 && r.bad == 0 && r.got.n != ref.got.n)
      complain(&r, "the run", "left a step out without an error");
    if (r.bad)
      bad++;
    else if (r.nomem)
      nomem_runs++;
    else if (refused)
      absorbed++; /* a fallback, or a retry */
    if (seen < fail_at) {
      completed = 1; /* nothing left to refuse: every N was tried */
      break;
    }
    if (only)
      break;
    if (bad >= 20) {
      fprintf(stderr, "oom_test: giving up after 20 wrong runs\n");
      break;
    }
  }
  for (size_t k = 0; k < ref.got.n; k++)
    free(ref.got.text[k]);
  free(a);
  free(b);
  for (int k = 0; k < nother; k++)
    free(other[k]);
  fclose(sink);
  real_free(exempt_map);
  pp_cleanup();
  long tried = fail_at - completed;
  if (only)
    printf("oom: allocation %ld failed: %s; %.1f s\n", only,
           bad ? "wrong" : runs == nomem_runs ? "out of memory" : "absorbed or let through",
           now() - t0);
  else
    printf("oom: N = 1 to %ld: %ld runs, %ld ended in out of memory, %ld absorbed the failure "
           "with the same output, %ld wrong; %ld allocations inside ICU let through (%ld %s, "
           "%ld %s, %ld %s); %.1f s\n",
           tried, runs, nomem_runs, absorbed, bad,
           let_through[NO_STATUS] + let_through[LEAKS] + let_through[UNCHECKED],
           let_through[NO_STATUS], cause_name[NO_STATUS], let_through[LEAKS], cause_name[LEAKS],
           let_through[UNCHECKED], cause_name[UNCHECKED], now() - t0);
  return bad ? 1 : 0;
}
