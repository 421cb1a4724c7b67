/*
 * poly2_bool.c — 2D booleans on the fixed-point grid (poly2_grid.h): union, intersection and
 * difference of any number of operands, each under the non-zero (or even-odd, or positive)
 * fill rule.
 *
 * The method is a planar arrangement rather than a Vatti clipper, because every step of it
 * is an exact integer decision:
 *  1. Quantise every contour edge to the grid.
 *  2. Split edges until no two cross and no vertex lies inside another edge: proper crossings
 *     split both edges at the crossing rounded to the grid, touching vertices split the
 *     touched edge. Rounding moves an edge by less than a grid step and can create a new
 *     crossing, so the search repeats over the edges that changed until nothing is found;
 *     when that does not settle within three passes, snap rounding finishes the job.
 *     Candidate pairs come from a uniform grid over the edges' boxes.
 *  3. Merge identical edges, summing the windings each operand contributes to them.
 *  4. Sweep the vertices in (x, y) order — a sweep line sheared infinitesimally, so vertical
 *     edges need no special case. Because edges no longer cross, the active edges stay in a
 *     fixed bottom-to-top order; the per-operand winding numbers below a new edge are the
 *     sums over the active edges under it (or, with few operands, the windings remembered
 *     above the edge just under it), and the fill rule tells whether the regions below
 *     and above the edge are inside the result. Edges with inside on one side only are kept,
 *     directed with the inside on their left.
 *  5. Trace contours: leaving each vertex by the kept edge that turns first clockwise from
 *     the way we came (the tightest wedge), then splitting a contour wherever it revisits a
 *     vertex, so shapes that touch at a corner come out as separate simple contours.
 *  6. Drop exactly collinear vertices, optionally apply OpenSCAD's cleaning, and
 *     convert back to doubles (input vertices keep their exact doubles when asked).
 * Outer contours come out counter-clockwise and holes clockwise, from the direction rule.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/poly2_grid.h"
#include "geom/poly2_ops.h"

#define SPLIT_PASSES 64
#define SMALL_OPERANDS 16

typedef struct bedge {
    ipt a, b;
    int32_t op;
    int32_t w;
    int32_t dirty;
} bedge;

typedef struct bsplit {
    int32_t e;
    ipt p;
    i128 key; /* position along the edge: dot(p - a, b - a) */
} bsplit;

typedef struct bgroup {
    ipt a, b;
    int32_t first, count; /* deltas */
    int8_t keep, inside_above;
} bgroup;

typedef struct bdelta {
    int32_t op, w;
} bdelta;

typedef struct bool_run {
    facet_ctx *ctx;
    bedge *e;
    int32_t ne, cape;
    bsplit *s;
    int32_t ns, caps;
} bool_run;

/* ---------------------------------------------------------------- quantisation */

double poly2_grid_scale(poly2 *const *ps, int n) {
    double m = 0;
    for (int i = 0; i < n; i++) {
        if (!ps[i]) continue;
        for (int32_t k = 0; k < 2 * ps[i]->npoints; k++) {
            double v = fabs(ps[i]->xy[k]);
            if (isfinite(v) && v > m) m = v;
        }
    }
    double s = POLY2_GRID_SCALE;
    while (s > 1e-30 && m * s >= (double)POLY2_GRID_MAX) s *= 0.5;
    return s;
}

static inline ipt quantise(double x, double y, double scale) {
    /* truncation toward zero, as OpenSCAD's conversion to Clipper's integers does */
    ipt p = {(int64_t)(x * scale), (int64_t)(y * scale)};
    return p;
}

/* ---------------------------------------------------------------- splitting */

/* The cell size of a uniform grid over a w x h box for n items: at least 1 and at least cs,
 * grown until the grid has at most 4 n + 16 cells (gx x gy). */
static double fit_grid(double w, double h, double cs, int64_t n, int64_t *gx, int64_t *gy) {
    if (!(cs >= 1)) cs = 1;
    *gx = (int64_t)(w / cs) + 1;
    *gy = (int64_t)(h / cs) + 1;
    while (*gx * *gy > 4 * n + 16) {
        cs *= 1.5;
        *gx = (int64_t)(w / cs) + 1;
        *gy = (int64_t)(h / cs) + 1;
    }
    return cs;
}

static int cmp_split(const void *pa, const void *pb) {
    const bsplit *a = pa, *b = pb;
    if (a->e != b->e) return a->e < b->e ? -1 : 1;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return ipt_cmp(a->p, b->p);
}

static int cmp_ipt(const void *pa, const void *pb) { return ipt_cmp(*(const ipt *)pa, *(const ipt *)pb); }

static void add_split(bool_run *B, int32_t e, ipt p) {
    const bedge *E = &B->e[e];
    if (ipt_eq(p, E->a) || ipt_eq(p, E->b)) return;
    bsplit s;
    s.e = e;
    s.p = p;
    s.key = (i128)(p.x - E->a.x) * (E->b.x - E->a.x) + (i128)(p.y - E->a.y) * (E->b.y - E->a.y);
    FC_PUSH(B->ctx, B->s, B->ns, B->caps, s);
}

/* p is known to be on the line through a and b: is it strictly between them? */
static inline int strictly_inside(ipt a, ipt b, ipt p) {
    if (ipt_eq(p, a) || ipt_eq(p, b)) return 0;
    int64_t x0 = a.x < b.x ? a.x : b.x, x1 = a.x < b.x ? b.x : a.x;
    int64_t y0 = a.y < b.y ? a.y : b.y, y1 = a.y < b.y ? b.y : a.y;
    return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1;
}

