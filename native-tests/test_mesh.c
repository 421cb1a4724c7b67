/*
 * test_mesh.c — the triangle mesh: measures (volume, area, bbox), halfedge pairing, the
 * manifold check including pinched vertices, Euler characteristic and genus, transforms
 * (mirroring must keep the mesh outward-facing and its pairing valid), concat and colors.
 * Expected values are analytic.
 */
#include <math.h>

#include "testutil.h"

#include "geom/mesh.h"

#define PI 3.14159265358979323846

/* An axis-aligned box [x0,x1]x[y0,y1]x[z0,z1], triangles counter-clockwise from outside. */
static mesh *box(facet_ctx *ctx, double x0, double y0, double z0, double x1, double y1,
                 double z1) {
    static const int32_t faces[12][3] = {
        {0, 2, 1}, {0, 3, 2}, /* z0 */ {4, 5, 6}, {4, 6, 7}, /* z1 */
        {0, 1, 5}, {0, 5, 4}, /* y0 */ {2, 3, 7}, {2, 7, 6}, /* y1 */
        {0, 4, 7}, {0, 7, 3}, /* x0 */ {1, 2, 6}, {1, 6, 5}, /* x1 */
    };
    mesh *m = mesh_new(ctx, 8, 12);
    for (int i = 0; i < 8; i++) {
        double *p = m->pos + 3 * i;
        p[0] = (i == 1 || i == 2 || i == 5 || i == 6) ? x1 : x0;
        p[1] = (i == 2 || i == 3 || i == 6 || i == 7) ? y1 : y0;
        p[2] = i >= 4 ? z1 : z0;
    }
    memcpy(m->tri, faces, sizeof faces);
    return m;
}

/* A torus of n x k quads (each split in two): major radius 3, minor radius 1. */
static mesh *torus(facet_ctx *ctx, int n, int k) {
    mesh *m = mesh_new(ctx, n * k, 2 * n * k);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++) {
            double u = 2 * PI * i / n, w = 2 * PI * j / k;
            double *p = m->pos + 3 * (i * k + j);
            p[0] = (3 + cos(w)) * cos(u);
            p[1] = (3 + cos(w)) * sin(u);
            p[2] = sin(w);
        }
    int t = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++) {
            int32_t a = i * k + j, b = ((i + 1) % n) * k + j, c = ((i + 1) % n) * k + (j + 1) % k,
                    d = i * k + (j + 1) % k;
            int32_t *tr = m->tri + 3 * t;
            tr[0] = a, tr[1] = b, tr[2] = c, tr[3] = a, tr[4] = c, tr[5] = d;
            t += 2;
        }
    return m;
}

/* pair(pair(h)) == h and pair(h) runs end(h) -> start(h). */
static void check_pairs(const mesh *m) {
    assert_non_null(m->pair);
    for (int32_t h = 0; h < 3 * m->nt; h++) {
        int32_t g = m->pair[h];
        assert_true(g >= 0 && g < 3 * m->nt);
        assert_int_equal(m->pair[g], h);
        int32_t hn = 3 * (h / 3) + (h % 3 + 1) % 3, gn = 3 * (g / 3) + (g % 3 + 1) % 3;
        assert_int_equal(m->tri[g], m->tri[hn]);
        assert_int_equal(m->tri[gn], m->tri[h]);
    }
}

