#define _XOPEN_SOURCE 700
/* The planparse command: options, grammar search path, files in, rendered
 * documents out.  All parsing lives in the library. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: planparse [OPTION]... [FILE]...\n"
    "       planparse diff [OPTION]... A B\n"
    "       planparse compare [OPTION]... FILE FILE...\n"
    "Turn Chinese work plans (工作要点, 工作计划) into a YAML or JSON tree, or\n"
    "compare what plans set out to do, item by item.\n"
    "With no FILE, or when FILE is -, read standard input.  After --, every\n"
    "argument is a FILE, even one that starts with -.  An option's value may\n"
    "follow it as --jobs=2 or -j2 as well as --jobs 2; options are not bundled.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT    yaml (default), json, jsonl (one line per input),\n"
    "                         csv or tsv (a row per item); for diff and compare:\n"
    "                         text (the terminal view, their default), yaml, json\n"
    "  -o, --output DIR       write one file per input, DIR/NAME.yaml (or .json,\n"
    "                         .csv, .tsv), each written whole or not at all\n"
    "      --files-from FILE  also convert the files listed in FILE (- for stdin),\n"
    "                         one per line, or NUL-separated (find -print0); may\n"
    "                         be given again; an empty list converts nothing\n"
    "  -j, --jobs N           convert N files at a time, 1 to 1024 (default: the\n"
    "                         processors it may use); output stays in input order\n"
    "  -q, --quiet            no progress line on a terminal's stderr\n"
    "  -g, --grammar NAME|FILE  use this grammar instead of the best-scoring one\n"
    "      --list-grammars    list the grammars found, with their files, and exit\n"
    "  -e, --encoding NAME    read input in this encoding (default: detect)\n"
    "      --lossy            replace invalid bytes with U+FFFD (and warn) instead\n"
    "                         of failing\n"
    "      --simplify         write traditional characters as simplified ones\n"
    "                         (matching reads both either way)\n"
    "  -h, --help             show this help and exit\n"
    "  -V, --version          show the version and exit\n"
    "\n"
    "Options of diff and compare:\n"
    "      --themes           compare: count each plan's items per policy theme\n"
    "      --targets          compare: line up numeric targets that mean the same\n"
    "                         thing (also --format csv or tsv: a row per target)\n"
    "  -t, --threshold X      least similarity (0 to 1) for two items to be\n"
    "                         paired (default 0.17)\n"
    "  -w, --width N          terminal view width in columns (default: the\n"
    "                         terminal's, else 80)\n"
    "      --color WHEN       mark differing words in colour: auto (default: when\n"
    "                         standard output is a terminal and NO_COLOR is\n"
    "                         unset), always or never; without colour the marks\n"
    "                         are [-...-] and {+...+}\n"
    "      --ambiguous-width N  columns (1 or 2) of East Asian ambiguous\n"
    "                         characters such as “ ” ① — (default: 2 in a zh,\n"
    "                         ja or ko locale, else 1)\n"
    "\n"
    "Grammars are YAML files, searched in $PLANPARSE_GRAMMAR_PATH (a colon-\n"
    "separated list of directories), then in the shipped grammar directory.\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  an input could not be read as a plan (encoding, binary data)\n"
    "  2  usage error, a file could not be read or written, or ICU could not\n"
    "     be loaded\n"
    "  3  a grammar file is invalid, or a grammar rule hit its match limit\n"
    "  4  out of memory\n"
    "When several files are given, each is converted; the status is the\n"
    "highest of their statuses.\n";

const char *const pp_prog = "planparse";
static const char *const prog = "planparse";


#ifdef __GNUC__
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s: ", prog);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry 'planparse --help' for more information.\n");
  return PP_ERR_IO;
}

/* Loads the grammar directories in search order: $PLANPARSE_GRAMMAR_PATH,
 * then the source tree's grammars when this binary runs from its build
 * tree, else the installed ones. */
