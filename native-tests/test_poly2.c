/*
 * test_poly2.c — the 2D container (poly2.c): area, bbox, transform with mirroring, clone,
 * pools.
 */
#include <math.h>

#include "testutil.h"

#include "geom/poly2.h"

static poly2 *square(facet_ctx *ctx, double x0, double y0, double s, int ccw) {
    poly2 *p = poly2_new(ctx, 1, 4);
    double pts[8] = {x0, y0, x0 + s, y0, x0 + s, y0 + s, x0, y0 + s};
    for (int i = 0; i < 4; i++) {
        int j = ccw ? i : 3 - i;
        p->xy[2 * i] = pts[2 * j];
        p->xy[2 * i + 1] = pts[2 * j + 1];
    }
    p->start[0] = 0;
    p->count[0] = 4;
    return p;
}

static void test_area_bbox(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        poly2 *p = square(ctx, 1, 2, 3, 1);
        assert_true(poly2_area(p) == 9.0);
        double lo[2], hi[2];
        poly2_bbox(p, lo, hi);
        assert_true(lo[0] == 1 && lo[1] == 2 && hi[0] == 4 && hi[1] == 5);
        poly2 *q = square(ctx, 0, 0, 1, 0);
        assert_true(poly2_area(q) == -1.0);
        poly2 *e = poly2_empty(ctx);
        assert_true(poly2_area(e) == 0.0);
        poly2_bbox(e, lo, hi);
        assert_true(lo[0] > hi[0]);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_transform_mirror_keeps_orientation(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        poly2 *p = square(ctx, 0, 0, 2, 1);
        double mirror[16] = {-1, 0, 0, 5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        poly2_transform(p, mirror);
        assert_true(poly2_area(p) == 4.0); /* still counter-clockwise */
        double lo[2], hi[2];
        poly2_bbox(p, lo, hi);
        assert_true(lo[0] == 3 && hi[0] == 5);
        double scale[16] = {2, 0, 0, 0, 0, 3, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1};
        poly2_transform(p, scale);
        assert_true(poly2_area(p) == 24.0);
        poly2_bbox(p, lo, hi);
        assert_true(lo[1] == 1 && hi[1] == 7);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_clone_keep(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    poly2 *volatile kept = NULL;
    TU_PROTECT(ctx) {
        poly2 *p = square(ctx, 0, 0, 2, 1);
        p->color = 0xff0000ff;
        poly2 *q = poly2_clone(ctx, p);
        poly2_free(ctx, p);
        assert_true(poly2_area(q) == 4.0);
        assert_int_equal(q->color, 0xff0000ff);
        assert_true(poly2_bytes(q) >= 4 * 2 * sizeof(double));
        poly2_keep(ctx, q);
        kept = q;
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    fc_pool_free_all(ctx, FC_POOL_RENDER);
    assert_true(poly2_area(kept) == 4.0); /* survives the render pool */
    poly2_unkeep(ctx, kept);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_area_bbox),
        cmocka_unit_test(test_transform_mirror_keeps_orientation),
        cmocka_unit_test(test_clone_keep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