static inline int sgn128(i128 v) { return (v > 0) - (v < 0); }

static void test_pair(bool_run *B, int32_t i, int32_t j) {
    ipt a = B->e[i].a, b = B->e[i].b, c = B->e[j].a, d = B->e[j].b;
    i128 o1 = ipt_orient(c, d, a), o2 = ipt_orient(c, d, b);
    i128 o3 = ipt_orient(a, b, c), o4 = ipt_orient(a, b, d);
    int s1 = sgn128(o1), s2 = sgn128(o2), s3 = sgn128(o3), s4 = sgn128(o4);
    if (s1 * s2 < 0 && s3 * s4 < 0) {
        /* proper crossing: the point a + (b - a) * o1 / (o1 - o2), rounded to the grid */
        double t = (double)o1 / ((double)o1 - (double)o2);
        double x = (double)a.x + (double)(b.x - a.x) * t;
        double y = (double)a.y + (double)(b.y - a.y) * t;
        ipt r = {(int64_t)llround(x), (int64_t)llround(y)};
        add_split(B, i, r);
        add_split(B, j, r);
        return;
    }
    if (s1 == 0 && strictly_inside(c, d, a)) add_split(B, j, a);
    if (s2 == 0 && strictly_inside(c, d, b)) add_split(B, j, b);
    if (s3 == 0 && strictly_inside(a, b, c)) add_split(B, i, c);
    if (s4 == 0 && strictly_inside(a, b, d)) add_split(B, i, d);
}

/* One pass over candidate pairs (at least one edge dirty); returns the number of splits.
 * Candidates come from a uniform grid over the edges' boxes, about one cell per edge; a
 * pair is tested only in the cell holding the lower-left corner of the overlap of the two
 * boxes, so each pair is tested once. */
static int32_t find_splits(bool_run *B) {
    facet_ctx *ctx = B->ctx;
    int32_t ne = B->ne;
    B->ns = 0;
    if (ne < 2) return 0;
    int64_t x0 = INT64_MAX, y0 = INT64_MAX, x1 = INT64_MIN, y1 = INT64_MIN;
    double ext = 0;
    int32_t ndirty = 0;
    for (int32_t i = 0; i < ne; i++) {
        const bedge *E = &B->e[i];
        int64_t ax = E->a.x < E->b.x ? E->a.x : E->b.x, bx = E->a.x < E->b.x ? E->b.x : E->a.x;
        int64_t ay = E->a.y < E->b.y ? E->a.y : E->b.y, by = E->a.y < E->b.y ? E->b.y : E->a.y;
        if (ax < x0) x0 = ax;
        if (ay < y0) y0 = ay;
        if (bx > x1) x1 = bx;
        if (by > y1) y1 = by;
        ext += (double)(bx - ax) + (double)(by - ay);
        ndirty += E->dirty != 0;
    }
    if (ndirty == 0) return 0;
    double w = (double)(x1 - x0) + 1, h = (double)(y1 - y0) + 1;
    /* cells about the size of an average edge, but no more cells than ~2 per edge */
    double cs = fmax(ext / (2.0 * ne), sqrt(w * h / (2.0 * ne)));
    int64_t gx, gy;
    cs = fit_grid(w, h, cs, ne, &gx, &gy);
#define CELLX(v) ((int64_t)((double)((v) - x0) / cs))
#define CELLY(v) ((int64_t)((double)((v) - y0) / cs))
    int32_t *cnt = fc_calloc(ctx, (size_t)(gx * gy + 1), sizeof *cnt);
    int64_t total = 0;
    for (int32_t i = 0; i < ne; i++) {
        const bedge *E = &B->e[i];
        int64_t cx0 = CELLX(E->a.x < E->b.x ? E->a.x : E->b.x), cx1 = CELLX(E->a.x < E->b.x ? E->b.x : E->a.x);
        int64_t cy0 = CELLY(E->a.y < E->b.y ? E->a.y : E->b.y), cy1 = CELLY(E->a.y < E->b.y ? E->b.y : E->a.y);
        for (int64_t cy = cy0; cy <= cy1; cy++)
            for (int64_t cx = cx0; cx <= cx1; cx++) cnt[cy * gx + cx + 1]++;
        total += (cx1 - cx0 + 1) * (cy1 - cy0 + 1);
    }
    if (total > (int64_t)1 << 30)
        fc_throw(ctx, FACET_ERR_MEMORY_LIMIT, FC_NOLOC, "2D boolean: too many grid cells");
    for (int64_t c = 0; c < gx * gy; c++) cnt[c + 1] += cnt[c];
    int32_t *cell = fc_alloc(ctx, (size_t)(total > 0 ? total : 1) * sizeof *cell);
    int32_t *at = fc_alloc(ctx, (size_t)(gx * gy + 1) * sizeof *at);
    memcpy(at, cnt, (size_t)(gx * gy + 1) * sizeof *at);
    for (int32_t i = 0; i < ne; i++) {
        const bedge *E = &B->e[i];
        int64_t cx0 = CELLX(E->a.x < E->b.x ? E->a.x : E->b.x), cx1 = CELLX(E->a.x < E->b.x ? E->b.x : E->a.x);
        int64_t cy0 = CELLY(E->a.y < E->b.y ? E->a.y : E->b.y), cy1 = CELLY(E->a.y < E->b.y ? E->b.y : E->a.y);
        for (int64_t cy = cy0; cy <= cy1; cy++)
            for (int64_t cx = cx0; cx <= cx1; cx++) cell[at[cy * gx + cx]++] = i;
    }
    fc_free(ctx, at);
    for (int64_t c = 0; c < gx * gy; c++) {
        int32_t lo = cnt[c], hi = cnt[c + 1];
        if (hi - lo < 2) continue;
        int64_t ccx = c % gx, ccy = c / gx;
        for (int32_t p = lo; p < hi; p++) {
            int32_t i = cell[p];
            const bedge *E = &B->e[i];
            int64_t eminx = E->a.x < E->b.x ? E->a.x : E->b.x, emaxx = E->a.x < E->b.x ? E->b.x : E->a.x;
            int64_t eminy = E->a.y < E->b.y ? E->a.y : E->b.y, emaxy = E->a.y < E->b.y ? E->b.y : E->a.y;
            for (int32_t q = p + 1; q < hi; q++) {
                int32_t j = cell[q];
                const bedge *F = &B->e[j];
                if (!E->dirty && !F->dirty) continue;
                int64_t fminx = F->a.x < F->b.x ? F->a.x : F->b.x, fmaxx = F->a.x < F->b.x ? F->b.x : F->a.x;
                int64_t fminy = F->a.y < F->b.y ? F->a.y : F->b.y, fmaxy = F->a.y < F->b.y ? F->b.y : F->a.y;
                if (fmaxx < eminx || fminx > emaxx || fmaxy < eminy || fminy > emaxy) continue;
                int64_t ox = eminx > fminx ? eminx : fminx, oy = eminy > fminy ? eminy : fminy;
                if (CELLX(ox) != ccx || CELLY(oy) != ccy) continue;
                test_pair(B, i, j);
            }
        }
        fc_tick(ctx);
    }
#undef CELLX
#undef CELLY
    fc_free(ctx, cell);
    fc_free(ctx, cnt);
    return B->ns;
}

