/*
 * bool3_predicates.c — the perturbed predicates of KERNEL.md §2-3.
 *
 * P moves by eps*sigma along its normals and Q by eps along its own, eps -> 0+. Every
 * comparison asks whether the P element is below the Q element with LT(p, q, d): the plain
 * comparison when the coordinates differ, the sign of the displacement difference d on an
 * exact tie. Each higher predicate is defined as a signed sum of lower ones (S01 -> S02,
 * S11 -> X12), evaluated from bit-identical inputs, so the integer results obey exact
 * identities whatever the rounding: that is what makes the assembled output manifold.
 * Points are interpolated from the nearer endpoint so exact coincidences stay exact.
 */
#include <math.h>
#include <string.h>

#include "geom/bool3_internal.h"

static inline bool b3_lt(double p, double q, double d) { return p != q ? p < q : d < 0; }

#define B3_NOINLINE __attribute__((noinline))

/* Value at abscissa x (axis ax) of segment a-b for axes o1 and o2, anchored at the endpoint
 * nearer to x. */
static inline void b3_interp(const double *a, const double *b, double x, int ax, int o1, int o2,
                             double out[2]) {
    const double *an = fabs(x - b[ax]) < fabs(x - a[ax]) ? b : a;
    double lambda = (x - an[ax]) / (b[ax] - a[ax]);
    double d1 = b[o1] - a[o1], d2 = b[o2] - a[o2];
    if (!isfinite(lambda) || !isfinite(d1) || !isfinite(d2)) {
        out[0] = a[o1];
        out[1] = a[o2];
        return;
    }
    out[0] = an[o1] + lambda * d1;
    out[1] = an[o2] + lambda * d2;
}

/* Crossing of segments a (aL-aR) and b (bL-bR) sampled at the same two abscissae: the gap
 * b - a along axis ay changes sign. Returns x (axis ax), y (axis ay), the a and b values
 * along az. */
static void b3_cross2(const double *aL, const double *aR, const double *bL, const double *bR,
                      int ax, int ay, int az, double out[4]) {
    double gL = bL[ay] - aL[ay], gR = bR[ay] - aR[ay];
    bool left = fabs(gL) <= fabs(gR);
    double lambda = (left ? gL : gR) / (gL - gR);
    if (!isfinite(lambda)) lambda = 0;
    const double *aA = left ? aL : aR, *bA = left ? bL : bR;
    double dya = aR[ay] - aL[ay], dyb = bR[ay] - bL[ay];
    out[0] = aA[ax] + lambda * (aR[ax] - aL[ax]);
    out[1] = fabs(dya) < fabs(dyb) ? aA[ay] + lambda * dya : bA[ay] + lambda * dyb;
    out[2] = aA[az] + lambda * (aR[az] - aL[az]);
    out[3] = bA[az] + lambda * (bR[az] - bL[az]);
}

/* The sample rule: keep the first sample and the first later one whose status differs. */
typedef struct b3_samp {
    int n;
    bool st0;
    double a[2][3], b[2][3];
} b3_samp;

static inline void b3_offer(b3_samp *s, bool status, const double a[3], const double b[3]) {
    if (s->n == 0) {
        s->st0 = status;
    } else if (s->n != 1 || status == s->st0) {
        return;
    }
    memcpy(s->a[s->n], a, sizeof s->a[0]);
    memcpy(s->b[s->n], b, sizeof s->b[0]);
    s->n++;
}


/* The x steps when x ties an end of the edge, out of line: the pseudo-normals that break the
 * tie are made on demand (b3_vnx), and that call inlined into the predicates made every S01 and
 * S10 pay for a stack frame, ties or not (menger3: +21M instructions). A tie is the rare case
 * except on axis-aligned models. */
B3_NOINLINE static int b3_xstep01(const b3_state *s, int a, int vs, int vt) {
    double x = s->P->pos[3 * a], xs = s->Q->pos[3 * vs], xt = s->Q->pos[3 * vt];
    int lt_t = x != xt ? x < xt : s->sigma * b3_vnx(s->P, a) - b3_vnx(s->Q, vt) < 0;
    int lt_s = x != xs ? x < xs : s->sigma * b3_vnx(s->P, a) - b3_vnx(s->Q, vs) < 0;
    return lt_t - lt_s;
}

B3_NOINLINE static int b3_xstep10(const b3_state *s, int b, int vs, int vt) {
    double x = s->Q->pos[3 * b], xs = s->P->pos[3 * vs], xt = s->P->pos[3 * vt];
    int lt_s = xs != x ? xs < x : s->sigma * b3_vnx(s->P, vs) - b3_vnx(s->Q, b) < 0;
    int lt_t = xt != x ? xt < x : s->sigma * b3_vnx(s->P, vt) - b3_vnx(s->Q, b) < 0;
    return lt_s - lt_t;
}