static int load_grammars(pp_grammars *set, pp_error *e) {
  const char *env = getenv("PLANPARSE_GRAMMAR_PATH");
  if (env && *env) {
    char *copy = strdup(env);
    if (!copy)
      return -1;
    for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir;
         dir = strtok_r(NULL, ":", &save))
      if (pp_grammars_add_dir(set, dir, e)) {
        free(copy);
        return -1;
      }
    free(copy);
  }
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  int in_build_tree = 0;
  if (n > 0) {
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = 0;
      char marker[PATH_MAX + 32];
      snprintf(marker, sizeof marker, "%s/CMakeCache.txt", exe);
      in_build_tree = access(marker, F_OK) == 0;
      if (!in_build_tree) {
        char rel[PATH_MAX + 64], canon[PATH_MAX];
        snprintf(rel, sizeof rel, "%s/../share/planparse/grammars", exe);
        if (realpath(rel, canon) && pp_grammars_add_dir(set, canon, e))
          return -1;
      }
    }
  }
  if (pp_grammars_add_dir(set, in_build_tree ? PP_SOURCE_GRAMMAR_DIR : PP_INSTALL_GRAMMAR_DIR, e))
    return -1;
  return 0;
}

/* diff and compare: every input is read first, so that a bad one stops
 * the report before anything is written. */
static int report_plans(const char **files, int n, const cli *c, const pp_grammars *set,
                        const pp_grammar *g) {
  pp_doc **docs = calloc((size_t)n, sizeof *docs);
  int status = 0;
  if (!docs) {
    fprintf(stderr, "%s: out of memory\n", prog);
    return PP_ERR_NOMEM;
  }
  pp_error e = {0};
  for (int i = 0; i < n && !status; i++)
    if (!(docs[i] = cli_read_doc(files[i], c, set, g, &e)))
      status = e.status;
  pp_compare *cmp = NULL;
  char *out = NULL;
  size_t olen = 0;
  if (!status && !(cmp = pp_compare_new((const pp_doc *const *)docs, (size_t)n, c->threshold, &e)))
    status = e.status;
  if (cmp) {
    pp_view v = {c->format_set ? c->format : PP_FORMAT_TEXT, c->width, c->ambiguous, c->color};
    out = c->cmd == CMD_DIFF ? pp_diff_render(cmp, 0, 1, &v, &olen, &e)
          : c->themes        ? pp_themes_render(cmp, &v, &olen, &e)
          : c->targets       ? pp_targets_render(cmp, &v, &olen, &e)
                             : pp_compare_render(cmp, &v, &olen, &e);
    if (!out)
      status = e.status;
  }
  if (status && e.message[0])
    cli_report(&e);
  if (out && fwrite(out, 1, olen, stdout) != olen) {
    fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
    status = -1;
  }
  free(out);
  pp_compare_free(cmp);
  for (int i = 0; i < n; i++)
    pp_doc_free(docs[i]);
  free(docs);
  return status;
}

static int terminal_width(void) {
  struct winsize ws;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
    return ws.ws_col;
  return 80;
}

/* 2 where CJK fonts draw ambiguous characters wide: zh, ja, ko locales. */
static int locale_ambiguous(void) {
  const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
  for (int i = 0; i < 3; i++) {
    const char *l = getenv(vars[i]);
    if (l && *l)
      return strncmp(l, "zh", 2) == 0 || strncmp(l, "ja", 2) == 0 || strncmp(l, "ko", 2) == 0
                 ? 2
                 : 1;
  }
  return 1;
}

static int color_auto(void) {
  const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
  return isatty(STDOUT_FILENO) && !(no && *no) && !(term && strcmp(term, "dumb") == 0);
}