/* Snap rounding, for when exact splitting keeps creating crossings (each rounded crossing
 * moves its edges, which can cross again near by): every endpoint is a "hot pixel", and
 * every edge passing through the unit square around a hot pixel is split at its centre.
 * Edges routed through all hot pixels they touch cannot cross each other any more (Hobby's
 * snap rounding). Returns the number of splits. */
static int32_t snap_splits(bool_run *B) {
    facet_ctx *ctx = B->ctx;
    int32_t ne = B->ne;
    B->ns = 0;
    if (ne < 2) return 0;
    ipt *hp = fc_alloc(ctx, (size_t)ne * 2 * sizeof *hp);
    int32_t nh = 0;
    for (int32_t i = 0; i < ne; i++) {
        hp[nh++] = B->e[i].a;
        hp[nh++] = B->e[i].b;
    }
    qsort(hp, (size_t)nh, sizeof *hp, cmp_ipt);
    int32_t m = 0;
    for (int32_t i = 0; i < nh; i++)
        if (m == 0 || !ipt_eq(hp[m - 1], hp[i])) hp[m++] = hp[i];
    nh = m;
    int64_t x0 = hp[0].x, x1 = hp[nh - 1].x, y0 = INT64_MAX, y1 = INT64_MIN;
    for (int32_t i = 0; i < nh; i++) {
        if (hp[i].y < y0) y0 = hp[i].y;
        if (hp[i].y > y1) y1 = hp[i].y;
    }
    double w = (double)(x1 - x0) + 1, h = (double)(y1 - y0) + 1;
    double cs = sqrt(w * h / nh);
    int64_t gx, gy;
    cs = fit_grid(w, h, cs, nh, &gx, &gy);
    int32_t *cnt = fc_calloc(ctx, (size_t)(gx * gy + 1), sizeof *cnt);
    for (int32_t i = 0; i < nh; i++) {
        int64_t c = (int64_t)((double)(hp[i].y - y0) / cs) * gx + (int64_t)((double)(hp[i].x - x0) / cs);
        cnt[c + 1]++;
    }
    for (int64_t c = 0; c < gx * gy; c++) cnt[c + 1] += cnt[c];
    int32_t *at = fc_alloc(ctx, (size_t)(gx * gy + 1) * sizeof *at);
    memcpy(at, cnt, (size_t)(gx * gy + 1) * sizeof *at);
    int32_t *cell = fc_alloc(ctx, (size_t)nh * sizeof *cell);
    for (int32_t i = 0; i < nh; i++) {
        int64_t c = (int64_t)((double)(hp[i].y - y0) / cs) * gx + (int64_t)((double)(hp[i].x - x0) / cs);
        cell[at[c]++] = i;
    }
    fc_free(ctx, at);
    for (int32_t i = 0; i < ne; i++) {
        ipt a = B->e[i].a, b = B->e[i].b;
        int64_t minx = a.x < b.x ? a.x : b.x, maxx = a.x < b.x ? b.x : a.x;
        int64_t miny = a.y < b.y ? a.y : b.y, maxy = a.y < b.y ? b.y : a.y;
        ipt a2 = {2 * a.x, 2 * a.y}, b2 = {2 * b.x, 2 * b.y};
        int64_t cx0 = (int64_t)((double)(minx - x0) / cs), cx1 = (int64_t)((double)(maxx - x0) / cs);
        if (cx0 < 0) cx0 = 0;
        if (cx1 >= gx) cx1 = gx - 1;
        for (int64_t cx = cx0; cx <= cx1; cx++) {
            /* the rows the segment can touch within this column */
            double xa = fmax((double)minx, x0 + cx * cs), xb = fmin((double)maxx, x0 + (cx + 1) * cs);
            double ya, yb;
            if (a.x == b.x) {
                ya = (double)miny;
                yb = (double)maxy;
            } else {
                double t0 = (xa - (double)a.x) / (double)(b.x - a.x), t1 = (xb - (double)a.x) / (double)(b.x - a.x);
                ya = (double)a.y + t0 * (double)(b.y - a.y);
                yb = (double)a.y + t1 * (double)(b.y - a.y);
                if (ya > yb) {
                    double t = ya;
                    ya = yb;
                    yb = t;
                }
            }
            int64_t cy0 = (int64_t)((ya - 2 - (double)y0) / cs), cy1 = (int64_t)((yb + 2 - (double)y0) / cs);
            if (cy0 < 0) cy0 = 0;
            if (cy1 >= gy) cy1 = gy - 1;
            for (int64_t cy = cy0; cy <= cy1; cy++) {
                int64_t c = cy * gx + cx;
                for (int32_t k = cnt[c]; k < cnt[c + 1]; k++) {
                    ipt p = hp[cell[k]];
                    if (p.x < minx || p.x > maxx || p.y < miny || p.y > maxy) continue;
                    if (ipt_eq(p, a) || ipt_eq(p, b)) continue;
                    int pos = 0, neg = 0;
                    for (int q = 0; q < 4; q++) {
                        ipt corner = {2 * p.x + ((q & 1) ? 1 : -1), 2 * p.y + ((q & 2) ? 1 : -1)};
                        i128 o = ipt_orient(a2, b2, corner);
                        pos |= o >= 0;
                        neg |= o <= 0;
                    }
                    if (pos && neg) add_split(B, i, p);
                }
            }
        }
        fc_tick(ctx);
    }
    fc_free(ctx, cell);
    fc_free(ctx, cnt);
    fc_free(ctx, hp);
    return B->ns;
}

