/*
 * poly2_minkowski.c — minkowski() of 2D shapes, built the way OpenSCAD 2021.01 builds it
 * so that results agree, including for non-convex operands and holes.
 *
 * For operands A and B (taken on the 2^16 grid, truncated): every pair of contours
 * (a of A, b of B) contributes the quads swept when each edge of b is translated along a
 * (the quad of b[i] + a[j], b[i+1] + a[j], b[i+1] + a[j+1], b[i] + a[j+1], oriented
 * counter-clockwise; zero-area quads contribute nothing and are skipped); the insides are
 * filled by one copy of A translated to a vertex of every outer contour of B, and one of B
 * translated to a vertex of every outer contour of A. The union of all that (non-zero
 * rule) is the sum; with more operands the sum is carried on to the next one. The final
 * union gets OpenSCAD's cleaning (POLY2_CLEAN_DISTANCE).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/poly2_grid.h"
#include "geom/poly2_ops.h"

typedef struct mk_out {
    facet_ctx *ctx;
    poly2 *p;
    int capc, capn, capp;
} mk_out;

static void contour_begin(mk_out *o) {
    int32_t c = o->p->ncontours;
    FC_GROW(o->ctx, o->p->start, o->capc, c + 1);
    FC_GROW(o->ctx, o->p->count, o->capn, c + 1);
    o->p->start[c] = o->p->npoints;
    o->p->count[c] = 0;
    o->p->ncontours = c + 1;
}

static void contour_point(mk_out *o, double x, double y) {
    poly2 *p = o->p;
    FC_GROW(o->ctx, p->xy, o->capp, 2 * (p->npoints + 1));
    p->xy[2 * p->npoints] = x;
    p->xy[2 * p->npoints + 1] = y;
    p->npoints++;
    p->count[p->ncontours - 1]++;
}

/* The operand on the grid (truncated as OpenSCAD converts), back in units. */
static poly2 *on_grid(facet_ctx *ctx, const poly2 *p, double scale) {
    poly2 *q = poly2_clone(ctx, p);
    for (int32_t i = 0; i < 2 * q->npoints; i++) q->xy[i] = (double)(int64_t)(q->xy[i] * scale) / scale;
    return q;
}

static void add_translated(mk_out *o, const poly2 *a, double dx, double dy) {
    for (int32_t c = 0; c < a->ncontours; c++) {
        contour_begin(o);
        for (int32_t k = 0; k < a->count[c]; k++) {
            const double *v = a->xy + 2 * (a->start[c] + k);
            contour_point(o, v[0] + dx, v[1] + dy);
        }
    }
}

static void fill_insides(mk_out *o, const poly2 *a, const poly2 *b) {
    for (int32_t c = 0; c < b->ncontours; c++) {
        if (b->count[c] == 0 || !(poly2_contour_area2(b, c) >= 0)) continue;
        const double *d = b->xy + 2 * b->start[c];
        add_translated(o, a, d[0], d[1]);
    }
}

poly2 *poly2_minkowski(facet_ctx *ctx, poly2 *const *ps, int n) {
    if (n <= 0) return poly2_empty(ctx);
    if (n == 1) return poly2_clone(ctx, ps[0]);
    double scale = poly2_grid_scale(ps, n);
    uint32_t color = ps[0]->color;
    poly2 *lhs = on_grid(ctx, ps[0], scale);
    for (int i = 1; i < n; i++) {
        poly2 *rhs = on_grid(ctx, ps[i], scale);
        mk_out o = {ctx, poly2_new(ctx, 0, 0), 0, 0, 0};
        for (int32_t rc = 0; rc < rhs->ncontours; rc++) {
            const double *path = rhs->xy + 2 * rhs->start[rc];
            int32_t pn = rhs->count[rc];
            for (int32_t lc = 0; lc < lhs->ncontours; lc++) {
                const double *poly = lhs->xy + 2 * lhs->start[lc];
                int32_t qn = lhs->count[lc];
                for (int32_t a = 0; a < pn; a++) {
                    const double *p0 = path + 2 * a, *p1 = path + 2 * ((a + 1) % pn);
                    for (int32_t b = 0; b < qn; b++) {
                        const double *q0 = poly + 2 * b, *q1 = poly + 2 * ((b + 1) % qn);
                        double quad[8] = {p0[0] + q0[0], p0[1] + q0[1], p1[0] + q0[0], p1[1] + q0[1],
                                          p1[0] + q1[0], p1[1] + q1[1], p0[0] + q1[0], p0[1] + q1[1]};
                        double a2 = 0;
                        for (int e = 0; e < 4; e++) {
                            int f = (e + 1) % 4;
                            a2 += quad[2 * e] * quad[2 * f + 1] - quad[2 * f] * quad[2 * e + 1];
                        }
                        if (a2 == 0) continue;
                        contour_begin(&o);
                        for (int e = 0; e < 4; e++) {
                            int k = a2 > 0 ? e : 3 - e;
                            contour_point(&o, quad[2 * k], quad[2 * k + 1]);
                        }
                    }
                    fc_tick(ctx);
                }
            }
        }
        fill_insides(&o, lhs, rhs);
        fill_insides(&o, rhs, lhs);
        poly2 *const one[1] = {o.p};
        int flags = i == n - 1 ? POLY2_TOLERANCE_CLEAN : 0;
        poly2 *sum = poly2_boolean_fill(ctx, one, 1, BOOL_UNION, POLY2_NONZERO, flags);
        poly2_free(ctx, o.p);
        poly2_free(ctx, rhs);
        poly2_free(ctx, lhs);
        lhs = sum;
    }
    lhs->color = color;
    return lhs;
}
