/* Stage 1: bytes -> UTF-8.  Detection order: BOM, strict UTF-8, strict
 * GB18030, and ICU's detector only as a last hint, because ucsdet guesses
 * wildly on short Chinese text.  Invalid bytes are an error naming the byte
 * offset, never a silent U+FFFD, unless the caller asked for lossy reading. */
#include <string.h>
#include "icu.h"
#include "internal.h"

/* Line of byte offset off, counting LF (or LF code units for UTF-16/32). */
static long line_of(const char *d, size_t off, int unit, int big) {
  long line = 1;
  for (size_t i = 0; i + (size_t)unit <= off; i += (size_t)unit) {
    const unsigned char *p = (const unsigned char *)d + i;
    uint32_t c;
    if (unit == 1)
      c = p[0];
    else if (unit == 2)
      c = big ? (uint32_t)(p[0] << 8 | p[1]) : (uint32_t)(p[1] << 8 | p[0]);
    else
      c = big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
              : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
    if (c == '\n')
      line++;
  }
  return line;
}

/* Length of the valid UTF-8 sequence at s, or 0 when invalid. */
static int utf8_valid_at(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  int len;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    min = 0x10000;
  } else
    return 0;
  if ((size_t)len > n)
    return 0;
  uint32_t cp = c & (0x7F >> len);
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    cp = cp << 6 | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

/* Control characters that are no sign of binary data: \t \n \v \f \r and ESC. */
static const uint32_t text_ctl = 1u << '\t' | 1u << '\n' | 1u << '\v' | 1u << '\f' | 1u << '\r' |
                                 1u << 0x1B;

/* Offset of the first invalid UTF-8 byte, or len when all is valid.  On
 * the way it counts, in *ctl, the control characters other than text_ctl
 * and NULs (binary data), so valid input is read only once. */
