/*
 * boolean3.h — robust 3D booleans on closed oriented manifolds (KERNEL.md), hull and
 * minkowski. Every function returns a new closed, oriented 2-manifold in the render pool
 * and leaves its inputs unchanged; triangle colors are carried over from the input
 * triangle each output triangle came from.
 */
#ifndef FC_BOOLEAN3_H
#define FC_BOOLEAN3_H

#include "geom/mesh.h"

typedef enum bool_op { BOOL_UNION, BOOL_DIFFERENCE, BOOL_INTERSECTION } bool_op;

/* a op b */
mesh *bool3(facet_ctx *ctx, const mesh *a, const mesh *b, bool_op op);
/* Union / intersection of all; difference = ms[0] minus the union of the others.
 * Flattening, disjoint-box concatenation and reduction order are decided inside. */
mesh *bool3_nary(facet_ctx *ctx, mesh *const *ms, int n, bool_op op);
/* Convex hull of points (3*n doubles), robust to coplanar and duplicate points; a
 * degenerate (flat) hull gives an empty mesh. */
mesh *hull3_points(facet_ctx *ctx, const double *pts, int n);
/* Minkowski sum of all operands. */
mesh *minkowski3(facet_ctx *ctx, mesh *const *ms, int n);

#endif
