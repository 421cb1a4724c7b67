/*
 * mesh.h — the triangle mesh every 3D stage exchanges: structure of arrays, halfedges.
 *
 * Triangle t owns halfedges 3t, 3t+1, 3t+2; halfedge h starts at vertex tri[h] and ends at
 * tri[3*(h/3) + (h%3+1)%3]. Triangles are counter-clockwise seen from outside. `pair[h]` is
 * the opposite halfedge when the topology has been built (mesh_build_pairs), otherwise NULL.
 * A mesh produced by a geometry operation is a closed, oriented 2-manifold unless its
 * `manifold` flag says otherwise (a polyhedron() the user got wrong, say).
 *
 * `color[t]` is the RGBA color of triangle t (0xRRGGBBAA), 0 meaning "no color"; the array
 * is NULL when no triangle has a color. Booleans carry each output triangle's color over from
 * the input triangle it came from, so color() survives CSG for 3MF and the viewer.
 *
 * All arrays are allocated with the context allocator; mesh_free releases them.
 */
#ifndef FC_MESH_H
#define FC_MESH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

typedef struct mesh {
    int32_t nv, nt;
    double *pos;     /* 3*nv coordinates */
    int32_t *tri;    /* 3*nt vertex indices (start vertex of each halfedge) */
    int32_t *pair;   /* 3*nt opposite halfedges, or NULL */
    uint32_t *color; /* nt colors, or NULL */
    double eps;      /* the kernel's precision for this mesh (KERNEL.md §8), 0 = not set */
    bool manifold;   /* known to be a closed oriented 2-manifold */
    bool compact;    /* known: every vertex is used by a triangle (the kernel's output), so
                      * mesh_bbox can read the vertices instead of every triangle corner */
} mesh;

/* The halfedge after h in its triangle. */
static inline int32_t mesh_next_he(int32_t h) { return h - h % 3 + (h % 3 == 2 ? 0 : h % 3 + 1); }

mesh *mesh_new(facet_ctx *ctx, int32_t nv, int32_t nt); /* arrays allocated, contents undefined */
mesh *mesh_empty(facet_ctx *ctx);
mesh *mesh_clone(facet_ctx *ctx, const mesh *m);
void mesh_free(facet_ctx *ctx, mesh *m);
/* Moves every array of m (and m) to the keep pool / back to the render pool. */
void mesh_keep(facet_ctx *ctx, mesh *m);
void mesh_unkeep(facet_ctx *ctx, mesh *m);
size_t mesh_bytes(const mesh *m);

/* Applies a 4x4 row-major affine matrix (m[12..15] = 0 0 0 1); a mirroring matrix
 * (negative determinant) also reverses every triangle so the mesh stays outward-facing. */
void mesh_transform(mesh *m, const double mat[16]);
/* Sets every triangle's color (0 removes colors). */
void mesh_set_color(facet_ctx *ctx, mesh *m, uint32_t rgba);
/* Concatenates meshes without any boolean (for disjoint operands). */
mesh *mesh_concat(facet_ctx *ctx, mesh *const *ms, int n);

/* Invariants and measures. */
void mesh_bbox(const mesh *m, double lo[3], double hi[3]); /* +inf/-inf when empty */
double mesh_volume(const mesh *m);                         /* signed, divergence theorem */
double mesh_area(const mesh *m);
/* Builds `pair` by matching each halfedge a->b with b->a; returns false (pair left NULL)
 * when some edge is not shared by exactly two opposite halfedges. */
bool mesh_build_pairs(facet_ctx *ctx, mesh *m);
/* Closed oriented 2-manifold check (pairs, orientation, no pinched vertices). */
bool mesh_is_manifold(facet_ctx *ctx, mesh *m);
/* Euler characteristic V - E + F over the vertices actually used, and genus per component
 * sum: genus = (2*components - chi) / 2. A mesh with pairs and `manifold` set (the verdict of
 * mesh_is_manifold) counts its edges as half its halfedges, without the sort. */
long mesh_euler(facet_ctx *ctx, const mesh *m);
long mesh_genus(facet_ctx *ctx, mesh *m);
/* Every connected component encloses a positive volume (faces wind outward). */
bool mesh_outward(facet_ctx *ctx, mesh *m);
/* Both from one pass over the components (either pointer may be NULL). */
void mesh_topology(facet_ctx *ctx, mesh *m, long *genus, bool *outward);

#endif
