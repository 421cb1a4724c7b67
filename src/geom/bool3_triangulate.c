/*
 * bool3_triangulate.c — triangulation of the assembled polygonal faces (KERNEL.md §7).
 *
 * A face is a set of closed loops of paired halfedges. It is projected exactly (dropping
 * the dominant axis of its source normal, no rotation) and cut into triangles: three
 * halfedges become one triangle, four become two split along the better diagonal, and
 * larger faces are ear-clipped after every hole has been bridged to the polygon its +x ray
 * hits first. The topology never depends on the geometry: each polygon edge carries an id
 * (the contour halfedge it realises, or one side of a diagonal), so every output halfedge
 * gets its partner exactly even when rounding produces degenerate triangles; the cleanup
 * stage removes those.
 *
 * Cost: a boolean has tens of thousands of faces, most with three to eight halfedges, so
 * per-face overhead dominates. Uncut triangles skip the loop search; the general path's
 * arrays are scratch kept across faces (no allocation per face); successors are looked up
 * through a per-vertex table; the ear test bounds its box without square roots until a
 * corner comes near. None of this changes a decision, so the output is the same triangles
 * in the same order as the plain algorithm's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/bool3_internal.h"

typedef struct b3_node {
    double x, y;
    int32_t c;          /* corner: halfedge slot whose start vertex this is */
    int32_t e;          /* edge to next: slot id (>= 0) or diagonal -1 - d */
    int32_t prev, next;
    int32_t poly;       /* polygon this node belongs to */
} b3_node;

typedef struct b3_slotkey { int32_t v, slot; } b3_slotkey;

typedef struct b3_tri_state {
    facet_ctx *ctx;
    const b3_faces *F;
    b3_tris *out;
    int capt;
    int32_t *outh;  /* slot -> output halfedge */
    int32_t *diag;  /* diagonal side -> output halfedge (per face) */
    int ndiag, capdiag;
    b3_node *nd;
    int nn, capn;
    double eps;     /* the operands' precision */
    double thr;     /* orientation threshold of the current face (length^2) */
    /* Scratch of the general face path, kept across faces and grown to the largest face:
     * most faces are a few halfedges, so allocating and freeing a dozen small arrays per
     * face cost more than triangulating it. Sized by halfedges (loops: at most one each). */
    int caps;
    b3_slotkey *key, *key2;
    bool *used, *is_hole, *active;
    int32_t *heads, *lens, *rightmost, *holes;
    double *area, *maxx;
    /* per output vertex: where its slots start in the sorted keys of face vstamp - 1 */
    int32_t *vgrp, *vstamp;
    /* scratch of the ear clipping, sized by nodes */
    uint8_t *deg;
    int capdeg;
    b3_node *saved;     /* a polygon's nodes before clipping, and their ids */
    int32_t *savedid;
    int capsaved, capsavedid;
} b3_tri_state;

static inline double b3_orient(const b3_node *a, const b3_node *b, const b3_node *c) {
    return (b->x - a->x) * (c->y - a->y) - (b->y - a->y) * (c->x - a->x);
}

static inline int b3_new_diag(b3_tri_state *st) {
    int d = st->ndiag;
    if (d + 2 > st->capdiag) FC_GROW(st->ctx, st->diag, st->capdiag, d + 2);
    st->diag[d] = st->diag[d + 1] = -1;
    st->ndiag += 2;
    return d;
}

static void b3_grow_tris(b3_tri_state *st) {
    b3_tris *o = st->out;
    int cap = 2 * st->capt + 16;
    o->tri = fc_realloc_array(st->ctx, o->tri, 3 * (size_t)cap, sizeof *o->tri);
    o->pair = fc_realloc_array(st->ctx, o->pair, 3 * (size_t)cap, sizeof *o->pair);
    o->src = fc_realloc_array(st->ctx, o->src, (size_t)cap, sizeof *o->src);
    st->capt = cap;
}

/* Output halfedge h realises polygon edge e (a slot, or a diagonal side -1 - d). */
static inline void b3_link(b3_tri_state *st, int e, int h) {
    if (e >= 0) st->outh[e] = h;
    else st->diag[-1 - e] = h;
}

static inline void b3_emit(b3_tri_state *st, int c0, int c1, int c2, int e0, int e1, int e2,
                           int face) {
    b3_tris *o = st->out;
    if (o->nt + 1 > st->capt) b3_grow_tris(st);
    int t = o->nt++;
    const int32_t *hs = st->F->hs;
    int32_t *tri = o->tri + 3 * t;
    tri[0] = hs[c0];
    tri[1] = hs[c1];
    tri[2] = hs[c2];
    b3_link(st, e0, 3 * t);
    b3_link(st, e1, 3 * t + 1);
    b3_link(st, e2, 3 * t + 2);
    o->src[t] = st->F->src[face];
}