static size_t utf8_check_ctl(const char *d, size_t len, size_t *ctl) {
  const unsigned char *s = (const unsigned char *)d;
  size_t i = 0, n = 0;
  while (i < len) {
    /* Runs of ASCII eight bytes at a time (looked at byte by byte only
     * when one is below 0x20); the three-byte sequences of CJK text
     * inline; anything else the long way. */
    if (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (!(w & 0x8080808080808080ull)) {
        if ((w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull)
          for (int k = 0; k < 8; k++)
            n += s[i + k] < 0x20 && !(text_ctl >> s[i + k] & 1);
        i += 8;
        continue;
      }
    }
    if (s[i] < 0x80) {
      n += s[i] < 0x20 && !(text_ctl >> s[i] & 1);
      i++;
      continue;
    }
    /* A run of three-byte sequences in a loop of its own: E1-EC and EE-EF
     * take any two continuation bytes (E0 and ED, whose second byte is
     * bounded, go the long way). */
    size_t run = i;
    while (i + 3 <= len) {
      unsigned c0 = s[i];
      uint16_t cc;
      memcpy(&cc, s + i + 1, 2);
      if ((c0 & 0xF0) != 0xE0 || c0 == 0xE0 || c0 == 0xED || (cc & 0xC0C0) != 0x8080)
        break;
      i += 3;
    }
    if (i > run)
      continue;
    int l = utf8_valid_at(s + i, len - i);
    if (!l) {
      *ctl = n;
      return i;
    }
    i += (size_t)l;
  }
  *ctl = n;
  return len;
}

static size_t utf8_check(const char *d, size_t len) {
  size_t ctl;
  return utf8_check_ctl(d, len, &ctl);
}

/* NUL bytes are valid UTF-8 but no plan holds them, nor many controls. */
static int binary_by(size_t len, size_t ctl, const char *d) {
  return memchr(d, 0, len) != NULL || (len >= 16 && ctl * 10 > len);
}

static char *utf8_lossy(pp_arena *a, const char *d, size_t len, size_t *out_len,
                        size_t *bad) {
  char *out = pp__alloc(a, len * 3 + 1);
  size_t o = 0;
  const unsigned char *s = (const unsigned char *)d;
  for (size_t i = 0; i < len;) {
    int l = utf8_valid_at(s + i, len - i);
    if (l) {
      memcpy(out + o, s + i, (size_t)l);
      o += (size_t)l;
      i += (size_t)l;
    } else {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      (*bad)++;
      i++;
    }
  }
  out[o] = 0;
  *out_len = o;
  return out;
}

typedef struct lossy_ctx {
  size_t count;
} lossy_ctx;

static void U_CALLCONV count_subst(const void *ctx, UConverterToUnicodeArgs *args,
                                   const char *units, int32_t n,
                                   UConverterCallbackReason reason,
                                   UErrorCode *st) {
  if (reason <= UCNV_IRREGULAR)
    ((lossy_ctx *)ctx)->count++;
  ICU(UCNV_TO_U_CALLBACK_SUBSTITUTE)(NULL, args, units, n, reason, st);
}

/* Converts with ICU.  Returns NULL and sets *bad_off on an invalid
 * sequence (strict), or on a converter failure (*bad_off = SIZE_MAX). */
static char *icu_convert(pp_arena *a, pp_arena *out_a, const char *name, const char *d,
                         size_t len, int lossy, size_t *out_len,
                         size_t *bad_off, size_t *nbad) {
  UErrorCode st = U_ZERO_ERROR;
  *bad_off = SIZE_MAX;
  if (len > INT32_MAX / 2)
    return NULL;
  /* Every encoding here yields at most one UTF-16 unit per input byte.
   * Allocated before the converter opens, so a failure leaks nothing. */
  UChar *u = pp__alloc(a, (len + 2) * sizeof(UChar));
  UConverter *cv = ICU(ucnv_open)(name, &st);
  if (st == U_MEMORY_ALLOCATION_ERROR)
    pp__oom(a);
  if (U_FAILURE(st))
    return NULL;
  lossy_ctx lc = {0};
  if (lossy)
    ICU(ucnv_setToUCallBack)(cv, count_subst, &lc, NULL, NULL, &st);
  else
    ICU(ucnv_setToUCallBack)(cv, ICU(UCNV_TO_U_CALLBACK_STOP), NULL, NULL, NULL, &st);
  UChar *ut = u;
  const char *src = d;
  ICU(ucnv_toUnicode)(cv, &ut, u + len + 1, &src, d + len, NULL, 1, &st);
  if (st == U_MEMORY_ALLOCATION_ERROR) {
    ICU(ucnv_close)(cv);
    pp__oom(a);
  }
  if (U_FAILURE(st)) {
    if (st == U_ILLEGAL_CHAR_FOUND || st == U_INVALID_CHAR_FOUND ||
        st == U_TRUNCATED_CHAR_FOUND) {
      char inv[32];
      int8_t ilen = sizeof inv;
      UErrorCode s2 = U_ZERO_ERROR;
      ICU(ucnv_getInvalidChars)(cv, inv, &ilen, &s2);
      size_t consumed = (size_t)(src - d);
      *bad_off = consumed >= (size_t)ilen ? consumed - (size_t)ilen : 0;
    }
    ICU(ucnv_close)(cv);
    return NULL;
  }
  ICU(ucnv_close)(cv);
  char *out = pp__utf16_to_utf8(out_a, u, (int32_t)(ut - u), out_len);
  *nbad = lc.count;
  return out;
}

char *pp__utf16_to_utf8(pp_arena *a, const uint16_t *u, int32_t ulen, size_t *out_len) {
  int32_t need = 0;
  UErrorCode st = U_ZERO_ERROR;
  ICU(u_strToUTF8)(NULL, 0, &need, u, ulen, &st);
  char *out = pp__alloc(a, (size_t)need + 1);
  st = U_ZERO_ERROR;
  ICU(u_strToUTF8)(out, need + 1, &need, u, ulen, &st);
  if (U_FAILURE(st))
    return NULL;
  *out_len = (size_t)need;
  return out;
}

/* Every path that converts, detects or checks a name with ICU loads it
 * first; plain UTF-8 never does. */
static int need_icu(pp_arena *a, pp_error *err, const char *source) {
  int rc = pp__icu_load(err, source);
  if (rc == PP_ERR_NOMEM)
    pp__oom(a);
  return rc ? -1 : 0;
}

static const char *canonical(const char *icu) {
  static const struct {
    const char *icu, *name;
  } names[] = {{"UTF-8", "UTF-8"},       {"UTF-16LE", "UTF-16LE"},
               {"UTF-16BE", "UTF-16BE"}, {"UTF-32LE", "UTF-32LE"},
               {"UTF-32BE", "UTF-32BE"}, {"GB18030", "GB18030"},
               {"GBK", "GB18030"},       {"GB2312", "GB18030"}};
  size_t n = sizeof names / sizeof names[0];
  for (size_t i = 0; i < n; i++)
    if (strcmp(icu, names[i].icu) == 0)
      return names[i].name;
  /* Any other spelling ("utf8", "gbk") was given with --encoding, whose
   * check loaded ICU. */
  if (pp__icu_loaded())
    for (size_t i = 0; i < n; i++)
      if (ICU(ucnv_compareNames)(icu, names[i].icu) == 0)
        return names[i].name;
  return icu;
}

static int looks_binary(const char *d, size_t len) {
  size_t ctl = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)d[i];
    ctl += c < 0x20 && !(text_ctl >> c & 1);
  }
  return binary_by(len, ctl, d);
}

