/*
 * test_eval.c — the evaluator: scoping, $ variables, children, parent_module, recursion,
 * operators, list comprehensions, built-in modules to CSG nodes, -D overrides, use<>,
 * csg_hash. Expected values are OpenSCAD's documented behaviour (the echo lines are what
 * OpenSCAD prints for the same source) or analytic.
 */
#include <math.h>

#include "testutil.h"

#include "core/intern.h"
#include "core/sbuf.h"
#include "eval/eval.h"
#include "geom/text_font.h"
#include "lang/parse.h"

/* A tiny virtual file system for use<>/include<> tests. */
static const char *const vfs[][2] = {
    {"lib.scad", "function twice(x) = 2 * x;\nmodule box() cube(3);\nlibvar = 7;\necho(\"never\");\n"
                 "function uses_libvar() = libvar;\n"},
};

static int vfs_read(void *user, const char *path, const char **data, size_t *len) {
    (void)user;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < sizeof vfs / sizeof vfs[0]; i++)
        if (strcmp(vfs[i][0], base) == 0) {
            *data = vfs[i][1];
            *len = strlen(vfs[i][1]);
            return 0;
        }
    return -1;
}

static facet_ctx *new_ctx(void) {
    facet_options opt;
    memset(&opt, 0, sizeof opt);
    opt.read_file = vfs_read;
    return tu_ctx_opts(opt);
}

/* What facet_render does before evaluating: a fresh render pool, log and file table. */
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

static csg_node *ev_ov(facet_ctx *ctx, const char *src, const char *ovname, const char *ovexpr) {
    reset(ctx);
    csg_node *volatile root = NULL;
    TU_PROTECT(ctx) {
        int f = fc_file_add(ctx, "t.scad", "t.scad");
        ast_program *p = parse_program(ctx, f, src, strlen(src));
        eval_override ov;
        int nov = 0;
        if (ovname) {
            ov.name = fc_intern_cstr(ctx, ovname);
            ov.expr = parse_expression(ctx, fc_file_add(ctx, "<-D>", "<-D>"), ovexpr, strlen(ovexpr));
            nov = 1;
        }
        root = eval_program(ctx, p, &ov, nov);
    }
    return root;
}

static csg_node *ev(facet_ctx *ctx, const char *src) { return ev_ov(ctx, src, NULL, NULL); }

/* The log lines starting with `prefix`, joined with newlines. */
static const char *lines(facet_ctx *ctx, const char *prefix) {
    sbuf b;
    sb_init(&b, ctx);
    sb_puts(&b, "");
    size_t n = strlen(prefix);
    for (int i = 0; i < ctx->nlog; i++)
        if (strncmp(ctx->log[i], prefix, n) == 0) {
            if (b.len) sb_putc(&b, '\n');
            sb_puts(&b, ctx->log[i]);
        }
    return b.data;
}

static const char *echo_of(facet_ctx *ctx, const char *src) {
    ev(ctx, src);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    return lines(ctx, "ECHO:");
}

#define ECHO_EQ(ctx, src, want) assert_string_equal(echo_of((ctx), (src)), (want))

/* ------------------------------------------------------------------ scoping */

static void test_assignments_run_before_instantiations(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ECHO_EQ(ctx, "echo(a); a = 5;", "ECHO: 5");
    /* a name assigned twice: the last value at the first position, with OpenSCAD's warning */
    ECHO_EQ(ctx, "a = 1; b = a; a = 2; echo(a, b);", "ECHO: 2, 2");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: \"a\" was assigned on line 1 but was overwritten in file t.scad, line 1");
    tu_ctx_free(ctx);
}

static void test_lexical_scopes(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ECHO_EQ(ctx, "a = 4; union() { a = 5; echo(a); } echo(a);", "ECHO: 5\nECHO: 4");
    ECHO_EQ(ctx, "module m(b = 6) { b = 7; echo(b); } m(); m(8);", "ECHO: 7\nECHO: 7");
    ECHO_EQ(ctx, "x = 1; function f() = x; module m() { x = 2; echo(f()); } m();", "ECHO: 1");
    ECHO_EQ(ctx, "function f(a, b = a * 2) = a + b; echo(f(1), f(1, 5), f(b = 1, a = 3));",
            "ECHO: 3, 6, 4");
    /* nested definitions are local to their module */
    ECHO_EQ(ctx, "module outer() { function g() = 3; module inner() echo(g()); inner(); } outer();",
            "ECHO: 3");
    ev(ctx, "module outer() { module inner() echo(1); } inner();");
    assert_string_equal(lines(ctx, "WARNING:"), "WARNING: Ignoring unknown module 'inner' in file t.scad, line 1");
    ev(ctx, "echo(nope(1), zz);");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Ignoring unknown function 'nope' in file t.scad, line 1\n"
                        "WARNING: Ignoring unknown variable \"zz\" in file t.scad, line 1");
    tu_ctx_free(ctx);
}

