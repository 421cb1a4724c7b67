/*
 * crmath.c — correctly rounded sine and cosine (radians), the same bits on every target.
 *
 * Why: the native build would take sin/cos from glibc and the wasm build from emscripten's
 * musl; the two disagree in the last bit for about 3% of the angles a circle tessellation
 * uses, and glibc itself is not correctly rounded for about 0.2% of them. Every circle,
 * sphere, rotation, offset and arc goes through these two functions, so those last bits
 * decide whether the native CLI and the wasm worker write byte-identical files. A correctly
 * rounded result is the one value both builds can agree on without sharing a libm.
 *
 * How: the argument is reduced by pi/2 in double-double arithmetic (pi/2 split into three
 * doubles, exact enough for |x| < 2^20), then the Taylor series of sin or cos is summed in
 * double-double (~100 bits). Rounding the double-double to a double gives the correctly
 * rounded result unless the exact value lies within ~2^-100 relative of a rounding boundary.
 * Products are split the Dekker way: no FMA is assumed (there is none in wasm, and the
 * project compiles with -ffp-contract=off). Arguments beyond 2^20 (never produced by the
 * degree reduction in degtrig.c) use the same path with a less exact reduction.
 */
#include "core/crmath.h"

#include <math.h>

typedef struct dd {
    double hi, lo;
} dd;

static dd two_sum(double a, double b) {
    double s = a + b;
    double bb = s - a;
    double e = (a - (s - bb)) + (b - bb);
    return (dd){s, e};
}

static dd quick_two_sum(double a, double b) {
    double s = a + b;
    return (dd){s, b - (s - a)};
}

static void split(double a, double *hi, double *lo) {
    double t = 134217729.0 * a; /* 2^27 + 1 */
    *hi = t - (t - a);
    *lo = a - *hi;
}

static dd two_prod(double a, double b) {
    double p = a * b;
    double ah, al, bh, bl;
    split(a, &ah, &al);
    split(b, &bh, &bl);
    double e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    return (dd){p, e};
}

static dd dd_add(dd a, dd b) {
    dd s = two_sum(a.hi, b.hi);
    dd t = two_sum(a.lo, b.lo);
    s.lo += t.hi;
    s = quick_two_sum(s.hi, s.lo);
    s.lo += t.lo;
    return quick_two_sum(s.hi, s.lo);
}

static dd dd_mul(dd a, dd b) {
    dd p = two_prod(a.hi, b.hi);
    p.lo += a.hi * b.lo + a.lo * b.hi;
    return quick_two_sum(p.hi, p.lo);
}

/* a / d for a small integer d (exact in double). */
static dd dd_div_d(dd a, double d) {
    double q1 = a.hi / d;
    dd p = two_prod(q1, d);
    dd r = two_sum(a.hi, -p.hi);
    r.lo -= p.lo;
    r.lo += a.lo;
    double q2 = (r.hi + r.lo) / d;
    return quick_two_sum(q1, q2);
}

/* pi/2 = P1 + P2 + P3 to about 160 bits. */
static const double P1 = 1.5707963267948966e+00;
static const double P2 = 6.123233995736766e-17;
static const double P3 = -1.4973849048591698e-33;

/* r = x - k*pi/2 in double-double, k the nearest integer to x*2/pi. */
static dd reduce(double x, long *k) {
    if (fabs(x) <= 0.7853981633974483) {
        *k = 0;
        return (dd){x, 0.0};
    }
    double kd = nearbyint(x * 0.6366197723675814);
    *k = (long)kd;
    dd a = two_prod(kd, P1);
    dd b = two_prod(kd, P2);
    dd c = two_prod(kd, P3);
    dd r = two_sum(x, -a.hi);
    r = dd_add(r, (dd){-a.lo, 0.0});
    r = dd_add(r, (dd){-b.hi, -b.lo});
    r = dd_add(r, (dd){-c.hi, -c.lo});
    return r;
}

/* sin(r) for |r| <= ~pi/4: r - r^3/3! + r^5/5! - ... */
static dd kernel_sin(dd r) {
    dd r2 = dd_mul(r, r);
    dd term = r;
    dd sum = r;
    for (int n = 1; n <= 16; n++) {
        term = dd_mul(term, r2);
        term = dd_div_d(term, (double)((2 * n) * (2 * n + 1)));
        dd t = n & 1 ? (dd){-term.hi, -term.lo} : term;
        sum = dd_add(sum, t);
    }
    return sum;
}

/* cos(r) for |r| <= ~pi/4: 1 - r^2/2! + r^4/4! - ... */
static dd kernel_cos(dd r) {
    dd r2 = dd_mul(r, r);
    dd term = {1.0, 0.0};
    dd sum = {1.0, 0.0};
    for (int n = 1; n <= 16; n++) {
        term = dd_mul(term, r2);
        term = dd_div_d(term, (double)((2 * n - 1) * (2 * n)));
        dd t = n & 1 ? (dd){-term.hi, -term.lo} : term;
        sum = dd_add(sum, t);
    }
    return sum;
}

static double round_dd(dd v) { return v.hi + v.lo; }

/* quadrant q of x: 0 sin r, 1 cos r, 2 -sin r, 3 -cos r (for sin; cos is q + 1) */
static double eval_quadrant(dd r, long q) {
    switch (q & 3) {
    case 0: return round_dd(kernel_sin(r));
    case 1: return round_dd(kernel_cos(r));
    case 2: return -round_dd(kernel_sin(r));
    default: return -round_dd(kernel_cos(r));
    }
}

double fc_sin(double x) {
    if (x == 0.0 || isnan(x)) return x; /* keeps the sign of zero */
    if (isinf(x)) return x - x;
    if (fabs(x) < 0x1p-27) return x; /* sin x = x - x^3/6 rounds to x */
    long k;
    dd r = reduce(x, &k);
    return eval_quadrant(r, k);
}

double fc_cos(double x) {
    if (isnan(x)) return x;
    if (isinf(x)) return x - x;
    if (fabs(x) < 0x1p-27) return 1.0;
    long k;
    dd r = reduce(x, &k);
    return eval_quadrant(r, k + 1);
}
