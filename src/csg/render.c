/*
 * render.c — the geometry stage: a CSG tree becomes one geo (render.h).
 *
 * Each node is rendered from its children's results, following OpenSCAD 2021.01's
 * GeometryEvaluator where it decides what users see:
 *  - a child that is no node at all (echo(), an unknown module, a disabled or % subtree)
 *    is not an operand; every other child is, even without geometry (a group without
 *    children, a failed primitive, sphere(0), a transform of nothing): such an empty
 *    operand makes an intersection and a 2D minkowski empty, and as the first operand a
 *    difference; union, hull and 3D minkowski skip it. An operation none of whose
 *    children has geometry has no geometry itself; the same holds for transform, color
 *    and a one-child union.
 *  - the dimension of an operation is that of its first non-empty child; a later child
 *    of the other dimension gives "Mixing 2D and 3D objects is not supported", and every
 *    child of the wrong dimension is dropped with "Ignoring 2D child object for 3D
 *    operation" (or the reverse), each at the child's location. Extrusions and offset are
 *    2D operations; projection is 3D (its non-cut form ignores 2D children silently).
 *  - resize() scales about the origin; unset sizes follow the largest requested one when
 *    auto is on, as OpenSCAD's PolySet::resize does.
 * Results are owned by the caller (render pool) and may be changed in place: transforms
 * apply to the child's fresh copy. Expensive subtrees are cached by structural hash
 * (cache.h), so re-rendering after a parameter change only recomputes what changed.
 *
 * Deep trees: chains of single-child wrappers (transform, color, one-child union), which
 * recursive modules produce, are unrolled into a loop; other nesting recurses, bounded by
 * a depth limit so a pathological tree fails with recursion_depth instead of overflowing
 * the C stack.
 */
#include <math.h>
#include <string.h>

#include "core/hash.h"
#include "core/resolve.h"
#include "csg/cache.h"
#include "csg/render.h"
#include "geom/boolean3.h"
#include "geom/poly2_ops.h"
#include "geom/prim.h"
#include "geom/text.h"
#include "io/import.h"

#ifndef RENDER_MAX_DEPTH
#define RENDER_MAX_DEPTH 2000
#endif

/* Cache keys of the subtrees that read files (see file_keys). */
typedef struct keymap {
    const csg_node **node; /* open addressing by pointer; NULL = free */
    uint64_t *key;         /* 0: the subtree reads no file */
    uint32_t mask;
    bool any;              /* some subtree reads a file */
} keymap;

/* Helpers that are not on the recursive path stay out of line, so that each level of a
 * deep tree costs only the small frames of render_node, compute and render_children. */
#define RENDER_NOINLINE __attribute__((noinline))

typedef struct walk {
    const keymap *km;
    int depth;
} walk;

static geo render_node(facet_ctx *ctx, csg_node *n, const walk *w);

/* ---- cache keys ----
 * A subtree's structural hash names an import() by its path only, but the file may change
 * between renders (an edited STL, the CLI's --watch). Subtrees that read files are
 * therefore keyed by their hash mixed with the hashes of the files' contents, read once
 * per render before anything is rendered. */

static uint32_t ptr_slot(const keymap *km, const csg_node *n) {
    uint64_t v = (uint64_t)(uintptr_t)n;
    return (uint32_t)fc_mix64(v, 0x9e3779b97f4a7c15ull) & km->mask;
}

/* The slot of n (found or free). */
static uint32_t km_find(const keymap *km, const csg_node *n) {
    uint32_t i = ptr_slot(km, n);
    while (km->node[i] && km->node[i] != n) i = (i + 1) & km->mask;
    return i;
}

static uint64_t node_key(const keymap *km, csg_node *n) {
    if (km->any) {
        uint32_t i = km_find(km, n);
        if (km->node[i] == n && km->key[i]) return km->key[i];
    }
    return csg_hash(n);
}

