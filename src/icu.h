/* ICU, loaded on first use.  Code that needs ICU calls pp__icu_load once
 * (it returns at once when ICU is already there) and then calls every ICU
 * function through ICU(name).  The declarations, types and constants still
 * come from ICU's own headers, so a signature can never drift from the
 * library's; only the addresses are looked up at run time. */
#ifndef PP_ICU_H
#define PP_ICU_H

#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/ubrk.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "planparse.h"

/* Every ICU function planparse calls.  A new one is added here, nowhere
 * else.  (UCNV_TO_U_CALLBACK_* are functions too: converters are handed
 * their addresses.) */
#define PP_ICU_FUNCTIONS(X)                                                                        \
  X(u_charType)                                                                                    \
  X(u_cleanup)                                                                                     \
  X(u_errorName)                                                                                   \
  X(u_getIntPropertyValue)                                                                         \
  X(u_strFromUTF8)                                                                                 \
  X(u_strToUTF8)                                                                                   \
  X(ubrk_close)                                                                                    \
  X(ubrk_first)                                                                                    \
  X(ubrk_getRuleStatus)                                                                            \
  X(ubrk_next)                                                                                     \
  X(ubrk_open)                                                                                     \
  X(ubrk_setText)                                                                                  \
  X(ucnv_close)                                                                                    \
  X(ucnv_compareNames)                                                                             \
  X(ucnv_getInvalidChars)                                                                          \
  X(ucnv_open)                                                                                     \
  X(ucnv_setToUCallBack)                                                                           \
  X(ucnv_toUnicode)                                                                                \
  X(UCNV_TO_U_CALLBACK_STOP)                                                                       \
  X(UCNV_TO_U_CALLBACK_SUBSTITUTE)                                                                 \
  X(ucsdet_close)                                                                                  \
  X(ucsdet_detect)                                                                                 \
  X(ucsdet_getName)                                                                                \
  X(ucsdet_open)                                                                                   \
  X(ucsdet_setText)                                                                                \
  X(utrans_close)                                                                                  \
  X(utrans_openU)                                                                                  \
  X(utrans_transUChars)

/* `##` keeps the name from expanding to ICU's versioned one (ucnv_open_72)
 * for the field, while __typeof__ sees the expanded, declared function. */
#define PP_ICU_FIELD(f) __typeof__(f) *p_##f;
typedef struct pp_icu_table {
  PP_ICU_FUNCTIONS(PP_ICU_FIELD)
} pp_icu_table;
#undef PP_ICU_FIELD

/* Filled by the first successful pp__icu_load, read-only after that. */
extern pp_icu_table pp__icu_fn;

#define ICU(f) (pp__icu_fn.p_##f)

/* Loads ICU's libraries and looks up every function above; thread-safe.
 * Returns 0, or the status it filled err with (naming source, the input
 * that needed ICU, or none when NULL): PP_ERR_NOMEM when the loader ran
 * out of memory, PP_ERR_IO when ICU is not installed as planparse was
 * built. */
int pp__icu_load(pp_error *err, const char *source);

/* Whether ICU has been loaded (pp_cleanup releases its caches only then). */
int pp__icu_loaded(void);

#endif