static void test_function_literals_and_closures(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ECHO_EQ(ctx, "k = 10; add = function(x) x + k; echo(add(1));", "ECHO: 11");
    ECHO_EQ(ctx, "function make(n) = function(x) x * n; t = make(3); echo(t(4), make(2)(5));",
            "ECHO: 12, 10");
    ECHO_EQ(ctx, "fs = [function(x) x + 1, function(x) x * 10]; echo([for (f = fs) f(2)]);", "ECHO: [3, 20]");
    /* a variable holding a function is found before an outer function of the same name */
    ECHO_EQ(ctx, "function f() = 1; module m() { f = function() 2; echo(f()); } m();", "ECHO: 2");
    tu_ctx_free(ctx);
}

static void test_special_variables_are_dynamic(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ECHO_EQ(ctx, "module show() echo($x); module setx() { $x = 3; show(); } $x = 1; setx(); show();",
            "ECHO: 3\nECHO: 1");
    ECHO_EQ(ctx, "function g() = $v; module m() echo(g()); m($v = 9);", "ECHO: 9");
    ECHO_EQ(ctx, "module c() children(); c($q = 4) echo($q);", "ECHO: 4");
    ECHO_EQ(ctx, "echo($fn, $fa, $fs);", "ECHO: 0, 12, 2");
    /* $preview is facet_options.preview: false by default (OpenSCAD's mesh export), true
     * when the host asks (OpenSCAD's preview and echo export) */
    ECHO_EQ(ctx, "echo($preview);", "ECHO: false");
    tu_ctx_free(ctx);
    facet_options opt;
    memset(&opt, 0, sizeof opt);
    opt.preview = 1;
    ctx = tu_ctx_opts(opt);
    ECHO_EQ(ctx, "echo($preview);", "ECHO: true");
    tu_ctx_free(ctx);
}

static void test_children_and_parent_module(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    const char *m = "module m() { echo($children); children(1); children([2, 0]); children([0:1]); }\n"
                    "m() { echo(\"a\"); echo(\"b\"); echo(\"c\"); }";
    ECHO_EQ(ctx, m, "ECHO: 3\nECHO: \"b\"\nECHO: \"c\"\nECHO: \"a\"\nECHO: \"a\"\nECHO: \"b\"");
    ev(ctx, "module m() children(5); m() cube();");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Children index (5) out of bounds (1 children) in file t.scad, line 1");
    /* children's assignments are evaluated in the instantiation's scope */
    ECHO_EQ(ctx, "module m(b = 1) { b = 2; children(0); } m() { b = 3; echo(b); }", "ECHO: 3");
    ECHO_EQ(ctx,
            "module p() echo(parent_module(0), parent_module(1), $parent_modules);\n"
            "module q() p(); q();",
            "ECHO: \"p\", \"q\", 2");
    tu_ctx_free(ctx);
}

/* ------------------------------------------------------------------ recursion */

static void test_deep_tail_recursion_does_not_grow_the_stack(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    if (getenv("FACET_SLOW_SKIP")) {
        /* valgrind: a shorter run of the same loop */
        ECHO_EQ(ctx, "function s(n, acc = 0) = n == 0 ? acc : s(n - 1, acc + n); echo(s(20000));",
                "ECHO: 2.0001e+8");
        tu_ctx_free(ctx);
        return;
    }
    ECHO_EQ(ctx, "function s(n, acc = 0) = n == 0 ? acc : s(n - 1, acc + n); echo(s(1000000));",
            "ECHO: 5.00001e+11");
    /* tail positions through let/echo-free assert and a closure */
    ECHO_EQ(ctx, "f = function(n) let(m = n - 1) assert(m >= -1) n <= 0 ? \"done\" : f(m); echo(f(999999));",
            "ECHO: \"done\"");
    tu_ctx_free(ctx);
}

static void test_recursion_limits(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ev(ctx, "function f(n) = 1 + f(n + 1);\na = f(0);");
    assert_int_equal(ctx->err.kind, FACET_ERR_RECURSION_DEPTH);
    assert_string_equal(ctx->err.message, "Recursion detected calling function 'f' in file t.scad, line 1");
    assert_non_null(strstr(ctx->err.trace, "assignment to \"a\" in file t.scad, line 2"));
    ev(ctx, "module m() m();\nm();");
    assert_int_equal(ctx->err.kind, FACET_ERR_RECURSION_DEPTH);
    assert_string_equal(ctx->err.message, "Recursion detected calling module 'm' in file t.scad, line 1");
    /* more than a million tail steps is OpenSCAD's recursion error too */
    if (!getenv("FACET_SLOW_SKIP")) {
        ev(ctx, "function t(n) = t(n + 1); echo(t(0));");
        assert_int_equal(ctx->err.kind, FACET_ERR_RECURSION_DEPTH);
    }
    /* a lower configured limit applies to non-tail recursion */
    facet_options opt;
    memset(&opt, 0, sizeof opt);
    opt.recursion_limit = 50;
    facet_ctx *c2 = tu_ctx_opts(opt);
    ev(c2, "function f(n) = n == 0 ? 0 : 1 + f(n - 1); echo(f(40));");
    assert_int_equal(c2->err.kind, FACET_ERR_OK);
    ev(c2, "function f(n) = n == 0 ? 0 : 1 + f(n - 1); echo(f(60));");
    assert_int_equal(c2->err.kind, FACET_ERR_RECURSION_DEPTH);
    tu_ctx_free(c2);
    tu_ctx_free(ctx);
}

