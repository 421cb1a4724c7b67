/*
 * pred.c — adaptive exact predicates (pred.h), after Shewchuk's paper.
 *
 * Two layers:
 *  1. A filter: the determinant in plain doubles together with a bound on its rounding
 *     error, derived from the "permanent" (the same expression with absolute values). When
 *     |det| exceeds the bound, its sign is certain. This answers nearly every call.
 *  2. Exact evaluation with floating-point expansions: a number is held as a sum of doubles
 *     of increasing magnitude that do not overlap bitwise, so sums and products are exact.
 *     Every coordinate difference becomes a two-term expansion (two_diff), products of
 *     expansions are sums of scaled expansions, and the sign of the result is the sign of
 *     its largest component.
 * The paper's intermediate stages (B, C) trade code size for speed on near-degenerate input;
 * we go straight from the filter to the exact sum, which is simpler to verify and only runs
 * on the rare inputs the filter cannot decide.
 *
 * The error-free transformations need round-to-nearest doubles and no fused multiply-add
 * contraction; the Makefile sets -ffp-contract=off for that reason.
 */
#include <math.h>

#include "geom/pred.h"

/* Machine epsilon as the paper defines it: half an ulp of 1 (2^-53). */
#define EPS 1.1102230246251565e-16
/* Splits a double into two 26-bit halves: 2^27 + 1. */
#define SPLITTER 134217729.0

static const double ccw_bound = (3.0 + 16.0 * EPS) * EPS;
static const double o3d_bound = (7.0 + 56.0 * EPS) * EPS;
static const double icc_bound = (10.0 + 96.0 * EPS) * EPS;

/* ---- error-free transformations ---- */

/* a + b = x + y exactly, x = fl(a + b). */
static inline void two_sum(double a, double b, double *x, double *y) {
    double s = a + b;
    double bv = s - a;
    double av = s - bv;
    *x = s;
    *y = (a - av) + (b - bv);
}

/* a - b = x + y exactly. */
static inline void two_diff(double a, double b, double *x, double *y) {
    double s = a - b;
    double bv = a - s;
    double av = s + bv;
    *x = s;
    *y = (a - av) + (bv - b);
}

/* a = hi + lo with each half fitting in 26 bits of mantissa. */
static inline void split(double a, double *hi, double *lo) {
    double c = SPLITTER * a;
    double big = c - a;
    *hi = c - big;
    *lo = a - *hi;
}

/* a * b = x + y exactly (Dekker's product). */
static inline void two_product(double a, double b, double *x, double *y) {
    double p = a * b;
    double ahi, alo, bhi, blo;
    split(a, &ahi, &alo);
    split(b, &bhi, &blo);
    double err1 = p - ahi * bhi;
    double err2 = err1 - alo * bhi;
    double err3 = err2 - ahi * blo;
    *x = p;
    *y = alo * blo - err3;
}

/* ---- expansions: arrays of nonoverlapping doubles, increasing magnitude, no zeros ---- */

/* h = e + f (Fast-Expansion-Sum with zero elimination). Returns the length of h, which
 * may be up to elen + flen. h must not alias e or f. */
static int exp_sum(int elen, const double *e, int flen, const double *f, double *h) {
    if (elen == 0) {
        for (int i = 0; i < flen; i++) h[i] = f[i];
        return flen;
    }
    if (flen == 0) {
        for (int i = 0; i < elen; i++) h[i] = e[i];
        return elen;
    }
    int ei = 0, fi = 0, hn = 0;
    double q, qnew, hh;
    double enow = e[0], fnow = f[0];
    /* merge by magnitude, feeding the smallest first into a running two_sum chain */
    if ((fnow > enow) == (fnow > -enow)) {
        q = enow;
        enow = ++ei < elen ? e[ei] : 0;
    } else {
        q = fnow;
        fnow = ++fi < flen ? f[fi] : 0;
    }
    while (ei < elen && fi < flen) {
        double next;
        if ((fnow > enow) == (fnow > -enow)) {
            next = enow;
            enow = ++ei < elen ? e[ei] : 0;
        } else {
            next = fnow;
            fnow = ++fi < flen ? f[fi] : 0;
        }
        two_sum(q, next, &qnew, &hh);
        q = qnew;
        if (hh != 0) h[hn++] = hh;
    }
    while (ei < elen) {
        two_sum(q, e[ei++], &qnew, &hh);
        q = qnew;
        if (hh != 0) h[hn++] = hh;
    }
    while (fi < flen) {
        two_sum(q, f[fi++], &qnew, &hh);
        q = qnew;
        if (hh != 0) h[hn++] = hh;
    }
    if (q != 0 || hn == 0) h[hn++] = q;
    return hn;
}

