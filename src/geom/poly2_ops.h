/*
 * poly2_ops.h — 2D operations: booleans on a fixed-point grid, offset, hull, minkowski,
 * triangulation, extrusion to 3D and projection of 3D to 2D.
 * Results are new objects in the render pool; inputs are unchanged.
 */
#ifndef FC_POLY2_OPS_H
#define FC_POLY2_OPS_H

#include "csg/csg.h"
#include "geom/boolean3.h"
#include "geom/mesh.h"
#include "geom/poly2.h"

/* Union/intersection of all, or ps[0] minus the others (non-zero fill for every operand).
 * n == 1 with BOOL_UNION cleans a raw polygon (self-intersections resolved). */
poly2 *poly2_boolean(facet_ctx *ctx, poly2 *const *ps, int n, bool_op op);
/* polygon()'s raw paths cleaned as OpenSCAD 2021.01 fills them: under the even-odd rule (a
 * path inside another is a hole whatever its orientation; a self-intersecting star has an
 * empty centre). The geometry stage applies this to a CSG_POLYGON leaf, so that later 2D
 * operations see a clean shape. As OpenSCAD's sanitising does, the vertices are snapped to
 * the 2^-16 grid and cleaned (poly2_grid.h). */
poly2 *poly2_clean_evenodd(facet_ctx *ctx, const poly2 *p);
/* offset(r = ...) when use_r (round joins, fragments from frag), else offset(delta = ...)
 * with miter joins or chamfer. */
poly2 *poly2_offset(facet_ctx *ctx, const poly2 *p, double amount, bool use_r, bool chamfer,
                    csg_frag frag);
poly2 *poly2_hull(facet_ctx *ctx, poly2 *const *ps, int n);
poly2 *poly2_minkowski(facet_ctx *ctx, poly2 *const *ps, int n);
/* Triangulates a clean polygon with holes: *tris gets 3*ntris indices into p's points. */
int32_t poly2_triangulate(facet_ctx *ctx, const poly2 *p, int32_t **tris);

/* Turns the counter-clockwise triangles tri[0..3nt) over points xy (2 doubles each) into
 * the constrained Delaunay triangulation of the same region by edge flips (poly2_flip.c);
 * triangles stay counter-clockwise, edges used by one triangle stay. */
void poly2_delaunay_flips(facet_ctx *ctx, const double *xy, int32_t *tri, int32_t nt);

mesh *extrude_linear(facet_ctx *ctx, const poly2 *p, double height, bool center, double twist,
                     int slices, bool has_slices, int segments, const double scale[2],
                     csg_frag frag);
mesh *extrude_rotate(facet_ctx *ctx, const poly2 *p, double angle, csg_frag frag, fc_loc loc);
poly2 *project_mesh(facet_ctx *ctx, const mesh *m, bool cut);

#endif
