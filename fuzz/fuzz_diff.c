/* Fuzz target: two documents (the input split at its first NUL, or in
 * half) -> comparison -> the diff and compare reports. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "planparse.h"

static pp_grammars *set;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pp_error e;
  if (!set) {
    set = pp_grammars_new();
    if (pp_grammars_add_dir(set, PP_SOURCE_GRAMMAR_DIR, &e))
      abort();
  }
  const uint8_t *nul = memchr(data, 0, size);
  size_t na = nul ? (size_t)(nul - data) : size / 2;
  size_t skip = nul ? 1 : 0;
  pp_options opt = {"fuzz", set, NULL, "UTF-8", 1, 0, 0};
  pp_doc *a = pp_doc_parse((const char *)data, na, &opt, &e);
  pp_doc *b = pp_doc_parse((const char *)data + na + skip, size - na - skip, &opt, &e);
  if (a && b) {
    const pp_doc *both[2] = {a, b};
    pp_compare *c = pp_compare_new(both, 2, 0.17, &e);
    if (c) {
      pp_view views[] = {{PP_FORMAT_TEXT, 20 + (int)(size % 100), 1 + (int)(size & 1), 1},
                         {PP_FORMAT_YAML, 80, 1, 0}};
      for (int i = 0; i < 2; i++) {
        free(pp_diff_render(c, 0, 1, &views[i], NULL, &e));
        free(pp_compare_render(c, &views[i], NULL, &e));
      }
      pp_compare_free(c);
    }
  }
  pp_doc_free(a);
  pp_doc_free(b);
  return 0;
}
