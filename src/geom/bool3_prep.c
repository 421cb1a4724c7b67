/*
 * bool3_prep.c — the kernel's view of an operand (KERNEL.md §1): partners, face normals,
 * vertex pseudo-normals, canonical edges with their normals, bounding box, precision, BVH.
 *
 * Normals only break ties in the symbolic perturbation, so they are recomputed from the
 * geometry of each operand; a degenerate triangle gets the zero normal.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/bool3_internal.h"

double b3_mesh_eps(const mesh *m) {
    double s = 0;
    for (int i = 0; i < 3 * m->nv; i++) {
        double a = fabs(m->pos[i]);
        if (a > s) s = a;
    }
    double e = 1e-12 * s;
    if (m->eps > e) e = m->eps;
    if (!isfinite(e)) e = -1;
    return e;
}

/* asin on [0, 1] from +, -, *, / and sqrt only, so that the native and the wasm builds
 * (different libm) weigh vertex normals bit-identically; the normals only break ties, so
 * the ~1e-9 accuracy of the series is plenty. */
static double b3_asin01(double x) {
    if (x > 0.5) return 1.57079632679489661923 - 2 * b3_asin01(sqrt((1 - x) / 2));
    double x2 = x * x, term = x, sum = x;
    /* the terms never grow (x <= 0.5), so once one no longer changes the sum none of the
     * later ones can: stopping there gives the same double as all 23 terms */
    for (int k = 1; k < 24; k++) {
        term *= x2 * (2 * k - 1) * (2 * k - 1) / ((2 * k) * (2 * k + 1.0));
        double next = sum + term;
        if (next == sum) break;
        sum = next;
    }
    return sum;
}

/* acos(c) for c in [-1, 1], deterministic across platforms (see b3_asin01). */
static double b3_acos(double c) {
    if (c >= 1) return 0;
    if (c <= -1) return 3.14159265358979323846;
    double a = b3_asin01(sqrt((1 - (c < 0 ? -c : c)) / 2)) * 2; /* acos(|c|) */
    return c < 0 ? 3.14159265358979323846 - a : a;
}

static int b3_cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Pairs halfedges by matching a->b with b->a; throws when that is not a bijection. */
static void b3_pairs(facet_ctx *ctx, b3_mesh *b) {
    int nh = 3 * b->nt;
    /* key = start << 32 | end; sorted with the halfedge id alongside */
    uint64_t *key = fc_alloc(ctx, sizeof *key * (size_t)(nh ? nh : 1));
    int32_t *ord = fc_alloc(ctx, sizeof *ord * (size_t)(nh ? nh : 1));
    for (int h = 0; h < nh; h++) {
        uint32_t s = (uint32_t)b->tri[h], e = (uint32_t)b->tri[b3_next(h)];
        key[h] = (uint64_t)s << 32 | e;
    }
    uint64_t *kk = fc_alloc(ctx, sizeof *kk * 2 * (size_t)(nh ? nh : 1));
    for (int h = 0; h < nh; h++) { kk[2 * h] = key[h]; kk[2 * h + 1] = (uint64_t)h; }
    qsort(kk, (size_t)nh, 2 * sizeof *kk, b3_cmp_u64);
    for (int i = 0; i < nh; i++) ord[i] = (int32_t)kk[2 * i + 1];
    for (int i = 0; i < nh; i++) key[i] = kk[2 * i];
    fc_free(ctx, kk);
    for (int i = 0; i + 1 < nh; i++)
        if (key[i] == key[i + 1])
            fc_throw(ctx, FACET_ERR_GEOMETRY, FC_NOLOC,
                     "boolean operand is not a closed 2-manifold (repeated edge)");
    for (int i = 0; i < nh; i++) {
        uint64_t rev = key[i] << 32 | key[i] >> 32;
        int lo = 0, hi = nh - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) / 2;
            if (key[mid] < rev) lo = mid + 1;
            else if (key[mid] > rev) hi = mid - 1;
            else { found = mid; break; }
        }
        if (found < 0)
            fc_throw(ctx, FACET_ERR_GEOMETRY, FC_NOLOC,
                     "boolean operand is not a closed 2-manifold (open edge)");
        b->pair[ord[i]] = ord[found];
    }
    fc_free(ctx, key);
    fc_free(ctx, ord);
}

static void b3_normalize(double v[3]) {
    double l = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (l > 0 && isfinite(l)) {
        v[0] /= l; v[1] /= l; v[2] /= l;
    } else {
        v[0] = v[1] = v[2] = 0;
    }
}

