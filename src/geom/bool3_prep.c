/*
 * bool3_prep.c — the kernel's view of an operand (KERNEL.md §1): partners, face normals,
 * vertex pseudo-normals, canonical edges with their normals, bounding box, precision, BVH.
 *
 * Normals only break ties in the symbolic perturbation, so they are recomputed from the
 * geometry of each operand; a degenerate triangle gets the zero normal.
 *
 * This runs once per operand of every binary boolean, so it makes as few passes as the
 * dependencies allow, each value still computed by the same floating-point operations in
 * the same order (the perturbation needs native and wasm to agree bit for bit, and the
 * results must not depend on how this file is arranged):
 *   1. per triangle: its edge vectors and squared lengths, face normal, triangle box and
 *      bounding box;
 *   2. slivers borrow a neighbour's normal;
 *   3. per halfedge: canonical edges, their vertices and normals (the later of the two
 *      faces may be a sliver, so this waits for pass 2).
 * Vertex pseudo-normals are made on demand (b3_vn_make): the predicates read them only to
 * break an exact tie of x coordinates, which few vertices ever meet, and made for every
 * vertex their corner angles (a square root per edge, an arc cosine per corner) cost as much
 * as all the rest here: menger3, whose axis-aligned faces tie the most, 46M -> 28M
 * instructions in this file and 8M on demand; in wasm, where square roots and divisions
 * weigh more than their count, 11% less time on menger3 and 7% on cubes200.
 */
#include <math.h>
#include <string.h>

#include "core/sort.h"
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

/* The series' k-th factor is x^2 * (2k-1) * (2k-1) / ((2k) * (2k+1)), multiplied left to
 * right; these are its integer operands as doubles (exact), read instead of rebuilt. */
static const double b3_asin_odd[24] = {0,  1,  3,  5,  7,  9,  11, 13, 15, 17, 19, 21,
                                       23, 25, 27, 29, 31, 33, 35, 37, 39, 41, 43, 45};
static const double b3_asin_den[24] = {0,    6,    20,   42,   72,   110,  156,  210,
                                       272,  342,  420,  506,  600,  702,  812,  930,
                                       1056, 1190, 1332, 1482, 1640, 1806, 1980, 2162};

/* asin on [0, 0.5] from +, -, *, / only, so that the native and the wasm builds (different
 * libm) weigh vertex normals bit-identically; the normals only break ties, so the ~1e-9
 * accuracy of the series is plenty. */
static double b3_asin_series(double x) {
    double x2 = x * x, term = x, sum = x;
    /* the terms never grow (x <= 0.5), so once one no longer changes the sum none of the
     * later ones can: stopping there gives the same double as all 23 terms */
    for (int k = 1; k < 24; k++) {
        term *= x2 * b3_asin_odd[k] * b3_asin_odd[k] / b3_asin_den[k];
        double next = sum + term;
        if (next == sum) break;
        sum = next;
    }
    return sum;
}

/* asin on [0, 1]: above 0.5 through asin(x) = pi/2 - 2 asin(sqrt((1 - x) / 2)). */
static double b3_asin01(double x) {
    if (x > 0.5) return 1.57079632679489661923 - 2 * b3_asin_series(sqrt((1 - x) / 2));
    return b3_asin_series(x);
}

/* acos(c) for c in [-1, 1], deterministic across platforms (see b3_asin_series). */
static double b3_acos(double c) {
    if (c >= 1) return 0;
    if (c <= -1) return 3.14159265358979323846;
    double a = b3_asin01(sqrt((1 - (c < 0 ? -c : c)) / 2)) * 2; /* acos(|c|) */
    return c < 0 ? 3.14159265358979323846 - a : a;
}

/* Pairs halfedges by matching a->b with b->a; throws when that is not a bijection.
 * Sorting by the undirected edge (radix, linear) puts each halfedge next to its partner:
 * a closed 2-manifold gives groups of exactly two opposite halfedges, or one a->a
 * halfedge, which is its own reverse. */
