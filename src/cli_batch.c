/* Batch conversion: every input read, parsed and rendered by a pool of
 * threads, written in input order, to standard output as one stream or to
 * a directory one file each, atomically.  A bad input is reported and the
 * rest go on; the exit status is the worst of them.  Each thread parses
 * with its own document; the grammars are shared read-only. */
#define _GNU_SOURCE /* sched_getaffinity */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static int format_error(const pp_error *e, char *buf, size_t n) {
  if (e->file[0] && e->line > 0 && e->column > 0)
    return snprintf(buf, n, "%s: %s:%ld:%ld: %s\n", pp_prog, e->file, e->line, e->column,
                    e->message);
  if (e->file[0] && e->line > 0)
    return snprintf(buf, n, "%s: %s:%ld: %s\n", pp_prog, e->file, e->line, e->message);
  if (e->file[0])
    return snprintf(buf, n, "%s: %s: %s\n", pp_prog, e->file, e->message);
  return snprintf(buf, n, "%s: %s\n", pp_prog, e->message);
}

void cli_report(const pp_error *e) {
  char buf[2048];
  format_error(e, buf, sizeof buf);
  fputs(buf, stderr);
}

static void set_error(pp_error *e, pp_status st, const char *file, const char *msg) {
  e->status = st;
  snprintf(e->file, sizeof e->file, "%s", file);
  snprintf(e->message, sizeof e->message, "%s", msg);
  e->line = e->column = 0;
}

char *cli_slurp(const char *path, size_t *len, pp_error *e) {
  FILE *f = stdin;
  if (strcmp(path, "-") != 0) {
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
      set_error(e, PP_ERR_IO, path, "is a directory");
      return NULL;
    }
    f = fopen(path, "rb");
    if (!f) {
      set_error(e, errno == ENOMEM ? PP_ERR_NOMEM : PP_ERR_IO, path, strerror(errno));
      return NULL;
    }
  }
  /* A regular file is read into a buffer of its size (and one byte more,
   * which pp_doc_parse's adopt wants, and which shows the end); a pipe
   * into one that doubles. */
  size_t cap = 1 << 16, n = 0;
  struct stat fs;
  if (fstat(fileno(f), &fs) == 0 && S_ISREG(fs.st_mode) && fs.st_size > 0 &&
      (uintmax_t)fs.st_size < SIZE_MAX / 2)
    cap = (size_t)fs.st_size + 1;
  char *buf = malloc(cap);
  while (buf) {
    if (n == cap) {
      char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (r == 0)
      break;
  }
  int rerr = ferror(f) ? errno : 0;
  if (f != stdin)
    fclose(f);
  if (!buf) {
    set_error(e, PP_ERR_NOMEM, path, "out of memory");
    return NULL;
  }
  if (rerr) {
    free(buf);
    char msg[256];
    snprintf(msg, sizeof msg, "read error: %s", strerror(rerr));
    set_error(e, rerr == ENOMEM ? PP_ERR_NOMEM : PP_ERR_IO, path, msg);
    return NULL;
  }
  if (n == cap) { /* room for a terminating byte */
    char *nb = realloc(buf, n + 1);
    if (!nb) {
      free(buf);
      set_error(e, PP_ERR_NOMEM, path, "out of memory");
      return NULL;
    }
    buf = nb;
  }
  buf[n] = 0;
  *len = n;
  return buf;
}

pp_doc *cli_read_doc(const char *path, const cli *c, const pp_grammars *set,
                     const pp_grammar *g, pp_error *e) {
  size_t len;
  char *data = cli_slurp(path, &len, e);
  if (!data)
    return NULL;
  /* Handed over: UTF-8 is read in place, not copied. */
  pp_options opt = {path, set, g, c->encoding, c->lossy, c->simplify, 1};
  return pp_doc_parse(data, len, &opt, e);
}

/* ---- output files -------------------------------------------------------- */

/* What the umask leaves of rw-rw-rw-: mkstemp makes files 0600. */
static mode_t file_mode = 0644;

static const char *extension(pp_format f) {
  switch (f) {
  case PP_FORMAT_JSON:
  case PP_FORMAT_JSONL: return "json";
  case PP_FORMAT_CSV: return "csv";
  case PP_FORMAT_TSV: return "tsv";
  default: return "yaml";
  }
}

