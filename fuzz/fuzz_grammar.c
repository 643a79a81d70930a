/* Fuzz target: grammar file bytes -> compiled grammar -> a parse with it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "planparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pp_error e;
  pp_grammars *set = pp_grammars_new();
  const pp_grammar *g = pp_grammars_add_buffer(set, (const char *)data, size, "fuzz.yaml", &e);
  if (g) {
    static const char text[] = "某局2023年工作要点\n一、总体要求\n（一）加强党建\n1.学习。内容。\n"
                               "责任单位：办公室 各学校\n（1）细化。\n①一点。\n## 标题\n# 文章\n正文。\n";
    pp_options opt = {"fuzz", set, g, NULL, 0, 0, 0};
    pp_doc *d = pp_doc_parse(text, sizeof text - 1, &opt, &e);
    if (d)
      free(pp_doc_render(d, PP_FORMAT_JSON, NULL, &e));
    pp_doc_free(d);
  }
  pp_grammars_free(set);
  return 0;
}
