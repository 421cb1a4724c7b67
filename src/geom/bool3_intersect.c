/*
 * bool3_intersect.c — edge-versus-triangle crossings in both directions (KERNEL.md §3.5, §4).
 *
 * Each canonical edge of one operand queries the other's BVH with its box (inclusive on all
 * three axes: a perturbed event needs the unperturbed boxes to touch) and evaluates X12 or
 * X21 on every hit. Edges are visited in index order and hits come back sorted, so the
 * records are sorted by (edge, triangle) without a sort; that order numbers the new
 * vertices and lets later stages find an edge's records by binary search.
 */
#include <math.h>

#include "geom/bool3_internal.h"

static bool b3_boxes_meet(const b3_mesh *a, const b3_mesh *b) {
    for (int k = 0; k < 3; k++)
        if (a->lo[k] > b->hi[k] || a->hi[k] < b->lo[k]) return false;
    return true;
}

static void b3_cross_edges(b3_state *s, bool forward, b3_rec **out, int *nout) {
    facet_ctx *ctx = s->ctx;
    const b3_mesh *A = forward ? s->P : s->Q, *B = forward ? s->Q : s->P;
    b3_rec *rec = NULL;
    int n = 0, cap = 0;
    int32_t *hits = NULL;
    int hcap = 0;
    for (int e = 0; e < A->ne; e++) {
        fc_tick(ctx);
        int h = A->edge[e];
        const double *p = A->pos + 3 * A->tri[h];
        const double *q = A->pos + 3 * A->tri[3 * (h / 3) + (h % 3 + 1) % 3];
        double lo[3], hi[3];
        for (int k = 0; k < 3; k++) {
            lo[k] = p[k] < q[k] ? p[k] : q[k];
            hi[k] = p[k] < q[k] ? q[k] : p[k];
        }
        int nh = bvh_query(ctx, &B->tree, lo, hi, 3, &hits, &hcap);
        for (int i = 0; i < nh; i++) {
            b3_rec r;
            r.x = forward ? b3_x12(s, e, hits[i], r.p) : b3_x21(s, e, hits[i], r.p);
            if (!r.x) continue;
            r.edge = e;
            r.tri = hits[i];
            FC_PUSH(ctx, rec, n, cap, r);
        }
    }
    fc_free(ctx, hits);
    *out = rec;
    *nout = n;
}

void b3_intersect(b3_state *s) {
    s->r12 = s->r21 = NULL;
    s->n12 = s->n21 = 0;
    if (s->P->nt == 0 || s->Q->nt == 0 || !b3_boxes_meet(s->P, s->Q)) return;
    b3_cross_edges(s, true, &s->r12, &s->n12);
    b3_cross_edges(s, false, &s->r21, &s->n21);
}
