/*
 * bool3_simplify.c — cleanup after triangulation (KERNEL.md §8, simplified).
 *
 * Intersection points that coincide with, or lie within the precision of, another vertex
 * leave edges of (near) zero length. Such an edge is collapsed when its start vertex is
 * new (never an input vertex): the start is merged into the end, the two triangles on the
 * edge disappear and their outer edges are re-paired. A collapse is refused when it would
 * break the closed 2-manifold (the two one-rings share a vertex other than the two
 * opposite corners), so old vertices never move and the result stays manifold; refusing
 * only leaves a short edge behind.
 *
 * Degenerate input (identical or touching operands) can leave the halfedge structure
 * valid while its vertex numbering is not: one vertex with several fans (a pinch), or two
 * distinct edges joining the same two vertices. Those are repaired topologically (§8.1-2):
 * each extra fan gets its own copy of the vertex, and of two edges a-b the end vertex b is
 * split between the two sectors of its fan and the four halfedges re-paired so that each
 * sheet keeps one edge. Finally unused vertices and deleted triangles are compacted away.
 *
 * Cost. All of this happens near the new vertices, most of a large result is untouched, and
 * booleans run after each other, so the stages work from worklists instead of scanning every
 * halfedge in every round: one linear pass finds the candidates (short edges, triangles with
 * a new corner, a repeated one or a neighbour with the same corners, the halfedges leaving
 * each new vertex), and every change queues what it may have made a candidate (a collapse
 * the halfedges it moves and the triangles it re-pairs, a flip its two triangles). The
 * worklists are bit sets scanned in increasing index order, so the candidates are handled
 * in exactly the order of a full scan, which matters because the order of the collapses
 * decides which vertex survives; a bit set ahead of a running scan is seen by that scan, as
 * the full scan would see the change. The result is the same, bit for bit. One walk around
 * every fan shows that the topological repairs have nothing to do (the rule); the
 * thin-component test and the compaction stay single linear passes.
 */
#include <math.h>
#include <string.h>

#include "geom/bool3_internal.h"

static inline int b3_nx(int h) { return b3_next(h); }
static inline int b3_pv(int h) { return b3_prev(h); }

/* The first member of a bit set at or after i, n when there is none. Scans visit members in
 * increasing order, including those added ahead of them while they run. */
static inline int b3_bit_next(const uint64_t *b, int i, int n) {
    /* index of the lowest set bit by a de Bruijn multiply (portable C11, no builtins) */
    static const uint8_t debruijn[64] = {
        0,  1,  48, 2,  57, 49, 28, 3,  61, 58, 50, 42, 38, 29, 17, 4,  62, 55, 59, 36, 53, 51,
        43, 22, 45, 39, 33, 30, 24, 18, 12, 5,  63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21,
        44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,  13, 8,  7,  6};
    if (i >= n) return n;
    int w = i >> 6;
    uint64_t x = b[w] & (~(uint64_t)0 << (i & 63));
    while (!x) {
        if (++w << 6 >= n) return n;
        x = b[w];
    }
    return (w << 6) + debruijn[((x & -x) * UINT64_C(0x03f79d71b4cb0a89)) >> 58];
}
static inline void b3_bit_set(uint64_t *b, int i) { b[i >> 6] |= (uint64_t)1 << (i & 63); }
static inline void b3_bit_clear(uint64_t *b, int i) { b[i >> 6] &= ~((uint64_t)1 << (i & 63)); }
static inline bool b3_bit_get(const uint64_t *b, int i) { return b[i >> 6] >> (i & 63) & 1; }

/* A set of vertices that lists its members, so that emptying it costs its size. */
typedef struct b3_vset {
    bool *in;
    int32_t *list;
    int n;
} b3_vset;

static inline void b3_vset_add(b3_vset *v, int x) {
    if (v->in[x]) return;
    v->in[x] = true;
    v->list[v->n++] = x;
}

static void b3_vset_clear(b3_vset *v) {
    for (int i = 0; i < v->n; i++) v->in[v->list[i]] = false;
    v->n = 0;
}

typedef struct b3_simp {
    facet_ctx *ctx;
    b3_tris *t;
    int nh;
    bool *dead;
    double *pos; /* the positions: t->pos until b3_dup_vertex needs a growable copy */
    int cappos;  /* 0 while pos is t->pos */
    int32_t *ring;
    int capring;
    /* the corners with which each triangle was last found not to be a sliver (positions
     * never move here, so the verdict holds while its corners are the same): the sliver
     * passes run many times and most triangles never change */
    int32_t *okv;
    uint64_t *okset; /* triangles whose okv is set */
    /* worklists: a member may turn out to need nothing; a non-member certainly does not */
    uint64_t *shortw;  /* halfedges: short edges to collapse */
    uint64_t *repw;    /* triangles whose corners changed: a corner may repeat */
    uint64_t *pillw;   /* triangles whose back-to-back test may have changed */
    uint64_t *sliverw; /* triangles: the sliver test is not known to fail */
    uint64_t *walkw;   /* halfedges the running colinear round has still to visit */
    int cursor;        /* where that round is (INT32_MAX outside one) */
    bool shortstage;   /* collapses feed shortw, repw and pillw */
    bool colinear;     /* collapses fill dirty, flips touched */
    bool asym;         /* some pair was not mutual: pillw cannot find neighbours */
    /* the halfedges leaving each new vertex v, dead ones included: a list from
     * ohead[v - first_new] through onext; every change of a start moves the halfedge */
    int32_t *ohead, *onext;
    b3_vset todo, dirty, touched; /* the colinear stage's vertex sets */
    int32_t *wit;                 /* per halfedge, for b3_flat_at */
} b3_simp;

