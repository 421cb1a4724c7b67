/*
 * test_bvh.c — the boolean's broad phase: every query returns exactly the boxes a brute-force
 * scan finds (inclusive overlap, 3D and XY-only), sorted, on random, degenerate (flat and
 * point) and duplicated boxes.
 */
#include "testutil.h"

#include "geom/bvh.h"

static double rnd(unsigned *s) {
    *s = *s * 1103515245u + 12345u;
    return (double)((*s >> 8) & 0xffff) / 65536.0;
}

static void check_queries(facet_ctx *ctx, const double *boxes, int n, unsigned seed) {
    bvh t;
    bvh_build(ctx, &t, boxes, n);
    int32_t *out = NULL;
    int cap = 0;
    int32_t *want = fc_alloc(ctx, sizeof *want * (size_t)(n + 1));
    for (int q = 0; q < 300; q++) {
        double lo[3], hi[3];
        for (int k = 0; k < 3; k++) {
            /* snap some queries to the integer grid so that boxes touch exactly */
            double a = rnd(&seed) * 10, b = a + rnd(&seed) * 3;
            if (q % 3 == 0) { a = (int)a; b = (int)b; }
            if (q % 7 == 0) b = a;
            lo[k] = a;
            hi[k] = b;
        }
        for (int dims = 2; dims <= 3; dims++) {
            int nw = 0;
            for (int i = 0; i < n; i++) {
                bool ok = true;
                for (int k = 0; k < dims; k++)
                    if (boxes[6 * i + k] > hi[k] || boxes[6 * i + 3 + k] < lo[k]) ok = false;
                if (ok) want[nw++] = i;
            }
            int got = bvh_query(ctx, &t, lo, hi, dims, &out, &cap);
            assert_int_equal(got, nw);
            for (int i = 0; i < nw; i++) assert_int_equal(out[i], want[i]);
        }
    }
    fc_free(ctx, out);
    bvh_free(ctx, &t);
}

static void test_bvh_matches_brute_force(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        unsigned seed = 99;
        const int sizes[] = {0, 1, 2, 3, 5, 17, 100, 1000};
        for (int si = 0; si < 8; si++) {
            int n = sizes[si];
            double *b = fc_alloc(ctx, sizeof *b * 6 * (size_t)(n + 1));
            for (int i = 0; i < n; i++)
                for (int k = 0; k < 3; k++) {
                    double a = rnd(&seed) * 10, w = rnd(&seed);
                    if (i % 5 == 0) { a = (int)a; w = (int)(w * 2); } /* grid, sometimes flat */
                    if (i % 11 == 0) w = 0;                          /* points */
                    b[6 * i + k] = a;
                    b[6 * i + 3 + k] = a + w;
                }
            if (n > 10) memcpy(b + 6 * 3, b + 6 * 2, sizeof *b * 6); /* a duplicate */
            check_queries(ctx, b, n, seed + (unsigned)n);
            fc_free(ctx, b);
        }
        /* every box identical: the Morton codes tie */
        double *same = fc_alloc(ctx, sizeof *same * 6 * 64);
        for (int i = 0; i < 64; i++) {
            const double x[6] = {1, 1, 1, 2, 2, 2};
            memcpy(same + 6 * i, x, sizeof x);
        }
        check_queries(ctx, same, 64, 5);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bvh_matches_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