static void apply_splits(bool_run *B) {
    facet_ctx *ctx = B->ctx;
    qsort(B->s, (size_t)B->ns, sizeof *B->s, cmp_split);
    bedge *out = NULL;
    int32_t nout = 0, capout = 0;
    FC_GROW(ctx, out, capout, B->ne + B->ns + 1);
    int32_t si = 0;
    for (int32_t i = 0; i < B->ne; i++) {
        bedge E = B->e[i];
        if (si >= B->ns || B->s[si].e != i) {
            E.dirty = 0;
            out[nout++] = E;
            continue;
        }
        ipt prev = E.a;
        for (; si < B->ns && B->s[si].e == i; si++) {
            ipt p = B->s[si].p;
            if (ipt_eq(p, prev) || ipt_eq(p, E.b)) continue;
            bedge piece = {prev, p, E.op, E.w, 1};
            FC_PUSH(ctx, out, nout, capout, piece);
            prev = p;
        }
        if (!ipt_eq(prev, E.b)) {
            bedge piece = {prev, E.b, E.op, E.w, 1};
            FC_PUSH(ctx, out, nout, capout, piece);
        }
    }
    fc_free(ctx, B->e);
    B->e = out;
    B->ne = nout;
    B->cape = capout;
}

/* ---------------------------------------------------------------- merging */

static int cmp_edge(const void *pa, const void *pb) {
    const bedge *a = pa, *b = pb;
    int c = ipt_cmp(a->a, b->a);
    if (c) return c;
    c = ipt_cmp(a->b, b->b);
    if (c) return c;
    return a->op < b->op ? -1 : a->op > b->op;
}

/* Normalises every edge to (lexicographically) increasing direction with a signed
 * winding, sums identical edges of the same operand and drops those that sum to zero. */
static void premerge(bool_run *B) {
    for (int32_t i = 0; i < B->ne; i++) {
        if (ipt_cmp(B->e[i].a, B->e[i].b) > 0) {
            ipt t = B->e[i].a;
            B->e[i].a = B->e[i].b;
            B->e[i].b = t;
            B->e[i].w = -B->e[i].w;
        }
    }
    if (B->ne > 0) qsort(B->e, (size_t)B->ne, sizeof *B->e, cmp_edge);
    int32_t m = 0;
    for (int32_t i = 0; i < B->ne;) {
        bedge E = B->e[i];
        int32_t w = 0, j = i;
        while (j < B->ne && ipt_eq(B->e[j].a, E.a) && ipt_eq(B->e[j].b, E.b) && B->e[j].op == E.op) w += B->e[j++].w;
        if (w != 0) {
            E.w = w;
            B->e[m++] = E;
        }
        i = j;
    }
    B->ne = m;
}

/* ---------------------------------------------------------------- winding state */

typedef struct wstate {
    int32_t *w;
    int32_t *touched;
    uint8_t *mark;
    int32_t ntouched;
    int32_t nfilled;
    int n;
    poly2_fill fill;
    bool_op op;
} wstate;

static inline int filled(const wstate *S, int32_t w) {
    switch (S->fill) {
    case POLY2_EVENODD: return (w & 1) != 0;
    case POLY2_POSITIVE: return w > 0;
    default: return w != 0;
    }
}

static inline void ws_add(wstate *S, int32_t op, int32_t d) {
    int32_t old = S->w[op];
    if (!S->mark[op]) {
        S->mark[op] = 1;
        S->touched[S->ntouched++] = op;
    }
    S->nfilled += filled(S, old + d) - filled(S, old);
    S->w[op] = old + d;
}

static void ws_reset(wstate *S) {
    for (int32_t i = 0; i < S->ntouched; i++) S->w[S->touched[i]] = S->mark[S->touched[i]] = 0;
    S->ntouched = 0;
    S->nfilled = 0;
}