/* DIR/NAME.ext for an input: its file name without .txt (stdin: "stdin"). */
static char *out_path(const char *dir, const char *input, pp_format f) {
  const char *base = strcmp(input, "-") == 0 ? "stdin" : input;
  const char *slash = strrchr(base, '/');
  if (slash)
    base = slash + 1;
  size_t bl = strlen(base);
  const char *dot = strrchr(base, '.');
  if (dot && dot != base)
    bl = (size_t)(dot - base);
  size_t n = strlen(dir) + bl + 16;
  char *p = malloc(n);
  if (p)
    snprintf(p, n, "%s/%.*s.%s", dir, (int)bl, base, extension(f));
  return p;
}

static int make_dir(const char *dir) {
  char tmp[PATH_MAX];
  if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
    return -1;
  for (char *p = tmp + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      if (mkdir(tmp, 0777) && errno != EEXIST)
        return -1;
      *p = '/';
    }
  if (mkdir(tmp, 0777) && errno != EEXIST)
    return -1;
  struct stat sb;
  return stat(tmp, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : -1;
}

/* ---- interrupted runs ----------------------------------------------------- */

/* The temporary files being written, so that a run ended by SIGINT, SIGTERM
 * or SIGHUP removes them before it dies.  Those signals are blocked in
 * every thread and read by one thread of their own from a signalfd, so the
 * list is guarded by a mutex instead of being read inside a handler: a
 * file is created and listed under the lock, and the signal thread removes
 * what is listed under the same lock.  The thread waits on the signalfd
 * and on a pipe that tells it the batch is over, so it is never cancelled
 * while it may hold a signal. */
static pthread_mutex_t temps_mu = PTHREAD_MUTEX_INITIALIZER;
static char **temps; /* one slot a thread that writes */
static int ntemps;

static void temps_list(char *tmp) {
  for (int i = 0; i < ntemps; i++)
    if (!temps[i]) {
      temps[i] = tmp;
      return;
    }
}

static void temps_unlist(const char *tmp) {
  for (int i = 0; i < ntemps; i++)
    if (temps[i] == tmp)
      temps[i] = NULL;
}

typedef struct guard {
  sigset_t set, old;
  int sfd, stop[2]; /* the signals; the batch's end */
  pthread_t tid;
  int on;
} guard;

static void *signal_thread(void *arg) {
  const guard *G = arg;
  struct signalfd_siginfo si;
  for (;;) {
    struct pollfd p[2] = {{G->sfd, POLLIN, 0}, {G->stop[0], POLLIN, 0}};
    if (poll(p, 2, -1) < 0)
      continue; /* EINTR */
    if ((p[0].revents & POLLIN) && read(G->sfd, &si, sizeof si) == (ssize_t)sizeof si)
      break; /* a signal, even when the batch has just ended */
    if (p[1].revents)
      return NULL;
  }
  int sig = (int)si.ssi_signo;
  pthread_mutex_lock(&temps_mu); /* held: no file is created after this */
  for (int i = 0; i < ntemps; i++)
    if (temps[i])
      unlink(temps[i]);
  /* Die of the signal, as if it had not been caught, so the shell sees
   * 128 + its number. */
  signal(sig, SIG_DFL);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, sig);
  pthread_sigmask(SIG_UNBLOCK, &one, NULL);
  raise(sig);
  _exit(128 + sig); /* not reached */
}

/* From here on the signals that end a run are taken by the signal thread;
 * those the caller ignores (nohup) or blocks stay as they were.  Returns -1
 * when it cannot be set up; the run then goes on unguarded. */
static int guard_start(guard *G, int writers) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  memset(G, 0, sizeof *G);
  G->sfd = G->stop[0] = G->stop[1] = -1;
  sigset_t cur;
  pthread_sigmask(SIG_BLOCK, NULL, &cur);
  sigemptyset(&G->set);
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction sa;
    if (sigaction(sigs[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN &&
        !sigismember(&cur, sigs[i]))
      sigaddset(&G->set, sigs[i]);
  }
  temps = calloc((size_t)writers, sizeof *temps);
  ntemps = temps ? writers : 0;
  if (temps && pipe2(G->stop, O_CLOEXEC) == 0 &&
      (G->sfd = signalfd(-1, &G->set, SFD_CLOEXEC)) >= 0) {
    pthread_sigmask(SIG_BLOCK, &G->set, &G->old);
    if (pthread_create(&G->tid, NULL, signal_thread, G) == 0) {
      G->on = 1;
      return 0;
    }
    pthread_sigmask(SIG_SETMASK, &G->old, NULL);
  }
  if (G->sfd >= 0)
    close(G->sfd);
  if (G->stop[0] >= 0) {
    close(G->stop[0]);
    close(G->stop[1]);
  }
  free(temps);
  temps = NULL;
  ntemps = 0;
  return -1;
}

