/*
 * bool3.c — the binary boolean: a op b (KERNEL.md).
 *
 * Stages, each in its own file: operand preparation (bool3_prep.c), edge/triangle
 * crossings (bool3_intersect.c), winding numbers (bool3_winding.c), assembly of paired
 * polygonal faces (bool3_assemble.c), triangulation (bool3_triangulate.c), cleanup
 * (bool3_simplify.c). The result is written into a fresh mesh with its pairs already set:
 * topology comes from integer identities, never from rounded geometry, so it is a closed
 * oriented 2-manifold whatever the input alignment.
 */
#include <math.h>
#include <string.h>

#include "geom/bool3_internal.h"

static mesh *b3_output(facet_ctx *ctx, const b3_tris *t, const b3_mesh *P, const b3_mesh *Q,
                       double eps) {
    if (t->nt == 0) return mesh_empty(ctx);
    mesh *m = mesh_new(ctx, t->nv, t->nt);
    memcpy(m->pos, t->pos, sizeof(double) * 3 * (size_t)t->nv);
    memcpy(m->tri, t->tri, sizeof(int32_t) * 3 * (size_t)t->nt);
    m->pair = fc_memdup(ctx, t->pair, sizeof(int32_t) * 3 * (size_t)t->nt);
    if (P->color || Q->color) {
        m->color = fc_alloc(ctx, sizeof *m->color * (size_t)t->nt);
        for (int i = 0; i < t->nt; i++) {
            int s = t->src[i];
            m->color[i] = s < P->nt ? (P->color ? P->color[s] : 0)
                                    : (Q->color ? Q->color[s - P->nt] : 0);
        }
    }
    m->eps = eps;
    m->manifold = true;
    m->compact = true; /* b3_simplify compacts unused vertices away */
    return m;
}

/* Inclusion of a whole operand when no edge crosses the other one and all its vertices
 * agree (KERNEL.md §6.1); 2 when they do not (some component inside, some outside). */
static int b3_uniform(const int32_t *w, int nv, int c, int c3) {
    if (nv == 0) return 0;
    for (int v = 1; v < nv; v++)
        if (w[v] != w[0]) return 2;
    int i = c + c3 * w[0];
    return i < -1 || i > 1 ? 2 : i;
}

/* Appends operand m with inclusion i (1 kept, -1 kept reversed) to out at vertex offset
 * vo and triangle offset to. Reversing (a,b,c) into (a,c,b) maps halfedge slot k to
 * 2 - k, partners included. */
static void b3_put(mesh *out, const b3_mesh *m, int i, int vo, int to, uint32_t *color) {
    memcpy(out->pos + 3 * (size_t)vo, m->pos, sizeof(double) * 3 * (size_t)m->nv);
    for (int t = 0; t < m->nt; t++) {
        for (int k = 0; k < 3; k++) {
            int src = i > 0 ? k : 2 - k;
            int h = 3 * t + src, p = m->pair[h];
            out->tri[3 * (to + t) + k] = vo + m->tri[i > 0 ? h : 3 * t + (3 - k) % 3];
            out->pair[3 * (to + t) + k] = 3 * (to + p / 3) + (i > 0 ? p % 3 : 2 - p % 3);
        }
        if (color) color[to + t] = m->color ? m->color[t] : 0;
    }
}

/* The result when no edge crosses: each operand whole, reversed or dropped; NULL when the
 * operands' vertices disagree and the general assembly is needed. */
static mesh *b3_whole(facet_ctx *ctx, const b3_state *s, double eps) {
    int c1 = 1, c2 = 1, c3 = -1;
    if (s->op == BOOL_DIFFERENCE) c2 = 0;
    if (s->op == BOOL_INTERSECTION) { c1 = 0; c2 = 0; c3 = 1; }
    int ip = b3_uniform(s->w03, s->P->nv, c1, c3), iq = b3_uniform(s->w30, s->Q->nv, c2, c3);
    if (ip == 2 || iq == 2) return NULL;
    int nv = (ip ? s->P->nv : 0) + (iq ? s->Q->nv : 0);
    int nt = (ip ? s->P->nt : 0) + (iq ? s->Q->nt : 0);
    if (nt == 0) return mesh_empty(ctx);
    mesh *m = mesh_new(ctx, nv, nt);
    m->pair = fc_alloc(ctx, sizeof *m->pair * 3 * (size_t)nt);
    if ((ip && s->P->color) || (iq && s->Q->color))
        m->color = fc_alloc(ctx, sizeof *m->color * (size_t)nt);
    int vo = 0, to = 0;
    if (ip) {
        b3_put(m, s->P, ip, 0, 0, m->color);
        vo = s->P->nv;
        to = s->P->nt;
    }
    if (iq) b3_put(m, s->Q, iq, vo, to, m->color);
    m->eps = eps;
    m->manifold = true;
    return m;
}

mesh *bool3(facet_ctx *ctx, const mesh *a, const mesh *b, bool_op op) {
    mesh *quick = b3_apart(ctx, a, b, op);
    if (quick) return quick;
    b3_mesh P, Q;
    b3_mesh_init(ctx, &P, a);
    b3_mesh_init(ctx, &Q, b);
    b3_state s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.P = &P;
    s.Q = &Q;
    s.op = op;
    /* P moves twice as far as Q (KERNEL.md §2 has equal distances). Any positive scales
     * give a consistent perturbation; unequal ones keep coplanar faces with equal or
     * opposite normals (a union of face-sharing boxes, a touching difference) from tying
     * exactly (d = sigma n_P - n_Q = 0), where the unresolved tie assembled zero-width
     * spikes and double sheets along triangle diagonals (Menger level 2/3 areas). */
    s.sigma = op == BOOL_UNION ? 2 : -2;
    b3_intersect(&s);
    b3_winding(&s);
    double eps = P.eps > Q.eps ? P.eps : Q.eps;
    if (s.n12 == 0 && s.n21 == 0) {
        mesh *m = b3_whole(ctx, &s, eps);
        if (m) {
            m->compact = a->compact && b->compact; /* whole operands, or none */
            fc_free(ctx, s.w03);
            fc_free(ctx, s.w30);
            b3_mesh_free(ctx, &P);
            b3_mesh_free(ctx, &Q);
            return m;
        }
    }
    b3_faces F;
    b3_assemble(&s, &F);
    b3_tris T;
    memset(&T, 0, sizeof T);
    if (F.nv > 0) {
        b3_triangulate(ctx, &F, eps, &T);
        b3_simplify(ctx, &T, eps);
    }
    mesh *m = b3_output(ctx, &T, &P, &Q, eps);
    /* the render pool would free these too, but n-ary reductions run many booleans */
    fc_free(ctx, s.r12);
    fc_free(ctx, s.r21);
    fc_free(ctx, s.w03);
    fc_free(ctx, s.w30);
    if (F.nv > 0) {
        fc_free(ctx, F.off);
        fc_free(ctx, F.hs);
        fc_free(ctx, F.he);
        fc_free(ctx, F.hp);
        fc_free(ctx, F.src);
        fc_free(ctx, F.normal);
        fc_free(ctx, T.tri);
        fc_free(ctx, T.pair);
        fc_free(ctx, T.src);
        fc_free(ctx, T.pos);
    }
    fc_free(ctx, F.pos);
    b3_mesh_free(ctx, &P);
    b3_mesh_free(ctx, &Q);
    return m;
}
