/*
 * bool3_simplify.c — cleanup after triangulation (KERNEL.md §8, simplified).
 *
 * Intersection points that coincide with, or lie within the precision of, another vertex
 * leave edges of (near) zero length. Such an edge is collapsed when its start vertex is
 * new (never an input vertex): the start is merged into the end, the two triangles on the
 * edge disappear and their outer edges are re-paired. A collapse is refused when it would
 * break the closed 2-manifold (the two one-rings share a vertex other than the two
 * opposite corners), so old vertices never move and the result stays manifold; refusing
 * only leaves a short edge behind. Finally unused vertices and deleted triangles are
 * compacted away.
 */
#include <math.h>
#include <string.h>

#include "geom/bool3_internal.h"

static inline int b3_nx(int h) { return 3 * (h / 3) + (h % 3 + 1) % 3; }
static inline int b3_pv(int h) { return 3 * (h / 3) + (h % 3 + 2) % 3; }

typedef struct b3_simp {
    facet_ctx *ctx;
    b3_tris *t;
    bool *dead;
    int32_t *ring;
    int capring;
} b3_simp;

/* Collects the ends of the halfedges leaving the start of h into s->ring from offset off;
 * returns the count, or -1 when the orbit does not close (should not happen). */
static int b3_orbit(b3_simp *s, int h, int off) {
    const int32_t *tri = s->t->tri, *pair = s->t->pair;
    int n = 0, g = h;
    do {
        FC_GROW(s->ctx, s->ring, s->capring, off + n + 1);
        s->ring[off + n++] = tri[b3_nx(g)];
        g = b3_nx(pair[g]);
        if (n > 3 * s->t->nt) return -1;
    } while (g != h);
    return n;
}

/* Collapses the start of halfedge h into its end when the manifold survives. */
static bool b3_collapse(b3_simp *s, int h) {
    int32_t *tri = s->t->tri, *pair = s->t->pair;
    int v = tri[h], u = tri[b3_nx(h)];
    int hp = pair[h];
    int a = tri[b3_pv(h)], b = tri[b3_pv(hp)];
    if (a == b || u == v) return false;
    int nv = b3_orbit(s, h, 0);
    if (nv < 0) return false;
    int nu = b3_orbit(s, hp, nv);
    if (nu < 0) return false;
    /* link condition: common neighbours are exactly a and b */
    for (int i = 0; i < nv; i++) {
        int w = s->ring[i];
        if (w == a || w == b || w == u) continue;
        for (int j = 0; j < nu; j++)
            if (s->ring[nv + j] == w) return false;
    }
    if (nv <= 3 && nu <= 3) return false; /* a lone tetrahedron would fold flat */
    /* the triangles on the edge go; their outer edges are re-paired */
    int h1 = b3_nx(h), h2 = b3_pv(h), k1 = b3_nx(hp), k2 = b3_pv(hp);
    int p1 = pair[h1], p2 = pair[h2], q1 = pair[k1], q2 = pair[k2];
    /* redirect v's outgoing halfedges (other than those in the dying triangles) to u */
    int g = b3_nx(pair[h]);
    while (g != h) {
        int next = b3_nx(pair[g]);
        tri[g] = u;
        g = next;
    }
    pair[p1] = p2;
    pair[p2] = p1;
    pair[q1] = q2;
    pair[q2] = q1;
    s->dead[h / 3] = true;
    s->dead[hp / 3] = true;
    return true;
}

void b3_simplify(facet_ctx *ctx, b3_tris *t, double eps) {
    b3_simp s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.t = t;
    s.dead = fc_calloc(ctx, (size_t)t->nt + 1, sizeof *s.dead);
    double eps2 = eps > 0 ? eps * eps : 0;
    for (int round = 0; round < 8; round++) {
        int changed = 0;
        for (int h = 0; h < 3 * t->nt; h++) {
            if ((h & 255) == 0) fc_tick(ctx);
            if (s.dead[h / 3]) continue;
            int v = t->tri[h], u = t->tri[b3_nx(h)];
            if (v < t->first_new) continue;
            const double *p = t->pos + 3 * v, *q = t->pos + 3 * u;
            double d2 = 0;
            for (int k = 0; k < 3; k++) d2 += (p[k] - q[k]) * (p[k] - q[k]);
            if (!(d2 <= eps2)) continue;
            if (b3_collapse(&s, h)) changed++;
        }
        if (!changed) break;
    }

    /* compact triangles and vertices */
    int32_t *tmap = fc_alloc(ctx, sizeof *tmap * ((size_t)t->nt + 1));
    int32_t *vmap = fc_alloc(ctx, sizeof *vmap * ((size_t)t->nv + 1));
    for (int v = 0; v < t->nv; v++) vmap[v] = -1;
    int nt = 0;
    for (int i = 0; i < t->nt; i++) tmap[i] = s.dead[i] ? -1 : nt++;
    int nv = 0, first_new = 0;
    for (int i = 0; i < t->nt; i++) {
        if (s.dead[i]) continue;
        for (int k = 0; k < 3; k++) vmap[t->tri[3 * i + k]] = 0;
    }
    double *pos = fc_alloc(ctx, sizeof *pos * 3 * ((size_t)t->nv + 1));
    for (int v = 0; v < t->nv; v++) {
        if (vmap[v] < 0) continue;
        if (v < t->first_new) first_new++;
        memcpy(pos + 3 * nv, t->pos + 3 * v, sizeof(double) * 3);
        vmap[v] = nv++;
    }
    for (int i = 0; i < t->nt; i++) {
        int j = tmap[i];
        if (j < 0) continue;
        for (int k = 0; k < 3; k++) {
            int h = 3 * i + k;
            t->tri[3 * j + k] = vmap[t->tri[h]];
            int p = t->pair[h];
            t->pair[3 * j + k] = 3 * tmap[p / 3] + p % 3;
        }
        t->src[j] = t->src[i];
    }
    t->nt = nt;
    t->nv = nv;
    t->first_new = first_new;
    t->pos = pos;
    fc_free(ctx, tmap);
    fc_free(ctx, vmap);
    fc_free(ctx, s.dead);
    fc_free(ctx, s.ring);
}