void b3_mesh_init(facet_ctx *ctx, b3_mesh *b, const mesh *m) {
    memset(b, 0, sizeof *b);
    b->nv = m->nv;
    b->nt = m->nt;
    b->pos = m->pos;
    b->tri = m->tri;
    b->color = m->color;
    int nh = 3 * m->nt;
    size_t nh1 = (size_t)(nh ? nh : 1);
    b->pair = fc_alloc(ctx, sizeof *b->pair * nh1);
    if (m->pair) memcpy(b->pair, m->pair, sizeof *b->pair * (size_t)nh);
    else b3_pairs(ctx, b);

    b->fn = fc_alloc(ctx, sizeof *b->fn * 3 * (size_t)(m->nt ? m->nt : 1));
    for (int t = 0; t < m->nt; t++) {
        const double *p0 = m->pos + 3 * m->tri[3 * t], *p1 = m->pos + 3 * m->tri[3 * t + 1],
                     *p2 = m->pos + 3 * m->tri[3 * t + 2];
        double u[3] = {p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]};
        double v[3] = {p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]};
        double *n = b->fn + 3 * t;
        n[0] = u[1] * v[2] - u[2] * v[1];
        n[1] = u[2] * v[0] - u[0] * v[2];
        n[2] = u[0] * v[1] - u[1] * v[0];
        double w[3] = {p2[0] - p1[0], p2[1] - p1[1], p2[2] - p1[2]};
        double l2 = u[0] * u[0] + u[1] * u[1] + u[2] * u[2];
        double l2v = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
        double l2w = w[0] * w[0] + w[1] * w[1] + w[2] * w[2];
        if (l2v > l2) l2 = l2v;
        if (l2w > l2) l2 = l2w;
        /* a sliver's own normal is rounding noise: mark it for borrowing below */
        if (!(n[0] * n[0] + n[1] * n[1] + n[2] * n[2] > 1e-18 * l2 * l2)) n[0] = n[1] = n[2] = 0;
        b3_normalize(n);
    }
    /* Boolean results carry slivers (colinear corners) whose direction Manifold inherits
     * from the source face; the mesh does not store it, so a sliver takes the normal of the
     * neighbour across its longest edge, which in practice lies in the same face. The
     * perturbation uses these normals, and a zero one would make ties break the wrong way. */
    for (int pass = 0; pass < 4; pass++) {
        bool again = false;
        for (int t = 0; t < m->nt; t++) {
            double *n = b->fn + 3 * t;
            if (n[0] != 0 || n[1] != 0 || n[2] != 0) continue;
            int best = -1;
            double bl = -1;
            for (int i = 0; i < 3; i++) {
                const double *p = m->pos + 3 * m->tri[3 * t + i];
                const double *q = m->pos + 3 * m->tri[3 * t + (i + 1) % 3];
                double d = (q[0] - p[0]) * (q[0] - p[0]) + (q[1] - p[1]) * (q[1] - p[1]) +
                           (q[2] - p[2]) * (q[2] - p[2]);
                if (d > bl) { bl = d; best = 3 * t + i; }
            }
            const double *o = b->fn + 3 * (b->pair[best] / 3);
            if (o[0] == 0 && o[1] == 0 && o[2] == 0) { again = true; continue; }
            n[0] = o[0]; n[1] = o[1]; n[2] = o[2];
        }
        if (!again) break;
    }

    /* angle-weighted pseudo-normals */
    b->vn = fc_calloc(ctx, (size_t)(m->nv ? m->nv : 1) * 3, sizeof *b->vn);
    /* a few corner angles (right angles, halves of them) recur across a whole mesh: a
     * small direct-mapped memo of b3_acos, exact since the function is pure */
    enum { MEMO = 256 };
    double memo_c[MEMO], memo_phi[MEMO];
    for (int k = 0; k < MEMO; k++) memo_c[k] = NAN;
    for (int h = 0; h < nh; h++) {
        int t = h / 3, i = h % 3;
        const double *a = m->pos + 3 * m->tri[h], *bb = m->pos + 3 * m->tri[3 * t + (i + 1) % 3],
                     *c = m->pos + 3 * m->tri[3 * t + (i + 2) % 3];
        double u1[3] = {bb[0] - a[0], bb[1] - a[1], bb[2] - a[2]};
        double u0[3] = {a[0] - c[0], a[1] - c[1], a[2] - c[2]};
        b3_normalize(u1);
        b3_normalize(u0);
        if ((u1[0] == 0 && u1[1] == 0 && u1[2] == 0) || (u0[0] == 0 && u0[1] == 0 && u0[2] == 0))
            continue;
        double cs = -(u0[0] * u1[0] + u0[1] * u1[1] + u0[2] * u1[2]);
        uint64_t bits;
        memcpy(&bits, &cs, sizeof bits);
        int slot = (int)((bits * 0x9e3779b97f4a7c15ull) >> 56);
        double phi;
        if (memo_c[slot] == cs) {
            phi = memo_phi[slot];
        } else {
            phi = b3_acos(cs);
            memo_c[slot] = cs;
            memo_phi[slot] = phi;
        }
        double *vn = b->vn + 3 * m->tri[h];
        for (int k = 0; k < 3; k++) vn[k] += phi * b->fn[3 * t + k];
    }
    /* Analytically equal normals (a crease vertex of any triangulation: the angle sums per
     * face are pi up to rounding) must compare equal, so that ties go to the symbolic rule
     * and not to rounding noise: components are snapped to a 2^-32 grid. */
    for (int v = 0; v < m->nv; v++) {
        double *n = b->vn + 3 * v;
        b3_normalize(n);
        for (int k = 0; k < 3; k++) n[k] = nearbyint(n[k] * 4294967296.0) / 4294967296.0;
    }

    /* canonical edges */
    b->edge = fc_alloc(ctx, sizeof *b->edge * (nh1 / 2 + 1));
    b->hedge = fc_alloc(ctx, sizeof *b->hedge * nh1);
    b->ne = 0;
    for (int h = 0; h < nh; h++) {
        int s = m->tri[h], e = m->tri[b3_next(h)];
        int p = b->pair[h];
        if (s < e || (s == e && h < p)) {
            b->hedge[h] = b->ne;
            b->hedge[p] = b->ne;
            b->edge[b->ne++] = h;
        }
    }
    b->ev = fc_alloc(ctx, sizeof *b->ev * 2 * (size_t)(b->ne ? b->ne : 1));
    for (int e = 0; e < b->ne; e++) {
        int h = b->edge[e];
        b->ev[2 * e] = m->tri[h];
        b->ev[2 * e + 1] = m->tri[b3_next(h)];
    }
    b->en = fc_alloc(ctx, sizeof *b->en * 3 * (size_t)(b->ne ? b->ne : 1));
    for (int e = 0; e < b->ne; e++) {
        int h = b->edge[e];
        for (int k = 0; k < 3; k++)
            b->en[3 * e + k] = b->fn[3 * (h / 3) + k] + b->fn[3 * (b->pair[h] / 3) + k];
    }

    /* bounding box, precision, BVH over triangle boxes */
    for (int k = 0; k < 3; k++) { b->lo[k] = INFINITY; b->hi[k] = -INFINITY; }
    double *boxes = fc_alloc(ctx, sizeof *boxes * 6 * (size_t)(m->nt ? m->nt : 1));
    for (int t = 0; t < m->nt; t++) {
        double *bx = boxes + 6 * t;
        for (int k = 0; k < 3; k++) { bx[k] = INFINITY; bx[k + 3] = -INFINITY; }
        for (int i = 0; i < 3; i++) {
            const double *p = m->pos + 3 * m->tri[3 * t + i];
            for (int k = 0; k < 3; k++) {
                if (p[k] < bx[k]) bx[k] = p[k];
                if (p[k] > bx[k + 3]) bx[k + 3] = p[k];
            }
        }
        for (int k = 0; k < 3; k++) {
            if (bx[k] < b->lo[k]) b->lo[k] = bx[k];
            if (bx[k + 3] > b->hi[k]) b->hi[k] = bx[k + 3];
        }
    }
    bvh_build(ctx, &b->tree, boxes, m->nt);
    fc_free(ctx, boxes);
    b->eps = b3_mesh_eps(m);
}

void b3_mesh_free(facet_ctx *ctx, b3_mesh *b) {
    fc_free(ctx, b->pair);
    fc_free(ctx, b->fn);
    fc_free(ctx, b->vn);
    fc_free(ctx, b->en);
    fc_free(ctx, b->edge);
    fc_free(ctx, b->hedge);
    fc_free(ctx, b->ev);
    bvh_free(ctx, &b->tree);
}
