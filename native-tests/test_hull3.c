/*
 * test_hull3.c — 3D convex hull and Minkowski sum.
 *
 * The hull is checked against what a hull must be: every input point inside or on it,
 * every edge convex, a closed manifold of genus 0, and for known inputs the known solid
 * (volumes are analytic). Minkowski sums are checked against closed forms: box (+) box is
 * a box, and an L-shaped prism (+) a cube is a bigger L-shaped prism.
 */
#include <math.h>

#include "testutil.h"

#include "geom/boolean3.h"
#include "geom/pred.h"
#include "geom/prim.h"

static uint64_t rng(uint64_t *s) {
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 11;
}
static double unif(uint64_t *s) { return (double)rng(s) / 9007199254740992.0; }

/* Every point inside or on the hull; every edge convex; closed genus-0 manifold. */
static void check_hull(facet_ctx *ctx, mesh *m, const double *pts, int n) {
    assert_true(m->nt > 0);
    assert_true(mesh_is_manifold(ctx, m));
    assert_int_equal(mesh_euler(ctx, m), 2);
    for (int32_t t = 0; t < m->nt; t++) {
        const double *a = m->pos + 3 * m->tri[3 * t], *b = m->pos + 3 * m->tri[3 * t + 1],
                     *c = m->pos + 3 * m->tri[3 * t + 2];
        for (int i = 0; i < n; i++)
            if (pred_orient3d(a, b, c, pts + 3 * i) < 0) fail_msg("point %d outside face %d", i, (int)t);
        for (int k = 0; k < 3; k++) {
            int32_t g = m->pair[3 * t + k];
            int32_t far = m->tri[3 * (g / 3) + (g % 3 + 2) % 3];
            assert_true(pred_orient3d(a, b, c, m->pos + 3 * far) >= 0);
        }
    }
    assert_true(mesh_volume(m) > 0);
}