/* ------------------------------------------------------------------ operators */

static void test_arithmetic(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ECHO_EQ(ctx, "echo(1 + 2 * 3, 7 % 3, -7 % 3, 2 ^ 10, 1 / 0, -1 / 0);", "ECHO: 7, 1, -1, 1024, inf, -inf");
    ECHO_EQ(ctx, "echo([1, 2, 3] + [10, 20], [1, 2] - [1, 1], -[1, [2]]);", "ECHO: [11, 22], [0, 1], [-1, [-2]]");
    ECHO_EQ(ctx, "echo([1, 2] * 3, 2 * [1, [2, 3]], [2, 4] / 2, 8 / [2, 4]);",
            "ECHO: [3, 6], [2, [4, 6]], [1, 2], [4, 2]");
    ECHO_EQ(ctx, "echo([1, 2, 3] * [4, 5, 6]);", "ECHO: 32");
    ECHO_EQ(ctx, "m = [[1, 2], [3, 4]]; echo(m * [1, 1], [1, 1] * m, m * m);",
            "ECHO: [3, 7], [4, 6], [[7, 10], [15, 22]]");
    ECHO_EQ(ctx, "echo([1, 2] * [1, 2, 3]);", "ECHO: undef");
    ECHO_EQ(ctx, "echo(12 & 5, 12 | 5, 2 << 3, 16 >> 2, ~5, 1.6 | 0);", "ECHO: 4, 13, 16, 4, -6, 1");
    ECHO_EQ(ctx, "x = 0/0; echo(x == x, x != x);", "ECHO: false, true");
    tu_ctx_free(ctx);
}

static void test_comparisons_and_logic(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ECHO_EQ(ctx, "echo(1 < 2, \"a\" < \"b\", [1, 2] < [1, 3], true > false);", "ECHO: true, true, true, true");
    ECHO_EQ(ctx, "echo(1 < \"a\");", "ECHO: undef");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: undefined operation (number < string) in file t.scad, line 1");
    ECHO_EQ(ctx, "function loud() = echo(\"evaluated\") true; echo(false && loud(), true || loud());",
            "ECHO: false, true");
    ECHO_EQ(ctx, "echo(1 ? \"y\" : \"n\", [] ? 1 : 2, \"\" ? 1 : 2);", "ECHO: \"y\", 2, 2");
    tu_ctx_free(ctx);
}

static void test_indexing_and_members(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ECHO_EQ(ctx, "v = [10, 20, 30, 40]; echo(v[1], v[1.7], v[9], v[-1], v.y, v.wx, v.ba, v.xr);",
            "ECHO: 20, 20, undef, undef, 20, [40, 10], [30, 40], undef");
    ECHO_EQ(ctx, "s = \"h\\u00e9llo\"; echo(s[1], s[4], len(s));", "ECHO: \"\xc3\xa9\", \"o\", 5");
    tu_ctx_free(ctx);
}

static void test_ranges_and_for(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ECHO_EQ(ctx, "for (i = [0:2:5]) echo(i);", "ECHO: 0\nECHO: 2\nECHO: 4");
    ECHO_EQ(ctx, "for (i = [1, 2], j = [i:2]) echo(i, j);", "ECHO: 1, 1\nECHO: 1, 2\nECHO: 2, 2");
    ECHO_EQ(ctx, "for (c = \"ab\") echo(c);", "ECHO: \"a\"\nECHO: \"b\"");
    ECHO_EQ(ctx, "for (i = [0:0:3]) echo(i);", "");
    /* OpenSCAD 2021.01: a zero step iterates nothing (warning when unbounded), in for,
     * comprehensions, each and children(); a million elements or more are refused; a range
     * index reads its parameters (begin, step, end) */
    ECHO_EQ(ctx, "for (i = [1:0:1]) echo(i); echo([for (i = [1:0:1]) i], [each [1:0:1]]);", "ECHO: [], []");
    ECHO_EQ(ctx, "echo([for (i = [0:0:5]) i], [each [0:0:5]]);", "ECHO: [], []");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Bad range parameter in for statement: too many elements (4294967295) in file "
                        "t.scad, line 1\nWARNING: Bad range parameter in for statement: too many elements "
                        "(4294967295) in file t.scad, line 1");
    ECHO_EQ(ctx, "echo(len([for (i = [0:999999]) 0]));", "ECHO: 0");
    assert_string_equal(lines(ctx, "WARNING:"), "WARNING: Bad range parameter in for statement: too many "
                                                "elements (1000000) in file t.scad, line 1");
    ECHO_EQ(ctx, "module m() children([0:0:5]); m() echo(\"child\");", "");
    assert_string_equal(lines(ctx, "WARNING:"), "WARNING: Bad range parameter for children: too many "
                                                "elements (4294967295) in file t.scad, line 1");
    ECHO_EQ(ctx, "echo([0:2:9][2], [0:2:9][1], [0:2:9][3], [0:2:9][1.7], [0:1/0:5][1], [1:0:1][0]);",
            "ECHO: 9, 2, undef, 2, inf, 1");
    ev(ctx, "for (i = [0:1e12]) echo(i);");
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Bad range parameter in for statement: too many elements (4294967295) in "
                        "file t.scad, line 1");
    tu_ctx_free(ctx);
}

