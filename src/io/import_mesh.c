/*
 * import_mesh.c — vertex welding and face triangulation for the mesh readers (see
 * import_mesh.h).
 */
#include "io/import_mesh.h"

#include <math.h>
#include <string.h>

#include "core/hash.h"

void mb_init(mesh_build *b, facet_ctx *ctx) {
    memset(b, 0, sizeof *b);
    b->ctx = ctx;
}

static uint64_t key_hash(const double *p) {
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (int k = 0; k < 3; k++) h = fc_hash_double(h, p[k]);
    return h;
}

static void rehash(mesh_build *b, uint32_t nslots) {
    fc_free(b->ctx, b->slots);
    b->slots = fc_alloc(b->ctx, (size_t)nslots * sizeof *b->slots);
    for (uint32_t i = 0; i < nslots; i++) b->slots[i] = -1;
    b->nslots = nslots;
    for (int32_t v = 0; v < b->nv; v++) {
        uint32_t s = (uint32_t)key_hash(b->pos + 3 * v) & (nslots - 1);
        while (b->slots[s] >= 0) s = (s + 1) & (nslots - 1);
        b->slots[s] = v;
    }
}

int32_t mb_vertex(mesh_build *b, double x, double y, double z) {
    double p[3] = {x == 0 ? 0 : x, y == 0 ? 0 : y, z == 0 ? 0 : z};
    if ((uint64_t)(b->nv + 1) * 2 > b->nslots) {
        if (b->nslots >= (1u << 30)) fc_throw(b->ctx, FACET_ERR_MEMORY_LIMIT, FC_NOLOC, "Out of memory: too many vertices");
        rehash(b, b->nslots ? b->nslots * 2 : 1024);
    }
    uint32_t s = (uint32_t)key_hash(p) & (b->nslots - 1);
    while (b->slots[s] >= 0) {
        const double *q = b->pos + 3 * b->slots[s];
        if (q[0] == p[0] && q[1] == p[1] && q[2] == p[2]) return b->slots[s];
        s = (s + 1) & (b->nslots - 1);
    }
    FC_GROW(b->ctx, b->pos, b->capv, 3 * (b->nv + 1));
    memcpy(b->pos + 3 * b->nv, p, sizeof p);
    b->slots[s] = b->nv;
    return b->nv++;
}

static void add_tri(mesh_build *b, int32_t i, int32_t j, int32_t k, uint32_t color) {
    if (i == j || j == k || k == i) return;
    FC_GROW(b->ctx, b->tri, b->capt, 3 * (b->nt + 1));
    FC_GROW(b->ctx, b->color, b->capc, b->nt + 1);
    b->tri[3 * b->nt] = i;
    b->tri[3 * b->nt + 1] = j;
    b->tri[3 * b->nt + 2] = k;
    b->color[b->nt] = color;
    if (color) b->has_color = true;
    b->nt++;
}

/* Twice the signed area of the corner (a, b, c) in the projection (u, v). */
static double corner(const mesh_build *b, int32_t a, int32_t c0, int32_t c, int u, int v) {
    const double *pa = b->pos + 3 * a, *pb = b->pos + 3 * c0, *pc = b->pos + 3 * c;
    return (pb[u] - pa[u]) * (pc[v] - pa[v]) - (pb[v] - pa[v]) * (pc[u] - pa[u]);
}

static bool inside_tri(const mesh_build *b, int32_t p, int32_t a, int32_t c0, int32_t c, int u, int v,
                       double s) {
    return corner(b, a, c0, p, u, v) * s >= 0 && corner(b, c0, c, p, u, v) * s >= 0 &&
           corner(b, c, a, p, u, v) * s >= 0;
}

