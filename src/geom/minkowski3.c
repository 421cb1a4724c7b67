/*
 * minkowski3.c — the Minkowski sum of 3D meshes (minkowski3 in boolean3.h).
 *
 * Operands are summed left to right. For two convex operands the sum is the convex hull of
 * all pairwise vertex sums. When one operand X is not convex and C is convex:
 *
 *     X (+) C  =  (X + c0)  U  union over triangles t of X of hull(t (+) C)
 *
 * because for x = a + c with a in X, walking c along the segment c -> c0 inside C moves
 * x - c from a either to a point of X + c0's preimage or across the surface of X, i.e.
 * through some triangle t. Each t (+) C is convex (the hull of 3 |C| points). When neither
 * operand is convex, x - A and B either have crossing surfaces (x lies in hull(t (+) s) for
 * triangles t of A and s of B) or one contains the other, which a single translate per
 * connected component covers:
 *
 *     A (+) B  =  U_components (A + b_j)  U  U_components (B + a_i)  U  U_{t,s} hull(t (+) s)
 *
 * A flat convex patch of the surface (the two triangles of a quad, a whole planar face)
 * can stand in for its triangles: the hull of the patch (+) C covers theirs. The pieces
 * are merged with the kernel's n-ary union. The non-convex-by-non-convex case is quadratic
 * in the patch counts; it is correct but slow for large curved operands.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/boolean3.h"
#include "geom/pred.h"

/* Closed, connected and locally convex at every edge: then convex. "Locally convex" allows
 * a reflex edge whose far corner rises above the face's plane by a rounding-sized amount
 * (1e-10 of the model's size): a sphere's planar band quads are never exactly planar in
 * doubles, and treating such a solid as the convex shape it stands for changes the sum by
 * no more than that amount. */
static bool is_convex(facet_ctx *ctx, mesh *m) {
    if (m->nt == 0) return false;
    if (!m->pair && !mesh_build_pairs(ctx, m)) return false;
    if (mesh_euler(ctx, m) != 2) return false; /* one sphere-like component */
    double lo[3], hi[3], size = 0;
    mesh_bbox(m, lo, hi);
    for (int k = 0; k < 3; k++) size = fmax(size, fmax(fabs(lo[k]), fabs(hi[k])));
    double tol = 1e-10 * size;
    for (int32_t h = 0; h < 3 * m->nt; h++) {
        int32_t g = m->pair[h], t = h / 3;
        const double *w = m->pos + 3 * (size_t)m->tri[mesh_next_he(mesh_next_he(g))]; /* far corner */
        const double *a = m->pos + 3 * (size_t)m->tri[3 * t];
        const double *b = m->pos + 3 * (size_t)m->tri[3 * t + 1];
        const double *c = m->pos + 3 * (size_t)m->tri[3 * t + 2];
        double o = pred_orient3d(a, b, c, w);
        if (o >= 0) continue;
        /* -o is |(b-a) x (c-a)| times the height of w above the plane */
        double u[3], v[3];
        for (int k = 0; k < 3; k++) u[k] = b[k] - a[k], v[k] = c[k] - a[k];
        double nx = u[1] * v[2] - u[2] * v[1], ny = u[2] * v[0] - u[0] * v[2],
               nz = u[0] * v[1] - u[1] * v[0];
        double area2 = sqrt(nx * nx + ny * ny + nz * nz);
        if (!(-o <= tol * area2)) return false; /* reflex beyond rounding */
    }
    return true;
}

/* Vertices that triangles use (a polyhedron may list unused points). */
static double *used_vertices(facet_ctx *ctx, const mesh *m, int32_t *n) {
    unsigned char *used = fc_calloc(ctx, (size_t)(m->nv > 0 ? m->nv : 1), 1);
    for (int32_t h = 0; h < 3 * m->nt; h++) used[m->tri[h]] = 1;
    double *v = fc_realloc_array(ctx, NULL, (size_t)(m->nv > 0 ? m->nv : 1), 3 * sizeof(double));
    int32_t k = 0;
    for (int32_t i = 0; i < m->nv; i++)
        if (used[i]) memcpy(v + 3 * (size_t)k++, m->pos + 3 * (size_t)i, 3 * sizeof(double));
    fc_free(ctx, used);
    *n = k;
    return v;
}

