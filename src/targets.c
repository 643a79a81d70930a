/* Numeric targets in a node's text: "公办园在园幼儿占比达到50%", "新改扩建
 * 48所普惠性幼儿园", "学生近视率下降0.5%以上", "精品课3-5节".  A target is a
 * number (or a range) with a unit of measure, inside one clause; what it
 * measures is the clause before the number, less the words that only set
 * the scene (确保, 力争, 全市, 2023年); how it binds comes from the words
 * around it (达到, 以上, 不超过, 下降, 提高).  Years, dates, ordinals (第二批),
 * numbers without a unit (12345热线, 1+X) and numbers in quotation marks
 * (“四个100%”) are no targets. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Longest first, so 个百分点 wins over 个. */
static const char *const units[] = {"个百分点", "百分点", "万人次", "人次", "万元", "亿元", "万人",
                                    "平方米", "课时", "学时", "%", "％", "所", "个", "名",
                                    "节", "次", "人", "项", "家", "场", "套", "台", "间",
                                    "处", "支", "门", "期", "批", "届", NULL};
/* Words that set the scene, dropped from the front of an indicator. */
static const char *const scene[] = {"确保", "力争", "争取", "实现", "保证", "全市", "全县", "全区",
                                    "全省", "年内", "到年底", "年底前", "年底", "其中", "使",
                                    "推动", "着力", "进一步", "完成", "积极", "创建", "争创",
                                    "打造", "培养", "建成", "帮助", "开展", "组织", "举办",
                                    "评选", "认定", "学生掌握", NULL};

typedef struct verb {
  const char *word;
  const char *comparator;
} verb;

/* Before the number, nearest first wins; longest listed first. */
static const verb before[] = {
    {"不低于", "at_least"}, {"不少于", "at_least"}, {"不超过", "at_most"},
    {"不高于", "at_most"},  {"提高至", "equals"},   {"提高到", "equals"},
    {"提升至", "equals"},   {"提升到", "equals"},   {"增加到", "equals"},
    {"增长到", "equals"},   {"保持在", "equals"},   {"控制在", "equals"},
    {"达到", "equals"},     {"降至", "equals"},     {"下降", "decrease_by"},
    {"降低", "decrease_by"}, {"减少", "decrease_by"}, {"提高", "increase_by"},
    {"提升", "increase_by"}, {"增加", "increase_by"}, {"增长", "increase_by"},
    {"达", "equals"},       {NULL, NULL}};

/* The length of the clause boundary at s, or 0: a target never reaches
 * across one.  Called at every byte of every node's text, so it tests
 * bytes rather than walking a word list: ，。；、：！？ , ; : and newline. */
static size_t stop_len(const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  switch (u[0]) {
  case ',':
  case ';':
  case ':':
  case '\n':
    return 1;
  case 0xE3: /* 。、 */
    return u[1] == 0x80 && (u[2] == 0x82 || u[2] == 0x81) ? 3 : 0;
  case 0xEF: /* ，；：！？ */
    return u[1] == 0xBC && (u[2] == 0x8C || u[2] == 0x9B || u[2] == 0x9A || u[2] == 0x81 ||
                            u[2] == 0x9F)
               ? 3
               : 0;
  default:
    return 0;
  }
}

static size_t starts(const char *s, const char *const *list) {
  for (const char *const *w = list; *w; w++)
    if (strncmp(s, *w, strlen(*w)) == 0)
      return strlen(*w);
  return 0;
}

static int ends_with(const char *s, size_t n, const char *w) {
  size_t k = strlen(w);
  return n >= k && memcmp(s + n - k, w, k) == 0;
}

static int is_digit(const char *s, size_t *len) {
  if (*s >= '0' && *s <= '9') {
    *len = 1;
    return *s - '0';
  }
  const unsigned char *u = (const unsigned char *)s;
  if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) { /* ０-９ */
    *len = 3;
    return u[2] - 0x90;
  }
  return -1;
}

