/* Stage 5: the one walk over a document that every output format shares.
 * The keys and their order here are the output contract (man/planparse.1,
 * OUTPUT); the writers only decide how each event is spelled. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void kv_str(pp_writer *w, const char *k, const char *v) {
  w->key(w, k);
  w->str(w, v);
}

static void kv_num(pp_writer *w, const char *k, long v) {
  w->key(w, k);
  if (v < 0)
    w->str(w, NULL);
  else
    w->num(w, v);
}

static void lines(pp_writer *w, long first, long last) {
  w->key(w, "lines");
  w->seq_begin(w, 1);
  w->num(w, first);
  w->num(w, last);
  w->seq_end(w);
}

static void meta(const pp_doc *d, pp_writer *w) {
  w->key(w, "meta");
  w->map_begin(w);
  kv_str(w, "title", pp_doc_meta(d, "title"));
  for (size_t i = 0; i < d->nmeta; i++) {
    const pp_kv *kv = &d->meta[i];
    if (strcmp(kv->key, "title") == 0)
      continue;
    if (!kv->items) {
      kv_str(w, kv->key, kv->value);
      continue;
    }
    w->key(w, kv->key);
    w->seq_begin(w, 1);
    for (size_t k = 0; k < kv->nitems; k++)
      w->str(w, kv->items[k]);
    w->seq_end(w);
  }
  if (d->year)
    kv_num(w, "year", d->year);
  if (d->meta_first)
    lines(w, d->meta_first, d->meta_last);
  if (d->sign_first) {
    w->key(w, "signature");
    w->seq_begin(w, 1);
    w->num(w, d->sign_first);
    w->num(w, d->sign_last);
    w->seq_end(w);
  }
  w->map_end(w);
}

static void paras(pp_writer *w, const char *key, const pp_para *v, size_t n, int titled) {
  w->key(w, key);
  w->seq_begin(w, 0);
  for (size_t i = 0; i < n; i++) {
    w->map_begin(w);
    if (titled)
      kv_str(w, "title", v[i].title);
    kv_str(w, "text", v[i].text);
    lines(w, v[i].first, v[i].last);
    w->map_end(w);
  }
  w->seq_end(w);
}

static void node_open(const pp_node *n, pp_writer *w) {
  w->map_begin(w);
  kv_str(w, "kind", n->kind);
  kv_str(w, "label", n->label);
  kv_num(w, "number", n->number);
  kv_str(w, "title", n->title);
  kv_str(w, "text", n->text);
  w->key(w, "fields");
  w->map_begin(w);
  for (size_t i = 0; i < n->nfields; i++) {
    w->key(w, n->fields[i].name);
    w->seq_begin(w, 1);
    for (size_t j = 0; j < n->fields[i].n; j++)
      w->str(w, n->fields[i].values[j]);
    w->seq_end(w);
  }
  w->map_end(w);
  w->key(w, "themes");
  w->seq_begin(w, 1);
  for (size_t i = 0; i < n->nthemes; i++)
    w->str(w, n->themes[i]);
  w->seq_end(w);
  w->key(w, "targets");
  w->seq_begin(w, 0);
  for (size_t i = 0; i < n->ntargets; i++) {
    const pp_target *t = &n->targets[i];
    char num[64];
    w->map_begin(w);
    kv_str(w, "text", t->text);
    kv_str(w, "indicator", t->indicator);
    w->key(w, "value");
    snprintf(num, sizeof num, "%g", t->value);
    w->lit(w, num);
    if (t->range) {
      w->key(w, "range");
      w->seq_begin(w, 1);
      w->lit(w, num);
      snprintf(num, sizeof num, "%g", t->high);
      w->lit(w, num);
      w->seq_end(w);
    }
    kv_str(w, "unit", t->unit);
    kv_str(w, "comparator", t->comparator);
    if (t->bound)
      kv_str(w, "bound", t->bound);
    w->map_end(w);
  }
  w->seq_end(w);
  lines(w, n->first, n->last);
  w->key(w, "children");
  w->seq_begin(w, 0);
}

static void node_close(pp_writer *w) {
  w->seq_end(w);
  w->map_end(w);
}

size_t pp__format_long(char *buf, long v) {
  char tmp[24];
  size_t n = 0;
  /* Digits of the magnitude as unsigned: -LONG_MIN does not fit a long. */
  unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
  do
    tmp[n++] = (char)('0' + u % 10);
  while (u /= 10);
  size_t len = 0;
  if (v < 0)
    buf[len++] = '-';
  while (n)
    buf[len++] = tmp[--n];
  buf[len] = 0;
  return len;
}