/* P vertex a against Q edge e: the x step is +-1 when a lies in e's perturbed x range; kept
 * only when a is below e in y. yz = e at a.x, valid when *has. */
static int b3_s01(const b3_state *s, int a, int e, double yz[2], bool *has) {
    const b3_mesh *P = s->P, *Q = s->Q;
    const double *pa = P->pos + 3 * a;
    int vs = Q->ev[2 * e], vt = Q->ev[2 * e + 1];
    const double *ps = Q->pos + 3 * vs, *pt = Q->pos + 3 * vt;
    double x = pa[0];
    int k = x != pt[0] && x != ps[0] ? (x < pt[0]) - (x < ps[0]) : b3_xstep01(s, a, vs, vt);
    if (!k) {
        *has = false;
        return 0;
    }
    *has = true;
    b3_interp(ps, pt, pa[0], 0, 1, 2, yz);
    if (!b3_lt(pa[1], yz[0], -Q->en[3 * e + 1])) k = 0;
    return k;
}

/* Q vertex b against P edge f (the reverse of b3_s01). */
static int b3_s10(const b3_state *s, int b, int f, double yz[2], bool *has) {
    const b3_mesh *P = s->P, *Q = s->Q;
    const double *pb = Q->pos + 3 * b;
    int vs = P->ev[2 * f], vt = P->ev[2 * f + 1];
    const double *ps = P->pos + 3 * vs, *pt = P->pos + 3 * vt;
    double x = pb[0];
    int k = ps[0] != x && pt[0] != x ? (ps[0] < x) - (pt[0] < x) : b3_xstep10(s, b, vs, vt);
    if (!k) {
        *has = false;
        return 0;
    }
    *has = true;
    b3_interp(ps, pt, pb[0], 0, 1, 2, yz);
    if (!b3_lt(yz[0], pb[1], s->sigma * P->en[3 * f + 1])) k = 0;
    return k;
}

/* z of the plane through two (., y, z) samples at ordinate y. */
static double b3_samp_z(const b3_samp *sm, double y) {
    if (sm->n < 2) return sm->a[0][2];
    double out[2];
    b3_interp(sm->a[0], sm->a[1], y, 1, 2, 0, out);
    return out[0];
}

/* True when the ranges [a0, a1] and [b0, b1] (either order) are apart by more than gap. */
static inline bool b3_apart_1d(double a0, double a1, double b0, double b1, double gap) {
    double alo = a0 < a1 ? a0 : a1, ahi = a0 < a1 ? a1 : a0;
    double blo = b0 < b1 ? b0 : b1, bhi = b0 < b1 ? b1 : b0;
    return ahi + gap < blo || bhi + gap < alo;
}

/* True when vertex p lies outside triangle v's shadow box: strictly in x (exact
 * comparisons), then every S01/S10 step of the vertex against the triangle's edges is 0 (no
 * tie to perturb); by more than gap in y, then every step is kept or every step dropped,
 * and the x steps around the closed triangle sum to 0. Either way the sum is 0. */
static inline bool b3_outside_xy(const double *p, const double *pos, const int32_t *v, double gap) {
    const double *a = pos + 3 * v[0], *b = pos + 3 * v[1], *c = pos + 3 * v[2];
    double x = p[0], y = p[1];
    if ((x < a[0] && x < b[0] && x < c[0]) || (x > a[0] && x > b[0] && x > c[0])) return true;
    return (y + gap < a[1] && y + gap < b[1] && y + gap < c[1]) ||
           (y - gap > a[1] && y - gap > b[1] && y - gap > c[1]);
}

/* P vertex a against Q triangle t: sign(N.z) when t crosses the +z ray from a. *shadow is
 * the sum before the z test (t's perturbed shadow over a). */
