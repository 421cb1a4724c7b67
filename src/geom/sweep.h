/*
 * sweep.h — triangulation of a convex polygon by a sweep along one axis.
 *
 * From the corner with the least u, the two chains towards the corner with the greatest u
 * advance in order of u, one triangle between them per step, so every triangle spans only
 * the band between neighbouring corners' u values. A fan from one corner (or ear clipping
 * one corner after another, which makes a fan) gives long thin triangles whose bounding
 * boxes all overlap near that corner, and a later boolean's broad phase then pairs every
 * edge crossing the face with half its triangles. Used for the convex faces of primitives
 * (prim_build.c) and convex extrusion caps (poly2_tri.c).
 */
#ifndef FC_SWEEP_H
#define FC_SWEEP_H

#include <stdint.h>

/* Corners 0..k-1 (k > 3) of a convex polygon in order, at uv[2i], uv[2i+1]: writes the
 * k - 2 triangles as corner numbers into tri[0 .. 3(k-2)), each in the polygon's own
 * cyclic order (so with its orientation). Ties in u are broken by v. */
void sweep_convex(const double *uv, int32_t k, int32_t *tri);

#endif