static void test_cube_with_interior_and_coplanar_points(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        double pts[3 * 200];
        int n = 0;
        for (int i = 0; i < 8; i++) {
            pts[3 * n] = i & 1, pts[3 * n + 1] = (i >> 1) & 1, pts[3 * n + 2] = (i >> 2) & 1;
            n++;
        }
        uint64_t s = 5;
        for (int i = 0; i < 60; i++, n++) /* interior */
            for (int k = 0; k < 3; k++) pts[3 * n + k] = 0.05 + 0.9 * unif(&s);
        for (int i = 0; i < 60; i++, n++) { /* on faces and edges (grid of quarters) */
            int axis = i % 3;
            for (int k = 0; k < 3; k++) pts[3 * n + k] = (double)(rng(&s) % 5) / 4.0;
            pts[3 * n + axis] = (double)(i & 1);
        }
        for (int i = 0; i < 20; i++, n++) /* duplicates of corners */
            memcpy(pts + 3 * n, pts + 3 * (i % 8), 3 * sizeof(double));
        mesh *m = hull3_points(ctx, pts, n);
        check_hull(ctx, m, pts, n);
        assert_int_equal(m->nv, 8); /* coplanar points never become vertices */
        assert_int_equal(m->nt, 12);
        assert_true(tu_close(mesh_volume(m), 1, 1e-15));
        assert_true(tu_close(mesh_area(m), 6, 1e-15));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_random_points(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        uint64_t s = 42;
        for (int round = 0; round < 20; round++) {
            int n = 4 + (int)(rng(&s) % 500);
            double *pts = fc_alloc(ctx, (size_t)n * 3 * sizeof(double));
            for (int i = 0; i < n; i++) {
                if (round % 2) { /* on a sphere: every point is a vertex */
                    double z = 2 * unif(&s) - 1, phi = 6.283185307179586 * unif(&s), r = sqrt(1 - z * z);
                    pts[3 * i] = r * cos(phi), pts[3 * i + 1] = r * sin(phi), pts[3 * i + 2] = z;
                } else { /* a small integer grid: many coplanar and duplicate points */
                    for (int k = 0; k < 3; k++) pts[3 * i + k] = (double)(rng(&s) % 4) + 1e3;
                }
            }
            mesh *m = hull3_points(ctx, pts, n);
            if (m->nt == 0) continue; /* a grid sample can be flat */
            check_hull(ctx, m, pts, n);
            fc_free(ctx, pts);
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_degenerate_inputs_are_empty(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        const double flat[] = {0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0.3, 0.3, 0};
        assert_int_equal(hull3_points(ctx, flat, 5)->nt, 0);
        const double line[] = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3};
        assert_int_equal(hull3_points(ctx, line, 4)->nt, 0);
        const double three[] = {0, 0, 0, 1, 0, 0, 0, 1, 0};
        assert_int_equal(hull3_points(ctx, three, 3)->nt, 0);
        const double same[] = {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3};
        assert_int_equal(hull3_points(ctx, same, 5)->nt, 0);
        assert_int_equal(hull3_points(ctx, NULL, 0)->nt, 0);
        /* a tilted plane in general position is still flat */
        double tilted[3 * 50];
        uint64_t s = 9;
        for (int i = 0; i < 50; i++) {
            double u = (double)(rng(&s) % 1000), v = (double)(rng(&s) % 1000);
            tilted[3 * i] = u, tilted[3 * i + 1] = v, tilted[3 * i + 2] = 3 * u - 7 * v + 0.5;
        }
        assert_int_equal(hull3_points(ctx, tilted, 50)->nt, 0);
        /* NaN and infinite points are ignored */
        const double tet[] = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, NAN, 0, 0, 0, INFINITY, 0};
        mesh *t = hull3_points(ctx, tet, 6);
        assert_int_equal(t->nt, 4);
        assert_true(tu_close(mesh_volume(t), 1.0 / 6.0, 1e-15));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_hull_of_sphere_is_sphere(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *s = prim_sphere(ctx, 2, 24, FC_NOLOC);
        mesh *h = hull3_points(ctx, s->pos, s->nv);
        check_hull(ctx, h, s->pos, s->nv);
        assert_int_equal(h->nv, s->nv);
        assert_true(tu_close(mesh_volume(h), mesh_volume(s), 1e-12));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_minkowski_convex(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *a = prim_cube(ctx, (double[3]){1, 2, 3}, false);
        mesh *b = prim_cube(ctx, (double[3]){0.5, 0.5, 0.5}, true);
        mesh *ms[2] = {a, b};
        mesh *r = minkowski3(ctx, ms, 2);
        assert_true(mesh_is_manifold(ctx, r));
        assert_true(tu_close(mesh_volume(r), 1.5 * 2.5 * 3.5, 1e-14));
        double lo[3], hi[3];
        mesh_bbox(r, lo, hi);
        assert_true(lo[0] == -0.25 && hi[2] == 3.25);
        /* cube (+) sphere: bbox grows by r on each side; inputs are unchanged */
        mesh *sp = prim_sphere(ctx, 1, 16, FC_NOLOC);
        double v = mesh_volume(sp);
        mesh *ms2[2] = {a, sp};
        mesh *rs = minkowski3(ctx, ms2, 2);
        assert_true(mesh_is_manifold(ctx, rs));
        assert_int_equal(mesh_euler(ctx, rs), 2);
        assert_true(mesh_volume(rs) > 6 + v);
        assert_true(tu_close(mesh_volume(sp), v, 0));
        /* one operand, and empty operands */
        mesh *one = minkowski3(ctx, ms, 1);
        assert_true(tu_close(mesh_volume(one), 6, 1e-15));
        mesh *e = mesh_empty(ctx);
        mesh *ms3[3] = {e, a, e};
        assert_true(tu_close(mesh_volume(minkowski3(ctx, ms3, 3)), 6, 1e-15));
        assert_int_equal(minkowski3(ctx, ms3, 0)->nt, 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* The L-shaped prism of test_prim (area 3, height 2), as a polyhedron. */
static mesh *l_prism(facet_ctx *ctx) {
    static const double L[6][2] = {{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}};
    double pts[36];
    for (int i = 0; i < 6; i++) {
        pts[3 * i] = L[i][0], pts[3 * i + 1] = L[i][1], pts[3 * i + 2] = 0;
        pts[18 + 3 * i] = L[i][0], pts[18 + 3 * i + 1] = L[i][1], pts[18 + 3 * i + 2] = 2;
    }
    int32_t idx[36], cnt[8];
    int o = 0;
    for (int i = 0; i < 6; i++) idx[o++] = i;
    cnt[0] = 6;
    for (int i = 5; i >= 0; i--) idx[o++] = 6 + i;
    cnt[1] = 6;
    for (int i = 0; i < 6; i++) {
        int j = (i + 1) % 6;
        idx[o++] = i, idx[o++] = 6 + i, idx[o++] = 6 + j, idx[o++] = j;
        cnt[2 + i] = 4;
    }
    return prim_polyhedron(ctx, pts, 12, idx, cnt, 8, FC_NOLOC);
}

static void test_minkowski_nonconvex(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *l = l_prism(ctx);
        mesh *c = prim_cube(ctx, (double[3]){1, 1, 1}, false);
        mesh *ms[2] = {l, c};
        mesh *r = minkowski3(ctx, ms, 2);
        /* [0,3]^2 minus the (2,3]^2 corner, 3 high */
        assert_true(mesh_is_manifold(ctx, r));
        assert_true(tu_close(mesh_volume(r), 8 * 3, 1e-9));
        double lo[3], hi[3];
        mesh_bbox(r, lo, hi);
        assert_true(lo[0] == 0 && lo[2] == 0 && hi[0] == 3 && hi[1] == 3 && hi[2] == 3);
        /* the order of operands does not matter */
        mesh *ms2[2] = {c, l};
        assert_true(tu_close(mesh_volume(minkowski3(ctx, ms2, 2)), 24, 1e-9));
        /* non-convex (+) non-convex: L (+) L, 4 high, is [0,4]^2 without the points with
         * x > 3 and y > 2 or y > 3 and x > 2 (x > 3 needs both summands right of 1, where
         * the L is at most 1 high): area 16 - 3 */
        mesh *ms3[2] = {l, l_prism(ctx)};
        mesh *ll = minkowski3(ctx, ms3, 2);
        assert_true(mesh_is_manifold(ctx, ll));
        assert_true(tu_close(mesh_volume(ll), (16 - 3) * 4, 1e-9));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube_with_interior_and_coplanar_points),
        cmocka_unit_test(test_random_points),
        cmocka_unit_test(test_degenerate_inputs_are_empty),
        cmocka_unit_test(test_hull_of_sphere_is_sphere),
        cmocka_unit_test(test_minkowski_convex),
        cmocka_unit_test(test_minkowski_nonconvex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