static uint64_t file_hash(facet_ctx *ctx, const char *path) {
    const char *data = NULL;
    size_t len = 0;
    uint64_t h = fc_hash_u64(0x5bd1e995u, 0xf11e);
    if (!path || fc_read(ctx, path, &data, &len) != 0) return fc_hash_u64(h, 0xdead);
    return fc_hash_bytes(h, data, len);
}

static void km_grow(facet_ctx *ctx, keymap *km) {
    const csg_node **old_node = km->node;
    uint64_t *old_key = km->key;
    uint32_t old_size = old_node ? km->mask + 1 : 0, size = old_size ? 2 * old_size : 256;
    km->node = fc_calloc(ctx, size, sizeof *km->node);
    km->key = fc_calloc(ctx, size, sizeof *km->key);
    km->mask = size - 1;
    for (uint32_t i = 0; i < old_size; i++)
        if (old_node[i]) {
            uint32_t k = km_find(km, old_node[i]);
            km->node[k] = old_node[i];
            km->key[k] = old_key[i];
        }
    fc_free(ctx, old_node);
    fc_free(ctx, old_key);
}

/* Post-order walk without recursion (a tree may be very deep), each distinct node once
 * (evaluation may share a subtree between parents). */
static void file_keys(facet_ctx *ctx, csg_node *root, keymap *km) {
    typedef struct frame {
        csg_node *n;
        int next;
    } frame;
    memset(km, 0, sizeof *km);
    km_grow(ctx, km);
    uint32_t used = 0;
    frame *st = NULL;
    int nst = 0, cap = 0;
    FC_PUSH(ctx, st, nst, cap, ((frame){root, 0}));
    while (nst > 0) {
        frame *f = &st[nst - 1];
        csg_node *n = f->n;
        if (f->next == 0 && km->node[km_find(km, n)] == n) { /* done via another parent */
            nst--;
            continue;
        }
        if (f->next < n->nchildren) {
            csg_node *c = n->children[f->next++];
            if (c) FC_PUSH(ctx, st, nst, cap, ((frame){c, 0}));
            continue;
        }
        nst--;
        uint64_t fk = 0;
        bool reads = false;
        if (n->kind == CSG_IMPORT || n->kind == CSG_SURFACE) {
            fk = file_hash(ctx, n->kind == CSG_IMPORT ? n->u.import.path : n->u.surface.path);
            reads = true;
        }
        for (int k = 0; k < n->nchildren; k++) {
            csg_node *c = n->children[k];
            if (!c) continue;
            uint32_t ci = km_find(km, c);
            uint64_t ck = km->node[ci] == c ? km->key[ci] : 0;
            reads |= ck != 0;
            fk = fc_hash_u64(fk, ck ? ck : csg_hash(c));
        }
        if (2 * (used + 1) > km->mask + 1) km_grow(ctx, km);
        uint32_t i = km_find(km, n);
        km->node[i] = n;
        km->key[i] = reads ? (fc_hash_u64(csg_hash(n), fk) | 1) : 0;
        km->any |= reads;
        used++;
        fc_tick(ctx);
    }
    fc_free(ctx, st);
}

static bool geo_is_empty(geo g) {
    if (g.dim == 3) return !g.m || g.m->nt == 0;
    if (g.dim == 2) return !g.p || g.p->ncontours == 0;
    return true;
}

static geo empty_of(facet_ctx *ctx, int dim) {
    if (dim == 3) return geo_mesh(mesh_empty(ctx));
    if (dim == 2) return geo_poly(poly2_empty(ctx));
    return geo_empty();
}

/* ---- children ---- */

typedef struct operands {
    int dim;       /* 0: no child has geometry */
    int n;         /* operands in child order; empty ones have NULL m/p */
    mesh **m;      /* dim 3 */
    poly2 **p;     /* dim 2 */
} operands;

