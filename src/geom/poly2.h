/*
 * poly2.h — 2D geometry as the stages exchange it: a set of closed contours.
 *
 * Contours are stored back to back in `xy` (2 doubles per point); contour c has
 * `count[c]` points starting at point `start[c]`. The set is a polygon with holes under the
 * non-zero fill rule: outer contours are counter-clockwise, holes clockwise. Results of 2D
 * operations are "clean" (no self-intersections, no zero-length edges); raw input from
 * polygon() may be anything until it went through a 2D union (poly2_clean).
 */
#ifndef FC_POLY2_H
#define FC_POLY2_H

#include <stdint.h>

#include "core/ctx.h"

typedef struct poly2 {
    int32_t ncontours, npoints;
    int32_t *start, *count; /* ncontours each */
    double *xy;             /* 2*npoints */
    uint32_t color;         /* 0 = none */
} poly2;

poly2 *poly2_new(facet_ctx *ctx, int32_t ncontours, int32_t npoints);
poly2 *poly2_empty(facet_ctx *ctx);
poly2 *poly2_clone(facet_ctx *ctx, const poly2 *p);
void poly2_free(facet_ctx *ctx, poly2 *p);
void poly2_keep(facet_ctx *ctx, poly2 *p);
void poly2_unkeep(facet_ctx *ctx, poly2 *p);
size_t poly2_bytes(const poly2 *p);
/* Applies the 2D part of a 4x4 matrix (x' = m0 x + m1 y + m3, y' = m4 x + m5 y + m7);
 * reverses contours when the determinant is negative. */
void poly2_transform(poly2 *p, const double mat[16]);
double poly2_area(const poly2 *p); /* signed sum over contours */
/* Twice the signed area of contour c (shoelace about the origin; positive when
 * counter-clockwise). */
double poly2_contour_area2(const poly2 *p, int32_t c);
void poly2_bbox(const poly2 *p, double lo[2], double hi[2]);

#endif
