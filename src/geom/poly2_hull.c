/*
 * poly2_hull.c — hull() of 2D shapes: the convex hull of every vertex of every operand.
 *
 * Andrew's monotone chain over the points sorted by (x, y), with the exact orientation
 * predicate deciding each turn, so collinear and duplicate points never produce a spike or
 * a zero-length edge: only strict left turns are kept, and the result is one
 * counter-clockwise contour (empty when the points span no area), as OpenSCAD's hull of
 * 2D children is.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/poly2_ops.h"
#include "geom/pred.h"

static int cmp_pt(const void *pa, const void *pb) {
    const double *a = pa, *b = pb;
    if (a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
    if (a[1] != b[1]) return a[1] < b[1] ? -1 : 1;
    return 0;
}

poly2 *poly2_hull(facet_ctx *ctx, poly2 *const *ps, int n) {
    int64_t total = 0;
    uint32_t color = 0;
    for (int i = 0; i < n; i++)
        if (ps[i]) {
            total += ps[i]->npoints;
            if (!color) color = ps[i]->color;
        }
    if (total < 3) return poly2_empty(ctx);
    double *pt = fc_alloc(ctx, (size_t)total * 2 * sizeof *pt);
    int32_t m = 0;
    for (int i = 0; i < n; i++) {
        if (!ps[i]) continue;
        for (int32_t k = 0; k < ps[i]->npoints; k++) {
            double x = ps[i]->xy[2 * k], y = ps[i]->xy[2 * k + 1];
            if (!isfinite(x) || !isfinite(y)) continue;
            pt[2 * m] = x;
            pt[2 * m + 1] = y;
            m++;
        }
    }
    qsort(pt, (size_t)m, 2 * sizeof *pt, cmp_pt);
    int32_t *h = fc_alloc(ctx, (size_t)(2 * m + 2) * sizeof *h);
    int32_t k = 0;
    for (int32_t i = 0; i < m; i++) { /* lower hull */
        while (k >= 2 && pred_orient2d(pt + 2 * h[k - 2], pt + 2 * h[k - 1], pt + 2 * i) <= 0) k--;
        h[k++] = i;
    }
    for (int32_t i = m - 2, lo = k + 1; i >= 0; i--) { /* upper hull */
        while (k >= lo && pred_orient2d(pt + 2 * h[k - 2], pt + 2 * h[k - 1], pt + 2 * i) <= 0) k--;
        h[k++] = i;
    }
    k--; /* the last point repeats the first */
    poly2 *r;
    if (k < 3) {
        r = poly2_empty(ctx);
    } else {
        r = poly2_new(ctx, 1, k);
        r->count[0] = k;
        for (int32_t i = 0; i < k; i++) {
            r->xy[2 * i] = pt[2 * h[i]];
            r->xy[2 * i + 1] = pt[2 * h[i] + 1];
        }
    }
    r->color = color;
    fc_free(ctx, h);
    fc_free(ctx, pt);
    return r;
}