/* A number at s: digits, perhaps a decimal part; its value and length. */
static size_t number(const char *s, double *v) {
  size_t i = 0, l;
  int d;
  double x = 0;
  while ((d = is_digit(s + i, &l)) >= 0) {
    x = x * 10 + d;
    i += l;
  }
  if (!i)
    return 0;
  if (s[i] == '.' && is_digit(s + i + 1, &l) >= 0) {
    double f = 0.1;
    i++;
    while ((d = is_digit(s + i, &l)) >= 0) {
      x += d * f;
      f /= 10;
      i += l;
    }
  }
  *v = x;
  return i;
}

static char *trimmed(pp_arena *a, const char *s, size_t n) {
  s = pp__trim(s, n, &n);
  return pp__strndup(a, s, n);
}

/* Drops scene-setting words and a leading year from the front, and
 * bracketed asides (（一星级及以上）) anywhere. */
static char *indicator(pp_arena *a, const char *s, size_t n) {
  char *o = pp__alloc(a, n + 1), *q = o;
  int depth = 0;
  for (size_t i = 0; i < n;) {
    if (strncmp(s + i, "（", 3) == 0 || s[i] == '(') {
      depth++;
      i += s[i] == '(' ? 1 : 3;
    } else if (strncmp(s + i, "）", 3) == 0 || s[i] == ')') {
      depth -= depth > 0;
      i += s[i] == ')' ? 1 : 3;
    } else if (depth)
      i++;
    else
      *q++ = s[i++];
  }
  *q = 0;
  char *p = o;
  for (int again = 1; again;) {
    again = 0;
    size_t k = starts(p, scene);
    double y;
    size_t yl = number(p, &y);
    if (k) {
      p += k;
      again = 1;
    } else if (yl == 4 && strncmp(p + 4, "年", 3) == 0) {
      p += 7;
      again = 1;
    }
  }
  return trimmed(a, p, strlen(p));
}

static void add(pp_doc *d, pp_node *n, const pp_target *t) {
  n->targets = pp__grow(&d->arena, n->targets, n->ntargets, &n->captargets, sizeof *n->targets);
  n->targets[n->ntargets++] = *t;
}

