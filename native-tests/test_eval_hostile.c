/*
 * test_eval_hostile.c — hostile programs end in bounded time with a located diagnostic,
 * leak nothing (ASan), and leave the context able to evaluate the next model.
 */
#include <math.h>
#include <time.h>

#include "testutil.h"

#include "core/sbuf.h"
#include "eval/eval.h"
#include "lang/parse.h"

static void reset(facet_ctx *ctx) {
    fc_pool_free_all(ctx, FC_POOL_RENDER);
    ctx->mem.pool = FC_POOL_RENDER;
    fc_log_clear(ctx);
    ctx->files = NULL;
    ctx->nfiles = ctx->capfiles = 0;
    ctx->steps = 0;
    ctx->progress_countdown = 4096;
    ctx->eval = NULL;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Evaluates src; returns the error kind and checks the time bound. */
static facet_error_kind run(facet_ctx *ctx, const char *src, double max_seconds) {
    reset(ctx);
    double t0 = now_s();
    TU_PROTECT(ctx) {
        int f = fc_file_add(ctx, "h.scad", "h.scad");
        ast_program *p = parse_program(ctx, f, src, strlen(src));
        eval_program(ctx, p, NULL, 0);
    }
    double dt = now_s() - t0;
    if (dt > max_seconds) fail_msg("took %.1f s (bound %.0f s): %s", dt, max_seconds, src);
    return ctx->err.kind;
}

static bool logged(facet_ctx *ctx, const char *text) {
    for (int i = 0; i < ctx->nlog; i++)
        if (strstr(ctx->log[i], text)) return true;
    return false;
}

/* The context still evaluates an ordinary model afterwards. */
static void still_works(facet_ctx *ctx) {
    assert_int_equal(run(ctx, "a = 1 + 1; echo(a); cube(a);", 10), FACET_ERR_OK);
    assert_true(logged(ctx, "ECHO: 2"));
}

/* Under valgrind (FACET_SLOW_SKIP) the long-running cases are skipped. */
static bool slow_skip(void) { return getenv("FACET_SLOW_SKIP") != NULL; }

static facet_ctx *ctx_with_memory(size_t limit) {
    facet_options opt;
    memset(&opt, 0, sizeof opt);
    opt.memory_limit = limit;
    return tu_ctx_opts(opt);
}

static void test_infinite_function_recursion(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    assert_int_equal(run(ctx, "function f(x) = 1 + f(x + 1);\necho(f(0));", 60), FACET_ERR_RECURSION_DEPTH);
    assert_string_equal(ctx->err.file, "h.scad");
    assert_int_equal(ctx->err.line, 1);
    assert_string_equal(ctx->err.message, "Recursion detected calling function 'f' in file h.scad, line 1");
    /* mutual recursion through a closure */
    assert_int_equal(run(ctx, "g = function(x) [h(x)];\nfunction h(x) = g(x)[0] + 1;\necho(h(1));", 60),
                     FACET_ERR_RECURSION_DEPTH);
    assert_true(ctx->err.line > 0);
    still_works(ctx);
    tu_ctx_free(ctx);
}

static void test_infinite_tail_recursion(void **state) {
    (void)state;
    if (slow_skip()) skip();
    facet_ctx *ctx = tu_ctx();
    assert_int_equal(run(ctx, "function t(x) = x < 0 ? 0 : t(x + 1);\necho(t(0));", 120),
                     FACET_ERR_RECURSION_DEPTH);
    assert_int_equal(ctx->err.line, 1);
    still_works(ctx);
    tu_ctx_free(ctx);
}

static void test_infinite_module_recursion(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    assert_int_equal(run(ctx, "module m(n) { cube(n); m(n + 1); }\nm(0);", 60), FACET_ERR_RECURSION_DEPTH);
    assert_string_equal(ctx->err.message, "Recursion detected calling module 'm' in file h.scad, line 1");
    assert_non_null(strstr(ctx->err.trace, "called by 'm'"));
    /* recursion through children() */
    assert_int_equal(run(ctx, "module w() w() children();\nw() cube();", 60), FACET_ERR_RECURSION_DEPTH);
    still_works(ctx);
    tu_ctx_free(ctx);
}

static void test_huge_for_range_is_skipped(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    assert_int_equal(run(ctx, "for (i = [0:1e12]) cube(i);\nfor (j = [0:1:1/0]) cube(j);", 10), FACET_ERR_OK);
    assert_true(logged(ctx, "WARNING: Bad range parameter in for statement: too many elements (4294967295) "
                            "in file h.scad, line 1"));
    assert_true(logged(ctx, "in file h.scad, line 2"));
    still_works(ctx);
    tu_ctx_free(ctx);
}

static void test_huge_list_hits_a_limit(void **state) {
    (void)state;
    if (slow_skip()) skip();
    facet_ctx *ctx = ctx_with_memory((size_t)96 << 20);
    /* (a single range of a million elements or more is refused with a warning, as in
     * OpenSCAD, so the 1e8 elements come from nested loops) */
    facet_error_kind k = run(ctx, "x = [for (i = [0:9999]) for (j = [0:9999]) i];\necho(len(x));", 120);
    assert_true(k == FACET_ERR_MEMORY_LIMIT || k == FACET_ERR_STEP_LIMIT);
    still_works(ctx);
    /* a step limit stops a long but small loop */
    facet_options opt;
    memset(&opt, 0, sizeof opt);
    opt.step_limit = 200000;
    facet_ctx *c2 = tu_ctx_opts(opt);
    assert_int_equal(run(c2, "echo(len([for (i = [0:999]) for (j = [0:999]) i]));", 60), FACET_ERR_STEP_LIMIT);
    assert_int_equal(run(c2, "echo(len([for (i = [0:10]) i]));", 10), FACET_ERR_OK);
    tu_ctx_free(c2);
    tu_ctx_free(ctx);
}

static void test_doubling_string(void **state) {
    (void)state;
    facet_ctx *ctx = ctx_with_memory((size_t)64 << 20);
    assert_int_equal(run(ctx, "function d(s, n) = n == 0 ? s : d(str(s, s), n - 1);\necho(len(d(\"ab\", 64)));", 60),
                     FACET_ERR_MEMORY_LIMIT);
    still_works(ctx);
    /* the same with a vector that doubles */
    assert_int_equal(run(ctx, "function v(x, n) = n == 0 ? x : v(concat(x, x), n - 1);\necho(len(v([1], 64)));", 60),
                     FACET_ERR_MEMORY_LIMIT);
    still_works(ctx);
    tu_ctx_free(ctx);
}

static void test_nan_and_inf_sizes(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    const char *src = "cube(0/0);\ncube([1, 1/0, 1]);\nsphere(1/0);\ncylinder(h = 0/0, r = 1);\n"
                      "circle(-1/0);\nsquare(0/0);\ntranslate([0/0, 0, 0]) cube();\nrotate(1/0) cube();\n"
                      "sphere(1, $fn = 1/0);\nsphere(1, $fn = 1e300);\nlinear_extrude(0/0) square();\n";
    assert_int_equal(run(ctx, src, 10), FACET_ERR_OK);
    assert_true(logged(ctx, "in file h.scad, line 1"));
    assert_true(logged(ctx, "in file h.scad, line 3"));
    assert_true(logged(ctx, "WARNING: Problem converting rotate(a=inf) parameter in file h.scad, line 8"));
    still_works(ctx);
    tu_ctx_free(ctx);
}

static void test_deep_nesting(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    /* a deeply nested vector value, built by a loop and echoed */
    assert_int_equal(run(ctx, "function nest(v, n) = n == 0 ? v : nest([v], n - 1);\nx = nest(1, 2000);\necho(len(x));", 60),
                     FACET_ERR_OK);
    assert_true(logged(ctx, "ECHO: 1"));
    /* operators on a value nested deeper than the C stack allows end in an error */
    const char *ops[] = {"y = -x;", "y = x + x;", "y = x * 2;", "y = x < x;"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        char src[256];
        snprintf(src, sizeof src, "function nest(v, n) = n == 0 ? v : nest([v], n - 1);\nx = nest(1, 300000);\n%s", ops[i]);
        assert_int_equal(run(ctx, src, 60), FACET_ERR_RECURSION_DEPTH);
        assert_int_equal(ctx->err.line, 3);
    }
    /* a C-style for loop that never ends */
    assert_int_equal(run(ctx, "x = [for (i = 0; true; i = i + 1) i];", 60), FACET_ERR_EVAL);
    assert_int_equal(ctx->err.line, 1);
    still_works(ctx);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_infinite_function_recursion),
        cmocka_unit_test(test_infinite_tail_recursion),
        cmocka_unit_test(test_infinite_module_recursion),
        cmocka_unit_test(test_huge_for_range_is_skipped),
        cmocka_unit_test(test_huge_list_hits_a_limit),
        cmocka_unit_test(test_doubling_string),
        cmocka_unit_test(test_nan_and_inf_sizes),
        cmocka_unit_test(test_deep_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
