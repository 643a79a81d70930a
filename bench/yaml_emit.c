/* The floor under planparse's YAML output: how long libyaml's emitter
 * alone takes to write a given YAML stream.  Reads a YAML file (say,
 * planparse's output for BIG), keeps its events, then times emitting them
 * into a counting sink, as planparse's writer does.  Whatever planparse
 * does besides, its YAML rate cannot beat this one.
 * Usage: yaml_emit FILE.yaml INPUT_BYTES   (rate is per byte of INPUT_BYTES) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

static int sink(void *data, unsigned char *buf, size_t size) {
  (void)buf;
  *(size_t *)data += size;
  return 1;
}

/* A deep copy, since the emitter takes ownership of each event it gets. */
static int copy(yaml_event_t *to, const yaml_event_t *e) {
  switch (e->type) {
  case YAML_STREAM_START_EVENT: return yaml_stream_start_event_initialize(to, YAML_UTF8_ENCODING);
  case YAML_STREAM_END_EVENT: return yaml_stream_end_event_initialize(to);
  case YAML_DOCUMENT_START_EVENT: return yaml_document_start_event_initialize(to, NULL, NULL, NULL, 1);
  case YAML_DOCUMENT_END_EVENT: return yaml_document_end_event_initialize(to, 1);
  case YAML_MAPPING_START_EVENT:
    return yaml_mapping_start_event_initialize(to, NULL, NULL, 1, e->data.mapping_start.style);
  case YAML_MAPPING_END_EVENT: return yaml_mapping_end_event_initialize(to);
  case YAML_SEQUENCE_START_EVENT:
    return yaml_sequence_start_event_initialize(to, NULL, NULL, 1, e->data.sequence_start.style);
  case YAML_SEQUENCE_END_EVENT: return yaml_sequence_end_event_initialize(to);
  case YAML_SCALAR_EVENT:
    return yaml_scalar_event_initialize(to, NULL, NULL, e->data.scalar.value,
                                        (int)e->data.scalar.length, 1, 1, e->data.scalar.style);
  default: return 0;
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: yaml_emit FILE.yaml INPUT_BYTES\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f)
    return perror(argv[1]), 1;
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_file(&p, f);
  size_t n = 0, cap = 1 << 16;
  yaml_event_t *ev = malloc(cap * sizeof *ev);
  for (;;) {
    if (n == cap)
      ev = realloc(ev, (cap *= 2) * sizeof *ev);
    if (!ev || !yaml_parser_parse(&p, &ev[n]))
      return fprintf(stderr, "yaml_emit: cannot read %s\n", argv[1]), 1;
    if (ev[n++].type == YAML_STREAM_END_EVENT)
      break;
  }
  yaml_parser_delete(&p);
  fclose(f);

  /* Timed: building each event (planparse builds them from its tree) and
   * emitting it. */
  size_t out = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  yaml_emitter_t em;
  yaml_emitter_initialize(&em);
  yaml_emitter_set_output(&em, sink, &out);
  yaml_emitter_set_unicode(&em, 1);
  yaml_emitter_set_width(&em, -1);
  yaml_emitter_set_indent(&em, 2);
  for (size_t i = 0; i < n; i++) {
    yaml_event_t e;
    if (!copy(&e, &ev[i]) || !yaml_emitter_emit(&em, &e))
      return fprintf(stderr, "yaml_emit: emitter failed at event %zu\n", i), 1;
  }
  yaml_emitter_delete(&em);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  double in = strtod(argv[2], NULL);
  printf("libyaml emitter alone: %zu events, %.0f MiB of YAML in %.2f s: %.1f MiB/s of input\n", n,
         (double)out / 1048576, s, in / 1048576 / s);
  for (size_t i = 0; i < n; i++)
    yaml_event_delete(&ev[i]);
  free(ev);
  return 0;
}