/* Halfedge h now starts at `to` instead of `from`: moves it between the lists. */
static inline void b3_out_move(b3_simp *s, int h, int from, int to) {
    int fn = s->t->first_new;
    if (!s->ohead || from == to) return;
    if (from >= fn) {
        int32_t *e = s->ohead + (from - fn);
        while (*e >= 0 && *e != h) e = s->onext + *e;
        if (*e == h) *e = s->onext[h];
    }
    if (to >= fn) {
        s->onext[h] = s->ohead[to - fn];
        s->ohead[to - fn] = h;
    }
}

/* Halfedge g now starts at u instead of v (a collapse moved it): queues whatever reads its
 * corners. */
static inline void b3_moved(b3_simp *s, int g, int v, int u) {
    int f = g / 3;
    b3_bit_set(s->sliverw, f);
    b3_out_move(s, g, v, u);
    if (s->shortstage) {
        b3_bit_set(s->shortw, g);
        b3_bit_set(s->shortw, b3_pv(g));
        b3_bit_set(s->repw, f);
        /* the back-to-back test of f and of its neighbours reads f's corners */
        b3_bit_set(s->pillw, f);
        for (int k = 0; k < 3; k++) b3_bit_set(s->pillw, s->t->pair[3 * f + k] / 3);
    }
    if (g > s->cursor && u >= s->t->first_new && s->todo.in[u]) b3_bit_set(s->walkw, g);
}

/* The pair of halfedge h changed: its triangle's back-to-back test may now succeed. */
static inline void b3_repaired(b3_simp *s, int h) {
    if (s->shortstage) b3_bit_set(s->pillw, h / 3);
}

/* Collects the ends of the halfedges leaving the start of h into s->ring from offset off;
 * returns the count, or -1 when the orbit does not close (should not happen). */
static int b3_orbit(b3_simp *s, int h, int off) {
    const int32_t *tri = s->t->tri, *pair = s->t->pair;
    int n = 0, g = h;
    do {
        if (off + n >= s->capring) FC_GROW(s->ctx, s->ring, s->capring, off + n + 1);
        s->ring[off + n++] = tri[b3_nx(g)];
        g = b3_nx(pair[g]);
        if (n > 3 * s->t->nt) return -1;
    } while (g != h);
    return n;
}

/* Collapses the start of halfedge h into its end when the manifold survives. A forced
 * collapse (a zero-length edge: nothing moves) skips the link condition; the folds it can
 * leave (repeated corners, back-to-back triangles, double edges) are repaired after. */
static bool b3_collapse(b3_simp *s, int h, bool force) {
    int32_t *tri = s->t->tri, *pair = s->t->pair;
    int v = tri[h], u = tri[b3_nx(h)];
    int hp = pair[h];
    int a = tri[b3_pv(h)], b = tri[b3_pv(hp)];
    if (a == b || u == v) return false;
    if (force) {
        const int hs[4] = {b3_nx(h), b3_pv(h), b3_nx(hp), b3_pv(hp)};
        for (int i = 0; i < 4; i++) {
            int q = pair[hs[i]] / 3;
            if (q == h / 3 || q == hp / 3) return false;
        }
        goto collapse;
    }
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
    if (s->colinear) {
        for (int i = 0; i < nv + nu; i++) b3_vset_add(&s->dirty, s->ring[i]);
        b3_vset_add(&s->dirty, u);
    }
collapse:;
    /* the triangles on the edge go; their outer edges are re-paired */
    int h1 = b3_nx(h), h2 = b3_pv(h), k1 = b3_nx(hp), k2 = b3_pv(hp);
    int p1 = pair[h1], p2 = pair[h2], q1 = pair[k1], q2 = pair[k2];
    /* redirect v's outgoing halfedges (other than those in the dying triangles) to u */
    int g = b3_nx(pair[h]);
    while (g != h) {
        int next = b3_nx(pair[g]), was = tri[g];
        tri[g] = u;
        b3_moved(s, g, was, u);
        g = next;
    }
    pair[p1] = p2;
    pair[p2] = p1;
    pair[q1] = q2;
    pair[q2] = q1;
    b3_repaired(s, p1);
    b3_repaired(s, p2);
    b3_repaired(s, q1);
    b3_repaired(s, q2);
    s->dead[h / 3] = true;
    s->dead[hp / 3] = true;
    return true;
}

/* Removes triangle i if it uses one vertex twice (the ear clipper emits such triangles
 * where a bridge or a pinched loop folds back): the partners of the two halfedges joining
 * the repeated vertex to the third corner are paired with each other, and the self-edge
 * u->u can only be partnered by another such triangle, which goes too. */
