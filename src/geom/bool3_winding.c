/*
 * bool3_winding.c — winding numbers of every vertex with respect to the other operand
 * (KERNEL.md §5).
 *
 * Vertices joined by an edge that no record cuts have equal winding numbers (the edge
 * identity of §3.6), so a union-find over uncut edges leaves one representative per
 * component, and one perturbed vertical ray cast from it (S02 over the triangles whose XY
 * box contains it) gives the whole component's value.
 */
#include "geom/bool3_internal.h"

static int b3_find(int32_t *parent, int v) {
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    return v;
}

static int32_t *b3_wind(b3_state *s, bool forward) {
    facet_ctx *ctx = s->ctx;
    const b3_mesh *A = forward ? s->P : s->Q, *B = forward ? s->Q : s->P;
    const b3_rec *rec = forward ? s->r12 : s->r21;
    int nrec = forward ? s->n12 : s->n21;
    int32_t *w = fc_calloc(ctx, (size_t)(A->nv ? A->nv : 1), sizeof *w);
    if (nrec == 0 && (s->P->nt == 0 || s->Q->nt == 0)) return w;
    bool meet = true;
    for (int k = 0; k < 3; k++)
        if (A->lo[k] > B->hi[k] || A->hi[k] < B->lo[k]) meet = false;
    if (!meet) return w;

    int32_t *parent = fc_alloc(ctx, sizeof *parent * (size_t)(A->nv ? A->nv : 1));
    for (int v = 0; v < A->nv; v++) parent[v] = v;
    int r = 0;
    for (int e = 0; e < A->ne; e++) {
        while (r < nrec && rec[r].edge < e) r++;
        if (r < nrec && rec[r].edge == e) continue;
        int h = A->edge[e];
        int a = b3_find(parent, A->tri[h]);
        int b = b3_find(parent, A->tri[b3_next(h)]);
        if (a != b) {
            if (a < b) parent[b] = a;
            else parent[a] = b;
        }
    }
    int32_t *hits = NULL;
    int hcap = 0;
    for (int v = 0; v < A->nv; v++) {
        int root = b3_find(parent, v);
        if (root != v) continue;
        fc_tick(ctx);
        const double *p = A->pos + 3 * v;
        int nh = bvh_query_any(ctx, &B->tree, p, p, 2, &hits, &hcap);
        int sum = 0;
        for (int i = 0; i < nh; i++) {
            double z;
            bool has;
            if (forward) sum += b3_s02(s, v, hits[i], &z, &has);
            else sum -= b3_s02r(s, v, hits[i], &z, &has);
        }
        w[v] = sum;
    }
    for (int v = 0; v < A->nv; v++) w[v] = w[b3_find(parent, v)];
    fc_free(ctx, hits);
    fc_free(ctx, parent);
    return w;
}

void b3_winding(b3_state *s) {
    s->w03 = b3_wind(s, true);
    s->w30 = b3_wind(s, false);
}
