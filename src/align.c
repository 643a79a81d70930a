/* Aligning plans: which work items of one plan say the same as which of
 * another.  Units are a plan's items, or its leaf nodes where it numbers no
 * items.  Each unit becomes a weighted bag of words: ICU's dictionary word
 * break for Chinese, title words counting double, and inverse document
 * frequency over all the plans compared, so that words every plan uses
 * (加强, 推进, 工作) weigh little.  Candidate pairs come only from units that
 * share a rarer word, so the work grows with such pairs, not with all pairs;
 * matching is one to one, best score first, above a threshold. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "icu.h"
#include "internal.h"

/* qsort, which may not be given a null array even of no elements. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  if (n > 1)
    qsort(base, n, size, cmp);
}

/* ---- word table ------------------------------------------------------- */

typedef struct word {
  const char *s;
  uint32_t hash;
  uint32_t df;      /* units that hold it */
  int kind;         /* 0 ideographic, 1 number, 2 letters */
  size_t *post;     /* global unit indices holding it */
  size_t npost, cappost;
} word;

typedef struct words {
  word *v;
  size_t n, cap;
  int32_t *slot; /* open addressing: index into v, or -1 */
  size_t nslot;
} words;

static uint32_t fnv(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void rehash(pp_arena *a, words *w) {
  size_t ns = w->nslot ? w->nslot * 2 : 1024;
  int32_t *slot = pp__alloc(a, ns * sizeof *slot);
  memset(slot, 0xFF, ns * sizeof *slot);
  for (size_t i = 0; i < w->n; i++) {
    size_t k = w->v[i].hash & (ns - 1);
    while (slot[k] >= 0)
      k = (k + 1) & (ns - 1);
    slot[k] = (int32_t)i;
  }
  w->slot = slot;
  w->nslot = ns;
}

static uint32_t intern(pp_arena *a, words *w, const char *s, size_t n, int kind) {
  if ((w->n + 1) * 2 > w->nslot)
    rehash(a, w);
  uint32_t h = fnv(s, n);
  size_t k = h & (w->nslot - 1);
  for (; w->slot[k] >= 0; k = (k + 1) & (w->nslot - 1)) {
    word *x = &w->v[w->slot[k]];
    if (x->hash == h && strncmp(x->s, s, n) == 0 && x->s[n] == 0)
      return (uint32_t)w->slot[k];
  }
  w->v = pp__grow(a, w->v, w->n, &w->cap, sizeof *w->v);
  word *x = &w->v[w->n];
  memset(x, 0, sizeof *x);
  x->s = pp__strndup(a, s, n);
  x->hash = h;
  x->kind = kind;
  w->slot[k] = (int32_t)w->n;
  return (uint32_t)w->n++;
}

static int one_char(const char *s) {
  int l;
  size_t n = strlen(s);
  return n && (pp__utf8_next(s, n, &l), (size_t)l == n);
}

/* ---- units ------------------------------------------------------------ */

typedef struct term {
  uint32_t id;
  float w;
} term;

typedef struct unit {
  const pp_node *node;
  const char *path;
  pp_seg *segs[2]; /* title, text */
  size_t nsegs[2];
  uint32_t *bigrams[2]; /* words made of two single-character segments */
  size_t nbigrams[2];
  term *vec, *tvec; /* all words; title words */
  size_t nvec, ntvec;
  double norm, tnorm;
  double tself; /* its title against its whole */
  size_t plan, index, gid;
} unit;

typedef struct plan_rec {
  const pp_doc *doc;
  unit *u;
  size_t n;
} plan_rec;

typedef struct match {
  size_t a, b; /* unit indices within their plans */
  double score;
} match;

struct pp_compare {
  pp_arena arena;
  plan_rec *plans;
  size_t n;
  double threshold;
  words w;
  unit **all; /* every unit, by global index */
  size_t nall;
  match **pairs; /* [a * n + b], a < b: one-to-one */
  size_t *npairs;
  match **links; /* [a * n + b], a < b: every candidate above the threshold */
  size_t *nlinks;
  double *sim;
  pp_topic *topics;
  size_t ntopics;
};

static const char *unit_path(pp_arena *a, const pp_node *n) {
  const char *parts[64];
  int k = 0;
  for (const pp_node *p = n; p && k < 64; p = p->parent)
    parts[k++] = p->label[0] ? p->label : pp__printf(a, "%ld", p->number);
  size_t len = 0;
  for (int i = 0; i < k; i++)
    len += strlen(parts[i]) + 1;
  char *s = pp__alloc(a, len + 1), *o = s;
  for (int i = k; i-- > 0;) {
    size_t l = strlen(parts[i]);
    memcpy(o, parts[i], l);
    o += l;
    if (i)
      *o++ = '/';
  }
  *o = 0;
  return s;
}

/* Splits s into word segments with ICU's word break iterator; every
 * segment that is a word gets an id in the table. */
static void segment(pp_compare *c, UBreakIterator *bi, const char *s, pp_seg **out,
                    size_t *nout, uint32_t **bigrams, size_t *nbigrams, UErrorCode *st) {
  size_t n = strlen(s);
  *out = NULL;
  *nout = 0;
  *bigrams = NULL;
  *nbigrams = 0;
  if (!n)
    return;
  int32_t ulen = 0;
  UErrorCode s1 = U_ZERO_ERROR;
  ICU(u_strFromUTF8)(NULL, 0, &ulen, s, (int32_t)n, &s1);
  UChar *u = pp__alloc(&c->arena, ((size_t)ulen + 1) * sizeof *u);
  size_t *map = pp__alloc(&c->arena, ((size_t)ulen + 1) * sizeof *map);
  s1 = U_ZERO_ERROR;
  ICU(u_strFromUTF8)(u, ulen + 1, &ulen, s, (int32_t)n, &s1);
  /* UTF-16 index -> UTF-8 offset. */
  for (size_t i = 0, k = 0; i < n && k < (size_t)ulen;) {
    int l;
    uint32_t cp = pp__utf8_next(s + i, n - i, &l);
    map[k++] = i;
    if (cp > 0xFFFF && k < (size_t)ulen)
      map[k++] = i;
    i += (size_t)l;
  }
  map[ulen] = n;
  ICU(ubrk_setText)(bi, u, ulen, st);
  if (U_FAILURE(*st))
    return;
  size_t cap = 0;
  pp_seg *v = NULL;
  int32_t prev = ICU(ubrk_first)(bi);
  for (int32_t b = ICU(ubrk_next)(bi); b != UBRK_DONE; prev = b, b = ICU(ubrk_next)(bi)) {
    int32_t rs = ICU(ubrk_getRuleStatus)(bi);
    v = pp__grow(&c->arena, v, *nout, &cap, sizeof *v);
    pp_seg *g = &v[(*nout)++];
    g->start = map[prev];
    g->end = map[b];
    g->word = -1;
    int kind = rs >= UBRK_WORD_IDEO && rs < UBRK_WORD_IDEO_LIMIT     ? 0
               : rs >= UBRK_WORD_NUMBER && rs < UBRK_WORD_NUMBER_LIMIT ? 1
               : rs >= UBRK_WORD_LETTER && rs < UBRK_WORD_LETTER_LIMIT ? 2
                                                                        : -1;
    if (kind >= 0)
      g->word = (int32_t)intern(&c->arena, &c->w, s + g->start, g->end - g->start, kind);
  }
  *out = v;
  /* The dictionary does not know every term of the trade: 师德师风 and 双减
   * come out as single characters.  Adjacent pairs of those stand in for
   * the words they spell. */
  size_t bcap = 0;
  for (size_t k = 0; k + 1 < *nout; k++) {
    const pp_seg *x = &v[k], *y = &v[k + 1];
    if (x->word < 0 || y->word < 0 || x->end != y->start || c->w.v[x->word].kind != 0 ||
        c->w.v[y->word].kind != 0 || !one_char(c->w.v[x->word].s) ||
        !one_char(c->w.v[y->word].s))
      continue;
    *bigrams = pp__grow(&c->arena, *bigrams, *nbigrams, &bcap, sizeof **bigrams);
    (*bigrams)[(*nbigrams)++] = intern(&c->arena, &c->w, s + x->start, y->end - x->start, 0);
  }
}

static int by_id(const void *x, const void *y) {
  const term *a = x, *b = y;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* Raw term frequencies of parts [from, to] of a unit (0 title, 1 text);
 * title words count double. */
static term *count_terms(pp_compare *c, const unit *u, int from, int to, size_t *nout) {
  size_t total = 0, n = 0;
  for (int part = from; part <= to; part++)
    total += u->nsegs[part] + u->nbigrams[part];
  term *v = pp__alloc(&c->arena, (total + 1) * sizeof *v);
  for (int part = from; part <= to; part++)
    for (size_t i = 0; i < u->nsegs[part]; i++)
      if (u->segs[part][i].word >= 0) {
        v[n].id = (uint32_t)u->segs[part][i].word;
        v[n++].w = part == 0 ? 2.0f : 1.0f;
      }
  for (int part = from; part <= to; part++)
    for (size_t i = 0; i < u->nbigrams[part]; i++) {
      v[n].id = u->bigrams[part][i];
      v[n++].w = part == 0 ? 2.0f : 1.0f;
    }
  sort(v, n, sizeof *v, by_id);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (m && v[m - 1].id == v[i].id)
      v[m - 1].w += v[i].w;
    else
      v[m++] = v[i];
  }
  *nout = m;
  return v;
}



/* tf-idf weights in place; returns the vector's norm. */
static double weigh(const pp_compare *c, term *v, size_t n) {
  double norm = 0;
  for (size_t i = 0; i < n; i++) {
    const word *w = &c->w.v[v[i].id];
    double idf = log(1.0 + (double)c->nall / (double)w->df);
    double tf = 1.0 + log(v[i].w);
    /* A single character or a number says little about the topic. */
    double k = w->kind == 1 ? 0.3 : one_char(w->s) ? 0.4 : 1.0;
    v[i].w = (float)(tf * idf * k);
    norm += (double)v[i].w * v[i].w;
  }
  return sqrt(norm);
}

static double dot_cos(const term *x, size_t nx, double normx, const term *y, size_t ny,
                      double normy) {
  if (normx == 0 || normy == 0)
    return 0;
  double dot = 0;
  size_t i = 0, j = 0;
  while (i < nx && j < ny) {
    if (x[i].id < y[j].id)
      i++;
    else if (x[i].id > y[j].id)
      j++;
    else
      dot += (double)x[i++].w * y[j++].w;
  }
  return dot / (normx * normy);
}

static double share(double v, double self) {
  if (self <= 0)
    return 0;
  return v >= self ? 1 : v / self;
}

/* How alike two units are: the whole of them; their titles, which name
 * the commitment; and each title against the other's whole, since one plan
 * may put in its title (师德师风) what another says in its text. */
static double cosine(const unit *x, const unit *y) {
  double all = dot_cos(x->vec, x->nvec, x->norm, y->vec, y->nvec, y->norm);
  double title = dot_cos(x->tvec, x->ntvec, x->tnorm, y->tvec, y->ntvec, y->tnorm);
  /* Each title against the other's whole, as a share of how well it
   * matches its own unit's whole, so that identical units score 1. */
  double cross = (share(dot_cos(x->tvec, x->ntvec, x->tnorm, y->vec, y->nvec, y->norm), x->tself) +
                  share(dot_cos(x->vec, x->nvec, x->norm, y->tvec, y->ntvec, y->tnorm), y->tself)) /
                 2;
  return all * 0.5 + title * 0.25 + cross * 0.25;
}

static int by_score(const void *x, const void *y) {
  const match *a = x, *b = y;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  if (a->a != b->a)
    return a->a < b->a ? -1 : 1;
  return a->b < b->b ? -1 : a->b > b->b;
}

static int by_a(const void *x, const void *y) {
  const match *a = x, *b = y;
  return a->a < b->a ? -1 : a->a > b->a;
}

enum { PROPOSE = 8 };

static int by_weight(const void *x, const void *y) {
  const term *a = x, *b = y;
  if (a->w != b->w)
    return a->w > b->w ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* Candidates: pairs of units of different plans that share a word rare
 * enough to propose them, each scored once.  A word in more than a
 * quarter of all units proposes nothing (it still counts in the scores of
 * pairs that rarer words propose), so the work grows with such pairs, not
 * with all pairs of units. */
static void find_links(pp_compare *c) {
  size_t n = c->n, maxdf = c->nall / 4 > 2 ? c->nall / 4 : 2;
  size_t *cap = pp__alloc(&c->arena, (n * n + 1) * sizeof *cap);
  size_t *stamp = pp__alloc(&c->arena, (c->nall + 1) * sizeof *stamp);
  unsigned long long scored = 0, kept = 0;
  /* A unit proposes partners by its most telling words only: the PROPOSE
   * heaviest of those rare enough. */
  uint32_t *top = pp__alloc(&c->arena, (c->nall * PROPOSE + 1) * sizeof *top);
  unsigned char *ntop = pp__alloc(&c->arena, c->nall + 1);
  term *buf = NULL;
  size_t capbuf = 0;
  for (size_t g = 0; g < c->nall; g++) {
    const unit *u = c->all[g];
    size_t k = 0;
    for (size_t t = 0; t < u->nvec; t++)
      if (c->w.v[u->vec[t].id].df <= maxdf) {
        buf = pp__grow(&c->arena, buf, k, &capbuf, sizeof *buf);
        buf[k++] = u->vec[t];
      }
    sort(buf, k, sizeof *buf, by_weight);
    ntop[g] = (unsigned char)(k > PROPOSE ? PROPOSE : k);
    for (size_t t = 0; t < ntop[g]; t++)
      top[g * PROPOSE + t] = buf[t].id;
  }
  for (size_t g = 0; g < c->nall; g++) {
    const unit *u = c->all[g];
    for (size_t t = 0; t < ntop[g]; t++) {
      const word *w = &c->w.v[top[g * PROPOSE + t]];
      for (size_t k = 0; k < w->npost; k++) {
        size_t h = w->post[k];
        const unit *v = c->all[h];
        if (v->plan == u->plan || stamp[h] == g + 1)
          continue;
        stamp[h] = g + 1;
        /* A pair either side proposes is scored once: from the earlier
         * unit if it proposes it, else from here. */
        if (h < g) {
          int seen = 0;
          for (size_t q = 0; q < ntop[h] && !seen; q++)
            seen = pp__unit_has(c, u->plan, u->index, (int32_t)top[h * PROPOSE + q]);
          if (seen)
            continue;
        }
        double s = cosine(u, v);
        scored++;
        if (s < c->threshold)
          continue;
        kept++;
        const unit *x = u->plan < v->plan ? u : v, *y = u->plan < v->plan ? v : u;
        size_t pair = x->plan * n + y->plan;
        c->links[pair] = pp__grow(&c->arena, c->links[pair], c->nlinks[pair], &cap[pair],
                                  sizeof *c->links[pair]);
        c->links[pair][c->nlinks[pair]++] = (match){x->index, y->index, s};
      }
    }
  }
  /* For benchmarks: how much of the all-pairs work was done. */
  const char *stats = getenv("PLANPARSE_STATS");
  if (stats && *stats && strcmp(stats, "0") != 0) {
    unsigned long long all = 0, before = 0;
    for (size_t p = 0; p < n; p++) {
      all += (unsigned long long)c->plans[p].n * before;
      before += c->plans[p].n;
    }
    fprintf(stderr, "planparse: scored %llu candidate pairs of %llu unit pairs; %llu above the threshold\n",
            scored, all, kept);
  }
}

/* One-to-one matching of plans pa < pb from their candidates, best first. */
static void align_pair(pp_compare *c, size_t pa, size_t pb) {
  const plan_rec *A = &c->plans[pa], *B = &c->plans[pb];
  size_t pair = pa * c->n + pb, ncand = c->nlinks[pair];
  match *links = c->links[pair];
  sort(links, ncand, sizeof *links, by_score);
  match *cand = pp__alloc(&c->arena, (ncand + 1) * sizeof *cand);
  unsigned char *used_a = pp__alloc(&c->arena, A->n + 1), *used_b = pp__alloc(&c->arena, B->n + 1);
  size_t k = 0;
  for (size_t i = 0; i < ncand; i++) {
    if (used_a[links[i].a] || used_b[links[i].b])
      continue;
    used_a[links[i].a] = used_b[links[i].b] = 1;
    cand[k++] = links[i];
  }
  sort(cand, k, sizeof *cand, by_a);
  c->pairs[pair] = cand;
  c->npairs[pair] = k;
  /* The share of both plans' units that have a counterpart. */
  double s = A->n + B->n ? 2 * (double)k / (double)(A->n + B->n) : 0;
  c->sim[pa * c->n + pb] = c->sim[pb * c->n + pa] = s;
}

/* ---- topics ----------------------------------------------------------- */

/* A plan may cover a topic with a unit that one-to-one matching gave to
 * another topic: lvliang's one section on teachers speaks to 师德师风 as
 * well as to 教师队伍.  For each topic and each plan not in it, the unit
 * linked to a member that is, on average, most like all members joins the
 * topic when it clears the threshold against most members and on average.
 * Two topics left sharing two units or more are one topic told twice: the
 * smaller goes. */
static void widen_topics(pp_compare *c) {
  /* Per unit of the plan at hand: the summed scores of its links to the
   * topic's members, and how many members it is linked to.  Links are
   * exactly the pairs that clear the threshold, so no score is recomputed. */
  size_t maxu = 0;
  for (size_t p = 0; p < c->n; p++)
    if (c->plans[p].n > maxu)
      maxu = c->plans[p].n;
  double *sum = pp__alloc(&c->arena, (maxu + 1) * sizeof *sum);
  size_t *near = pp__alloc(&c->arena, (maxu + 1) * sizeof *near);
  for (size_t t = 0; t < c->ntopics; t++) {
    pp_topic *T = &c->topics[t];
    long *add = pp__alloc(&c->arena, c->n * sizeof *add);
    size_t m = T->size;
    for (size_t p = 0; p < c->n; p++) {
      add[p] = -1;
      if (T->member[p] >= 0)
        continue;
      memset(sum, 0, c->plans[p].n * sizeof *sum);
      memset(near, 0, c->plans[p].n * sizeof *near);
      for (size_t q = 0; q < c->n; q++) {
        if (T->member[q] < 0 || q == p)
          continue;
        size_t lo = p < q ? p : q, hi = p < q ? q : p;
        const match *L = c->links[lo * c->n + hi];
        for (size_t k = 0; k < c->nlinks[lo * c->n + hi]; k++) {
          size_t mu = lo == q ? L[k].a : L[k].b, pu = lo == q ? L[k].b : L[k].a;
          if ((long)mu == T->member[q]) {
            sum[pu] += L[k].score;
            near[pu]++;
          }
        }
      }
      /* Like most members, not one by chance; unlinked members count 0. */
      double best = c->threshold;
      for (size_t u = 0; u < c->plans[p].n; u++)
        if (near[u] * 2 > m && sum[u] / (double)m > best) {
          best = sum[u] / (double)m;
          add[p] = (long)u;
        }
    }
    for (size_t p = 0; p < c->n; p++)
      if (add[p] >= 0) {
        T->member[p] = add[p];
        T->size++;
      }
  }
}

/* Topics come sorted, largest first: a topic sharing two units or more
 * with a larger one is the same topic told twice. */
static void drop_repeats(pp_compare *c) {
  size_t kept = 0;
  for (size_t t = 0; t < c->ntopics; t++) {
    int dup = 0;
    for (size_t k = 0; k < kept && !dup; k++) {
      const pp_topic *A = &c->topics[k], *B = &c->topics[t];
      size_t shared = 0;
      for (size_t p = 0; p < c->n; p++)
        shared += A->member[p] >= 0 && A->member[p] == B->member[p];
      dup = shared >= 2;
    }
    if (!dup)
      c->topics[kept++] = c->topics[t];
  }
  c->ntopics = kept;
}

/* Groups of aligned units across plans, at most one unit per plan: all
 * pairwise matches, best first, join two groups when no plan is in both. */
static void find_topics(pp_compare *c) {
  size_t N = c->nall;
  size_t *parent = pp__alloc(&c->arena, (N + 1) * sizeof *parent);
  size_t **members = pp__alloc(&c->arena, (N + 1) * sizeof *members);
  size_t *nmem = pp__alloc(&c->arena, (N + 1) * sizeof *nmem);
  size_t *capmem = pp__alloc(&c->arena, (N + 1) * sizeof *capmem);
  double *weight = pp__alloc(&c->arena, (N + 1) * sizeof *weight);
  unsigned char *mark = pp__alloc(&c->arena, c->n + 1);
  for (size_t i = 0; i < N; i++) {
    parent[i] = i;
    members[i] = pp__grow(&c->arena, NULL, 0, &capmem[i], sizeof **members);
    members[i][nmem[i]++] = i;
  }
  size_t total = 0;
  for (size_t a = 0; a < c->n; a++)
    for (size_t b = a + 1; b < c->n; b++)
      total += c->npairs[a * c->n + b];
  match *all = pp__alloc(&c->arena, (total + 1) * sizeof *all);
  size_t k = 0;
  for (size_t a = 0; a < c->n; a++)
    for (size_t b = a + 1; b < c->n; b++)
      for (size_t i = 0; i < c->npairs[a * c->n + b]; i++) {
        const match *m = &c->pairs[a * c->n + b][i];
        all[k++] = (match){c->plans[a].u[m->a].gid, c->plans[b].u[m->b].gid, m->score};
      }
  sort(all, k, sizeof *all, by_score);
  for (size_t i = 0; i < k; i++) {
    size_t x = all[i].a, y = all[i].b;
    while (parent[x] != x)
      x = parent[x] = parent[parent[x]];
    while (parent[y] != y)
      y = parent[y] = parent[parent[y]];
    if (x == y)
      continue;
    int clash = 0;
    for (size_t j = 0; j < nmem[x]; j++)
      mark[c->all[members[x][j]]->plan] = 1;
    for (size_t j = 0; j < nmem[y]; j++)
      clash |= mark[c->all[members[y][j]]->plan];
    for (size_t j = 0; j < nmem[x]; j++)
      mark[c->all[members[x][j]]->plan] = 0;
    if (clash)
      continue;
    if (nmem[x] < nmem[y]) {
      size_t t = x;
      x = y;
      y = t;
    }
    for (size_t j = 0; j < nmem[y]; j++) {
      members[x] = pp__grow(&c->arena, members[x], nmem[x], &capmem[x], sizeof **members);
      members[x][nmem[x]++] = members[y][j];
    }
    parent[y] = x;
    weight[x] += weight[y] + all[i].score;
  }
  size_t cap = 0;
  for (size_t i = 0; i < N; i++) {
    if (parent[i] != i || nmem[i] < 2)
      continue;
    c->topics = pp__grow(&c->arena, c->topics, c->ntopics, &cap, sizeof *c->topics);
    pp_topic *t = &c->topics[c->ntopics++];
    t->member = pp__alloc(&c->arena, c->n * sizeof *t->member);
    for (size_t p = 0; p < c->n; p++)
      t->member[p] = -1;
    /* The label: the title of the member most like the others. */
    double best = -1;
    for (size_t j = 0; j < nmem[i]; j++) {
      const unit *u = c->all[members[i][j]];
      t->member[u->plan] = (long)u->index;
      double s = 0;
      for (size_t q = 0; q < nmem[i]; q++)
        if (q != j)
          s += cosine(u, c->all[members[i][q]]);
      if (s > best) {
        best = s;
        t->label = u->node->title;
      }
    }
    t->size = nmem[i];
    t->first = members[i][0];
  }
}

static int by_topic(const void *x, const void *y) {
  const pp_topic *a = x, *b = y;
  if (a->size != b->size)
    return a->size > b->size ? -1 : 1;
  return a->first < b->first ? -1 : a->first > b->first;
}

/* ---- the comparison ---------------------------------------------------- */

pp_compare *pp_compare_new(const pp_doc *const *docs, size_t n, double threshold,
                           pp_error *err) {
  if (pp__icu_load(err, NULL)) /* word segmentation, and the reports' widths */
    return NULL;
  pp_unwind un;
  un.n = 0;
  if (setjmp(un.jb)) {
    pp__error(err, PP_ERR_NOMEM, "", 0, "out of memory");
    return NULL;
  }
  pp_arena a = {0};
  a.oom = &un;
  pp_compare *c = pp__alloc(&a, sizeof *c);
  c->arena = a;
  pp__defer(&c->arena, pp__compare_release, c);
  c->n = n;
  c->threshold = threshold;
  c->plans = pp__alloc(&c->arena, (n + 1) * sizeof *c->plans);
  for (size_t p = 0; p < n; p++) {
    const pp_doc *d = docs[p];
    plan_rec *P = &c->plans[p];
    P->doc = d;
    pp_iter it;
    const pp_node *node;
    int have_items = pp__has_items(d);
    size_t cap = 0;
    pp_iter_init(&it, d);
    while ((node = pp_iter_next(&it, NULL)))
      if (pp__is_unit(node, have_items)) {
        P->u = pp__grow(&c->arena, P->u, P->n, &cap, sizeof *P->u);
        unit *u = &P->u[P->n];
        memset(u, 0, sizeof *u);
        u->node = node;
        u->plan = p;
        u->index = P->n++;
        u->path = unit_path(&c->arena, node);
      }
    c->nall += P->n;
  }
  c->all = pp__alloc(&c->arena, (c->nall + 1) * sizeof *c->all);
  /* c->all[k] points at units in place; the plans' arrays no longer grow. */
  size_t k = 0;
  for (size_t p = 0; p < n; p++)
    for (size_t i = 0; i < c->plans[p].n; i++) {
      c->plans[p].u[i].gid = k;
      c->all[k++] = &c->plans[p].u[i];
    }

  UErrorCode st = U_ZERO_ERROR;
  UBreakIterator *bi = ICU(ubrk_open)(UBRK_WORD, "zh", NULL, 0, &st);
  if (U_FAILURE(st)) {
    pp__undefer(&c->arena, c);
    pp__error(err, st == U_MEMORY_ALLOCATION_ERROR ? PP_ERR_NOMEM : PP_ERR_INPUT, "", 0,
              "cannot open ICU's word break iterator: %s", ICU(u_errorName)(st));
    pp__compare_release(c);
    return NULL;
  }
  pp__defer(&c->arena, pp__close_breaker, bi);
  for (size_t g = 0; g < c->nall && U_SUCCESS(st); g++) {
    unit *u = c->all[g];
    segment(c, bi, u->node->title, &u->segs[0], &u->nsegs[0], &u->bigrams[0], &u->nbigrams[0],
            &st);
    segment(c, bi, u->node->text, &u->segs[1], &u->nsegs[1], &u->bigrams[1], &u->nbigrams[1],
            &st);
    u->vec = count_terms(c, u, 0, 1, &u->nvec);
    u->tvec = count_terms(c, u, 0, 0, &u->ntvec);
    for (size_t t = 0; t < u->nvec; t++) {
      word *w = &c->w.v[u->vec[t].id];
      w->df++;
      w->post = pp__grow(&c->arena, w->post, w->npost, &w->cappost, sizeof *w->post);
      w->post[w->npost++] = g;
    }
  }
  pp__undefer(&c->arena, bi);
  ICU(ubrk_close)(bi);
  if (U_FAILURE(st)) {
    pp__undefer(&c->arena, c);
    pp__error(err, st == U_MEMORY_ALLOCATION_ERROR ? PP_ERR_NOMEM : PP_ERR_INPUT, "", 0,
              "word segmentation failed: %s", ICU(u_errorName)(st));
    pp__compare_release(c);
    return NULL;
  }
  for (size_t g = 0; g < c->nall; g++) {
    unit *u = c->all[g];
    u->norm = weigh(c, u->vec, u->nvec);
    u->tnorm = weigh(c, u->tvec, u->ntvec);
    u->tself = dot_cos(u->tvec, u->ntvec, u->tnorm, u->vec, u->nvec, u->norm);
  }
  c->pairs = pp__alloc(&c->arena, (n * n + 1) * sizeof *c->pairs);
  c->npairs = pp__alloc(&c->arena, (n * n + 1) * sizeof *c->npairs);
  c->links = pp__alloc(&c->arena, (n * n + 1) * sizeof *c->links);
  c->nlinks = pp__alloc(&c->arena, (n * n + 1) * sizeof *c->nlinks);
  c->sim = pp__alloc(&c->arena, (n * n + 1) * sizeof *c->sim);
  find_links(c);
  for (size_t p = 0; p < n; p++) {
    c->sim[p * n + p] = 1;
    for (size_t q = p + 1; q < n; q++)
      align_pair(c, p, q);
  }
  find_topics(c);
  widen_topics(c);
  sort(c->topics, c->ntopics, sizeof *c->topics, by_topic);
  drop_repeats(c);
  pp__undefer(&c->arena, c);
  c->arena.oom = NULL;
  return c;
}

void pp__compare_release(void *p) {
  pp_compare *c = p;
  pp_arena a = c->arena;
  pp__arena_free(&a);
}

void pp__close_breaker(void *bi) { ICU(ubrk_close)(bi); }

void pp_compare_free(pp_compare *c) {
  if (c)
    pp__compare_release(c);
}

size_t pp_compare_plan_count(const pp_compare *c) { return c->n; }
size_t pp_compare_unit_count(const pp_compare *c, size_t plan) {
  return plan < c->n ? c->plans[plan].n : 0;
}
const pp_node *pp_compare_unit(const pp_compare *c, size_t plan, size_t i) {
  return plan < c->n && i < c->plans[plan].n ? c->plans[plan].u[i].node : NULL;
}
const char *pp_compare_unit_path(const pp_compare *c, size_t plan, size_t i) {
  return plan < c->n && i < c->plans[plan].n ? c->plans[plan].u[i].path : NULL;
}

size_t pp_compare_pair_count(const pp_compare *c, size_t a, size_t b) {
  if (a >= c->n || b >= c->n || a == b)
    return 0;
  return a < b ? c->npairs[a * c->n + b] : c->npairs[b * c->n + a];
}

int pp_compare_pair(const pp_compare *c, size_t a, size_t b, size_t k, size_t *ua,
                    size_t *ub, double *score) {
  if (k >= pp_compare_pair_count(c, a, b))
    return -1;
  const match *m = a < b ? &c->pairs[a * c->n + b][k] : &c->pairs[b * c->n + a][k];
  *ua = a < b ? m->a : m->b;
  *ub = a < b ? m->b : m->a;
  if (score)
    *score = m->score;
  return 0;
}

double pp_compare_similarity(const pp_compare *c, size_t a, size_t b) {
  return a < c->n && b < c->n ? c->sim[a * c->n + b] : 0;
}

size_t pp_compare_topic_count(const pp_compare *c) { return c->ntopics; }
const char *pp_compare_topic_label(const pp_compare *c, size_t t) {
  return t < c->ntopics ? c->topics[t].label : NULL;
}
long pp_compare_topic_member(const pp_compare *c, size_t t, size_t plan) {
  return t < c->ntopics && plan < c->n ? c->topics[t].member[plan] : -1;
}

/* Word segments of unit i's title (part 0) or text (part 1), for reports
 * that mark the words one side has and the other lacks. */
const pp_seg *pp__unit_segs(const pp_compare *c, size_t plan, size_t i, int part, size_t *n) {
  const unit *u = &c->plans[plan].u[i];
  *n = u->nsegs[part];
  return u->segs[part];
}

/* Does unit i of plan p contain word w? */
int pp__unit_has(const pp_compare *c, size_t plan, size_t i, int32_t w) {
  const unit *u = &c->plans[plan].u[i];
  size_t lo = 0, hi = u->nvec;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if ((int32_t)u->vec[mid].id < w)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < u->nvec && (int32_t)u->vec[lo].id == w;
}

const pp_doc *pp__compare_doc(const pp_compare *c, size_t plan) { return c->plans[plan].doc; }
