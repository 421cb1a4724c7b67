/*
 * bvh.c — Morton-sorted bounding-volume hierarchy (see bvh.h).
 *
 * Build: each item's box centre gets a 30-bit Morton code on the grid of the scene box; the
 * items are radix-sorted by code (stable, so equal codes keep id order and the tree is
 * deterministic); the tree splits every sorted range in half down to leaves of at most
 * BVH_LEAF items, and each node's box is the union of its children's. Node 0 is the root.
 * Query: an explicit stack, no recursion.
 */
#include "geom/bvh.h"

#include "core/sort.h"

#include <math.h>
#include <string.h>

#define BVH_LEAF 8

static uint32_t bvh_spread(uint32_t v) {
    /* spreads the low 10 bits of v to every third bit */
    v &= 0x3ff;
    v = (v | (v << 16)) & 0x030000ff;
    v = (v | (v << 8)) & 0x0300f00f;
    v = (v | (v << 4)) & 0x030c30c3;
    v = (v | (v << 2)) & 0x09249249;
    return v;
}

static uint32_t bvh_cell(double c, double lo, double inv) {
    double f = (c - lo) * inv;
    if (!(f > 0)) return 0; /* also NaN */
    if (f >= 1023.0) return 1023;
    return (uint32_t)f;
}

/* Builds nodes for items order[a..b) into node `id`; returns the next free node index. */
static int bvh_build_range(bvh *t, const double *ib, int id, int a, int b, int next) {
    double *nb = t->box + 6 * id;
    if (b - a <= BVH_LEAF) {
        t->child[2 * id] = -1 - a;
        t->child[2 * id + 1] = b - a;
        for (int k = 0; k < 3; k++) { nb[k] = INFINITY; nb[k + 3] = -INFINITY; }
        for (int i = a; i < b; i++) {
            const double *x = ib + 6 * t->item[i];
            for (int k = 0; k < 3; k++) {
                if (x[k] < nb[k]) nb[k] = x[k];
                if (x[k + 3] > nb[k + 3]) nb[k + 3] = x[k + 3];
            }
        }
        return next;
    }
    int m = a + (b - a) / 2;
    int l = next, r = next + 1;
    next += 2;
    t->child[2 * id] = l;
    t->child[2 * id + 1] = r;
    next = bvh_build_range(t, ib, l, a, m, next);
    next = bvh_build_range(t, ib, r, m, b, next);
    const double *lb = t->box + 6 * l, *rb = t->box + 6 * r;
    for (int k = 0; k < 3; k++) {
        nb[k] = lb[k] < rb[k] ? lb[k] : rb[k];
        nb[k + 3] = lb[k + 3] > rb[k + 3] ? lb[k + 3] : rb[k + 3];
    }
    return next;
}

void bvh_build(facet_ctx *ctx, bvh *t, const double *boxes, int n) {
    memset(t, 0, sizeof *t);
    t->n = n;
    if (n <= 0) return;
    double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 3; k++) {
            double c = 0.5 * (boxes[6 * i + k] + boxes[6 * i + 3 + k]);
            if (c < lo[k]) lo[k] = c;
            if (c > hi[k]) hi[k] = c;
        }
    double inv[3];
    for (int k = 0; k < 3; k++) {
        double ext = hi[k] - lo[k];
        inv[k] = ext > 0 && isfinite(ext) ? 1023.0 / ext : 0.0;
    }
    uint64_t *code = fc_alloc(ctx, sizeof *code * (size_t)n);
    int32_t *ids = fc_alloc(ctx, sizeof *ids * (size_t)n);
    for (int i = 0; i < n; i++) {
        uint32_t c[3];
        for (int k = 0; k < 3; k++)
            c[k] = bvh_cell(0.5 * (boxes[6 * i + k] + boxes[6 * i + 3 + k]), lo[k], inv[k]);
        code[i] = bvh_spread(c[0]) << 2 | bvh_spread(c[1]) << 1 | bvh_spread(c[2]);
        ids[i] = i;
    }
    fc_sort_keys(ctx, code, ids, (size_t)n); /* stable: equal codes keep id order */
    t->item = fc_alloc(ctx, sizeof *t->item * (size_t)n);
    memcpy(t->item, ids, sizeof *ids * (size_t)n);
    fc_free(ctx, code);
    fc_free(ctx, ids);
    /* a binary tree with at most n leaves has fewer than 2n nodes */
    int maxnodes = 2 * n + 1;
    t->box = fc_alloc(ctx, sizeof *t->box * 6 * (size_t)maxnodes);
    t->child = fc_alloc(ctx, sizeof *t->child * 2 * (size_t)maxnodes);
    t->nnodes = bvh_build_range(t, boxes, 0, 0, n, 1);
    /* leaves hold copies of their items' boxes in leaf order for cache-friendly queries */
    double *copy = fc_alloc(ctx, sizeof *copy * 6 * (size_t)n);
    for (int i = 0; i < n; i++) memcpy(copy + 6 * i, boxes + 6 * t->item[i], sizeof *copy * 6);
    /* stash the copies after the node boxes by reallocating the node array */
    t->box = fc_realloc(ctx, t->box, sizeof *t->box * 6 * ((size_t)t->nnodes + (size_t)n));
    memcpy(t->box + 6 * (size_t)t->nnodes, copy, sizeof *copy * 6 * (size_t)n);
    fc_free(ctx, copy);
}

