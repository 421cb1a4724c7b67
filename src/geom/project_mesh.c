/*
 * project_mesh.c — projection(): a 3D mesh to its 2D shadow on z = 0 or its cut by z = 0.
 *
 * cut = false: the union of the triangles' projections. Only triangles facing up are
 * needed (over each point of the shadow the topmost surface faces up), which removes most
 * overlap; each is oriented counter-clockwise and the set goes through one 2D union under
 * the positive rule, with OpenSCAD's cleaning as its Clipper union applies it.
 *
 * cut = true: the plane meets each triangle with vertices on both sides in one segment.
 * A vertex exactly on the plane counts as below it in one pass and as above it in another
 * (symbolic perturbation: the plane lifted and lowered by an infinitesimal), and the union of
 * the two is the cut, so a face lying in z = 0 is included from either side as OpenSCAD
 * includes it, and every decision is a sign test. A crossing point is computed from its edge with the endpoints in
 * a canonical order, so the two triangles sharing the edge produce the same point, and the
 * segments chain into closed loops by those edge keys; the segment of a triangle is directed
 * so that the solid is on its left. The loops are cleaned by a 2D union.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/poly2_grid.h"
#include "geom/poly2_ops.h"

static int cmp3(const double *a, const double *b) {
    for (int k = 0; k < 3; k++)
        if (a[k] != b[k]) return a[k] < b[k] ? -1 : 1;
    return 0;
}

static poly2 *shadow(facet_ctx *ctx, const mesh *m) {
    poly2 *p = poly2_new(ctx, 0, 0);
    int capc = 0, capn = 0, capp = 0;
    for (int32_t t = 0; t < m->nt; t++) {
        const double *a = m->pos + 3 * m->tri[3 * t], *b = m->pos + 3 * m->tri[3 * t + 1],
                     *c = m->pos + 3 * m->tri[3 * t + 2];
        double area2 = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
        if (!(area2 > 0)) continue; /* facing down or vertical */
        int32_t k = p->ncontours;
        FC_GROW(ctx, p->start, capc, k + 1);
        FC_GROW(ctx, p->count, capn, k + 1);
        FC_GROW(ctx, p->xy, capp, 2 * (p->npoints + 3));
        p->start[k] = p->npoints;
        p->count[k] = 3;
        const double *v[3] = {a, b, c};
        for (int e = 0; e < 3; e++) {
            p->xy[2 * (p->npoints + e)] = v[e][0];
            p->xy[2 * (p->npoints + e) + 1] = v[e][1];
        }
        p->npoints += 3;
        p->ncontours = k + 1;
        fc_tick(ctx);
    }
    poly2 *r = poly2_boolean_fill(ctx, &p, 1, BOOL_UNION, POLY2_POSITIVE, POLY2_TOLERANCE_CLEAN);
    poly2_free(ctx, p);
    return r;
}

typedef struct cseg {
    const double *from[2]; /* edge key of the start point: endpoints in canonical order */
    const double *to[2];
    int32_t used;
} cseg;

static int cmp_key(const double *const a[2], const double *const b[2]) {
    int c = cmp3(a[0], b[0]);
    return c ? c : cmp3(a[1], b[1]);
}

static int cmp_seg(const void *pa, const void *pb) {
    const cseg *a = pa, *b = pb;
    return cmp_key(a->from, b->from);
}

static void edge_key(const double *u, const double *v, const double *k[2]) {
    if (cmp3(u, v) <= 0) {
        k[0] = u;
        k[1] = v;
    } else {
        k[0] = v;
        k[1] = u;
    }
}

static void crossing(const double *const k[2], double out[2]) {
    const double *a = k[0], *b = k[1];
    double t = (0 - a[2]) / (b[2] - a[2]);
    out[0] = a[0] + (b[0] - a[0]) * t;
    out[1] = a[1] + (b[1] - a[1]) * t;
}

static poly2 *cut(facet_ctx *ctx, const mesh *m, bool zero_above) {
    cseg *s = NULL;
    int ns = 0, caps = 0;
    for (int32_t t = 0; t < m->nt; t++) {
        const double *v[3];
        int above[3], na = 0;
        for (int e = 0; e < 3; e++) {
            v[e] = m->pos + 3 * m->tri[3 * t + e];
            above[e] = zero_above ? v[e][2] >= 0 : v[e][2] > 0;
            na += above[e];
        }
        if (na == 0 || na == 3) continue;
        /* the lone vertex: the one on its own side */
        int lone = 0;
        for (int e = 0; e < 3; e++)
            if ((na == 1) == (above[e] != 0)) lone = e;
        const double *v0 = v[lone], *v1 = v[(lone + 1) % 3], *v2 = v[(lone + 2) % 3];
        cseg sg;
        sg.used = 0;
        if (!above[lone]) { /* lone vertex below: from edge (v0, v2) to edge (v0, v1) */
            edge_key(v0, v2, sg.from);
            edge_key(v0, v1, sg.to);
        } else {
            edge_key(v0, v1, sg.from);
            edge_key(v0, v2, sg.to);
        }
        FC_PUSH(ctx, s, ns, caps, sg);
    }
    if (ns > 0) qsort(s, (size_t)ns, sizeof *s, cmp_seg);
    poly2 *p = poly2_new(ctx, 0, 0);
    int capc = 0, capn = 0, capp = 0;
    for (int i = 0; i < ns; i++) {
        if (s[i].used) continue;
        int32_t begin = p->npoints, cur = i, closed = 0;
        for (int guard = 0; guard <= ns; guard++) {
            s[cur].used = 1;
            FC_GROW(ctx, p->xy, capp, 2 * (p->npoints + 1));
            crossing(s[cur].from, p->xy + 2 * p->npoints);
            p->npoints++;
            if (cmp_key(s[cur].to, s[i].from) == 0) {
                closed = 1;
                break;
            }
            /* the segment starting where this one ends */
            int lo = 0, hi = ns;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (cmp_key(s[mid].from, s[cur].to) < 0) lo = mid + 1;
                else hi = mid;
            }
            int next = -1;
            for (int q = lo; q < ns && cmp_key(s[q].from, s[cur].to) == 0; q++)
                if (!s[q].used) {
                    next = q;
                    break;
                }
            if (next < 0) break;
            cur = next;
        }
        if (!closed || p->npoints - begin < 3) {
            p->npoints = begin;
            continue;
        }
        int32_t k = p->ncontours;
        FC_GROW(ctx, p->start, capc, k + 1);
        FC_GROW(ctx, p->count, capn, k + 1);
        p->start[k] = begin;
        p->count[k] = p->npoints - begin;
        p->ncontours = k + 1;
        fc_tick(ctx);
    }
    fc_free(ctx, s);
    return p;
}

poly2 *project_mesh(facet_ctx *ctx, const mesh *m, bool cut_mode) {
    if (!m || m->nt == 0) return poly2_empty(ctx);
    if (!cut_mode) return shadow(ctx, m);
    /* the plane lifted and lowered by an infinitesimal: a face lying in z = 0 belongs to the
     * cut from whichever side the solid is on, as in OpenSCAD */
    poly2 *v[2] = {cut(ctx, m, false), cut(ctx, m, true)};
    poly2 *r = poly2_boolean_fill(ctx, v, 2, BOOL_UNION, POLY2_NONZERO, POLY2_KEEP_INPUT_XY);
    poly2_free(ctx, v[0]);
    poly2_free(ctx, v[1]);
    return r;
}