static void b3_unrepeat(b3_simp *s, int i) {
    b3_tris *t = s->t;
    const int32_t *v = t->tri + 3 * i;
    if (s->dead[i]) return;
    if (v[0] != v[1] && v[1] != v[2] && v[2] != v[0]) return;
    s->dead[i] = true;
    for (int k = 0; k < 3; k++) {
        int h = 3 * i + k;
        if (t->tri[h] != t->tri[b3_nx(h)]) continue;
        /* the other two halfedges: x->y and y->x around the self-edge */
        int hb = b3_nx(h), hc = b3_pv(h);
        int pb = t->pair[hb], pc = t->pair[hc];
        if (t->tri[hb] == t->tri[b3_nx(hb)]) break; /* u->u->u: all self-edges */
        if (pb != hc) {
            t->pair[pb] = pc;
            t->pair[pc] = pb;
            b3_repaired(s, pb);
            b3_repaired(s, pc);
        }
        break;
    }
}

/* The triangles queued in repw, in increasing order: those the candidate pass found, then
 * those with a moved corner (nothing else makes a repeat). */
static void b3_remove_repeats(b3_simp *s) {
    int nt = s->t->nt;
    for (int i = b3_bit_next(s->repw, 0, nt); i < nt; i = b3_bit_next(s->repw, i + 1, nt)) {
        b3_bit_clear(s->repw, i);
        b3_unrepeat(s, i);
    }
}

/* Zips back-to-back triangle pairs (a,b,c)/(a,c,b), zero-volume folds that degenerate
 * contact leaves: both go and the partners of each pair of opposite halfedges are paired
 * with each other. Looks at the triangles queued in pillw, in increasing order: the test of
 * a triangle reads its corners, its pairs and its neighbours' corners, and whatever changes
 * one of those queues it again. */
static void b3_zip_pillows(b3_simp *s) {
    b3_tris *t = s->t;
    int nt = t->nt;
    if (s->asym) /* neighbours cannot be found from a changed triangle: test everything */
        for (int i = 0; i < nt; i++) b3_bit_set(s->pillw, i);
    for (int t1 = b3_bit_next(s->pillw, 0, nt); t1 < nt; t1 = b3_bit_next(s->pillw, t1 + 1, nt)) {
        b3_bit_clear(s->pillw, t1);
        if (s->dead[t1]) continue;
        const int32_t *a = t->tri + 3 * t1;
        for (int k = 0; k < 3; k++) {
            int t2 = t->pair[3 * t1 + k] / 3;
            if (t2 == t1 || s->dead[t2]) continue;
            const int32_t *b = t->tri + 3 * t2;
            int r = -1;
            for (int j = 0; j < 3; j++)
                if (b[j] == a[0] && b[(j + 1) % 3] == a[2] && b[(j + 2) % 3] == a[1]) r = j;
            if (r < 0) continue;
            for (int i = 0; i < 3; i++) {
                int h = 3 * t1 + i; /* a[i] -> a[i+1] */
                int g = -1;
                for (int j = 0; j < 3; j++)
                    if (b[j] == a[(i + 1) % 3] && b[(j + 1) % 3] == a[i]) g = 3 * t2 + j;
                int p1 = t->pair[h], p2 = t->pair[g];
                if (p1 == g) continue;
                t->pair[p1] = p2;
                t->pair[p2] = p1;
                b3_repaired(s, p1);
                b3_repaired(s, p2);
            }
            s->dead[t1] = s->dead[t2] = true;
            break;
        }
    }
}

static int b3_root(int32_t *p, int v) {
    while (p[v] != v) v = p[v] = p[p[v]];
    return v;
}

/* Deletes closed components whose mean thickness (volume / area) is below a tenth of the
 * precision: slivers of perturbation-thin material that coplanar contact leaves behind
 * (measured around 0.005 eps). A solid overlapping by 1.5 eps, as in Manifold's precision
 * test, stays. A whole component goes, so the rest stays manifold. */
static void b3_drop_thin_components(b3_simp *s, double eps) {
    b3_tris *t = s->t;
    int32_t *p = fc_alloc(s->ctx, sizeof *p * ((size_t)t->nv + 1));
    for (int v = 0; v < t->nv; v++) p[v] = v;
    /* two edges of each triangle join its corners; the larger root goes under the smaller,
     * so a component's root is its least vertex and p[v] <= v */
    for (int i = 0; i < t->nt; i++) {
        if (s->dead[i]) continue;
        for (int k = 0; k < 2; k++) {
            int a = b3_root(p, t->tri[3 * i + k]), b = b3_root(p, t->tri[3 * i + k + 1]);
            if (a != b) p[a < b ? b : a] = a < b ? a : b;
        }
    }
    double *vol = fc_alloc(s->ctx, sizeof *vol * 2 * ((size_t)t->nv + 1));
    double *area = vol + t->nv + 1;
    for (int v = 0; v < t->nv; v++) {
        p[v] = p[p[v]]; /* p[v] < v is final already */
        if (p[v] == v) vol[v] = area[v] = 0; /* only roots collect */
    }
    for (int i = 0; i < t->nt; i++) {
        if (s->dead[i]) continue;
        int r = p[t->tri[3 * i]];
        const double *o = s->pos + 3 * r;
        double a[3], b[3], c[3];
        for (int k = 0; k < 3; k++) {
            a[k] = s->pos[3 * t->tri[3 * i] + k] - o[k];
            b[k] = s->pos[3 * t->tri[3 * i + 1] + k] - o[k];
            c[k] = s->pos[3 * t->tri[3 * i + 2] + k] - o[k];
        }
        double n[3] = {(b[1] - a[1]) * (c[2] - a[2]) - (b[2] - a[2]) * (c[1] - a[1]),
                       (b[2] - a[2]) * (c[0] - a[0]) - (b[0] - a[0]) * (c[2] - a[2]),
                       (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])};
        area[r] += 0.5 * sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        vol[r] += (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
                   a[2] * (b[0] * c[1] - b[1] * c[0])) / 6;
    }
    for (int i = 0; i < t->nt; i++) {
        if (s->dead[i]) continue;
        int r = p[t->tri[3 * i]];
        if (fabs(vol[r]) <= 0.1 * eps * area[r]) s->dead[i] = true;
    }
    fc_free(s->ctx, vol);
    fc_free(s->ctx, p);
}