static inline int ws_inside(const wstate *S) {
    switch (S->op) {
    case BOOL_INTERSECTION: return S->nfilled == S->n;
    case BOOL_DIFFERENCE: return filled(S, S->w[0]) && S->nfilled == 1;
    default: return S->nfilled > 0;
    }
}

/* ---------------------------------------------------------------- tracing helpers */

/* Does d1 come before d2 turning clockwise from r (r itself counts as a full turn)? */
static int cw_before(ipt r, ipt d1, ipt d2) {
    ipt o = {0, 0};
    int h1, h2;
    i128 c1 = ipt_orient(o, r, d1), c2 = ipt_orient(o, r, d2);
    i128 dot1 = (i128)r.x * d1.x + (i128)r.y * d1.y, dot2 = (i128)r.x * d2.x + (i128)r.y * d2.y;
    h1 = c1 < 0 ? 0 : (c1 == 0 && dot1 < 0) ? 1 : c1 > 0 ? 2 : 3;
    h2 = c2 < 0 ? 0 : (c2 == 0 && dot2 < 0) ? 1 : c2 > 0 ? 2 : 3;
    if (h1 != h2) return h1 < h2;
    return ipt_orient(o, d1, d2) < 0;
}

typedef struct loopbuf {
    ipt *pts;
    int32_t n, cap;
} loopbuf;

/* Removes vertices exactly on the line through their neighbours (collinear or spikes). */
static int32_t drop_collinear(ipt *p, int32_t n) {
    int changed = 1;
    while (changed && n >= 3) {
        changed = 0;
        int32_t m = 0;
        for (int32_t i = 0; i < n; i++) {
            ipt prev = m > 0 ? p[m - 1] : p[n - 1];
            ipt next = p[(i + 1) % n];
            if (ipt_orient(prev, p[i], next) == 0) {
                changed = 1;
                continue;
            }
            p[m++] = p[i];
        }
        n = m;
    }
    return n < 3 ? 0 : n;
}

static double dist_line_sq(ipt pt, ipt l1, ipt l2) {
    double A = (double)(l1.y - l2.y), Bv = (double)(l2.x - l1.x);
    double C = A * (double)l1.x + Bv * (double)l1.y;
    C = A * (double)pt.x + Bv * (double)pt.y - C;
    double d = A * A + Bv * Bv;
    return d > 0 ? C * C / d : 0;
}

static int close_pts(ipt a, ipt b, double dsq) {
    double dx = (double)a.x - (double)b.x, dy = (double)a.y - (double)b.y;
    return dx * dx + dy * dy <= dsq;
}

/* Is the middle-most of three points within the distance of the line through the others?
 * (Testing the point that lies between the other two, as Clipper does, also catches spikes.) */
static int near_collinear(ipt p1, ipt p2, ipt p3, double dsq) {
    int64_t dx = p1.x - p2.x, dy = p1.y - p2.y;
    if ((dx < 0 ? -dx : dx) > (dy < 0 ? -dy : dy)) {
        if ((p1.x > p2.x) == (p1.x < p3.x)) return dist_line_sq(p1, p2, p3) < dsq;
        if ((p2.x > p1.x) == (p2.x < p3.x)) return dist_line_sq(p2, p1, p3) < dsq;
        return dist_line_sq(p3, p1, p2) < dsq;
    }
    if ((p1.y > p2.y) == (p1.y < p3.y)) return dist_line_sq(p1, p2, p3) < dsq;
    if ((p2.y > p1.y) == (p2.y < p3.y)) return dist_line_sq(p2, p1, p3) < dsq;
    return dist_line_sq(p3, p1, p2) < dsq;
}

/* Unlinks o from the ring; its predecessor must be examined again. */
static int32_t ring_exclude(int32_t *nx, int32_t *pv, uint8_t *done, int32_t o) {
    int32_t p = pv[o], q = nx[o];
    nx[p] = q;
    pv[q] = p;
    done[p] = 0;
    return p;
}

/* OpenSCAD's cleaning of each output contour (Clipper's CleanPolygon behaviour): walk the
 * ring, removing a vertex close to its predecessor, a pair whose neighbours are close, or a
 * vertex nearly collinear with its neighbours, re-examining the predecessor after each
 * removal. */
static int32_t tolerance_clean(facet_ctx *ctx, ipt *p, int32_t n, double dist) {
    if (n < 3) return 0;
    double dsq = dist * dist;
    int32_t *nx = fc_alloc(ctx, (size_t)n * sizeof *nx), *pv = fc_alloc(ctx, (size_t)n * sizeof *pv);
    uint8_t *done = fc_calloc(ctx, (size_t)n, 1);
    for (int32_t i = 0; i < n; i++) {
        nx[i] = (i + 1) % n;
        pv[i] = (i + n - 1) % n;
    }
    int32_t size = n, op = 0;
    while (!done[op] && nx[op] != pv[op]) {
        if (close_pts(p[op], p[pv[op]], dsq)) {
            op = ring_exclude(nx, pv, done, op);
            size--;
        } else if (close_pts(p[pv[op]], p[nx[op]], dsq)) {
            ring_exclude(nx, pv, done, nx[op]);
            op = ring_exclude(nx, pv, done, op);
            size -= 2;
        } else if (near_collinear(p[pv[op]], p[op], p[nx[op]], dsq)) {
            op = ring_exclude(nx, pv, done, op);
            size--;
        } else {
            done[op] = 1;
            op = nx[op];
        }
    }
    if (size < 3) size = 0;
    ipt *tmp = fc_alloc(ctx, (size_t)(size > 0 ? size : 1) * sizeof *tmp);
    for (int32_t i = 0; i < size; i++) {
        tmp[i] = p[op];
        op = nx[op];
    }
    memcpy(p, tmp, (size_t)size * sizeof *p);
    fc_free(ctx, tmp);
    fc_free(ctx, nx);
    fc_free(ctx, pv);
    fc_free(ctx, done);
    return size;
}

