/*
 * poly2_tri.c — triangulation of a clean polygon with holes (caps of extrusions, the
 * triangulated faces of 2D exports).
 *
 * Ear clipping with exact orientation predicates (pred.h):
 *  1. Each hole is assigned to the smallest outer contour that contains it (an island in a
 *     hole is an outer contour of its own and gets its own triangulation).
 *  2. Holes are joined to their outer ring by bridges, rightmost hole first: from the
 *     hole's rightmost vertex M a ray to +x meets the nearest ring edge whose inside faces M;
 *     the bridge goes to that edge's right end, or to the reflex vertex inside the triangle
 *     (M, hit, end) closest in angle to the ray (Eberly's rule), checking that the bridge
 *     leaves the chosen vertex inside its interior angle (vertices repeat after earlier
 *     bridges). The bridge duplicates two vertices, giving one weakly simple ring.
 *  3. Ears are clipped: a strictly convex vertex whose triangle contains no other ring
 *     vertex (vertices equal to a corner are ignored: they are bridge copies). Only vertices
 *     that are not strictly convex need checking (if any vertex is inside, one of those is),
 *     and a vertex only ever turns from reflex to convex as ears go, so they are kept in a
 *     list: a convex polygon clips in linear time. When a full
 *     turn finds no ear (only with degenerate input), the first strictly convex vertex is
 *     clipped anyway, so the loop always ends.
 * Output triangles are counter-clockwise and index p's points, so an extrusion's caps share
 * vertices with its walls. Collinear vertices are kept (never clipped as a zero-area ear).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/poly2_ops.h"
#include "geom/pred.h"
#include "geom/sweep.h"

typedef struct tnode {
    int32_t i;          /* point index */
    int32_t prev, next; /* node links */
} tnode;

typedef struct tri_run {
    facet_ctx *ctx;
    const double *xy;
    tnode *nd;
    int32_t nn, capn;
    int32_t *out;
    int32_t nout, capout;
    /* the ring being clipped: nodes that are not strictly convex (only they can lie inside
     * a candidate ear of a simple polygon), and per-node flags */
    int32_t *rfx;
    int32_t nrfx;
    uint8_t *gone, *isr;
} tri_run;

#define PT(R, node) ((R)->xy + 2 * (R)->nd[node].i)

static double orient(const tri_run *R, int32_t a, int32_t b, int32_t c) {
    return pred_orient2d(PT(R, a), PT(R, b), PT(R, c));
}

static int same_pt(const double *a, const double *b) { return a[0] == b[0] && a[1] == b[1]; }

static int32_t new_node(tri_run *R, int32_t i) {
    tnode n = {i, -1, -1};
    FC_PUSH(R->ctx, R->nd, R->nn, R->capn, n);
    return R->nn - 1;
}

/* Links the points of contour c into a ring; returns one node of it. */
static int32_t make_ring(tri_run *R, const poly2 *p, int32_t c) {
    int32_t first = -1, last = -1;
    for (int32_t k = 0; k < p->count[c]; k++) {
        int32_t n = new_node(R, p->start[c] + k);
        if (first < 0) first = n;
        else {
            R->nd[last].next = n;
            R->nd[n].prev = last;
        }
        last = n;
    }
    R->nd[last].next = first;
    R->nd[first].prev = last;
    return first;
}

/* Winding of contour c around q: +1/-1 inside, 0 outside, 2 when q is on its boundary. */
static int contour_contains(const poly2 *p, int32_t c, const double q[2]) {
    const double *a = p->xy + 2 * p->start[c];
    int w = 0;
    for (int32_t i = 0, n = p->count[c]; i < n; i++) {
        const double *u = a + 2 * i, *v = a + 2 * ((i + 1) % n);
        double o = pred_orient2d(u, v, q);
        if (o == 0 && q[0] >= fmin(u[0], v[0]) && q[0] <= fmax(u[0], v[0]) &&
            q[1] >= fmin(u[1], v[1]) && q[1] <= fmax(u[1], v[1]))
            return 2;
        if (u[1] <= q[1]) {
            if (v[1] > q[1] && o > 0) w++;
        } else if (v[1] <= q[1] && o < 0) {
            w--;
        }
    }
    return w != 0;
}

