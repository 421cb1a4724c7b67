/*
 * mesh_topo.c — halfedge pairing, the closed-manifold check, Euler characteristic and genus.
 *
 * Edges are found by sorting: every halfedge a->b gets the key (min(a,b), max(a,b)) and a
 * radix sort brings the two halves of each edge together in O(n), whatever the vertex
 * degrees (a cone apex with a million fragments costs no more than a cube corner). An edge
 * is manifold when exactly two halfedges share its key and they run in opposite directions.
 *
 * A surface can have every edge paired and still not be a manifold: two cones touching at
 * their apex share a vertex whose triangles form two separate fans. mesh_is_manifold walks
 * the fan around each vertex (h -> next(pair(h))) and rejects vertices with more than one.
 */
#include <string.h>

#include "core/sort.h"
#include "geom/mesh.h"

/* (min, max) of the halfedge's end points as one number, dense in [0, nv^2) so that small
 * meshes need few radix digits */
static inline uint64_t edge_key(const mesh *m, int32_t h) {
    uint32_t a = (uint32_t)m->tri[h], b = (uint32_t)m->tri[mesh_next_he(h)];
    uint64_t nv = (uint64_t)(m->nv > 0 ? m->nv : 1);
    return a < b ? (uint64_t)a * nv + b : (uint64_t)b * nv + a;
}

/* The halfedge indices of m sorted by edge key (fc_sort_keys), with the keys. */
static int32_t *sorted_halfedges(facet_ctx *ctx, const mesh *m, uint64_t **keys_out) {
    size_t n = (size_t)m->nt * 3;
    uint64_t *key = fc_realloc_array(ctx, NULL, n ? n : 1, sizeof *key);
    int32_t *idx = fc_realloc_array(ctx, NULL, n ? n : 1, sizeof *idx);
    for (size_t h = 0; h < n; h++) {
        key[h] = edge_key(m, (int32_t)h);
        idx[h] = (int32_t)h;
    }
    fc_sort_keys(ctx, key, idx, n);
    *keys_out = key;
    return idx;
}

bool mesh_build_pairs(facet_ctx *ctx, mesh *m) {
    size_t n = (size_t)m->nt * 3;
    uint64_t *key;
    int32_t *idx = sorted_halfedges(ctx, m, &key);
    int32_t *pair = fc_realloc_array(ctx, NULL, n ? n : 1, sizeof *pair);
    bool ok = true;
    for (size_t i = 0; i < n && ok;) {
        size_t j = i + 1;
        while (j < n && key[j] == key[i]) j++;
        int32_t a = idx[i], b = idx[i + 1 < n ? i + 1 : i];
        /* exactly two halves, opposite directions (a->b and b->a), no a->a edge */
        if (j - i != 2 || m->tri[a] == m->tri[mesh_next_he(a)] || m->tri[a] != m->tri[mesh_next_he(b)]) {
            ok = false;
            break;
        }
        pair[a] = b;
        pair[b] = a;
        i = j;
    }
    fc_free(ctx, key);
    fc_free(ctx, idx);
    fc_free(ctx, m->pair);
    m->pair = NULL;
    if (!ok) {
        fc_free(ctx, pair);
        return false;
    }
    m->pair = pair;
    return true;
}

/* The check of mesh_is_manifold on pairs the mesh already carries (the boolean kernel's
 * output does), in one pass instead of a sort: 1 manifold, 0 not, -1 when the pairs are not
 * a consistent pairing of a->b with b->a and the sort must decide. With consistent pairs the
 * verdict is the sort's: one fan per vertex, and the halfedges leaving a vertex ending at
 * distinct vertices (a repeated end is an edge with more than two halves, a sort key shared
 * by four), make every edge unique, so the sort would find these very pairs. */
static int manifold_from_pairs(facet_ctx *ctx, const mesh *m) {
    size_t n = (size_t)m->nt * 3;
    for (size_t i = 0; i < n; i++) {
        int32_t h = (int32_t)i, p = m->pair[h];
        if (p < 0 || (size_t)p >= n || m->pair[p] != h) return -1;
        if (m->tri[h] != m->tri[mesh_next_he(p)] || m->tri[p] != m->tri[mesh_next_he(h)]) return -1;
        if (m->tri[h] == m->tri[mesh_next_he(h)]) return 0; /* an a->a edge */
    }
    unsigned char *seen = fc_calloc(ctx, n, 1);
    int32_t *mark = fc_realloc_array(ctx, NULL, (size_t)m->nv ? (size_t)m->nv : 1, sizeof *mark);
    unsigned char *has_fan = fc_calloc(ctx, (size_t)m->nv ? (size_t)m->nv : 1, 1);
    for (int32_t v = 0; v < m->nv; v++) mark[v] = -1;
    int ok = 1;
    for (size_t h0 = 0; h0 < n && ok; h0++) {
        if (seen[h0]) continue;
        int32_t v = m->tri[h0];
        if (has_fan[v]) ok = 0; /* a second fan around v: pinched */
        has_fan[v] = 1;
        int32_t h = (int32_t)h0;
        do {
            seen[h] = 1;
            int32_t end = m->tri[mesh_next_he(h)];
            if (mark[end] == v) ok = 0; /* two halfedges v->end */
            mark[end] = v;
            h = mesh_next_he(m->pair[h]);
        } while (h != (int32_t)h0);
        fc_tick(ctx);
    }
    fc_free(ctx, seen);
    fc_free(ctx, mark);
    fc_free(ctx, has_fan);
    return ok;
}