/* ICU's guess for data that is neither UTF-8 nor GB18030; NULL if none. */
static const char *detector_hint(pp_arena *a, const char *d, size_t len) {
  UErrorCode st = U_ZERO_ERROR;
  UCharsetDetector *det = ICU(ucsdet_open)(&st);
  /* ICU 72 returns no detector, and no error, when it cannot allocate one. */
  if (!det || st == U_MEMORY_ALLOCATION_ERROR) {
    ICU(ucsdet_close)(det);
    pp__oom(a);
  }
  if (U_FAILURE(st))
    return NULL;
  const char *res = NULL;
  ICU(ucsdet_setText)(det, d, (int32_t)(len > 1 << 20 ? 1 << 20 : len), &st);
  const UCharsetMatch *m = ICU(ucsdet_detect)(det, &st);
  if (st == U_MEMORY_ALLOCATION_ERROR) {
    ICU(ucsdet_close)(det);
    pp__oom(a);
  }
  if (U_SUCCESS(st) && m) {
    const char *n = ICU(ucsdet_getName)(m, &st);
    if (U_SUCCESS(st) && n && (strncmp(n, "UTF-16", 6) == 0 || strncmp(n, "UTF-32", 6) == 0 ||
                               strcmp(n, "Big5") == 0 || strcmp(n, "GB18030") == 0))
      res = strncmp(n, "UTF", 3) == 0 ? (n[4] == '1' ? (strstr(n, "BE") ? "UTF-16BE" : "UTF-16LE")
                                                     : (strstr(n, "BE") ? "UTF-32BE" : "UTF-32LE"))
                                      : (strcmp(n, "Big5") == 0 ? "Big5" : "GB18030");
  }
  ICU(ucsdet_close)(det);
  return res;
}

