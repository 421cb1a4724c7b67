/*
 * prim_build.h — building a mesh polygon by polygon, as OpenSCAD builds a PolySet.
 *
 * Vertices are welded by exact coordinates (-0 equals +0) and numbered by first
 * appearance; polygons are triangulated as they arrive. Used by the primitives and by
 * anything else that produces OpenSCAD-style polygon soups (hull faces, imports).
 */
#ifndef FC_PRIM_BUILD_H
#define FC_PRIM_BUILD_H

#include <stdbool.h>

#include "geom/mesh.h"

typedef struct pbuild {
    facet_ctx *ctx;
    double *pos;        /* 3 per vertex */
    int32_t nv, capv;   /* capv counts vertices */
    int32_t *tri;
    int32_t nt, capt;   /* capt counts int32s (3 per triangle) */
    int32_t *slot;      /* open-addressing table of vertex indices, -1 = free */
    uint32_t mask;
} pbuild;

/* nv_hint/nt_hint: expected counts (tables are sized for them, growth is automatic). */
void pb_init(pbuild *b, facet_ctx *ctx, int32_t nv_hint, int32_t nt_hint);
/* The index of the vertex at (x, y, z), added when new. */
int32_t pb_vertex(pbuild *b, double x, double y, double z);
/* Adds a polygon of k vertex indices (counter-clockwise from outside): when `convex`, a
 * fan from its first vertex for up to four corners and a sweep along a projected axis
 * above (prim_build.c), ear clipping in its best-fit plane otherwise. Triangles
 * whose corners are not three distinct vertices are dropped. */
void pb_polygon(pbuild *b, const int32_t *idx, int k, bool convex);
/* The mesh (render pool); the builder's scratch is freed. Pairs are built and the
 * manifold flag set. */
mesh *pb_finish(pbuild *b);

/* Throws memory_limit when a primitive of nv vertices and nt triangles cannot fit in what
 * is left under the cap (checked before allocating anything). `what` names the primitive
 * in the message. */
void pb_check_size(facet_ctx *ctx, int64_t nv, int64_t nt, const char *what, int n,
                   fc_loc loc);

#endif
