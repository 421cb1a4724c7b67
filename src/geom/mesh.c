/*
 * mesh.c — lifetime, transforms and measures of the structure-of-arrays triangle mesh
 * (mesh.h). Topology (halfedge pairing, manifold check, Euler characteristic) lives in
 * mesh_topo.c.
 *
 * Every array is a separate context block so that a mesh can move between the render pool
 * and the keep pool (the subtree cache) array by array, and so that mesh_free returns its
 * memory at once during long boolean chains instead of at the end of the render.
 */
#include <math.h>
#include <string.h>

#include "geom/mesh.h"

/* 3*n items of `size` bytes, overflow-checked (a hostile count must fail as memory_limit,
 * also where size_t is 32 bits). */
static void *alloc3(facet_ctx *ctx, int32_t n, size_t size) {
    return fc_realloc_array(ctx, NULL, (size_t)n * 3, size);
}

mesh *mesh_new(facet_ctx *ctx, int32_t nv, int32_t nt) {
    if (nv < 0 || nt < 0)
        fc_throw(ctx, FACET_ERR_INTERNAL, FC_NOLOC, "mesh_new: negative size (%d, %d)",
                 (int)nv, (int)nt);
    mesh *m = fc_calloc(ctx, 1, sizeof *m);
    m->nv = nv;
    m->nt = nt;
    m->pos = alloc3(ctx, nv, sizeof(double));
    m->tri = alloc3(ctx, nt, sizeof(int32_t));
    return m;
}

mesh *mesh_empty(facet_ctx *ctx) {
    mesh *m = mesh_new(ctx, 0, 0);
    m->manifold = true; /* nothing is trivially closed */
    m->compact = true;
    return m;
}

mesh *mesh_clone(facet_ctx *ctx, const mesh *m) {
    mesh *c = mesh_new(ctx, m->nv, m->nt);
    memcpy(c->pos, m->pos, (size_t)m->nv * 3 * sizeof(double));
    memcpy(c->tri, m->tri, (size_t)m->nt * 3 * sizeof(int32_t));
    if (m->pair) c->pair = fc_memdup(ctx, m->pair, (size_t)m->nt * 3 * sizeof(int32_t));
    if (m->color) c->color = fc_memdup(ctx, m->color, (size_t)m->nt * sizeof(uint32_t));
    c->eps = m->eps;
    c->manifold = m->manifold;
    c->compact = m->compact;
    return c;
}

void mesh_free(facet_ctx *ctx, mesh *m) {
    if (!m) return;
    fc_free(ctx, m->pos);
    fc_free(ctx, m->tri);
    fc_free(ctx, m->pair);
    fc_free(ctx, m->color);
    fc_free(ctx, m);
}

void mesh_keep(facet_ctx *ctx, mesh *m) {
    fc_keep(ctx, m->pos);
    fc_keep(ctx, m->tri);
    if (m->pair) fc_keep(ctx, m->pair);
    if (m->color) fc_keep(ctx, m->color);
    fc_keep(ctx, m);
}

void mesh_unkeep(facet_ctx *ctx, mesh *m) {
    fc_unkeep(ctx, m->pos);
    fc_unkeep(ctx, m->tri);
    if (m->pair) fc_unkeep(ctx, m->pair);
    if (m->color) fc_unkeep(ctx, m->color);
    fc_unkeep(ctx, m);
}

size_t mesh_bytes(const mesh *m) {
    size_t nv = (size_t)m->nv, nt = (size_t)m->nt;
    size_t b = sizeof *m + nv * 3 * sizeof(double) + nt * 3 * sizeof(int32_t);
    if (m->pair) b += nt * 3 * sizeof(int32_t);
    if (m->color) b += nt * sizeof(uint32_t);
    return b;
}

/* Largest singular value of the 3x3 linear part, by power iteration on A^T A: what the
 * kernel's precision scales with (KERNEL.md §8). */