/* h = b * e (Scale-Expansion with zero elimination); h has up to 2 * elen components. */
static int exp_scale(int elen, const double *e, double b, double *h) {
    if (elen == 0) return 0;
    double q, hh, p1, p0, sum;
    int hn = 0;
    two_product(e[0], b, &q, &hh);
    if (hh != 0) h[hn++] = hh;
    for (int i = 1; i < elen; i++) {
        two_product(e[i], b, &p1, &p0);
        two_sum(q, p0, &sum, &hh);
        if (hh != 0) h[hn++] = hh;
        two_sum(p1, sum, &q, &hh); /* |p1| >= |sum| is not guaranteed: use two_sum */
        if (hh != 0) h[hn++] = hh;
    }
    if (q != 0 || hn == 0) h[hn++] = q;
    return hn;
}

/* h = e * f; up to 2 * elen * flen components. tmp needs 2*elen*flen + 2*elen doubles. */
static int exp_mul(int elen, const double *e, int flen, const double *f, double *h,
                   double *tmp) {
    int hn = 0;
    double *acc = tmp, *part = tmp + 2 * elen * flen;
    for (int j = 0; j < flen; j++) {
        int pn = exp_scale(elen, e, f[j], part);
        int n = exp_sum(hn, h, pn, part, acc);
        for (int i = 0; i < n; i++) h[i] = acc[i];
        hn = n;
    }
    return hn;
}

static void exp_negate(int n, double *e) {
    for (int i = 0; i < n; i++) e[i] = -e[i];
}

/* The largest component carries the sign; together with the rest it approximates the
 * value. Summing from the smallest keeps the approximation close. */
static double exp_estimate(int n, const double *e) {
    double s = 0;
    for (int i = 0; i < n; i++) s += e[i];
    if (n > 0 && pred_sign(s) != pred_sign(e[n - 1])) return e[n - 1];
    return s;
}

/* Exact difference a - b as an expansion of at most two components. */
static int exp_diff(double a, double b, double *h) {
    double x, y;
    two_diff(a, b, &x, &y);
    int n = 0;
    if (y != 0) h[n++] = y;
    if (x != 0 || n == 0) h[n++] = x;
    return n;
}

/* ---- orient2d ---- */

static double orient2d_exact(const double *a, const double *b, const double *c) {
    double acx[2], acy[2], bcx[2], bcy[2], l[8], r[8], det[16], tmp[16];
    int nacx = exp_diff(a[0], c[0], acx), nacy = exp_diff(a[1], c[1], acy);
    int nbcx = exp_diff(b[0], c[0], bcx), nbcy = exp_diff(b[1], c[1], bcy);
    int nl = exp_mul(nacx, acx, nbcy, bcy, l, tmp);
    int nr = exp_mul(nacy, acy, nbcx, bcx, r, tmp);
    exp_negate(nr, r);
    int n = exp_sum(nl, l, nr, r, det);
    return exp_estimate(n, det);
}

double pred_orient2d(const double a[2], const double b[2], const double c[2]) {
    double left = (a[0] - c[0]) * (b[1] - c[1]);
    double right = (a[1] - c[1]) * (b[0] - c[0]);
    double det = left - right, sum;
    if (left > 0) {
        if (right <= 0) return det;
        sum = left + right;
    } else if (left < 0) {
        if (right >= 0) return det;
        sum = -left - right;
    } else {
        return det; /* left == 0: det = -right, computed exactly */
    }
    if (det >= ccw_bound * sum || -det >= ccw_bound * sum) return det;
    return orient2d_exact(a, b, c);
}

/* ---- orient3d ---- */

/* x * (y1*z2 - y2*z1) for expansions; out gets up to 2*nx*(2*2*2*2*2) components. */
static int minor3(int nx, const double *x, int ny1, const double *y1, int nz2, const double *z2,
                  int ny2, const double *y2, int nz1, const double *z1, double *out) {
    double p[8], q[8], d[16], tmp[128];
    int np = exp_mul(ny1, y1, nz2, z2, p, tmp);
    int nq = exp_mul(ny2, y2, nz1, z1, q, tmp);
    exp_negate(nq, q);
    int nd = exp_sum(np, p, nq, q, d);
    return exp_mul(nx, x, nd, d, out, tmp);
}