/* hull of { a + b : a in A, b in B } */
static mesh *hull_of_sums(facet_ctx *ctx, const double *a, int32_t na, const double *b,
                          int32_t nb) {
    int64_t n = (int64_t)na * nb;
    if (n > INT32_MAX / 3)
        fc_throw(ctx, FACET_ERR_MEMORY_LIMIT, FC_NOLOC,
                 "Out of memory: minkowski() of %d by %d vertices", (int)na, (int)nb);
    double *s = fc_realloc_array(ctx, NULL, (size_t)(n > 0 ? n : 1), 3 * sizeof(double));
    size_t k = 0;
    for (int32_t i = 0; i < na; i++) {
        for (int32_t j = 0; j < nb; j++, k++)
            for (int d = 0; d < 3; d++) s[3 * k + d] = a[3 * (size_t)i + d] + b[3 * (size_t)j + d];
        fc_tick(ctx);
    }
    mesh *m = hull3_points(ctx, s, (int)n);
    fc_free(ctx, s);
    return m;
}

static mesh *translated(facet_ctx *ctx, const mesh *m, const double *d) {
    mesh *c = mesh_clone(ctx, m);
    for (int32_t i = 0; i < c->nv; i++)
        for (int k = 0; k < 3; k++) c->pos[3 * (size_t)i + k] += d[k];
    return c;
}

