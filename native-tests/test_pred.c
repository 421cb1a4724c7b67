/*
 * test_pred.c — exact predicates against exact integer arithmetic.
 *
 * Every coordinate used here is an integer times a power of two (offset by a large
 * constant to make plain double evaluation fail), so the determinant of the integer
 * coordinates, computed in 128-bit integers, is the exact reference: scaling all points by
 * a power of two and translating them does not change any of the three signs.
 */
#include <math.h>

#include "testutil.h"

#include "geom/pred.h"

typedef __int128 i128;

static int sgn128(i128 v) { return (v > 0) - (v < 0); }

static uint64_t rng_next(uint64_t *s) {
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}
/* uniform integer in [-k, k] */
static long rng_int(uint64_t *s, long k) { return (long)(rng_next(s) % (uint64_t)(2 * k + 1)) - k; }

static i128 orient2d_int(const long *a, const long *b, const long *c) {
    return (i128)(a[0] - c[0]) * (b[1] - c[1]) - (i128)(a[1] - c[1]) * (b[0] - c[0]);
}

static i128 orient3d_int(const long *a, const long *b, const long *c, const long *d) {
    i128 adx = a[0] - d[0], ady = a[1] - d[1], adz = a[2] - d[2];
    i128 bdx = b[0] - d[0], bdy = b[1] - d[1], bdz = b[2] - d[2];
    i128 cdx = c[0] - d[0], cdy = c[1] - d[1], cdz = c[2] - d[2];
    return adx * (bdy * cdz - bdz * cdy) + bdx * (cdy * adz - cdz * ady) +
           cdx * (ady * bdz - adz * bdy);
}

static i128 incircle_int(const long *a, const long *b, const long *c, const long *d) {
    i128 adx = a[0] - d[0], ady = a[1] - d[1];
    i128 bdx = b[0] - d[0], bdy = b[1] - d[1];
    i128 cdx = c[0] - d[0], cdy = c[1] - d[1];
    return (adx * adx + ady * ady) * (bdx * cdy - bdy * cdx) +
           (bdx * bdx + bdy * bdy) * (cdx * ady - cdy * adx) +
           (cdx * cdx + cdy * cdy) * (adx * bdy - ady * bdx);
}

/* Integer coordinate -> the double (offset + v) * 2^-shift (exact by construction). */
static double to_d(long v, double offset, int shift) { return offset + ldexp((double)v, -shift); }

static void test_sign_conventions(void **state) {
    (void)state;
    const double a[2] = {0, 0}, b[2] = {1, 0}, c[2] = {0, 1}, in[2] = {0.2, 0.2},
                 out[2] = {2, 2}, on[2] = {1, 1};
    assert_true(pred_orient2d(a, b, c) > 0);
    assert_true(pred_orient2d(a, c, b) < 0);
    assert_true(pred_orient2d(a, b, (double[2]){7, 0}) == 0);
    assert_true(pred_orient2d(a, b, c) == 1.0); /* twice the area */
    assert_true(pred_incircle(a, b, c, in) > 0);
    assert_true(pred_incircle(a, b, c, out) < 0);
    assert_true(pred_incircle(a, b, c, on) == 0);
    assert_true(pred_incircle(a, c, b, in) < 0);
    const double p[3] = {0, 0, 0}, q[3] = {1, 0, 0}, r[3] = {0, 1, 0}, below[3] = {0, 0, -1},
                 above[3] = {0.3, 0.3, 2}, inplane[3] = {5, -7, 0};
    assert_true(pred_orient3d(p, q, r, below) > 0);
    assert_true(pred_orient3d(p, q, r, above) < 0);
    assert_true(pred_orient3d(p, q, r, inplane) == 0);
    assert_true(pred_sign(pred_orient3d(p, q, r, below)) == 1);
}

/* Shewchuk's example: a point near (0.5, 0.5) against the line through (12,12), (24,24).
 * The plain formula gets a large fraction of this grid wrong. */