/* fmin/fmax without the libm calls: the same result for every input but the sign of a
 * zero, which no caller can see (they only compare the result, after adding a margin) */
static inline double b3_min(double a, double b) { return b < a || a != a ? b : a; }
static inline double b3_max(double a, double b) { return b > a || a != a ? b : a; }

/* The margin of the strict ear test's box around the triangle (a, b, c): the triangle grown
 * by the tolerance, each edge line moved out by thr / |edge|, moves a corner by at most
 * (d1 + d2) / sin(angle); plus slack. Infinite for a flat triangle (also 0/0). */
static double b3_margin(const b3_tri_state *st, const b3_node *a, const b3_node *b,
                        const b3_node *c, double slack) {
    double lab = hypot(b->x - a->x, b->y - a->y), lbc = hypot(c->x - b->x, c->y - b->y);
    double lca = hypot(a->x - c->x, a->y - c->y), ar2 = fabs(b3_orient(a, b, c));
    double dab = st->thr / lab, dbc = st->thr / lbc, dca = st->thr / lca;
    double ma = (dab + dca) * lab * lca / ar2, mb = (dab + dbc) * lab * lbc / ar2;
    double mc = (dbc + dca) * lbc * lca / ar2;
    double m = ma > mb ? ma : mb;
    if (mc > m) m = mc;
    double margin = m + slack;
    if (!(margin < INFINITY)) margin = INFINITY;
    return margin;
}

/* An upper bound of b3_margin without its three hypot calls, or -1 when the inputs are
 * outside the range where the bound is proven. Each margin term is, exactly,
 * thr (|e1| + |e2|) / ar2 for two edges; |e| <= |dx| + |dy|, so thr (sum over all three
 * edges of |dx| + |dy|) / ar2 bounds them. The computed terms carry at most a few dozen
 * roundings (below 1e-14 relative) when every intermediate is a normal number, which the
 * range checks guarantee (coordinates below 1e30, edges above 1e-30, thr 0 or in
 * [1e-100, 1e30], ar2 above 1e-100), so 1 + 1e-12 covers them; adding the slack after
 * rounding is monotonic, so the bounding box only ever grows. */
static double b3_margin_bound(const b3_tri_state *st, const b3_node *a, const b3_node *b,
                              const b3_node *c, double slack) {
    double thr = st->thr;
    if (!(slack <= 1e21) || !(thr == 0 || (thr >= 1e-100 && thr <= 1e30))) return -1;
    double ux = fabs(b->x - a->x), uy = fabs(b->y - a->y);
    double vx = fabs(c->x - b->x), vy = fabs(c->y - b->y);
    double wx = fabs(a->x - c->x), wy = fabs(a->y - c->y);
    if (!((ux >= 1e-30 || uy >= 1e-30) && (vx >= 1e-30 || vy >= 1e-30) &&
          (wx >= 1e-30 || wy >= 1e-30)))
        return -1;
    double ar2 = fabs(b3_orient(a, b, c));
    if (!(ar2 >= 1e-100)) return -1;
    return thr * (ux + uy + vx + vy + wx + wy) / ar2 * (1 + 1e-12) + slack;
}

/* Whether the corner v is an ear. Loops of a boolean face are only weakly simple: bridges
 * duplicate corners, and pieces of a face may touch at a vertex, along an edge or through
 * a zero-width channel (a vertex lying on another loop's edge, an edge walked both ways).
 * The textbook test (no reflex corner strictly inside) then accepts ears that cover a
 * notch between two pieces, and the face gets triangles on both sides of the notch: a
 * double sheet. So the strict test (`closed`) rejects any other corner in the closed
 * triangle grown by the orientation tolerance, convex or not, and a different corner at
 * the tip's own position (a pinch) whose edges leave into the ear; only corners at a's or
 * c's position are ignored (they are those corners' copies along the polygon). It also
 * rejects an edge that passes through the triangle with both ends outside it (pieces
 * that touch). The relaxed test is the textbook one. */