void pp__targets(pp_doc *d, pp_node *n) {
  const char *s = n->text;
  size_t len = strlen(s), clause = 0;
  int quoted = 0;
  /* Bytes that can start a clause boundary, a quotation mark or a digit
   * (0 here); the rest of the text is passed over without a closer look, a
   * whole character at a time (the text is valid UTF-8). */
  static const unsigned char step[256] = {
      /* ASCII: 0 at \n , 0-9 : ;  then continuation bytes, two-byte leads,
       * three-byte leads (0 at E2 “ ” —, E3 、。, EF ，：；), four-byte. */
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
      2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
      3, 3, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0,
      4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  };
  for (size_t i = 0; i < len;) {
    unsigned char st = step[(unsigned char)s[i]];
    if (st) {
      i += st;
      continue;
    }
    size_t k = stop_len(s + i);
    if (k) {
      clause = i + k;
      i += k;
      continue;
    }
    const unsigned char *c = (const unsigned char *)s + i;
    if (c[0] == 0xE2 && c[1] == 0x80 && (c[2] == 0x9C || c[2] == 0x9D)) { /* “ ” */
      quoted = c[2] == 0x9C;
      i += 3;
      continue;
    }
    double v, hi = 0;
    size_t nl = (c[0] >= '0' && c[0] <= '9') || c[0] == 0xEF ? number(s + i, &v) : 0;
    if (!nl) {
      i++;
      continue;
    }
    size_t after = i + nl;
    int range = 0;
    size_t rl = 0;
    if (s[after] == '-' || s[after] == '~')
      rl = 1;
    else if (strncmp(s + after, "—", 3) == 0 || strncmp(s + after, "～", 3) == 0 ||
             strncmp(s + after, "至", 3) == 0 || strncmp(s + after, "到", 3) == 0)
      rl = 3;
    if (rl) {
      size_t hl = number(s + after + rl, &hi);
      if (hl) {
        after += rl + hl;
        range = 1;
      }
    }
    size_t ul = 0;
    for (const char *const *u = units; *u && !ul; u++)
      if (strncmp(s + after, *u, strlen(*u)) == 0)
        ul = strlen(*u);
    /* Not a measure, an ordinal (第二批), in quotes, or glued to letters
     * or a plus (1+X): no target. */
    int ordinal = i >= 3 && strncmp(s + i - 3, "第", 3) == 0;
    int glued = (i > 0 && (s[i - 1] == '+' || ((s[i - 1] | 32) >= 'a' && (s[i - 1] | 32) <= 'z'))) ||
                s[after] == '+';
    if (!ul || ordinal || quoted || glued) {
      i = after > i ? after : i + 1;
      continue;
    }
    pp_target t;
    memset(&t, 0, sizeof t);
    t.value = v;
    t.high = hi;
    t.range = range;
    t.unit = pp__strndup(&d->arena, s + after, ul);
    if (strcmp(t.unit, "％") == 0)
      t.unit = "%";
    size_t end = after + ul;
    /* After the unit: 以上, 以内, 以下. */
    const char *bound = NULL;
    if (strncmp(s + end, "以上", 6) == 0)
      bound = "at_least", end += 6;
    else if (strncmp(s + end, "以内", 6) == 0 || strncmp(s + end, "以下", 6) == 0)
      bound = "at_most", end += 6;
    /* Before the number, within the clause: the nearest verb. */
    const char *cmp = NULL;
    size_t vstart = i, vend = i;
    while (vend > clause && s[vend - 1] == ' ') /* 达到 80% */
      vend--;
    for (const verb *b = before; b->word && !cmp; b++)
      if (ends_with(s + clause, vend - clause, b->word)) {
        cmp = b->comparator;
        vstart = vend - strlen(b->word);
      }
    if (cmp && strcmp(cmp, "decrease_by") == 0 && bound)
      t.bound = bound; /* 下降0.5%以上: by at least 0.5 */
    else if (cmp && strcmp(cmp, "increase_by") == 0 && bound)
      t.bound = bound;
    else if (bound)
      cmp = bound;
    t.comparator = cmp ? cmp : "equals";
    /* What is measured: the clause before the verb; for a count with no
     * verb (新建6所幼儿园), the clause around the number. */
    size_t rest = end;
    while (rest < len && !stop_len(s + rest))
      rest++;
    if (cmp && vstart > clause)
      t.indicator = indicator(&d->arena, s + clause, vstart - clause);
    else {
      /* The counted thing follows the unit, up to a conjunction or another
       * number: 新建19所义务教育阶段学校和60所寄宿制学校. */
      size_t from = clause;
      for (size_t j = clause; j + 3 <= i; j++)
        if (strncmp(s + j, "和", 3) == 0 || strncmp(s + j, "及", 3) == 0 ||
            strncmp(s + j, "与", 3) == 0)
          from = j + 3; /* 19所学校和60所…: the second count starts after 和 */
      char *pre = indicator(&d->arena, s + from, i - from);
      size_t stop = end;
      double ignored;
      while (stop < rest && !number(s + stop, &ignored) && strncmp(s + stop, "和", 3) != 0 &&
             strncmp(s + stop, "及", 3) != 0 && strncmp(s + stop, "与", 3) != 0)
        stop++;
      char *post = trimmed(&d->arena, s + end, stop - end);
      size_t pl = strlen(post);
      if (ends_with(post, pl, "任务") || ends_with(post, pl, "工作"))
        post[pl - 6] = 0;
      t.indicator = pp__printf(&d->arena, "%s%s", pre, post);
    }
    t.text = trimmed(&d->arena, s + clause, rest - clause);
    if (t.indicator[0])
      add(d, n, &t);
    i = end;
  }
}
