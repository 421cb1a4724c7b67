/*
 * test_core.c — the context: allocator cap and pools, error frames, log, interning, paths,
 * degree trigonometry, fragment counts.
 */
#include <float.h>
#include <math.h>

#include "testutil.h"

#include "core/crmath.h"
#include "core/degtrig.h"
#include "core/intern.h"
#include "core/resolve.h"
#include "core/sbuf.h"
#include "geom/fragments.h"

static void test_alloc_cap_throws_memory_limit(void **state) {
    (void)state;
    facet_options opt = {0};
    opt.memory_limit = 1 << 20;
    facet_ctx *ctx = tu_ctx_opts(opt);
    void *volatile small = NULL;
    TU_PROTECT(ctx) {
        small = fc_alloc(ctx, 1000);
        fc_alloc(ctx, 2 << 20); /* over the cap */
        fail_msg("allocation past the cap returned");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_MEMORY_LIMIT);
    assert_non_null(small);
    /* the context is still usable after the error */
    TU_PROTECT(ctx) {
        char *p = fc_alloc(ctx, 100);
        p = fc_realloc(ctx, p, 500000);
        fc_free(ctx, p);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_pools_free_everything(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    size_t before = ctx->mem.used;
    TU_PROTECT(ctx) {
        for (int i = 0; i < 100; i++) fc_alloc(ctx, 64);
        void *kept = fc_alloc(ctx, 128);
        fc_keep(ctx, kept);
    }
    fc_pool_free_all(ctx, FC_POOL_RENDER);
    assert_true(ctx->mem.used > before);
    fc_pool_free_all(ctx, FC_POOL_KEEP);
    assert_int_equal(ctx->mem.used, before);
    tu_ctx_free(ctx);
}

static void test_overflowing_calloc_is_an_error(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) { fc_calloc(ctx, SIZE_MAX / 2, 4); }
    assert_int_equal(ctx->err.kind, FACET_ERR_MEMORY_LIMIT);
    tu_ctx_free(ctx);
}

static void test_throw_carries_location(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        int f = fc_file_add(ctx, "/tmp/dir/box.scad", "box.scad");
        fc_throw(ctx, FACET_ERR_EVAL, (fc_loc){f, 7, 3}, "Assertion '%s' failed", "false");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_EVAL);
    assert_string_equal(ctx->err.message, "Assertion 'false' failed");
    assert_string_equal(ctx->err.file, "box.scad");
    assert_int_equal(ctx->err.line, 7);
    assert_int_equal(ctx->err.column, 3);
    assert_string_equal(facet_error_name(FACET_ERR_MEMORY_LIMIT), "memory_limit");
    tu_ctx_free(ctx);
}

static void test_log_lines_have_openscad_format(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        int f = fc_file_add(ctx, "a/b.scad", "b.scad");
        fc_log(ctx, FACET_LOG_ECHO, "%d", 1);
        fc_log_at(ctx, FACET_LOG_WARNING, (fc_loc){f, 12, 1}, "Ignoring unknown variable \"%s\"",
                  "x");
    }
    assert_int_equal(ctx->nlog, 2);
    assert_string_equal(ctx->log[0], "ECHO: 1");
    assert_string_equal(ctx->log[1],
                        "WARNING: Ignoring unknown variable \"x\" in file b.scad, line 12");
    tu_ctx_free(ctx);
}

