/*
 * geo.h — the result of rendering a CSG subtree: nothing, a 2D shape or a 3D mesh.
 */
#ifndef FC_GEO_H
#define FC_GEO_H

#include "geom/mesh.h"
#include "geom/poly2.h"

typedef struct geo {
    int dim;  /* 0 empty, 2, 3 */
    mesh *m;  /* dim 3 */
    poly2 *p; /* dim 2 */
} geo;

static inline geo geo_empty(void) { geo g = {0, 0, 0}; return g; }
static inline geo geo_mesh(mesh *m) { geo g = {3, m, 0}; return g; }
static inline geo geo_poly(poly2 *p) { geo g = {2, 0, p}; return g; }

#endif