static void b3_pairs(facet_ctx *ctx, b3_mesh *b) {
    int nh = 3 * b->nt;
    uint64_t *key = fc_alloc(ctx, sizeof *key * (size_t)(nh ? nh : 1));
    int32_t *ord = fc_alloc(ctx, sizeof *ord * (size_t)(nh ? nh : 1));
    for (int h = 0; h < nh; h++) {
        uint32_t s = (uint32_t)b->tri[h], e = (uint32_t)b->tri[b3_next(h)];
        key[h] = s < e ? (uint64_t)s << 32 | e : (uint64_t)e << 32 | s;
        ord[h] = h;
    }
    fc_sort_keys(ctx, key, ord, (size_t)nh);
    /* a repeated directed edge is reported before an open one, whichever comes first */
    bool repeated = false, open = false;
    for (int i = 0, j; i < nh; i = j) {
        for (j = i + 1; j < nh && key[j] == key[i]; j++) {}
        int h = ord[i], s = b->tri[h], e = b->tri[b3_next(h)];
        if (j - i == 1) {
            if (s == e) b->pair[h] = h;
            else open = true;
        } else if (j - i == 2 && s != e && b->tri[ord[i + 1]] == e) {
            b->pair[h] = ord[i + 1];
            b->pair[ord[i + 1]] = h;
        } else {
            /* three or more, or two the same way round: some directed edge repeats */
            repeated = true;
        }
    }
    fc_free(ctx, key);
    fc_free(ctx, ord);
    if (repeated)
        fc_throw(ctx, FACET_ERR_GEOMETRY, FC_NOLOC,
                 "boolean operand is not a closed 2-manifold (repeated edge)");
    if (open)
        fc_throw(ctx, FACET_ERR_GEOMETRY, FC_NOLOC,
                 "boolean operand is not a closed 2-manifold (open edge)");
}

/* v / sqrt(l2), or the zero vector when that length is zero or not finite (NaN fails
 * both tests); l2 is v's squared length, b3_sq(v), which the caller often has already.
 * Returns whether the result is non-zero: a finite non-zero length leaves the largest
 * component about 1/sqrt(3) or more, so it is exactly when the unit vector is not zero. */
static bool b3_unit(const double v[3], double l2, double out[3]) {
    double l = sqrt(l2);
    if (l > 0 && l < INFINITY) {
        out[0] = v[0] / l; out[1] = v[1] / l; out[2] = v[2] / l;
        return true;
    }
    out[0] = out[1] = out[2] = 0;
    return false;
}

/* v[0]^2 + v[1]^2 + v[2]^2, summed in that order */
/* Both sum their terms in x, y, z order, as every length and cosine here always has. */
static double b3_sq(const double v[3]) { return v[0] * v[0] + v[1] * v[1] + v[2] * v[2]; }
static double b3_dot(const double a[3], const double b[3]) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* The bounds of three values from +-infinity, taking them in order: of two equal zeros of
 * opposite sign the first stays, and the boxes' bits reach the tree. */
static double b3_min3(double a, double b, double c) {
    double m = INFINITY;
    if (a < m) m = a;
    if (b < m) m = b;
    if (c < m) m = c;
    return m;
}

static double b3_max3(double a, double b, double c) {
    double m = -INFINITY;
    if (a > m) m = a;
    if (b > m) m = b;
    if (c > m) m = c;
    return m;
}

/* acos of corner cosines, remembered: a few angles (right angles, halves of them) recur
 * across a whole mesh, and so do the angles of repeated shapes (the quads of a cylinder's
 * side); axis-aligned models (menger3), whose x coordinates tie the most, ask for normals at
 * most vertices. Direct-mapped and exact, since b3_acos is pure. */
static double b3_acos_memo(b3_mesh *b, double cs) {
    uint64_t bits;
    memcpy(&bits, &cs, sizeof bits);
    size_t slot = (size_t)((bits * 0x9e3779b97f4a7c15ull) >> b->acos_shift);
    if (b->acos_c[slot] == cs) return b->acos_phi[slot];
    double phi = b3_acos(cs);
    b->acos_c[slot] = cs;
    b->acos_phi[slot] = phi;
    return phi;
}

/* Each vertex's outgoing halfedges in increasing order (a counting sort by start vertex), so
 * that one vertex's corners can be visited in the order the sums need; and the acos memo,
 * a slot per eight corners (2^8 to 2^14). */
static void b3_vertex_index(b3_mesh *b) {
    int nh = 3 * b->nt;
    int lg = 8;
    while (lg < 14 && (1 << lg) < nh / 8) lg++;
    b->acos_shift = 64 - lg;
    b->acos_c = fc_alloc(b->ctx, sizeof *b->acos_c << lg);
    b->acos_phi = fc_alloc(b->ctx, sizeof *b->acos_phi << lg);
    for (int k = 0; k < 1 << lg; k++) b->acos_c[k] = NAN; /* equals no cosine: empty */
    b->vfirst = fc_calloc(b->ctx, (size_t)b->nv + 2, sizeof *b->vfirst);
    b->vhe = fc_alloc(b->ctx, sizeof *b->vhe * (size_t)(nh ? nh : 1));
    int32_t *first = b->vfirst;
    for (int h = 0; h < nh; h++) first[b->tri[h] + 2]++;
    for (int v = 0; v < b->nv; v++) first[v + 2] += first[v + 1];
    for (int h = 0; h < nh; h++) b->vhe[first[b->tri[h] + 1]++] = h;
}

