/*
 * prim_build.c — the polygon-soup-to-mesh builder of prim_build.h.
 *
 * Welding uses an open-addressing hash on the coordinate bits; the table is sized from the
 * caller's hint and doubles when half full, so building stays linear. Ear clipping (for
 * polyhedron faces that may be non-convex) works in the projection that drops the largest
 * component of the face's Newell normal, with exact orientation tests, so a face with
 * collinear or nearly collinear runs still gets a valid triangulation.
 */
#include <math.h>
#include <string.h>

#include "core/hash.h"
#include "geom/pred.h"
#include "geom/prim_build.h"
#include "geom/sweep.h"

static uint32_t vertex_hash(double x, double y, double z) {
    uint64_t h = fc_hash_double(0x9e3779b97f4a7c15ull, x);
    h = fc_hash_double(h, y);
    h = fc_hash_double(h, z);
    return (uint32_t)(h ^ (h >> 32));
}

static void table_alloc(pbuild *b, uint32_t size) {
    b->slot = fc_realloc_array(b->ctx, NULL, size, sizeof *b->slot);
    memset(b->slot, 0xff, (size_t)size * sizeof *b->slot);
    b->mask = size - 1;
}

static void table_insert(pbuild *b, int32_t v) {
    const double *p = b->pos + 3 * (size_t)v;
    uint32_t i = vertex_hash(p[0], p[1], p[2]) & b->mask;
    while (b->slot[i] >= 0) i = (i + 1) & b->mask;
    b->slot[i] = v;
}

void pb_init(pbuild *b, facet_ctx *ctx, int32_t nv_hint, int32_t nt_hint) {
    memset(b, 0, sizeof *b);
    b->ctx = ctx;
    if (nv_hint < 4) nv_hint = 4;
    if (nt_hint < 4) nt_hint = 4;
    b->capv = nv_hint;
    b->pos = fc_realloc_array(ctx, NULL, (size_t)nv_hint, 3 * sizeof(double));
    b->capt = 3 * nt_hint;
    b->tri = fc_realloc_array(ctx, NULL, (size_t)b->capt, sizeof(int32_t));
    uint32_t size = 16;
    while (size < 2u * (uint32_t)nv_hint && size < (1u << 31)) size <<= 1;
    table_alloc(b, size);
}

int32_t pb_vertex(pbuild *b, double x, double y, double z) {
    uint32_t i = vertex_hash(x, y, z) & b->mask;
    for (;;) {
        int32_t v = b->slot[i];
        if (v < 0) break;
        const double *p = b->pos + 3 * (size_t)v;
        if (p[0] == x && p[1] == y && p[2] == z) return v;
        i = (i + 1) & b->mask;
    }
    if (b->nv == b->capv) {
        int cap = b->capv;
        fc_grow(b->ctx, (void **)&b->pos, &cap, b->nv + 1, 3 * sizeof(double));
        b->capv = cap;
    }
    int32_t v = b->nv++;
    double *p = b->pos + 3 * (size_t)v;
    p[0] = x, p[1] = y, p[2] = z;
    if ((uint32_t)b->nv * 2 > b->mask + 1) {
        fc_free(b->ctx, b->slot);
        table_alloc(b, (b->mask + 1) * 2);
        for (int32_t w = 0; w < b->nv; w++) table_insert(b, w);
    } else {
        b->slot[i] = v;
    }
    return v;
}

static void emit(pbuild *b, int32_t a, int32_t c, int32_t d) {
    if (a == c || c == d || d == a) return;
    if (b->nt * 3 + 3 > b->capt) {
        int cap = b->capt;
        fc_grow(b->ctx, (void **)&b->tri, &cap, b->nt * 3 + 3, sizeof(int32_t));
        b->capt = cap;
    }
    int32_t *t = b->tri + 3 * (size_t)b->nt++;
    t[0] = a, t[1] = c, t[2] = d;
}

/* The axes (u, v) of the projection of polygon idx[0..k) that drops the dominant axis of
 * its Newell normal; (u, v, dropped) is right-handed, so the projection keeps
 * counter-clockwise order when the normal points along the dropped axis. */
