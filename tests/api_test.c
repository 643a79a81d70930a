/* The library API as a C program uses it: load grammars, parse, walk,
 * read fields, render, and get errors as values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planparse.h"

static int failures, checks;

#define CHECK(cond)                                                       \
  do {                                                                    \
    checks++;                                                             \
    if (!(cond)) {                                                        \
      failures++;                                                         \
      fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);     \
    }                                                                     \
  } while (0)

static char *slurp(const char *dir, const char *name, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
    exit(2);
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static pp_doc *parse(const pp_grammars *set, const char *dir, const char *name) {
  size_t len;
  char *data = slurp(dir, name, &len);
  pp_options opt = {name, set, NULL, NULL, 0, 0, 0};
  pp_error err;
  pp_doc *doc = pp_doc_parse(data, len, &opt, &err);
  free(data);
  if (!doc)
    fprintf(stderr, "%s: %s\n", name, err.message);
  return doc;
}

static const pp_node *item(const pp_doc *doc, long number) {
  pp_iter it;
  pp_iter_init(&it, doc);
  const pp_node *n;
  while ((n = pp_iter_next(&it, NULL)))
    if (strcmp(pp_node_kind(n), "item") == 0 && pp_node_number(n) == number)
      return n;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: api_test GRAMMAR_DIR SAMPLE_DIR\n");
    return 2;
  }
  pp_error err;
  pp_grammars *set = pp_grammars_new();
  CHECK(pp_grammars_add_dir(set, argv[1], &err) == 0);
  CHECK(pp_grammars_count(set) == 2);
  CHECK(pp_grammars_find(set, "cn-plan") != NULL);
  CHECK(pp_grammars_find(set, "nonesuch") == NULL);
  CHECK(pp_grammars_add_dir(set, "/nonexistent", &err) == 0);

  /* xinzhou: the walk visits 7 sections at depth 0 and 28 items at 1. */
  pp_doc *doc = parse(set, argv[2], "xinzhou-2023.txt");
  CHECK(doc != NULL);
  if (doc) {
    pp_iter it;
    pp_iter_init(&it, doc);
    const pp_node *n;
    int depth, sections = 0, items = 0;
    while ((n = pp_iter_next(&it, &depth))) {
      sections += depth == 0 && strcmp(pp_node_kind(n), "section") == 0;
      items += depth == 1 && strcmp(pp_node_kind(n), "item") == 0;
    }
    CHECK(sections == 7);
    CHECK(items == 28);
    CHECK(strcmp(pp_doc_grammar(doc), "cn-plan") == 0);
    CHECK(strcmp(pp_doc_encoding(doc), "UTF-8") == 0);
    CHECK(strstr(pp_doc_meta(doc, "title"), "工作要点") != NULL);
    CHECK(pp_doc_meta(doc, "nonesuch") == NULL);
    CHECK(pp_doc_repair_count(doc) == 5);
    const pp_node *two = item(doc, 2);
    CHECK(two && strcmp(pp_node_title(two), "一以贯之推动党建质量提升") == 0);
    CHECK(two && pp_node_first_line(two) == 35 && pp_node_last_line(two) == 37);
    CHECK(two && strcmp(pp_node_label(pp_node_parent(two)), "一") == 0);
    const pp_node *s3 = pp_node_next(pp_node_next(pp_doc_first_child(doc)));
    CHECK(s3 && pp_node_number(pp_node_first_child(s3)) == 9);
    size_t len = 0;
    char *json = pp_doc_render(doc, PP_FORMAT_JSON, &len, &err);
    CHECK(json && len == strlen(json) && json[0] == '{');
    free(json);
    char *yaml = pp_doc_render(doc, PP_FORMAT_YAML, &len, &err);
    CHECK(yaml && strncmp(yaml, "source: ", 8) == 0);
    free(yaml);
    pp_doc_free(doc);
  }

  /* jinfeng: fields as lists, padded names joined. */
  doc = parse(set, argv[2], "jinfeng-2023.txt");
  CHECK(doc != NULL);
  if (doc) {
    const pp_node *eight = item(doc, 8);
    CHECK(eight && pp_node_field_count(eight) == 2);
    CHECK(eight && strcmp(pp_node_field_name(eight, 0), "责任领导") == 0);
    CHECK(eight && pp_node_field_value_count(eight, 0) == 1);
    CHECK(eight && strcmp(pp_node_field_value(eight, 0, 0), "崔茜") == 0);
    CHECK(eight && pp_node_field_value_count(eight, 1) == 8);
    CHECK(eight && pp_node_field_value(eight, 1, 8) == NULL);
    CHECK(eight && pp_node_field_name(eight, 2) == NULL);
    pp_doc_free(doc);
  }

  /* lvliang with a forced grammar: appendix articles. */
  size_t len;
  char *data = slurp(argv[2], "lvliang-2022.txt", &len);
  pp_options opt = {"lvliang", set, pp_grammars_find(set, "markdown-plan"), NULL, 0, 0, 0};
  doc = pp_doc_parse(data, len, &opt, &err);
  free(data);
  CHECK(doc && pp_doc_appendix_count(doc) == 2 && pp_doc_warning_count(doc) == 1);
  pp_doc_free(doc);

  /* Handed over (adopt): the same document, whether UTF-8 read in place,
   * GB18030 decoded into a copy, or a failure; the library frees the input
   * in every case (the sanitizer and valgrind runs see any leak or double
   * free). */
  {
    size_t n;
    char *own = slurp(argv[2], "jinfeng-2023.txt", &n);
    pp_options ad = {"jinfeng-2023.txt", set, NULL, NULL, 0, 0, 1};
    pp_doc *a = pp_doc_parse(own, n, &ad, &err), *b = parse(set, argv[2], "jinfeng-2023.txt");
    char *ya = a ? pp_doc_render(a, PP_FORMAT_JSON, NULL, &err) : NULL;
    char *yb = b ? pp_doc_render(b, PP_FORMAT_JSON, NULL, &err) : NULL;
    CHECK(ya && yb && strcmp(ya, yb) == 0);
    free(ya);
    free(yb);
    pp_doc_free(a);
    pp_doc_free(b);
    static const char gb[] = "\xd2\xbb\xa1\xa2\xd7\xdc\xcc\xe5\xd2\xaa\xc7\xf3\n"; /* 一、总体要求 */
    char *g = malloc(sizeof gb);
    memcpy(g, gb, sizeof gb);
    a = pp_doc_parse(g, sizeof gb - 1, &ad, &err);
    CHECK(a && strcmp(pp_doc_encoding(a), "GB18030") == 0 && pp_doc_first_child(a) &&
          strcmp(pp_node_title(pp_doc_first_child(a)), "总体要求") == 0);
    pp_doc_free(a);
    char *bin = malloc(10);
    memcpy(bin, "\0\0\0binary", 10);
    CHECK(pp_doc_parse(bin, 9, &ad, &err) == NULL && err.status == PP_ERR_INPUT);
  }

  /* Errors are values. */
  opt.grammar = NULL;
  doc = pp_doc_parse("\0\0\0binary", 9, &opt, &err);
  CHECK(doc == NULL && err.status == PP_ERR_INPUT);
  CHECK(strcmp(err.message, "not a text document") == 0 && strcmp(err.file, "lvliang") == 0);
  doc = pp_doc_parse("", 0, &opt, &err);
  CHECK(doc && pp_doc_warning_count(doc) == 1 && pp_doc_first_child(doc) == NULL);
  pp_doc_free(doc);
  const char bad[] = "name: x\nlevels:\n  - name: item\n    number: roman\n    patterns: ['(?<title>x)']\n";
  CHECK(pp_grammars_add_buffer(set, bad, strlen(bad), "bad.yaml", &err) == NULL);
  CHECK(err.status == PP_ERR_GRAMMAR && err.line == 4 && strcmp(err.file, "bad.yaml") == 0);
  CHECK(pp_grammars_count(set) == 2);
  pp_grammars_free(set);
  pp_grammars_free(NULL);
  pp_doc_free(NULL);
  CHECK(strlen(pp_version()) > 0);

  pp_cleanup();
  printf("api: %d passed, %d failed\n", checks - failures, failures);
  return failures ? 1 : 0;
}
