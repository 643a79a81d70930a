/* What the command's two files share: main.c reads the options and loads
 * grammars; cli_batch.c converts files, in parallel, to stdout or to a
 * directory.  Not part of the library. */
#ifndef PP_CLI_H
#define PP_CLI_H

#include "planparse.h"

enum command { CMD_CONVERT, CMD_DIFF, CMD_COMPARE };

typedef struct cli {
  enum command cmd;
  pp_format format;
  int format_set;
  const char *grammar;
  const char *encoding;
  const char *outdir;     /* -o DIR */
  const char **lists;     /* --files-from FILE, each time given */
  int nlists;
  int lossy, list, simplify, quiet, themes, targets;
  int jobs;               /* -j N; 0: the number of cores */
  double threshold;
  int width, ambiguous, color; /* color: -1 auto */
} cli;

extern const char *const pp_prog;

/* One line on stderr: "planparse: FILE[:LINE[:COL]]: message". */
void cli_report(const pp_error *e);
/* Reads all of path ("-" is stdin) into a heap buffer; NULL with e set. */
char *cli_slurp(const char *path, size_t *len, pp_error *e);
/* Converts every file as c says; returns the exit status (-1: output
 * broken). */
int cli_convert_all(const char *const *files, int n, const cli *c, const pp_grammars *set,
                    const pp_grammar *g);
/* Reads and parses one input; NULL with e set. */
pp_doc *cli_read_doc(const char *path, const cli *c, const pp_grammars *set,
                     const pp_grammar *g, pp_error *e);

#endif