char *pp__decode(pp_arena *a, pp_arena *out_a, const char *d, size_t len, int in_place,
                 const char *force,
                 int lossy, const char *source, size_t *out_len,
                 const char **enc, size_t *bad, pp_error *err) {
  const unsigned char *u = (const unsigned char *)d;
  const char *name = NULL;
  size_t skip = 0;
  *bad = 0;
  if (force) {
    if (need_icu(a, err, source))
      return NULL;
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cv = ICU(ucnv_open)(force, &st);
    if (st == U_MEMORY_ALLOCATION_ERROR)
      pp__oom(a);
    if (U_FAILURE(st)) {
      pp__error(err, PP_ERR_IO, source, 0, "unknown encoding '%s'", force);
      return NULL;
    }
    ICU(ucnv_close)(cv);
    name = force;
  } else if (len >= 4 && u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0) {
    name = "UTF-32LE", skip = 4;
  } else if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF) {
    name = "UTF-32BE", skip = 4;
  } else if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
    name = "UTF-8", skip = 3;
  } else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
    name = "UTF-16LE", skip = 2;
  } else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
    name = "UTF-16BE", skip = 2;
  }
  d += skip;
  len -= skip;
  int unit = 1, big = 0, valid_utf8 = 0;
  if (!name) {
    size_t ctl;
    size_t off = utf8_check_ctl(d, len, &ctl);
    /* Binary, unless the detector sees BOM-less UTF-16 or UTF-32.  Past an
     * invalid byte the count stopped: then the whole input is looked at. */
    if (off == len ? binary_by(len, ctl, d) : looks_binary(d, len)) {
      /* Only BOM-less UTF-16 or UTF-32 that converts cleanly into text
       * without NULs is text after all; anything else is binary. */
      if (need_icu(a, err, source))
        return NULL;
      const char *hint = detector_hint(a, d, len);
      size_t bo, nb, ol;
      char *o = hint && strncmp(hint, "UTF", 3) == 0
                    ? icu_convert(a, out_a, hint, d, len, 0, &ol, &bo, &nb)
                    : NULL;
      if (!o || looks_binary(o, ol)) {
        pp__error(err, PP_ERR_INPUT, source, 0, "not a text document");
        return NULL;
      }
      *enc = canonical(hint);
      *out_len = ol;
      return o;
    } else if (off == len) {
      name = "UTF-8";
      valid_utf8 = 1;
    } else {
      if (need_icu(a, err, source))
        return NULL;
      size_t bo, nb, ol;
      char *o = icu_convert(a, out_a, "gb18030", d, len, 0, &ol, &bo, &nb);
      if (o) {
        *out_len = ol;
        *enc = "GB18030";
        return o;
      }
      const char *hint = detector_hint(a, d, len);
      int gb_further = bo != SIZE_MAX && bo >= off;
      if (hint && strcmp(hint, "GB18030") != 0) {
        name = hint;
      } else if (lossy) {
        name = gb_further ? "GB18030" : "UTF-8";
      } else if (gb_further) {
        /* Neither UTF-8 nor GB18030: report the reading that got further,
         * which is the likelier intent. */
        pp__error(err, PP_ERR_INPUT, source, line_of(d, bo, 1, 0),
                  "invalid GB18030 byte sequence at offset %zu", bo + skip);
        return NULL;
      } else {
        pp__error(err, PP_ERR_INPUT, source, line_of(d, off, 1, 0),
                  "invalid UTF-8 byte sequence at offset %zu", off + skip);
        return NULL;
      }
    }
  }
  *enc = canonical(name);
  if (strncmp(*enc, "UTF-16", 6) == 0)
    unit = 2, big = (*enc)[6] == 'B';
  else if (strncmp(*enc, "UTF-32", 6) == 0)
    unit = 4, big = (*enc)[6] == 'B';
  if (strcmp(*enc, "UTF-8") == 0) {
    if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
      d += 3, len -= 3, skip += 3;
    size_t off = valid_utf8 ? len : utf8_check(d, len);
    if (off == len) {
      *out_len = len;
      return in_place ? (char *)d : pp__strndup(out_a, d, len);
    }
    if (lossy)
      return utf8_lossy(out_a, d, len, out_len, bad);
    pp__error(err, PP_ERR_INPUT, source, line_of(d, off, 1, 0),
              "invalid UTF-8 byte sequence at offset %zu", off + skip);
    return NULL;
  }
  if (unit > 1 && len % (size_t)unit) {
    if (!lossy) {
      pp__error(err, PP_ERR_INPUT, source, line_of(d, len - len % (size_t)unit, unit, big),
                "truncated %s input: %zu bytes is not a whole number of code units",
                *enc, len + skip);
      return NULL;
    }
  }
  if (need_icu(a, err, source))
    return NULL;
  size_t bo, ol;
  char *o = icu_convert(a, out_a, name, d, len, lossy, &ol, &bo, bad);
  if (!o) {
    if (bo == SIZE_MAX)
      pp__error(err, PP_ERR_INPUT, source, 0, "cannot convert from %s", *enc);
    else
      pp__error(err, PP_ERR_INPUT, source, line_of(d, bo, unit, big),
                "invalid %s byte sequence at offset %zu", *enc, bo + skip);
    return NULL;
  }
  /* A BOM may still lead when the encoding was forced. */
  if (ol >= 3 && memcmp(o, "\xEF\xBB\xBF", 3) == 0) {
    o += 3;
    ol -= 3;
  }
  *out_len = ol;
  return o;
}