static void test_list_comprehensions(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ECHO_EQ(ctx, "echo([for (i = [1:5]) if (i % 2) i else -i]);", "ECHO: [1, -2, 3, -4, 5]");
    ECHO_EQ(ctx, "echo([for (i = [0:2]) let(j = i * i) each [i, j]]);", "ECHO: [0, 0, 1, 1, 2, 4]");
    ECHO_EQ(ctx, "echo([for (i = 0, s = 0; i < 4; i = i + 1, s = s + i) s]);", "ECHO: [0, 0, 1, 3]");
    ECHO_EQ(ctx, "echo([for (i = [1:2]) for (j = [1:2]) [i, j]]);", "ECHO: [[1, 1], [1, 2], [2, 1], [2, 2]]");
    ECHO_EQ(ctx, "echo([each [1, 2], each \"ab\", each [0:2]]);", "ECHO: [1, 2, \"a\", \"b\", 0, 1, 2]");
    ECHO_EQ(ctx, "echo([each for (i = [1, [2, [3]]]) i]);", "ECHO: [1, 2, [3]]");
    ECHO_EQ(ctx, "echo([each each for (i = [1, [2, [3]]]) i]);", "ECHO: [1, 2, 3]");
    tu_ctx_free(ctx);
}

static void test_let_assert_echo_expressions(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ECHO_EQ(ctx, "echo(let(a = 2, b = a * 3) a + b);", "ECHO: 8");
    ECHO_EQ(ctx, "x = echo(\"side\", 1) 5; echo(x);", "ECHO: \"side\", 1\nECHO: 5");
    ev(ctx, "v = assert(1 > 2, \"nope\") 3;");
    assert_int_equal(ctx->err.kind, FACET_ERR_EVAL);
    assert_string_equal(ctx->err.message, "Assertion '(1 > 2)' failed: \"nope\" in file t.scad, line 1");
    assert_non_null(strstr(ctx->err.trace, "assignment to \"v\""));
    ECHO_EQ(ctx, "let(a = 1) let(b = a + 1) echo(a, b);", "ECHO: 1, 2");
    tu_ctx_free(ctx);
}

/* ------------------------------------------------------------------ -D and use<> */

static void test_overrides_and_use(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ev_ov(ctx, "size = 5; twice = size * 2; echo(size, twice);", "size", "7");
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_string_equal(lines(ctx, "ECHO:"), "ECHO: 7, 14");
    ev_ov(ctx, "echo(extra);", "extra", "\"x\"");
    assert_string_equal(lines(ctx, "ECHO:"), "ECHO: \"x\"");
    /* use<>: functions and modules visible, the file's own statements not run, its
     * variables visible to its own functions only */
    csg_node *root = ev(ctx, "use <lib.scad>\necho(twice(4), uses_libvar());\nbox();");
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_string_equal(lines(ctx, "ECHO:"), "ECHO: 8, 7");
    assert_int_equal(root->nchildren, 1);
    assert_int_equal(root->children[0]->kind, CSG_UNION);
    assert_int_equal(root->children[0]->children[0]->kind, CSG_CUBE);
    tu_ctx_free(ctx);
}

/* ------------------------------------------------------------------ CSG nodes */

static csg_node *first(csg_node *root) {
    assert_non_null(root);
    assert_true(root->nchildren >= 1);
    return root->children[0];
}