static void test_orient2d_near_line_grid(void **state) {
    (void)state;
    const int shift = 53;
    long b[2] = {12L << 53, 12L << 53}, c[2] = {24L << 53, 24L << 53};
    double bd[2] = {12, 12}, cd[2] = {24, 24};
    int naive_wrong = 0, zeros = 0;
    for (long i = 0; i < 256; i++)
        for (long j = 0; j < 256; j++) {
            long a[2] = {(1L << 52) + i, (1L << 52) + j};
            double ad[2] = {to_d(a[0], 0, shift), to_d(a[1], 0, shift)};
            int exact = sgn128(orient2d_int(a, b, c));
            assert_int_equal(pred_sign(pred_orient2d(ad, bd, cd)), exact);
            /* every cyclic rotation agrees, every swap flips */
            assert_int_equal(pred_sign(pred_orient2d(bd, cd, ad)), exact);
            assert_int_equal(pred_sign(pred_orient2d(bd, ad, cd)), -exact);
            double naive = (ad[0] - cd[0]) * (bd[1] - cd[1]) - (ad[1] - cd[1]) * (bd[0] - cd[0]);
            naive_wrong += pred_sign(naive) != exact;
            zeros += exact == 0;
        }
    assert_true(naive_wrong > 1000); /* the grid is hard */
    assert_int_equal(zeros, 256);    /* exactly the diagonal is collinear */
}

static void test_orient2d_random_degenerate(void **state) {
    (void)state;
    uint64_t s = 12345;
    int degenerate = 0;
    for (int it = 0; it < 200000; it++) {
        long a[2], b[2], c[2];
        for (int k = 0; k < 2; k++) a[k] = rng_int(&s, 1L << 30), b[k] = rng_int(&s, 1L << 30);
        /* c on the line ab (integer multiple of the direction), then nudged */
        long t = rng_int(&s, 3);
        for (int k = 0; k < 2; k++) c[k] = a[k] + t * (b[k] - a[k]) + rng_int(&s, 1);
        double off = (it & 1) ? 1024.0 : -3.0e6;
        int shift = 20 + (int)(rng_next(&s) % 10);
        double ad[2], bd[2], cd[2];
        for (int k = 0; k < 2; k++) {
            ad[k] = to_d(a[k], off, shift);
            bd[k] = to_d(b[k], off, shift);
            cd[k] = to_d(c[k], off, shift);
        }
        int exact = sgn128(orient2d_int(a, b, c));
        degenerate += exact == 0;
        assert_int_equal(pred_sign(pred_orient2d(ad, bd, cd)), exact);
    }
    assert_true(degenerate > 1000);
}

static void test_orient3d_random_degenerate(void **state) {
    (void)state;
    uint64_t s = 777;
    int degenerate = 0, naive_wrong = 0;
    for (int it = 0; it < 200000; it++) {
        long a[3], b[3], c[3], d[3];
        long k = it % 3 == 0 ? (1L << 12) : (1L << 20);
        for (int i = 0; i < 3; i++) {
            a[i] = rng_int(&s, k);
            b[i] = rng_int(&s, k);
            c[i] = rng_int(&s, k);
        }
        /* d in the plane abc, then nudged by at most one unit per axis */
        long u = rng_int(&s, 2), v = rng_int(&s, 2);
        for (int i = 0; i < 3; i++)
            d[i] = a[i] + u * (b[i] - a[i]) + v * (c[i] - a[i]) + (it % 4 ? rng_int(&s, 1) : 0);
        double off = (it & 1) ? 4096.0 : -77.0;
        int shift = 30;
        double ad[3], bd[3], cd[3], dd[3];
        for (int i = 0; i < 3; i++) {
            ad[i] = to_d(a[i], off, shift);
            bd[i] = to_d(b[i], off, shift);
            cd[i] = to_d(c[i], off, shift);
            dd[i] = to_d(d[i], off, shift);
        }
        int exact = sgn128(orient3d_int(a, b, c, d));
        degenerate += exact == 0;
        assert_int_equal(pred_sign(pred_orient3d(ad, bd, cd, dd)), exact);
        assert_int_equal(pred_sign(pred_orient3d(bd, ad, cd, dd)), -exact);
        double adx = ad[0] - dd[0], ady = ad[1] - dd[1], adz = ad[2] - dd[2];
        double bdx = bd[0] - dd[0], bdy = bd[1] - dd[1], bdz = bd[2] - dd[2];
        double cdx = cd[0] - dd[0], cdy = cd[1] - dd[1], cdz = cd[2] - dd[2];
        double naive = adx * (bdy * cdz - bdz * cdy) + bdx * (cdy * adz - cdz * ady) +
                       cdx * (ady * bdz - adz * bdy);
        naive_wrong += pred_sign(naive) != exact;
    }
    assert_true(degenerate > 10000);
    assert_true(naive_wrong > 100);
}

/* Grid points around a tiny plane patch far from the origin: orient3d of every grid point
 * against three fixed points, compared with the exact sign. */
