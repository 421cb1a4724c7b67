/*
 * poly2.c — the 2D shape container: allocation, pools, transform and measures.
 *
 * A poly2 and its three arrays are separate context blocks so that keep/unkeep can move
 * them between pools one by one; an empty shape has NULL arrays.
 */
#include "geom/poly2.h"

#include <math.h>
#include <string.h>

poly2 *poly2_new(facet_ctx *ctx, int32_t ncontours, int32_t npoints) {
    poly2 *p = fc_calloc(ctx, 1, sizeof *p);
    p->ncontours = ncontours;
    p->npoints = npoints;
    if (ncontours > 0) {
        p->start = fc_calloc(ctx, (size_t)ncontours, sizeof *p->start);
        p->count = fc_calloc(ctx, (size_t)ncontours, sizeof *p->count);
    }
    if (npoints > 0) p->xy = fc_calloc(ctx, (size_t)npoints, 2 * sizeof *p->xy);
    return p;
}

poly2 *poly2_empty(facet_ctx *ctx) { return poly2_new(ctx, 0, 0); }

poly2 *poly2_clone(facet_ctx *ctx, const poly2 *p) {
    poly2 *q = poly2_new(ctx, p->ncontours, p->npoints);
    if (p->ncontours > 0) {
        memcpy(q->start, p->start, (size_t)p->ncontours * sizeof *p->start);
        memcpy(q->count, p->count, (size_t)p->ncontours * sizeof *p->count);
    }
    if (p->npoints > 0) memcpy(q->xy, p->xy, (size_t)p->npoints * 2 * sizeof *p->xy);
    q->color = p->color;
    return q;
}

void poly2_free(facet_ctx *ctx, poly2 *p) {
    if (!p) return;
    fc_free(ctx, p->start);
    fc_free(ctx, p->count);
    fc_free(ctx, p->xy);
    fc_free(ctx, p);
}

void poly2_keep(facet_ctx *ctx, poly2 *p) {
    if (p->start) fc_keep(ctx, p->start);
    if (p->count) fc_keep(ctx, p->count);
    if (p->xy) fc_keep(ctx, p->xy);
    fc_keep(ctx, p);
}

void poly2_unkeep(facet_ctx *ctx, poly2 *p) {
    if (p->start) fc_unkeep(ctx, p->start);
    if (p->count) fc_unkeep(ctx, p->count);
    if (p->xy) fc_unkeep(ctx, p->xy);
    fc_unkeep(ctx, p);
}

size_t poly2_bytes(const poly2 *p) {
    return sizeof *p + (size_t)p->ncontours * 2 * sizeof(int32_t) +
           (size_t)p->npoints * 2 * sizeof(double);
}

void poly2_transform(poly2 *p, const double m[16]) {
    for (int32_t i = 0; i < p->npoints; i++) {
        double x = p->xy[2 * i], y = p->xy[2 * i + 1];
        p->xy[2 * i] = m[0] * x + m[1] * y + m[3];
        p->xy[2 * i + 1] = m[4] * x + m[5] * y + m[7];
    }
    /* A mirror turns counter-clockwise outlines clockwise: reverse each contour so outer
     * contours stay CCW and the shape keeps its meaning under the non-zero rule. */
    if (m[0] * m[5] - m[1] * m[4] < 0) {
        for (int32_t c = 0; c < p->ncontours; c++) {
            double *a = p->xy + 2 * p->start[c];
            for (int32_t i = 0, j = p->count[c] - 1; i < j; i++, j--) {
                double tx = a[2 * i], ty = a[2 * i + 1];
                a[2 * i] = a[2 * j];
                a[2 * i + 1] = a[2 * j + 1];
                a[2 * j] = tx;
                a[2 * j + 1] = ty;
            }
        }
    }
}

double poly2_contour_area2(const poly2 *p, int32_t c) {
    const double *a = p->xy + 2 * (size_t)p->start[c];
    double s = 0;
    for (int32_t i = 0, n = p->count[c]; i < n; i++) {
        int32_t j = (i + 1) % n;
        s += a[2 * i] * a[2 * j + 1] - a[2 * j] * a[2 * i + 1];
    }
    return s;
}

double poly2_area(const poly2 *p) {
    double total = 0;
    for (int32_t c = 0; c < p->ncontours; c++) {
        const double *a = p->xy + 2 * p->start[c];
        int32_t n = p->count[c];
        if (n < 3) continue;
        /* shoelace relative to the first point: less cancellation far from the origin */
        double s = 0, x0 = a[0], y0 = a[1];
        for (int32_t i = 1; i + 1 < n; i++)
            s += (a[2 * i] - x0) * (a[2 * i + 3] - y0) - (a[2 * i + 2] - x0) * (a[2 * i + 1] - y0);
        total += 0.5 * s;
    }
    return total;
}

void poly2_bbox(const poly2 *p, double lo[2], double hi[2]) {
    lo[0] = lo[1] = INFINITY;
    hi[0] = hi[1] = -INFINITY;
    for (int32_t i = 0; i < p->npoints; i++) {
        for (int k = 0; k < 2; k++) {
            double v = p->xy[2 * i + k];
            if (v < lo[k]) lo[k] = v;
            if (v > hi[k]) hi[k] = v;
        }
    }
}