static void test_primitives(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    csg_node *n = first(ev(ctx, "cube([1, 2, 3], center = true);"));
    assert_int_equal(n->kind, CSG_CUBE);
    assert_true(n->u.cube.size[0] == 1 && n->u.cube.size[1] == 2 && n->u.cube.size[2] == 3);
    assert_true(n->u.cube.center);
    n = first(ev(ctx, "cube(4);"));
    assert_true(n->u.cube.size[2] == 4 && !n->u.cube.center);
    n = first(ev(ctx, "sphere(d = 10, $fn = 7);"));
    assert_int_equal(n->kind, CSG_SPHERE);
    assert_true(n->u.sphere.r == 5);
    assert_int_equal(n->u.sphere.n, 7);
    /* default $fa = 12, $fs = 2: r = 10 gives ceil(max(min(30, 31.4), 5)) = 30 */
    n = first(ev(ctx, "sphere(10);"));
    assert_int_equal(n->u.sphere.n, 30);
    n = first(ev(ctx, "cylinder(h = 5, d1 = 4, r2 = 1, center = true);"));
    assert_int_equal(n->kind, CSG_CYLINDER);
    assert_true(n->u.cylinder.h == 5 && n->u.cylinder.r1 == 2 && n->u.cylinder.r2 == 1 && n->u.cylinder.center);
    n = first(ev(ctx, "cylinder(10, 3, 3);"));
    assert_true(n->u.cylinder.h == 10 && n->u.cylinder.r1 == 3);
    n = first(ev(ctx, "circle(r = 2, $fn = 3.7);"));
    assert_int_equal(n->kind, CSG_CIRCLE);
    assert_int_equal(n->u.circle.n, 3);
    n = first(ev(ctx, "square([2, 3]);"));
    assert_true(n->kind == CSG_SQUARE && n->u.square.size[1] == 3);
    n = first(ev(ctx, "polygon([[0, 0], [1, 0], [0, 1], [5, 5]], [[0, 1, 2]]);"));
    assert_int_equal(n->kind, CSG_POLYGON);
    assert_int_equal(n->u.polygon.npoints, 4);
    assert_int_equal(n->u.polygon.npaths, 1);
    assert_int_equal(n->u.polygon.counts[0], 3);
    n = first(ev(ctx, "polyhedron([[0,0,0],[1,0,0],[0,1,0],[0,0,1]], [[0,1,2],[0,3,1],[0,2,3],[1,3,2]]);"));
    assert_int_equal(n->kind, CSG_POLYHEDRON);
    assert_int_equal(n->u.polyhedron.nfaces, 4);
    assert_int_equal(n->u.polyhedron.indices[4], 3);
    n = first(ev(ctx, "text(\"hi\", size = 5, halign = \"center\");"));
    assert_int_equal(n->kind, CSG_TEXT);
    assert_string_equal(n->u.text.text, "hi");
    assert_string_equal(n->u.text.halign, "center");
    assert_string_equal(n->u.text.valign, "baseline");
    n = first(ev(ctx, "import(\"lib.scad\");"));
    assert_int_equal(n->kind, CSG_IMPORT);
    assert_string_equal(n->u.import.path, "lib.scad");
    tu_ctx_free(ctx);
}

static void test_transforms(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    csg_node *n = first(ev(ctx, "translate([1, 2]) cube();"));
    assert_int_equal(n->kind, CSG_TRANSFORM);
    assert_true(n->u.transform.m[3] == 1 && n->u.transform.m[7] == 2 && n->u.transform.m[11] == 0);
    assert_int_equal(n->nchildren, 1);
    assert_int_equal(n->children[0]->kind, CSG_CUBE);
    /* rotate(90) is exact: x -> y */
    n = first(ev(ctx, "rotate(90) cube();"));
    const double *m = n->u.transform.m;
    assert_true(m[0] == 0 && m[1] == -1 && m[4] == 1 && m[5] == 0 && m[10] == 1);
    /* Euler angles: Rz * Ry * Rx; rotate([90, 0, 0]) maps y to z */
    n = first(ev(ctx, "rotate([90, 0, 0]) cube();"));
    m = n->u.transform.m;
    assert_true(m[9] == 1 && m[6] == -1 && m[0] == 1);
    /* axis-angle about z equals the scalar form */
    n = first(ev(ctx, "rotate(a = 180, v = [0, 0, 2]) cube();"));
    m = n->u.transform.m;
    assert_true(m[0] == -1 && m[5] == -1 && m[10] == 1);
    n = first(ev(ctx, "mirror([1, 1, 0]) cube();"));
    m = n->u.transform.m;
    assert_true(fabs(m[0]) < 1e-15 && fabs(m[1] + 1) < 1e-15 && fabs(m[4] + 1) < 1e-15);
    n = first(ev(ctx, "scale(2) cube();"));
    assert_true(n->u.transform.m[0] == 2 && n->u.transform.m[10] == 2);
    n = first(ev(ctx, "multmatrix([[1, 0, 0, 5], [0, 1, 0, 6], [0, 0, 1, 7]]) cube();"));
    assert_true(n->u.transform.m[3] == 5 && n->u.transform.m[11] == 7 && n->u.transform.m[15] == 1);
    n = first(ev(ctx, "resize([10, 0, 0], auto = [false, true, false]) cube();"));
    assert_int_equal(n->kind, CSG_RESIZE);
    assert_true(n->u.resize.size[0] == 10 && n->u.resize.autosize[1] && !n->u.resize.autosize[0]);
    n = first(ev(ctx, "color(\"red\", 0.5) cube();"));
    assert_int_equal(n->kind, CSG_COLOR);
    assert_int_equal(n->u.color.rgba, 0xff000080u);
    n = first(ev(ctx, "color(\"#0f08\") cube();"));
    assert_int_equal(n->u.color.rgba, 0x00ff0088u);
    n = first(ev(ctx, "color([0, 0, 1]) cube();"));
    assert_int_equal(n->u.color.rgba, 0x0000ffffu);
    n = first(ev(ctx, "color(\"RebeccaPurple\") cube();"));
    assert_int_equal(n->u.color.rgba, 0x663399ffu);
    tu_ctx_free(ctx);
}

/* rotate() corner cases; the matrices and warnings are what OpenSCAD 2021.01 does (checked
 * by rendering cube([1,2,3]) with it and comparing bounding boxes and messages). */
static bool is_identity3(const double *m) {
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (m[i * 4 + j] != (i == j ? 1 : 0)) return false;
    return true;
}

