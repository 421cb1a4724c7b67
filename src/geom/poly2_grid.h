/*
 * poly2_grid.h — the fixed-point grid of the 2D booleans (private to src/geom/poly2*.c).
 *
 * Grid: 2^16 steps per unit (1/65536 mm). This is OpenSCAD 2021.01's ClipperUtils
 * CLIPPER_SCALE, and like OpenSCAD we convert by truncating toward zero, so 2D results carry
 * the same quantisation as OpenSCAD's (a 0.3 mm coordinate comes out 0.29998779 in both).
 * Coordinates are int64 and bounded by POLY2_GRID_MAX (2^46) so that differences fit in 47
 * bits and every orientation determinant fits exactly in a 128-bit integer; a drawing too
 * large for that bound at 2^16 is converted at a coarser power of two.
 *
 * The cleaning distance is OpenSCAD 2021.01's too: after a boolean with two or more
 * operands, an offset, a minkowski, and on every polygon() leaf, it removes vertices within
 * 1.415 grid steps (Clipper's default CleanPolygon distance, ~2.2e-5 mm) of a neighbour or
 * of the line through their neighbours. Measured with /usr/bin/openscad 2021.01: a vertex
 * 1 grid step off a line goes, 2 steps off stays; difference(){circle(5,$fn=360);
 * circle(1,$fn=4);} keeps all 364 DXF edges (a 0.001 mm distance would drop every other
 * vertex of that circle).
 */
#ifndef FC_POLY2_GRID_H
#define FC_POLY2_GRID_H

#include <stdint.h>

#include "geom/boolean3.h"
#include "geom/poly2.h"

#define POLY2_GRID_SCALE 65536.0
#define POLY2_GRID_MAX ((int64_t)1 << 46)
#define POLY2_CLEAN_DISTANCE (1.415 / POLY2_GRID_SCALE) /* mm; 1.415 steps at the usual scale */

typedef __int128 i128;

typedef struct ipt {
    int64_t x, y;
} ipt;

/* Twice the signed area of triangle abc (> 0 when counter-clockwise), exact. */
static inline i128 ipt_orient(ipt a, ipt b, ipt c) {
    return (i128)(b.x - a.x) * (c.y - a.y) - (i128)(b.y - a.y) * (c.x - a.x);
}

static inline int ipt_cmp(ipt a, ipt b) {
    if (a.x != b.x) return a.x < b.x ? -1 : 1;
    if (a.y != b.y) return a.y < b.y ? -1 : 1;
    return 0;
}

static inline int ipt_eq(ipt a, ipt b) { return a.x == b.x && a.y == b.y; }

/* How each operand's winding number decides "filled". */
typedef enum poly2_fill { POLY2_NONZERO, POLY2_EVENODD, POLY2_POSITIVE } poly2_fill;

enum {
    POLY2_TOLERANCE_CLEAN = 1, /* OpenSCAD's CleanPolygon on the result (POLY2_CLEAN_DISTANCE) */
    POLY2_KEEP_INPUT_XY = 2    /* output input vertices with their exact input doubles */
};

/* The boolean engine: union/intersection of all operands or ps[0] minus the others, each
 * operand filled under `fill`. */
poly2 *poly2_boolean_fill(facet_ctx *ctx, poly2 *const *ps, int n, bool_op op, poly2_fill fill,
                          int flags);

/* The grid scale that holds every coordinate of the operands (2^16 unless they are huge). */
double poly2_grid_scale(poly2 *const *ps, int n);

#endif