/* Flattening (KERNEL.md §9). A union's operands that are themselves unions (module
 * instances, for loops, groups) give their own operands to the parent instead of a
 * united mesh, so the whole tree reaches bool3_nary as one flat list, which batches
 * disjoint operands and never re-intersects an intermediate result. The later operands of
 * a difference are a union, so they flatten the same way, and a difference as the first
 * operand of a difference gives its operands too: (a - b) - c = a - (b u c). Each nested
 * node first applies its own rules (dimension, warnings, empties) by rendering its
 * children exactly as it would for itself; only the final boolean moves to the parent.
 * A nested node whose result is cached stays one cached operand. */
enum { FLAT_NONE = 0, FLAT_UNIONS = 1, FLAT_LATER_UNIONS = 2 };

/* One rendered operand; `child` is the index of the child it came from, `first` marks the
 * first operand of that child (per-child warnings are given once). */
typedef struct rchild {
    geo g;
    int child;
    bool first;
} rchild;

typedef struct rlist {
    rchild *r;
    int n, cap;
} rlist;

static operands render_children_flat(facet_ctx *ctx, csg_node *n, int want, bool warn_ignored,
                                     const walk *w, int flat);
static geo boolean_of(facet_ctx *ctx, operands ops, bool_op op);
static bool worth_caching(const csg_node *n);
static int compact(operands *ops);
static bool operand_empty(const operands *ops, int i);

static void rl_push(facet_ctx *ctx, rlist *l, geo g, int child, bool first) {
    rchild r = {g, child, first};
    FC_PUSH(ctx, l->r, l->n, l->cap, r);
}

/* Pushes the operands of ops (consumed) as child `child`'s; a node without geometry or
 * with only empty operands pushes what its own boolean would have returned. */
static void rl_push_ops(facet_ctx *ctx, rlist *l, operands *ops, int child) {
    if (ops->dim == 0) {
        rl_push(ctx, l, geo_empty(), child, true);
    } else if (compact(ops) == 0) {
        rl_push(ctx, l, empty_of(ctx, ops->dim), child, true);
    } else {
        for (int i = 0; i < ops->n; i++)
            rl_push(ctx, l, ops->dim == 3 ? geo_mesh(ops->m[i]) : geo_poly(ops->p[i]), child,
                    i == 0);
    }
    fc_free(ctx, ops->m);
    fc_free(ctx, ops->p);
}

static bool flattenable(const csg_node *c, csg_kind kind) {
    return c && !c->background && c->kind == kind && c->nchildren > 0;
}

/* Renders child i of a node into l, flattened when `as_union` (a union child) or
 * `as_diff` (a difference child in first position) allow it. */
static void render_child(facet_ctx *ctx, csg_node *c, int i, const walk *sub, bool as_union,
                         bool as_diff, rlist *l) {
    bool uni = as_union && flattenable(c, CSG_UNION);
    bool dif = as_diff && flattenable(c, CSG_DIFFERENCE);
    if (!uni && !dif) {
        rl_push(ctx, l, render_node(ctx, c, sub), i, true);
        return;
    }
    if (sub->depth > RENDER_MAX_DEPTH)
        fc_throw(ctx, FACET_ERR_RECURSION_DEPTH, c->loc,
                 "Geometry nested too deeply (more than %d levels of operations)",
                 RENDER_MAX_DEPTH);
    geo g;
    if (worth_caching(c) && csg_cache_get(ctx, node_key(sub->km, c), &g)) {
        rl_push(ctx, l, g, i, true);
        return;
    }
    operands ops = render_children_flat(ctx, c, 0, true, sub, uni ? FLAT_UNIONS : FLAT_LATER_UNIONS);
    if (uni) {
        rl_push_ops(ctx, l, &ops, i);
        return;
    }
    /* a difference: flat only when its first operand has geometry; otherwise its own
     * result (empty) is the operand, as before */
    if (ops.dim == 0 || ops.n == 0 || operand_empty(&ops, 0)) {
        rl_push(ctx, l, boolean_of(ctx, ops, BOOL_DIFFERENCE), i, true);
        return;
    }
    rl_push_ops(ctx, l, &ops, i);
}