static void test_rotate_corner_cases(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    /* a zero, NaN or underflowing axis is no rotation at all */
    assert_true(is_identity3(first(ev(ctx, "rotate(90, [0, 0, 0]) cube();"))->u.transform.m));
    assert_true(is_identity3(first(ev(ctx, "rotate(45, [0/0, 0, 1]) cube();"))->u.transform.m));
    assert_true(is_identity3(first(ev(ctx, "rotate(90, [1e-300, 0, 0]) cube();"))->u.transform.m));
    /* a 2-vector axis with a non-number is the zero axis, silently */
    assert_true(is_identity3(first(ev(ctx, "rotate(90, [1, \"x\"]) cube();"))->u.transform.m));
    assert_string_equal(lines(ctx, "WARNING:"), "");
    /* a non-unit axis is normalised; a 2-vector axis has z = 0 */
    const double *m = first(ev(ctx, "rotate(90, [0, 2]) cube();"))->u.transform.m;
    assert_true(m[2] == 1 && m[8] == -1 && m[5] == 1);
    /* a bad axis warns and rotates about z */
    m = first(ev(ctx, "rotate(90, [1, 2, 3, 4]) cube();"))->u.transform.m;
    assert_true(m[1] == -1 && m[4] == 1 && m[10] == 1);
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Problem converting rotate(..., v=[1, 2, 3, 4]) parameter in file t.scad, line 1");
    ev(ctx, "rotate(\"x\", 5) cube();");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Problem converting rotate(a=\"x\", v=5) parameter in file t.scad, line 1");
    /* a NaN angle warns and is no rotation */
    assert_true(is_identity3(first(ev(ctx, "rotate(0/0, [1, 0, 0]) cube();"))->u.transform.m));
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Problem converting rotate(a=nan) parameter in file t.scad, line 1");
    /* vector angles: v is ignored with a warning; a non-number element keeps the angle read
     * before it (z first), a 4th element warns but the first three still apply */
    m = first(ev(ctx, "rotate([90, 0, 0], [0, 0, 1]) cube();"))->u.transform.m;
    assert_true(m[9] == 1 && m[6] == -1);
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: When parameter a is supplied as vector, v is ignored rotate(a=[90, 0, 0], "
                        "v=[0, 0, 1]) in file t.scad, line 1");
    m = first(ev(ctx, "rotate([0, \"x\", 90]) cube();"))->u.transform.m;
    assert_true(m[1] == -1 && m[6] == 1 && m[8] == -1); /* [0, 90, 90] */
    m = first(ev(ctx, "rotate([90, 0, 0, 4]) cube();"))->u.transform.m;
    assert_true(m[9] == 1 && m[6] == -1);
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Problem converting rotate(a=[90, 0, 0, 4]) parameter in file t.scad, line 1");
    tu_ctx_free(ctx);
}

/* use <font.ttf> registers the font for text() (OpenSCAD's EvenOddTT test font, family
 * "EvenOddTTa", from the corpus); a missing font file is OpenSCAD 2021.01's error line. */
static void test_use_font_registers_it(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx(); /* reads from disk, no font pack */
    char src[1024];
    snprintf(src, sizeof src, "use <%s/openscad-tests/ttf/EvenOddTT/EvenOddTT-mod.ttf>\ncube();\n",
             tu_env("FACET_CORPUS", "/work/shared/corpus"));
    ev(ctx, src);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_string_equal(lines(ctx, "WARNING:"), "");
    const ttf_font *f = text_font_find(ctx, "EvenOddTTa", FC_NOLOC);
    assert_non_null(f);
    assert_int_equal(f->units_per_em, 1000);
    ev(ctx, "use <nothere.ttf>\necho(1);\n");
    assert_string_equal(lines(ctx, "ERROR:"), "ERROR: Can't read font with path 'nothere.ttf'");
    assert_string_equal(lines(ctx, "ECHO:"), "ECHO: 1");
    tu_ctx_free(ctx);
}

/* textmetrics()/fontmetrics() and object values; expected output from OpenSCAD's
 * development version (corpus echo/text-metrics-test.echo, same font file). */
static void test_text_metrics_objects(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx(); /* reads from disk, no font pack */
    char src[2048];
    const char *corpus = tu_env("FACET_CORPUS", "/work/shared/corpus");
    snprintf(src, sizeof src,
             "use <%s/openscad-tests/ttf/liberation-2.00.1/LiberationSans-Regular.ttf>\n"
             "echo(textmetrics(\"hello\", font=\"Liberation Sans\"));\n"
             "m = fontmetrics(font=\"Liberation Sans\");\n"
             "echo(m.interline, m.font.family, m[\"max\"].ascent, m.nominal.descent, m.nothere, m.x);\n"
             "echo(is_object(m), is_object([1]), m == m, m != 1, m == [m], m ? 1 : 2, m < m);\n"
             "echo(str(textmetrics(\"\")));\n",
             corpus);
    ev(ctx, src);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_string_equal(lines(ctx, "WARNING:"), "WARNING: operation undefined (object == object) in file t.scad, line 5\n"
                        "WARNING: operation undefined (object < object) in file t.scad, line 5");
    assert_string_equal(lines(ctx, "ECHO:"),
                        "ECHO: { position = [0.96, -0.1408]; size = [27.8024, 10.208]; ascent = 10.0672; "
                        "descent = -0.1408; offset = [0, 0]; advance = [29.3443, 0]; }\n"
                        "ECHO: 15.9709, \"Liberation Sans\", 13.6109, -2.9433, undef, undef\n"
                        "ECHO: true, false, undef, true, false, 1, undef\n"
                        "ECHO: \"{ position = [0, 0]; size = [0, 0]; ascent = 0; descent = 0; offset = [0, 0]; "
                        "advance = [0, 0]; }\"");
    /* argument checks: unknown names first, then types in text()'s order */
    ev(ctx, "echo(fontmetrics(text=\"bad\", size=true, font=0).interline);\n");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: variable \"text\" not specified as parameter in file t.scad, line 1\n"
                        "WARNING: fontmetrics(..., size=true) Invalid type: expected number, found bool in file t.scad, line 1\n"
                        "WARNING: fontmetrics(..., font=0) Invalid type: expected string, found number in file t.scad, line 1");
    assert_string_equal(lines(ctx, "ECHO:"), "ECHO: 15.9709");
    tu_ctx_free(ctx);
}