static bool b3_is_ear(const b3_tri_state *st, int v, bool closed) {
    const b3_node *nd = st->nd;
    int ia = nd[v].prev, ic = nd[v].next;
    const b3_node *a = &nd[ia], *b = &nd[v], *c = &nd[ic];
    /* Corners outside the box of the region the tests below accept are skipped without
     * them: the triangle's box grown by b3_margin, plus 1e-9 of the coordinates for the
     * rounding of the orientations. A flat triangle gets no box (margin infinite). Most
     * corners are far outside, so the box starts from a cheap bound of the margin and
     * the exact one is only computed once a corner falls inside that. */
    double slack = 1e-9 * (fabs(a->x) + fabs(a->y) + fabs(b->x) + fabs(b->y) + fabs(c->x) + fabs(c->y));
    double margin = slack;
    bool exact = true;
    if (closed) {
        margin = b3_margin_bound(st, a, b, c, slack);
        if (margin >= 0) exact = false;
        else margin = b3_margin(st, a, b, c, slack);
    }
    double lx = b3_min(a->x, b3_min(b->x, c->x)), hx = b3_max(a->x, b3_max(b->x, c->x));
    double ly = b3_min(a->y, b3_min(b->y, c->y)), hy = b3_max(a->y, b3_max(b->y, c->y));
    double x0 = lx - margin, x1 = hx + margin, y0 = ly - margin, y1 = hy + margin;
    double t = closed ? -st->thr : 0; /* a touching corner is on an edge only up to rounding */
    for (int w = nd[ic].next; w != ia; w = nd[w].next) {
        const b3_node *p = &nd[w];
        if (p->x < x0 || p->x > x1 || p->y < y0 || p->y > y1) continue;
        if (!exact) {
            exact = true;
            margin = b3_margin(st, a, b, c, slack);
            x0 = lx - margin, x1 = hx + margin, y0 = ly - margin, y1 = hy + margin;
            if (p->x < x0 || p->x > x1 || p->y < y0 || p->y > y1) continue;
        }
        if ((p->x == a->x && p->y == a->y) || (p->x == c->x && p->y == c->y)) continue;
        if (p->x == b->x && p->y == b->y) {
            /* another corner at the tip: a bridge's copy of it is fine, a piece that
             * touches here is not when one of its edges leaves into the ear's wedge */
            if (closed) {
                const b3_node *q0 = &nd[p->prev], *q1 = &nd[p->next];
                if ((b3_orient(a, b, q0) > 0 && b3_orient(b, c, q0) > 0) ||
                    (b3_orient(a, b, q1) > 0 && b3_orient(b, c, q1) > 0))
                    return false;
            }
            continue;
        }
        /* one orientation at a time: most corners fail the first */
        double o1 = b3_orient(a, b, p);
        if (closed ? !(o1 >= t) : !(o1 > t)) continue;
        double o2 = b3_orient(b, c, p);
        if (closed ? !(o2 >= t) : !(o2 > t)) continue;
        double o3 = b3_orient(c, a, p);
        if (closed ? (o3 >= t) : (o3 > t)) return false;
    }
    if (!closed) return true;
    /* an edge may also pass through the triangle with both ends outside it (pieces that
     * touch): then it crosses the new diagonal c-a, so their boxes meet (up to slack) */
    double dx0 = b3_min(c->x, a->x) - slack, dx1 = b3_max(c->x, a->x) + slack;
    double dy0 = b3_min(c->y, a->y) - slack, dy1 = b3_max(c->y, a->y) + slack;
    for (int w = nd[ic].next; nd[w].next != ia; w = nd[w].next) {
        const b3_node *p = &nd[w], *q = &nd[p->next];
        if ((p->x < dx0 && q->x < dx0) || (p->x > dx1 && q->x > dx1) ||
            (p->y < dy0 && q->y < dy0) || (p->y > dy1 && q->y > dy1))
            continue;
        double s1 = b3_orient(c, a, p), s2 = b3_orient(c, a, q);
        if (!((s1 > 0 && s2 < 0) || (s1 < 0 && s2 > 0))) continue;
        double s3 = b3_orient(p, q, c), s4 = b3_orient(p, q, a);
        if ((s3 > 0 && s4 < 0) || (s3 < 0 && s4 > 0)) return false;
    }
    return true;
}

/* Whether corner v is one pass 0 of b3_earclip takes: on a (near) zero-length edge, or a
 * flat fold-back spike. */
static inline bool b3_degenerate_corner(const b3_tri_state *st, int v) {
    const b3_node *nd = st->nd;
    const b3_node *a = &nd[nd[v].prev], *b = &nd[v], *c = &nd[nd[v].next];
    double cr = b3_orient(a, b, c);
    if (!(fabs(cr) <= st->thr)) return false;
    double e2 = 0.25 * st->eps * st->eps;
    double la = (a->x - b->x) * (a->x - b->x) + (a->y - b->y) * (a->y - b->y);
    double lc = (c->x - b->x) * (c->x - b->x) + (c->y - b->y) * (c->y - b->y);
    return la <= e2 || lc <= e2 || (a->x - b->x) * (c->x - b->x) + (a->y - b->y) * (c->y - b->y) > 0;
}

/* Ear-clips the polygon list through node `start` with m nodes, beginning the search
 * `skip` corners further on; returns the total unsigned area of the triangles. */