static void guard_stop(guard *G) {
  if (!G->on)
    return;
  while (write(G->stop[1], "", 1) < 0 && errno == EINTR)
    ;
  pthread_join(G->tid, NULL);
  /* A signal that came after the thread looked is still pending, and ends
   * the run here, now that no temporary file is left. */
  pthread_sigmask(SIG_SETMASK, &G->old, NULL);
  close(G->sfd);
  close(G->stop[0]);
  close(G->stop[1]);
  free(temps);
  temps = NULL;
  ntemps = 0;
}

/* Writes data to path through a temporary file in the same directory and
 * a rename, so an interrupted run leaves the old file or the new one,
 * never half of one; the temporary file is listed while it exists (see
 * above). */
static int write_atomic(const char *path, const char *data, size_t n, pp_error *e) {
  size_t pl = strlen(path);
  char *tmp = malloc(pl + 16);
  if (!tmp) {
    set_error(e, PP_ERR_NOMEM, path, "out of memory");
    return -1;
  }
  const char *slash = strrchr(path, '/');
  size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
  snprintf(tmp, pl + 16, "%.*s.%s.XXXXXX", (int)dl, path, path + dl);
  pthread_mutex_lock(&temps_mu);
  int fd = mkstemp(tmp);
  if (fd >= 0)
    temps_list(tmp);
  pthread_mutex_unlock(&temps_mu);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  int ok = f && fchmod(fd, file_mode) == 0 && fwrite(data, 1, n, f) == n;
  if (f) {
    /* No fsync: rename already makes the file appear whole or not at
     * all to anyone reading; surviving a power cut is not promised. */
    ok = fflush(f) == 0 && ok;
    ok = fclose(f) == 0 && ok;
  } else if (fd >= 0)
    close(fd);
  int saved = ok ? 0 : errno;
  /* Renamed or removed before it is unlisted: once gone under its
   * temporary name, nothing is left for the signal thread to remove. */
  if (ok && rename(tmp, path) != 0) {
    ok = 0;
    saved = errno;
  }
  if (!ok && fd >= 0)
    unlink(tmp);
  pthread_mutex_lock(&temps_mu);
  temps_unlist(tmp);
  pthread_mutex_unlock(&temps_mu);
  if (!ok) {
    char msg[512];
    snprintf(msg, sizeof msg, "cannot write: %s", strerror(saved));
    set_error(e, PP_ERR_IO, path, msg);
  }
  free(tmp);
  return ok ? 0 : -1;
}

/* ---- the pool ------------------------------------------------------------ */

typedef struct job {
  const char *path;
  char *target;  /* with -o DIR: the output file, or NULL when it clashes */
  char *out;     /* rendered output, or NULL */
  size_t len;
  char err[1100]; /* the error line to print, or "" */
  int status;
  int done;
} job;

typedef struct pool {
  job *jobs;
  int n, next, written, window;
  const cli *c;
  const pp_grammars *set;
  const pp_grammar *g;
  pthread_mutex_t mu;
  pthread_cond_t cond;
} pool;

/* Converts one file; with -o DIR also writes its output file, so the
 * workers, not the thread that reports, do all the writing. */
static void run_job(pool *P, job *j) {
  pp_error e = {0};
  if (P->c->outdir && !j->target)
    return; /* its clash is already reported */
  pp_doc *doc = cli_read_doc(j->path, P->c, P->set, P->g, &e);
  if (doc) {
    j->out = pp_doc_render(doc, P->c->format, &j->len, &e);
    pp_doc_free(doc);
  }
  if (!j->out) {
    j->status = e.status ? (int)e.status : PP_ERR_NOMEM;
    format_error(&e, j->err, sizeof j->err);
    return;
  }
  if (P->c->outdir) {
    const char *h = P->c->format == PP_FORMAT_CSV || P->c->format == PP_FORMAT_TSV
                        ? pp_table_header(P->c->format)
                        : "";
    char *joined = NULL;
    size_t hl = strlen(h);
    if (hl && (joined = malloc(hl + j->len + 1))) {
      memcpy(joined, h, hl);
      memcpy(joined + hl, j->out, j->len);
    }
    if (write_atomic(j->target, joined ? joined : j->out, joined ? hl + j->len : j->len, &e)) {
      format_error(&e, j->err, sizeof j->err);
      j->status = e.status;
    }
    free(joined);
    free(j->out);
    j->out = NULL;
  }
}

