/*
 * import_mesh.h — building a mesh from the vertices and faces a file lists (private to
 * the STL, OFF and OBJ readers).
 *
 * Vertices with exactly equal coordinates are welded (-0 equals 0) in order of first
 * appearance, so the result does not depend on anything but the file. Faces with more
 * than three corners are triangulated in the plane they lie in (a fan when convex, ear
 * clipping otherwise). Faces that collapse to fewer than three distinct corners are
 * dropped. The finished mesh says in its `manifold` flag whether it is closed.
 */
#ifndef FC_IMPORT_MESH_H
#define FC_IMPORT_MESH_H

#include "geom/mesh.h"

typedef struct mesh_build {
    facet_ctx *ctx;
    double *pos;
    int32_t nv, capv;
    int32_t *slots; /* open-addressing table of vertex indices, -1 = empty */
    uint32_t nslots;
    int32_t *tri;
    int32_t nt, capt;
    uint32_t *color;
    int32_t capc;
    bool has_color;
} mesh_build;

void mb_init(mesh_build *b, facet_ctx *ctx);
int32_t mb_vertex(mesh_build *b, double x, double y, double z);
/* A face given by welded vertex indices; color 0 = none. */
void mb_face(mesh_build *b, const int32_t *idx, int n, uint32_t color);
/* The mesh (render pool); the builder is emptied. */
mesh *mb_finish(mesh_build *b);

#endif
