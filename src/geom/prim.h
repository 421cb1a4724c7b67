/*
 * prim.h — primitives tessellated exactly as OpenSCAD 2021.01 tessellates them.
 *
 * 3D primitives are built the way OpenSCAD builds its PolySet: the same polygons in the
 * same order with the same vertex order inside each polygon (OpenSCAD prepends vertices of
 * some polygons, which reverses them; so do we). Vertices with equal coordinates are welded
 * and numbered by first appearance, which is the vertex order OpenSCAD's own OFF export
 * shows; each polygon becomes a fan of triangles from its first vertex (polyhedron faces,
 * which may be non-convex, are ear-clipped instead). Coordinates come from the degree-exact
 * sine and cosine (core/degtrig.h): circle vertex j is at 360*j/n degrees; sphere ring i of
 * R = (n+1)/2 is at polar angle 180*(i+0.5)/R.
 *
 * Fragment counts are passed in (the CSG node carries them, computed by geom_fragments);
 * a count the allocator cannot afford fails with memory_limit BEFORE anything is allocated.
 * Degenerate sizes (zero, negative, NaN, infinite) give empty geometry, as in OpenSCAD.
 * Every mesh returned is in the render pool, closed and outward-facing, with `pair` built,
 * except a polyhedron the user got wrong (its `manifold` flag is then false).
 */
#ifndef FC_PRIM_H
#define FC_PRIM_H

#include <stdbool.h>

#include "csg/csg.h"
#include "geom/geo.h"

mesh *prim_cube(facet_ctx *ctx, const double size[3], bool center);
mesh *prim_sphere(facet_ctx *ctx, double r, int n, fc_loc loc);
mesh *prim_cylinder(facet_ctx *ctx, double h, double r1, double r2, bool center, int n,
                    fc_loc loc);
/* Faces follow OpenSCAD's convention (clockwise seen from outside); `indices` holds the
 * faces back to back, `counts` their sizes. Out-of-range indices are skipped with
 * OpenSCAD's warning "Point index N is out of bounds (from faces[F][J])"; a non-finite
 * point logs OpenSCAD's error and ends the polyhedron there. Faces given with mixed
 * orientation are re-oriented consistently, and a closed polyhedron given inside out is
 * turned right side out. */
mesh *prim_polyhedron(facet_ctx *ctx, const double *points, int32_t npoints,
                      const int32_t *indices, const int32_t *counts, int32_t nfaces,
                      fc_loc loc);

/* 2D primitives: raw contours (not cleaned), counter-clockwise for square and circle. */
poly2 *prim_square(facet_ctx *ctx, const double size[2], bool center);
poly2 *prim_circle(facet_ctx *ctx, double r, int n, fc_loc loc);
/* indices == NULL or npaths == 0: one contour over all points (none when fewer than 3
 * points), as OpenSCAD does; otherwise one contour per path, out-of-range indices skipped
 * with OpenSCAD's warning "Point index N is out of bounds (from paths[P][J])". */
poly2 *prim_polygon(facet_ctx *ctx, const double *points, int32_t npoints,
                    const int32_t *indices, const int32_t *counts, int32_t npaths, fc_loc loc);

/* The geometry of a primitive node (CSG_CUBE ... CSG_POLYGON); geo_empty() for others. */
geo prim_geometry(facet_ctx *ctx, const csg_node *node);

#endif