static double orient3d_exact(const double *a, const double *b, const double *c,
                             const double *d) {
    double ad[3][2], bd[3][2], cd[3][2];
    int na[3], nb[3], nc[3];
    for (int i = 0; i < 3; i++) {
        na[i] = exp_diff(a[i], d[i], ad[i]);
        nb[i] = exp_diff(b[i], d[i], bd[i]);
        nc[i] = exp_diff(c[i], d[i], cd[i]);
    }
    /* det = adx (bdy cdz - cdy bdz) + bdx (cdy adz - ady cdz) + cdx (ady bdz - bdy adz) */
    double t1[64], t2[64], t3[64], s12[128], det[192];
    int n1 = minor3(na[0], ad[0], nb[1], bd[1], nc[2], cd[2], nc[1], cd[1], nb[2], bd[2], t1);
    int n2 = minor3(nb[0], bd[0], nc[1], cd[1], na[2], ad[2], na[1], ad[1], nc[2], cd[2], t2);
    int n3 = minor3(nc[0], cd[0], na[1], ad[1], nb[2], bd[2], nb[1], bd[1], na[2], ad[2], t3);
    int n12 = exp_sum(n1, t1, n2, t2, s12);
    int n = exp_sum(n12, s12, n3, t3, det);
    return exp_estimate(n, det);
}

double pred_orient3d(const double a[3], const double b[3], const double c[3],
                     const double d[3]) {
    double adx = a[0] - d[0], ady = a[1] - d[1], adz = a[2] - d[2];
    double bdx = b[0] - d[0], bdy = b[1] - d[1], bdz = b[2] - d[2];
    double cdx = c[0] - d[0], cdy = c[1] - d[1], cdz = c[2] - d[2];
    double bdxcdy = bdx * cdy, cdxbdy = cdx * bdy;
    double cdxady = cdx * ady, adxcdy = adx * cdy;
    double adxbdy = adx * bdy, bdxady = bdx * ady;
    double det = adz * (bdxcdy - cdxbdy) + bdz * (cdxady - adxcdy) + cdz * (adxbdy - bdxady);
    double perm = (fabs(bdxcdy) + fabs(cdxbdy)) * fabs(adz) +
                  (fabs(cdxady) + fabs(adxcdy)) * fabs(bdz) +
                  (fabs(adxbdy) + fabs(bdxady)) * fabs(cdz);
    double bound = o3d_bound * perm;
    if (det > bound || -det > bound) return det;
    return orient3d_exact(a, b, c, d);
}

/* ---- incircle ---- */

static double incircle_exact(const double *a, const double *b, const double *c,
                             const double *d) {
    double dx[3][2], dy[3][2];
    int nx[3], ny[3];
    const double *p[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        nx[i] = exp_diff(p[i][0], d[0], dx[i]);
        ny[i] = exp_diff(p[i][1], d[1], dy[i]);
    }
    /* det = sum over cyclic (i, j, k) of lift_i * (dx_j dy_k - dx_k dy_j) */
    double acc[1536], accn[1536], tmp[2048];
    int nacc = 0;
    for (int i = 0; i < 3; i++) {
        int j = (i + 1) % 3, k = (i + 2) % 3;
        double xx[8], yy[8], lift[16], p1[8], p2[8], m[16], term[512];
        int nxx = exp_mul(nx[i], dx[i], nx[i], dx[i], xx, tmp);
        int nyy = exp_mul(ny[i], dy[i], ny[i], dy[i], yy, tmp);
        int nl = exp_sum(nxx, xx, nyy, yy, lift);
        int n1 = exp_mul(nx[j], dx[j], ny[k], dy[k], p1, tmp);
        int n2 = exp_mul(nx[k], dx[k], ny[j], dy[j], p2, tmp);
        exp_negate(n2, p2);
        int nm = exp_sum(n1, p1, n2, p2, m);
        int nt = exp_mul(nl, lift, nm, m, term, tmp);
        int nn = exp_sum(nacc, acc, nt, term, accn);
        for (int q = 0; q < nn; q++) acc[q] = accn[q];
        nacc = nn;
    }
    return exp_estimate(nacc, acc);
}

double pred_incircle(const double a[2], const double b[2], const double c[2],
                     const double d[2]) {
    double adx = a[0] - d[0], ady = a[1] - d[1];
    double bdx = b[0] - d[0], bdy = b[1] - d[1];
    double cdx = c[0] - d[0], cdy = c[1] - d[1];
    double bdxcdy = bdx * cdy, cdxbdy = cdx * bdy, alift = adx * adx + ady * ady;
    double cdxady = cdx * ady, adxcdy = adx * cdy, blift = bdx * bdx + bdy * bdy;
    double adxbdy = adx * bdy, bdxady = bdx * ady, clift = cdx * cdx + cdy * cdy;
    double det = alift * (bdxcdy - cdxbdy) + blift * (cdxady - adxcdy) +
                 clift * (adxbdy - bdxady);
    double perm = (fabs(bdxcdy) + fabs(cdxbdy)) * alift +
                  (fabs(cdxady) + fabs(adxcdy)) * blift +
                  (fabs(adxbdy) + fabs(bdxady)) * clift;
    double bound = icc_bound * perm;
    if (det > bound || -det > bound) return det;
    return incircle_exact(a, b, c, d);
}