/* Renders the children of n and keeps those of the operation's dimension: `want` is 2 or
 * 3 for operations of a fixed dimension, 0 to take the first non-empty child's.
 * `warn_ignored` is false where OpenSCAD drops wrong-dimension children silently. `flat`
 * says which children may give their operands instead of their result (see above). */
static operands render_children_flat(facet_ctx *ctx, csg_node *n, int want, bool warn_ignored,
                                     const walk *w, int flat) {
    operands ops = {0, 0, NULL, NULL};
    int nc = n->nchildren;
    rlist l = {NULL, 0, 0};
    walk sub = {w->km, w->depth + 1};
    for (int i = 0; i < nc; i++)
        render_child(ctx, n->children[i], i, &sub,
                     flat == FLAT_UNIONS || (flat == FLAT_LATER_UNIONS && i > 0),
                     flat == FLAT_LATER_UNIONS && i == 0, &l);
    const rchild *g = l.r;
    int ng = l.n;
    int dim = want;
    if (dim == 0) {
        for (int i = 0; i < ng; i++) {
            if (geo_is_empty(g[i].g)) continue;
            if (dim == 0) {
                dim = g[i].g.dim;
            } else if (g[i].g.dim != dim) {
                fc_log_at(ctx, FACET_LOG_WARNING, n->children[g[i].child]->loc,
                          "Mixing 2D and 3D objects is not supported");
                break;
            }
        }
        if (dim == 0) {
            fc_free(ctx, l.r);
            return ops;
        }
    }
    ops.dim = dim;
    if (dim == 3) ops.m = fc_calloc(ctx, (size_t)(ng > 0 ? ng : 1), sizeof *ops.m);
    else ops.p = fc_calloc(ctx, (size_t)(ng > 0 ? ng : 1), sizeof *ops.p);
    for (int i = 0; i < ng; i++) {
        geo gi = g[i].g;
        if (gi.dim == 0) {
            /* a node without geometry (an empty group, a failed primitive, a transform of
             * nothing) is an empty operand, as OpenSCAD's null child geometry; only a
             * child that is no node at all (echo(), an unknown module) or a % background
             * one is not an operand */
            const csg_node *c = n->children[g[i].child];
            if (c && !c->background) ops.n++;
            continue;
        }
        bool empty = geo_is_empty(gi);
        if (gi.dim != dim && warn_ignored && g[i].first)
            fc_log_at(ctx, FACET_LOG_WARNING, n->children[g[i].child]->loc,
                      "Ignoring %dD child object for %dD operation", gi.dim, dim);
        if (gi.dim == dim && !empty) {
            if (dim == 3) ops.m[ops.n] = gi.m;
            else ops.p[ops.n] = gi.p;
        } else if (gi.dim == 3) {
            mesh_free(ctx, gi.m);
        } else {
            poly2_free(ctx, gi.p);
        }
        if (gi.dim != dim && !warn_ignored) continue;
        ops.n++; /* an empty or ignored child stays as an empty operand */
    }
    fc_free(ctx, l.r);
    return ops;
}

static operands render_children(facet_ctx *ctx, csg_node *n, int want, bool warn_ignored,
                                const walk *w) {
    return render_children_flat(ctx, n, want, warn_ignored, w, FLAT_NONE);
}

/* Drops the empty operands (after the checks that need them); returns the count left. */
static int compact(operands *ops) {
    int k = 0;
    for (int i = 0; i < ops->n; i++) {
        if (ops->dim == 3 && ops->m[i]) ops->m[k++] = ops->m[i];
        if (ops->dim == 2 && ops->p[i]) ops->p[k++] = ops->p[i];
    }
    return ops->n = k;
}

/* Operands are the caller's own copies: once an operation has consumed them, they go. */
static void free_operands(facet_ctx *ctx, operands *ops) {
    for (int i = 0; i < ops->n; i++) {
        if (ops->dim == 3) mesh_free(ctx, ops->m[i]);
        if (ops->dim == 2) poly2_free(ctx, ops->p[i]);
    }
    fc_free(ctx, ops->m);
    fc_free(ctx, ops->p);
    ops->n = 0;
}