/* The angle-weighted pseudo-normal of vertex v (KERNEL.md §1), normalised and snapped.
 * Corner i of a triangle lies between -ed[i-1] and ed[i], its angle the arc cosine of the
 * dot product of the unit edges; the terms are added in halfedge order, with the final face
 * normals (slivers' borrowed ones). Analytically equal normals (a crease vertex of any
 * triangulation: the angle sums per face are pi up to rounding) must compare equal, so that
 * ties go to the symbolic rule and not to rounding noise: components are snapped to a 2^-32
 * grid. Pure: the same bits whichever vertex is asked first. */
void b3_vn_make(const b3_mesh *cb, int v) {
    b3_mesh *b = (b3_mesh *)cb; /* the cache fields only; the mesh itself is unchanged */
    if (!b->vhe) b3_vertex_index(b);
    double w[3] = {0, 0, 0};
    for (int j = b->vfirst[v]; j < b->vfirst[v + 1]; j++) {
        int h = b->vhe[j], t = h / 3, i = h % 3;
        const int32_t *tv = b->tri + 3 * t;
        const double *p0 = b->pos + 3 * tv[0], *p1 = b->pos + 3 * tv[1], *p2 = b->pos + 3 * tv[2];
        double ed[3][3] = {{p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]},
                           {p2[0] - p1[0], p2[1] - p1[1], p2[2] - p1[2]},
                           {p0[0] - p2[0], p0[1] - p2[1], p0[2] - p2[2]}};
        int a = i == 0 ? 2 : i - 1; /* the edge coming in */
        double ua[3], ui[3];
        if (!b3_unit(ed[a], b3_sq(ed[a]), ua) || !b3_unit(ed[i], b3_sq(ed[i]), ui)) continue;
        double ph = b3_acos_memo(b, -b3_dot(ua, ui));
        const double *f = b->fn + 3 * t;
        w[0] += ph * f[0];
        w[1] += ph * f[1];
        w[2] += ph * f[2];
    }
    double *n = b->vn + 3 * v;
    b3_unit(w, b3_sq(w), n);
    for (int k = 0; k < 3; k++) n[k] = nearbyint(n[k] * 4294967296.0) / 4294967296.0;
    b->vn_ok[v] = 1;
}