static double b3_earclip(b3_tri_state *st, int start, int m, int face, int skip) {
    b3_node *nd = st->nd;
    int cur = start;
    for (int i = 0; i < skip; i++) cur = nd[cur].next;
    double total = 0;
    /* pass 0 below scans every corner for each ear, which made clipping quadratic even
     * when no corner is degenerate (the usual case): the degenerate corners are counted,
     * and only clipping changes them (at the two neighbours of the clipped corner) */
    FC_GROW(st->ctx, st->deg, st->capdeg, st->nn);
    uint8_t *deg = st->deg; /* only this polygon's entries are set and read */
    int ndeg = 0;
    {
        int v = cur;
        for (int i = 0; i < m; i++, v = nd[v].next) {
            deg[v] = b3_degenerate_corner(st, v);
            ndeg += deg[v];
        }
    }
    while (m > 3) {
        fc_tick(st->ctx);
        /* pass 0: a corner on a (near) zero-length edge, or a fold-back spike (a flat
         * corner whose two edges overlap: a zero-width
         * piece of the face, which rounding can make look convex or reflex; any other ear
         * clipped first could cover the spike's sides); pass 1: a strictly convex ear with
         * no other corner in the closed triangle; pass 2: a flat corner (a zero-area
         * triangle never covers anything); pass 3: a convex ear by the textbook test;
         * otherwise the most convex corner, so clipping always progresses */
        int ear = -1, fallback = cur;
        for (int pass = ndeg > 0 ? 0 : 1; pass < 4 && ear < 0; pass++) {
            int v = cur;
            for (int it = 0; it < m; it++, v = nd[v].next) {
                if (pass == 0) {
                    if (deg[v]) {
                        ear = v;
                        break;
                    }
                    continue;
                }
                const b3_node *a = &nd[nd[v].prev], *b = &nd[v], *c = &nd[nd[v].next];
                double cr = b3_orient(a, b, c);
                if (pass == 2) {
                    if (fabs(cr) <= st->thr) { ear = v; break; }
                    continue;
                }
                if (cr <= st->thr) continue;
                if (b3_is_ear(st, v, pass == 1)) { ear = v; break; }
            }
        }
        if (ear < 0) {
            /* no ear by any test: the most convex corner (the first of equals from cur) */
            double fbcross = -INFINITY;
            int w = cur;
            for (int it = 0; it < m; it++, w = nd[w].next) {
                double cr = b3_orient(&nd[nd[w].prev], &nd[w], &nd[nd[w].next]);
                if (cr > fbcross) { fbcross = cr; fallback = w; }
            }
        }
        int v = ear >= 0 ? ear : fallback;
        int p = nd[v].prev, n = nd[v].next;
        total += fabs(b3_orient(&nd[p], &nd[v], &nd[n]));
        int d = b3_new_diag(st);
        b3_emit(st, nd[p].c, nd[v].c, nd[n].c, nd[p].e, nd[v].e, -1 - d, face);
        nd[p].e = -1 - (d + 1);
        nd[p].next = n;
        nd[n].prev = p;
        m--;
        cur = n;
        ndeg -= deg[v] + deg[p] + deg[n];
        deg[v] = 0;
        deg[p] = b3_degenerate_corner(st, p);
        deg[n] = b3_degenerate_corner(st, n);
        ndeg += deg[p] + deg[n];
    }
    int a = cur, b = nd[a].next, c = nd[b].next;
    b3_emit(st, nd[a].c, nd[b].c, nd[c].c, nd[a].e, nd[b].e, nd[c].e, face);
    return 0.5 * (total + fabs(b3_orient(&nd[a], &nd[b], &nd[c])));
}

/* Ear-clips one polygon list and checks the result: the triangles of a correct
 * triangulation cover the polygon once, so their unsigned areas add up to its area. When
 * touching pieces fooled the ear tests (triangles on both sides of a notch: a double
 * sheet), the clipping is redone from other starting corners and the attempt with the
 * least excess is kept. The topology is the same whatever the attempt. */
static void b3_restore(b3_tri_state *st, int m, int nt0, int nd0) {
    if (m > 3)
        for (int i = 0; i < m; i++) st->nd[st->savedid[i]] = st->saved[i];
    st->out->nt = nt0;
    st->ndiag = nd0;
}

static void b3_earclip_checked(b3_tri_state *st, int start, int m, int face) {
    double area = 0;
    int v = start;
    for (int i = 0; i < m; i++, v = st->nd[v].next) {
        const b3_node *p = &st->nd[v], *q = &st->nd[p->next];
        area += (p->x - q->x) * (p->y + q->y);
    }
    area = fabs(0.5 * area);
    double tol = 1e-9 * area + st->thr;
    int nt0 = st->out->nt, nd0 = st->ndiag;
    /* clipping only changes the links and edges of this polygon's nodes (none for a
     * triangle), so those are what an attempt restores */
    if (m > 3) {
        FC_GROW(st->ctx, st->saved, st->capsaved, m);
        FC_GROW(st->ctx, st->savedid, st->capsavedid, m);
        v = start;
        for (int i = 0; i < m; i++, v = st->nd[v].next) {
            st->saved[i] = st->nd[v];
            st->savedid[i] = v;
        }
    }
    /* large faces (quadratic clipping) get fewer attempts */
    const int TRIES = m > 128 ? 2 : 8;
    double best = INFINITY;
    int bestk = 0;
    for (int k = 0; k < TRIES; k++) {
        if (k > 0) b3_restore(st, m, nt0, nd0);
        double got = b3_earclip(st, start, m, face, k * m / TRIES);
        if (got - area <= tol) return;
        if (got < best) { best = got; bestk = k; }
    }
    if (bestk != TRIES - 1) {
        b3_restore(st, m, nt0, nd0);
        b3_earclip(st, start, m, face, bestk * m / TRIES);
    }
}

