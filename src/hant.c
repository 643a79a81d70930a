/* Traditional characters, for matching and for --simplify.  Matching folds
 * each code point through a table generated from ICU at build time, so the
 * grammar's 责任领导 also finds 責任領導 without opening a transliterator;
 * --simplify runs ICU's Traditional-Simplified transliterator itself over
 * the whole text, context rules and all. */
#include <string.h>
#include "icu.h"
#include "internal.h"

#include "hant_table.h"

_Static_assert(PP_HANT_FIRST == PP_HAN_FIRST && PP_HANT_LAST == PP_HAN_LAST,
               "the generated table covers the range internal.h says");

uint32_t pp__simplified_table(uint32_t c) { return pp_hant_table[c - PP_HANT_FIRST]; }

char *pp__simplify_text(pp_arena *a, const char *s, size_t n, size_t *out_n,
                        pp_error *err, const char *source) {
  if (pp__icu_load(err, source))
    return NULL;
  UErrorCode st = U_ZERO_ERROR;
  if (n > INT32_MAX / 4) {
    pp__error(err, PP_ERR_INPUT, source, 0, "input too large for --simplify");
    return NULL;
  }
  int32_t ulen = 0;
  ICU(u_strFromUTF8)(NULL, 0, &ulen, s, (int32_t)n, &st);
  st = U_ZERO_ERROR;
  /* Simplification never lengthens Chinese text much; leave room anyway. */
  int32_t cap = ulen * 2 + 16;
  UChar *u = pp__alloc(a, (size_t)cap * sizeof(UChar));
  ICU(u_strFromUTF8)(u, cap, &ulen, s, (int32_t)n, &st);
  UTransliterator *t = U_SUCCESS(st) ? ICU(utrans_openU)(u"Traditional-Simplified", -1,
                                                    UTRANS_FORWARD, NULL, 0, NULL, &st)
                                     : NULL;
  int32_t limit = ulen;
  if (U_SUCCESS(st))
    ICU(utrans_transUChars)(t, u, &ulen, cap, 0, &limit, &st);
  if (t)
    ICU(utrans_close)(t);
  if (U_FAILURE(st)) {
    /* ICU 72 reports an allocation failing while it builds this built-in
     * transliterator as U_INVALID_ID. */
    int nomem = st == U_MEMORY_ALLOCATION_ERROR || (!t && st == U_INVALID_ID);
    pp__error(err, nomem ? PP_ERR_NOMEM : PP_ERR_INPUT, source, 0, "cannot simplify: %s",
              nomem ? "out of memory" : ICU(u_errorName)(st));
    return NULL;
  }
  char *out = pp__utf16_to_utf8(a, u, ulen, out_n);
  if (!out)
    pp__error(err, PP_ERR_INPUT, source, 0, "cannot simplify: conversion failed");
  return out;
}
