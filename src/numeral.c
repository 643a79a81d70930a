/* Label numbers: Arabic (ASCII or full-width digits), Chinese numerals
 * (一 … 十二 … 一百零五), circled and parenthesised digits (① ⑴ ⒈).  A label
 * that cannot be read, or that overflows, is -1: the tree still holds the
 * node and says so, rather than inventing a number. */
#include <limits.h>

#include "internal.h"

static int digit_of(uint32_t c) {
  static const uint32_t cn[] = {0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
  for (int i = 0; i < 10; i++)
    if (c == cn[i])
      return i;
  if (c == 0x3007) /* 〇 */
    return 0;
  if (c == 0x4E24) /* 两 */
    return 2;
  return -1;
}

static long unit_of(uint32_t c) {
  switch (c) {
  case 0x5341: return 10;    /* 十 */
  case 0x767E: return 100;   /* 百 */
  case 0x5343: return 1000;  /* 千 */
  case 0x4E07: return 10000; /* 万 */
  default: return 0;
  }
}

/* a + b, or -1 when it would overflow (both are non-negative). */
static long add(long a, long b) { return a < 0 || b < 0 || a > LONG_MAX - b ? -1 : a + b; }
static long mul(long a, long b) { return a < 0 || b < 0 || (b && a > LONG_MAX / b) ? -1 : a * b; }

static long chinese(const char *s, size_t n) {
  long total = 0, section = 0, digit = -1;
  int any = 0;
  for (size_t i = 0; i < n;) {
    int l;
    uint32_t c = pp__utf8_next(s + i, n - i, &l);
    i += (size_t)l;
    int d = digit_of(c);
    long u = unit_of(c);
    if (d >= 0) {
      /* 二〇二三 style: digits in a row read positionally. */
      digit = digit >= 0 ? add(mul(digit, 10), d) : d;
      if (digit < 0)
        return -1;
      any = 1;
    } else if (u == 10000) {
      section = add(section, digit > 0 ? digit : 0);
      total = add(total, mul(section ? section : 1, 10000));
      section = 0;
      digit = -1;
    } else if (u) {
      section = add(section, mul(digit >= 0 ? digit : 1, u));
      digit = -1;
      any = 1;
    } else
      return -1;
    if (section < 0 || total < 0)
      return -1;
  }
  if (!any)
    return -1;
  return add(add(total, section), digit > 0 ? digit : 0);
}

static long arabic(const char *s, size_t n) {
  long v = 0;
  int any = 0;
  for (size_t i = 0; i < n;) {
    int l;
    uint32_t c = pp__utf8_next(s + i, n - i, &l);
    i += (size_t)l;
    int d = c >= '0' && c <= '9' ? (int)(c - '0') : c >= 0xFF10 && c <= 0xFF19 ? (int)(c - 0xFF10) : -1;
    if (d < 0)
      continue; /* brackets, dots: the label as written may carry them */
    if (v > (LONG_MAX - d) / 10)
      return -1;
    v = v * 10 + d;
    any = 1;
  }
  return any ? v : -1;
}

static long circled(const char *s, size_t n) {
  int l;
  if (!n)
    return -1;
  uint32_t c = pp__utf8_next(s, n, &l);
  if (c >= 0x2460 && c <= 0x2473) return (long)(c - 0x2460 + 1);  /* ①-⑳ */
  if (c >= 0x2474 && c <= 0x2487) return (long)(c - 0x2474 + 1);  /* ⑴-⒇ */
  if (c >= 0x2488 && c <= 0x249B) return (long)(c - 0x2488 + 1);  /* ⒈-⒛ */
  if (c >= 0x3251 && c <= 0x325F) return (long)(c - 0x3251 + 21); /* ㉑-㉟ */
  if (c >= 0x32B1 && c <= 0x32BF) return (long)(c - 0x32B1 + 36); /* ㊱-㊿ */
  if (c >= 0x2776 && c <= 0x277F) return (long)(c - 0x2776 + 1);  /* ❶-❿ */
  if (c >= 0x3220 && c <= 0x3229) return (long)(c - 0x3220 + 1);  /* ㈠-㈩ */
  return arabic(s, n);
}

long pp__numeral(const char *s, size_t n, int style) {
  switch (style) {
  case PP_NUM_CHINESE: return chinese(s, n);
  case PP_NUM_CIRCLED: return circled(s, n);
  case PP_NUM_ARABIC: {
    long v = arabic(s, n);
    return v >= 0 ? v : circled(s, n); /* ⑴ and ⒈ are digits too */
  }
  default: return -1;
  }
}
