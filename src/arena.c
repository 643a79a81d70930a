/* Memory: arenas for documents and grammars, a heap buffer for output, and
 * the error filler every stage uses. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct pp_chunk {
  pp_chunk *next;
  size_t used, size;
  max_align_t data[];
};

enum { CHUNK_MIN = 64 * 1024 };

void pp__oom(pp_arena *a) {
  if (a && a->oom) {
    pp_unwind *u = a->oom;
    while (u->n > 0) {
      u->n--;
      u->todo[u->n].fn(u->todo[u->n].p);
    }
    longjmp(u->jb, 1);
  }
  fputs("planparse: out of memory\n", stderr);
  abort();
}

void pp__defer(pp_arena *a, void (*fn)(void *), void *p) {
  pp_unwind *u = a->oom;
  if (!u)
    return;
  if (u->n == (int)(sizeof u->todo / sizeof u->todo[0])) {
    fputs("planparse: internal error: too many deferred releases\n", stderr);
    abort();
  }
  u->todo[u->n].fn = fn;
  u->todo[u->n++].p = p;
}

void pp__undefer(pp_arena *a, void *p) {
  pp_unwind *u = a->oom;
  if (!u)
    return;
  for (int i = u->n; i-- > 0;)
    if (u->todo[i].p == p) {
      for (int k = i; k + 1 < u->n; k++)
        u->todo[k] = u->todo[k + 1];
      u->n--;
      return;
    }
}

static size_t aligned(size_t size) {
  return (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
}

void *pp__alloc(pp_arena *a, size_t size) {
  void *p = pp__alloc_raw(a, size);
  memset(p, 0, size);
  return p;
}

void *pp__alloc_raw(pp_arena *a, size_t size) {
  size = aligned(size);
  pp_chunk *c = a->head;
  if (!c || c->size - c->used < size) {
    size_t cap = size > CHUNK_MIN ? size : CHUNK_MIN;
    /* Chunks double with the arena's size so a large document needs few of
     * them, but a big request gets a chunk of its own. */
    if (c && cap < c->size * 2 && size <= CHUNK_MIN)
      cap = c->size * 2 > 16 * 1024 * 1024 ? 16 * 1024 * 1024 : c->size * 2;
    if (cap > SIZE_MAX - sizeof(pp_chunk))
      pp__oom(a);
    pp_chunk *n = malloc(sizeof(pp_chunk) + cap);
    if (!n)
      pp__oom(a);
    n->used = 0;
    n->size = cap;
    if (c && size > CHUNK_MIN) {
      /* Keep the current chunk on top: it may still have room. */
      n->next = c->next;
      c->next = n;
    } else {
      n->next = c;
      a->head = n;
    }
    c = n;
  }
  void *p = (char *)c->data + c->used;
  c->used += size;
  return p;
}

char *pp__strndup(pp_arena *a, const char *s, size_t n) {
  char *p = pp__alloc_raw(a, n + 1);
  if (n)
    memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *pp__strdup(pp_arena *a, const char *s) {
  return pp__strndup(a, s, strlen(s));
}

char *pp__vprintf(pp_arena *a, const char *fmt, va_list ap) {
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  if (n < 0)
    n = 0;
  char *p = pp__alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, again);
  va_end(again);
  return p;
}

char *pp__printf(pp_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = pp__vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

/* The link that points at the chunk holding exactly the allocation p of
 * size bytes and nothing else, or NULL. */
static pp_chunk **own_chunk(pp_arena *a, void *p, size_t size) {
  for (pp_chunk **pc = &a->head; *pc; pc = &(*pc)->next)
    if ((void *)(*pc)->data == p)
      return (*pc)->used == aligned(size) && (*pc)->size == (*pc)->used ? pc : NULL;
  return NULL;
}

void *pp__grow(pp_arena *a, void *p, size_t n, size_t *cap, size_t elem) {
  if (n < *cap)
    return p;
  size_t nc = *cap ? *cap * 2 : 8;
  while (nc <= n)
    nc *= 2;
  if (nc > SIZE_MAX / elem || nc * elem > SIZE_MAX - sizeof(pp_chunk) - sizeof(max_align_t))
    pp__oom(a);
  /* A large array lives in a chunk of its own, which grows by realloc:
   * in place or by remapping pages, so a doubling array costs neither a
   * copy nor the space of all its former sizes. */
  pp_chunk **pc = p && *cap * elem > CHUNK_MIN ? own_chunk(a, p, *cap * elem) : NULL;
  if (pc) {
    size_t size = aligned(nc * elem), old = (*pc)->used;
    pp_chunk *c = realloc(*pc, sizeof(pp_chunk) + size);
    if (!c)
      pp__oom(a);
    *pc = c;
    c->size = c->used = size;
    memset((char *)c->data + old, 0, size - old);
    *cap = nc;
    return c->data;
  }
  void *q = pp__alloc(a, nc * elem);
  if (p && *cap)
    memcpy(q, p, *cap * elem);
  *cap = nc;
  return q;
}



void pp__arena_release(void *a) { pp__arena_free(a); }

void pp__arena_free(pp_arena *a) {
  pp_chunk *c = a->head;
  while (c) {
    pp_chunk *n = c->next;
    free(c);
    c = n;
  }
  a->head = NULL;
}

void pp__buf_flush(pp_buf *b) {
  if (!b->sink || !b->len || b->failed)
    return;
  if (fwrite(b->p, 1, b->len, b->sink) != b->len) {
    b->werr = errno ? errno : EIO;
    b->failed = 1;
  }
  b->len = 0;
}

void pp__buf_put_slow(pp_buf *b, const char *s, size_t n) {
  if (b->failed)
    return;
  /* A streamed buffer stays small: output need not be held whole. */
  if (b->sink && b->len + n > (1u << 20)) {
    pp__buf_flush(b);
    if (n > (1u << 20)) {
      if (!b->failed && fwrite(s, 1, n, b->sink) != n) {
        b->werr = errno ? errno : EIO;
        b->failed = 1;
      }
      return;
    }
  }
  if (b->cap - b->len <= n) {
    size_t nc = b->cap ? b->cap : 4096;
    while (nc - b->len <= n) {
      if (nc > SIZE_MAX / 2) {
        b->failed = 1;
        return;
      }
      nc *= 2;
    }
    char *p = realloc(b->p, nc);
    if (!p) {
      b->failed = 1;
      return;
    }
    b->p = p;
    b->cap = nc;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

void pp__buf_puts(pp_buf *b, const char *s) { pp__buf_put(b, s, strlen(s)); }

void pp__buf_release(void *p) {
  pp_buf *b = p;
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

void pp__buf_printf(pp_buf *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0)
    pp__buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void pp__error(pp_error *e, pp_status st, const char *file, long line,
               const char *fmt, ...) {
  if (!e)
    return;
  e->status = st;
  snprintf(e->file, sizeof e->file, "%s", file ? file : "");
  e->line = line;
  e->column = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
}