/* Appends a copy of vertex v; returns its index. */
static int b3_dup_vertex(b3_simp *s, int v) {
    b3_tris *t = s->t;
    if (s->cappos == 0) {
        s->cappos = 3 * t->nv + 3;
        s->pos = fc_alloc(s->ctx, sizeof *s->pos * (size_t)s->cappos);
        memcpy(s->pos, t->pos, sizeof *s->pos * 3 * (size_t)t->nv);
    }
    FC_GROW(s->ctx, s->pos, s->cappos, 3 * (t->nv + 1));
    memcpy(s->pos + 3 * t->nv, s->pos + 3 * v, sizeof(double) * 3);
    return t->nv++;
}

/* Gives every extra fan of a vertex its own vertex. */
static bool b3_split_pinches(b3_simp *s) {
    b3_tris *t = s->t;
    int nh = 3 * t->nt;
    bool *seenh = fc_calloc(s->ctx, (size_t)nh + 1, 1);
    bool *seenv = fc_calloc(s->ctx, (size_t)t->nv + 1, 1);
    bool changed = false;
    for (int h = 0; h < nh; h++) {
        if (s->dead[h / 3] || seenh[h]) continue;
        int v = t->tri[h];
        int nv = v;
        if (seenv[v]) {
            nv = b3_dup_vertex(s, v);
            changed = true;
        }
        seenv[v] = true;
        int g = h, n = 0;
        do {
            seenh[g] = true;
            t->tri[g] = nv;
            g = b3_nx(t->pair[g]);
        } while (g != h && ++n <= nh);
    }
    fc_free(s->ctx, seenh);
    fc_free(s->ctx, seenv);
    return changed;
}

static inline void b3_cross3(const double *o, const double *a, const double *b, double n[3]) {
    double u[3] = {a[0] - o[0], a[1] - o[1], a[2] - o[2]};
    double w[3] = {b[0] - o[0], b[1] - o[1], b[2] - o[2]};
    n[0] = u[1] * w[2] - u[2] * w[1];
    n[1] = u[2] * w[0] - u[0] * w[2];
    n[2] = u[0] * w[1] - u[1] * w[0];
}

/* True when u, moved onto from v, lies off the plane of triangle (v, x, y) by more than eps
 * or turns it over. */
static inline bool b3_off_plane(const double *pv, const double *pu, const double *px, const double *py,
                                double eps) {
    double nt[3], nn[3];
    b3_cross3(pv, px, py, nt);
    double len = sqrt(nt[0] * nt[0] + nt[1] * nt[1] + nt[2] * nt[2]);
    if (!(len > 0)) return true;
    /* the distance is dot / len; compared as dot against eps * len, without the division
     * (this runs for every triangle around every vertex the colinear rounds try) */
    double dot = nt[0] * (pu[0] - pv[0]) + nt[1] * (pu[1] - pv[1]) + nt[2] * (pu[2] - pv[2]);
    if (!(fabs(dot) <= eps * len)) return true;
    /* a replacement may be flat (u on the line of x and y: a sliver the flips below
     * remove), never turned over */
    b3_cross3(pu, px, py, nn);
    return nt[0] * nn[0] + nt[1] * nn[1] + nt[2] * nn[2] < 0;
}

/* True when moving the start v of halfedge h onto its end u leaves the surface as it is:
 * u lies (within eps) in the plane of every other triangle around v and none of them
 * turns over. On a crease this means u is on the crease line. The colinear rounds ask
 * again wherever a neighbour collapsed, and mostly the same triangle still says no: the
 * halfedge of the triangle that failed is remembered (s->wit[h]) and, while it is still
 * in v's fan, tested first. */
static bool b3_flat_at(b3_simp *s, int h, double eps) {
    const b3_tris *t = s->t;
    int v = t->tri[h], u = t->tri[b3_nx(h)];
    const double *pv = s->pos + 3 * v, *pu = s->pos + 3 * u;
    int w = s->wit[h];
    if (w >= 0) {
        /* the same walk as below, to the remembered halfedge */
        int g = h, n = 0;
        do {
            if (g == w) {
                int x = t->tri[b3_nx(g)], y = t->tri[b3_pv(g)];
                if (x != u && y != u && b3_off_plane(pv, pu, s->pos + 3 * x, s->pos + 3 * y, eps))
                    return false;
                break;
            }
            g = b3_nx(t->pair[g]);
        } while (g != h && ++n <= 3 * t->nt);
    }
    int g = h, n = 0;
    do {
        int x = t->tri[b3_nx(g)], y = t->tri[b3_pv(g)];
        if (x != u && y != u && b3_off_plane(pv, pu, s->pos + 3 * x, s->pos + 3 * y, eps)) {
            s->wit[h] = g;
            return false;
        }
        g = b3_nx(t->pair[g]);
    } while (g != h && ++n <= 3 * t->nt);
    return true;
}

