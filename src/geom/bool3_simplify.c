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
 */
#include <math.h>
#include <string.h>

#include "geom/bool3_internal.h"

static inline int b3_nx(int h) { return b3_next(h); }
static inline int b3_pv(int h) { return b3_prev(h); }

typedef struct b3_simp {
    facet_ctx *ctx;
    b3_tris *t;
    bool *dead;
    bool *dirty;  /* vertices whose neighbourhood changed in this round (colinear pass) */
    bool *touched; /* corners of the triangles a sliver flip rewrote */
    double *pos; /* growable copy of the positions */
    int cappos;
    int32_t *ring;
    int capring;
    /* the corners with which each triangle was last found not to be a sliver (positions
     * never move here, so the verdict holds while its corners are the same): the sliver
     * passes run many times and most triangles never change */
    int32_t *okv;
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
    if (s->dirty) {
        for (int i = 0; i < nv + nu; i++) s->dirty[s->ring[i]] = true;
        s->dirty[u] = true;
    }
collapse:;
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

/* Removes triangles that use one vertex twice (the ear clipper emits them where a bridge
 * or a pinched loop folds back): the partners of the two halfedges joining the repeated
 * vertex to the third corner are paired with each other, and the self-edge u->u can only
 * be partnered by another such triangle, which goes too. */
static void b3_remove_repeats(b3_simp *s) {
    b3_tris *t = s->t;
    for (int i = 0; i < t->nt; i++) {
        const int32_t *v = t->tri + 3 * i;
        if (s->dead[i]) continue;
        if (v[0] != v[1] && v[1] != v[2] && v[2] != v[0]) continue;
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
            }
            break;
        }
    }
}

/* Zips back-to-back triangle pairs (a,b,c)/(a,c,b), zero-volume folds that degenerate
 * contact leaves: both go and the partners of each pair of opposite halfedges are paired
 * with each other. */
static bool b3_zip_pillows(b3_simp *s) {
    b3_tris *t = s->t;
    bool changed = false;
    for (int t1 = 0; t1 < t->nt; t1++) {
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
            }
            s->dead[t1] = s->dead[t2] = true;
            changed = true;
            break;
        }
    }
    return changed;
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
    for (int h = 0; h < 3 * t->nt; h++) {
        if (s->dead[h / 3]) continue;
        int a = b3_root(p, t->tri[h]), b = b3_root(p, t->tri[b3_nx(h)]);
        if (a != b) p[a < b ? b : a] = a < b ? a : b;
    }
    double *vol = fc_calloc(s->ctx, 2 * ((size_t)t->nv + 1), sizeof *vol);
    double *area = vol + t->nv + 1;
    for (int i = 0; i < t->nt; i++) {
        if (s->dead[i]) continue;
        int r = b3_root(p, t->tri[3 * i]);
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
        int r = b3_root(p, t->tri[3 * i]);
        if (fabs(vol[r]) <= 0.1 * eps * area[r]) s->dead[i] = true;
    }
    fc_free(s->ctx, vol);
    fc_free(s->ctx, p);
}

