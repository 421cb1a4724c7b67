/*
 * test_render.c — the geometry stage: CSG trees built by hand, rendered, and checked
 * against analytic volumes and OpenSCAD 2021.01's behaviour (warnings and their wording,
 * which children count, resize rules — observed by running Debian's openscad on the same
 * trees written as .scad); and the subtree cache: hits on re-render, replayed warnings,
 * LRU eviction under a small limit, survival across renders.
 */
#include <math.h>
#include <unistd.h>

#include "testutil.h"

#include "csg/cache.h"
#include "csg/render.h"

static csg_node *node(facet_ctx *ctx, csg_kind kind, int line) {
    return csg_new(ctx, kind, (fc_loc){0, line, 1});
}

static csg_node *cube(facet_ctx *ctx, double x, double y, double z, bool center, int line) {
    csg_node *n = node(ctx, CSG_CUBE, line);
    n->u.cube.size[0] = x, n->u.cube.size[1] = y, n->u.cube.size[2] = z;
    n->u.cube.center = center;
    return n;
}

static csg_node *sphere(facet_ctx *ctx, double r, int nfrag, int line) {
    csg_node *n = node(ctx, CSG_SPHERE, line);
    n->u.sphere.r = r;
    n->u.sphere.n = nfrag;
    return n;
}

static csg_node *square(facet_ctx *ctx, double x, double y, int line) {
    csg_node *n = node(ctx, CSG_SQUARE, line);
    n->u.square.size[0] = x, n->u.square.size[1] = y;
    return n;
}

static csg_node *op(facet_ctx *ctx, csg_kind kind, int line, csg_node *a, csg_node *b) {
    csg_node *n = node(ctx, kind, line);
    if (a) csg_add_child(ctx, n, a);
    if (b) csg_add_child(ctx, n, b);
    return n;
}

static csg_node *translate(facet_ctx *ctx, double x, double y, double z, csg_node *child) {
    csg_node *n = node(ctx, CSG_TRANSFORM, 1);
    const double m[16] = {1, 0, 0, x, 0, 1, 0, y, 0, 0, 1, z, 0, 0, 0, 1};
    memcpy(n->u.transform.m, m, sizeof m);
    csg_add_child(ctx, n, child);
    return n;
}

static facet_ctx *new_ctx(size_t cache_limit) {
    facet_options opt = {0};
    opt.cache_limit = cache_limit;
    facet_ctx *ctx = tu_ctx_opts(opt);
    fc_file_add(ctx, "/tmp/t.scad", "t.scad"); /* file 0 for locations */
    return ctx;
}

/* A fresh "render": the previous render pool goes, as facet_render does. */
static void next_render(facet_ctx *ctx) {
    fc_pool_free_all(ctx, FC_POOL_RENDER);
    ctx->log = NULL;
    ctx->nlog = ctx->caplog = 0;
    ctx->files = NULL;
    ctx->nfiles = ctx->capfiles = 0;
    fc_file_add(ctx, "/tmp/t.scad", "t.scad");
}

/* No geometry, or geometry without a triangle or contour. */
static bool geo_is_empty(geo g) {
    if (g.dim == 3) return !g.m || g.m->nt == 0;
    if (g.dim == 2) return !g.p || g.p->ncontours == 0;
    return true;
}

static double volume_of(geo g) {
    assert_int_equal(g.dim, 3);
    return mesh_volume(g.m);
}