static double spectral_norm(const double a[16]) {
    double ata[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int k = 0; k < 3; k++) s += a[4 * k + i] * a[4 * k + j];
            ata[i][j] = s;
        }
    double v[3] = {1, 0.7, 0.3}, lambda = 0;
    for (int it = 0; it < 64; it++) {
        double w[3];
        for (int i = 0; i < 3; i++) w[i] = ata[i][0] * v[0] + ata[i][1] * v[1] + ata[i][2] * v[2];
        double n = sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
        if (!(n > 0)) return 0;
        for (int i = 0; i < 3; i++) v[i] = w[i] / n;
        lambda = n;
    }
    return sqrt(lambda);
}

void mesh_transform(mesh *m, const double a[16]) {
    for (int32_t v = 0; v < m->nv; v++) {
        double *p = m->pos + 3 * v;
        double x = p[0], y = p[1], z = p[2];
        p[0] = a[0] * x + a[1] * y + a[2] * z + a[3];
        p[1] = a[4] * x + a[5] * y + a[6] * z + a[7];
        p[2] = a[8] * x + a[9] * y + a[10] * z + a[11];
    }
    if (m->eps > 0) m->eps *= spectral_norm(a);
    double det = a[0] * (a[5] * a[10] - a[6] * a[9]) - a[1] * (a[4] * a[10] - a[6] * a[8]) +
                 a[2] * (a[4] * a[9] - a[5] * a[8]);
    if (!(det < 0)) return;
    /* Mirroring: triangle (v0, v1, v2) becomes (v0, v2, v1). Its halfedges turn around and
     * move: old slot 0 (v0->v1) is new slot 2 (v1->v0), slot 1 stays, slot 2 becomes slot 0.
     * Each halfedge's partner moves the same way, so the pairing survives as a relabelling. */
    static const int slot[3] = {2, 1, 0};
    for (int32_t t = 0; t < m->nt; t++) {
        int32_t *tr = m->tri + 3 * t, s = tr[1];
        tr[1] = tr[2];
        tr[2] = s;
    }
    if (m->pair) {
        for (int32_t t = 0; t < m->nt; t++) {
            int32_t *pp = m->pair + 3 * t;
            int32_t old[3] = {pp[0], pp[1], pp[2]};
            for (int i = 0; i < 3; i++) {
                int32_t g = old[i];
                pp[slot[i]] = g < 0 ? g : 3 * (g / 3) + slot[g % 3];
            }
        }
    }
}

void mesh_set_color(facet_ctx *ctx, mesh *m, uint32_t rgba) {
    if (rgba == 0) {
        fc_free(ctx, m->color);
        m->color = NULL;
        return;
    }
    if (!m->color) m->color = fc_realloc_array(ctx, NULL, (size_t)m->nt ? (size_t)m->nt : 1,
                                               sizeof(uint32_t));
    for (int32_t t = 0; t < m->nt; t++) m->color[t] = rgba;
}

mesh *mesh_concat(facet_ctx *ctx, mesh *const *ms, int n) {
    int64_t nv = 0, nt = 0;
    bool colors = false, pairs = true, manifold = true, compact = true;
    double eps = 0;
    for (int i = 0; i < n; i++) {
        nv += ms[i]->nv;
        nt += ms[i]->nt;
        colors |= ms[i]->color != NULL;
        pairs &= ms[i]->pair != NULL || ms[i]->nt == 0;
        manifold &= ms[i]->manifold;
        compact &= ms[i]->compact;
        if (ms[i]->eps > eps) eps = ms[i]->eps;
    }
    if (nv > INT32_MAX / 3 || nt > INT32_MAX / 3)
        fc_throw(ctx, FACET_ERR_MEMORY_LIMIT, FC_NOLOC,
                 "Out of memory: mesh of %lld vertices and %lld triangles", (long long)nv,
                 (long long)nt);
    mesh *r = mesh_new(ctx, (int32_t)nv, (int32_t)nt);
    if (colors) r->color = fc_calloc(ctx, (size_t)nt ? (size_t)nt : 1, sizeof(uint32_t));
    if (pairs) r->pair = alloc3(ctx, (int32_t)nt, sizeof(int32_t));
    int32_t ov = 0, ot = 0;
    for (int i = 0; i < n; i++) {
        const mesh *m = ms[i];
        memcpy(r->pos + 3 * (size_t)ov, m->pos, (size_t)m->nv * 3 * sizeof(double));
        for (int32_t h = 0; h < 3 * m->nt; h++) {
            r->tri[3 * ot + h] = m->tri[h] + ov;
            if (pairs) r->pair[3 * ot + h] = m->pair[h] + 3 * ot;
        }
        if (m->color) memcpy(r->color + ot, m->color, (size_t)m->nt * sizeof(uint32_t));
        ov += m->nv;
        ot += m->nt;
    }
    r->eps = eps;
    r->manifold = manifold;
    r->compact = compact;
    return r;
}

