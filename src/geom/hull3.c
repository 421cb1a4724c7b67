/*
 * hull3.c — the 3D convex hull of a point set (hull3_points in boolean3.h).
 *
 * Quickhull as an incremental construction with conflict lists: start from a tetrahedron
 * of input points; every remaining point sits in the conflict list of one face it lies
 * strictly outside of; repeatedly take the farthest conflict point of some face, find
 * every face it sees (a flood fill over face neighbours), replace them by a fan from the
 * point to the horizon, and hand the orphaned conflict points to the new faces.
 *
 * Every side test is pred_orient3d, so the decisions are exact: duplicate points are
 * removed up front, a point exactly on a face's plane is not outside it (coplanar points
 * never become vertices), and the visible region is therefore always a disc bounded by
 * one simple horizon cycle. A new face joins a horizon edge to a point strictly outside
 * the visible face that owned the edge, so it can never be degenerate. Input whose points
 * are all coplanar (or fewer than four distinct) has no volume: the result is empty.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/boolean3.h"
#include "geom/pred.h"

typedef struct hface {
    int32_t v[3];  /* counter-clockwise from outside */
    int32_t nb[3]; /* face across edge v[i] -> v[(i+1)%3] */
    int32_t conflict; /* first point of the conflict list, -1 none */
    int32_t mark;     /* visit stamp */
    bool alive;
} hface;

typedef struct hull {
    facet_ctx *ctx;
    const double *p; /* 3 per point (deduplicated) */
    int32_t np;
    int32_t *next_conflict; /* per point */
    hface *f;
    int32_t nf, capf;
    int32_t stamp;
} hull;

static int cmp_xyz(const void *a, const void *b) {
    const double *p = a, *q = b;
    for (int i = 0; i < 3; i++)
        if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1;
    return 0;
}

/* Sorted copy without duplicates (-0 and +0 are one point); non-finite points dropped. */
static double *unique_points(facet_ctx *ctx, const double *pts, int n, int32_t *out_n) {
    double *q = fc_realloc_array(ctx, NULL, (size_t)(n > 0 ? n : 1), 3 * sizeof(double));
    int32_t m = 0;
    for (int i = 0; i < n; i++) {
        const double *p = pts + 3 * (size_t)i;
        if (!isfinite(p[0]) || !isfinite(p[1]) || !isfinite(p[2])) continue;
        for (int k = 0; k < 3; k++) q[3 * (size_t)m + k] = p[k] + 0.0; /* -0 -> +0 */
        m++;
    }
    qsort(q, (size_t)m, 3 * sizeof(double), cmp_xyz);
    int32_t u = 0;
    for (int32_t i = 0; i < m; i++)
        if (u == 0 || cmp_xyz(q + 3 * (size_t)i, q + 3 * (size_t)(u - 1)) != 0) {
            memmove(q + 3 * (size_t)u, q + 3 * (size_t)i, 3 * sizeof(double));
            u++;
        }
    *out_n = u;
    return q;
}

static const double *P(const hull *h, int32_t i) { return h->p + 3 * (size_t)i; }

/* > 0 when point q is strictly outside face f (on the side its normal points to). */
static double outside(const hull *h, const hface *f, int32_t q) {
    return -pred_orient3d(P(h, f->v[0]), P(h, f->v[1]), P(h, f->v[2]), P(h, q));
}

static int32_t add_face(hull *h, int32_t a, int32_t b, int32_t c) {
    hface nf = {{a, b, c}, {-1, -1, -1}, -1, 0, true};
    FC_PUSH(h->ctx, h->f, h->nf, h->capf, nf);
    return h->nf - 1;
}

/* Index of edge a->b in face f, or -1. */
static int edge_index(const hface *f, int32_t a, int32_t b) {
    for (int i = 0; i < 3; i++)
        if (f->v[i] == a && f->v[(i + 1) % 3] == b) return i;
    return -1;
}

/* Puts point q in the conflict list of the first face in fs[0..n) it is outside of;
 * returns false when it is outside none (inside or on the hull so far). */