static void test_intern_gives_unique_pointers(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        const char *a = fc_intern(ctx, "hello world", 5);
        const char *b = fc_intern_cstr(ctx, "hello");
        const char *c = fc_intern_cstr(ctx, "hellp");
        assert_ptr_equal(a, b);
        assert_ptr_not_equal(a, c);
        /* many names force rehashing; old pointers stay valid */
        char name[32];
        for (int i = 0; i < 5000; i++) {
            snprintf(name, sizeof name, "n%d", i);
            fc_intern_cstr(ctx, name);
        }
        assert_ptr_equal(fc_intern_cstr(ctx, "hello"), a);
        assert_string_equal(a, "hello");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_path_join_normalises(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        assert_string_equal(fc_path_join(ctx, "a/b", "../c.scad"), "a/c.scad");
        assert_string_equal(fc_path_join(ctx, "a/b", "./c.scad"), "a/b/c.scad");
        assert_string_equal(fc_path_join(ctx, "", "../x.scad"), "../x.scad");
        assert_string_equal(fc_path_join(ctx, "/r", "/abs.scad"), "/abs.scad");
        assert_string_equal(fc_path_join(ctx, "../../a", "../b"), "../../b");
        assert_string_equal(fc_dirname(ctx, "x/y/z.scad"), "x/y");
        assert_string_equal(fc_dirname(ctx, "z.scad"), "");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_sbuf_json(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        sbuf b;
        sb_init(&b, ctx);
        sb_json_str(&b, "a\"b\n\x01", 5);
        sb_putc(&b, ' ');
        sb_json_num(&b, 0.1);
        sb_putc(&b, ' ');
        sb_json_num(&b, NAN);
        assert_string_equal(b.data, "\"a\\\"b\\n\\u0001\" 0.1 null");
        sb_free(&b);
    }
    tu_ctx_free(ctx);
}

static void test_degree_trig_exact_values(void **state) {
    (void)state;
    assert_true(fc_sin_deg(30) == 0.5);
    assert_true(fc_sin_deg(150) == 0.5);
    assert_true(fc_sin_deg(210) == -0.5);
    assert_true(fc_sin_deg(-30) == -0.5);
    assert_true(fc_sin_deg(90) == 1.0);
    assert_true(fc_sin_deg(180) == 0.0);
    assert_true(fc_sin_deg(360) == 0.0);
    assert_true(fc_cos_deg(60) == 0.5);
    assert_true(fc_cos_deg(90) == 0.0);
    assert_true(fc_cos_deg(180) == -1.0);
    assert_true(fc_cos_deg(270) == 0.0);
    assert_true(fc_sin_deg(45) == sqrt(0.5));
    /* signed zeros as OpenSCAD's cos_degrees gives them */
    assert_true(!signbit(fc_cos_deg(90)) && signbit(fc_cos_deg(270)));
    assert_true(fc_cos_deg(-60) == 0.5 && fc_cos_deg(120) == -0.5 && fc_cos_deg(300) == 0.5);
    /* below 45 degrees the cosine is cos(rad(x)), above it sin(rad(90 - x)) */
    assert_true(fc_cos_deg(10) == fc_cos(10 * 3.14159265358979323846 / 180));
    assert_true(fc_cos_deg(80) == fc_sin(10 * 3.14159265358979323846 / 180));
    assert_true(isnan(fc_sin_deg(INFINITY)));
    assert_true(fabs(fc_sin_deg(10) - sin(10 * 3.14159265358979323846 / 180)) < 1e-15);
}

/* Distance in units in the last place between two finite doubles of the same sign. */
static double ulps(double a, double b) {
    if (a == b) return 0;
    return fabs(a - b) / fabs(nextafter(a, b) - a);
}

/* fc_sin/fc_cos are correctly rounded: within half an ulp of the x87 long-double result
 * (11 more bits) where long double is wider than double, and within one ulp of libm. */
static void test_crmath_sin_cos(void **state) {
    (void)state;
    assert_true(fc_sin(0.0) == 0.0 && !signbit(fc_sin(0.0)) && signbit(fc_sin(-0.0)));
    assert_true(fc_cos(0.0) == 1.0);
    assert_true(isnan(fc_sin(NAN)) && isnan(fc_sin(INFINITY)) && isnan(fc_cos(-INFINITY)));
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    /* long double must really be wider at run time: valgrind computes x87 arithmetic in
     * 64-bit doubles, and then sinl is no reference */
    volatile long double one = 1, tiny = LDBL_EPSILON;
    int wide = sizeof(long double) > sizeof(double) && one + tiny != one;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        double x = ((double)(seed >> 11) / 9007199254740992.0 - 0.5) * 16.0;
        double s = fc_sin(x), c = fc_cos(x);
        assert_true(ulps(s, sin(x)) <= 1.0);
        assert_true(ulps(c, cos(x)) <= 1.0);
        if (wide) {
            /* long double (x87, 64-bit mantissa) has 11 extra bits: a correctly rounded
             * double lies within half an ulp (plus the long double's own error) */
            long double ls = sinl((long double)x), lc = cosl((long double)x);
            double us = fabs(nextafter(s, 2 * s) - s), uc = fabs(nextafter(c, 2 * c) - c);
            assert_true(fabsl((long double)s - ls) <= 0.5L * us * (1 + 1.0L / 512));
            assert_true(fabsl((long double)c - lc) <= 0.5L * uc * (1 + 1.0L / 512));
        }
    }
}

static void test_fragments_rule(void **state) {
    (void)state;
    /* defaults $fn=0 $fa=12 $fs=2 */
    assert_int_equal(geom_fragments(1, 0, 12, 2), 5);
    assert_int_equal(geom_fragments(10, 0, 12, 2), 30);
    assert_int_equal(geom_fragments(5, 0, 12, 2), 16);
    assert_int_equal(geom_fragments(10, 7.9, 12, 2), 7);
    assert_int_equal(geom_fragments(10, 2, 12, 2), 3);
    assert_int_equal(geom_fragments(1e-9, 100, 12, 2), 3);
    assert_int_equal(geom_fragments(10, 1e9, 12, 2), GEOM_MAX_FRAGMENTS);
    assert_int_equal(geom_fragments(10, NAN, 12, 2), 3);
    /* both clamped to 0.01: min(36000, 2*pi*10/0.01 = 6283.19) rounds up */
    assert_int_equal(geom_fragments(10, 0, 0, 0), 6284);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_cap_throws_memory_limit),
        cmocka_unit_test(test_pools_free_everything),
        cmocka_unit_test(test_overflowing_calloc_is_an_error),
        cmocka_unit_test(test_throw_carries_location),
        cmocka_unit_test(test_log_lines_have_openscad_format),
        cmocka_unit_test(test_intern_gives_unique_pointers),
        cmocka_unit_test(test_path_join_normalises),
        cmocka_unit_test(test_sbuf_json),
        cmocka_unit_test(test_degree_trig_exact_values),
        cmocka_unit_test(test_crmath_sin_cos),
        cmocka_unit_test(test_fragments_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