static void test_booleans(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx(0);
    TU_PROTECT(ctx) {
        csg_node *u = op(ctx, CSG_UNION, 1, cube(ctx, 2, 2, 2, false, 1),
                         translate(ctx, 1, 1, 1, cube(ctx, 2, 2, 2, false, 1)));
        geo g = csg_render(ctx, u);
        assert_true(tu_close(volume_of(g), 16 - 1, 1e-9));
        assert_true(mesh_is_manifold(ctx, g.m));
        csg_node *d = op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 2, 2, 2, false, 1),
                         translate(ctx, 1, 1, 1, cube(ctx, 2, 2, 2, false, 1)));
        assert_true(tu_close(volume_of(csg_render(ctx, d)), 7, 1e-9));
        csg_node *i = op(ctx, CSG_INTERSECTION, 1, cube(ctx, 2, 2, 2, false, 1),
                         translate(ctx, 1, 1, 1, cube(ctx, 2, 2, 2, false, 1)));
        assert_true(tu_close(volume_of(csg_render(ctx, i)), 1, 1e-9));
        /* disjoint operands */
        csg_node *far = op(ctx, CSG_UNION, 1, cube(ctx, 1, 1, 1, false, 1),
                           translate(ctx, 5, 0, 0, sphere(ctx, 1, 12, 1)));
        geo gf = csg_render(ctx, far);
        assert_true(mesh_is_manifold(ctx, gf.m));
        assert_int_equal(mesh_genus(ctx, gf.m), 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_empty_and_missing_children(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx(0);
    TU_PROTECT(ctx) {
        /* intersection() { cube(2); sphere(0); } is empty: sphere(0) is empty geometry */
        geo g = csg_render(ctx, op(ctx, CSG_INTERSECTION, 1, cube(ctx, 2, 2, 2, false, 1),
                                   sphere(ctx, 0, 10, 1)));
        assert_int_equal(g.dim, 3);
        assert_int_equal(g.m->nt, 0);
        /* a node without geometry is an empty operand (OpenSCAD 2021.01: intersection()
         * { cube(2); union() {} } and intersection() { cube(2); cube([1/0, 1, 1]); } are
         * empty) */
        g = csg_render(ctx, op(ctx, CSG_INTERSECTION, 1, cube(ctx, 2, 2, 2, false, 1),
                               node(ctx, CSG_UNION, 1)));
        assert_true(geo_is_empty(g));
        g = csg_render(ctx, op(ctx, CSG_INTERSECTION, 1, node(ctx, CSG_UNION, 1),
                               cube(ctx, 2, 2, 2, false, 1)));
        assert_true(geo_is_empty(g));
        g = csg_render(ctx, op(ctx, CSG_INTERSECTION, 1, cube(ctx, 2, 2, 2, false, 1),
                               node(ctx, CSG_EMPTY, 1)));
        assert_true(geo_is_empty(g));
        /* intersection() { union() {} square(10); } is empty in 2D too */
        g = csg_render(ctx, op(ctx, CSG_INTERSECTION, 1, node(ctx, CSG_UNION, 1),
                               square(ctx, 10, 10, 1)));
        assert_true(geo_is_empty(g));
        /* intersection() { translate([1, 0, 0]) {} cube(2); }: a transform of nothing too */
        g = csg_render(ctx, op(ctx, CSG_INTERSECTION, 1, translate(ctx, 1, 0, 0, node(ctx, CSG_UNION, 1)),
                               cube(ctx, 2, 2, 2, false, 1)));
        assert_true(geo_is_empty(g));
        /* but a background child is no operand: intersection() { %cube(5); cube(2); } */
        csg_node *bgi = cube(ctx, 5, 5, 5, false, 1);
        bgi->background = true;
        g = csg_render(ctx, op(ctx, CSG_INTERSECTION, 1, bgi, cube(ctx, 2, 2, 2, false, 1)));
        assert_true(tu_close(volume_of(g), 8, 1e-12));
        /* difference() { sphere(0); cube(2); } and difference() { union() {} cube(2); }
         * are empty; difference() { cube(2); union() {} } is the cube */
        g = csg_render(ctx, op(ctx, CSG_DIFFERENCE, 1, sphere(ctx, 0, 10, 1),
                               cube(ctx, 2, 2, 2, false, 1)));
        assert_int_equal(g.m->nt, 0);
        g = csg_render(ctx, op(ctx, CSG_DIFFERENCE, 1, node(ctx, CSG_UNION, 1),
                               cube(ctx, 2, 2, 2, false, 1)));
        assert_true(geo_is_empty(g));
        g = csg_render(ctx, op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 2, 2, 2, false, 1),
                               node(ctx, CSG_UNION, 1)));
        assert_true(tu_close(volume_of(g), 8, 1e-12));
        /* union() { union() {} cube(2); } is the cube */
        g = csg_render(ctx, op(ctx, CSG_UNION, 1, node(ctx, CSG_UNION, 1),
                               cube(ctx, 2, 2, 2, false, 1)));
        assert_true(tu_close(volume_of(g), 8, 1e-12));
        /* union() { %cube(5); cube(1); } is the unit cube */
        csg_node *bg = cube(ctx, 5, 5, 5, false, 1);
        bg->background = true;
        g = csg_render(ctx, op(ctx, CSG_UNION, 1, bg, cube(ctx, 1, 1, 1, false, 1)));
        assert_true(tu_close(volume_of(g), 1, 1e-12));
        /* a transform of nothing is nothing */
        g = csg_render(ctx, translate(ctx, 1, 2, 3, sphere(ctx, -1, 10, 1)));
        assert_int_equal(g.dim, 0);
        assert_int_equal(ctx->nlog, 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Through the whole pipeline, as OpenSCAD 2021.01 does it: an `if` that selects no branch
 * makes no node, so it is not an operand; a taken but empty branch is an empty operand. */
static void test_if_without_branch_is_no_operand(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx(0);
    facet_result r;
    assert_int_equal(tu_render(ctx, "t.scad", "intersection(){ if (false) cube(1); square(10); }",
                               FACET_FORMAT_NONE, &r),
                     FACET_ERR_OK);
    assert_int_equal(r.stats.dim, 2);
    assert_true(tu_close(r.stats.area, 100, 1e-12));
    assert_int_equal(tu_render(ctx, "t.scad",
                               "intersection(){ if (false) cube(1); else {} square(10); }",
                               FACET_FORMAT_NONE, &r),
                     FACET_ERR_OK);
    assert_int_equal(r.stats.dim, 0);
    assert_int_equal(tu_render(ctx, "t.scad", "intersection(){ if (true) {} square(10); }",
                               FACET_FORMAT_NONE, &r),
                     FACET_ERR_OK);
    assert_int_equal(r.stats.dim, 0);
    tu_ctx_free(ctx);
}

static void test_mixed_dimensions(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx(0);
    TU_PROTECT(ctx) {
        /* union() { cube(1); square(2); }  (OpenSCAD 2021.01: two warnings, the cube) */
        geo g = csg_render(ctx, op(ctx, CSG_UNION, 1, cube(ctx, 1, 1, 1, false, 2),
                                   square(ctx, 2, 2, 3)));
        assert_true(tu_close(volume_of(g), 1, 1e-12));
        assert_int_equal(ctx->nlog, 2);
        assert_string_equal(ctx->log[0],
                            "WARNING: Mixing 2D and 3D objects is not supported in file t.scad, line 3");
        assert_string_equal(ctx->log[1], "WARNING: Ignoring 2D child object for 3D operation in "
                                         "file t.scad, line 3");
        /* hull() { square(3); cube(1); }: 2D wins, the cube is dropped */
        g = csg_render(ctx, op(ctx, CSG_HULL, 1, square(ctx, 3, 3, 4), cube(ctx, 1, 1, 1, false, 5)));
        assert_int_equal(g.dim, 2);
        assert_true(tu_close(poly2_area(g.p), 9, 1e-12));
        assert_string_equal(ctx->log[3], "WARNING: Ignoring 3D child object for 2D operation in "
                                         "file t.scad, line 5");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_transform_color_resize(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx(0);
    TU_PROTECT(ctx) {
        /* mirror([1,0,0]) keeps the solid outward-facing */
        csg_node *mir = node(ctx, CSG_TRANSFORM, 1);
        const double mm[16] = {-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        memcpy(mir->u.transform.m, mm, sizeof mm);
        csg_add_child(ctx, mir, cube(ctx, 1, 2, 3, false, 1));
        geo g = csg_render(ctx, mir);
        assert_true(tu_close(volume_of(g), 6, 1e-12));
        assert_true(mesh_is_manifold(ctx, g.m));
        /* color("red") color("blue") cube(): the inner color wins */
        csg_node *blue = node(ctx, CSG_COLOR, 1), *red = node(ctx, CSG_COLOR, 1);
        blue->u.color.rgba = 0x0000ffffu;
        red->u.color.rgba = 0xff0000ffu;
        csg_add_child(ctx, blue, cube(ctx, 1, 1, 1, false, 1));
        csg_add_child(ctx, red, op(ctx, CSG_UNION, 1, blue, translate(ctx, 3, 0, 0, cube(ctx, 1, 1, 1, false, 1))));
        g = csg_render(ctx, red);
        assert_non_null(g.m->color);
        int nblue = 0, nred = 0;
        for (int32_t t = 0; t < g.m->nt; t++) {
            nblue += g.m->color[t] == 0x0000ffffu;
            nred += g.m->color[t] == 0xff0000ffu;
        }
        assert_true(nblue == 12 && nred == 12);
        /* a non-finite matrix removes the object with OpenSCAD's warning */
        csg_node *bad = translate(ctx, NAN, 0, 0, cube(ctx, 1, 1, 1, false, 1));
        bad->loc.line = 7;
        g = csg_render(ctx, bad);
        assert_int_equal(g.dim, 0);
        assert_string_equal(ctx->log[ctx->nlog - 1],
                            "WARNING: Transformation matrix contains Not-a-Number and/or "
                            "Infinity - removing object. in file t.scad, line 7");
        /* scale([0,1]) square(): removed, warning without location */
        csg_node *flat = node(ctx, CSG_TRANSFORM, 1);
        const double sm[16] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        memcpy(flat->u.transform.m, sm, sizeof sm);
        csg_add_child(ctx, flat, square(ctx, 1, 1, 1));
        g = csg_render(ctx, flat);
        assert_int_equal(g.dim, 0);
        assert_string_equal(ctx->log[ctx->nlog - 1], "WARNING: Scaling a 2D object with 0 - removing object");
        /* resize([5,0,0], auto=true) cube([10,20,40]) -> [5,10,20] (OpenSCAD 2021.01) */
        csg_node *rs = node(ctx, CSG_RESIZE, 1);
        rs->u.resize.size[0] = 5;
        rs->u.resize.autosize[0] = rs->u.resize.autosize[1] = rs->u.resize.autosize[2] = true;
        csg_add_child(ctx, rs, cube(ctx, 10, 20, 40, false, 1));
        g = csg_render(ctx, rs);
        double lo[3], hi[3];
        mesh_bbox(g.m, lo, hi);
        assert_true(hi[0] == 5 && hi[1] == 10 && hi[2] == 20);
        /* resize([0,0,7]) { cube([10,20,40]); sphere(1); }: z scaled about the origin */
        csg_node *rz = node(ctx, CSG_RESIZE, 1);
        rz->u.resize.size[2] = 7;
        csg_add_child(ctx, rz, cube(ctx, 10, 20, 40, false, 1));
        csg_add_child(ctx, rz, sphere(ctx, 1, 5, 1));
        g = csg_render(ctx, rz);
        mesh_bbox(g.m, lo, hi);
        assert_true(tu_close(hi[2] - lo[2], 7, 1e-12) && hi[0] == 10 && hi[1] == 20);
        assert_true(tu_close(hi[2], 40 * 7 / (40 + 0.86602540378443864676), 1e-12));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_hull_and_minkowski(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx(0);
    TU_PROTECT(ctx) {
        geo g = csg_render(ctx, op(ctx, CSG_HULL, 1, cube(ctx, 1, 1, 1, false, 1),
                                   translate(ctx, 3, 0, 0, cube(ctx, 1, 1, 1, false, 1))));
        assert_true(tu_close(volume_of(g), 4, 1e-12));
        g = csg_render(ctx, op(ctx, CSG_MINKOWSKI, 1, cube(ctx, 1, 1, 1, false, 1),
                               cube(ctx, 2, 2, 2, true, 1)));
        assert_true(tu_close(volume_of(g), 27, 1e-12));
        /* empty operands (OpenSCAD 2021.01): hull() ignores them, 3D minkowski() skips
         * them, 2D minkowski() becomes empty: minkowski() { square(1); square(0); } */
        g = csg_render(ctx, op(ctx, CSG_HULL, 1, node(ctx, CSG_UNION, 1),
                               op(ctx, CSG_UNION, 1, cube(ctx, 1, 1, 1, false, 1),
                                  translate(ctx, 3, 0, 0, cube(ctx, 1, 1, 1, false, 1)))));
        assert_true(tu_close(volume_of(g), 4, 1e-12));
        g = csg_render(ctx, op(ctx, CSG_HULL, 1, sphere(ctx, 0, 10, 1), cube(ctx, 1, 1, 1, false, 1)));
        assert_true(tu_close(volume_of(g), 1, 1e-12));
        g = csg_render(ctx, op(ctx, CSG_MINKOWSKI, 1, node(ctx, CSG_UNION, 1),
                               cube(ctx, 1, 1, 1, false, 1)));
        assert_true(tu_close(volume_of(g), 1, 1e-12));
        g = csg_render(ctx, op(ctx, CSG_MINKOWSKI, 1, cube(ctx, 1, 1, 1, false, 1),
                               sphere(ctx, 0, 10, 1)));
        assert_true(tu_close(volume_of(g), 1, 1e-12));
        g = csg_render(ctx, op(ctx, CSG_MINKOWSKI, 1, square(ctx, 1, 1, 1), square(ctx, 0, 0, 1)));
        assert_true(geo_is_empty(g));
        g = csg_render(ctx, op(ctx, CSG_MINKOWSKI, 1, square(ctx, 1, 1, 1), node(ctx, CSG_UNION, 1)));
        assert_true(geo_is_empty(g));
        g = csg_render(ctx, op(ctx, CSG_HULL, 1, square(ctx, 0, 0, 1), square(ctx, 3, 3, 1)));
        assert_int_equal(g.dim, 2);
        assert_true(tu_close(poly2_area(g.p), 9, 1e-12));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_deep_chain(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx(0);
    TU_PROTECT(ctx) {
        /* a recursive module 100000 translates deep: walked without recursion */
        csg_node *n = cube(ctx, 1, 1, 1, false, 1);
        for (int i = 0; i < 100000; i++) n = translate(ctx, 0.001, 0, 0, n);
        geo g = csg_render(ctx, n);
        double lo[3], hi[3];
        mesh_bbox(g.m, lo, hi);
        assert_true(tu_close(lo[0], 100, 1e-9));
        /* nested multi-child operations are bounded: a clean error, not a crash */
        csg_node *d = cube(ctx, 1, 1, 1, false, 1);
        for (int i = 0; i < 3000; i++) d = op(ctx, CSG_UNION, 1, d, node(ctx, CSG_EMPTY, 1));
        csg_render(ctx, d);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_RECURSION_DEPTH);
    tu_ctx_free(ctx);
}

/* difference() { cube(4, center=true); sphere(r, $fn=16); } with the log of a warning */
static csg_node *model(facet_ctx *ctx, double r) {
    csg_node *d = op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 4, 4, 4, true, 1), sphere(ctx, r, 16, 1));
    return op(ctx, CSG_UNION, 1, d, square(ctx, 1, 1, 9)); /* square: a mixing warning */
}

static void test_cache_hits_across_renders(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx(0);
    double v1 = 0;
    long hits, misses;
    TU_PROTECT(ctx) {
        v1 = volume_of(csg_render(ctx, model(ctx, 1.5)));
        csg_cache_stats(ctx, &hits, &misses);
        assert_int_equal(hits, 0);
        assert_true(misses >= 2); /* the union and the difference */
        assert_int_equal(ctx->nlog, 2);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    next_render(ctx);
    size_t bytes = csg_cache_bytes(ctx);
    assert_true(bytes > 0);
    TU_PROTECT(ctx) {
        /* the same model again: the root is a hit, the warnings come back */
        double v2 = volume_of(csg_render(ctx, model(ctx, 1.5)));
        assert_true(v2 == v1);
        csg_cache_stats(ctx, &hits, &misses);
        assert_int_equal(hits, 1);
        assert_int_equal(misses, 0);
        assert_int_equal(ctx->nlog, 2);
        assert_string_equal(ctx->log[0],
                            "WARNING: Mixing 2D and 3D objects is not supported in file t.scad, line 9");
    }
    next_render(ctx);
    TU_PROTECT(ctx) {
        /* a changed parameter: the root misses; the new difference misses */
        csg_node *m = model(ctx, 1.0);
        double v3 = volume_of(csg_render(ctx, m));
        assert_true(v3 > v1);
        csg_cache_stats(ctx, &hits, &misses);
        assert_int_equal(hits, 0);
        /* a parent of an unchanged subtree: the subtree hits */
        csg_node *d = op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 4, 4, 4, true, 1), sphere(ctx, 1.0, 16, 1));
        csg_node *top = op(ctx, CSG_INTERSECTION, 1, d, cube(ctx, 10, 10, 10, true, 1));
        csg_render(ctx, top);
        csg_cache_stats(ctx, &hits, &misses);
        assert_int_equal(hits, 1);
        assert_int_equal(misses, 1);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    /* the cache's memory goes with the context; clearing it returns it at once */
    size_t used = ctx->mem.used;
    csg_cache_clear(ctx);
    assert_true(ctx->mem.used < used);
    assert_int_equal(csg_cache_count(ctx), 0);
    tu_ctx_free(ctx);
}

static void test_cache_repeated_primitive(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx(0);
    long hits, misses;
    TU_PROTECT(ctx) {
        /* the same sphere at three places: tessellated once, then copied from the cache
         * (its points cost a correctly rounded sine and cosine each) */
        csg_node *s3 = op(ctx, CSG_UNION, 1, translate(ctx, 0, 0, 0, sphere(ctx, 1, 24, 1)),
                          translate(ctx, 5, 0, 0, sphere(ctx, 1, 24, 1)));
        s3 = op(ctx, CSG_UNION, 1, s3, translate(ctx, 10, 0, 0, sphere(ctx, 1, 24, 1)));
        double v = volume_of(csg_render(ctx, s3));
        csg_cache_stats(ctx, &hits, &misses);
        assert_int_equal(hits, 2);
        /* three disjoint copies of one sphere: three times its volume */
        double one = volume_of(csg_render(ctx, sphere(ctx, 1, 24, 1)));
        assert_true(tu_close(v, 3 * one, 1e-12));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_cache_eviction(void **state) {
    (void)state;
    /* room for about two small difference results */
    facet_ctx *ctx = new_ctx(12 * 1024);
    long hits, misses;
    TU_PROTECT(ctx) {
        for (int i = 0; i < 6; i++) {
            csg_node *d = op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 4, 4, 4, true, 1),
                             sphere(ctx, 1 + 0.1 * i, 10, 1));
            csg_render(ctx, d);
            assert_true(csg_cache_bytes(ctx) <= 12 * 1024);
        }
        int count = csg_cache_count(ctx);
        assert_true(count >= 1 && count < 6);
        /* the most recent is still there, the first is gone */
        csg_render(ctx, op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 4, 4, 4, true, 1), sphere(ctx, 1.5, 10, 1)));
        csg_cache_stats(ctx, &hits, &misses);
        assert_int_equal(hits, 1);
        csg_render(ctx, op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 4, 4, 4, true, 1), sphere(ctx, 1.0, 10, 1)));
        csg_cache_stats(ctx, &hits, &misses);
        assert_int_equal(hits, 0);
        assert_int_equal(misses, 2); /* the difference and its sphere, cached and evicted first */
        /* a result larger than the whole limit is not stored */
        csg_node *big = op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 4, 4, 4, true, 1), sphere(ctx, 1.9, 60, 1));
        int before = csg_cache_count(ctx);
        size_t bytes = csg_cache_bytes(ctx);
        csg_render(ctx, big);
        assert_true(csg_cache_count(ctx) == before && csg_cache_bytes(ctx) == bytes);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* An OFF cube of side s as text. */
static void write_off_cube(const char *path, double s) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "OFF\n8 6 0\n");
    for (int i = 0; i < 8; i++) fprintf(f, "%g %g %g\n", (i & 1) * s, ((i >> 1) & 1) * s, ((i >> 2) & 1) * s);
    fprintf(f, "4 0 2 3 1\n4 4 5 7 6\n4 0 1 5 4\n4 2 6 7 3\n4 0 4 6 2\n4 1 3 7 5\n");
    fclose(f);
}

static void test_cache_sees_changed_files(void **state) {
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/facet_test_render_%d.off", (int)getpid());
    facet_ctx *ctx = new_ctx(0);
    for (int round = 0; round < 3; round++) {
        volatile double side = round == 2 ? 3 : 2; /* the file changes before the third render */
        write_off_cube(path, side);
        TU_PROTECT(ctx) {
            csg_node *imp = node(ctx, CSG_IMPORT, 1);
            imp->u.import.path = path;
            imp->u.import.format = "off";
            imp->u.import.scale = 1;
            csg_node *top = op(ctx, CSG_DIFFERENCE, 1, imp, translate(ctx, 1, 1, 1, cube(ctx, 5, 5, 5, false, 1)));
            double v = volume_of(csg_render(ctx, top));
            assert_true(tu_close(v, side * side * side - (side - 1) * (side - 1) * (side - 1), 1e-9));
            long hits, misses;
            csg_cache_stats(ctx, &hits, &misses);
            assert_int_equal(hits, round == 1 ? 1 : 0);
        }
        assert_int_equal(ctx->err.kind, FACET_ERR_OK);
        next_render(ctx);
    }
    remove(path);
    tu_ctx_free(ctx);
}

static void test_cache_survives_memory_limit(void **state) {
    (void)state;
    facet_options opt = {0};
    opt.memory_limit = 24 << 20;
    facet_ctx *ctx = tu_ctx_opts(opt);
    fc_file_add(ctx, "/tmp/t.scad", "t.scad");
    double v1 = 0;
    TU_PROTECT(ctx) { v1 = volume_of(csg_render(ctx, model(ctx, 1.5))); }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    next_render(ctx);
    TU_PROTECT(ctx) {
        /* a difference too big for the cap: the render fails */
        csg_render(ctx, op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 4, 4, 4, true, 1), sphere(ctx, 1.9, 3000, 1)));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_MEMORY_LIMIT);
    next_render(ctx);
    TU_PROTECT(ctx) {
        double v2 = volume_of(csg_render(ctx, model(ctx, 1.5)));
        assert_true(v2 == v1);
        long hits, misses;
        csg_cache_stats(ctx, &hits, &misses);
        assert_int_equal(hits, 1);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Nested unions reach the kernel as one flat list (KERNEL.md §9); the results, warnings
 * and empties are those of the nested evaluation (OpenSCAD 2021.01 gives the same volumes
 * and the same two warnings for these trees written as .scad). */
static void test_flattened_unions(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx(0);
    TU_PROTECT(ctx) {
        /* union() { cube(1); union() { translate([2,0,0]) cube(1);
         *   union() { translate([4,0,0]) cube(1); translate([4.5,0,0]) cube(1); } } } */
        csg_node *inner = op(ctx, CSG_UNION, 1, translate(ctx, 4, 0, 0, cube(ctx, 1, 1, 1, false, 1)),
                             translate(ctx, 4.5, 0, 0, cube(ctx, 1, 1, 1, false, 1)));
        csg_node *mid = op(ctx, CSG_UNION, 1, translate(ctx, 2, 0, 0, cube(ctx, 1, 1, 1, false, 1)),
                           inner);
        geo g = csg_render(ctx, op(ctx, CSG_UNION, 1, cube(ctx, 1, 1, 1, false, 1), mid));
        assert_true(tu_close(volume_of(g), 3.5, 1e-12));
        assert_true(tu_close(mesh_area(g.m), 6 + 6 + 8, 1e-12));
        assert_true(mesh_is_manifold(ctx, g.m));
        /* (a - b) - c = a - (b u c): cube(4) minus two unit corners */
        csg_node *ab = op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 4, 4, 4, false, 1),
                          translate(ctx, -1, -1, -1, cube(ctx, 2, 2, 2, false, 1)));
        g = csg_render(ctx, op(ctx, CSG_DIFFERENCE, 1, ab,
                               translate(ctx, 3, 3, 3, cube(ctx, 2, 2, 2, false, 1))));
        assert_true(tu_close(volume_of(g), 62, 1e-12));
        assert_true(tu_close(mesh_area(g.m), 96, 1e-12));
        /* later operands of a difference flattened: difference() { cube(4);
         * union() { cube(1); union() { translate([3,3,3]) cube(1); } } } */
        csg_node *sub = op(ctx, CSG_UNION, 1, cube(ctx, 1, 1, 1, false, 1),
                           op(ctx, CSG_UNION, 1, translate(ctx, 3, 3, 3, cube(ctx, 1, 1, 1, false, 1)), NULL));
        g = csg_render(ctx, op(ctx, CSG_DIFFERENCE, 1, cube(ctx, 4, 4, 4, false, 1), sub));
        assert_true(tu_close(volume_of(g), 62, 1e-12));
        /* difference() { difference() { sphere(0); cube(1); } cube(1); } is empty */
        g = csg_render(ctx, op(ctx, CSG_DIFFERENCE, 1,
                               op(ctx, CSG_DIFFERENCE, 1, sphere(ctx, 0, 10, 1),
                                  cube(ctx, 1, 1, 1, false, 1)),
                               cube(ctx, 1, 1, 1, false, 1)));
        assert_int_equal(g.dim, 3);
        assert_int_equal(g.m->nt, 0);
        assert_int_equal(ctx->nlog, 0);
        /* union() { cube(1); union() { square(2); square(3); } }  (line 3): the nested
         * union is one 2D object, so one warning of each kind, at its line */
        g = csg_render(ctx, op(ctx, CSG_UNION, 1, cube(ctx, 1, 1, 1, false, 2),
                               op(ctx, CSG_UNION, 3, square(ctx, 2, 2, 4), square(ctx, 3, 3, 5))));
        assert_true(tu_close(volume_of(g), 1, 1e-12));
        assert_int_equal(ctx->nlog, 2);
        assert_string_equal(ctx->log[0],
                            "WARNING: Mixing 2D and 3D objects is not supported in file t.scad, line 3");
        assert_string_equal(ctx->log[1], "WARNING: Ignoring 2D child object for 3D operation in "
                                         "file t.scad, line 3");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_flattened_unions),
        cmocka_unit_test(test_empty_and_missing_children),
        cmocka_unit_test(test_if_without_branch_is_no_operand),
        cmocka_unit_test(test_mixed_dimensions),
        cmocka_unit_test(test_transform_color_resize),
        cmocka_unit_test(test_hull_and_minkowski),
        cmocka_unit_test(test_deep_chain),
        cmocka_unit_test(test_cache_hits_across_renders),
        cmocka_unit_test(test_cache_repeated_primitive),
        cmocka_unit_test(test_cache_eviction),
        cmocka_unit_test(test_cache_sees_changed_files),
        cmocka_unit_test(test_cache_survives_memory_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
