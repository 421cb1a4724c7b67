/*
 * import_fill.h — turning drawn contours into a poly2 under a fill rule (private to the
 * SVG and DXF readers).
 *
 * poly2 and the 2D booleans use the non-zero rule. A drawing filled under the even-odd
 * rule is converted by the 2D boolean engine run with the even-odd rule: its clean result
 * (outer contours counter-clockwise, holes clockwise) has the same fill under non-zero.
 * Under the non-zero rule the contours are kept as drawn.
 */
#ifndef FC_IMPORT_FILL_H
#define FC_IMPORT_FILL_H

#include "geom/poly2.h"

typedef enum fill_rule { FILL_NONZERO, FILL_EVENODD } fill_rule;

typedef struct fill_contours {
    facet_ctx *ctx;
    double *xy;
    int32_t npts, cappts;
    int32_t *start, *count;
    int32_t ncont, capstart, capcount;
    int32_t cur; /* first point of the open contour */
} fill_contours;

void fill_init(fill_contours *f, facet_ctx *ctx);
void fill_begin(fill_contours *f);
/* Adds a point (repeats of the previous point are dropped). */
void fill_point(fill_contours *f, double x, double y);
/* Closes the contour (a repeat of its first point is dropped; fewer than three points
 * drop the contour). */
void fill_end(fill_contours *f);
/* The contours as one operand whose non-zero fill is their fill under `rule` (not yet
 * cleaned); the builder is emptied. */
poly2 *fill_operand(fill_contours *f, fill_rule rule);
/* fill_operand cleaned by a 2D union. */
poly2 *fill_finish(fill_contours *f, fill_rule rule);

#endif
