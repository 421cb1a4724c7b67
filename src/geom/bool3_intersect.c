/*
 * bool3_intersect.c — edge-versus-triangle crossings in both directions (KERNEL.md §3.5, §4).
 *
 * Each canonical edge of one operand finds the other's triangles whose boxes meet its own
 * (inclusive on all three axes: a perturbed event needs the unperturbed boxes to touch; runs
 * of edges share one BVH walk, see B3_RUN) and evaluates X12 or X21 on every such triangle
 * not clearly apart in the xy shadow. Edges are visited in index order and each edge's few
 * records are sorted by triangle (rather than its many hits), so the records are sorted by
 * (edge, triangle); that order numbers the new vertices and lets later stages find an
 * edge's records by binary search.
 */
#include <math.h>
#include <stdlib.h>

#include "geom/bool3_internal.h"

static bool b3_boxes_meet(const b3_mesh *a, const b3_mesh *b) {
    for (int k = 0; k < 3; k++)
        if (a->lo[k] > b->hi[k] || a->hi[k] < b->lo[k]) return false;
    return true;
}

/* Twice the signed area of (a, b, c) in the xy plane. */
static inline double b3_orient_xy(const double *a, const double *b, const double *c) {
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/* One edge line of a triangle's shadow, as b3_apart_xy uses it: from (ax, ay) along
 * (ex, ey), g2 = (gap * |e|)^2 (-1 for a degenerate edge, which is skipped), sc = the
 * orientation of the triangle's third corner. Made once per triangle and kept while the
 * triangle keeps meeting edges (a triangle meets many) rather than once per candidate pair,
 * with the very same operations, so every decision is unchanged. */
typedef struct b3_txy {
    double ax, ay, ex, ey, g2, sc;
} b3_txy;

/* A direct-mapped cache of those lines by BVH slot: slots are in the tree's spatial order,
 * so the triangles a run of edges meets sit in nearby slots. Bounded (B3_TXY_MAX entries),
 * where an array for every triangle would add 144 bytes a triangle to the peak. */
enum { B3_TXY_MAX = 4096 };
typedef struct b3_txyslot {
    int32_t slot; /* -1: empty */
    b3_txy l[3];
} b3_txyslot;

static void b3_txy_make(const double *const t[3], double gap, b3_txy l[3]) {
    for (int i = 0; i < 3; i++) {
        const double *a = t[i], *b = t[(i + 1) % 3], *c = t[(i + 2) % 3];
        double ex = b[0] - a[0], ey = b[1] - a[1];
        double len2 = ex * ex + ey * ey;
        l[i].ax = a[0];
        l[i].ay = a[1];
        l[i].ex = ex;
        l[i].ey = ey;
        l[i].g2 = len2 > 0 ? gap * gap * len2 : -1;
        l[i].sc = b3_orient_xy(a, b, c);
    }
}

/* True when segment p-q and the triangle of lines l are clearly apart in their xy shadows: a line
 * (one of the triangle's edges or the segment itself) has the segment on one side and the
 * triangle on the other, with a gap of more than `gap`, 2^-30 of the largest coordinate of
 * either operand (b3_intersect). Every predicate of X12/X21 (KERNEL.md §3) compares points
 * of one shadow with the other along y, so with such a gap, far above the rounding of
 * their interpolations, each comparison comes out as in exact arithmetic and the crossing
 * count is the geometric one: zero. Ties and near-ties (the cases the perturbation exists
 * for) never pass this test. The broad phase's boxes overlap for most pairs that meet this
 * test: a long thin fan triangle's box covers most of a cylinder's cap. */
static bool b3_apart_xy(const double *p, const double *q, const b3_txy l[3], double gap) {
    for (int i = 0; i < 3; i++) {
        double g2 = l[i].g2;
        if (g2 < 0) continue;
        double ex = l[i].ex, ey = l[i].ey, ax = l[i].ax, ay = l[i].ay, sc = l[i].sc;
        double sp = ex * (p[1] - ay) - ey * (p[0] - ax), sq = ex * (q[1] - ay) - ey * (q[0] - ax);
        if (sc >= 0 && sp < 0 && sq < 0 && sp * sp > g2 && sq * sq > g2) return true;
        if (sc <= 0 && sp > 0 && sq > 0 && sp * sp > g2 && sq * sq > g2) return true;
    }
    double fx = q[0] - p[0], fy = q[1] - p[1];
    double len2 = fx * fx + fy * fy;
    if (len2 > 0) {
        double g2 = gap * gap * len2;
        double s0 = fx * (l[0].ay - p[1]) - fy * (l[0].ax - p[0]);
        double s1 = fx * (l[1].ay - p[1]) - fy * (l[1].ax - p[0]);
        double s2 = fx * (l[2].ay - p[1]) - fy * (l[2].ax - p[0]);
        if (s0 > 0 && s1 > 0 && s2 > 0 && s0 * s0 > g2 && s1 * s1 > g2 && s2 * s2 > g2) return true;
        if (s0 < 0 && s1 < 0 && s2 < 0 && s0 * s0 > g2 && s1 * s1 > g2 && s2 * s2 > g2) return true;
    }
    return false;
}

static inline bool b3_box_meet(const double *a, const double *b) {
    return !(a[0] > b[3] || a[3] < b[0] || a[1] > b[4] || a[4] < b[1] || a[2] > b[5] ||
             a[5] < b[2]);
}

/* Edges are taken a run of B3_RUN at a time: the run's box queries B's tree once, and each
 * edge keeps the candidates its own box meets, so the hits per edge are exactly those of a
 * query per edge, for a fraction of the tree walks (which cost as much as all the predicates
 * together on the candle stand). Consecutive edges come from consecutive triangles, which
 * every stage emits face by face, so a run's box stays small. */
enum { B3_RUN = 6 };

static void b3_cross_edges(b3_state *s, bool forward, b3_rec **out, int *nout) {
    facet_ctx *ctx = s->ctx;
    const b3_mesh *A = forward ? s->P : s->Q, *B = forward ? s->Q : s->P;
    b3_rec *rec = NULL;
    int n = 0, cap = 0;
    int32_t *cand = NULL;
    int ccap = 0;
    const double *bbox = B->tree.box + 6 * (size_t)B->tree.nnodes; /* B's boxes by slot */
    int ntxy = 64;
    while (ntxy < B3_TXY_MAX && ntxy < B->nt) ntxy <<= 1;
    b3_txyslot *txy = fc_alloc(ctx, sizeof *txy * (size_t)ntxy);
    for (int i = 0; i < ntxy; i++) txy[i].slot = -1;
    double eb[B3_RUN][6];
    for (int e0 = 0; e0 < A->ne; e0 += B3_RUN) {
        fc_tick(ctx);
        int e1 = e0 + B3_RUN < A->ne ? e0 + B3_RUN : A->ne;
        double run[6] = {INFINITY, INFINITY, INFINITY, -INFINITY, -INFINITY, -INFINITY};
        for (int e = e0; e < e1; e++) {
            const double *p = A->pos + 3 * A->ev[2 * e], *q = A->pos + 3 * A->ev[2 * e + 1];
            double *b = eb[e - e0];
            for (int k = 0; k < 3; k++) {
                b[k] = p[k] < q[k] ? p[k] : q[k];
                b[k + 3] = p[k] < q[k] ? q[k] : p[k];
                if (b[k] < run[k]) run[k] = b[k];
                if (b[k + 3] > run[k + 3]) run[k + 3] = b[k + 3];
            }
        }
        int nc = bvh_query_slots(ctx, &B->tree, run, run + 3, &cand, &ccap);
        if (nc == 0) continue;
        for (int e = e0; e < e1; e++) {
            const double *box = eb[e - e0];
            const double *p = A->pos + 3 * A->ev[2 * e], *q = A->pos + 3 * A->ev[2 * e + 1];
            int first = n; /* this edge's records start here */
            for (int c = 0; c < nc; c++) {
                if (!b3_box_meet(box, bbox + 6 * cand[c])) continue;
                int t = B->tree.item[cand[c]];
                b3_txyslot *ts = txy + (cand[c] & (ntxy - 1));
                if (ts->slot != cand[c]) {
                    const int32_t *tv = B->tri + 3 * t;
                    const double *tp[3] = {B->pos + 3 * tv[0], B->pos + 3 * tv[1], B->pos + 3 * tv[2]};
                    b3_txy_make(tp, s->gap, ts->l);
                    ts->slot = cand[c];
                }
                if (b3_apart_xy(p, q, ts->l, s->gap)) {
#ifdef B3_CHECK_APART
                    double pp[3];
                    if (forward ? b3_x12(s, e, t, pp) : b3_x21(s, e, t, pp)) abort();
#endif
                    continue;
                }
                /* both boxes flat at one z: a pair in a shared horizontal face, mostly
                 * settled without the full predicate */
                const double *tb = bbox + 6 * cand[c];
                if (box[2] == box[5] && tb[2] == tb[5] && box[2] == tb[2] &&
                    b3_flat_zero(s, !forward, e, t))
                    continue;
                b3_rec r;
                r.x = forward ? b3_x12(s, e, t, r.p) : b3_x21(s, e, t, r.p);
                if (!r.x) continue;
                r.edge = e;
                r.tri = t;
                FC_PUSH(ctx, rec, n, cap, r);
            }
            /* the candidates came in tree order: sort this edge's records by triangle (few) */
            for (int i = first + 1; i < n; i++) {
                b3_rec x = rec[i];
                int j = i - 1;
                while (j >= first && rec[j].tri > x.tri) {
                    rec[j + 1] = rec[j];
                    j--;
                }
                rec[j + 1] = x;
            }
        }
    }
    fc_free(ctx, cand);
    fc_free(ctx, txy);
    *out = rec;
    *nout = n;
}

void b3_intersect(b3_state *s) {
    s->r12 = s->r21 = NULL;
    s->n12 = s->n21 = 0;
    if (s->P->nt == 0 || s->Q->nt == 0 || !b3_boxes_meet(s->P, s->Q)) return;
    s->memo12 = fc_alloc(s->ctx, sizeof *s->memo12 * (size_t)(s->Q->ne ? s->Q->ne : 1));
    s->memo21 = fc_alloc(s->ctx, sizeof *s->memo21 * (size_t)(s->P->ne ? s->P->ne : 1));
    for (int e = 0; e < s->Q->ne; e++) s->memo12[e].stamp = -1;
    for (int e = 0; e < s->P->ne; e++) s->memo21[e].stamp = -1;
    /* the S02 cache: about four slots per vertex of the larger operand, at most 2^17 */
    uint32_t slots = 1024;
    int nv = s->P->nv > s->Q->nv ? s->P->nv : s->Q->nv;
    while (slots < (1u << 17) && slots < 4u * (uint32_t)nv) slots <<= 1;
    s->memo02 = fc_alloc(s->ctx, sizeof *s->memo02 * slots);
    s->mask02 = slots - 1;
    for (uint32_t i = 0; i < slots; i++) s->memo02[i].v = -1;
    double m = 0;
    for (int k = 0; k < 3; k++) {
        m = fmax(m, fmax(fabs(s->P->lo[k]), fabs(s->P->hi[k])));
        m = fmax(m, fmax(fabs(s->Q->lo[k]), fabs(s->Q->hi[k])));
    }
    s->gap = m * 0x1p-30;
    b3_cross_edges(s, true, &s->r12, &s->n12);
    for (uint32_t i = 0; i < slots; i++) s->memo02[i].v = -1;
    b3_cross_edges(s, false, &s->r21, &s->n21);
    fc_free(s->ctx, s->memo02);
    fc_free(s->ctx, s->memo12);
    fc_free(s->ctx, s->memo21);
    s->memo12 = s->memo21 = NULL;
    s->memo02 = NULL;
}