static int b3_s02s(const b3_state *s, int a, int t, double *z, bool *has, int *shadow) {
    const b3_mesh *Q = s->Q;
    *shadow = 0;
    if (s->gap > 0 && b3_outside_xy(s->P->pos + 3 * a, Q->pos, Q->tri + 3 * t, s->gap)) {
        *has = false;
        return 0;
    }
    b3_samp sm;
    sm.n = 0;
    int sum = 0;
    for (int i = 0; i < 3; i++) {
        int h = 3 * t + i, e = Q->hedge[h];
        int o = Q->edge[e] == h ? 1 : -1;
        double yz[2];
        bool hs;
        int k = b3_s01(s, a, e, yz, &hs);
        if (hs) {
            sum -= o * k;
            double p[3] = {0, yz[0], yz[1]};
            b3_offer(&sm, k != 0, p, p);
        }
    }
    *shadow = sum;
    if (sum == 0) {
        *has = false;
        return 0;
    }
    const double *pa = s->P->pos + 3 * a;
    *z = b3_samp_z(&sm, pa[1]);
    *has = true;
    if (!b3_lt(pa[2], *z, -Q->fn[3 * t + 2])) sum = 0;
    return sum;
}

/* Q vertex b against P triangle u: sign(N.z) when u lies below b; *shadow as in b3_s02s. */
static int b3_s02rs(const b3_state *s, int b, int u, double *z, bool *has, int *shadow) {
    const b3_mesh *P = s->P;
    *shadow = 0;
    if (s->gap > 0 && b3_outside_xy(s->Q->pos + 3 * b, P->pos, P->tri + 3 * u, s->gap)) {
        *has = false;
        return 0;
    }
    b3_samp sm;
    sm.n = 0;
    int sum = 0;
    for (int i = 0; i < 3; i++) {
        int h = 3 * u + i, f = P->hedge[h];
        int o = P->edge[f] == h ? 1 : -1;
        double yz[2];
        bool hs;
        int k = b3_s10(s, b, f, yz, &hs);
        if (hs) {
            sum += o * k;
            double p[3] = {0, yz[0], yz[1]};
            b3_offer(&sm, k != 0, p, p);
        }
    }
    *shadow = sum;
    if (sum == 0) {
        *has = false;
        return 0;
    }
    const double *pb = s->Q->pos + 3 * b;
    *z = b3_samp_z(&sm, pb[1]);
    *has = true;
    if (!b3_lt(*z, pb[2], s->sigma * P->fn[3 * u + 2])) sum = 0;
    return sum;
}

int b3_s02(const b3_state *s, int a, int t, double *z, bool *has) {
    int shadow;
    return b3_s02s(s, a, t, z, has, &shadow);
}

int b3_s02r(const b3_state *s, int b, int u, double *z, bool *has) {
    int shadow;
    return b3_s02rs(s, b, u, z, has, &shadow);
}

/* P edge f against Q edge e: +-1 when their XY shadows cross and f passes below e.
 * out = (x, y, z on f, z on e) at the crossing, valid when *has. */
static int b3_s11(const b3_state *s, int f, int e, double out[4], bool *has) {
    const b3_mesh *P = s->P, *Q = s->Q;
    int ps = P->ev[2 * f], pt = P->ev[2 * f + 1];
    int qs = Q->ev[2 * e], qt = Q->ev[2 * e + 1];
    /* Most pairs the intersection stage asks about are settled by the ranges alone. Every
     * step below is +-1 only where an endpoint of one edge lies in the other's x range: with
     * the x ranges strictly apart (exact comparisons, no tie to perturb) all four are 0. With
     * the y ranges apart by more than the rounding of an interpolation (s->gap), every step
     * is kept (f below e) or every step dropped, and the four x steps always sum to 0 (each
     * comparison of an endpoint of f with one of e appears once with each sign, ties broken
     * alike), so the sum is 0 either way. */
    if (b3_apart_1d(P->pos[3 * ps], P->pos[3 * pt], Q->pos[3 * qs], Q->pos[3 * qt], 0) ||
        b3_apart_1d(P->pos[3 * ps + 1], P->pos[3 * pt + 1], Q->pos[3 * qs + 1], Q->pos[3 * qt + 1],
                    s->gap)) {
        *has = false;
        return 0;
    }
    b3_samp sm;
    sm.n = 0;
    int sum = 0;
    double yz[2];
    bool hs;
    int k;
    const int pv[2] = {ps, pt}, qv[2] = {qs, qt};
    for (int j = 0; j < 2; j++) {
        k = b3_s01(s, pv[j], e, yz, &hs);
        if (hs) {
            sum += j ? k : -k;
            const double *p = P->pos + 3 * pv[j];
            double q[3] = {p[0], yz[0], yz[1]};
            b3_offer(&sm, k != 0, p, q);
        }
    }
    for (int j = 0; j < 2; j++) {
        k = b3_s10(s, qv[j], f, yz, &hs);
        if (hs) {
            sum += j ? k : -k;
            const double *q = Q->pos + 3 * qv[j];
            double p[3] = {q[0], yz[0], yz[1]};
            b3_offer(&sm, k != 0, p, q);
        }
    }
    if (sum == 0) {
        *has = false;
        return 0;
    }
    *has = true;
    if (sm.n < 2) {
        out[0] = sm.a[0][0];
        out[1] = sm.a[0][1];
        out[2] = sm.a[0][2];
        out[3] = sm.b[0][2];
    } else {
        b3_cross2(sm.a[0], sm.a[1], sm.b[0], sm.b[1], 0, 1, 2, out);
    }
    if (!b3_lt(out[2], out[3], s->sigma * P->en[3 * f + 2] - Q->en[3 * e + 2])) sum = 0;
    return sum;
}

