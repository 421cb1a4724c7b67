/*
 * bool3_internal.h — shared state of the boolean kernel's stages (KERNEL.md).
 *
 * The public type `mesh` holds positions, triangles and pairs only. The kernel works on a
 * b3_mesh built from it: face normals, angle-weighted vertex pseudo-normals, canonical
 * edges (the halfedge whose start index is smaller), edge normals m_e = N_L + N_R, and a
 * BVH over triangle boxes. A binary boolean is a b3_state that the stages fill in turn:
 * intersections (bool3_intersect.c), winding numbers (bool3_winding.c), assembly of paired
 * polygonal faces (bool3_assemble.c), triangulation (bool3_triangulate.c) and cleanup
 * (bool3_simplify.c).
 */
#ifndef FC_BOOL3_INTERNAL_H
#define FC_BOOL3_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "geom/boolean3.h"
#include "geom/bvh.h"
#include "geom/mesh.h"

typedef struct b3_mesh {
    int32_t nv, nt, ne;
    const double *pos;
    const int32_t *tri;
    int32_t *pair;   /* 3*nt */
    double *fn;      /* 3*nt face normals */
    double *vn;      /* 3*nv vertex pseudo-normals, made on demand: read them through b3_vnx */
    uint8_t *vn_ok;  /* nv: vn[v] is made */
    int32_t *vfirst, *vhe; /* each vertex's outgoing halfedges, made with the first vn */
    double *acos_c, *acos_phi; /* the corner angles' memo, made with the first vn */
    int acos_shift;
    facet_ctx *ctx;  /* for those arrays */
    double *en;      /* 3*ne edge normals N_L + N_R */
    int32_t *edge;   /* ne: canonical halfedge of each edge */
    int32_t *hedge;  /* 3*nt: edge of each halfedge */
    int32_t *ev;     /* 2*ne: start and end vertex of each edge's canonical halfedge (the
                      * predicates' innermost loads, without the halfedge detour) */
    const uint32_t *color;
    bvh tree;
    double lo[3], hi[3];
    double eps;
} b3_mesh;

/* The halfedges after and before h in its triangle. One unsigned remainder and a select:
 * these run in every inner loop of the kernel, and 3 * (h / 3) + (h % 3 + 1) % 3 costs
 * two divisions' worth of multiplies. */
static inline int b3_next(int h) { return (unsigned)h % 3u == 2u ? h - 2 : h + 1; }
static inline int b3_prev(int h) { return (unsigned)h % 3u == 0u ? h + 2 : h - 1; }

/* A non-zero crossing of an edge of one operand with a triangle of the other. */
typedef struct b3_rec {
    int32_t edge, tri, x;
    double p[3];
} b3_rec;

/* One remembered S11 result (bool3_predicates.c): valid while `stamp` is the edge whose
 * crossings are being collected. */
typedef struct b3_s11memo {
    int32_t stamp;
    int8_t has, k;
    double out[4];
} b3_s11memo;

/* One remembered S02 (or S02r) result: vertex v against triangle t. */
typedef struct b3_s02memo {
    int32_t v, t; /* v = -1: empty */
    int8_t has, k, shadow; /* shadow: the sum before the z test */
    double z;
} b3_s02memo;

typedef struct b3_state {
    facet_ctx *ctx;
    const b3_mesh *P, *Q;
    double sigma; /* +2 union (P grows), -2 difference and intersection (P shrinks) */
    bool_op op;
    b3_rec *r12; /* P edges x Q triangles, sorted by (edge, tri) */
    int n12;
    b3_rec *r21; /* Q edges x P triangles */
    int n21;
    int32_t *w03; /* winding number of each P vertex with respect to Q */
    int32_t *w30; /* of each Q vertex with respect to P */
    /* While the crossings of one edge are collected, its S11 with each edge of the other
     * operand is asked once per triangle on that edge (twice, when both are candidates):
     * memo12 is indexed by Q edge (stamp: the P edge), memo21 by P edge (stamp: the Q
     * edge); NULL outside b3_intersect. */
    b3_s11memo *memo12, *memo21;
    /* S02 of an edge's end against a triangle is asked again for every edge at that end
     * the triangle is a candidate of: a direct-mapped cache of (vertex, triangle), for
     * the direction being collected (cleared in between); NULL outside b3_intersect. */
    b3_s02memo *memo02;
    uint32_t mask02;
    double gap; /* b3_apart_xy's margin: 2^-30 of the largest coordinate of P and Q */
} b3_state;

/* Polygonal faces with paired halfedges, the output of assembly. Face f owns halfedge
 * slots [off[f], off[f+1]); halfedge h runs hs[h] -> he[h] and hp[h] is its partner. */
typedef struct b3_faces {
    int32_t nf, nh, nv, first_new;
    int32_t *off;
    int32_t *hs, *he, *hp;
    int32_t *src;     /* per face: source triangle, P triangles as t, Q as nt_P + t */
    double *normal;   /* 3 per face: source normal, negated for Q in a difference */
    double *pos;      /* 3*nv output vertex positions */
} b3_faces;

/* Triangles with partners, the output of triangulation. */
typedef struct b3_tris {
    int32_t nt, nv, first_new;
    int32_t *tri, *pair, *src;
    double *pos;
} b3_tris;

/* bool3_apart.c: the result when the operands' surfaces are clearly apart (one inside or
 * outside the other), found in linear time; NULL when the kernel must decide. */
mesh *b3_apart(facet_ctx *ctx, const mesh *a, const mesh *b, bool_op op);

/* bool3_prep.c */
void b3_mesh_init(facet_ctx *ctx, b3_mesh *b, const mesh *m);
void b3_mesh_free(facet_ctx *ctx, b3_mesh *b);
void b3_vn_make(const b3_mesh *b, int v);

/* The x component of vertex v's pseudo-normal (the only one the predicates read). */
static inline double b3_vnx(const b3_mesh *b, int v) {
    if (!b->vn_ok[v]) b3_vn_make(b, v);
    return b->vn[3 * v];
}

/* bool3_predicates.c: the symbolic-perturbation predicates (KERNEL.md §2-3). */
int b3_x12(const b3_state *s, int f, int t, double p[3]);
int b3_x21(const b3_state *s, int g, int u, double p[3]);
int b3_s02(const b3_state *s, int a, int t, double *z, bool *has);
int b3_s02r(const b3_state *s, int b, int u, double *z, bool *has);
/* True when edge g (of Q when r, else of P) and triangle t of the other operand lie in one
 * horizontal plane and X12 / X21 of them is 0, decided from fewer terms (see the file). */
bool b3_flat_zero(const b3_state *s, bool r, int g, int t);

/* bool3_intersect.c and bool3_winding.c */
void b3_intersect(b3_state *s);
void b3_winding(b3_state *s);

/* bool3_assemble.c */
void b3_assemble(const b3_state *s, b3_faces *out);

/* bool3_triangulate.c: eps is the operands' precision. */
void b3_triangulate(facet_ctx *ctx, const b3_faces *f, double eps, b3_tris *out);

/* bool3_simplify.c: collapses short edges at new vertices, keeps the mesh manifold. */
void b3_simplify(facet_ctx *ctx, b3_tris *t, double eps);

/* Precision of a mesh (KERNEL.md §8). */
double b3_mesh_eps(const mesh *m);

#endif