static bool operand_empty(const operands *ops, int i) {
    return ops->dim == 3 ? ops->m[i] == NULL : ops->p[i] == NULL;
}

/* union, difference or intersection of the operands */
RENDER_NOINLINE static geo boolean_of(facet_ctx *ctx, operands ops, bool_op op) {
    if (ops.dim == 0) return geo_empty();
    if (op == BOOL_INTERSECTION)
        for (int i = 0; i < ops.n; i++)
            if (operand_empty(&ops, i)) return empty_of(ctx, ops.dim);
    if (op == BOOL_DIFFERENCE && (ops.n == 0 || operand_empty(&ops, 0)))
        return empty_of(ctx, ops.dim);
    int k = compact(&ops);
    if (k == 0) return empty_of(ctx, ops.dim);
    geo r;
    if (k == 1) {
        r = ops.dim == 3 ? geo_mesh(ops.m[0]) : geo_poly(ops.p[0]);
        ops.n = 0; /* handed on, not freed */
    } else if (ops.dim == 3) {
        r = geo_mesh(bool3_nary(ctx, ops.m, k, op));
    } else {
        r = geo_poly(poly2_boolean(ctx, ops.p, k, op));
    }
    free_operands(ctx, &ops);
    return r;
}

/* The children united: what transform, color, resize, extrusions and offset work on. */
static geo union_of_children(facet_ctx *ctx, csg_node *n, int want, bool warn_ignored,
                             const walk *w) {
    operands ops = render_children_flat(ctx, n, want, warn_ignored, w, FLAT_UNIONS);
    if (ops.dim == 0 || compact(&ops) == 0) {
        free_operands(ctx, &ops);
        return geo_empty();
    }
    return boolean_of(ctx, ops, BOOL_UNION);
}

/* ---- operations ---- */

RENDER_NOINLINE static geo hull_of(facet_ctx *ctx, operands ops) {
    if (ops.dim == 0) return geo_empty();
    int k = compact(&ops);
    if (k == 0) return empty_of(ctx, ops.dim);
    if (ops.dim == 2) {
        geo r = geo_poly(poly2_hull(ctx, ops.p, k));
        free_operands(ctx, &ops);
        return r;
    }
    int64_t total = 0;
    for (int i = 0; i < k; i++) total += ops.m[i]->nv;
    if (total > INT32_MAX / 3)
        fc_throw(ctx, FACET_ERR_MEMORY_LIMIT, FC_NOLOC, "Out of memory: hull() of %lld points",
                 (long long)total);
    double *pts = fc_realloc_array(ctx, NULL, (size_t)(total > 0 ? total : 1), 3 * sizeof(double));
    size_t at = 0;
    for (int i = 0; i < k; i++) {
        /* only vertices that triangles use: an operation may leave unused ones behind */
        const mesh *m = ops.m[i];
        unsigned char *used = fc_calloc(ctx, (size_t)(m->nv > 0 ? m->nv : 1), 1);
        for (int32_t h = 0; h < 3 * m->nt; h++) used[m->tri[h]] = 1;
        for (int32_t v = 0; v < m->nv; v++)
            if (used[v]) memcpy(pts + 3 * at++, m->pos + 3 * (size_t)v, 3 * sizeof(double));
        fc_free(ctx, used);
    }
    total = (int64_t)at;
    free_operands(ctx, &ops);
    mesh *m = hull3_points(ctx, pts, (int)total);
    fc_free(ctx, pts);
    return geo_mesh(m);
}