/* The bounding box of the vertices that triangles use: points a polyhedron() lists but
 * never references are not part of the shape (OpenSCAD drops them too). */
void mesh_bbox(const mesh *m, double lo[3], double hi[3]) {
    for (int i = 0; i < 3; i++) lo[i] = INFINITY, hi[i] = -INFINITY;
    if (m->compact && m->nt > 0) {
        /* the same box from each vertex once instead of each of its ~6 corners */
        for (int32_t v = 0; v < m->nv; v++) {
            const double *p = m->pos + 3 * (size_t)v;
            for (int i = 0; i < 3; i++) {
                if (p[i] < lo[i]) lo[i] = p[i];
                if (p[i] > hi[i]) hi[i] = p[i];
            }
        }
        return;
    }
    for (int32_t h = 0; h < 3 * m->nt; h++) {
        const double *p = m->pos + 3 * (size_t)m->tri[h];
        for (int i = 0; i < 3; i++) {
            if (p[i] < lo[i]) lo[i] = p[i];
            if (p[i] > hi[i]) hi[i] = p[i];
        }
    }
}

/* Sum of signed tetrahedra against the bounding box centre rather than the origin: the
 * same value for a closed mesh, far less cancellation for a model far from the origin. */
double mesh_volume(const mesh *m) {
    if (m->nt == 0) return 0;
    double lo[3], hi[3], c[3];
    mesh_bbox(m, lo, hi);
    for (int i = 0; i < 3; i++) c[i] = 0.5 * (lo[i] + hi[i]);
    double vol = 0;
    for (int32_t t = 0; t < m->nt; t++) {
        const double *p0 = m->pos + 3 * (size_t)m->tri[3 * t];
        const double *p1 = m->pos + 3 * (size_t)m->tri[3 * t + 1];
        const double *p2 = m->pos + 3 * (size_t)m->tri[3 * t + 2];
        double a[3], b[3], d[3];
        for (int i = 0; i < 3; i++) a[i] = p0[i] - c[i], b[i] = p1[i] - c[i], d[i] = p2[i] - c[i];
        vol += a[0] * (b[1] * d[2] - b[2] * d[1]) + a[1] * (b[2] * d[0] - b[0] * d[2]) +
               a[2] * (b[0] * d[1] - b[1] * d[0]);
    }
    return vol / 6.0;
}

double mesh_area(const mesh *m) {
    double area = 0;
    for (int32_t t = 0; t < m->nt; t++) {
        const double *p0 = m->pos + 3 * (size_t)m->tri[3 * t];
        const double *p1 = m->pos + 3 * (size_t)m->tri[3 * t + 1];
        const double *p2 = m->pos + 3 * (size_t)m->tri[3 * t + 2];
        double u[3], v[3];
        for (int i = 0; i < 3; i++) u[i] = p1[i] - p0[i], v[i] = p2[i] - p0[i];
        double cx = u[1] * v[2] - u[2] * v[1], cy = u[2] * v[0] - u[0] * v[2],
               cz = u[0] * v[1] - u[1] * v[0];
        area += sqrt(cx * cx + cy * cy + cz * cz);
    }
    return 0.5 * area;
}