bool mesh_is_manifold(facet_ctx *ctx, mesh *m) {
    if (m->nt == 0) return m->manifold = true;
    for (int32_t h = 0; h < 3 * m->nt; h++)
        if (m->tri[h] < 0 || m->tri[h] >= m->nv) return m->manifold = false;
    if (m->pair) {
        int r = manifold_from_pairs(ctx, m);
        if (r >= 0) return m->manifold = r == 1;
    }
    if (!mesh_build_pairs(ctx, m)) return m->manifold = false;
    /* Count the fans around each vertex: each orbit of h -> next(pair(h)) is one fan. */
    size_t n = (size_t)m->nt * 3;
    unsigned char *seen = fc_calloc(ctx, n, 1);
    unsigned char *has_fan = fc_calloc(ctx, (size_t)m->nv ? (size_t)m->nv : 1, 1);
    bool ok = true;
    for (size_t h0 = 0; h0 < n && ok; h0++) {
        if (seen[h0]) continue;
        int32_t v = m->tri[h0];
        if (has_fan[v]) ok = false; /* a second fan around v: pinched */
        has_fan[v] = 1;
        int32_t h = (int32_t)h0;
        do {
            seen[h] = 1;
            h = mesh_next_he(m->pair[h]);
        } while (h != (int32_t)h0);
        fc_tick(ctx);
    }
    fc_free(ctx, seen);
    fc_free(ctx, has_fan);
    return m->manifold = ok;
}

long mesh_euler(facet_ctx *ctx, const mesh *m) {
    if (m->nt == 0) return 0;
    size_t n = (size_t)m->nt * 3;
    long edges = 0;
    if (m->manifold && m->pair) {
        /* checked closed manifold: every edge has exactly two halves */
        edges = (long)(n / 2);
    } else {
        uint64_t *key;
        int32_t *idx = sorted_halfedges(ctx, m, &key);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || key[i] != key[i - 1]) edges++;
        fc_free(ctx, key);
        fc_free(ctx, idx);
    }
    unsigned char *used = fc_calloc(ctx, (size_t)m->nv ? (size_t)m->nv : 1, 1);
    long verts = 0;
    for (size_t h = 0; h < n; h++)
        if (!used[m->tri[h]]) used[m->tri[h]] = 1, verts++;
    fc_free(ctx, used);
    return verts - edges + (long)m->nt;
}

static int32_t uf_find(int32_t *parent, int32_t x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Union-find over the triangles' vertices: parent[v] leads to v's component root. */
static int32_t *vertex_components(facet_ctx *ctx, const mesh *m) {
    int32_t *parent = fc_realloc_array(ctx, NULL, (size_t)m->nv, sizeof *parent);
    for (int32_t v = 0; v < m->nv; v++) parent[v] = v;
    for (int32_t h = 0; h < 3 * m->nt; h++) {
        int32_t a = uf_find(parent, m->tri[h]), b = uf_find(parent, m->tri[mesh_next_he(h)]);
        if (a != b) parent[a < b ? b : a] = a < b ? a : b;
    }
    return parent;
}

/* Whether every component encloses a positive volume, from the components' roots. Each
 * component's volume is taken about its own root vertex, so distant components do not
 * cancel in rounding. */
static bool components_outward(facet_ctx *ctx, const mesh *m, int32_t *parent) {
    double *vol = fc_calloc(ctx, (size_t)m->nv, sizeof *vol);
    for (int32_t t = 0; t < m->nt; t++) {
        int32_t r = uf_find(parent, m->tri[3 * t]);
        const double *o = m->pos + 3 * (size_t)r;
        const double *p0 = m->pos + 3 * (size_t)m->tri[3 * t];
        const double *p1 = m->pos + 3 * (size_t)m->tri[3 * t + 1];
        const double *p2 = m->pos + 3 * (size_t)m->tri[3 * t + 2];
        double a[3], b[3], d[3];
        for (int i = 0; i < 3; i++) a[i] = p0[i] - o[i], b[i] = p1[i] - o[i], d[i] = p2[i] - o[i];
        vol[r] += a[0] * (b[1] * d[2] - b[2] * d[1]) + a[1] * (b[2] * d[0] - b[0] * d[2]) +
                  a[2] * (b[0] * d[1] - b[1] * d[0]);
    }
    bool ok = true;
    for (int32_t t = 0; t < m->nt && ok; t++)
        if (!(vol[uf_find(parent, m->tri[3 * t])] > 0)) ok = false;
    fc_free(ctx, vol);
    return ok;
}

void mesh_topology(facet_ctx *ctx, mesh *m, long *genus, bool *outward) {
    if (genus) *genus = 0;
    if (outward) *outward = true;
    if (m->nt == 0) return;
    int32_t *parent = vertex_components(ctx, m);
    if (genus) {
        long components = 0;
        unsigned char *used = fc_calloc(ctx, (size_t)m->nv, 1);
        for (int32_t h = 0; h < 3 * m->nt; h++) used[m->tri[h]] = 1;
        for (int32_t v = 0; v < m->nv; v++)
            if (used[v] && uf_find(parent, v) == v) components++;
        fc_free(ctx, used);
        *genus = (2 * components - mesh_euler(ctx, m)) / 2;
    }
    if (outward) *outward = components_outward(ctx, m, parent);
    fc_free(ctx, parent);
}

long mesh_genus(facet_ctx *ctx, mesh *m) {
    long g;
    mesh_topology(ctx, m, &g, NULL);
    return g;
}

/* A polyhedron() or an imported file can join an inside-out part to a right one; a viewer
 * that skips back faces must know. */
bool mesh_outward(facet_ctx *ctx, mesh *m) {
    bool o;
    mesh_topology(ctx, m, NULL, &o);
    return o;
}