void bvh_free(facet_ctx *ctx, bvh *t) {
    fc_free(ctx, t->box);
    fc_free(ctx, t->child);
    fc_free(ctx, t->item);
    memset(t, 0, sizeof *t);
}

/* z first: CAD models are mostly stacks of extruded layers, so z rejects the most boxes
 * (1-2% of the benchmarks' instructions against x first) */
static inline int bvh_overlap(const double *b, const double lo[3], const double hi[3], int dims) {
    if (dims == 3 && (b[2] > hi[2] || b[5] < lo[2])) return 0;
    for (int k = 0; k < 2; k++)
        if (b[k] > hi[k] || b[k + 3] < lo[k]) return 0;
    return 1;
}

static void bvh_sort_ids(int32_t *a, int n) {
    for (int i = 1; i < n; i++) {
        int32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

/* Appends the ids (or, with `slots`, the leaf slots) of the items overlapping [lo, hi] on
 * the first `dims` axes, in tree order. Inlined into each caller with constant dims and
 * slots, so the box test unrolls. */
static inline int bvh_collect(facet_ctx *ctx, const bvh *t, const double lo[3], const double hi[3],
                              const int dims, const int slots, int32_t **out, int *cap) {
    if (t->n <= 0 || !bvh_overlap(t->box, lo, hi, dims)) return 0;
    int n = 0;
    int32_t stack[128];
    int sp = 0;
    const double *ibox = t->box + 6 * (size_t)t->nnodes;
    /* depth first, left before right; a node's children are tested before they are
     * stacked, and the walk goes on into the left one directly, so only a right child that
     * overlaps while its left sibling does too ever touches the stack */
    int id = 0;
    for (;;) {
        int32_t l = t->child[2 * id], r = t->child[2 * id + 1];
        if (l < 0) {
            int first = -1 - l;
            for (int i = first; i < first + r; i++) {
                if (!bvh_overlap(ibox + 6 * i, lo, hi, dims)) continue;
                if (n >= *cap) fc_grow(ctx, (void **)out, cap, n + 1, sizeof **out);
                (*out)[n++] = slots ? i : t->item[i];
            }
        } else {
            int ol = bvh_overlap(t->box + 6 * l, lo, hi, dims);
            int or_ = bvh_overlap(t->box + 6 * r, lo, hi, dims);
            if (ol) {
                if (or_) stack[sp++] = r;
                id = l;
                continue;
            }
            if (or_) {
                id = r;
                continue;
            }
        }
        if (sp == 0) break;
        id = stack[--sp];
    }
    return n;
}

int bvh_query_any(facet_ctx *ctx, const bvh *t, const double lo[3], const double hi[3], int dims,
                  int32_t **out, int *cap) {
    return dims == 3 ? bvh_collect(ctx, t, lo, hi, 3, 0, out, cap)
                     : bvh_collect(ctx, t, lo, hi, 2, 0, out, cap);
}

int bvh_query_slots(facet_ctx *ctx, const bvh *t, const double lo[3], const double hi[3],
                    int32_t **out, int *cap) {
    return bvh_collect(ctx, t, lo, hi, 3, 1, out, cap);
}

int bvh_query(facet_ctx *ctx, const bvh *t, const double lo[3], const double hi[3], int dims,
              int32_t **out, int *cap) {
    int n = bvh_query_any(ctx, t, lo, hi, dims, out, cap);
    if (n > 32) {
        /* shell sort for longer hit lists */
        int32_t *a = *out;
        for (int gap = n / 2; gap > 0; gap /= 2)
            for (int i = gap; i < n; i++) {
                int32_t v = a[i];
                int j = i;
                while (j >= gap && a[j - gap] > v) { a[j] = a[j - gap]; j -= gap; }
                a[j] = v;
            }
    } else {
        bvh_sort_ids(*out, n);
    }
    return n;
}