static int32_t uf_find(int32_t *parent, int32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

/* One vertex index per connected component of m (-1 terminated list in *reps). */
static int32_t component_reps(facet_ctx *ctx, const mesh *m, int32_t **reps) {
    int32_t *parent = fc_realloc_array(ctx, NULL, (size_t)(m->nv > 0 ? m->nv : 1), sizeof *parent);
    for (int32_t v = 0; v < m->nv; v++) parent[v] = v;
    for (int32_t h = 0; h < 3 * m->nt; h++) {
        int32_t a = uf_find(parent, m->tri[h]), b = uf_find(parent, m->tri[mesh_next_he(h)]);
        if (a != b) parent[a] = b;
    }
    unsigned char *seen = fc_calloc(ctx, (size_t)(m->nv > 0 ? m->nv : 1), 1);
    int32_t *r = NULL;
    int32_t n = 0;
    int cap = 0;
    for (int32_t h = 0; h < 3 * m->nt; h++) {
        int32_t root = uf_find(parent, m->tri[h]);
        if (!seen[root]) {
            seen[root] = 1;
            FC_PUSH(ctx, r, n, cap, m->tri[h]);
        }
    }
    fc_free(ctx, parent);
    fc_free(ctx, seen);
    *reps = r;
    return n;
}

typedef struct pieces {
    mesh **m;
    int n, cap;
} pieces;

static void add_piece(facet_ctx *ctx, pieces *ps, mesh *m) {
    if (m->nt == 0) {
        mesh_free(ctx, m);
        return;
    }
    FC_PUSH(ctx, ps->m, ps->n, ps->cap, m);
}

/* Twice the area of the 2D convex hull of pts (2 per point), by the monotone chain. */
static int cmp_xy(const void *a, const void *b) {
    const double *p = a, *q = b;
    if (p[0] != q[0]) return p[0] < q[0] ? -1 : 1;
    return (p[1] > q[1]) - (p[1] < q[1]);
}

static double hull2_area2(facet_ctx *ctx, double *pts, int n) {
    qsort(pts, (size_t)n, 2 * sizeof(double), cmp_xy);
    double *h = fc_realloc_array(ctx, NULL, (size_t)(2 * n + 2), 2 * sizeof(double));
    int k = 0;
    for (int pass = 0; pass < 2; pass++) {
        int base = k;
        for (int i = 0; i < n; i++) {
            const double *p = pts + 2 * (pass ? n - 1 - i : i);
            while (k >= base + 2 && pred_orient2d(h + 2 * (k - 2), h + 2 * (k - 1), p) <= 0) k--;
            h[2 * k] = p[0], h[2 * k + 1] = p[1];
            k++;
        }
        k--; /* the last point starts the other chain */
    }
    double a = 0;
    for (int i = 0; i < k; i++) {
        int j = (i + 1) % k;
        a += h[2 * i] * h[2 * j + 1] - h[2 * j] * h[2 * i + 1];
    }
    fc_free(ctx, h);
    return a;
}

/* Splits the surface of x into planar patches (edge-connected triangles whose far corners
 * lie exactly in the seed triangle's plane) and calls emit with the corners of each patch
 * that is a convex polygon, or of each single triangle of a patch that is not. One piece
 * per flat face instead of one per triangle keeps the union that follows small. */
typedef void (*patch_fn)(facet_ctx *ctx, void *user, const double *pts, int n);

static void for_each_convex_patch(facet_ctx *ctx, mesh *x, patch_fn emit, void *user) {
    int32_t *patch = fc_realloc_array(ctx, NULL, (size_t)x->nt, sizeof *patch);
    for (int32_t t = 0; t < x->nt; t++) patch[t] = -1;
    int32_t *stack = fc_realloc_array(ctx, NULL, (size_t)x->nt, sizeof *stack);
    int32_t *members = fc_realloc_array(ctx, NULL, (size_t)x->nt, sizeof *members);
    double *pts = fc_realloc_array(ctx, NULL, (size_t)x->nt * 3, 3 * sizeof(double));
    double *p2 = fc_realloc_array(ctx, NULL, (size_t)x->nt * 3, 2 * sizeof(double));
    bool paired = x->pair || mesh_build_pairs(ctx, x);
    for (int32_t seed = 0; seed < x->nt; seed++) {
        if (patch[seed] >= 0) continue;
        const double *a = x->pos + 3 * (size_t)x->tri[3 * seed], *b = x->pos + 3 * (size_t)x->tri[3 * seed + 1],
                     *c = x->pos + 3 * (size_t)x->tri[3 * seed + 2];
        int32_t nm = 0, sp = 0;
        patch[seed] = seed;
        stack[sp++] = seed;
        while (sp > 0) {
            int32_t t = stack[--sp];
            members[nm++] = t;
            for (int k = 0; k < 3 && paired; k++) {
                int32_t g = x->pair[3 * t + k], u = g / 3;
                if (patch[u] >= 0) continue;
                const double *w = x->pos + 3 * (size_t)x->tri[mesh_next_he(mesh_next_he(g))];
                if (pred_orient3d(a, b, c, w) != 0) continue;
                patch[u] = seed;
                stack[sp++] = u;
            }
        }
        /* convex when the patch covers its vertices' hull (areas in one axis projection) */
        double n[3], u[3], v[3];
        for (int k = 0; k < 3; k++) u[k] = b[k] - a[k], v[k] = c[k] - a[k];
        n[0] = fabs(u[1] * v[2] - u[2] * v[1]), n[1] = fabs(u[2] * v[0] - u[0] * v[2]),
        n[2] = fabs(u[0] * v[1] - u[1] * v[0]);
        int ax = n[0] > n[1] ? (n[0] > n[2] ? 0 : 2) : (n[1] > n[2] ? 1 : 2);
        int i0 = (ax + 1) % 3, i1 = (ax + 2) % 3;
        double area = 0;
        for (int32_t i = 0; i < nm; i++) {
            const double *q[3];
            for (int k = 0; k < 3; k++) {
                q[k] = x->pos + 3 * (size_t)x->tri[3 * members[i] + k];
                memcpy(pts + 9 * (size_t)i + 3 * k, q[k], 3 * sizeof(double));
                p2[6 * (size_t)i + 2 * k] = q[k][i0];
                p2[6 * (size_t)i + 2 * k + 1] = q[k][i1];
            }
            area += fabs((q[1][i0] - q[0][i0]) * (q[2][i1] - q[0][i1]) -
                         (q[2][i0] - q[0][i0]) * (q[1][i1] - q[0][i1]));
        }
        if (nm == 1 || hull2_area2(ctx, p2, 3 * nm) <= area * (1 + 1e-9)) {
            emit(ctx, user, pts, 3 * nm);
        } else {
            for (int32_t i = 0; i < nm; i++) emit(ctx, user, pts + 9 * (size_t)i, 3);
        }
        fc_tick(ctx);
    }
    fc_free(ctx, patch);
    fc_free(ctx, stack);
    fc_free(ctx, members);
    fc_free(ctx, pts);
    fc_free(ctx, p2);
}

typedef struct convex_sum {
    pieces *ps;
    const double *vc;
    int32_t nc;
} convex_sum;

static void emit_convex_sum(facet_ctx *ctx, void *user, const double *pts, int n) {
    convex_sum *cs = user;
    add_piece(ctx, cs->ps, hull_of_sums(ctx, pts, n, cs->vc, cs->nc));
}

/* X (+) C for convex C. */
static mesh *sum_with_convex(facet_ctx *ctx, mesh *x, mesh *c) {
    int32_t nc;
    double *vc = used_vertices(ctx, c, &nc);
    pieces ps = {NULL, 0, 0};
    add_piece(ctx, &ps, translated(ctx, x, vc));
    convex_sum cs = {&ps, vc, nc};
    for_each_convex_patch(ctx, x, emit_convex_sum, &cs);
    fc_free(ctx, vc);
    mesh *r = bool3_nary(ctx, ps.m, ps.n, BOOL_UNION);
    for (int i = 0; i < ps.n; i++) mesh_free(ctx, ps.m[i]);
    fc_free(ctx, ps.m);
    return r;
}

typedef struct patch_list {
    double *pts;  /* 3 per point, patches back to back */
    int32_t *start, *count;
    int n, cap, npts, cap_pts;
} patch_list;

static void emit_collect(facet_ctx *ctx, void *user, const double *pts, int n) {
    patch_list *pl = user;
    FC_GROW(ctx, pl->pts, pl->cap_pts, 3 * (pl->npts + n));
    memcpy(pl->pts + 3 * (size_t)pl->npts, pts, (size_t)n * 3 * sizeof(double));
    if (pl->n == pl->cap) {
        int cap = pl->cap;
        FC_GROW(ctx, pl->start, cap, pl->n + 1);
        FC_GROW(ctx, pl->count, pl->cap, pl->n + 1);
    }
    pl->start[pl->n] = pl->npts;
    pl->count[pl->n++] = n;
    pl->npts += n;
}

static void free_patches(facet_ctx *ctx, patch_list *pl) {
    fc_free(ctx, pl->pts);
    fc_free(ctx, pl->start);
    fc_free(ctx, pl->count);
}

/* A (+) B, neither convex: translates per component, plus hulls of pairs of convex
 * surface patches (a patch stands for its triangles, see for_each_convex_patch). */
static mesh *sum_general(facet_ctx *ctx, mesh *a, mesh *b) {
    pieces ps = {NULL, 0, 0};
    int32_t *ra, *rb;
    int32_t nra = component_reps(ctx, a, &ra), nrb = component_reps(ctx, b, &rb);
    for (int32_t j = 0; j < nrb; j++) add_piece(ctx, &ps, translated(ctx, a, b->pos + 3 * (size_t)rb[j]));
    for (int32_t i = 0; i < nra; i++) add_piece(ctx, &ps, translated(ctx, b, a->pos + 3 * (size_t)ra[i]));
    fc_free(ctx, ra);
    fc_free(ctx, rb);
    patch_list pa = {0}, pb = {0};
    for_each_convex_patch(ctx, a, emit_collect, &pa);
    for_each_convex_patch(ctx, b, emit_collect, &pb);
    for (int i = 0; i < pa.n; i++) {
        for (int j = 0; j < pb.n; j++)
            add_piece(ctx, &ps, hull_of_sums(ctx, pa.pts + 3 * (size_t)pa.start[i], pa.count[i],
                                             pb.pts + 3 * (size_t)pb.start[j], pb.count[j]));
        fc_tick(ctx);
    }
    free_patches(ctx, &pa);
    free_patches(ctx, &pb);
    mesh *r = bool3_nary(ctx, ps.m, ps.n, BOOL_UNION);
    for (int i = 0; i < ps.n; i++) mesh_free(ctx, ps.m[i]);
    fc_free(ctx, ps.m);
    return r;
}

static mesh *minkowski2(facet_ctx *ctx, mesh *a, mesh *b) {
    bool ca = is_convex(ctx, a), cb = is_convex(ctx, b);
    if (ca && cb) {
        int32_t na, nb;
        double *va = used_vertices(ctx, a, &na), *vb = used_vertices(ctx, b, &nb);
        mesh *r = hull_of_sums(ctx, va, na, vb, nb);
        fc_free(ctx, va);
        fc_free(ctx, vb);
        return r;
    }
    if (cb) return sum_with_convex(ctx, a, b);
    if (ca) return sum_with_convex(ctx, b, a);
    return sum_general(ctx, a, b);
}

mesh *minkowski3(facet_ctx *ctx, mesh *const *ms, int n) {
    mesh *acc = NULL;
    for (int i = 0; i < n; i++) {
        if (!ms[i] || ms[i]->nt == 0) continue; /* an empty operand adds nothing */
        if (!acc) {
            acc = mesh_clone(ctx, ms[i]);
            continue;
        }
        mesh *next = minkowski2(ctx, acc, ms[i]);
        mesh_free(ctx, acc);
        acc = next;
    }
    return acc ? acc : mesh_empty(ctx);
}