static bool assign(hull *h, const int32_t *fs, int n, int32_t q) {
    for (int i = 0; i < n; i++) {
        hface *f = &h->f[fs[i]];
        if (outside(h, f, q) > 0) {
            h->next_conflict[q] = f->conflict;
            f->conflict = q;
            return true;
        }
    }
    return false;
}

/* The initial tetrahedron; false when the points span no volume. */
static bool initial_simplex(hull *h) {
    int32_t n = h->np;
    if (n < 4) return false;
    int32_t a = 0, b = n - 1; /* distinct (the points are) */
    int32_t c = -1;
    for (int32_t i = 1; i < n - 1 && c < 0; i++) {
        /* c must not be on line ab: some coordinate-plane projection has area */
        const double *pa = P(h, a), *pb = P(h, b), *pc = P(h, i);
        for (int k = 0; k < 3 && c < 0; k++) {
            int u = k, v = (k + 1) % 3;
            double A[2] = {pa[u], pa[v]}, B[2] = {pb[u], pb[v]}, C[2] = {pc[u], pc[v]};
            if (pred_orient2d(A, B, C) != 0) c = i;
        }
    }
    if (c < 0) return false;
    /* the fourth point: the one farthest from plane abc, for well-shaped first faces */
    int32_t d = -1;
    double best = 0;
    for (int32_t i = 0; i < n; i++) {
        double o = fabs(pred_orient3d(P(h, a), P(h, b), P(h, c), P(h, i)));
        if (o > best) best = o, d = i;
    }
    if (d < 0) return false;
    if (pred_orient3d(P(h, a), P(h, b), P(h, c), P(h, d)) < 0) {
        int32_t s = b; /* make d lie below abc: abc is then outward */
        b = c;
        c = s;
    }
    /* faces abc, adb? orient each so that the fourth vertex is below it */
    const int32_t tri[4][3] = {{a, b, c}, {a, d, b}, {b, d, c}, {c, d, a}};
    for (int i = 0; i < 4; i++) add_face(h, tri[i][0], tri[i][1], tri[i][2]);
    for (int i = 0; i < 4; i++)
        for (int e = 0; e < 3; e++) {
            int32_t u = h->f[i].v[e], v = h->f[i].v[(e + 1) % 3];
            for (int j = 0; j < 4; j++)
                if (j != i && edge_index(&h->f[j], v, u) >= 0) h->f[i].nb[e] = j;
        }
    int32_t fs[4] = {0, 1, 2, 3};
    for (int32_t i = 0; i < n; i++) {
        if (i == a || i == b || i == c || i == d) continue;
        assign(h, fs, 4, i);
    }
    return true;
}