void pp__emit_doc(const pp_doc *d, pp_writer *w) {
  w->map_begin(w);
  kv_str(w, "source", d->source);
  kv_str(w, "encoding", d->encoding);
  kv_str(w, "grammar", d->grammar);
  meta(d, w);
  paras(w, "preamble", d->preamble, d->npreamble, 0);

  /* Nodes stay open until a node at their depth or above comes, so the
   * walk needs no recursion however deep the document nests. */
  w->key(w, "children");
  w->seq_begin(w, 0);
  pp_iter it;
  pp_iter_init(&it, d);
  const pp_node *n;
  int depth, open = 0;
  while ((n = pp_iter_next(&it, &depth))) {
    for (; open > depth; open--)
      node_close(w);
    node_open(n, w);
    open++;
  }
  for (; open > 0; open--)
    node_close(w);
  w->seq_end(w);

  paras(w, "appendix", d->appendix, d->nappendix, 1);
  w->key(w, "removed");
  w->seq_begin(w, 0);
  for (size_t i = 0; i < d->nremoved; i++) {
    w->map_begin(w);
    kv_num(w, "line", d->removed[i].line);
    kv_str(w, "text", d->removed[i].text);
    kv_str(w, "reason", d->removed[i].kind);
    w->map_end(w);
  }
  w->seq_end(w);
  w->key(w, "repairs");
  w->seq_begin(w, 0);
  for (size_t i = 0; i < d->nrepairs; i++) {
    w->map_begin(w);
    kv_str(w, "kind", d->repairs[i].kind);
    lines(w, d->repairs[i].line, d->repairs[i].last);
    w->map_end(w);
  }
  w->seq_end(w);
  w->key(w, "warnings");
  w->seq_begin(w, 0);
  for (size_t i = 0; i < d->nwarnings; i++) {
    w->map_begin(w);
    kv_num(w, "line", d->warnings[i].line);
    kv_str(w, "message", d->warnings[i].text);
    w->map_end(w);
  }
  w->seq_end(w);
  w->map_end(w);
}

/* Renders d into out; returns NULL, or what went wrong. */
static const char *render_into(const pp_doc *d, pp_format format, pp_buf *out) {
  pp_writer *w;
  const char *problem = "out of memory";
  if (format == PP_FORMAT_CSV || format == PP_FORMAT_TSV) {
    pp__emit_table(d, format == PP_FORMAT_CSV ? ',' : '\t', out);
    problem = out->failed ? "out of memory" : NULL;
  } else if (format == PP_FORMAT_TEXT) {
    problem = "the text format is for diff and compare reports";
  } else {
    int json = format == PP_FORMAT_JSON || format == PP_FORMAT_JSONL;
    void *st = json ? pp__json_writer_new(out, &w, format == PP_FORMAT_JSONL)
                    : pp__yaml_writer_new(out, &w);
    if (st) {
      pp__emit_doc(d, w);
      problem = json ? pp__json_writer_finish(st) : pp__yaml_writer_finish(st);
    }
  }
  return problem;
}