/* b3_s11 through a memo slot (see b3_state). */
static int b3_s11m(const b3_state *s, b3_s11memo *m, int32_t stamp, int f, int e, double out[4],
                   bool *has) {
    if (m && m->stamp == stamp) {
        *has = m->has;
        memcpy(out, m->out, sizeof m->out);
        return m->k;
    }
    int k = b3_s11(s, f, e, out, has);
    if (m) {
        m->stamp = stamp;
        m->has = (int8_t)*has;
        m->k = (int8_t)k;
        memcpy(m->out, out, sizeof m->out);
    }
    return k;
}

/* The crossing point from (edge point, triangle point) samples: x abscissa, z compared. */
static void b3_point(const b3_samp *sm, double p[3]) {
    if (sm->n < 2) {
        memcpy(p, sm->a[0], sizeof(double) * 3);
        return;
    }
    double o[4];
    b3_cross2(sm->a[0], sm->a[1], sm->b[0], sm->b[1], 0, 2, 1, o);
    p[0] = o[0];
    p[1] = o[2];
    p[2] = o[1];
}

/* b3_s02s (r = false) or b3_s02rs (r = true) through the cache of s->memo02. */
static int b3_s02m(const b3_state *s, bool r, int v, int t, double *z, bool *has, int *shadow) {
    b3_s02memo *m = NULL;
    if (s->memo02) {
        uint32_t hsh = ((uint32_t)v * 0x9e3779b1u) ^ ((uint32_t)t * 0x85ebca77u);
        m = s->memo02 + ((hsh ^ hsh >> 15) & s->mask02);
        if (m->v == v && m->t == t) {
            *has = m->has;
            *z = m->z;
            *shadow = m->shadow;
            return m->k;
        }
    }
    int k = r ? b3_s02rs(s, v, t, z, has, shadow) : b3_s02s(s, v, t, z, has, shadow);
    if (m) {
        m->v = v;
        m->t = t;
        m->has = (int8_t)*has;
        m->k = (int8_t)k;
        m->shadow = (int8_t)*shadow;
        m->z = *has ? *z : 0;
    }
    return k;
}

/* True when edge g (of P, or of Q when r) and triangle t of the other operand lie in one
 * horizontal plane z = c and their crossing number is 0, found from fewer terms. In that
 * plane every z an interpolation yields is c exactly (each is c + lambda * 0, lambda
 * finite), so every z test of X12 / X21 is a tie settled by a normal difference alone:
 * b_T for the two S02 terms, b_i for the S11 term of t's edge i; a term whose test fails is
 * 0 and need not be evaluated. When all b_i equal b, the S11 shadow sums obey the identity
 * sum_i o_i S11'(g, e_i) = S'(end 1) - S'(end 0), S' being the S02 shadow sums of g's ends
 * (the terms of t's corners cancel around the triangle), so the crossing number is
 * +-(b_T - b) (S'(end 1) - S'(end 0)) and no S11 is needed at all. Coplanar faces (the
 * shared bottoms and tops of CSG parts) give a large share of the kernel's pairs, most of
 * them 0. A non-zero count is left to the full evaluation, for its intersection point.
 * The caller asks only for pairs whose boxes are flat at one z. */