/* ---- output names --------------------------------------------------------- */

/* A set of strings (open addressing; the caller owns the strings). */
typedef struct strset {
  const char **v;
  size_t cap;
} strset;

static size_t hash_str(const char *s) {
  size_t h = 1469598103934665603u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

/* Adds s; returns 1 if it was there already. */
static int strset_add(strset *t, const char *s) {
  size_t i = hash_str(s) & (t->cap - 1);
  while (t->v[i]) {
    if (strcmp(t->v[i], s) == 0)
      return 1;
    i = (i + 1) & (t->cap - 1);
  }
  t->v[i] = s;
  return 0;
}

/* The inputs by device and inode, to tell whether a path is one of them. */
typedef struct fileset {
  const struct stat **v;
  size_t cap;
} fileset;

static size_t hash_file(const struct stat *st) {
  return ((size_t)st->st_dev * 1099511628211u) ^ ((size_t)st->st_ino * 0x9E3779B97F4A7C15u);
}

static void fileset_add(fileset *t, const struct stat *st) {
  size_t i = hash_file(st) & (t->cap - 1);
  while (t->v[i])
    i = (i + 1) & (t->cap - 1);
  t->v[i] = st;
}

static int fileset_has(const fileset *t, const struct stat *st) {
  for (size_t i = hash_file(st) & (t->cap - 1); t->v[i]; i = (i + 1) & (t->cap - 1))
    if (t->v[i]->st_dev == st->st_dev && t->v[i]->st_ino == st->st_ino)
      return 1;
  return 0;
}

/* Every job's output file, decided before any is written: a name that
 * would overwrite an input, or that an earlier input already took, is an
 * error for that input alone.  Hashed, so a batch of any size costs
 * linear time.  Returns -1 when memory ran out. */
static int plan_outputs(job *jobs, int n, const struct stat *in, const cli *c) {
  size_t cap = 16;
  while (cap < (size_t)n * 2)
    cap *= 2;
  strset names = {calloc(cap, sizeof *names.v), cap};
  fileset inputs = {calloc(cap, sizeof *inputs.v), cap};
  if (!names.v || !inputs.v) {
    free(names.v);
    free(inputs.v);
    return -1;
  }
  for (int i = 0; i < n; i++)
    if (in[i].st_ino)
      fileset_add(&inputs, &in[i]);
  int rc = 0;
  for (int i = 0; i < n && !rc; i++) {
    job *j = &jobs[i];
    char *target = out_path(c->outdir, j->path, c->format);
    struct stat ts;
    if (!target) {
      rc = -1;
      break;
    }
    if ((stat(target, &ts) == 0 && fileset_has(&inputs, &ts)) || strset_add(&names, target)) {
      snprintf(j->err, sizeof j->err,
               "%s: %s: output %s would overwrite an input or another input's output\n",
               pp_prog, j->path, target);
      j->status = PP_ERR_IO;
      free(target);
    } else
      j->target = target;
  }
  free(names.v);
  free(inputs.v);
  return rc;
}

static void *worker(void *arg) {
  pool *P = arg;
  pthread_mutex_lock(&P->mu);
  for (;;) {
    /* Stay within a window of the writer, so memory holds a bounded
     * number of finished outputs however slow the output is. */
    while (P->next < P->n && P->next >= P->written + P->window)
      pthread_cond_wait(&P->cond, &P->mu);
    if (P->next >= P->n)
      break;
    job *j = &P->jobs[P->next++];
    pthread_mutex_unlock(&P->mu);
    run_job(P, j);
    pthread_mutex_lock(&P->mu);
    j->done = 1;
    pthread_cond_broadcast(&P->cond);
  }
  pthread_mutex_unlock(&P->mu);
  return NULL;
}

/* The processors this process may run on (taskset, cgroup cpusets), not
 * all that are online. */
static int usable_cpus(void) {
  cpu_set_t cs;
  if (sched_getaffinity(0, sizeof cs, &cs) == 0 && CPU_COUNT(&cs) > 0)
    return CPU_COUNT(&cs);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The progress line on a terminal's stderr: drawn once the batch has run
 * for half a second (a short one never flashes it), then at most ten times
 * a second, cut to the terminal's width; final clears it. */
typedef struct meter {
  int on;          /* wanted: stderr is a terminal, not -q, no output there */
  int shown;       /* something is on the line */
  double start, last;
} meter;

static void progress(meter *M, int done, int n, int final) {
  if (!M->on)
    return;
  double t = now();
  if (final || (M->shown && done == n)) {
    if (M->shown)
      fputs("\r\033[K", stderr);
    M->shown = 0;
    return;
  }
  if (t - M->start < 0.5 || t - M->last < 0.1)
    return;
  M->last = t;
  double rate = done / (t - M->start);
  char tail[96], bar[64] = "";
  if (done > 0)
    snprintf(tail, sizeof tail, " %d/%d files, %.*f files/s, ETA %.0f s", done, n,
             rate < 10 ? 1 : 0, rate, (n - done) / rate); /* 0.4 files/s, not 0 */
  else
    snprintf(tail, sizeof tail, " %d/%d files", done, n);
  struct winsize ws;
  int cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
  int room = cols - 1 - (int)strlen(tail); /* the last column would wrap */
  if (room >= 12) {
    int w = room - 3 > 30 ? 30 : room - 3, k = 0, full = n ? (int)((long)done * w / n) : w;
    bar[k++] = '[';
    for (int i = 0; i < w; i++)
      bar[k++] = i < full ? '#' : '.';
    bar[k++] = ']';
    bar[k] = 0;
  }
  int left = cols - 1 - (int)strlen(bar); /* what of the tail fits after the bar */
  fprintf(stderr, "\r%s%.*s\033[K", bar, left > 0 ? left : 0, bar[0] ? tail : tail + 1);
  M->shown = 1;
}

static int write_errno;
static int write_out(const char *p, size_t n) {
  if (fwrite(p, 1, n, stdout) == n)
    return 0;
  write_errno = errno;
  return -1;
}

int cli_convert_all(const char *const *files, int n, const cli *c, const pp_grammars *set,
                    const pp_grammar *g) {
  mode_t m = umask(0);
  umask(m);
  file_mode = 0666 & ~m;
  if (c->outdir && make_dir(c->outdir)) {
    fprintf(stderr, "%s: %s: cannot create directory: %s\n", pp_prog, c->outdir,
            strerror(errno));
    return PP_ERR_IO;
  }
  int threads = c->jobs > 0 ? c->jobs : usable_cpus();
  if (threads > n)
    threads = n;
  if (threads < 1)
    threads = 1;
  pool P;
  memset(&P, 0, sizeof P);
  P.jobs = calloc((size_t)n + 1, sizeof *P.jobs);
  /* Inputs, to refuse an output path that is one of them. */
  struct stat *in = c->outdir ? calloc((size_t)n + 1, sizeof *in) : NULL;
  for (int i = 0; P.jobs && i < n; i++) {
    P.jobs[i].path = files[i];
    if (in && stat(files[i], &in[i]))
      in[i].st_ino = 0;
  }
  if (!P.jobs || (c->outdir && (!in || plan_outputs(P.jobs, n, in, c)))) {
    for (int i = 0; P.jobs && i < n; i++)
      free(P.jobs[i].target);
    free(P.jobs);
    free(in);
    fprintf(stderr, "%s: out of memory\n", pp_prog);
    return PP_ERR_NOMEM;
  }
  free(in);
  P.n = n;
  P.c = c;
  P.set = set;
  P.g = g;
  P.window = threads * 4;
  pthread_mutex_init(&P.mu, NULL);
  pthread_cond_init(&P.cond, NULL);
  /* Before any worker starts, so that every thread inherits the blocked
   * signals. */
  guard G = {0};
  if (c->outdir)
    guard_start(&G, threads + 1);
  /* Not over output on the same terminal: a progress line there would
   * break into the plans themselves. */
  meter M = {0};
  M.on = !c->quiet && n >= 2 && isatty(STDERR_FILENO) && (c->outdir || !isatty(STDOUT_FILENO));
  M.start = now();
  /* With -j 1 the conversions still go to a worker while the line is
   * shown, so that it keeps moving through a long file. */
  pthread_t *tid = calloc((size_t)threads, sizeof *tid);
  int started = 0;
  if ((threads > 1 || M.on) && tid)
    for (; started < threads; started++)
      if (pthread_create(&tid[started], NULL, worker, &P))
        break;

  int status = 0, broken = 0, first_out = 1, werr = 0;
  char wmsg[512] = "";
  if (!c->outdir && (c->format == PP_FORMAT_CSV || c->format == PP_FORMAT_TSV)) {
    const char *h = pp_table_header(c->format);
    broken = write_out(h, strlen(h));
  }
  for (int i = 0; i < n; i++) {
    job *j = &P.jobs[i];
    if (started) {
      pthread_mutex_lock(&P.mu);
      while (!j->done) {
        if (!M.on) {
          pthread_cond_wait(&P.cond, &P.mu);
          continue;
        }
        /* A long file keeps the line moving: rate and time left. */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250000000;
        if (until.tv_nsec >= 1000000000)
          until.tv_sec++, until.tv_nsec -= 1000000000;
        if (pthread_cond_timedwait(&P.cond, &P.mu, &until) == ETIMEDOUT) {
          /* Not under the lock: a terminal paused with Ctrl-S must not
           * stop the workers. */
          pthread_mutex_unlock(&P.mu);
          progress(&M, i, n, 0);
          pthread_mutex_lock(&P.mu);
        }
      }
      pthread_mutex_unlock(&P.mu);
    } else if (!c->outdir) {
      /* One at a time to stdout: stream, so memory does not hold the output. */
      pp_error e = {0};
      pp_doc *doc = cli_read_doc(j->path, P.c, P.set, P.g, &e);
      if (doc) {
        if (!first_out && c->format == PP_FORMAT_YAML)
          broken = write_out("---\n", 4);
        if (!broken && pp_doc_write(doc, c->format, stdout, &e)) {
          if (e.status == PP_ERR_IO) {
            broken = 1;
            werr = errno; /* the failed write's, as pp_doc_write left it */
            if (strncmp(e.message, "write error: ", 13) == 0)
              snprintf(wmsg, sizeof wmsg, "%s", e.message + 13);
          }
          else {
            j->status = e.status;
            format_error(&e, j->err, sizeof j->err);
          }
        }
        first_out = 0;
        pp_doc_free(doc);
      } else {
        j->status = e.status ? (int)e.status : PP_ERR_NOMEM;
        format_error(&e, j->err, sizeof j->err);
      }
    } else {
      run_job(&P, j);
    }
    if (j->out && !broken) {
      if (!first_out && c->format == PP_FORMAT_YAML)
        broken = write_out("---\n", 4);
      if (!broken)
        broken = write_out(j->out, j->len);
      first_out = 0;
    }
    if (j->err[0]) {
      progress(&M, i, n, 1);
      fputs(j->err, stderr);
    }
    if (j->status > status)
      status = j->status;
    free(j->out);
    j->out = NULL;
    if (started) {
      pthread_mutex_lock(&P.mu);
      P.written = i + 1;
      pthread_cond_broadcast(&P.cond);
      pthread_mutex_unlock(&P.mu);
    }
    progress(&M, i + 1, n, i + 1 == n);
    if (broken)
      break; /* output is broken: later files cannot be written either */
  }
  if (broken) {
    fprintf(stderr, "%s: write error: %s\n", pp_prog,
            wmsg[0] ? wmsg : strerror(werr ? werr : write_errno));
    pthread_mutex_lock(&P.mu);
    P.next = P.n; /* workers stop taking jobs */
    P.written = P.n;
    pthread_cond_broadcast(&P.cond);
    pthread_mutex_unlock(&P.mu);
  }
  for (int t = 0; t < started; t++)
    pthread_join(tid[t], NULL);
  guard_stop(&G);
  for (int i = 0; i < n; i++) {
    free(P.jobs[i].out);
    free(P.jobs[i].target);
  }
  free(tid);
  free(P.jobs);
  pthread_mutex_destroy(&P.mu);
  pthread_cond_destroy(&P.cond);
  return broken ? -1 : status;
}