/* True when some halfedge c->d exists (walks c's fan). */
static bool b3_has_edge(const b3_tris *t, int hc, int d) {
    int g = hc, n = 0;
    do {
        if (t->tri[b3_nx(g)] == d) return true;
        g = b3_nx(t->pair[g]);
    } while (g != hc && ++n <= 3 * t->nt);
    return false;
}

/* Flips the edge of halfedge h (a->b in (a,b,c), partner in (b,a,d)) to c-d: triangles
 * (c,a,d) and (d,b,c). The caller makes sure the quad is planar. */
static bool b3_flip_any(b3_simp *s, int h) {
    b3_tris *t = s->t;
    int p = t->pair[h];
    int t1 = h / 3, t2 = p / 3;
    if (t1 == t2) return false;
    int h1 = b3_nx(h), h2 = b3_pv(h), p1 = b3_nx(p), p2 = b3_pv(p);
    int a = t->tri[h], b = t->tri[h1], c = t->tri[h2], d = t->tri[p2];
    if (c == d || c == a || c == b || d == a || d == b) return false;
    int P_h1 = t->pair[h1], P_h2 = t->pair[h2], P_p1 = t->pair[p1], P_p2 = t->pair[p2];
    const int outer[4] = {P_h1, P_h2, P_p1, P_p2};
    for (int i = 0; i < 4; i++)
        if (outer[i] / 3 == t1 || outer[i] / 3 == t2) return false;
    if (b3_has_edge(t, h2, d)) return false;
    int k0 = 3 * t1, m0 = 3 * t2;
    const int was[6] = {t->tri[k0], t->tri[k0 + 1], t->tri[k0 + 2], t->tri[m0], t->tri[m0 + 1], t->tri[m0 + 2]};
    t->tri[k0] = c; t->tri[k0 + 1] = a; t->tri[k0 + 2] = d;
    t->tri[m0] = d; t->tri[m0 + 1] = b; t->tri[m0 + 2] = c;
    t->pair[k0] = P_h2; t->pair[P_h2] = k0;
    t->pair[k0 + 1] = P_p1; t->pair[P_p1] = k0 + 1;
    t->pair[m0] = P_p2; t->pair[P_p2] = m0;
    t->pair[m0 + 1] = P_h1; t->pair[P_h1] = m0 + 1;
    t->pair[k0 + 2] = m0 + 2; t->pair[m0 + 2] = k0 + 2;
    for (int k = 0; k < 3; k++) {
        b3_out_move(s, k0 + k, was[k], t->tri[k0 + k]);
        b3_out_move(s, m0 + k, was[3 + k], t->tri[m0 + k]);
    }
    return true;
}

/* The same inside one source face only, where the quad is planar. */
static bool b3_flip(b3_simp *s, int h) {
    const b3_tris *t = s->t;
    if (t->src[h / 3] != t->src[t->pair[h] / 3]) return false;
    return b3_flip_any(s, h);
}

/* Removes slivers: a triangle whose corner c lies within eps of its longest edge a-b (so
 * strictly between a and b) is flipped with its neighbour across a-b. The four corners are
 * coplanar (c is on the line ab), the two new triangles face like the neighbour and take
 * its source. */
static bool b3_flip_slivers(b3_simp *s, double eps) {
    b3_tris *t = s->t;
    int nt = t->nt;
    bool changed = false;
    /* a triangle leaves sliverw when its verdict is cached or it cannot be a sliver; one
     * whose neighbour or flip failed stays, as the full scan would test it again */
    for (int i = b3_bit_next(s->sliverw, 0, nt); i < nt; i = b3_bit_next(s->sliverw, i + 1, nt)) {
        if (s->dead[i]) {
            b3_bit_clear(s->sliverw, i);
            continue;
        }
        /* the operands are clean: slivers have a new corner */
        const int32_t *tv = t->tri + 3 * i;
        int32_t *ok = s->okv + 3 * i;
        if ((tv[0] < t->first_new && tv[1] < t->first_new && tv[2] < t->first_new) ||
            (b3_bit_get(s->okset, i) && ok[0] == tv[0] && ok[1] == tv[1] && ok[2] == tv[2])) {
            b3_bit_clear(s->sliverw, i);
            continue;
        }
        int best = -1;
        double bl = -1;
        const double *corner[3] = {s->pos + 3 * tv[0], s->pos + 3 * tv[1], s->pos + 3 * tv[2]};
        for (int k = 0; k < 3; k++) {
            const double *p = corner[k], *q = corner[k == 2 ? 0 : k + 1];
            double d = (q[0] - p[0]) * (q[0] - p[0]) + (q[1] - p[1]) * (q[1] - p[1]) + (q[2] - p[2]) * (q[2] - p[2]);
            if (d > bl) { bl = d; best = 3 * i + k; }
        }
        if (!(bl > 0)) {
            memcpy(ok, tv, sizeof *ok * 3);
            b3_bit_set(s->okset, i);
            b3_bit_clear(s->sliverw, i);
            continue;
        }
        const double *a = s->pos + 3 * t->tri[best], *b = s->pos + 3 * t->tri[b3_nx(best)];
        const double *c = s->pos + 3 * t->tri[b3_pv(best)];
        double n[3];
        b3_cross3(a, b, c, n);
        if (!(sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]) <= eps * sqrt(bl))) {
            memcpy(ok, tv, sizeof *ok * 3);
            b3_bit_set(s->okset, i);
            b3_bit_clear(s->sliverw, i);
            continue;
        }
        /* the neighbour must be a proper triangle */
        int p = t->pair[best];
        const double *d = s->pos + 3 * t->tri[b3_pv(p)];
        double m[3];
        b3_cross3(b, a, d, m);
        if (!(sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]) > eps * sqrt(bl))) continue;
        int src = t->src[p / 3], t2 = p / 3;
        if (b3_flip_any(s, best)) {
            t->src[i] = src;
            t->src[t2] = src;
            changed = true;
            b3_bit_set(s->sliverw, t2); /* i stays queued for the next scan */
            if (s->colinear)
                for (int k = 0; k < 3; k++) {
                    b3_vset_add(&s->touched, t->tri[3 * i + k]);
                    b3_vset_add(&s->touched, t->tri[3 * t2 + k]);
                }
        }
    }
    return changed;
}