RENDER_NOINLINE static geo minkowski_of(facet_ctx *ctx, operands ops) {
    if (ops.dim == 0) return geo_empty();
    /* OpenSCAD's 2D minkowski sums every operand, so an empty one empties the result;
     * the 3D one skips empty operands */
    if (ops.dim == 2)
        for (int i = 0; i < ops.n; i++)
            if (operand_empty(&ops, i)) {
                free_operands(ctx, &ops);
                return empty_of(ctx, 2);
            }
    int k = compact(&ops);
    if (k == 0) return empty_of(ctx, ops.dim);
    if (k == 1) return ops.dim == 3 ? geo_mesh(ops.m[0]) : geo_poly(ops.p[0]);
    geo r = ops.dim == 2 ? geo_poly(poly2_minkowski(ctx, ops.p, k)) : geo_mesh(minkowski3(ctx, ops.m, k));
    free_operands(ctx, &ops);
    return r;
}

static bool matrix_finite(const double m[16]) {
    for (int i = 0; i < 16; i++)
        if (!isfinite(m[i])) return false;
    return true;
}

RENDER_NOINLINE static geo apply_transform(facet_ctx *ctx, const csg_node *n, geo g) {
    if (geo_is_empty(g)) return geo_empty();
    const double *m = n->u.transform.m;
    if (!matrix_finite(m)) {
        fc_log_at(ctx, FACET_LOG_WARNING, n->loc,
                  "Transformation matrix contains Not-a-Number and/or Infinity - removing "
                  "object.");
        return geo_empty();
    }
    if (g.dim == 3) {
        /* a flattening matrix keeps the (now flat) mesh, as OpenSCAD does */
        mesh_transform(g.m, m);
        return g;
    }
    if (m[0] * m[5] - m[1] * m[4] == 0) {
        fc_log(ctx, FACET_LOG_WARNING, "Scaling a 2D object with 0 - removing object");
        return geo_empty();
    }
    poly2_transform(g.p, m);
    return g;
}

/* The innermost color wins: only triangles (or shapes) without a color take this one. */
RENDER_NOINLINE static geo apply_color(facet_ctx *ctx, const csg_node *n, geo g) {
    if (geo_is_empty(g)) return geo_empty();
    uint32_t rgba = n->u.color.rgba;
    if (g.dim == 2) {
        if (!g.p->color) g.p->color = rgba;
        return g;
    }
    if (!g.m->color) {
        mesh_set_color(ctx, g.m, rgba);
    } else {
        for (int32_t t = 0; t < g.m->nt; t++)
            if (!g.m->color[t]) g.m->color[t] = rgba;
    }
    return g;
}

RENDER_NOINLINE static geo apply_resize(facet_ctx *ctx, const csg_node *n, geo g) {
    if (geo_is_empty(g)) return geo_empty();
    int dim = g.dim;
    const double *size = n->u.resize.size;
    const bool *autosize = n->u.resize.autosize;
    double lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0};
    if (dim == 3) {
        mesh_bbox(g.m, lo, hi);
    } else {
        poly2_bbox(g.p, lo, hi);
    }
    int maxdim = 0;
    for (int i = 1; i < dim; i++)
        if (size[i] > size[maxdim]) maxdim = i;
    double scale[3] = {1, 1, 1}, newscale[3] = {1, 1, 1};
    for (int i = 0; i < dim; i++)
        if (size[i] > 0 && hi[i] > lo[i]) scale[i] = size[i] / (hi[i] - lo[i]);
    double autoscale = scale[maxdim];
    for (int i = 0; i < dim; i++) newscale[i] = !autosize[i] || size[i] > 0 ? scale[i] : autoscale;
    double m[16] = {newscale[0], 0, 0, 0, 0, newscale[1], 0, 0, 0, 0, newscale[2], 0, 0, 0, 0, 1};
    if (dim == 3) mesh_transform(g.m, m);
    else poly2_transform(g.p, m);
    return g;
}

RENDER_NOINLINE static geo projection_of(facet_ctx *ctx, csg_node *n, const walk *w) {
    if (n->u.projection.cut) {
        geo g = union_of_children(ctx, n, 3, true, w);
        if (g.dim == 0) return g;
        poly2 *p = project_mesh(ctx, g.m, true);
        mesh_free(ctx, g.m);
        return geo_poly(p);
    }
    /* each child projected on its own, then the shadows united (no 3D boolean needed) */
    operands ops = render_children(ctx, n, 3, false, w);
    if (ops.dim == 0) return geo_empty();
    int k = compact(&ops);
    if (k == 0) return geo_empty();
    operands sh = {2, k, NULL, fc_calloc(ctx, (size_t)k, sizeof(poly2 *))};
    for (int i = 0; i < k; i++) sh.p[i] = project_mesh(ctx, ops.m[i], false);
    free_operands(ctx, &ops);
    return boolean_of(ctx, sh, BOOL_UNION);
}

