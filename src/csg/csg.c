/*
 * csg.c — CSG node construction and the structural hash.
 *
 * The hash covers what determines a node's geometry: its kind, its resolved parameters,
 * its transform and its children's hashes (in order). Locations and the `#` highlight flag
 * are left out (they do not change the mesh), the `%` background flag is included because a
 * background child contributes nothing to its parent. Doubles go through fc_hash_double, so
 * -0 and +0 hash alike; strings and arrays are hashed with their lengths so that adjacent
 * fields cannot alias. Imported files are identified by their resolved path and a hash of
 * their bytes taken at evaluation time, so an edited file is not served from the cache.
 */
#include "csg/csg.h"

#include <string.h>

#include "core/hash.h"

csg_node *csg_new(facet_ctx *ctx, csg_kind kind, fc_loc loc) {
    csg_node *n = fc_calloc(ctx, 1, sizeof *n);
    n->kind = kind;
    n->loc = loc;
    return n;
}

void csg_add_child(facet_ctx *ctx, csg_node *parent, csg_node *child) {
    int cap = parent->nchildren;
    /* capacity is implicit: grow to the next power of two */
    int need = parent->nchildren + 1;
    if (parent->nchildren == 0 || (parent->nchildren & (parent->nchildren - 1)) == 0) {
        cap = parent->nchildren == 0 ? 1 : parent->nchildren * 2;
        if (cap < need) cap = need;
        parent->children = fc_realloc_array(ctx, parent->children, (size_t)cap, sizeof *parent->children);
    }
    parent->children[parent->nchildren++] = child;
    parent->hash = 0;
}

static const char *const kind_names[CSG_KIND_COUNT] = {
    [CSG_EMPTY] = "empty",
    [CSG_CUBE] = "cube",
    [CSG_SPHERE] = "sphere",
    [CSG_CYLINDER] = "cylinder",
    [CSG_POLYHEDRON] = "polyhedron",
    [CSG_SQUARE] = "square",
    [CSG_CIRCLE] = "circle",
    [CSG_POLYGON] = "polygon",
    [CSG_TEXT] = "text",
    [CSG_IMPORT] = "import",
    [CSG_SURFACE] = "surface",
    [CSG_TRANSFORM] = "multmatrix",
    [CSG_COLOR] = "color",
    [CSG_RESIZE] = "resize",
    [CSG_UNION] = "union",
    [CSG_DIFFERENCE] = "difference",
    [CSG_INTERSECTION] = "intersection",
    [CSG_HULL] = "hull",
    [CSG_MINKOWSKI] = "minkowski",
    [CSG_LINEAR_EXTRUDE] = "linear_extrude",
    [CSG_ROTATE_EXTRUDE] = "rotate_extrude",
    [CSG_PROJECTION] = "projection",
    [CSG_OFFSET] = "offset",
};

const char *csg_kind_name(csg_kind kind) {
    return (unsigned)kind < CSG_KIND_COUNT && kind_names[kind] ? kind_names[kind] : "unknown";
}

static uint64_t h_str(uint64_t h, const char *s) {
    if (!s) return fc_hash_u64(h, 0x5bd1e995u);
    return fc_hash_bytes(h, s, strlen(s));
}

static uint64_t h_doubles(uint64_t h, const double *d, size_t n) {
    h = fc_hash_u64(h, n);
    for (size_t i = 0; i < n; i++) h = fc_hash_double(h, d[i]);
    return h;
}

static uint64_t h_ints(uint64_t h, const int32_t *v, size_t n) {
    h = fc_hash_u64(h, n);
    for (size_t i = 0; v && i < n; i++) h = fc_hash_u64(h, (uint64_t)(uint32_t)v[i]);
    return h;
}

static uint64_t h_frag(uint64_t h, csg_frag f) {
    h = fc_hash_double(h, f.fn);
    h = fc_hash_double(h, f.fa);
    return fc_hash_double(h, f.fs);
}