/* Is the direction from node v toward point m strictly inside v's interior angle? */
static int locally_inside(const tri_run *R, int32_t v, const double *m) {
    const double *pv = PT(R, R->nd[v].prev), *c = PT(R, v), *nx = PT(R, R->nd[v].next);
    if (pred_orient2d(pv, c, nx) > 0) return pred_orient2d(c, nx, m) > 0 && pred_orient2d(c, pv, m) < 0;
    return pred_orient2d(c, nx, m) > 0 || pred_orient2d(c, pv, m) < 0;
}

/* Joins the hole ring at node hm (its rightmost vertex) into the ring containing node outer. */
static void bridge_hole(tri_run *R, int32_t outer, int32_t hm) {
    const double *m = PT(R, hm);
    /* a ring vertex at the same place (a hole touching the outline) is the natural bridge */
    int32_t n = outer, best = -1;
    do {
        if (same_pt(PT(R, n), m) && locally_inside(R, n, PT(R, R->nd[hm].next))) {
            best = n;
            break;
        }
        n = R->nd[n].next;
    } while (n != outer);
    if (best < 0) {
        double hitx = INFINITY;
        int32_t edge = -1;
        n = outer;
        do {
            int32_t nn = R->nd[n].next;
            const double *a = PT(R, n), *b = PT(R, nn);
            if (a[1] <= m[1] && m[1] <= b[1] && a[1] < b[1]) {
                double x = a[0] + (m[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
                if (m[1] == a[1]) x = a[0];
                if (m[1] == b[1]) x = b[0];
                if (x >= m[0] && x < hitx) {
                    hitx = x;
                    edge = n;
                }
            }
            n = nn;
        } while (n != outer);
        if (edge < 0) return; /* not inside after all: the hole is dropped */
        int32_t en = R->nd[edge].next;
        const double *a = PT(R, edge), *b = PT(R, en);
        int32_t cand = a[0] > b[0] ? edge : en;
        if (hitx == a[0] && m[1] == a[1]) cand = edge;
        if (hitx == b[0] && m[1] == b[1]) cand = en;
        double hit[2] = {hitx, m[1]};
        const double *pc = PT(R, cand);
        /* reflex vertices inside triangle (m, hit, cand) may hide cand: take the one closest in
         * angle to the ray */
        best = cand;
        double best_tan = INFINITY, best_dx = INFINITY;
        if (!(pc[0] == hitx && pc[1] == m[1])) {
            double t0[2] = {m[0], m[1]};
            double s = pred_orient2d(t0, hit, pc) > 0 ? 1 : -1;
            n = outer;
            do {
                const double *q = PT(R, n);
                if (n != cand && q[0] >= m[0] && !same_pt(q, m) &&
                    s * pred_orient2d(t0, hit, q) >= 0 && s * pred_orient2d(hit, pc, q) >= 0 &&
                    s * pred_orient2d(pc, t0, q) >= 0 && locally_inside(R, n, m)) {
                    double dx = q[0] - m[0];
                    double tn = dx > 0 ? fabs(q[1] - m[1]) / dx : INFINITY;
                    if (tn < best_tan || (tn == best_tan && dx < best_dx)) {
                        best_tan = tn;
                        best_dx = dx;
                        best = n;
                    }
                }
                n = R->nd[n].next;
            } while (n != outer);
        }
        /* of several copies of the chosen point, use one that sees m */
        if (!locally_inside(R, best, m)) {
            n = outer;
            do {
                if (same_pt(PT(R, n), PT(R, best)) && locally_inside(R, n, m)) {
                    best = n;
                    break;
                }
                n = R->nd[n].next;
            } while (n != outer);
        }
    }
    /* splice: best -> hm ... (hole) ... hm' -> best' -> best.next */
    int32_t b2 = new_node(R, R->nd[best].i), h2 = new_node(R, R->nd[hm].i);
    int32_t bnext = R->nd[best].next, hprev = R->nd[hm].prev;
    R->nd[best].next = hm;
    R->nd[hm].prev = best;
    R->nd[hprev].next = h2;
    R->nd[h2].prev = hprev;
    R->nd[h2].next = b2;
    R->nd[b2].prev = h2;
    R->nd[b2].next = bnext;
    R->nd[bnext].prev = b2;
}

static int is_ear(const tri_run *R, int32_t e) {
    int32_t a = R->nd[e].prev, c = R->nd[e].next;
    if (orient(R, a, e, c) <= 0) return 0;
    const double *pa = PT(R, a), *pb = PT(R, e), *pc = PT(R, c);
    double x0 = fmin(pa[0], fmin(pb[0], pc[0])), x1 = fmax(pa[0], fmax(pb[0], pc[0]));
    double y0 = fmin(pa[1], fmin(pb[1], pc[1])), y1 = fmax(pa[1], fmax(pb[1], pc[1]));
    for (int32_t k = 0; k < R->nrfx; k++) {
        int32_t n = R->rfx[k];
        if (R->gone[n] || !R->isr[n] || n == a || n == e || n == c) continue;
        const double *q = PT(R, n);
        if (q[0] < x0 || q[0] > x1 || q[1] < y0 || q[1] > y1) continue;
        if (same_pt(q, pa) || same_pt(q, pb) || same_pt(q, pc)) continue;
        if (pred_orient2d(pa, pb, q) >= 0 && pred_orient2d(pb, pc, q) >= 0 &&
            pred_orient2d(pc, pa, q) >= 0)
            return 0;
    }
    return 1;
}

static void emit(tri_run *R, int32_t a, int32_t b, int32_t c) {
    FC_GROW(R->ctx, R->out, R->capout, R->nout + 3);
    R->out[R->nout++] = R->nd[a].i;
    R->out[R->nout++] = R->nd[b].i;
    R->out[R->nout++] = R->nd[c].i;
}

static void update_reflex(tri_run *R, int32_t n) {
    uint8_t was = R->isr[n];
    R->isr[n] = orient(R, R->nd[n].prev, n, R->nd[n].next) <= 0;
    /* only a forced clip (degenerate input) can make a convex vertex reflex */
    if (R->isr[n] && !was) R->rfx[R->nrfx++] = n;
}

/* Emits the triangle at node e and unlinks e from its ring. */
static void cut_ear(tri_run *R, int32_t e) {
    int32_t a = R->nd[e].prev, c = R->nd[e].next;
    emit(R, a, e, c);
    R->nd[a].next = c;
    R->nd[c].prev = a;
    R->gone[e] = 1;
    update_reflex(R, a);
    update_reflex(R, c);
}

/* A strictly convex ring of len > 4 nodes, triangulated by a sweep along x (sweep.h):
 * clipping ears one after another would make a fan, whose long thin triangles all overlap
 * near one corner. */
static void sweep_ring(tri_run *R, int32_t start, int32_t len) {
    int32_t *v = fc_alloc(R->ctx, (size_t)len * sizeof *v);
    double *uv = fc_alloc(R->ctx, (size_t)len * 2 * sizeof *uv);
    int32_t *tri = fc_alloc(R->ctx, (size_t)len * 3 * sizeof *tri);
    int32_t n = start;
    for (int32_t k = 0; k < len; k++, n = R->nd[n].next) {
        v[k] = n;
        uv[2 * k] = PT(R, n)[0];
        uv[2 * k + 1] = PT(R, n)[1];
    }
    sweep_convex(uv, len, tri);
    for (int32_t i = 0; i < len - 2; i++) emit(R, v[tri[3 * i]], v[tri[3 * i + 1]], v[tri[3 * i + 2]]);
    fc_free(R->ctx, tri);
    fc_free(R->ctx, uv);
    fc_free(R->ctx, v);
}

static void clip_ring(tri_run *R, int32_t start, int32_t len) {
    facet_ctx *ctx = R->ctx;
    R->gone = fc_calloc(ctx, (size_t)R->nn, 1);
    R->isr = fc_calloc(ctx, (size_t)R->nn, 1);
    R->rfx = fc_alloc(ctx, (size_t)R->nn * 3 * sizeof *R->rfx);
    R->nrfx = 0;
    int32_t n0 = start;
    do {
        update_reflex(R, n0);
        n0 = R->nd[n0].next;
    } while (n0 != start);
    if (R->nrfx == 0 && len > 4) {
        sweep_ring(R, start, len);
        len = 0;
    }
    int32_t ear = start, stop = start;
    while (len > 3) {
        int32_t c = R->nd[ear].next;
        if (is_ear(R, ear)) {
            cut_ear(R, ear);
            len--;
            ear = stop = c;
            fc_tick(R->ctx);
            continue;
        }
        ear = c;
        if (ear == stop) {
            /* no ear in a full turn: degenerate input; clip a convex vertex regardless */
            int32_t n = ear, found = -1;
            do {
                if (orient(R, R->nd[n].prev, n, R->nd[n].next) > 0) {
                    found = n;
                    break;
                }
                n = R->nd[n].next;
            } while (n != ear);
            if (found < 0) return; /* nothing with area left */
            c = R->nd[found].next;
            cut_ear(R, found);
            len--;
            ear = stop = c;
        }
    }
    if (len == 3 && orient(R, R->nd[ear].prev, ear, R->nd[ear].next) > 0)
        emit(R, R->nd[ear].prev, ear, R->nd[ear].next);
    fc_free(ctx, R->gone);
    fc_free(ctx, R->isr);
    fc_free(ctx, R->rfx);
    R->gone = R->isr = NULL;
    R->rfx = NULL;
}

typedef struct hole_ref {
    double maxx;
    int32_t node; /* rightmost node */
    int32_t len;
} hole_ref;

static int cmp_hole(const void *pa, const void *pb) {
    const hole_ref *a = pa, *b = pb;
    return a->maxx > b->maxx ? -1 : a->maxx < b->maxx;
}

int32_t poly2_triangulate(facet_ctx *ctx, const poly2 *p, int32_t **tris) {
    tri_run R;
    memset(&R, 0, sizeof R);
    R.ctx = ctx;
    R.xy = p->xy;
    int32_t nc = p->ncontours;
    double *area = fc_alloc(ctx, (size_t)(nc + 1) * sizeof *area);
    int32_t *owner = fc_alloc(ctx, (size_t)(nc + 1) * sizeof *owner);
    for (int32_t c = 0; c < nc; c++) area[c] = p->count[c] >= 3 ? 0.5 * poly2_contour_area2(p, c) : 0;
    /* 1. holes to outers */
    for (int32_t c = 0; c < nc; c++) {
        owner[c] = -1;
        if (!(area[c] < 0)) continue;
        double best = INFINITY;
        for (int32_t o = 0; o < nc; o++) {
            if (!(area[o] > 0) || area[o] >= best || area[o] < -area[c]) continue;
            int inside = 0;
            for (int32_t k = 0; k < p->count[c]; k++) {
                int r = contour_contains(p, o, p->xy + 2 * (p->start[c] + k));
                if (r == 2) continue; /* on the outline: try another vertex */
                inside = r;
                break;
            }
            if (inside) {
                best = area[o];
                owner[c] = o;
            }
        }
    }
    /* 2. per outer: bridge its holes, 3. clip */
    hole_ref *hr = fc_alloc(ctx, (size_t)(nc + 1) * sizeof *hr);
    for (int32_t o = 0; o < nc; o++) {
        if (!(area[o] > 0)) continue;
        int32_t ring = make_ring(&R, p, o), len = p->count[o], nh = 0;
        for (int32_t c = 0; c < nc; c++) {
            if (owner[c] != o) continue;
            int32_t h = make_ring(&R, p, c), best = h;
            int32_t n = h;
            do {
                const double *q = PT(&R, n), *bq = PT(&R, best);
                if (q[0] > bq[0] || (q[0] == bq[0] && q[1] < bq[1])) best = n;
                n = R.nd[n].next;
            } while (n != h);
            hr[nh].maxx = PT(&R, best)[0];
            hr[nh].node = best;
            hr[nh].len = p->count[c];
            nh++;
        }
        qsort(hr, (size_t)nh, sizeof *hr, cmp_hole);
        for (int32_t k = 0; k < nh; k++) {
            int32_t before = R.nn;
            bridge_hole(&R, ring, hr[k].node);
            if (R.nn > before) len += hr[k].len + 2;
        }
        clip_ring(&R, ring, len);
    }
    fc_free(ctx, hr);
    fc_free(ctx, area);
    fc_free(ctx, owner);
    fc_free(ctx, R.nd);
    /* ear clipping leaves long thin triangles across holes; Delaunay flips make them
     * compact, which later booleans' broad phase pays for (poly2_flip.c) */
    poly2_delaunay_flips(ctx, p->xy, R.out, R.nout / 3);
    *tris = R.out ? R.out : fc_alloc(ctx, sizeof(int32_t));
    return R.nout / 3;
}
