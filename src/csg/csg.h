/*
 * csg.h — the CSG tree: what evaluation produces and the geometry stage consumes.
 *
 * Evaluating a model turns module instantiations into csg_nodes: primitives with their
 * resolved parameters (fragment counts already computed from $fn/$fa/$fs where they depend
 * only on the node's own parameters), transforms as 4x4 matrices, and operations with
 * children. Nothing here refers to the AST or to values, so a node and its structural hash
 * mean the same thing across renders; csg_render() caches meshes by that hash.
 *
 * Nodes live in the render pool. Arrays inside nodes (points, faces, strings) too.
 */
#ifndef FC_CSG_H
#define FC_CSG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

typedef enum csg_kind {
    CSG_EMPTY,      /* nothing (e.g. a disabled or failed child) */
    /* 3D primitives */
    CSG_CUBE,
    CSG_SPHERE,
    CSG_CYLINDER,
    CSG_POLYHEDRON,
    /* 2D primitives */
    CSG_SQUARE,
    CSG_CIRCLE,
    CSG_POLYGON,
    CSG_TEXT,
    /* file-based */
    CSG_IMPORT,
    CSG_SURFACE,
    /* unary wrappers */
    CSG_TRANSFORM, /* multmatrix and everything that reduces to it */
    CSG_COLOR,
    CSG_RESIZE,
    /* operations over children */
    CSG_UNION,     /* union(), group(), render(), implicit unions, module instances */
    CSG_DIFFERENCE,
    CSG_INTERSECTION,
    CSG_HULL,
    CSG_MINKOWSKI,
    CSG_LINEAR_EXTRUDE,
    CSG_ROTATE_EXTRUDE,
    CSG_PROJECTION,
    CSG_OFFSET,
    CSG_KIND_COUNT
} csg_kind;

/* $fn/$fa/$fs as seen by a node, for stages that compute fragment counts from geometry
 * only known later (offset, extrusions, text, import of DXF circles). */
typedef struct csg_frag {
    double fn, fa, fs;
} csg_frag;

typedef struct csg_node csg_node;

struct csg_node {
    csg_kind kind;
    fc_loc loc;        /* where the module was instantiated */
    uint64_t hash;     /* structural hash (csg_hash), 0 until computed */
    bool highlight;    /* # modifier: rendered, shown highlighted by viewers */
    bool background;   /* % modifier: not part of the result */
    int nchildren;
    csg_node **children;
    union {
        struct { double size[3]; bool center; } cube;
        struct { double r; int n; } sphere;                     /* n fragments */
        struct { double h, r1, r2; bool center; int n; } cylinder;
        struct {
            double *points;   /* 3*npoints */
            int32_t npoints;
            int32_t *indices; /* faces back to back */
            int32_t *counts;  /* vertices per face */
            int32_t nfaces;
            int convexity;
        } polyhedron;
        struct { double size[2]; bool center; } square;
        struct { double r; int n; } circle;
        struct {
            double *points; /* 2*npoints */
            int32_t npoints;
            int32_t *indices; /* paths back to back, or NULL: one path over all points */
            int32_t *counts;
            int32_t npaths;
            int convexity;
        } polygon;
        struct {
            const char *text; /* UTF-8 */
            double size, spacing;
            const char *font, *halign, *valign, *direction, *language, *script;
            csg_frag frag;
        } text;
        struct {
            const char *path;   /* resolved path (what the host's read_file gets) */
            const char *format; /* "stl", "off", "obj", "svg", "dxf", "3mf" (from extension) */
            const char *layer;  /* DXF layer or NULL */
            double origin[2], scale, dpi;
            bool center;
            int convexity;
            csg_frag frag;
            uint64_t content; /* hash of the file's bytes when evaluated (0: unreadable) */
        } import;
        struct {
            const char *path;
            bool center, invert;
            int convexity;
            uint64_t content; /* hash of the file's bytes when evaluated (0: unreadable) */
        } surface;
        struct { double m[16]; } transform; /* row-major 4x4 */
        struct { uint32_t rgba; } color;    /* 0xRRGGBBAA */
        struct { double size[3]; bool autosize[3]; } resize;
        struct {
            double height, twist, scale[2];
            int slices, segments; /* 0 = derive from twist / $fn like OpenSCAD */
            bool center, has_slices, has_segments;
            int convexity;
            csg_frag frag;
        } linear_extrude;
        struct { double angle; int convexity; csg_frag frag; } rotate_extrude;
        struct { bool cut; int convexity; } projection;
        struct {
            double r, delta; /* exactly one used: round joins when use_r */
            bool use_r, chamfer;
            csg_frag frag;
        } offset;
        struct { int convexity; } op; /* union/difference/intersection/hull/minkowski */
    } u;
};

csg_node *csg_new(facet_ctx *ctx, csg_kind kind, fc_loc loc);
void csg_add_child(facet_ctx *ctx, csg_node *parent, csg_node *child);
const char *csg_kind_name(csg_kind kind);
/* Computes node->hash (and the hashes of children not yet hashed). */
uint64_t csg_hash(csg_node *node);

#endif