static void test_operations_and_modifiers(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    csg_node *n = first(ev(ctx, "difference() { cube(); for (i = [0:2]) sphere(); }"));
    assert_int_equal(n->kind, CSG_DIFFERENCE);
    assert_int_equal(n->nchildren, 2);
    assert_int_equal(n->children[1]->kind, CSG_UNION);
    assert_int_equal(n->children[1]->nchildren, 3);
    n = first(ev(ctx, "linear_extrude(5, twist = 90, scale = [1, 2]) square();"));
    assert_int_equal(n->kind, CSG_LINEAR_EXTRUDE);
    assert_true(n->u.linear_extrude.height == 5 && n->u.linear_extrude.twist == 90);
    assert_true(n->u.linear_extrude.scale[1] == 2 && !n->u.linear_extrude.has_slices);
    n = first(ev(ctx, "offset(r = 2, $fn = 8) square();"));
    assert_true(n->kind == CSG_OFFSET && n->u.offset.use_r && n->u.offset.r == 2 && n->u.offset.frag.fn == 8);
    /* OpenSCAD 2021.01: no amount is r = 1 (round joins: square(2) gets 8 outline points);
     * r wins over delta; chamfer only with delta; a NaN amount produces nothing */
    n = first(ev(ctx, "offset() square();"));
    assert_true(n->kind == CSG_OFFSET && n->u.offset.use_r && n->u.offset.r == 1 && !n->u.offset.chamfer);
    n = first(ev(ctx, "offset(r = 2, delta = 3, chamfer = true) square();"));
    assert_true(n->u.offset.use_r && n->u.offset.r == 2 && !n->u.offset.chamfer);
    n = first(ev(ctx, "offset(r = \"x\", delta = 0.5, chamfer = true) square();"));
    assert_true(!n->u.offset.use_r && n->u.offset.delta == 0.5 && n->u.offset.chamfer);
    n = first(ev(ctx, "offset(r = 0/0) square();"));
    assert_int_equal(n->kind, CSG_EMPTY);
    n = first(ev(ctx, "intersection_for (i = [1:3]) cube(i);"));
    assert_int_equal(n->kind, CSG_INTERSECTION);
    assert_int_equal(n->nchildren, 3);
    csg_node *root = ev(ctx, "%cube(); #sphere(); *cylinder();");
    assert_int_equal(root->nchildren, 2);
    assert_true(root->children[0]->background && !root->children[0]->highlight);
    assert_true(root->children[1]->highlight);
    root = ev(ctx, "cube(); translate([1, 0, 0]) !sphere();");
    assert_int_equal(root->nchildren, 1);
    assert_int_equal(root->children[0]->kind, CSG_SPHERE);
    /* a user module instance is one group */
    root = ev(ctx, "module two() { cube(); sphere(); } two();");
    assert_int_equal(root->nchildren, 1);
    assert_int_equal(root->children[0]->kind, CSG_UNION);
    assert_int_equal(root->children[0]->nchildren, 2);
    tu_ctx_free(ctx);
}

/* OpenSCAD reads a module's arguments before it evaluates the children, so the outer
 * module's warning comes first. */
static void test_warning_order_and_traces(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ev(ctx, "rotate(1/0)\nrotate(0/0) cube();");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Problem converting rotate(a=inf) parameter in file t.scad, line 1\n"
                        "WARNING: Problem converting rotate(a=nan) parameter in file t.scad, line 2");
    ECHO_EQ(ctx, "r = [1:2:9]; echo(r.begin, r.step, r.end);", "ECHO: 1, 2, 9");
    ev(ctx, "x = [5:1:1];");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: begin is greater than the end, but step is positive in file t.scad, line 1");
    /* the trace names the module call with its parameter names */
    ev(ctx, "module m(angle) {\n  assert(angle < 90);\n}\nm(270);");
    assert_int_equal(ctx->err.kind, FACET_ERR_EVAL);
    assert_string_equal(ctx->err.message, "Assertion '(angle < 90)' failed in file t.scad, line 2");
    assert_string_equal(ctx->err.trace,
                        "called by 'assert' in file t.scad, line 2\n"
                        "call of 'm(angle = 270)' in file t.scad, line 1\n"
                        "called by 'm' in file t.scad, line 4\n");
    tu_ctx_free(ctx);
}