void mb_face(mesh_build *b, const int32_t *idx, int n, uint32_t color) {
    facet_ctx *ctx = b->ctx;
    /* drop repeated consecutive corners (and a closing repeat of the first) */
    int32_t *v = fc_alloc(ctx, (size_t)(n > 0 ? n : 1) * sizeof *v);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (m == 0 || v[m - 1] != idx[i]) v[m++] = idx[i];
    while (m > 1 && v[m - 1] == v[0]) m--;
    if (m == 3) add_tri(b, v[0], v[1], v[2], color);
    if (m <= 3) {
        fc_free(ctx, v);
        return;
    }
    /* the plane: Newell's normal, projected along its largest component */
    double nrm[3] = {0, 0, 0};
    for (int i = 0; i < m; i++) {
        const double *p = b->pos + 3 * v[i], *q = b->pos + 3 * v[(i + 1) % m];
        nrm[0] += (p[1] - q[1]) * (p[2] + q[2]);
        nrm[1] += (p[2] - q[2]) * (p[0] + q[0]);
        nrm[2] += (p[0] - q[0]) * (p[1] + q[1]);
    }
    int k = 0;
    for (int a = 1; a < 3; a++)
        if (fabs(nrm[a]) > fabs(nrm[k])) k = a;
    int u = (k + 1) % 3, w = (k + 2) % 3;
    double s = nrm[k] < 0 ? -1 : 1;
    bool convex = true;
    for (int i = 0; i < m && convex; i++)
        if (corner(b, v[(i + m - 1) % m], v[i], v[(i + 1) % m], u, w) * s < 0) convex = false;
    if (convex) {
        for (int i = 1; i + 1 < m; i++) add_tri(b, v[0], v[i], v[i + 1], color);
        fc_free(ctx, v);
        return;
    }
    /* ear clipping: cut a convex corner whose triangle holds no other corner */
    while (m > 3) {
        fc_tick(ctx);
        int ear = -1;
        for (int i = 0; i < m && ear < 0; i++) {
            int32_t a = v[(i + m - 1) % m], c0 = v[i], c = v[(i + 1) % m];
            if (corner(b, a, c0, c, u, w) * s <= 0) continue;
            bool empty = true;
            for (int j = 0; j < m && empty; j++) {
                int32_t p = v[j];
                if (p == a || p == c0 || p == c) continue;
                if (inside_tri(b, p, a, c0, c, u, w, s)) empty = false;
            }
            if (empty) ear = i;
        }
        if (ear < 0) break; /* degenerate or self-intersecting: fan what is left */
        add_tri(b, v[(ear + m - 1) % m], v[ear], v[(ear + 1) % m], color);
        memmove(v + ear, v + ear + 1, (size_t)(m - ear - 1) * sizeof *v);
        m--;
    }
    for (int i = 1; i + 1 < m; i++) add_tri(b, v[0], v[i], v[i + 1], color);
    fc_free(ctx, v);
}

mesh *mb_finish(mesh_build *b) {
    facet_ctx *ctx = b->ctx;
    mesh *m;
    if (b->nt == 0) {
        m = mesh_empty(ctx);
    } else {
        /* keep only the vertices some face uses, in order of first appearance */
        int32_t *map = fc_alloc(ctx, (size_t)b->nv * sizeof *map);
        for (int32_t i = 0; i < b->nv; i++) map[i] = -1;
        int32_t nv = 0;
        for (int32_t i = 0; i < 3 * b->nt; i++)
            if (map[b->tri[i]] < 0) map[b->tri[i]] = nv++;
        m = mesh_new(ctx, nv, b->nt);
        for (int32_t i = 0; i < b->nv; i++)
            if (map[i] >= 0) memcpy(m->pos + 3 * map[i], b->pos + 3 * i, 3 * sizeof(double));
        for (int32_t i = 0; i < 3 * b->nt; i++) m->tri[i] = map[b->tri[i]];
        if (b->has_color) {
            if (!m->color) m->color = fc_alloc(ctx, (size_t)b->nt * sizeof *m->color);
            memcpy(m->color, b->color, (size_t)b->nt * sizeof *m->color);
        } else if (m->color) {
            fc_free(ctx, m->color);
            m->color = NULL;
        }
        fc_free(ctx, map);
        m->manifold = mesh_is_manifold(ctx, m);
    }
    fc_free(ctx, b->pos);
    fc_free(ctx, b->slots);
    fc_free(ctx, b->tri);
    fc_free(ctx, b->color);
    mb_init(b, ctx);
    return m;
}