RENDER_NOINLINE static geo leaf(facet_ctx *ctx, csg_node *n) {
    switch (n->kind) {
    case CSG_POLYGON: {
        geo g = prim_geometry(ctx, n);
        if (g.p->ncontours == 0) return g;
        poly2 *clean = poly2_clean_evenodd(ctx, g.p);
        poly2_free(ctx, g.p);
        return geo_poly(clean);
    }
    case CSG_TEXT:
        return geo_poly(text_render(ctx, n));
    case CSG_IMPORT: {
        geo g = import_file(ctx, n);
        /* 2D drawings come back as raw contours: clean them by a union */
        if (g.dim == 2 && g.p && g.p->ncontours > 0) {
            poly2 *clean = poly2_boolean(ctx, &g.p, 1, BOOL_UNION);
            poly2_free(ctx, g.p);
            g.p = clean;
        }
        return g;
    }
    case CSG_SURFACE:
        return geo_mesh(import_surface(ctx, n));
    default:
        return prim_geometry(ctx, n);
    }
}

/* Extrusions and offset of the children's 2D union. */
RENDER_NOINLINE static geo from_2d(facet_ctx *ctx, csg_node *n, geo g) {
    if (g.dim == 0) return g;
    if (n->kind == CSG_OFFSET) {
        double amount = n->u.offset.use_r ? n->u.offset.r : n->u.offset.delta;
        poly2 *p = poly2_offset(ctx, g.p, amount, n->u.offset.use_r, n->u.offset.chamfer,
                                n->u.offset.frag);
        poly2_free(ctx, g.p);
        return geo_poly(p);
    }
    mesh *m;
    if (n->kind == CSG_LINEAR_EXTRUDE)
        m = extrude_linear(ctx, g.p, n->u.linear_extrude.height, n->u.linear_extrude.center,
                           n->u.linear_extrude.twist, n->u.linear_extrude.slices,
                           n->u.linear_extrude.has_slices, n->u.linear_extrude.segments,
                           n->u.linear_extrude.scale, n->u.linear_extrude.frag);
    else
        m = extrude_rotate(ctx, g.p, n->u.rotate_extrude.angle, n->u.rotate_extrude.frag, n->loc);
    poly2_free(ctx, g.p);
    return geo_mesh(m);
}

/* A node computed from its children (not a single-child wrapper chain). */
static geo compute(facet_ctx *ctx, csg_node *n, const walk *w) {
    switch (n->kind) {
    case CSG_EMPTY:
        return geo_empty();
    case CSG_UNION:
        return boolean_of(ctx, render_children_flat(ctx, n, 0, true, w, FLAT_UNIONS), BOOL_UNION);
    case CSG_DIFFERENCE:
        return boolean_of(ctx, render_children_flat(ctx, n, 0, true, w, FLAT_LATER_UNIONS),
                          BOOL_DIFFERENCE);
    case CSG_INTERSECTION:
        return boolean_of(ctx, render_children(ctx, n, 0, true, w), BOOL_INTERSECTION);
    case CSG_HULL:
        return hull_of(ctx, render_children(ctx, n, 0, true, w));
    case CSG_MINKOWSKI:
        return minkowski_of(ctx, render_children(ctx, n, 0, true, w));
    case CSG_TRANSFORM:
        return apply_transform(ctx, n, union_of_children(ctx, n, 0, true, w));
    case CSG_COLOR:
        return apply_color(ctx, n, union_of_children(ctx, n, 0, true, w));
    case CSG_RESIZE:
        return apply_resize(ctx, n, union_of_children(ctx, n, 0, true, w));
    case CSG_LINEAR_EXTRUDE:
    case CSG_ROTATE_EXTRUDE:
    case CSG_OFFSET:
        return from_2d(ctx, n, union_of_children(ctx, n, 2, true, w));
    case CSG_PROJECTION:
        return projection_of(ctx, n, w);
    default:
        return leaf(ctx, n);
    }
}