static void test_bad_sizes_warn(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    ev(ctx, "cube(\"big\");");
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Unable to convert cube(size=\"big\", ...) parameter to a number or a vec3 of "
                        "numbers in file t.scad, line 1");
    ev(ctx, "cylinder(r = 1, r1 = 2);");
    assert_string_equal(lines(ctx, "WARNING:"), "WARNING: Cylinder parameters ambiguous in file t.scad, line 1");
    ev(ctx, "sphere(r = 1, d = 4);");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Ignoring radius variable \"r\" as diameter \"d\" is defined too. in file "
                        "t.scad, line 1");
    ev(ctx, "hello();");
    assert_string_equal(lines(ctx, "WARNING:"), "WARNING: Ignoring unknown module 'hello' in file t.scad, line 1");
    /* the viewport variables a model assigns, checked after evaluation (OpenSCAD 2021.01,
     * echo and mesh export alike) */
    ev(ctx, "$vpr = \"[1,2,3]\";\n$vpt = [1, 2, 3, 4];\n$vpd = [1];\necho(1);");
    assert_string_equal(lines(ctx, "WARNING:"),
                        "WARNING: Unable to convert $vpr=\"[1,2,3]\" to a vec3 or vec2 of numbers\n"
                        "WARNING: Unable to convert $vpt=[1, 2, 3, 4] to a vec3 or vec2 of numbers\n"
                        "WARNING: Unable to convert $vpd=[1] to a number");
    ev(ctx, "$vpr = [1, 2];\n$vpd = \"x\";\ncube();");
    assert_string_equal(lines(ctx, "WARNING:"), "WARNING: Unable to convert $vpd=\"x\" to a number\n"
                                                "WARNING: Viewall and autocenter disabled in favor of $vp*");
    ev(ctx, "echo($vpr, $vpd);");
    assert_string_equal(lines(ctx, "WARNING:"), "");
    tu_ctx_free(ctx);
}

/* ------------------------------------------------------------------ csg_hash */

static uint64_t hash_of(facet_ctx *ctx, const char *src) {
    csg_node *r = ev(ctx, src);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    return csg_hash(r);
}

static void test_csg_hash(void **state) {
    (void)state;
    facet_ctx *ctx = new_ctx();
    const char *a = "translate([1, 2, 3]) difference() { cube(2); sphere(1, $fn = 12); }";
    uint64_t h1 = hash_of(ctx, a);
    uint64_t h2 = hash_of(ctx, a);
    assert_true(h1 == h2 && h1 != 0);
    /* the same tree written differently hashes alike */
    assert_true(hash_of(ctx, "x = 1; translate([x, 2, 3]) difference() { cube([2, 2, 2]); sphere(r = 1, $fn = 12); }") == h1);
    assert_true(hash_of(ctx, "translate([1, 2, 3.5]) difference() { cube(2); sphere(1, $fn = 12); }") != h1);
    assert_true(hash_of(ctx, "translate([1, 2, 3]) difference() { cube(2); sphere(1, $fn = 13); }") != h1);
    assert_true(hash_of(ctx, "translate([1, 2, 3]) difference() { sphere(1, $fn = 12); cube(2); }") != h1);
    assert_true(hash_of(ctx, "translate([1, 2, 3]) union() { cube(2); sphere(1, $fn = 12); }") != h1);
    /* -0 and +0 hash alike */
    assert_true(hash_of(ctx, "translate([-0, 0, 0]) cube();") == hash_of(ctx, "translate([0, 0, 0]) cube();"));
    /* a deep tree hashes without recursion trouble */
    assert_true(hash_of(ctx, "module d(n) if (n > 0) translate([0, 0, 1]) d(n - 1); else cube(); d(150);") != 0);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assignments_run_before_instantiations),
        cmocka_unit_test(test_lexical_scopes),
        cmocka_unit_test(test_function_literals_and_closures),
        cmocka_unit_test(test_special_variables_are_dynamic),
        cmocka_unit_test(test_children_and_parent_module),
        cmocka_unit_test(test_deep_tail_recursion_does_not_grow_the_stack),
        cmocka_unit_test(test_recursion_limits),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_comparisons_and_logic),
        cmocka_unit_test(test_indexing_and_members),
        cmocka_unit_test(test_ranges_and_for),
        cmocka_unit_test(test_list_comprehensions),
        cmocka_unit_test(test_let_assert_echo_expressions),
        cmocka_unit_test(test_overrides_and_use),
        cmocka_unit_test(test_primitives),
        cmocka_unit_test(test_transforms),
        cmocka_unit_test(test_rotate_corner_cases),
        cmocka_unit_test(test_use_font_registers_it),
        cmocka_unit_test(test_text_metrics_objects),
        cmocka_unit_test(test_operations_and_modifiers),
        cmocka_unit_test(test_warning_order_and_traces),
        cmocka_unit_test(test_bad_sizes_warn),
        cmocka_unit_test(test_csg_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
