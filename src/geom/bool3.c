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
    return m;
}

mesh *bool3(facet_ctx *ctx, const mesh *a, const mesh *b, bool_op op) {
    b3_mesh P, Q;
    b3_mesh_init(ctx, &P, a);
    b3_mesh_init(ctx, &Q, b);
    b3_state s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.P = &P;
    s.Q = &Q;
    s.op = op;
    s.sigma = op == BOOL_UNION ? 1 : -1;
    b3_intersect(&s);
    b3_winding(&s);
    b3_faces F;
    b3_assemble(&s, &F);
    double eps = P.eps > Q.eps ? P.eps : Q.eps;
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