/* True when b3_split_pinches and b3_split_double_edges would find nothing to do, as they
 * almost never do: one walk around every fan instead of their two. Every alive halfedge must be
 * paired, mutually, with an alive one (so each fan is a cycle, whichever halfedge a walk
 * starts from), each fan's halfedges must start at one vertex (so relabelling a fan
 * changes nothing), no vertex may have a second fan and no fan may reach a vertex twice. */
static bool b3_fans_clean(b3_simp *s) {
    const b3_tris *t = s->t;
    int nh = 3 * t->nt;
    bool *seenh = fc_calloc(s->ctx, (size_t)nh + 1, 1);
    bool *seenv = fc_calloc(s->ctx, (size_t)t->nv + 1, 1);
    int32_t *stamp = fc_alloc(s->ctx, sizeof *stamp * ((size_t)t->nv + 1));
    for (int v = 0; v < t->nv; v++) stamp[v] = -1;
    bool ok = true;
    for (int h = 0; h < nh && ok; h++) {
        if (s->dead[h / 3] || seenh[h]) continue;
        int v = t->tri[h];
        if (seenv[v]) {
            ok = false;
            break;
        }
        seenv[v] = true;
        int g = h, n = 0;
        do {
            int p = t->pair[g], e = t->tri[b3_nx(g)];
            if (t->tri[g] != v || s->dead[p / 3] || t->pair[p] != g || stamp[e] == v || ++n > nh) {
                ok = false;
                break;
            }
            stamp[e] = v;
            seenh[g] = true;
            g = b3_nx(p);
        } while (g != h);
    }
    fc_free(s->ctx, stamp);
    fc_free(s->ctx, seenv);
    fc_free(s->ctx, seenh);
    return ok;
}

/* Separates pairs of distinct edges joining the same two vertices. Inside one face (the
 * triangulation of a degenerate polygon: a bridge along a colinear boundary) one of them
 * is flipped away, which keeps the topology; otherwise they belong to two sheets that
 * touch, and those are separated. */
static bool b3_split_double_edges(b3_simp *s) {
    b3_tris *t = s->t;
    int nh = 3 * t->nt;
    int32_t *out = fc_alloc(s->ctx, sizeof *out * ((size_t)t->nv + 1));
    for (int v = 0; v < t->nv; v++) out[v] = -1;
    for (int h = 0; h < nh; h++)
        if (!s->dead[h / 3]) out[t->tri[h]] = h;
    bool changed = false;
    int nv0 = t->nv;
    /* seen[end] = the halfedge from the current vertex that reached it, stamped by vertex */
    int32_t *seen = fc_alloc(s->ctx, sizeof *seen * 2 * ((size_t)nv0 + 1));
    int32_t *stamp = seen + nv0 + 1;
    for (int v = 0; v < nv0; v++) stamp[v] = -1;
    for (int a = 0; a < nv0; a++) {
        if (out[a] < 0) continue;
        int n = 0, g = out[a];
        int h1 = -1, h2 = -1;
        do {
            int e = t->tri[b3_nx(g)];
            if (e < nv0) {
                if (stamp[e] == a) {
                    h1 = seen[e];
                    h2 = g;
                    break;
                }
                stamp[e] = a;
                seen[e] = g;
            }
            g = b3_nx(t->pair[g]);
        } while (g != out[a] && ++n <= nh);
        if (h1 < 0) continue;
        int ft1 = h2 / 3, ft2 = t->pair[h2] / 3;
        bool flipped = b3_flip(s, h2);
        if (!flipped) {
            ft1 = h1 / 3;
            ft2 = t->pair[h1] / 3;
            flipped = b3_flip(s, h1);
        }
        if (flipped) {
            /* the fans of the corners changed: revisit them next round */
            changed = true;
            for (int i = 0; i < 3; i++) {
                int x = t->tri[3 * ft1 + i], y = t->tri[3 * ft2 + i];
                if (x < nv0) out[x] = -1;
                if (y < nv0) out[y] = -1;
            }
            continue;
        }
        int p1 = t->pair[h1], p2 = t->pair[h2];
        int b = t->tri[p1];
        /* the sector of b's fan from h2's triangle to p1's triangle moves to b' */
        int b2 = b3_dup_vertex(s, b);
        int k = 0;
        g = b3_nx(h2);
        for (;;) {
            t->tri[g] = b2;
            if (g == p1 || ++k > nh) break;
            g = b3_nx(t->pair[g]);
        }
        t->pair[h1] = p2;
        t->pair[p2] = h1;
        t->pair[h2] = p1;
        t->pair[p1] = h2;
        changed = true;
        out[a] = -1;
        if (b < nv0) out[b] = -1; /* its ring changed; revisit next round */
    }
    fc_free(s->ctx, seen);
    fc_free(s->ctx, out);
    return changed;
}