static void project_axes(const pbuild *b, const int32_t *idx, int k, int *u_out, int *v_out) {
    double n[3] = {0, 0, 0};
    for (int i = 0; i < k; i++) {
        const double *p = b->pos + 3 * (size_t)idx[i], *q = b->pos + 3 * (size_t)idx[(i + 1) % k];
        n[0] += (p[1] - q[1]) * (p[2] + q[2]);
        n[1] += (p[2] - q[2]) * (p[0] + q[0]);
        n[2] += (p[0] - q[0]) * (p[1] + q[1]);
    }
    int ax = fabs(n[0]) > fabs(n[1]) ? (fabs(n[0]) > fabs(n[2]) ? 0 : 2)
                                     : (fabs(n[1]) > fabs(n[2]) ? 1 : 2);
    int u = (ax + 1) % 3, v = (ax + 2) % 3;
    if (n[ax] < 0) {
        int s = u;
        u = v;
        v = s;
    }
    *u_out = u;
    *v_out = v;
}

/* A convex polygon of more than four corners, triangulated by a sweep (sweep.h) along one
 * of its projected axes: the lower-numbered one whatever the face's orientation, so that
 * coplanar faces (a cylinder's cap on an extrusion's, which sweeps along x) get parallel
 * bands. */
static void pb_sweep(pbuild *b, const int32_t *idx, int k) {
    int u, v;
    project_axes(b, idx, k, &u, &v);
    if (v < u) {
        int w = u;
        u = v;
        v = w;
    }
    facet_ctx *ctx = b->ctx;
    double *uv = fc_realloc_array(ctx, NULL, (size_t)k, 2 * sizeof(double));
    int32_t *tri = fc_realloc_array(ctx, NULL, (size_t)k, 3 * sizeof(int32_t));
    for (int i = 0; i < k; i++) {
        uv[2 * i] = b->pos[3 * (size_t)idx[i] + u];
        uv[2 * i + 1] = b->pos[3 * (size_t)idx[i] + v];
    }
    sweep_convex(uv, k, tri);
    for (int i = 0; i < k - 2; i++) emit(b, idx[tri[3 * i]], idx[tri[3 * i + 1]], idx[tri[3 * i + 2]]);
    fc_free(ctx, uv);
    fc_free(ctx, tri);
}

