/*
 * bool3_apart.c — booleans whose operands' surfaces cannot meet, decided without the kernel.
 *
 * When no triangle of A comes near the bounding box of B (their boxes do not even touch),
 * A's surface does not pass through B's box, so B lies wholly inside A or wholly outside
 * it, and one ray from any vertex of B tells which. The result is then one operand, both
 * side by side, or nothing (KERNEL.md §6.1's whole-operand case). The kernel reaches the
 * same answer, but only after building normals, edges and a BVH for both operands, which
 * costs time in proportion to the larger one: a union that adds forty small details to a
 * large body, one at a time, paid for the body forty times. These tests are two linear
 * passes with a few comparisons per triangle.
 *
 * The ray is decided with exact orientation predicates; any contact (the ray through an
 * edge or a vertex in projection) gives up and leaves the case to the kernel, whose
 * symbolic perturbation handles it. So does an operand without partners (not known to be
 * closed) and the one result that would need a reversed copy (a cavity: B inside A in a
 * difference).
 */
#include <math.h>

#include "geom/bool3_internal.h"
#include "geom/pred.h"

static bool b3_any_near(const mesh *m, const double lo[3], const double hi[3]) {
    for (int32_t t = 0; t < m->nt; t++) {
        const int32_t *v = m->tri + 3 * t;
        const double *p0 = m->pos + 3 * v[0], *p1 = m->pos + 3 * v[1], *p2 = m->pos + 3 * v[2];
        bool apart = false;
        for (int k = 0; k < 3 && !apart; k++) {
            double a = p0[k], b = p1[k], c = p2[k];
            double tlo = fmin(a, fmin(b, c)), thi = fmax(a, fmax(b, c));
            /* NaN compares false both ways, so it never counts as apart */
            apart = tlo > hi[k] || thi < lo[k];
        }
        if (!apart) return true;
    }
    return false;
}

/* Winding number of m around point x by a +z ray, counting only triangles wholly above
 * zmax (the caller knows every triangle whose projection holds x is above zmax or below
 * x). Returns -1 when the ray touches an edge or a vertex in projection. */
static int b3_ray_winding(const mesh *m, const double *x) {
    int w = 0;
    for (int32_t t = 0; t < m->nt; t++) {
        const int32_t *v = m->tri + 3 * t;
        const double *p0 = m->pos + 3 * v[0], *p1 = m->pos + 3 * v[1], *p2 = m->pos + 3 * v[2];
        if ((x[0] < p0[0] && x[0] < p1[0] && x[0] < p2[0]) ||
            (x[0] > p0[0] && x[0] > p1[0] && x[0] > p2[0]) ||
            (x[1] < p0[1] && x[1] < p1[1] && x[1] < p2[1]) ||
            (x[1] > p0[1] && x[1] > p1[1] && x[1] > p2[1]))
            continue;
        double o0 = pred_orient2d(p0, p1, x), o1 = pred_orient2d(p1, p2, x), o2 = pred_orient2d(p2, p0, x);
        if (!isfinite(o0) || !isfinite(o1) || !isfinite(o2)) return -1;
        bool pos = o0 > 0 && o1 > 0 && o2 > 0, neg = o0 < 0 && o1 < 0 && o2 < 0;
        if (!pos && !neg) {
            /* outside the projection, unless x is on its boundary */
            if ((o0 >= 0 && o1 >= 0 && o2 >= 0) || (o0 <= 0 && o1 <= 0 && o2 <= 0)) return -1;
            continue;
        }
        if (!(p0[2] > x[2] && p1[2] > x[2] && p2[2] > x[2])) continue; /* below x */
        w += pos ? 1 : -1; /* counter-clockwise from above: the outward normal points up */
    }
    return w;
}

/* 1 when operand `in`, which no triangle of `out` comes near, is inside `out`, 0 when it is
 * outside, -1 when undecided. */
static int b3_inside(const mesh *out, const mesh *in) {
    int w = b3_ray_winding(out, in->pos + 3 * in->tri[0]);
    if (w < 0 || w > 1) return -1; /* w > 1: overlapping shells, leave it to the kernel */
    return w;
}

static double b3_max_eps(const mesh *a, const mesh *b) {
    double ea = b3_mesh_eps(a), eb = b3_mesh_eps(b);
    return ea > eb ? ea : eb;
}

static mesh *b3_copy(facet_ctx *ctx, const mesh *m, double eps) {
    mesh *r = mesh_clone(ctx, m);
    r->eps = eps;
    return r;
}

static mesh *b3_both(facet_ctx *ctx, const mesh *a, const mesh *b, double eps) {
    mesh *two[2] = {(mesh *)a, (mesh *)b};
    mesh *r = mesh_concat(ctx, two, 2);
    r->eps = eps;
    return r;
}

mesh *b3_apart(facet_ctx *ctx, const mesh *a, const mesh *b, bool_op op) {
    if (a->nt == 0 || b->nt == 0 || !a->pair || !b->pair || !a->manifold || !b->manifold)
        return NULL;
    double alo[3], ahi[3], blo[3], bhi[3];
    mesh_bbox(a, alo, ahi);
    mesh_bbox(b, blo, bhi);
    fc_tick(ctx);
    if (!b3_any_near(a, blo, bhi)) {
        int in = b3_inside(a, b);
        if (in < 0) return NULL;
        double eps = b3_max_eps(a, b);
        switch (op) {
        case BOOL_UNION: return in ? b3_copy(ctx, a, eps) : b3_both(ctx, a, b, eps);
        case BOOL_INTERSECTION: return in ? b3_copy(ctx, b, eps) : mesh_empty(ctx);
        case BOOL_DIFFERENCE: return in ? NULL : b3_copy(ctx, a, eps);
        }
        return NULL;
    }
    fc_tick(ctx);
    if (!b3_any_near(b, alo, ahi)) {
        int in = b3_inside(b, a);
        if (in < 0) return NULL;
        double eps = b3_max_eps(a, b);
        switch (op) {
        case BOOL_UNION: return in ? b3_copy(ctx, b, eps) : b3_both(ctx, a, b, eps);
        case BOOL_INTERSECTION: return in ? b3_copy(ctx, a, eps) : mesh_empty(ctx);
        case BOOL_DIFFERENCE: return in ? mesh_empty(ctx) : b3_copy(ctx, a, eps);
        }
    }
    return NULL;
}