static uint64_t *b3_bits_new(facet_ctx *ctx, int n) {
    return fc_calloc(ctx, (size_t)n / 64 + 1, sizeof(uint64_t));
}

/* The one linear pass: queues the short edges, the triangles with a new corner (sliver
 * candidates) or a repeated one, the triangles that may lie back to back with a
 * neighbour, lists the halfedges leaving each new vertex, and checks that pairs are mutual. */
static void b3_find_candidates(b3_simp *s, double eps2) {
    b3_tris *t = s->t;
    const int32_t *tri = t->tri, *pair = t->pair;
    int fn = t->first_new;
    for (int i = 0; i < t->nt; i++) {
        if ((i & 255) == 0) fc_tick(s->ctx);
        const int32_t c[3] = {tri[3 * i], tri[3 * i + 1], tri[3 * i + 2]};
        if (c[0] >= fn || c[1] >= fn || c[2] >= fn) b3_bit_set(s->sliverw, i);
        if (c[0] == c[1] || c[1] == c[2] || c[2] == c[0]) b3_bit_set(s->repw, i);
        /* a back-to-back neighbour has the same corners, so the same corner sum */
        uint32_t sum = (uint32_t)c[0] + (uint32_t)c[1] + (uint32_t)c[2];
        const double *cp[3] = {s->pos + 3 * c[0], s->pos + 3 * c[1], s->pos + 3 * c[2]};
        for (int k = 0; k < 3; k++) {
            int h = 3 * i + k, ph = pair[h], t2 = ph / 3;
            if (pair[ph] != h) s->asym = true;
            const int32_t *w = tri + 3 * t2;
            if (t2 != i && (uint32_t)w[0] + (uint32_t)w[1] + (uint32_t)w[2] == sum) b3_bit_set(s->pillw, i);
            const double *p = cp[k], *q = cp[k == 2 ? 0 : k + 1];
            if (c[k] < fn) {
                /* an old start only collapses onto a coincident end */
                if (!(p[0] == q[0] && p[1] == q[1] && p[2] == q[2])) continue;
            } else {
                s->onext[h] = s->ohead[c[k] - fn];
                s->ohead[c[k] - fn] = h;
                /* the sum of squares is at least its first term (rounding is monotone) */
                if ((p[0] - q[0]) * (p[0] - q[0]) > eps2) continue;
            }
            double d2 = 0;
            for (int j = 0; j < 3; j++) d2 += (p[j] - q[j]) * (p[j] - q[j]);
            if (d2 <= eps2) b3_bit_set(s->shortw, h);
        }
    }
}

/* Collapses short edges at new vertices (and zero-length ones anywhere) in rounds, each
 * followed by the removal of the folds it left. */
static void b3_collapse_short(b3_simp *s, double eps2) {
    b3_tris *t = s->t;
    int nh = s->nh, ticks = 0;
    s->shortstage = true;
    b3_remove_repeats(s);
    for (int round = 0; round < 8; round++) {
        int changed = 0;
        for (int h = b3_bit_next(s->shortw, 0, nh); h < nh; h = b3_bit_next(s->shortw, h + 1, nh)) {
            if ((++ticks & 255) == 0) fc_tick(s->ctx);
            int v = t->tri[h], u = t->tri[b3_nx(h)];
            const double *p = s->pos + 3 * v, *q = s->pos + 3 * u;
            bool zero = p[0] == q[0] && p[1] == q[1] && p[2] == q[2];
            double d2 = 0;
            for (int k = 0; k < 3; k++) d2 += (p[k] - q[k]) * (p[k] - q[k]);
            /* an edge that is not (or no longer) short leaves the list until a collapse
             * moves one of its ends; a refused one is tried again next round */
            if (s->dead[h / 3] || (v < t->first_new && !zero) || !(d2 <= eps2)) {
                b3_bit_clear(s->shortw, h);
                continue;
            }
            if (b3_collapse(s, h, zero)) changed++;
        }
        if (!changed) break;
        b3_remove_repeats(s);
        b3_zip_pillows(s);
    }
    s->shortstage = false;
}

/* Slivers and colinear vertices, alternately: a collapse may leave a flat triangle, a flip
 * may free a vertex to collapse. */