/* Ear clipping of a simple polygon (or, failing that, a fan of what is left). */
static void ear_clip(pbuild *b, const int32_t *idx, int k) {
    int u, v;
    project_axes(b, idx, k, &u, &v);
    facet_ctx *ctx = b->ctx;
    double *pt = fc_realloc_array(ctx, NULL, (size_t)k, 2 * sizeof(double));
    int *next = fc_realloc_array(ctx, NULL, (size_t)k, 2 * sizeof(int)), *prev = next + k;
    for (int i = 0; i < k; i++) {
        const double *p = b->pos + 3 * (size_t)idx[i];
        pt[2 * i] = p[u];
        pt[2 * i + 1] = p[v];
        next[i] = (i + 1) % k;
        prev[i] = (i + k - 1) % k;
    }
    /* A convex face (every turn left or straight, and the outline goes around once: its
     * x coordinate changes direction at most twice) is the fan from its first vertex, in
     * linear time; big convex caps are common in generated polyhedra. */
    bool convex = true;
    int turns = 0, last_dir = 0;
    for (int j = 0; j < k && convex; j++) {
        const double *p0 = pt + 2 * j, *p1 = pt + 2 * ((j + 1) % k), *p2 = pt + 2 * ((j + 2) % k);
        if (pred_orient2d(p0, p1, p2) < 0) convex = false;
        int dir = (p1[0] > p0[0]) - (p1[0] < p0[0]);
        if (dir != 0) {
            if (last_dir != 0 && dir != last_dir) turns++;
            last_dir = dir;
        }
    }
    if (convex) {
        /* the wrap-around from the last direction to the first */
        int first_dir = 0;
        for (int j = 0; j < k && first_dir == 0; j++) {
            const double *p0 = pt + 2 * j, *p1 = pt + 2 * ((j + 1) % k);
            first_dir = (p1[0] > p0[0]) - (p1[0] < p0[0]);
        }
        if (first_dir != 0 && first_dir != last_dir) turns++;
    }
    if (convex && turns <= 2) {
        if (k > 4) pb_sweep(b, idx, k);
        else
            for (int j = 1; j + 1 < k; j++) emit(b, idx[0], idx[j], idx[j + 1]);
        fc_free(ctx, pt);
        fc_free(ctx, next);
        return;
    }
    /* starting at the second vertex makes a convex quad come out as the fan from its first
     * vertex, the triangulation the primitives use */
    int left = k, i = 1, stall = 0;
    while (left > 3) {
        int p = prev[i], q = next[i];
        bool ear = pred_orient2d(pt + 2 * p, pt + 2 * i, pt + 2 * q) > 0;
        for (int j = next[q]; ear && j != p; j = next[j]) {
            const double *w = pt + 2 * j;
            if (idx[j] == idx[p] || idx[j] == idx[i] || idx[j] == idx[q]) continue;
            if (pred_orient2d(pt + 2 * p, pt + 2 * i, w) >= 0 &&
                pred_orient2d(pt + 2 * i, pt + 2 * q, w) >= 0 &&
                pred_orient2d(pt + 2 * q, pt + 2 * p, w) >= 0)
                ear = false;
        }
        if (ear) {
            emit(b, idx[p], idx[i], idx[q]);
            next[p] = q;
            prev[q] = p;
            left--;
            stall = 0;
            i = q;
        } else if (++stall > left) {
            /* no ear: the face is self-intersecting or degenerate; close it with a fan so
             * the surface at least stays closed */
            for (int j = next[i]; next[j] != i; j = next[j]) emit(b, idx[i], idx[j], idx[next[j]]);
            left = 0;
        } else {
            i = q;
        }
        fc_tick(ctx);
    }
    if (left == 3) emit(b, idx[prev[i]], idx[i], idx[next[i]]);
    fc_free(ctx, pt);
    fc_free(ctx, next);
}

void pb_polygon(pbuild *b, const int32_t *idx, int k, bool convex) {
    if (k < 3) return;
    if (k > 4 && convex) {
        pb_sweep(b, idx, k);
        return;
    }
    if (convex || k == 3) {
        for (int i = 1; i + 1 < k; i++) emit(b, idx[0], idx[i], idx[i + 1]);
        return;
    }
    ear_clip(b, idx, k);
}

mesh *pb_finish(pbuild *b) {
    facet_ctx *ctx = b->ctx;
    mesh *m = fc_calloc(ctx, 1, sizeof *m);
    m->nv = b->nv;
    m->nt = b->nt;
    m->pos = fc_realloc_array(ctx, b->pos, (size_t)(b->nv ? b->nv : 1), 3 * sizeof(double));
    m->tri = fc_realloc_array(ctx, b->tri, (size_t)(b->nt ? b->nt : 1), 3 * sizeof(int32_t));
    fc_free(ctx, b->slot);
    memset(b, 0, sizeof *b);
    mesh_is_manifold(ctx, m);
    return m;
}

void pb_check_size(facet_ctx *ctx, int64_t nv, int64_t nt, const char *what, int n,
                   fc_loc loc) {
    /* positions, weld table (2 slots per vertex, rounded up to a power of two: 4 ints),
     * triangles and pairs; the kernel will need more, this only guards the allocation */
    double bytes = (double)nv * (3 * sizeof(double) + 4 * sizeof(int32_t)) +
                   (double)nt * (6 * sizeof(int32_t));
    double room = (double)ctx->mem.limit - (double)ctx->mem.used;
    if (nv > INT32_MAX / 3 || nt > INT32_MAX / 3 || bytes > room)
        fc_throw(ctx, FACET_ERR_MEMORY_LIMIT, loc,
                 "Out of memory: %s with %d fragments needs about %.0f MiB, more than the "
                 "%zu MiB left under the memory limit",
                 what, n, bytes / 1048576.0,
                 ctx->mem.limit > ctx->mem.used ? (ctx->mem.limit - ctx->mem.used) >> 20 : 0);
}