int pp_doc_write(const pp_doc *d, pp_format format, FILE *f, pp_error *err) {
  pp_buf out = {0};
  out.sink = f;
  const char *problem = render_into(d, format, &out);
  pp__buf_flush(&out);
  free(out.p);
  if (out.werr) {
    pp__error(err, PP_ERR_IO, "", 0, "write error: %s", strerror(out.werr));
    return -1;
  }
  if (problem) {
    pp__error(err, strcmp(problem, "out of memory") == 0 ? PP_ERR_NOMEM : PP_ERR_INPUT,
              d->source, 0, "cannot render the document: %s", problem);
    return -1;
  }
  return 0;
}

char *pp_doc_render(const pp_doc *d, pp_format format, size_t *len, pp_error *err) {
  pp_buf out = {0};
  const char *problem = "out of memory";
  problem = render_into(d, format, &out);
  if (problem) {
    free(out.p);
    pp__error(err, strcmp(problem, "out of memory") == 0 ? PP_ERR_NOMEM : PP_ERR_INPUT,
              d->source, 0, "cannot render the document: %s", problem);
    return NULL;
  }
  if (!out.p)
    pp__buf_put(&out, "", 0);
  if (!out.p) { /* even the empty output could not be allocated */
    pp__error(err, PP_ERR_NOMEM, d->source, 0, "cannot render the document: out of memory");
    return NULL;
  }
  if (len)
    *len = out.len;
  return out.p;
}

/* ---- CSV and TSV: one row per work unit -------------------------------- */

const char *pp_table_header(pp_format format) {
  return format == PP_FORMAT_TSV
             ? "source\tregion\tsection_label\tsection_title\titem_label\titem_title\tfields\n"
             : "source,region,section_label,section_title,item_label,item_title,fields\n";
}

/* A CSV field is quoted when it must be (RFC 4180); a TSV field cannot
 * hold tabs or line breaks, so they become spaces. */
void pp__table_cell(pp_buf *out, const char *s, char sep) {
  if (!s)
    s = "";
  if (sep == '\t') {
    for (const char *p = s; *p; p++)
      pp__buf_put(out, (*p == '\t' || *p == '\n' || *p == '\r') ? " " : p, 1);
    return;
  }
  if (!strpbrk(s, ",\"\r\n")) {
    pp__buf_puts(out, s);
    return;
  }
  pp__buf_put(out, "\"", 1);
  for (const char *p = s; *p; p++) {
    if (*p == '"')
      pp__buf_put(out, "\"", 1); /* doubled */
    pp__buf_put(out, p, 1);
  }
  pp__buf_put(out, "\"", 1);
}

void pp__emit_table(const pp_doc *d, char sep, pp_buf *out) {
  pp_iter it;
  const pp_node *n;
  int have_items = pp__has_items(d);
  pp_buf fields = {0};
  pp_iter_init(&it, d);
  while ((n = pp_iter_next(&it, NULL))) {
    if (!pp__is_unit(n, have_items))
      continue;
    const pp_node *top = n;
    while (top->parent)
      top = top->parent;
    fields.len = 0;
    if (fields.p)
      fields.p[0] = 0;
    for (size_t i = 0; i < n->nfields; i++) {
      if (i)
        pp__buf_puts(&fields, "; ");
      pp__buf_puts(&fields, n->fields[i].name);
      pp__buf_puts(&fields, ": ");
      for (size_t j = 0; j < n->fields[i].n; j++) {
        if (j)
          pp__buf_puts(&fields, "、");
        pp__buf_puts(&fields, n->fields[i].values[j]);
      }
    }
    const char *cols[7] = {d->source,
                           pp_doc_meta(d, "region"),
                           top != n ? top->label : "",
                           top != n ? top->title : "",
                           n->label,
                           n->title,
                           fields.p ? fields.p : ""};
    for (int k = 0; k < 7; k++) {
      if (k)
        pp__buf_put(out, &sep, 1);
      pp__table_cell(out, cols[k], sep);
    }
    pp__buf_put(out, "\n", 1);
  }
  if (fields.failed)
    out->failed = 1;
  free(fields.p);
}
