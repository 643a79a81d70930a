/* An LD_PRELOAD shim that makes I/O fail on demand, so the tests see what
 * planparse does when the disk or the pipe does.  PP_FAULT selects:
 *   write-eio    fwrite to stdout fails with EIO after 100 bytes
 *   write-short  fwrite to stdout writes at most 7 bytes a call
 *   read-eio     fread from a sample fails with EIO after its first 1000 bytes
 *   open-eacces  fopen of a sample (a path holding "samples/") fails with EACCES
 *   write-stall  fwrite to a file (not stdout or stderr) writes, then stalls
 *                for 20 s, so that a test can interrupt a run mid-file
 *   icu-missing  dlopen of ICU fails as when the library is not installed
 *   icu-nomem    dlopen of ICU fails as when the loader runs out of memory
 * glibc's stdio calls its own read and write internally, so the shim
 * works at the level planparse calls: fopen, fread, fwrite, dlopen. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *victim; /* the sample being read */

static int is_sample(const char *path) { return strstr(path, "samples/") != NULL; }

static const char *fault(void) {
  const char *f = getenv("PP_FAULT");
  return f ? f : "";
}

FILE *fopen(const char *path, const char *mode) {
  static FILE *(*real)(const char *, const char *);
  if (!real)
    real = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen");
  if (strcmp(fault(), "open-eacces") == 0 && is_sample(path) && mode[0] == 'r') {
    errno = EACCES;
    return NULL;
  }
  FILE *f = real(path, mode);
  if (f && is_sample(path))
    victim = f;
  return f;
}

int fclose(FILE *f) {
  static int (*real)(FILE *);
  if (!real)
    real = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
  if (f == victim)
    victim = NULL; /* the next FILE at this address is someone else's */
  return real(f);
}

size_t fread(void *p, size_t size, size_t n, FILE *f) {
  static size_t (*real)(void *, size_t, size_t, FILE *);
  static size_t total;
  if (!real)
    real = (size_t(*)(void *, size_t, size_t, FILE *))dlsym(RTLD_NEXT, "fread");
  if (strcmp(fault(), "read-eio") == 0 && f == victim) {
    /* As a real fread meeting an error part-way: what was read before it,
     * and the stream's error flag set. */
    size_t want = size * n > 1000 - total ? (1000 - total) / size : n;
    size_t got = real(p, size, want, f);
    total += got * size;
    if (got < n) {
      errno = EIO;
      f->_flags |= 0x20; /* _IO_ERR_SEEN */
    }
    return got;
  }
  return real(p, size, n, f);
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f) {
  static size_t (*real)(const void *, size_t, size_t, FILE *);
  static size_t total;
  if (!real)
    real = (size_t(*)(const void *, size_t, size_t, FILE *))dlsym(RTLD_NEXT, "fwrite");
  if (f == stdout && strcmp(fault(), "write-eio") == 0) {
    if (total + size * n > 100) {
      errno = EIO;
      f->_flags |= 0x20;
      return 0;
    }
    total += size * n;
  }
  if (f != stdout && f != stderr && strcmp(fault(), "write-stall") == 0) {
    size_t w = real(p, size, n, f);
    fflush(f);
    sleep(20);
    return w;
  }
  if (f == stdout && strcmp(fault(), "write-short") == 0 && size == 1) {
    /* Many short writes: the caller must write them all, or fail. */
    size_t done = 0;
    while (done < n) {
      size_t k = n - done > 7 ? 7 : n - done;
      size_t w = real((const char *)p + done, 1, k, f);
      done += w;
      if (w < k)
        break;
    }
    return done;
  }
  return real(p, size, n, f);
}

/* ICU is opened with dlopen on first use; the loader's own words follow a
 * failure, from dlerror. */
static const char *dl_message;

void *dlopen(const char *name, int flags) {
  static void *(*real)(const char *, int);
  if (!real)
    real = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
  if (name && strstr(name, "libicu")) {
    if (strcmp(fault(), "icu-missing") == 0) {
      dl_message = "libicui18n.so: cannot open shared object file: No such file or directory";
      return NULL;
    }
    if (strcmp(fault(), "icu-nomem") == 0) {
      dl_message = "libicui18n.so: cannot allocate memory";
      return NULL;
    }
  }
  return real(name, flags);
}

char *dlerror(void) {
  static char *(*real)(void);
  if (!real)
    real = (char *(*)(void))dlsym(RTLD_NEXT, "dlerror");
  if (dl_message) {
    char *m = (char *)dl_message;
    dl_message = NULL;
    return m;
  }
  return real();
}