/* Adds point q (outside face f0) to the hull. */
static void add_point(hull *h, int32_t f0, int32_t q, int32_t **horizon_buf, int *cap_h,
                      int32_t **visible_buf, int *cap_v, int32_t *by_start) {
    facet_ctx *ctx = h->ctx;
    int32_t stamp = ++h->stamp;
    /* 1. visible faces: flood fill from f0 over faces q is strictly outside of */
    int32_t *vis = *visible_buf;
    int nvis = 0;
    FC_PUSH(ctx, vis, nvis, *cap_v, f0);
    h->f[f0].mark = stamp;
    for (int i = 0; i < nvis; i++) {
        for (int e = 0; e < 3; e++) {
            int32_t g = h->f[vis[i]].nb[e];
            if (h->f[g].mark == stamp) continue;
            if (outside(h, &h->f[g], q) > 0) {
                h->f[g].mark = stamp;
                FC_PUSH(ctx, vis, nvis, *cap_v, g);
            }
        }
    }
    *visible_buf = vis;
    /* 2. horizon edges a->b (as the visible face runs them) with their outer face */
    int32_t *hz = *horizon_buf;
    int nhz = 0;
    for (int i = 0; i < nvis; i++) {
        hface *f = &h->f[vis[i]];
        for (int e = 0; e < 3; e++) {
            int32_t g = f->nb[e];
            if (h->f[g].mark == stamp) continue;
            FC_GROW(ctx, hz, *cap_h, nhz + 3);
            hz[nhz++] = f->v[e];
            hz[nhz++] = f->v[(e + 1) % 3];
            hz[nhz++] = g;
        }
    }
    *horizon_buf = hz;
    /* 3. a new face per horizon edge; its side edges meet the neighbouring new faces */
    int32_t first_new = h->nf;
    for (int i = 0; i < nhz; i += 3) {
        int32_t a = hz[i], b = hz[i + 1], g = hz[i + 2];
        int32_t nf = add_face(h, a, b, q);
        h->f[nf].nb[0] = g;
        h->f[g].nb[edge_index(&h->f[g], b, a)] = nf;
        by_start[a] = nf;
    }
    for (int32_t nf = first_new; nf < h->nf; nf++) {
        int32_t b = h->f[nf].v[1];
        int32_t other = by_start[b]; /* the new face whose horizon edge starts at b */
        h->f[nf].nb[1] = other;       /* edge b -> q */
        h->f[other].nb[2] = nf;       /* edge q -> b */
    }
    /* 4. orphaned conflict points go to the new faces (or are inside now) */
    int nnew = h->nf - first_new;
    int32_t *newf = fc_realloc_array(ctx, NULL, (size_t)nnew, sizeof *newf);
    for (int i = 0; i < nnew; i++) newf[i] = first_new + i;
    for (int i = 0; i < nvis; i++) {
        hface *f = &h->f[vis[i]];
        f->alive = false;
        int32_t p = f->conflict;
        while (p >= 0) {
            int32_t nx = h->next_conflict[p];
            if (p != q) assign(h, newf, nnew, p);
            p = nx;
        }
        h->f[vis[i]].conflict = -1;
        fc_tick(ctx);
    }
    fc_free(ctx, newf);
}

/* The hull of the distinct points p; NULL when they span no volume. */
static mesh *hull_pass(facet_ctx *ctx, const double *p, int32_t np) {
    hull h;
    memset(&h, 0, sizeof h);
    h.ctx = ctx;
    h.p = p;
    h.np = np;
    h.next_conflict = fc_realloc_array(ctx, NULL, (size_t)(np > 0 ? np : 1), sizeof(int32_t));
    if (!initial_simplex(&h)) {
        fc_free(ctx, h.next_conflict);
        fc_free(ctx, h.f);
        return NULL;
    }
    int32_t *hz = NULL, *vis = NULL;
    int cap_h = 0, cap_v = 0;
    int32_t *by_start = fc_realloc_array(ctx, NULL, (size_t)np, sizeof(int32_t));
    /* faces are appended as they are made, so one pass over the growing array visits every
     * face that ever holds conflicts */
    for (int32_t fi = 0; fi < h.nf; fi++) {
        while (h.f[fi].alive && h.f[fi].conflict >= 0) {
            /* the farthest conflict point (largest orient3d magnitude for this face) */
            int32_t best = -1;
            double bd = -1;
            for (int32_t q = h.f[fi].conflict; q >= 0; q = h.next_conflict[q]) {
                double d = outside(&h, &h.f[fi], q);
                if (d > bd) bd = d, best = q;
            }
            add_point(&h, fi, best, &hz, &cap_h, &vis, &cap_v, by_start);
        }
        fc_tick(ctx);
    }
    fc_free(ctx, hz);
    fc_free(ctx, vis);
    /* compact: vertices by first appearance over the live faces */
    int32_t *map = by_start;
    for (int32_t i = 0; i < np; i++) map[i] = -1;
    int32_t nt = 0, nv = 0;
    for (int32_t fi = 0; fi < h.nf; fi++)
        if (h.f[fi].alive) {
            nt++;
            for (int k = 0; k < 3; k++)
                if (map[h.f[fi].v[k]] < 0) map[h.f[fi].v[k]] = nv++;
        }
    mesh *m = mesh_new(ctx, nv, nt);
    for (int32_t i = 0; i < np; i++)
        if (map[i] >= 0) memcpy(m->pos + 3 * (size_t)map[i], P(&h, i), 3 * sizeof(double));
    int32_t t = 0;
    for (int32_t fi = 0; fi < h.nf; fi++)
        if (h.f[fi].alive) {
            for (int k = 0; k < 3; k++) m->tri[3 * t + k] = map[h.f[fi].v[k]];
            t++;
        }
    fc_free(ctx, map);
    fc_free(ctx, h.next_conflict);
    fc_free(ctx, h.f);
    return m;
}