static void test_orient3d_grid(void **state) {
    (void)state;
    long a[3] = {0, 0, 0}, b[3] = {1L << 28, 4, 1L << 27}, c[3] = {8, 1L << 28, 1L << 26};
    double off = 1.0e3;
    int shift = 40;
    double ad[3], bd[3], cd[3];
    for (int i = 0; i < 3; i++) {
        ad[i] = to_d(a[i], off, shift);
        bd[i] = to_d(b[i], off, shift);
        cd[i] = to_d(c[i], off, shift);
    }
    int zeros = 0;
    for (long i = -16; i <= 16; i++)
        for (long j = -16; j <= 16; j++)
            for (long z = -2; z <= 2; z++) {
                /* a point near a + (b-a)/2 + (c-a)/4 + grid offset */
                long d[3] = {(b[0] / 2) + (c[0] / 4) + i, (b[1] / 2) + (c[1] / 4) + j,
                             (b[2] / 2) + (c[2] / 4) + z};
                double dd[3];
                for (int k = 0; k < 3; k++) dd[k] = to_d(d[k], off, shift);
                int exact = sgn128(orient3d_int(a, b, c, d));
                zeros += exact == 0;
                assert_int_equal(pred_sign(pred_orient3d(ad, bd, cd, dd)), exact);
            }
    assert_true(zeros > 0);
}

static void test_incircle_cocircular(void **state) {
    (void)state;
    /* integer points on the circle of radius 65 (many Pythagorean pairs) */
    static const long pts[][2] = {{65, 0}, {63, 16}, {60, 25}, {56, 33}, {52, 39}, {39, 52},
                                  {33, 56}, {25, 60}, {16, 63}, {0, 65}, {-16, 63}, {-33, 56},
                                  {-52, -39}, {-60, -25}, {25, -60}, {63, -16}};
    const int np = (int)(sizeof pts / sizeof pts[0]);
    uint64_t s = 99;
    int zeros = 0;
    for (int it = 0; it < 100000; it++) {
        long m = 1 + (long)(rng_next(&s) % (1u << 16)); /* radius up to 65 * 2^16 */
        long cx = rng_int(&s, 1L << 20), cy = rng_int(&s, 1L << 20);
        long p[4][2];
        for (int q = 0; q < 4; q++) {
            int k = (int)(rng_next(&s) % (unsigned)np);
            p[q][0] = cx + m * pts[k][0];
            p[q][1] = cy + m * pts[k][1];
        }
        if (it % 3) {
            p[3][0] += rng_int(&s, 1);
            p[3][1] += rng_int(&s, 1);
        }
        double off = (it & 1) ? 512.0 : -1.0e5;
        int shift = 24;
        double pd[4][2];
        for (int q = 0; q < 4; q++)
            for (int k = 0; k < 2; k++) pd[q][k] = to_d(p[q][k], off, shift);
        int exact = sgn128(incircle_int(p[0], p[1], p[2], p[3]));
        zeros += exact == 0;
        assert_int_equal(pred_sign(pred_incircle(pd[0], pd[1], pd[2], pd[3])), exact);
    }
    assert_true(zeros > 30000);
}

static void test_magnitude_approximates(void **state) {
    (void)state;
    /* away from degeneracy the value is the determinant itself */
    const double a[3] = {1, 2, 3}, b[3] = {4, -1, 0.5}, c[3] = {-2, 7, 1}, d[3] = {0.25, 0.5, 9};
    double adx = a[0] - d[0], ady = a[1] - d[1], adz = a[2] - d[2];
    double bdx = b[0] - d[0], bdy = b[1] - d[1], bdz = b[2] - d[2];
    double cdx = c[0] - d[0], cdy = c[1] - d[1], cdz = c[2] - d[2];
    double det = adx * (bdy * cdz - bdz * cdy) + bdx * (cdy * adz - cdz * ady) +
                 cdx * (ady * bdz - adz * bdy);
    assert_true(tu_close(pred_orient3d(a, b, c, d), det, 1e-12));
    /* near degeneracy the exact path still returns a value of the right order */
    const double p[2] = {0.5 + ldexp(1, -50), 0.5}, q[2] = {12, 12}, r[2] = {24, 24};
    double v = pred_orient2d(p, q, r);
    /* exact: (2^-50)(12-24) - 0 = -12 * 2^-50 */
    assert_true(v == -12 * ldexp(1, -50));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_conventions),
        cmocka_unit_test(test_orient2d_near_line_grid),
        cmocka_unit_test(test_orient2d_random_degenerate),
        cmocka_unit_test(test_orient3d_random_degenerate),
        cmocka_unit_test(test_orient3d_grid),
        cmocka_unit_test(test_incircle_cocircular),
        cmocka_unit_test(test_magnitude_approximates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