/* ---------------------------------------------------------------- source doubles */

typedef struct srcpt {
    ipt q;
    double x, y;
} srcpt;

static int cmp_srcpt(const void *pa, const void *pb) {
    return ipt_cmp(((const srcpt *)pa)->q, ((const srcpt *)pb)->q);
}

/* ---------------------------------------------------------------- the boolean */

poly2 *poly2_boolean_fill(facet_ctx *ctx, poly2 *const *ps, int n, bool_op op, poly2_fill fill,
                          int flags) {
    if (n <= 0) return poly2_empty(ctx);
    double scale = poly2_grid_scale(ps, n);
    bool_run B;
    memset(&B, 0, sizeof B);
    B.ctx = ctx;

    /* 1. quantised edges */
    srcpt *src = NULL;
    int32_t nsrc = 0, capsrc = 0;
    uint32_t color = 0;
    for (int i = 0; i < n; i++) {
        const poly2 *p = ps[i];
        if (!p) continue;
        if (!color) color = p->color;
        for (int32_t c = 0; c < p->ncontours; c++) {
            const double *xy = p->xy + 2 * p->start[c];
            int32_t cnt = p->count[c];
            ipt first = {0, 0}, prev = {0, 0};
            int have = 0;
            for (int32_t k = 0; k < cnt; k++) {
                double x = xy[2 * k], y = xy[2 * k + 1];
                if (!isfinite(x) || !isfinite(y)) continue;
                ipt q = quantise(x, y, scale);
                if (flags & POLY2_KEEP_INPUT_XY) {
                    srcpt sp = {q, x, y};
                    FC_PUSH(ctx, src, nsrc, capsrc, sp);
                }
                if (!have) {
                    first = prev = q;
                    have = 1;
                    continue;
                }
                if (ipt_eq(q, prev)) continue;
                bedge e = {prev, q, i, 1, 1};
                FC_PUSH(ctx, B.e, B.ne, B.cape, e);
                prev = q;
            }
            if (have && !ipt_eq(prev, first)) {
                bedge e = {prev, first, i, 1, 1};
                FC_PUSH(ctx, B.e, B.ne, B.cape, e);
            }
        }
    }
    if (src) qsort(src, (size_t)nsrc, sizeof *src, cmp_srcpt);

    /* Edges that cancel exactly (the shared side of two triangles of a projection, of two
     * quads of a minkowski sum, a polygon drawn twice in opposite directions) go before
     * the expensive part: the winding numbers do not change. */
    premerge(&B);

    /* 2. split until the edges only meet at endpoints */
    for (int pass = 0; pass < SPLIT_PASSES; pass++) {
        if (find_splits(&B) == 0) break;
        apply_splits(&B);
        if (pass >= 2 && snap_splits(&B) > 0) apply_splits(&B);
    }
    fc_free(ctx, B.s);
    B.s = NULL;

    /* 3. merge identical edges */
    for (int32_t i = 0; i < B.ne; i++) {
        if (ipt_cmp(B.e[i].a, B.e[i].b) > 0) {
            ipt t = B.e[i].a;
            B.e[i].a = B.e[i].b;
            B.e[i].b = t;
            B.e[i].w = -B.e[i].w;
        }
    }
    if (B.ne > 0) qsort(B.e, (size_t)B.ne, sizeof *B.e, cmp_edge);
    bgroup *g = fc_alloc(ctx, (size_t)(B.ne > 0 ? B.ne : 1) * sizeof *g);
    bdelta *dl = fc_alloc(ctx, (size_t)(B.ne > 0 ? B.ne : 1) * sizeof *dl);
    int32_t ng = 0, nd = 0;
    for (int32_t i = 0; i < B.ne;) {
        int32_t j = i;
        bgroup G = {B.e[i].a, B.e[i].b, nd, 0, 0, 0};
        while (j < B.ne && ipt_eq(B.e[j].a, G.a) && ipt_eq(B.e[j].b, G.b)) {
            int32_t o = B.e[j].op, w = 0;
            while (j < B.ne && ipt_eq(B.e[j].a, G.a) && ipt_eq(B.e[j].b, G.b) && B.e[j].op == o)
                w += B.e[j++].w;
            if (w != 0) {
                dl[nd].op = o;
                dl[nd].w = w;
                nd++;
                G.count++;
            }
        }
        if (G.count > 0) g[ng++] = G;
        i = j;
    }
    fc_free(ctx, B.e);
    B.e = NULL;

    /* 4. sweep */
    ipt *verts = fc_alloc(ctx, (size_t)(2 * ng + 1) * sizeof *verts);
    int32_t nv = 0;
    for (int32_t i = 0; i < ng; i++) {
        verts[nv++] = g[i].a;
        verts[nv++] = g[i].b;
    }
    qsort(verts, (size_t)nv, sizeof *verts, cmp_ipt);
    {
        int32_t m = 0;
        for (int32_t i = 0; i < nv; i++)
            if (m == 0 || !ipt_eq(verts[m - 1], verts[i])) verts[m++] = verts[i];
        nv = m;
    }
    wstate S;
    S.w = fc_calloc(ctx, (size_t)n, sizeof *S.w);
    S.touched = fc_alloc(ctx, (size_t)n * sizeof *S.touched);
    S.mark = fc_calloc(ctx, (size_t)n, 1);
    S.ntouched = 0;
    S.nfilled = 0;
    S.n = n;
    S.fill = fill;
    S.op = op;
    int32_t *act = fc_alloc(ctx, (size_t)(ng + 1) * sizeof *act);
    int32_t nact = 0, gi = 0;
    int32_t *fresh = fc_alloc(ctx, (size_t)(ng + 1) * sizeof *fresh);
    /* With few operands each active edge remembers the windings above it, so a new edge
     * reads its windings from its lower neighbour; with many, they are summed from below. */
    int32_t *above_w = n <= SMALL_OPERANDS ? fc_alloc(ctx, (size_t)(ng + 1) * (size_t)n * sizeof *above_w) : NULL;
    for (int32_t vi = 0; vi < nv; vi++) {
        ipt v = verts[vi];
        /* position of v among the active edges: those below v come first */
        int32_t lo = 0, hi = nact;
        while (lo < hi) {
            int32_t mid = (lo + hi) / 2;
            if (ipt_orient(g[act[mid]].a, g[act[mid]].b, v) > 0) lo = mid + 1;
            else hi = mid;
        }
        int32_t idx = lo, k = idx;
        while (k < nact && ipt_eq(g[act[k]].b, v)) k++;
        if (k > idx) {
            memmove(act + idx, act + k, (size_t)(nact - k) * sizeof *act);
            nact -= k - idx;
        }
        /* edges leaving v, ordered bottom to top */
        int32_t nf = 0;
        while (gi < ng && ipt_eq(g[gi].a, v)) fresh[nf++] = gi++;
        if (nf == 0) continue;
        for (int32_t a = 1; a < nf; a++) {
            int32_t x = fresh[a], b = a;
            while (b > 0 && ipt_orient(v, g[fresh[b - 1]].b, g[x].b) < 0) {
                fresh[b] = fresh[b - 1];
                b--;
            }
            fresh[b] = x;
        }
        ws_reset(&S);
        if (above_w) {
            /* the windings above the edge just below: constant along it */
            if (idx > 0) {
                const int32_t *wv = above_w + (size_t)act[idx - 1] * (size_t)n;
                for (int o = 0; o < n; o++)
                    if (wv[o]) ws_add(&S, o, wv[o]);
            }
        } else {
            for (int32_t q = 0; q < idx; q++) {
                const bgroup *G = &g[act[q]];
                for (int32_t d = 0; d < G->count; d++) ws_add(&S, dl[G->first + d].op, dl[G->first + d].w);
            }
        }
        for (int32_t a = 0; a < nf; a++) {
            bgroup *G = &g[fresh[a]];
            int below = ws_inside(&S);
            for (int32_t d = 0; d < G->count; d++) ws_add(&S, dl[G->first + d].op, dl[G->first + d].w);
            int above = ws_inside(&S);
            G->keep = below != above;
            G->inside_above = (int8_t)above;
            if (above_w) memcpy(above_w + (size_t)fresh[a] * (size_t)n, S.w, (size_t)n * sizeof *S.w);
        }
        memmove(act + idx + nf, act + idx, (size_t)(nact - idx) * sizeof *act);
        memcpy(act + idx, fresh, (size_t)nf * sizeof *act);
        nact += nf;
        fc_tick(ctx);
    }
    fc_free(ctx, act);
    fc_free(ctx, fresh);
    fc_free(ctx, above_w);
    fc_free(ctx, S.w);
    fc_free(ctx, S.touched);
    fc_free(ctx, S.mark);
    fc_free(ctx, dl);

    /* 5. trace: directed kept edges, out-edges per vertex */
    int32_t nk = 0;
    for (int32_t i = 0; i < ng; i++) nk += g[i].keep;
    int32_t *efrom = fc_alloc(ctx, (size_t)(nk + 1) * sizeof *efrom);
    int32_t *eto = fc_alloc(ctx, (size_t)(nk + 1) * sizeof *eto);
    int32_t *off = fc_calloc(ctx, (size_t)nv + 1, sizeof *off);
    {
        int32_t m = 0;
        for (int32_t i = 0; i < ng; i++) {
            if (!g[i].keep) continue;
            int32_t ia = (int32_t)((ipt *)bsearch(&g[i].a, verts, (size_t)nv, sizeof *verts, cmp_ipt) - verts);
            int32_t ib = (int32_t)((ipt *)bsearch(&g[i].b, verts, (size_t)nv, sizeof *verts, cmp_ipt) - verts);
            if (g[i].inside_above) {
                efrom[m] = ia;
                eto[m] = ib;
            } else {
                efrom[m] = ib;
                eto[m] = ia;
            }
            off[efrom[m] + 1]++;
            m++;
        }
    }
    fc_free(ctx, g);
    for (int32_t i = 0; i < nv; i++) off[i + 1] += off[i];
    int32_t *out = fc_alloc(ctx, (size_t)(nk + 1) * sizeof *out);
    {
        int32_t *fill_at = fc_alloc(ctx, (size_t)(nv + 1) * sizeof *fill_at);
        memcpy(fill_at, off, (size_t)(nv + 1) * sizeof *fill_at);
        for (int32_t i = 0; i < nk; i++) out[fill_at[efrom[i]]++] = i;
        fc_free(ctx, fill_at);
    }
    uint8_t *used = fc_calloc(ctx, (size_t)nk + 1, 1);
    int32_t *path = fc_alloc(ctx, (size_t)(nk + 1) * sizeof *path);
    int32_t *stack = fc_alloc(ctx, (size_t)(nk + 1) * sizeof *stack);
    int32_t *pos = fc_alloc(ctx, (size_t)(nv + 1) * sizeof *pos);
    for (int32_t i = 0; i < nv; i++) pos[i] = -1;

    poly2 *res = poly2_empty(ctx);
    res->color = color;
    int capc = 0, capn = 0, capp = 0;
    ipt *ring = fc_alloc(ctx, (size_t)(nk + 1) * sizeof *ring);
    for (int32_t s = 0; s < nk; s++) {
        if (used[s]) continue;
        int32_t np = 0, cur = s, ok = 0;
        used[s] = 1;
        path[np++] = efrom[s];
        for (int32_t guard = 0; guard <= nk; guard++) {
            int32_t v = eto[cur];
            if (v == efrom[s]) {
                ok = 1;
                break;
            }
            ipt back = {verts[efrom[cur]].x - verts[v].x, verts[efrom[cur]].y - verts[v].y};
            int32_t best = -1;
            ipt bd = {0, 0};
            for (int32_t q = off[v]; q < off[v + 1]; q++) {
                int32_t e = out[q];
                if (used[e]) continue;
                ipt d = {verts[eto[e]].x - verts[v].x, verts[eto[e]].y - verts[v].y};
                if (best < 0 || cw_before(back, d, bd)) {
                    best = e;
                    bd = d;
                }
            }
            if (best < 0) break;
            used[best] = 1;
            path[np++] = v;
            cur = best;
        }
        if (!ok) continue;
        /* split at repeated vertices into simple loops */
        int32_t top = 0;
        for (int32_t k = 0; k <= np; k++) {
            int32_t v = k < np ? path[k] : -1;
            int32_t from = -1;
            if (v >= 0 && pos[v] >= 0) from = pos[v];
            if (v < 0) from = 0;
            if (from >= 0) {
                int32_t m = 0;
                for (int32_t q = from; q < top; q++) ring[m++] = verts[stack[q]];
                for (int32_t q = from + 1; q < top; q++) pos[stack[q]] = -1;
                if (v < 0) pos[stack[from]] = -1;
                top = from + 1;
                m = drop_collinear(ring, m);
                if (m && (flags & POLY2_TOLERANCE_CLEAN))
                    m = tolerance_clean(ctx, ring, m, POLY2_CLEAN_DISTANCE * scale);
                if (m >= 3) {
                    i128 area2 = 0;
                    for (int32_t q = 1; q + 1 < m; q++) area2 += ipt_orient(ring[0], ring[q], ring[q + 1]);
                    if (area2 != 0) {
                        int32_t c = res->ncontours, base = res->npoints;
                        FC_GROW(ctx, res->start, capc, c + 1);
                        FC_GROW(ctx, res->count, capn, c + 1);
                        FC_GROW(ctx, res->xy, capp, 2 * (base + m));
                        res->start[c] = base;
                        res->count[c] = m;
                        for (int32_t q = 0; q < m; q++) {
                            double x = (double)ring[q].x / scale, y = (double)ring[q].y / scale;
                            if (src) {
                                srcpt key = {ring[q], 0, 0};
                                srcpt *hit = bsearch(&key, src, (size_t)nsrc, sizeof *src, cmp_srcpt);
                                if (hit) {
                                    x = hit->x;
                                    y = hit->y;
                                }
                            }
                            res->xy[2 * (base + q)] = x;
                            res->xy[2 * (base + q) + 1] = y;
                        }
                        res->ncontours = c + 1;
                        res->npoints = base + m;
                    }
                }
                if (v < 0) break;
                continue;
            }
            pos[v] = top;
            stack[top++] = v;
        }
        fc_tick(ctx);
    }
    fc_free(ctx, ring);
    fc_free(ctx, pos);
    fc_free(ctx, stack);
    fc_free(ctx, path);
    fc_free(ctx, used);
    fc_free(ctx, out);
    fc_free(ctx, off);
    fc_free(ctx, efrom);
    fc_free(ctx, eto);
    fc_free(ctx, verts);
    fc_free(ctx, src);
    return res;
}

poly2 *poly2_boolean(facet_ctx *ctx, poly2 *const *ps, int n, bool_op op) {
    /* A single operand is only cleaned: its vertices keep their exact coordinates, as
     * OpenSCAD passes a lone child through unchanged. Two or more go through the grid and
     * OpenSCAD's cleaning, as its Clipper calls do. */
    int flags = n == 1 ? POLY2_KEEP_INPUT_XY : POLY2_TOLERANCE_CLEAN;
    return poly2_boolean_fill(ctx, ps, n, op, POLY2_NONZERO, flags);
}

/* OpenSCAD 2021.01 sanitises a polygon() leaf through Clipper before any transform: the
 * vertices land on the grid (truncated) and are cleaned. So do we: `scale(10) polygon(star)`
 * then differs from `polygon(10 * star)` exactly as in OpenSCAD (test_poly2). */
poly2 *poly2_clean_evenodd(facet_ctx *ctx, const poly2 *p) {
    poly2 *const one[1] = {(poly2 *)p};
    return poly2_boolean_fill(ctx, one, 1, BOOL_UNION, POLY2_EVENODD, POLY2_TOLERANCE_CLEAN);
}
