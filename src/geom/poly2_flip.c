/*
 * poly2_flip.c — Delaunay edge flips on a triangulated polygon (caps of extrusions).
 *
 * Ear clipping a polygon with holes leaves long thin triangles: each ear is cut where the
 * clipping happens to be, and around a bridge the ears fan out across the whole face. An
 * extruded ring from circle(25) minus circle(23) got triangles whose bounding boxes
 * covered each point of the cap 58 times over, and every later boolean with that cap
 * paid for it in its broad phase. Lawson's flips turn any triangulation into the
 * constrained Delaunay one (the polygon's own edges stay): an interior edge whose two
 * triangles form a strictly convex quad is flipped when the far corner lies strictly
 * inside the near triangle's circumcircle. With exact in-circle and orientation tests
 * every flip strictly improves the triangulation, so the process ends; the number of
 * flips is still capped (a generous multiple of the triangle count) to bound the time on
 * adversarial input, and stopping early leaves a valid triangulation.
 *
 * Edges are found through a table of directed edges (from, to) -> triangle slot. An edge
 * whose direction occurs twice (degenerate input: bridges along duplicated points) is never
 * flipped, nor is one whose flipped diagonal already exists.
 */
#include <string.h>

#include "geom/poly2_ops.h"
#include "geom/pred.h"

typedef struct pf_table {
    uint64_t *key; /* (from + 1) << 32 | (to + 1); 0 free, ~0 deleted */
    int32_t *slot;
    uint32_t mask;
} pf_table;

static inline uint64_t pf_key(int32_t a, int32_t b) {
    return (uint64_t)(uint32_t)(a + 1) << 32 | (uint32_t)(b + 1);
}

static inline uint32_t pf_hash(uint64_t k, uint32_t mask) {
    return (uint32_t)((k * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

/* The slot of edge a->b, or -1. */
static int32_t pf_find(const pf_table *t, int32_t a, int32_t b) {
    uint64_t k = pf_key(a, b);
    for (uint32_t i = pf_hash(k, t->mask);; i = (i + 1) & t->mask) {
        if (t->key[i] == 0) return -1;
        if (t->key[i] == k) return t->slot[i];
    }
}

/* Inserts a->b at slot s; returns false when a->b is already there. */
static bool pf_put(pf_table *t, int32_t a, int32_t b, int32_t s) {
    uint64_t k = pf_key(a, b);
    uint32_t i = pf_hash(k, t->mask), free_at = UINT32_MAX;
    for (;; i = (i + 1) & t->mask) {
        if (t->key[i] == k) return false;
        if (t->key[i] == ~(uint64_t)0 && free_at == UINT32_MAX) free_at = i;
        if (t->key[i] == 0) break;
    }
    if (free_at == UINT32_MAX) free_at = i;
    t->key[free_at] = k;
    t->slot[free_at] = s;
    return true;
}

static void pf_del(pf_table *t, int32_t a, int32_t b) {
    uint64_t k = pf_key(a, b);
    for (uint32_t i = pf_hash(k, t->mask);; i = (i + 1) & t->mask) {
        if (t->key[i] == 0) return;
        if (t->key[i] == k) {
            t->key[i] = ~(uint64_t)0;
            return;
        }
    }
}

static inline int32_t pf_next(int32_t h) { return h - h % 3 + (h % 3 + 1) % 3; }
static inline int32_t pf_prev(int32_t h) { return h - h % 3 + (h % 3 + 2) % 3; }

void poly2_delaunay_flips(facet_ctx *ctx, const double *xy, int32_t *tri, int32_t nt) {
    if (nt < 2) return;
    int32_t nh = 3 * nt;
    pf_table T;
    uint32_t cap = 16;
    while (cap < 4 * (uint32_t)nh) cap <<= 1;
    T.mask = cap - 1;
    T.key = fc_calloc(ctx, cap, sizeof *T.key);
    T.slot = fc_alloc(ctx, cap * sizeof *T.slot);
    /* directed edges seen twice are frozen: 1 in `frozen` at both slots */
    uint8_t *frozen = fc_calloc(ctx, (size_t)nh, 1);
    for (int32_t h = 0; h < nh; h++) {
        int32_t a = tri[h], b = tri[pf_next(h)];
        if (!pf_put(&T, a, b, h)) {
            frozen[h] = 1;
            frozen[pf_find(&T, a, b)] = 1;
        }
    }
    int32_t capstack = nh + 64;
    int32_t *stack = fc_alloc(ctx, (size_t)capstack * sizeof *stack);
    int32_t sp = 0;
    for (int32_t h = 0; h < nh; h++) stack[sp++] = h;
    int64_t budget = 16 * (int64_t)nt + 1024;
    while (sp > 0 && budget > 0) {
        int32_t h = stack[--sp];
        if (frozen[h]) continue;
        int32_t a = tri[h], b = tri[pf_next(h)];
        int32_t g = pf_find(&T, b, a);
        if (g < 0 || frozen[g] || g / 3 == h / 3) continue;
        int32_t c = tri[pf_prev(h)], d = tri[pf_prev(g)];
        if (c == d) continue;
        const double *pa = xy + 2 * a, *pb = xy + 2 * b, *pc = xy + 2 * c, *pd = xy + 2 * d;
        /* (a, b, c) is counter-clockwise: d strictly inside its circumcircle */
        if (!(pred_incircle(pa, pb, pc, pd) > 0)) continue;
        /* the quad a, d, b, c must be strictly convex for c-d to replace a-b */
        if (!(pred_orient2d(pa, pd, pb) > 0 && pred_orient2d(pd, pb, pc) > 0 &&
              pred_orient2d(pb, pc, pa) > 0 && pred_orient2d(pc, pa, pd) > 0))
            continue;
        if (pf_find(&T, c, d) >= 0 || pf_find(&T, d, c) >= 0) continue;
        int32_t t1 = h / 3, t2 = g / 3;
        /* frozen edges keep their slots: a flip never moves them (they are not a-b, and
         * the other four edges keep their direction, only their slot changes) */
        int32_t hb = pf_next(h), hc = pf_prev(h), ga = pf_next(g), gd = pf_prev(g);
        if (frozen[hb] || frozen[hc] || frozen[ga] || frozen[gd]) continue;
        pf_del(&T, a, b);
        pf_del(&T, b, c);
        pf_del(&T, c, a);
        pf_del(&T, b, a);
        pf_del(&T, a, d);
        pf_del(&T, d, b);
        /* (a, b, c) + (b, a, d) -> (c, a, d) + (d, b, c) */
        int32_t *x = tri + 3 * t1, *y = tri + 3 * t2;
        x[0] = c; x[1] = a; x[2] = d;
        y[0] = d; y[1] = b; y[2] = c;
        pf_put(&T, c, a, 3 * t1);
        pf_put(&T, a, d, 3 * t1 + 1);
        pf_put(&T, d, c, 3 * t1 + 2);
        pf_put(&T, d, b, 3 * t2);
        pf_put(&T, b, c, 3 * t2 + 1);
        pf_put(&T, c, d, 3 * t2 + 2);
        /* the four outer edges may now be illegal */
        FC_GROW(ctx, stack, capstack, sp + 4);
        stack[sp++] = 3 * t1;
        stack[sp++] = 3 * t1 + 1;
        stack[sp++] = 3 * t2;
        stack[sp++] = 3 * t2 + 1;
        budget--;
        fc_tick(ctx);
    }
    fc_free(ctx, stack);
    fc_free(ctx, frozen);
    fc_free(ctx, T.key);
    fc_free(ctx, T.slot);
}
