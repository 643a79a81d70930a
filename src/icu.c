/* ICU on first use.  A UTF-8 plan converted to YAML or JSON calls no ICU
 * function, yet a program linked with ICU pays for loading and relocating
 * libicuuc, libicui18n and the C++ runtime at every start: about 0.85 ms
 * here, as much as starting the process itself.  Scripts run planparse
 * once per file, so ICU is opened with dlopen only when a converter, the
 * charset detector, a break iterator, the transliterator or a character
 * property is first wanted.  The library opened is the one of the major
 * version planparse was compiled against, and the names looked up are
 * ICU's versioned ones (ucnv_open_72), as a link would have used. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "icu.h"
#include "internal.h"

#define PP_STR2(x) #x
#define PP_STR(x) PP_STR2(x)

#define PP_ICU_LIBRARY "libicui18n.so." PP_STR(U_ICU_VERSION_MAJOR_NUM)

pp_icu_table pp__icu_fn;

static atomic_int loaded;
static pthread_mutex_t loading = PTHREAD_MUTEX_INITIALIZER;

int pp__icu_loaded(void) { return atomic_load_explicit(&loaded, memory_order_acquire); }

/* The loader's message is all there is to tell memory from a missing
 * library by; glibc says "cannot allocate memory" or "out of memory". */
static int says_nomem(const char *msg) {
  return !msg || strstr(msg, "cannot allocate memory") || strstr(msg, "out of memory");
}

static int load(pp_error *err, const char *source) {
  /* libicui18n brings libicuuc with it, and dlsym on its handle searches
   * both. */
  void *h = dlopen(PP_ICU_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *msg = dlerror();
    if (says_nomem(msg)) {
      pp__error(err, PP_ERR_NOMEM, source, 0, "out of memory");
      return PP_ERR_NOMEM;
    }
    pp__error(err, PP_ERR_IO, source, 0, "cannot load ICU: %s", msg);
    return PP_ERR_IO;
  }
  pp_icu_table t;
  const char *missing = NULL;
  /* dlsym hands back void *; the conversion to a function pointer is
   * POSIX's, which C leaves to the implementation. */
#define PP_ICU_LOOKUP(f)                                                                           \
  if (!missing) {                                                                                  \
    void *p = dlsym(h, PP_STR(f));                                                                 \
    if (!p)                                                                                        \
      missing = PP_STR(f);                                                                         \
    memcpy(&t.p_##f, &p, sizeof p);                                                                \
  }
  PP_ICU_FUNCTIONS(PP_ICU_LOOKUP)
#undef PP_ICU_LOOKUP
  if (missing) {
    pp__error(err, PP_ERR_IO, source, 0, "cannot load ICU: %s lacks %s", PP_ICU_LIBRARY,
              missing);
    dlclose(h);
    return PP_ERR_IO;
  }
  pp__icu_fn = t;
  /* The handle stays open for the life of the process: ICU keeps caches
   * and thread-local state that would outlive a dlclose. */
  return 0;
}

int pp__icu_load(pp_error *err, const char *source) {
  if (pp__icu_loaded())
    return 0;
  pthread_mutex_lock(&loading);
  int rc = pp__icu_loaded() ? 0 : load(err, source);
  if (rc == 0)
    atomic_store_explicit(&loaded, 1, memory_order_release);
  pthread_mutex_unlock(&loading);
  return rc;
}