/* Parses the options; returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, cli *c, const char **files, int *nfiles) {
  int only_files = 0, first = 1;
  if (argc > 1 && strcmp(argv[1], "diff") == 0)
    c->cmd = CMD_DIFF, first = 2;
  else if (argc > 1 && strcmp(argv[1], "compare") == 0)
    c->cmd = CMD_COMPARE, first = 2;
  /* Options taking a value accept "--opt VALUE", "--opt=VALUE", "-o VALUE"
   * and "-oVALUE". */
  static const char *const valued[][2] = {
      {"-f", "--format"},          {"-g", "--grammar"}, {"-e", "--encoding"},
      {"-t", "--threshold"},       {"-w", "--width"},   {"", "--color"},
      {"", "--ambiguous-width"},   {"-o", "--output"},  {"", "--files-from"},
      {"-j", "--jobs"}};
  enum { N_VALUED = sizeof valued / sizeof valued[0] };
  for (int i = first; i < argc; i++) {
    const char *a = argv[i], *val = NULL;
    if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
      files[(*nfiles)++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_files = 1;
      continue;
    }
    int which = -1;
    for (int k = 0; k < N_VALUED && which < 0; k++) {
      size_t ln = strlen(valued[k][1]);
      if ((valued[k][0][0] && strcmp(a, valued[k][0]) == 0) || strcmp(a, valued[k][1]) == 0) {
        if (i + 1 >= argc)
          return usage_error("option '%s' needs a value", a);
        val = argv[++i];
        which = k;
      } else if (strncmp(a, valued[k][1], ln) == 0 && a[ln] == '=') {
        val = a + ln + 1;
        which = k;
      } else if (valued[k][0][0] && a[1] == valued[k][0][1] && a[1] != '-' && a[2]) {
        val = a + 2; /* -j2, -fjson: the value joined to a short option */
        which = k;
      }
    }
    char *end;
    switch (which) {
    case 0:
      c->format_set = 1;
      if (strcmp(val, "yaml") == 0)
        c->format = PP_FORMAT_YAML;
      else if (strcmp(val, "json") == 0)
        c->format = PP_FORMAT_JSON;
      else if (strcmp(val, "text") == 0 && c->cmd != CMD_CONVERT)
        c->format = PP_FORMAT_TEXT;
      else if ((strcmp(val, "csv") == 0 || strcmp(val, "tsv") == 0) && c->cmd == CMD_COMPARE)
        c->format = val[0] == 'c' ? PP_FORMAT_CSV : PP_FORMAT_TSV;
      else if (strcmp(val, "jsonl") == 0 && c->cmd == CMD_CONVERT)
        c->format = PP_FORMAT_JSONL;
      else if (strcmp(val, "csv") == 0 && c->cmd == CMD_CONVERT)
        c->format = PP_FORMAT_CSV;
      else if (strcmp(val, "tsv") == 0 && c->cmd == CMD_CONVERT)
        c->format = PP_FORMAT_TSV;
      else
        return usage_error("unknown format '%s' (%s)", val,
                           c->cmd == CMD_CONVERT ? "yaml, json, jsonl, csv or tsv"
                                                 : "text, yaml or json");
      continue;
    case 1:
      c->grammar = val;
      continue;
    case 2:
      c->encoding = val;
      continue;
    case 3:
      c->threshold = strtod(val, &end);
      if (end == val || *end || !(c->threshold >= 0 && c->threshold <= 1))
        return usage_error("--threshold takes a number from 0 to 1, not '%s'", val);
      continue;
    case 4: {
      long w = strtol(val, &end, 10);
      if (end == val || *end || w < 20 || w > 10000)
        return usage_error("--width takes a number of columns from 20 to 10000, not '%s'", val);
      c->width = (int)w;
      continue;
    }
    case 5:
      if (strcmp(val, "auto") == 0)
        c->color = -1;
      else if (strcmp(val, "always") == 0)
        c->color = 1;
      else if (strcmp(val, "never") == 0)
        c->color = 0;
      else
        return usage_error("--color takes auto, always or never, not '%s'", val);
      continue;
    case 6:
      if (strcmp(val, "1") != 0 && strcmp(val, "2") != 0)
        return usage_error("--ambiguous-width takes 1 or 2, not '%s'", val);
      c->ambiguous = val[0] - '0';
      continue;
    case 7:
      c->outdir = val;
      continue;
    case 8:
      c->lists[c->nlists++] = val;
      continue;
    case 9: {
      long j = strtol(val, &end, 10);
      if (end == val || *end || j < 1 || j > 1024)
        return usage_error("--jobs takes a number from 1 to 1024, not '%s'", val);
      c->jobs = (int)j;
      continue;
    }
    default:
      break;
    }
    if (strcmp(a, "--lossy") == 0)
      c->lossy = 1;
    else if (strcmp(a, "--simplify") == 0)
      c->simplify = 1;
    else if (strcmp(a, "--list-grammars") == 0)
      c->list = 1;
    else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
      c->quiet = 1;
    else if (strcmp(a, "--themes") == 0 && c->cmd == CMD_COMPARE)
      c->themes = 1;
    else if (strcmp(a, "--targets") == 0 && c->cmd == CMD_COMPARE)
      c->targets = 1;
    else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage_text, stdout);
      return fclose(stdout) ? PP_ERR_IO : 0;
    } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
      printf("planparse %s\n", pp_version());
      return fclose(stdout) ? PP_ERR_IO : 0;
    } else
      return usage_error("unknown option '%s'", a);
  }
  if (!c->width)
    c->width = terminal_width();
  if (!c->ambiguous)
    c->ambiguous = locale_ambiguous();
  if (c->color < 0)
    c->color = color_auto();
  return -1;
}

