/* Allocation failure at the N-th allocation, for every N until a run
 * completes (SQLite's method): every run must end in a clean error with
 * PP_ERR_NOMEM, or succeed, and never crash; under the sanitizer build,
 * LeakSanitizer checks that nothing leaks on any of those paths.
 * The library's own allocations are counted (-Wl,--wrap), not those of
 * ICU, PCRE2 or libyaml, whose failures reach us as their error codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planparse.h"

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);

static long count, fail_at = -1;
static int fail(void) { return ++count == fail_at; }
void *__wrap_malloc(size_t n) { return fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t a, size_t b) { return fail() ? NULL : __real_calloc(a, b); }
void *__wrap_realloc(void *p, size_t n) { return fail() ? NULL : __real_realloc(p, n); }

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = __real_malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return b;
}

/* One whole run: grammars, two documents, a comparison, every output.
 * Returns 0 when it completed, 1 on a clean out-of-memory error, -1 on
 * any other outcome. */
static int run(const char *grammars, const char *a, size_t na, const char *b, size_t nb) {
  pp_error e;
  pp_grammars *set = pp_grammars_new();
  if (!set)
    return 1;
  int rc = 0;
  pp_doc *da = NULL, *db = NULL;
  pp_compare *c = NULL;
  if (pp_grammars_add_dir(set, grammars, &e)) {
    rc = e.status == PP_ERR_NOMEM ? 1 : -1;
    goto done;
  }
  pp_options opt = {"a", set, NULL, NULL, 0, 0};
  if (!(da = pp_doc_parse(a, na, &opt, &e)) || !(db = pp_doc_parse(b, nb, &opt, &e))) {
    rc = e.status == PP_ERR_NOMEM ? 1 : -1;
    goto done;
  }
  pp_format formats[] = {PP_FORMAT_YAML, PP_FORMAT_JSON, PP_FORMAT_JSONL, PP_FORMAT_CSV};
  for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
    char *out = pp_doc_render(da, formats[k], NULL, &e);
    if (!out) {
      rc = e.status == PP_ERR_NOMEM ? 1 : -1;
      goto done;
    }
    free(out);
  }
  const pp_doc *both[2] = {da, db};
  if (!(c = pp_compare_new(both, 2, 0.17, &e))) {
    rc = e.status == PP_ERR_NOMEM ? 1 : -1;
    goto done;
  }
  pp_view views[] = {{PP_FORMAT_TEXT, 80, 2, 0}, {PP_FORMAT_JSON, 80, 1, 0}};
  for (size_t k = 0; k < 2; k++) {
    char *out = pp_diff_render(c, 0, 1, &views[k], NULL, &e);
    if (!out) {
      rc = e.status == PP_ERR_NOMEM ? 1 : -1;
      goto done;
    }
    free(out);
    if (!(out = pp_compare_render(c, &views[k], NULL, &e))) {
      rc = e.status == PP_ERR_NOMEM ? 1 : -1;
      goto done;
    }
    free(out);
  }
done:
  pp_compare_free(c);
  pp_doc_free(da);
  pp_doc_free(db);
  pp_grammars_free(set);
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: oom_test GRAMMAR_DIR PLAN_A PLAN_B\n");
    return 2;
  }
  size_t na, nb;
  char *a = slurp(argv[2], &na), *b = slurp(argv[3], &nb);
  if (!a || !b)
    return 2;
  long runs = 0, failed = 0;
  for (fail_at = 1;; fail_at++) {
    count = 0;
    int rc = run(argv[1], a, na, b, nb);
    runs++;
    if (rc < 0) {
      fprintf(stderr, "FAIL: allocation %ld failing gave neither success nor out of memory\n",
              fail_at);
      failed++;
    }
    if (rc == 0 && count < fail_at)
      break; /* completed with no failure injected: every N was tried */
  }
  fail_at = -1; /* what runs at exit (coverage counters, say) allocates too */
  free(a);
  free(b);
  pp_cleanup();
  printf("oom: %ld passed, %ld failed\n", runs - failed, failed);
  return failed ? 1 : 0;
}