void b3_mesh_init(facet_ctx *ctx, b3_mesh *b, const mesh *m) {
    memset(b, 0, sizeof *b);
    b->nv = m->nv;
    b->nt = m->nt;
    b->pos = m->pos;
    b->tri = m->tri;
    b->color = m->color;
    int nt = m->nt, nh = 3 * nt;
    size_t nh1 = (size_t)(nh ? nh : 1), nt1 = (size_t)(nt ? nt : 1);
    b->pair = fc_alloc(ctx, sizeof *b->pair * nh1);
    if (m->pair) memcpy(b->pair, m->pair, sizeof *b->pair * (size_t)nh);
    else b3_pairs(ctx, b);

    const double *pos = m->pos;
    const int32_t *tri = m->tri;
    double *fn = b->fn = fc_alloc(ctx, sizeof *b->fn * 3 * nt1);
    size_t nv1 = (size_t)(m->nv ? m->nv : 1);
    b->vn = fc_calloc(ctx, nv1 * 3, sizeof *b->vn);
    b->vn_ok = fc_calloc(ctx, nv1, sizeof *b->vn_ok);
    b->ctx = ctx;
    double *boxes = fc_alloc(ctx, sizeof *boxes * 6 * nt1);

    int slivers = 0;
    double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (int t = 0; t < nt; t++) {
        const int32_t *tv = tri + 3 * t;
        const double *p0 = pos + 3 * tv[0], *p1 = pos + 3 * tv[1], *p2 = pos + 3 * tv[2];
        /* ed[i] runs from corner i to corner i+1: corner i's outgoing edge and the
         * incoming one of corner i+1; un[i] is its direction */
        double ed[3][3] = {{p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]},
                           {p2[0] - p1[0], p2[1] - p1[1], p2[2] - p1[2]},
                           {p0[0] - p2[0], p0[1] - p2[1], p0[2] - p2[2]}};
        double l2[3] = {b3_sq(ed[0]), b3_sq(ed[1]), b3_sq(ed[2])};
        /* face normal (p1 - p0) x (p2 - p0); p2 - p0 is its own subtraction, since
         * -(p0 - p2) can differ from it in the sign of a zero */
        const double *u = ed[0];
        double v[3] = {p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]};
        double n[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2],
                       u[0] * v[1] - u[1] * v[0]};
        /* the longest side; |p2 - p0|^2 is |p0 - p2|^2 exactly, negation does not change
         * the squares */
        double lmax = l2[0];
        if (l2[2] > lmax) lmax = l2[2];
        if (l2[1] > lmax) lmax = l2[1];
        double *f = fn + 3 * t;
        /* a sliver's own normal is rounding noise: mark it for borrowing below */
        double n2 = b3_sq(n);
        if (!(n2 > 1e-18 * lmax * lmax)) n[0] = n[1] = n[2] = n2 = 0;
        if (!b3_unit(n, n2, f)) slivers++;

        /* triangle box, and the operand's */
        double *bx = boxes + 6 * t;
        for (int k = 0; k < 3; k++) {
            bx[k] = b3_min3(p0[k], p1[k], p2[k]);
            bx[k + 3] = b3_max3(p0[k], p1[k], p2[k]);
            if (bx[k] < lo[k]) lo[k] = bx[k];
            if (bx[k + 3] > hi[k]) hi[k] = bx[k + 3];
        }
    }
    memcpy(b->lo, lo, sizeof lo);
    memcpy(b->hi, hi, sizeof hi);

    /* Boolean results carry slivers (colinear corners) whose direction Manifold inherits
     * from the source face; the mesh does not store it, so a sliver takes the normal of the
     * neighbour across its longest edge, which in practice lies in the same face. The
     * perturbation uses these normals, and a zero one would make ties break the wrong way. */
    for (int pass = 0; slivers && pass < 4; pass++) {
        bool again = false;
        for (int t = 0; t < nt; t++) {
            double *n = fn + 3 * t;
            if (n[0] != 0 || n[1] != 0 || n[2] != 0) continue;
            int best = -1;
            double bl = -1;
            for (int i = 0; i < 3; i++) {
                const double *p = pos + 3 * tri[3 * t + i];
                const double *q = pos + 3 * tri[3 * t + (i + 1) % 3];
                double d = (q[0] - p[0]) * (q[0] - p[0]) + (q[1] - p[1]) * (q[1] - p[1]) +
                           (q[2] - p[2]) * (q[2] - p[2]);
                if (d > bl) { bl = d; best = 3 * t + i; }
            }
            if (best < 0) continue; /* no side compares (NaN corners): nothing to borrow */
            const double *o = fn + 3 * (b->pair[best] / 3);
            if (o[0] == 0 && o[1] == 0 && o[2] == 0) { again = true; continue; }
            n[0] = o[0]; n[1] = o[1]; n[2] = o[2];
        }
        if (!again) break;
    }

    /* canonical edges: the halfedge whose start index is smaller */
    b->edge = fc_alloc(ctx, sizeof *b->edge * (nh1 / 2 + 1));
    b->hedge = fc_alloc(ctx, sizeof *b->hedge * nh1);
    b->ev = fc_alloc(ctx, sizeof *b->ev * (nh1 + 2));
    b->en = fc_alloc(ctx, sizeof *b->en * 3 * (nh1 / 2 + 1));
    int32_t *hedge = b->hedge, *edge = b->edge, *ev = b->ev;
    const int32_t *pair = b->pair;
    double *en = b->en;
    int ne = 0;
    for (int t = 0; t < nt; t++) {
        const int32_t *tv = tri + 3 * t;
        const double *f = fn + 3 * t;
        for (int i = 0; i < 3; i++) {
            int h = 3 * t + i, s = tv[i], e = tv[i == 2 ? 0 : i + 1], p = pair[h];
            if (s < e || (s == e && h < p)) {
                hedge[h] = ne;
                hedge[p] = ne;
                edge[ne] = h;
                ev[2 * ne] = s;
                ev[2 * ne + 1] = e;
                const double *o = fn + 3 * (p / 3);
                double *out = en + 3 * ne;
                out[0] = f[0] + o[0];
                out[1] = f[1] + o[1];
                out[2] = f[2] + o[2];
                ne++;
            }
        }
    }
    b->ne = ne;

    bvh_build(ctx, &b->tree, boxes, nt);
    fc_free(ctx, boxes);
    b->eps = b3_mesh_eps(m);
}

void b3_mesh_free(facet_ctx *ctx, b3_mesh *b) {
    fc_free(ctx, b->pair);
    fc_free(ctx, b->fn);
    fc_free(ctx, b->vn);
    fc_free(ctx, b->vn_ok);
    fc_free(ctx, b->vhe);
    fc_free(ctx, b->vfirst);
    fc_free(ctx, b->acos_c);
    fc_free(ctx, b->acos_phi);
    fc_free(ctx, b->en);
    fc_free(ctx, b->edge);
    fc_free(ctx, b->hedge);
    fc_free(ctx, b->ev);
    bvh_free(ctx, &b->tree);
}