static inline int b3_add_node(b3_tri_state *st, double x, double y, int c, int e, int poly) {
    if (st->nn == st->capn) FC_GROW(st->ctx, st->nd, st->capn, st->nn + 1);
    st->nd[st->nn] = (b3_node){x, y, c, e, -1, -1, poly};
    return st->nn++;
}

/* Sorts key[0..n) by (v, slot), tmp being scratch of n keys. The keys arrive in slot
 * order, so a stable sort by v alone gives that order: insertion sort of runs of 16, then
 * merges (a comparison sort through qsort's callback cost several times as much). */
static void b3_sort_keys(b3_slotkey *key, b3_slotkey *tmp, int n) {
    enum { RUN = 16 };
    for (int r = 0; r < n; r += RUN) {
        int e = r + RUN < n ? r + RUN : n;
        for (int j = r + 1; j < e; j++) {
            b3_slotkey x = key[j];
            int i = j - 1;
            while (i >= r && key[i].v > x.v) {
                key[i + 1] = key[i];
                i--;
            }
            key[i + 1] = x;
        }
    }
    b3_slotkey *src = key, *dst = tmp;
    for (int w = RUN; w < n; w *= 2) {
        for (int lo = 0; lo < n; lo += 2 * w) {
            int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi) dst[k++] = src[j].v < src[i].v ? src[j++] : src[i++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        b3_slotkey *x = src;
        src = dst;
        dst = x;
    }
    if (src != key) memcpy(key, src, sizeof *key * (size_t)n);
}

static void b3_reserve(b3_tri_state *st, int n) {
    if (n <= st->caps) return;
    facet_ctx *ctx = st->ctx;
    int cap = st->caps;
    FC_GROW(ctx, st->key, cap, n);
    size_t c = (size_t)cap;
    st->key2 = fc_realloc_array(ctx, st->key2, c, sizeof *st->key2);
    st->used = fc_realloc_array(ctx, st->used, c, sizeof *st->used);
    st->is_hole = fc_realloc_array(ctx, st->is_hole, c, sizeof *st->is_hole);
    st->active = fc_realloc_array(ctx, st->active, c, sizeof *st->active);
    st->heads = fc_realloc_array(ctx, st->heads, c, sizeof *st->heads);
    st->lens = fc_realloc_array(ctx, st->lens, c, sizeof *st->lens);
    st->rightmost = fc_realloc_array(ctx, st->rightmost, c, sizeof *st->rightmost);
    st->holes = fc_realloc_array(ctx, st->holes, c, sizeof *st->holes);
    st->area = fc_realloc_array(ctx, st->area, c, sizeof *st->area);
    st->maxx = fc_realloc_array(ctx, st->maxx, c, sizeof *st->maxx);
    st->caps = cap;
}

static void b3_face(b3_tri_state *st, int f) {
    const b3_faces *F = st->F;
    int a = F->off[f], n = F->off[f + 1] - a;
    if (n < 3) {
        /* a 2-cycle or less: only possible for degenerate input; pair it through */
        if (n == 2) {
            st->outh[a] = -2 - (a + 1);
            st->outh[a + 1] = -2 - a;
        }
        return;
    }
    if (n == 3) {
        /* most faces are an uncut triangle: the loop the general path below would find
         * (from the slot with the least start vertex, each step to the first unused slot
         * starting where the last one ends), without its allocations */
        int s0 = a;
        for (int j = a + 1; j < a + 3; j++)
            if (F->hs[j] < F->hs[s0]) s0 = j;
        int s1 = -1;
        for (int j = a; j < a + 3; j++)
            if (j != s0 && F->hs[j] == F->he[s0]) {
                s1 = j;
                break;
            }
        int s2 = s1 < 0 ? -1 : 3 * a + 3 - s0 - s1;
        if (s1 >= 0 && F->hs[s2] == F->he[s1]) {
            b3_emit(st, s0, s1, s2, s0, s1, s2, f);
            return;
        }
    }
    const double *nrm = F->normal + 3 * f;
    double ax = fabs(nrm[0]), ay = fabs(nrm[1]), az = fabs(nrm[2]);
    int i0, i1;
    double sg;
    if (az > ax && az > ay) { i0 = 0; i1 = 1; sg = nrm[2]; }
    else if (ay > ax) { i0 = 2; i1 = 0; sg = nrm[1]; }
    else { i0 = 1; i1 = 2; sg = nrm[0]; }
    double flip = sg < 0 ? -1 : 1;

    /* loops: successor of a halfedge is an unused halfedge starting at its end */
    b3_reserve(st, n);
    b3_slotkey *key = st->key;
    for (int j = 0; j < n; j++) { key[j].v = F->hs[a + j]; key[j].slot = a + j; }
    if (n <= 24) {
        /* most faces are a few halfedges: a plain insertion sort */
        for (int j = 1; j < n; j++) {
            b3_slotkey x = key[j];
            int i = j - 1;
            while (i >= 0 && key[i].v > x.v) {
                key[i + 1] = key[i];
                i--;
            }
            key[i + 1] = x;
        }
    } else {
        b3_sort_keys(key, st->key2, n);
    }
    /* where each vertex's run of keys starts, for finding successors without a search */
    int32_t *vgrp = st->vgrp, *vstamp = st->vstamp;
    for (int k = 0; k < n; k++)
        if (k == 0 || key[k].v != key[k - 1].v) {
            vgrp[key[k].v] = k;
            vstamp[key[k].v] = f + 1;
        }
    bool *used = st->used;
    memset(used, 0, sizeof *used * (size_t)n);
    st->nn = 0;
    int32_t *heads = st->heads, *lens = st->lens;
    int nheads = 0;
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (int k = 0; k < n; k++) {
        if (used[key[k].slot - a]) continue;
        int poly = nheads;
        int first = -1, prevn = -1, len = 0;
        int j = key[k].slot;
        while (!used[j - a]) {
            used[j - a] = true;
            const double *p = F->pos + 3 * F->hs[j];
            double x = flip * p[i0], y = p[i1];
            if (x < lo[0]) lo[0] = x;
            if (x > hi[0]) hi[0] = x;
            if (y < lo[1]) lo[1] = y;
            if (y > hi[1]) hi[1] = y;
            int id = b3_add_node(st, x, y, j, j, poly);
            if (first < 0) first = id;
            else { st->nd[prevn].next = id; st->nd[id].prev = prevn; }
            prevn = id;
            len++;
            /* the first unused slot starting at he[j] */
            int v = F->he[j], nj = -1;
            if (vstamp[v] == f + 1)
                for (int q = vgrp[v]; q < n && key[q].v == v; q++)
                    if (!used[key[q].slot - a]) { nj = key[q].slot; break; }
            if (nj < 0) break;
            j = nj;
        }
        st->nd[prevn].next = first;
        st->nd[first].prev = prevn;
        heads[nheads] = first;
        lens[nheads++] = len;
    }
    double ext = hi[0] - lo[0] > hi[1] - lo[1] ? hi[0] - lo[0] : hi[1] - lo[1];
    double thr = (st->eps > 0 ? st->eps : 0) * (ext > 0 && isfinite(ext) ? ext : 1);
    st->thr = thr;

    if (nheads == 1 && n == 3) {
        int p = heads[0], q = st->nd[p].next, r = st->nd[q].next;
        b3_emit(st, st->nd[p].c, st->nd[q].c, st->nd[r].c, st->nd[p].e, st->nd[q].e,
                st->nd[r].e, f);
    } else if (nheads == 1 && n == 4) {
        b3_node *q0 = &st->nd[heads[0]], *q1 = &st->nd[q0->next], *q2 = &st->nd[q1->next],
                *q3 = &st->nd[q2->next];
        bool okA = b3_orient(q0, q1, q2) >= -thr && b3_orient(q0, q2, q3) >= -thr;
        bool okB = b3_orient(q1, q2, q3) >= -thr && b3_orient(q0, q1, q3) >= -thr;
        bool useA = okA || !okB;
        if (okA && okB) {
            const double *p0 = F->pos + 3 * F->hs[q0->c], *p1 = F->pos + 3 * F->hs[q1->c],
                         *p2 = F->pos + 3 * F->hs[q2->c], *p3 = F->pos + 3 * F->hs[q3->c];
            double dA = 0, dB = 0;
            for (int k = 0; k < 3; k++) {
                dA += (p2[k] - p0[k]) * (p2[k] - p0[k]);
                dB += (p3[k] - p1[k]) * (p3[k] - p1[k]);
            }
            useA = dA <= dB;
        }
        int d = b3_new_diag(st);
        if (useA) {
            b3_emit(st, q0->c, q1->c, q2->c, q0->e, q1->e, -1 - d, f);
            b3_emit(st, q0->c, q2->c, q3->c, -1 - (d + 1), q2->e, q3->e, f);
        } else {
            b3_emit(st, q1->c, q2->c, q3->c, q1->e, q2->e, -1 - d, f);
            b3_emit(st, q0->c, q1->c, q3->c, q0->e, -1 - (d + 1), q3->e, f);
        }
    } else {
        /* classify loops by signed area (a single loop is never a hole) */
        double areaThr = thr;
        double *area = st->area, *maxx = st->maxx;
        int32_t *rightmost = st->rightmost;
        for (int l = 0; l < nheads && nheads > 1; l++) {
            double s = 0;
            int v = heads[l], best = v;
            for (int it = 0; it < lens[l]; it++, v = st->nd[v].next) {
                const b3_node *p = &st->nd[v], *q = &st->nd[p->next];
                s += (p->x - q->x) * (p->y + q->y);
                if (p->x > st->nd[best].x || (p->x == st->nd[best].x && p->y > st->nd[best].y))
                    best = v;
            }
            area[l] = 0.5 * s;
            rightmost[l] = best;
            maxx[l] = st->nd[best].x;
        }
        /* holes, rightmost first */
        int32_t *holes = st->holes;
        int nholes = 0;
        bool *isHole = st->is_hole;
        for (int l = 0; l < nheads; l++) {
            isHole[l] = nheads > 1 && area[l] < -areaThr;
            if (isHole[l]) holes[nholes++] = l;
        }
        for (int i = 1; i < nholes; i++) {
            int h = holes[i], j = i - 1;
            while (j >= 0 && maxx[holes[j]] < maxx[h]) { holes[j + 1] = holes[j]; j--; }
            holes[j + 1] = h;
        }
        bool *active = st->active;
        for (int l = 0; l < nheads; l++) active[l] = !isHole[l];
        for (int hi3 = 0; hi3 < nholes; hi3++) {
            fc_tick(st->ctx);
            int l = holes[hi3];
            int M = rightmost[l];
            double mx = st->nd[M].x, my = st->nd[M].y;
            int hit = -1;
            double hitx = INFINITY;
            for (int v = 0; v < st->nn; v++) {
                b3_node *p = &st->nd[v];
                if (!active[p->poly]) continue;
                b3_node *q = &st->nd[p->next];
                if (!((p->y <= my && q->y > my) || (q->y <= my && p->y > my))) continue;
                double t = (my - p->y) / (q->y - p->y);
                double x = p->x + t * (q->x - p->x);
                if (x < mx || x >= hitx) continue;
                hitx = x;
                hit = v;
            }
            if (hit < 0) {
                active[l] = true; /* triangulated on its own */
                continue;
            }
            b3_node *hp = &st->nd[hit], *hq = &st->nd[hp->next];
            int P = hp->x > hq->x ? hit : hp->next;
            int poly = st->nd[hit].poly;
            /* a reflex corner inside (M, I, P) is a better bridge end */
            b3_node Mn = st->nd[M], In = st->nd[M], Pn = st->nd[P];
            In.x = hitx;
            double bestang = INFINITY;
            if (!(Pn.x == hitx && Pn.y == my)) {
                double orMIP = b3_orient(&Mn, &In, &Pn);
                for (int v = 0; v < st->nn; v++) {
                    const b3_node *w = &st->nd[v];
                    if (w->poly != poly || !active[poly] || v == P) continue;
                    if (w->x == Pn.x && w->y == Pn.y) continue;
                    double s1 = b3_orient(&Mn, &In, w), s2 = b3_orient(&In, &Pn, w),
                           s3 = b3_orient(&Pn, &Mn, w);
                    bool inside = orMIP > 0 ? (s1 >= 0 && s2 >= 0 && s3 >= 0)
                                            : (s1 <= 0 && s2 <= 0 && s3 <= 0);
                    if (!inside || w->x <= mx) continue;
                    /* several corners can lie on the ray itself (holes in a row
                     * along one line): the nearest, or the bridge crosses the others */
                    double ang = fabs(w->y - my) / (w->x - mx);
                    if (ang < bestang || (ang == bestang && w->x < st->nd[P].x)) {
                        bestang = ang;
                        P = v;
                    }
                }
            }
            /* a vertex bridged before appears several times: attach to the copy whose
             * interior sector contains the direction to M, or the polygon self-overlaps.
             * The sector is bounded by the nearest corners at other positions: distinct
             * vertices can share a position (an operand's split pinch), and the zero-length
             * edge between them has no direction */
            for (int v = 0; v < st->nn; v++) {
                const b3_node *w = &st->nd[v];
                if (w->poly != poly || w->x != st->nd[P].x || w->y != st->nd[P].y) continue;
                const b3_node *pa = &st->nd[w->prev], *pb = &st->nd[w->next];
                for (int k = 0; k < lens[poly] && pa != w && pa->x == w->x && pa->y == w->y; k++)
                    pa = &st->nd[pa->prev];
                for (int k = 0; k < lens[poly] && pb != w && pb->x == w->x && pb->y == w->y; k++)
                    pb = &st->nd[pb->next];
                double o1 = b3_orient(pa, w, &Mn), o2 = b3_orient(w, pb, &Mn);
                bool in = b3_orient(pa, w, pb) >= 0 ? (o1 > 0 && o2 > 0) : (o1 > 0 || o2 > 0);
                if (in) { P = v; break; }
            }
            /* bridge P -> M ... M' -> P' */
            int Mp = st->nd[M].prev;
            int Pnext = st->nd[P].next;
            int Pe = st->nd[P].e;
            int d = b3_new_diag(st);
            int M2 = b3_add_node(st, st->nd[M].x, st->nd[M].y, st->nd[M].c, -1 - (d + 1), poly);
            int P2 = b3_add_node(st, st->nd[P].x, st->nd[P].y, st->nd[P].c, Pe, poly);
            st->nd[P].next = M;
            st->nd[P].e = -1 - d;
            st->nd[M].prev = P;
            st->nd[Mp].next = M2;
            st->nd[M2].prev = Mp;
            st->nd[M2].next = P2;
            st->nd[P2].prev = M2;
            st->nd[P2].next = Pnext;
            st->nd[Pnext].prev = P2;
            /* relabel the hole's nodes */
            int v = M;
            do { st->nd[v].poly = poly; v = st->nd[v].next; } while (v != P2);
            lens[poly] += lens[l] + 2;
            heads[poly] = P;
        }
        for (int l = 0; l < nheads; l++) {
            if (!active[l] || st->nd[heads[l]].poly != l) continue;
            if (lens[l] < 3) {
                /* a 2-loop u->v->u: its two halfedges are each other's partner in the output */
                int p = heads[l], q = st->nd[p].next;
                int ep = st->nd[p].e, eq = st->nd[q].e;
                if (lens[l] == 2 && ep >= 0 && eq >= 0) {
                    st->outh[ep] = -2 - eq;
                    st->outh[eq] = -2 - ep;
                }
                continue;
            }
            b3_earclip_checked(st, heads[l], lens[l], f);
        }
    }
}

void b3_triangulate(facet_ctx *ctx, const b3_faces *F, double eps, b3_tris *out) {
    memset(out, 0, sizeof *out);
    b3_tri_state st;
    memset(&st, 0, sizeof st);
    st.ctx = ctx;
    st.F = F;
    st.out = out;
    st.outh = fc_alloc(ctx, sizeof *st.outh * ((size_t)F->nh + 1));
    for (int j = 0; j < F->nh; j++) st.outh[j] = -1;
    int capt = 3 * (F->nh / 3 + 16);
    out->tri = fc_alloc(ctx, sizeof *out->tri * (size_t)capt);
    out->pair = fc_alloc(ctx, sizeof *out->pair * (size_t)capt);
    out->src = fc_alloc(ctx, sizeof *out->src * (size_t)(capt / 3));
    st.capt = capt / 3;
    st.eps = eps;
    st.vgrp = fc_alloc(ctx, sizeof *st.vgrp * ((size_t)F->nv + 1));
    st.vstamp = fc_calloc(ctx, (size_t)F->nv + 1, sizeof *st.vstamp);
    for (int f = 0; f < F->nf; f++) {
        fc_tick(ctx);
        st.ndiag = 0;
        b3_face(&st, f);
        for (int d = 0; d < st.ndiag; d++) out->pair[st.diag[d]] = st.diag[d ^ 1];
    }
    /* contour halfedges take their partners' output halfedges; a 2-loop's halfedge stands
     * for its loop partner (encoded -2 - slot), so follow it across */
    for (int j = 0; j < F->nh; j++) {
        int o = st.outh[j];
        if (o < 0) continue;
        int k = F->hp[j];
        int seen = 0;
        while (st.outh[k] < -1 && seen++ < F->nh) k = F->hp[-2 - st.outh[k]];
        if (st.outh[k] < 0)
            fc_throw(ctx, FACET_ERR_INTERNAL, FC_NOLOC, "boolean triangulation: lost halfedge");
        out->pair[o] = st.outh[k];
    }
    out->nv = F->nv;
    out->first_new = F->first_new;
    out->pos = F->pos;
    fc_free(ctx, st.outh);
    fc_free(ctx, st.diag);
    fc_free(ctx, st.nd);
    fc_free(ctx, st.key);
    fc_free(ctx, st.key2);
    fc_free(ctx, st.used);
    fc_free(ctx, st.is_hole);
    fc_free(ctx, st.active);
    fc_free(ctx, st.heads);
    fc_free(ctx, st.lens);
    fc_free(ctx, st.rightmost);
    fc_free(ctx, st.holes);
    fc_free(ctx, st.area);
    fc_free(ctx, st.maxx);
    fc_free(ctx, st.deg);
    fc_free(ctx, st.saved);
    fc_free(ctx, st.savedid);
    fc_free(ctx, st.vgrp);
    fc_free(ctx, st.vstamp);
}