/* Whether a node's result is worth a cache entry: operations that cost more than copying
 * their result (booleans, hulls, extrusions, files). Transforms and colors are cheaper to
 * redo from their cached child, and caching them would double memory along every chain.
 * Round primitives count too: every point takes a correctly rounded sine and cosine
 * (~5k instructions), and a model repeats the same cylinder at many places (the candle
 * stand: 42 cylinders of three kinds, 5% of a slider step). */
static bool worth_caching(const csg_node *n) {
    switch (n->kind) {
    case CSG_SPHERE:
    case CSG_CYLINDER:
    case CSG_CIRCLE:
        return true;
    case CSG_UNION:
        return n->nchildren > 1;
    case CSG_DIFFERENCE:
    case CSG_INTERSECTION:
    case CSG_HULL:
    case CSG_MINKOWSKI:
    case CSG_RESIZE:
    case CSG_LINEAR_EXTRUDE:
    case CSG_ROTATE_EXTRUDE:
    case CSG_PROJECTION:
    case CSG_OFFSET:
    case CSG_TEXT:
    case CSG_IMPORT:
    case CSG_SURFACE:
    case CSG_POLYHEDRON:
        return true;
    default:
        return false;
    }
}

static geo cached_compute(facet_ctx *ctx, csg_node *n, const walk *w) {
    if (!worth_caching(n)) return compute(ctx, n, w);
    uint64_t key = node_key(w->km, n);
    geo g;
    if (csg_cache_get(ctx, key, &g)) return g;
    int log_from = ctx->nlog;
    g = compute(ctx, n, w);
    csg_cache_put(ctx, key, g, log_from);
    return g;
}

/* Single-child wrappers whose chains are walked iteratively. */
static bool is_wrapper(const csg_node *n) {
    if (n->nchildren != 1 || !n->children[0] || n->children[0]->background) return false;
    return n->kind == CSG_TRANSFORM || n->kind == CSG_COLOR || n->kind == CSG_UNION;
}

static geo render_node(facet_ctx *ctx, csg_node *n, const walk *w) {
    if (!n || n->background) return geo_empty();
    if (w->depth > RENDER_MAX_DEPTH)
        fc_throw(ctx, FACET_ERR_RECURSION_DEPTH, n->loc,
                 "Geometry nested too deeply (more than %d levels of operations)",
                 RENDER_MAX_DEPTH);
    fc_tick(ctx);
    csg_node **chain = NULL;
    int nchain = 0, cap = 0;
    while (is_wrapper(n)) {
        FC_PUSH(ctx, chain, nchain, cap, n);
        n = n->children[0];
    }
    geo g = cached_compute(ctx, n, w);
    for (int i = nchain - 1; i >= 0; i--) {
        csg_node *wrapper = chain[i];
        if (wrapper->kind == CSG_TRANSFORM) g = apply_transform(ctx, wrapper, g);
        else if (wrapper->kind == CSG_COLOR) g = apply_color(ctx, wrapper, g);
        else if (geo_is_empty(g)) g = geo_empty(); /* a union of nothing has no geometry */
        fc_tick(ctx);
    }
    fc_free(ctx, chain);
    return g;
}

geo csg_render(facet_ctx *ctx, csg_node *root) {
    csg_cache_begin(ctx);
    if (!root) return geo_empty();
    csg_hash(root);
    keymap km;
    file_keys(ctx, root, &km);
    walk w = {&km, 0};
    geo g = render_node(ctx, root, &w);
    fc_free(ctx, km.node);
    fc_free(ctx, km.key);
    return g;
}