/* Appends a copy of vertex v; returns its index. */
static int b3_dup_vertex(b3_simp *s, int v) {
    b3_tris *t = s->t;
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

/* True when moving the start v of halfedge h onto its end u leaves the surface as it is:
 * u lies (within eps) in the plane of every other triangle around v and none of them
 * turns over. On a crease this means u is on the crease line. */
static bool b3_flat_at(b3_simp *s, int h, double eps) {
    const b3_tris *t = s->t;
    int v = t->tri[h], u = t->tri[b3_nx(h)];
    const double *pv = s->pos + 3 * v, *pu = s->pos + 3 * u;
    int g = h, n = 0;
    do {
        int x = t->tri[b3_nx(g)], y = t->tri[b3_pv(g)];
        if (x != u && y != u) {
            const double *px = s->pos + 3 * x, *py = s->pos + 3 * y;
            double nt[3], nn[3];
            b3_cross3(pv, px, py, nt);
            b3_cross3(pu, px, py, nn);
            double len = sqrt(nt[0] * nt[0] + nt[1] * nt[1] + nt[2] * nt[2]);
            if (!(len > 0)) return false;
            double d = (nt[0] * (pu[0] - pv[0]) + nt[1] * (pu[1] - pv[1]) + nt[2] * (pu[2] - pv[2])) / len;
            if (!(fabs(d) <= eps)) return false;
            /* a replacement may be flat (u on the line of x and y: a sliver the flips
             * below remove), never turned over */
            if (nt[0] * nn[0] + nt[1] * nn[1] + nt[2] * nn[2] < 0) return false;
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
    t->tri[k0] = c; t->tri[k0 + 1] = a; t->tri[k0 + 2] = d;
    t->tri[m0] = d; t->tri[m0 + 1] = b; t->tri[m0 + 2] = c;
    t->pair[k0] = P_h2; t->pair[P_h2] = k0;
    t->pair[k0 + 1] = P_p1; t->pair[P_p1] = k0 + 1;
    t->pair[m0] = P_p2; t->pair[P_p2] = m0;
    t->pair[m0 + 1] = P_h1; t->pair[P_h1] = m0 + 1;
    t->pair[k0 + 2] = m0 + 2; t->pair[m0 + 2] = k0 + 2;
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
    bool changed = false;
    for (int i = 0; i < t->nt; i++) {
        if (s->dead[i]) continue;
        /* the operands are clean: slivers have a new corner */
        const int32_t *tv = t->tri + 3 * i;
        if (tv[0] < t->first_new && tv[1] < t->first_new && tv[2] < t->first_new) continue;
        int32_t *ok = s->okv + 3 * i;
        if (ok[0] == tv[0] && ok[1] == tv[1] && ok[2] == tv[2]) continue;
        int best = -1;
        double bl = -1;
        for (int k = 0; k < 3; k++) {
            const double *p = s->pos + 3 * t->tri[3 * i + k], *q = s->pos + 3 * t->tri[3 * i + (k + 1) % 3];
            double d = (q[0] - p[0]) * (q[0] - p[0]) + (q[1] - p[1]) * (q[1] - p[1]) + (q[2] - p[2]) * (q[2] - p[2]);
            if (d > bl) { bl = d; best = 3 * i + k; }
        }
        if (!(bl > 0)) {
            memcpy(ok, tv, sizeof *ok * 3);
            continue;
        }
        const double *a = s->pos + 3 * t->tri[best], *b = s->pos + 3 * t->tri[b3_nx(best)];
        const double *c = s->pos + 3 * t->tri[b3_pv(best)];
        double n[3];
        b3_cross3(a, b, c, n);
        if (!(sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]) <= eps * sqrt(bl))) {
            memcpy(ok, tv, sizeof *ok * 3);
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
            if (s->touched)
                for (int k = 0; k < 3; k++) {
                    s->touched[t->tri[3 * i + k]] = true;
                    s->touched[t->tri[3 * t2 + k]] = true;
                }
        }
    }
    return changed;
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

void b3_simplify(facet_ctx *ctx, b3_tris *t, double eps) {
    b3_simp s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.t = t;
    s.dead = fc_calloc(ctx, (size_t)t->nt + 1, sizeof *s.dead);
    s.okv = fc_alloc(ctx, sizeof *s.okv * 3 * ((size_t)t->nt + 1));
    memset(s.okv, 0xff, sizeof *s.okv * 3 * ((size_t)t->nt + 1)); /* -1: never checked */
    s.cappos = 3 * t->nv + 3;
    s.pos = fc_alloc(ctx, sizeof *s.pos * (size_t)s.cappos);
    memcpy(s.pos, t->pos, sizeof *s.pos * 3 * (size_t)t->nv);
    b3_remove_repeats(&s);
    double eps2 = eps > 0 ? eps * eps : 0;
    for (int round = 0; round < 8; round++) {
        int changed = 0;
        for (int h = 0; h < 3 * t->nt; h++) {
            if ((h & 255) == 0) fc_tick(ctx);
            if (s.dead[h / 3]) continue;
            int v = t->tri[h], u = t->tri[b3_nx(h)];
            const double *p = s.pos + 3 * v, *q = s.pos + 3 * u;
            bool zero = p[0] == q[0] && p[1] == q[1] && p[2] == q[2];
            if (v < t->first_new && !zero) continue;
            double d2 = 0;
            for (int k = 0; k < 3; k++) d2 += (p[k] - q[k]) * (p[k] - q[k]);
            if (!(d2 <= eps2)) continue;
            if (b3_collapse(&s, h, zero)) changed++;
        }
        if (!changed) break;
        b3_remove_repeats(&s);
        b3_zip_pillows(&s);
    }

    /* slivers and colinear vertices, alternately: a collapse may leave a flat triangle,
     * a flip may free a vertex to collapse */
    bool *todo = fc_alloc(ctx, sizeof *todo * ((size_t)t->nv + 1));
    s.dirty = fc_calloc(ctx, (size_t)t->nv + 1, sizeof *s.dirty);
    s.touched = fc_calloc(ctx, (size_t)t->nv + 1, sizeof *s.touched);
    for (int pass = 0; pass < 4; pass++) {
        bool flipped = false;
        memset(s.touched, 0, sizeof *s.touched * (size_t)t->nv);
        for (int round = 0; round < 4; round++) {
            if (!b3_flip_slivers(&s, eps)) break;
            flipped = true;
        }
        int collapsed = 0;
        /* colinear collapse: new vertices that lie on straight edges or inside flat regions of
         * the result are merged into a neighbour lying in the planes of all their triangles */
        /* after the first pass only where the flips changed something */
        for (int v = 0; v < t->nv; v++) todo[v] = v >= t->first_new && (pass == 0 || s.touched[v]);
        for (int round = 0; round < 16; round++) {
            int changed = 0;
            for (int h = 0; h < 3 * t->nt; h++) {
                if ((h & 255) == 0) fc_tick(ctx);
                if (s.dead[h / 3] || t->tri[h] < t->first_new || !todo[t->tri[h]]) continue;
                if (b3_flat_at(&s, h, eps) && b3_collapse(&s, h, false)) changed++;
            }
            collapsed += changed;
            if (!changed) break;
            /* next round: only where a collapse changed the neighbourhood */
            bool *x = todo;
            todo = s.dirty;
            s.dirty = x;
            memset(s.dirty, 0, sizeof *s.dirty * (size_t)t->nv);
        }
        if (!collapsed && (!flipped || pass > 0)) break;
    }
    fc_free(ctx, todo);
    fc_free(ctx, s.dirty);
    fc_free(ctx, s.touched);
    s.dirty = NULL;
    s.touched = NULL;

    for (int round = 0; round < 4; round++)
        if (!b3_flip_slivers(&s, eps)) break;

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
    fc_free(ctx, s.pos);
    fc_free(ctx, tmap);
    fc_free(ctx, vmap);
    fc_free(ctx, s.dead);
    fc_free(ctx, s.okv);
    fc_free(ctx, s.ring);
}
