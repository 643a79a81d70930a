/* Fuzz target: document bytes -> tree -> every output format. */
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
  /* Every other input is handed over in a block of exactly size + 1
   * bytes, so the sanitizer sees any read past the text read in place. */
  int adopt = (size & 2) != 0;
  pp_options opt = {"fuzz", set, NULL, NULL, (int)(size & 1), 0, adopt};
  char *own = NULL;
  if (adopt) {
    own = malloc(size + 1);
    if (!own)
      return 0;
    memcpy(own, data, size);
  }
  pp_doc *d = pp_doc_parse(adopt ? own : (const char *)data, size, &opt, &e);
  if (!d)
    return 0;
  pp_format formats[] = {PP_FORMAT_YAML, PP_FORMAT_JSON, PP_FORMAT_JSONL, PP_FORMAT_CSV,
                         PP_FORMAT_TSV};
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    free(pp_doc_render(d, formats[i], NULL, &e));
  pp_doc_free(d);
  return 0;
}