/* Appends the names listed in FILE ("-": stdin), NUL-separated when the
 * list holds a NUL (find -print0), else one per line.  The names point into
 * *list, which the caller frees.  NULL after reporting an error. */
static const char **add_listed(const char **files, int *n, const char *from, char **list) {
  pp_error e = {0};
  size_t len;
  char *buf = cli_slurp(from, &len, &e);
  if (!buf) {
    cli_report(&e);
    free(files);
    return NULL;
  }
  char sep = memchr(buf, 0, len) ? '\0' : '\n';
  size_t count = 0;
  for (size_t i = 0; i < len; i++)
    count += buf[i] == sep;
  const char **all = realloc(files, ((size_t)*n + count + 2) * sizeof *all);
  char *nb = realloc(buf, len + 1);
  if (!all || !nb) {
    fprintf(stderr, "%s: out of memory\n", prog);
    free(all ? (void *)all : (void *)files);
    free(nb ? nb : buf);
    return NULL;
  }
  nb[len] = sep;
  for (size_t i = 0, start = 0; i <= len; i++)
    if (nb[i] == sep) {
      nb[i] = 0;
      if (i > start && !(sep == '\n' && i == start + 1 && nb[start] == '\r'))
        all[(*n)++] = nb + start;
      if (sep == '\n' && i > start && nb[i - 1] == '\r')
        nb[i - 1] = 0;
      start = i + 1;
    }
  *list = nb;
  return all;
}

static void free_lists(cli *c, char **list) {
  for (int i = 0; i < c->nlists; i++)
    free(list[i]);
  free(list);
  free(c->lists);
}

