/* YAML writer over libyaml's emitter.  Strings that a YAML 1.1 or 1.2 reader
 * would take for another type (2023, yes, null, 2023-03-15, .inf) are
 * double-quoted, so YAML and JSON load to the same data; multi-paragraph
 * text is a literal block where libyaml allows one. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "internal.h"

typedef struct ystate {
  pp_writer w;
  yaml_emitter_t em;
} ystate;

static int out_handler(void *data, unsigned char *buf, size_t size) {
  pp_buf *b = data;
  pp__buf_put(b, (const char *)buf, size);
  return !b->failed;
}

static void emit(ystate *s, yaml_event_t *ev, int ok) {
  /* yaml_emitter_emit owns the event even when it fails. */
  if (!ok) {
    s->w.failed = 1;
    return;
  }
  if (s->w.failed) {
    yaml_event_delete(ev);
    return;
  }
  if (!yaml_emitter_emit(&s->em, ev))
    s->w.failed = 1;
}

static int typed_looking(const char *v) {
  static const char *const words[] = {
      "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
      "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null",
      "NULL", "~", "=", "<<", NULL};
  if (!*v)
    return 1;
  if ((unsigned char)*v >= 0x80)
    return 0; /* no YAML type starts with a non-ASCII character */
  size_t n = 0;
  while (n < 6 && v[n])
    n++;
  if (n <= 5 && strchr("yYnNtTfFoO~=<", *v)) /* the words' lengths and first letters */
    for (const char *const *w = words; *w; w++)
      if (strcmp(v, *w) == 0)
        return 1;
  const char *p = v;
  if (*p == '+' || *p == '-')
    p++;
  if (*p == '.')
    p++;
  return (*p >= '0' && *p <= '9') || strncmp(p, "inf", 3) == 0 ||
         strncmp(p, "Inf", 3) == 0 || strncmp(p, "INF", 3) == 0 ||
         strncmp(p, "nan", 3) == 0 || strncmp(p, "NaN", 3) == 0 || strncmp(p, "NAN", 3) == 0;
}

static void scalar(ystate *s, const char *v, yaml_scalar_style_t style, int plain_ok) {
  yaml_event_t ev;
  int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)v, (int)strlen(v),
                                        plain_ok, 1, style);
  emit(s, &ev, ok);
}

static void y_map_begin(pp_writer *w) {
  yaml_event_t ev;
  int ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
  emit((ystate *)w, &ev, ok);
}

static void y_map_end(pp_writer *w) {
  yaml_event_t ev;
  emit((ystate *)w, &ev, yaml_mapping_end_event_initialize(&ev));
}

static void y_seq_begin(pp_writer *w, int flow) {
  yaml_event_t ev;
  int ok = yaml_sequence_start_event_initialize(
      &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
  emit((ystate *)w, &ev, ok);
}

static void y_seq_end(pp_writer *w) {
  yaml_event_t ev;
  emit((ystate *)w, &ev, yaml_sequence_end_event_initialize(&ev));
}

static void y_str(pp_writer *w, const char *v) {
  ystate *s = (ystate *)w;
  if (!v)
    scalar(s, "null", YAML_PLAIN_SCALAR_STYLE, 1);
  else if (strchr(v, '\n'))
    scalar(s, v, YAML_LITERAL_SCALAR_STYLE, 0);
  else if (typed_looking(v))
    scalar(s, v, YAML_DOUBLE_QUOTED_SCALAR_STYLE, 0);
  else
    scalar(s, v, YAML_ANY_SCALAR_STYLE, 1);
}

static void y_key(pp_writer *w, const char *k) { y_str(w, k); }

static void y_num(pp_writer *w, long v) {
  char tmp[24];
  pp__format_long(tmp, v);
  scalar((ystate *)w, tmp, YAML_PLAIN_SCALAR_STYLE, 1);
}

static void y_real(pp_writer *w, double v) {
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%.3f", v);
  scalar((ystate *)w, tmp, YAML_PLAIN_SCALAR_STYLE, 1);
}

static void y_lit(pp_writer *w, const char *v) { scalar((ystate *)w, v, YAML_PLAIN_SCALAR_STYLE, 1); }

void *pp__yaml_writer_new(pp_buf *out, pp_writer **w) {
  ystate *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  if (!yaml_emitter_initialize(&s->em)) {
    free(s);
    return NULL;
  }
  yaml_emitter_set_output(&s->em, out_handler, out);
  yaml_emitter_set_unicode(&s->em, 1);
  yaml_emitter_set_width(&s->em, -1);
  yaml_emitter_set_indent(&s->em, 2);
  s->w = (pp_writer){y_map_begin, y_map_end, y_seq_begin, y_seq_end, y_key, y_str, y_num, y_real, y_lit, out, 0};
  yaml_event_t ev;
  emit(s, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
  emit(s, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
  *w = &s->w;
  return s;
}

void pp__yaml_writer_abort(void *st) {
  ystate *s = st;
  yaml_emitter_delete(&s->em);
  free(s);
}

const char *pp__yaml_writer_finish(void *st) {
  ystate *s = st;
  yaml_event_t ev;
  emit(s, &ev, yaml_document_end_event_initialize(&ev, 1));
  emit(s, &ev, yaml_stream_end_event_initialize(&ev));
  const char *problem = NULL;
  /* An event that could not even be built failed for want of memory. */
  if (s->w.out->failed || s->em.error == YAML_MEMORY_ERROR ||
      (s->w.failed && s->em.error == YAML_NO_ERROR))
    problem = "out of memory";
  else if (s->em.error != YAML_NO_ERROR)
    problem = s->em.problem ? s->em.problem : "YAML emitter error";
  yaml_emitter_delete(&s->em);
  free(s);
  return problem;
}