static void test_box_measures(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = box(ctx, 1, 2, 3, 3, 5, 7); /* 2 x 3 x 4 */
        assert_true(tu_close(mesh_volume(m), 24, 1e-14));
        assert_true(tu_close(mesh_area(m), 2 * (6 + 8 + 12), 1e-14));
        double lo[3], hi[3];
        mesh_bbox(m, lo, hi);
        assert_true(lo[0] == 1 && lo[1] == 2 && lo[2] == 3);
        assert_true(hi[0] == 3 && hi[1] == 5 && hi[2] == 7);
        assert_true(mesh_build_pairs(ctx, m));
        check_pairs(m);
        assert_true(mesh_is_manifold(ctx, m));
        assert_true(m->manifold);
        assert_int_equal(mesh_euler(ctx, m), 2);
        assert_int_equal(mesh_genus(ctx, m), 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_unreferenced_points_not_in_bbox(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *b = box(ctx, 0, 0, 0, 1, 1, 1);
        mesh *m = mesh_new(ctx, 9, 12);
        memcpy(m->pos, b->pos, 24 * sizeof(double));
        m->pos[24] = 100, m->pos[25] = -100, m->pos[26] = 50;
        memcpy(m->tri, b->tri, 36 * sizeof(int32_t));
        double lo[3], hi[3];
        mesh_bbox(m, lo, hi);
        assert_true(hi[0] == 1 && lo[1] == 0 && hi[2] == 1);
        assert_int_equal(mesh_euler(ctx, m), 2); /* the lone point is not counted */
        assert_true(mesh_is_manifold(ctx, m));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Outward: each component on its own, so a big right box does not hide a small inside-out
 * one, and two far apart boxes do not cancel in rounding. */
static void test_outward(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *a = box(ctx, 0, 0, 0, 10, 10, 10), *b = box(ctx, 1e6, 0, 0, 1e6 + 1, 1, 1);
        assert_true(mesh_outward(ctx, a));
        mesh *both[2] = {a, b};
        mesh *m = mesh_concat(ctx, both, 2);
        assert_true(mesh_outward(ctx, m));
        /* turn the small box inside out: (a, b, c) -> (a, c, b) */
        for (int t = 12; t < 24; t++) {
            int32_t x = m->tri[3 * t + 1];
            m->tri[3 * t + 1] = m->tri[3 * t + 2];
            m->tri[3 * t + 2] = x;
        }
        assert_true(mesh_volume(m) > 0); /* the total still looks right */
        assert_false(mesh_outward(ctx, m));
        assert_true(mesh_outward(ctx, mesh_empty(ctx)));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_torus_genus_one(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = torus(ctx, 24, 12);
        assert_true(mesh_is_manifold(ctx, m));
        check_pairs(m);
        assert_int_equal(mesh_euler(ctx, m), 0);
        assert_int_equal(mesh_genus(ctx, m), 1);
        /* a polyhedral torus is slightly smaller than the smooth one (2 pi^2 R r^2) */
        double v = mesh_volume(m);
        assert_true(v > 0.9 * 2 * PI * PI * 3 && v < 2 * PI * PI * 3);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_empty_mesh(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = mesh_empty(ctx);
        double lo[3], hi[3];
        mesh_bbox(m, lo, hi);
        assert_true(lo[0] == INFINITY && hi[2] == -INFINITY);
        assert_true(mesh_volume(m) == 0 && mesh_area(m) == 0);
        assert_true(mesh_is_manifold(ctx, m));
        assert_int_equal(mesh_euler(ctx, m), 0);
        assert_int_equal(mesh_genus(ctx, m), 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_open_mesh_not_manifold(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = box(ctx, 0, 0, 0, 1, 1, 1);
        m->nt = 11; /* drop the last triangle: a hole */
        assert_false(mesh_build_pairs(ctx, m));
        assert_null(m->pair);
        assert_false(mesh_is_manifold(ctx, m));
        assert_false(m->manifold);
        assert_int_equal(mesh_euler(ctx, m), 1); /* a disc */
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_flipped_triangle_not_manifold(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = box(ctx, 0, 0, 0, 1, 1, 1);
        int32_t s = m->tri[4];
        m->tri[4] = m->tri[5];
        m->tri[5] = s;
        assert_false(mesh_build_pairs(ctx, m));
        assert_false(mesh_is_manifold(ctx, m));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Two boxes sharing the edge x=1,y=1 (touching along a line), welded there: that edge has
 * four halfedges. With `pairs`, each box first gets its own (valid) pairs, which the
 * concatenation carries. */
static mesh *edge_welded_boxes(facet_ctx *ctx, bool pairs) {
    mesh *a = box(ctx, 0, 0, 0, 1, 1, 1);
    mesh *b = box(ctx, 1, 1, 0, 2, 2, 1);
    if (pairs) {
        assert_true(mesh_build_pairs(ctx, a));
        assert_true(mesh_build_pairs(ctx, b));
    }
    mesh *ms[2] = {a, b};
    mesh *c = mesh_concat(ctx, ms, 2);
    /* weld b's corner (1,1,z) to a's: vertices 8 and 12 of the concatenation */
    for (int32_t h = 0; h < 3 * c->nt; h++) {
        if (c->tri[h] == 8) c->tri[h] = 2;
        if (c->tri[h] == 12) c->tri[h] = 6;
    }
    return c;
}

static void test_three_triangles_on_an_edge(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* the union of two boxes touching along a line is not a 2-manifold */
        mesh *c = edge_welded_boxes(ctx, false);
        assert_false(mesh_build_pairs(ctx, c));
        assert_false(mesh_is_manifold(ctx, c));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_carried_pairs_four_halves(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* the boxes' own pairs carried through the weld are still consistent, a->b with
         * b->a, yet the edge (1,1,z) has four halves, so the check that trusts the carried
         * pairs must find the repeated edge */
        mesh *c = edge_welded_boxes(ctx, true);
        check_pairs(c);
        assert_false(mesh_is_manifold(ctx, c));
        /* re-pair the edge's halves across the boxes (a's 2->6 with b's 6->2 and the other
         * way round): still consistent, and now the fans around 2 and 6 are single cycles
         * that meet the other end twice, which only the repeated-end test can see */
        int32_t h26[2] = {-1, -1}, h62[2] = {-1, -1};
        for (int32_t h = 0; h < 3 * c->nt; h++) {
            int32_t u = c->tri[h], v = c->tri[3 * (h / 3) + (h % 3 + 1) % 3];
            if (u == 2 && v == 6) h26[h >= 36] = h;
            if (u == 6 && v == 2) h62[h >= 36] = h;
        }
        assert_true(h26[0] >= 0 && h26[1] >= 0 && h62[0] >= 0 && h62[1] >= 0);
        c->pair[h26[0]] = h62[1], c->pair[h62[1]] = h26[0];
        c->pair[h26[1]] = h62[0], c->pair[h62[0]] = h26[1];
        check_pairs(c);
        assert_false(mesh_is_manifold(ctx, c));
        /* and the carried pairs of a closed box give the sort's verdict and genus */
        mesh *a = box(ctx, 0, 0, 0, 1, 1, 1);
        assert_true(mesh_build_pairs(ctx, a));
        assert_true(mesh_is_manifold(ctx, a));
        assert_int_equal(mesh_euler(ctx, a), 2);
        assert_int_equal(mesh_genus(ctx, a), 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_pinched_vertex_not_manifold(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* two boxes touching at one corner (1,1,1), welded there: every edge is paired but
         * the corner has two fans */
        mesh *a = box(ctx, 0, 0, 0, 1, 1, 1);
        mesh *b = box(ctx, 1, 1, 1, 2, 2, 2);
        mesh *ms[2] = {a, b};
        mesh *c = mesh_concat(ctx, ms, 2);
        for (int32_t h = 0; h < 3 * c->nt; h++)
            if (c->tri[h] == 8) c->tri[h] = 6; /* b's (1,1,1) becomes a's (1,1,1) */
        assert_true(mesh_build_pairs(ctx, c));
        check_pairs(c);
        assert_false(mesh_is_manifold(ctx, c));
        assert_true(tu_close(mesh_volume(c), 2, 1e-14));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_degenerate_index_not_manifold(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = box(ctx, 0, 0, 0, 1, 1, 1);
        m->tri[0] = 99; /* out of range */
        assert_false(mesh_is_manifold(ctx, m));
        mesh *d = box(ctx, 0, 0, 0, 1, 1, 1);
        d->tri[1] = d->tri[0]; /* a triangle with a repeated vertex */
        assert_false(mesh_is_manifold(ctx, d));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_transforms(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = box(ctx, 0, 0, 0, 1, 1, 1);
        assert_true(mesh_build_pairs(ctx, m));
        const double scale[16] = {2, 0, 0, 10, 0, 3, 0, 0, 0, 0, 4, -5, 0, 0, 0, 1};
        mesh_transform(m, scale);
        assert_true(tu_close(mesh_volume(m), 24, 1e-14));
        double lo[3], hi[3];
        mesh_bbox(m, lo, hi);
        assert_true(lo[0] == 10 && hi[0] == 12 && lo[2] == -5 && hi[2] == -1);
        /* mirror in x: volume stays positive, the pairing stays valid */
        const double mirror[16] = {-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        mesh_transform(m, mirror);
        assert_true(tu_close(mesh_volume(m), 24, 1e-14));
        check_pairs(m);
        assert_true(mesh_is_manifold(ctx, m));
        mesh_bbox(m, lo, hi);
        assert_true(lo[0] == -12 && hi[0] == -10);
        /* a rotation keeps volume; a point reflection (det -1) too */
        const double rot[16] = {0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        mesh_transform(m, rot);
        assert_true(tu_close(mesh_volume(m), 24, 1e-14));
        const double inv[16] = {-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1};
        mesh_transform(m, inv);
        assert_true(tu_close(mesh_volume(m), 24, 1e-14));
        check_pairs(m);
        /* eps scales with the largest singular value */
        m->eps = 1e-9;
        const double s5[16] = {5, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 1};
        mesh_transform(m, s5);
        assert_true(tu_close(m->eps, 5e-9, 1e-9));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_concat_and_colors(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *a = box(ctx, 0, 0, 0, 1, 1, 1);
        mesh *b = box(ctx, 5, 0, 0, 7, 1, 1);
        mesh *t = torus(ctx, 8, 6);
        assert_true(mesh_build_pairs(ctx, a) && mesh_build_pairs(ctx, b) &&
                    mesh_build_pairs(ctx, t));
        a->manifold = b->manifold = t->manifold = true;
        mesh_set_color(ctx, b, 0xff0000ffu);
        mesh *ms[3] = {a, b, t};
        mesh *c = mesh_concat(ctx, ms, 3);
        assert_int_equal(c->nv, 16 + 48);
        assert_int_equal(c->nt, 24 + 96);
        assert_true(c->manifold);
        check_pairs(c); /* pairs carried over with offsets */
        assert_true(tu_close(mesh_volume(c), 3 + mesh_volume(t), 1e-12));
        assert_int_equal(mesh_euler(ctx, c), 4);
        assert_int_equal(mesh_genus(ctx, c), 1);
        assert_non_null(c->color);
        assert_int_equal(c->color[0], 0);
        assert_int_equal(c->color[12], 0xff0000ffu);
        assert_int_equal(c->color[24], 0);
        mesh_set_color(ctx, c, 0);
        assert_null(c->color);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_clone_keep_bytes(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    mesh *volatile kept = NULL;
    TU_PROTECT(ctx) {
        mesh *a = box(ctx, 0, 0, 0, 1, 1, 1);
        mesh_set_color(ctx, a, 0x11223344u);
        assert_true(mesh_build_pairs(ctx, a));
        mesh *c = mesh_clone(ctx, a);
        assert_int_equal(mesh_bytes(c), sizeof(mesh) + 8 * 24 + 12 * 12 * 2 + 12 * 4);
        a->pos[0] = 42; /* the clone owns its arrays */
        assert_true(c->pos[0] == 0);
        assert_int_equal(c->color[11], 0x11223344u);
        mesh_keep(ctx, c);
        kept = c;
        mesh_free(ctx, a);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    /* the render pool goes; the kept mesh stays readable */
    fc_pool_free_all(ctx, FC_POOL_RENDER);
    assert_true(tu_close(mesh_volume(kept), 1, 1e-15));
    size_t used = ctx->mem.used;
    TU_PROTECT(ctx) {
        mesh_unkeep(ctx, kept);
        mesh_free(ctx, kept);
    }
    assert_true(ctx->mem.used < used);
    tu_ctx_free(ctx);
}

static void test_hostile_sizes(void **state) {
    (void)state;
    facet_options opt = {0};
    opt.memory_limit = 64 << 20;
    facet_ctx *ctx = tu_ctx_opts(opt);
    TU_PROTECT(ctx) { mesh_new(ctx, INT32_MAX, 0); }
    assert_int_equal(ctx->err.kind, FACET_ERR_MEMORY_LIMIT);
    TU_PROTECT(ctx) { mesh_new(ctx, -1, 0); }
    assert_int_equal(ctx->err.kind, FACET_ERR_INTERNAL);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_box_measures),
        cmocka_unit_test(test_unreferenced_points_not_in_bbox),
        cmocka_unit_test(test_torus_genus_one),
        cmocka_unit_test(test_outward),
        cmocka_unit_test(test_empty_mesh),
        cmocka_unit_test(test_open_mesh_not_manifold),
        cmocka_unit_test(test_carried_pairs_four_halves),
        cmocka_unit_test(test_flipped_triangle_not_manifold),
        cmocka_unit_test(test_three_triangles_on_an_edge),
        cmocka_unit_test(test_pinched_vertex_not_manifold),
        cmocka_unit_test(test_degenerate_index_not_manifold),
        cmocka_unit_test(test_transforms),
        cmocka_unit_test(test_concat_and_colors),
        cmocka_unit_test(test_clone_keep_bytes),
        cmocka_unit_test(test_hostile_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