static void b3_collapse_colinear(b3_simp *s, double eps) {
    b3_tris *t = s->t;
    int nh = s->nh, fn = t->first_new, ticks = 0;
    s->colinear = true;
    s->wit = fc_alloc(s->ctx, sizeof *s->wit * ((size_t)nh + 1));
    for (int h = 0; h < nh; h++) s->wit[h] = -1;
    for (int pass = 0; pass < 4; pass++) {
        bool flipped = false;
        b3_vset_clear(&s->touched);
        for (int round = 0; round < 4; round++) {
            if (!b3_flip_slivers(s, eps)) break;
            flipped = true;
        }
        int collapsed = 0;
        /* colinear collapse: new vertices that lie on straight edges or inside flat regions
         * of the result are merged into a neighbour lying in the planes of all their
         * triangles; after the first pass only where the flips changed something */
        b3_vset_clear(&s->todo);
        b3_vset_clear(&s->dirty);
        if (pass == 0)
            for (int v = fn; v < t->nv; v++) b3_vset_add(&s->todo, v);
        else
            for (int i = 0; i < s->touched.n; i++)
                if (s->touched.list[i] >= fn) b3_vset_add(&s->todo, s->touched.list[i]);
        for (int round = 0; round < 16; round++) {
            int changed = 0;
            if ((int64_t)s->todo.n * 24 > nh) {
                /* many vertices: a plain scan of every halfedge is cheaper than the worklist
                 * and visits the same halfedges (b3_moved queues nothing meanwhile, as the
                 * cursor is INT32_MAX) */
                for (int i = 0; i < t->nt; i++) {
                    if ((i & 127) == 0) fc_tick(s->ctx);
                    for (int k = 0; k < 3 && !s->dead[i]; k++) {
                        int h = 3 * i + k, v = t->tri[h];
                        if (v < fn || !s->todo.in[v]) continue;
                        if (b3_flat_at(s, h, eps) && b3_collapse(s, h, false)) changed++;
                    }
                }
            } else {
                for (int i = 0; i < s->todo.n; i++) {
                    int v = s->todo.list[i];
                    if (v < fn) continue;
                    for (int e = s->ohead[v - fn]; e >= 0; e = s->onext[e]) b3_bit_set(s->walkw, e);
                }
                for (int h = b3_bit_next(s->walkw, 0, nh); h < nh; h = b3_bit_next(s->walkw, h + 1, nh)) {
                    b3_bit_clear(s->walkw, h);
                    s->cursor = h;
                    if ((++ticks & 255) == 0) fc_tick(s->ctx);
                    if (s->dead[h / 3] || t->tri[h] < fn || !s->todo.in[t->tri[h]]) continue;
                    if (b3_flat_at(s, h, eps) && b3_collapse(s, h, false)) changed++;
                }
            }
            s->cursor = INT32_MAX;
            collapsed += changed;
            if (!changed) break;
            /* next round: only where a collapse changed the neighbourhood */
            b3_vset x = s->todo;
            s->todo = s->dirty;
            s->dirty = x;
            b3_vset_clear(&s->dirty);
        }
        if (!collapsed && (!flipped || pass > 0)) break;
    }
    fc_free(s->ctx, s->wit);
    s->wit = NULL;
    s->colinear = false;
}

void b3_simplify(facet_ctx *ctx, b3_tris *t, double eps) {
    b3_simp s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.t = t;
    s.nh = 3 * t->nt;
    s.cursor = INT32_MAX;
    s.dead = fc_calloc(ctx, (size_t)t->nt + 1, sizeof *s.dead);
    s.okv = fc_alloc(ctx, sizeof *s.okv * 3 * ((size_t)t->nt + 1));
    s.okset = b3_bits_new(ctx, t->nt);
    s.pos = t->pos;
    s.shortw = b3_bits_new(ctx, s.nh);
    s.walkw = b3_bits_new(ctx, s.nh);
    s.repw = b3_bits_new(ctx, t->nt);
    s.pillw = b3_bits_new(ctx, t->nt);
    s.sliverw = b3_bits_new(ctx, t->nt);
    int nnew = t->nv - t->first_new;
    s.ohead = fc_alloc(ctx, sizeof *s.ohead * ((size_t)nnew + 1));
    for (int i = 0; i < nnew; i++) s.ohead[i] = -1;
    s.onext = fc_alloc(ctx, sizeof *s.onext * ((size_t)s.nh + 1));
    b3_vset *sets[3] = {&s.todo, &s.dirty, &s.touched};
    for (int i = 0; i < 3; i++) {
        sets[i]->in = fc_calloc(ctx, (size_t)t->nv + 1, sizeof *sets[i]->in);
        sets[i]->list = fc_alloc(ctx, sizeof *sets[i]->list * ((size_t)t->nv + 1));
    }

    double eps2 = eps > 0 ? eps * eps : 0;
    b3_find_candidates(&s, eps2);
    b3_collapse_short(&s, eps2);
    b3_collapse_colinear(&s, eps);
    for (int round = 0; round < 4; round++)
        if (!b3_flip_slivers(&s, eps)) break;

    for (int i = 0; i < 3; i++) {
        fc_free(ctx, sets[i]->in);
        fc_free(ctx, sets[i]->list);
        sets[i]->in = NULL;
    }
    fc_free(ctx, s.ohead);
    fc_free(ctx, s.onext);
    s.ohead = NULL;
    fc_free(ctx, s.shortw);
    fc_free(ctx, s.walkw);
    fc_free(ctx, s.repw);
    fc_free(ctx, s.pillw);
    fc_free(ctx, s.sliverw);

    if (!b3_fans_clean(&s))
        for (int round = 0; round < 16; round++) {
            bool changed = b3_split_pinches(&s);
            changed |= b3_split_double_edges(&s);
            if (!changed) break;
        }

    b3_drop_thin_components(&s, eps);

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
        memcpy(pos + 3 * nv, s.pos + 3 * v, sizeof(double) * 3);
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
    if (s.cappos) fc_free(ctx, s.pos);
    fc_free(ctx, tmap);
    fc_free(ctx, vmap);
    fc_free(ctx, s.dead);
    fc_free(ctx, s.okv);
    fc_free(ctx, s.okset);
    fc_free(ctx, s.ring);
}