static int32_t sum_counts(const int32_t *counts, int32_t n) {
    int64_t s = 0;
    for (int32_t i = 0; counts && i < n; i++) s += counts[i];
    return (int32_t)s;
}

/* The node's own parameters, without children. */
static uint64_t hash_params(const csg_node *n, uint64_t h) {
    switch (n->kind) {
    case CSG_EMPTY: break;
    case CSG_CUBE:
        h = h_doubles(h, n->u.cube.size, 3);
        h = fc_hash_u64(h, n->u.cube.center);
        break;
    case CSG_SPHERE:
        h = fc_hash_double(h, n->u.sphere.r);
        h = fc_hash_u64(h, (uint64_t)n->u.sphere.n);
        break;
    case CSG_CYLINDER:
        h = fc_hash_double(h, n->u.cylinder.h);
        h = fc_hash_double(h, n->u.cylinder.r1);
        h = fc_hash_double(h, n->u.cylinder.r2);
        h = fc_hash_u64(h, n->u.cylinder.center);
        h = fc_hash_u64(h, (uint64_t)n->u.cylinder.n);
        break;
    case CSG_POLYHEDRON:
        h = h_doubles(h, n->u.polyhedron.points, 3 * (size_t)n->u.polyhedron.npoints);
        h = h_ints(h, n->u.polyhedron.counts, (size_t)n->u.polyhedron.nfaces);
        h = h_ints(h, n->u.polyhedron.indices,
                   (size_t)sum_counts(n->u.polyhedron.counts, n->u.polyhedron.nfaces));
        h = fc_hash_u64(h, (uint64_t)n->u.polyhedron.convexity);
        break;
    case CSG_SQUARE:
        h = h_doubles(h, n->u.square.size, 2);
        h = fc_hash_u64(h, n->u.square.center);
        break;
    case CSG_CIRCLE:
        h = fc_hash_double(h, n->u.circle.r);
        h = fc_hash_u64(h, (uint64_t)n->u.circle.n);
        break;
    case CSG_POLYGON:
        h = h_doubles(h, n->u.polygon.points, 2 * (size_t)n->u.polygon.npoints);
        h = fc_hash_u64(h, n->u.polygon.indices != NULL);
        h = h_ints(h, n->u.polygon.counts, (size_t)n->u.polygon.npaths);
        h = h_ints(h, n->u.polygon.indices,
                   (size_t)sum_counts(n->u.polygon.counts, n->u.polygon.npaths));
        h = fc_hash_u64(h, (uint64_t)n->u.polygon.convexity);
        break;
    case CSG_TEXT:
        h = h_str(h, n->u.text.text);
        h = fc_hash_double(h, n->u.text.size);
        h = fc_hash_double(h, n->u.text.spacing);
        h = h_str(h, n->u.text.font);
        h = h_str(h, n->u.text.halign);
        h = h_str(h, n->u.text.valign);
        h = h_str(h, n->u.text.direction);
        h = h_str(h, n->u.text.language);
        h = h_str(h, n->u.text.script);
        h = h_frag(h, n->u.text.frag);
        break;
    case CSG_IMPORT:
        h = h_str(h, n->u.import.path);
        h = h_str(h, n->u.import.format);
        h = h_str(h, n->u.import.layer);
        h = h_doubles(h, n->u.import.origin, 2);
        h = fc_hash_double(h, n->u.import.scale);
        h = fc_hash_double(h, n->u.import.dpi);
        h = fc_hash_u64(h, n->u.import.center);
        h = fc_hash_u64(h, (uint64_t)n->u.import.convexity);
        h = h_frag(h, n->u.import.frag);
        h = fc_hash_u64(h, n->u.import.content);
        break;
    case CSG_SURFACE:
        h = h_str(h, n->u.surface.path);
        h = fc_hash_u64(h, n->u.surface.center);
        h = fc_hash_u64(h, n->u.surface.invert);
        h = fc_hash_u64(h, (uint64_t)n->u.surface.convexity);
        h = fc_hash_u64(h, n->u.surface.content);
        break;
    case CSG_TRANSFORM: h = h_doubles(h, n->u.transform.m, 16); break;
    case CSG_COLOR: h = fc_hash_u64(h, n->u.color.rgba); break;
    case CSG_RESIZE:
        h = h_doubles(h, n->u.resize.size, 3);
        for (int i = 0; i < 3; i++) h = fc_hash_u64(h, n->u.resize.autosize[i]);
        break;
    case CSG_LINEAR_EXTRUDE:
        h = fc_hash_double(h, n->u.linear_extrude.height);
        h = fc_hash_double(h, n->u.linear_extrude.twist);
        h = h_doubles(h, n->u.linear_extrude.scale, 2);
        h = fc_hash_u64(h, (uint64_t)n->u.linear_extrude.slices);
        h = fc_hash_u64(h, (uint64_t)n->u.linear_extrude.segments);
        h = fc_hash_u64(h, n->u.linear_extrude.center);
        h = fc_hash_u64(h, n->u.linear_extrude.has_slices);
        h = fc_hash_u64(h, n->u.linear_extrude.has_segments);
        h = fc_hash_u64(h, (uint64_t)n->u.linear_extrude.convexity);
        h = h_frag(h, n->u.linear_extrude.frag);
        break;
    case CSG_ROTATE_EXTRUDE:
        h = fc_hash_double(h, n->u.rotate_extrude.angle);
        h = fc_hash_u64(h, (uint64_t)n->u.rotate_extrude.convexity);
        h = h_frag(h, n->u.rotate_extrude.frag);
        break;
    case CSG_PROJECTION:
        h = fc_hash_u64(h, n->u.projection.cut);
        h = fc_hash_u64(h, (uint64_t)n->u.projection.convexity);
        break;
    case CSG_OFFSET:
        h = fc_hash_double(h, n->u.offset.r);
        h = fc_hash_double(h, n->u.offset.delta);
        h = fc_hash_u64(h, n->u.offset.use_r);
        h = fc_hash_u64(h, n->u.offset.chamfer);
        h = h_frag(h, n->u.offset.frag);
        break;
    case CSG_UNION:
    case CSG_DIFFERENCE:
    case CSG_INTERSECTION:
    case CSG_HULL:
    case CSG_MINKOWSKI: h = fc_hash_u64(h, (uint64_t)n->u.op.convexity); break;
    case CSG_KIND_COUNT: break;
    }
    return h;
}