static bool coplanar_faces(const mesh *m, int32_t f, int32_t g) {
    const double *a = m->pos + 3 * (size_t)m->tri[3 * f], *b = m->pos + 3 * (size_t)m->tri[3 * f + 1],
                 *c = m->pos + 3 * (size_t)m->tri[3 * f + 2];
    for (int k = 0; k < 3; k++)
        if (pred_orient3d(a, b, c, m->pos + 3 * (size_t)m->tri[3 * g + k]) != 0) return false;
    return true;
}

/* Marks the vertices of hull m that are corners: a point lying in the plane of only one or
 * two of the hull's faces is inside a facet or an edge, not an extreme point. Returns the
 * number of corners. */
static int32_t mark_corners(facet_ctx *ctx, const mesh *m, unsigned char *corner) {
    int32_t *deg = fc_calloc(ctx, (size_t)m->nv + 1, sizeof *deg);
    for (int32_t h = 0; h < 3 * m->nt; h++) deg[m->tri[h] + 1]++;
    for (int32_t v = 0; v < m->nv; v++) deg[v + 1] += deg[v];
    int32_t *inc = fc_realloc_array(ctx, NULL, (size_t)3 * m->nt, sizeof *inc);
    int32_t *fill = fc_realloc_array(ctx, NULL, (size_t)m->nv, sizeof *fill);
    memcpy(fill, deg, (size_t)m->nv * sizeof *fill);
    for (int32_t h = 0; h < 3 * m->nt; h++) inc[fill[m->tri[h]]++] = h / 3;
    int32_t corners = 0;
    for (int32_t v = 0; v < m->nv; v++) {
        int32_t planes[3], np = 0;
        for (int32_t i = deg[v]; i < deg[v + 1] && np < 3; i++) {
            int32_t f = inc[i];
            bool known = false;
            for (int k = 0; k < np && !known; k++) known = coplanar_faces(m, planes[k], f);
            if (!known) planes[np++] = f;
        }
        corner[v] = np >= 3;
        corners += corner[v];
        fc_tick(ctx);
    }
    fc_free(ctx, deg);
    fc_free(ctx, inc);
    fc_free(ctx, fill);
    return corners;
}

mesh *hull3_points(facet_ctx *ctx, const double *pts, int n) {
    int32_t np;
    double *p = unique_points(ctx, pts, n, &np);
    mesh *m = hull_pass(ctx, p, np);
    fc_free(ctx, p);
    if (!m) return mesh_empty(ctx);
    /* A point that the construction met before the points around it can stay as a vertex
     * in the middle of a facet or an edge. The hull of the corners alone has no such
     * points (every input point is then an extreme point), so a second pass over them
     * gives the minimal hull. */
    unsigned char *corner = fc_calloc(ctx, (size_t)m->nv, 1);
    int32_t nc = mark_corners(ctx, m, corner);
    if (nc < m->nv) {
        double *q = fc_realloc_array(ctx, NULL, (size_t)nc, 3 * sizeof(double));
        int32_t k = 0;
        for (int32_t v = 0; v < m->nv; v++)
            if (corner[v]) memcpy(q + 3 * (size_t)k++, m->pos + 3 * (size_t)v, 3 * sizeof(double));
        mesh_free(ctx, m);
        m = hull_pass(ctx, q, nc);
        fc_free(ctx, q);
        if (!m) m = mesh_empty(ctx);
    }
    fc_free(ctx, corner);
    mesh_is_manifold(ctx, m);
    return m;
}