bool b3_flat_zero(const b3_state *s, bool r, int g, int t) {
    const b3_mesh *A = r ? s->Q : s->P, *B = r ? s->P : s->Q;
    const int v[2] = {A->ev[2 * g], A->ev[2 * g + 1]};
    const int32_t *tv = B->tri + 3 * t;
    double c = A->pos[3 * v[0] + 2];
    if (!isfinite(c) || A->pos[3 * v[1] + 2] != c || B->pos[3 * tv[0] + 2] != c ||
        B->pos[3 * tv[1] + 2] != c || B->pos[3 * tv[2] + 2] != c)
        return false;
    /* each S11's z test, LT(z_f, z_e, sigma m_f.z - m_e.z), f of P and e of Q */
    int bi[3];
    for (int i = 0; i < 3; i++) {
        int e = B->hedge[3 * t + i];
        double d = r ? s->sigma * B->en[3 * e + 2] - A->en[3 * g + 2]
                     : s->sigma * A->en[3 * g + 2] - B->en[3 * e + 2];
        bi[i] = d < 0;
    }
    /* the S02 terms' z test: LT(a.z, z_T, -N_T.z), or LT(z_U, b.z, sigma N_U.z) */
    int bt = r ? s->sigma * B->fn[3 * t + 2] < 0 : -B->fn[3 * t + 2] < 0;
    double z;
    bool has;
    int sh[2];
    if (bi[0] == bi[1] && bi[1] == bi[2]) {
        if (bt == bi[0]) return true;
        for (int j = 0; j < 2; j++) b3_s02m(s, r, v[j], t, &z, &has, &sh[j]);
        return sh[0] == sh[1];
    }
    /* mixed tests: the terms that can be non-zero, through the caches the full evaluation
     * reads next */
    int x = 0;
    if (bt) {
        for (int j = 0; j < 2; j++) b3_s02m(s, r, v[j], t, &z, &has, &sh[j]);
        x = r ? sh[1] - sh[0] : sh[0] - sh[1]; /* X21 counts its ends the other way */
    }
    for (int i = 0; i < 3; i++) {
        if (!bi[i]) continue;
        int h = 3 * t + i, e = B->hedge[h];
        int o = B->edge[e] == h ? 1 : -1;
        double cr[4];
        int k = r ? b3_s11m(s, s->memo21 ? s->memo21 + e : NULL, g, e, g, cr, &has)
                  : b3_s11m(s, s->memo12 ? s->memo12 + e : NULL, g, g, e, cr, &has);
        x -= o * k;
    }
    return x == 0;
}

/* P edge f against Q triangle t: t's contribution to w(start) - w(end). */
int b3_x12(const b3_state *s, int f, int t, double p[3]) {
    const b3_mesh *P = s->P, *Q = s->Q;
    const int v[2] = {P->ev[2 * f], P->ev[2 * f + 1]};
    b3_samp sm;
    sm.n = 0;
    int x = 0;
    for (int j = 0; j < 2; j++) {
        double z;
        bool hs;
        int sh;
        int k = b3_s02m(s, false, v[j], t, &z, &hs, &sh);
        if (hs) {
            x += j ? -k : k;
            const double *a = P->pos + 3 * v[j];
            double b[3] = {a[0], a[1], z};
            b3_offer(&sm, k != 0, a, b);
        }
    }
    for (int i = 0; i < 3; i++) {
        int h = 3 * t + i, e = Q->hedge[h];
        int o = Q->edge[e] == h ? 1 : -1;
        double c[4];
        bool hs;
        int k = b3_s11m(s, s->memo12 ? s->memo12 + e : NULL, f, f, e, c, &hs);
        if (hs) {
            x -= o * k;
            double a[3] = {c[0], c[1], c[2]}, b[3] = {c[0], c[1], c[3]};
            b3_offer(&sm, k != 0, a, b);
        }
    }
    if (x == 0) return 0;
    b3_point(&sm, p);
    return x;
}

/* Q edge g against P triangle u. */
int b3_x21(const b3_state *s, int g, int u, double p[3]) {
    const b3_mesh *P = s->P, *Q = s->Q;
    const int v[2] = {Q->ev[2 * g], Q->ev[2 * g + 1]};
    b3_samp sm;
    sm.n = 0;
    int x = 0;
    for (int j = 0; j < 2; j++) {
        double z;
        bool hs;
        int sh;
        int k = b3_s02m(s, true, v[j], u, &z, &hs, &sh);
        if (hs) {
            x += j ? k : -k;
            const double *a = Q->pos + 3 * v[j];
            double b[3] = {a[0], a[1], z};
            b3_offer(&sm, k != 0, a, b);
        }
    }
    for (int i = 0; i < 3; i++) {
        int h = 3 * u + i, f = P->hedge[h];
        int o = P->edge[f] == h ? 1 : -1;
        double c[4];
        bool hs;
        int k = b3_s11m(s, s->memo21 ? s->memo21 + f : NULL, g, f, g, c, &hs);
        if (hs) {
            x -= o * k;
            double a[3] = {c[0], c[1], c[3]}, b[3] = {c[0], c[1], c[2]};
            b3_offer(&sm, k != 0, a, b);
        }
    }
    if (x == 0) return 0;
    b3_point(&sm, p);
    return x;
}