/* Iterative post-order walk: a generated tree may be deep (recursive modules), and the
 * hash must not be what overflows the C stack. A node is revisited once all its children
 * carry a hash. The explicit stack is a local array; when it is full, the child is hashed
 * by a nested call, so C recursion grows by one frame per 256 levels of tree depth. */
uint64_t csg_hash(csg_node *node) {
    if (!node) return 0;
    if (node->hash) return node->hash;
    enum { STACK = 256 };
    csg_node *stack[STACK];
    size_t top = 0;
    stack[top++] = node;
    while (top > 0) {
        csg_node *n = stack[top - 1];
        bool pending = false;
        for (int i = n->nchildren - 1; i >= 0; i--) {
            csg_node *c = n->children[i];
            if (c && !c->hash) {
                if (top < STACK) {
                    stack[top++] = c;
                    pending = true;
                } else {
                    /* stack full: hash this child by a fresh walk (bounded nesting) */
                    csg_hash(c);
                }
            }
        }
        if (pending) continue;
        top--;
        uint64_t h = fc_hash_u64(0x9e3779b97f4a7c15ull, (uint64_t)n->kind);
        h = hash_params(n, h);
        h = fc_hash_u64(h, n->background);
        h = fc_hash_u64(h, (uint64_t)n->nchildren);
        for (int i = 0; i < n->nchildren; i++) h = fc_hash_u64(h, n->children[i] ? csg_hash(n->children[i]) : 0);
        n->hash = h ? h : 1;
    }
    return node->hash;
}