int main(int argc, char **argv) {
  cli c;
  memset(&c, 0, sizeof c);
  c.format = PP_FORMAT_YAML;
  c.threshold = 0.17;
  c.color = -1;
  const char **files = calloc((size_t)argc + 1, sizeof *files);
  c.lists = calloc((size_t)argc + 1, sizeof *c.lists);
  char **list = calloc((size_t)argc + 1, sizeof *list); /* each list's text */
  int nfiles = 0;
  if (!files || !c.lists || !list) {
    free(files);
    free(c.lists);
    free(list);
    fprintf(stderr, "%s: out of memory\n", prog);
    return PP_ERR_NOMEM;
  }
  int rc = parse_args(argc, argv, &c, files, &nfiles);
  /* Standard input is one stream: a list of files, or a plan, once, be
   * the plan named on the command line or in a list. */
  int stdin_lists = 0;
  for (int i = 0; i < c.nlists; i++)
    stdin_lists += strcmp(c.lists[i], "-") == 0;
  for (int i = 0; rc < 0 && stdin_lists <= 1 && i < c.nlists; i++)
    if (!(files = add_listed(files, &nfiles, c.lists[i], &list[i])))
      rc = PP_ERR_IO;
  int stdin_uses = stdin_lists;
  for (int i = 0; files && i < nfiles; i++)
    stdin_uses += strcmp(files[i], "-") == 0;
  if (rc < 0 && stdin_uses > 1)
    rc = usage_error("standard input can be read once: as one plan or as one list of files");
  if (rc < 0 && c.cmd == CMD_DIFF && nfiles != 2 && !c.list)
    rc = usage_error("diff compares two plans, not %d", nfiles);
  if (rc < 0 && c.cmd == CMD_COMPARE && nfiles < 2 && !c.list)
    rc = usage_error("compare needs at least two plans, not %d", nfiles);
  if (rc >= 0) {
    free(files);
    free_lists(&c, list);
    return rc;
  }

  pp_error e = {0};
  pp_grammars *set = pp_grammars_new();
  if (!set) {
    free(files);
    free_lists(&c, list);
    fprintf(stderr, "%s: out of memory\n", prog);
    return PP_ERR_NOMEM;
  }
  const pp_grammar *g = NULL;
  int status = 0;
  /* A grammar named by path is loaded first so it wins over a shipped
   * grammar of the same name. */
  if (c.grammar && (strchr(c.grammar, '/') || strstr(c.grammar, ".yaml"))) {
    g = pp_grammars_add_file(set, c.grammar, &e);
    if (!g)
      status = e.status;
  }
  if (!status && load_grammars(set, &e))
    status = e.status ? e.status : PP_ERR_NOMEM;
  if (!status && c.grammar && !g && !(g = pp_grammars_find(set, c.grammar))) {
    fprintf(stderr, "%s: unknown grammar '%s' (see --list-grammars)\n", prog, c.grammar);
    status = PP_ERR_GRAMMAR;
  }
  if (!status && pp_grammars_count(set) == 0) {
    fprintf(stderr, "%s: no grammar files found (set PLANPARSE_GRAMMAR_PATH)\n", prog);
    status = PP_ERR_GRAMMAR;
  } else if (status && e.message[0])
    cli_report(&e);
  if (!status && c.list) {
    for (size_t i = 0; i < pp_grammars_count(set); i++) {
      const pp_grammar *x = pp_grammars_at(set, i);
      printf("%-16s %s\n%-16s %s\n", pp_grammar_name(x), pp_grammar_description(x), "",
             pp_grammar_path(x));
    }
  } else if (!status && c.cmd != CMD_CONVERT) {
    status = report_plans(files, nfiles, &c, set, g);
    if (status < 0)
      status = PP_ERR_IO;
  } else if (!status && (nfiles > 0 || c.nlists == 0)) {
    /* No file at all reads standard input; lists that name no file leave
     * nothing to do, as xargs -r would. */
    if (nfiles == 0)
      files[nfiles++] = "-";
    rc = cli_convert_all(files, nfiles, &c, set, g);
    status = rc < 0 ? PP_ERR_IO : rc;
  }
  pp_grammars_free(set);
  free(files);
  free_lists(&c, list);
  pp_cleanup();
  if (fflush(stdout) || ferror(stdout)) {
    if (status == 0 || status == 1 || status == 3)
      fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
    fclose(stdout);
    return PP_ERR_IO;
  }
  if (fclose(stdout) && status == 0) {
    fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
    return PP_ERR_IO;
  }
  return status;
}
