/*
 * test_builtin.c — every built-in function with its edge cases and OpenSCAD's warnings.
 *
 * Most cases are a row: function, arguments written in OpenSCAD syntax (parsed by the small
 * literal reader below), the result as echo() prints it, and the warning expected (or none).
 * Results were checked against OpenSCAD 2021.01 (`openscad -o out.echo` on the same calls;
 * all agree except min([1, "a"]), where the newer OpenSCAD warns as we do). Warning texts
 * are those of OpenSCAD's current version, as in the echo corpus (cross-tests,
 * lookup-tests, isbool-test, ...) and its builtin_functions.cc.
 */
#include <math.h>
#include <stdlib.h>

#include "testutil.h"

#include "core/sbuf.h"
#include "eval/builtin.h"

/* ---- a reader for argument lists written as OpenSCAD literals ---- */

typedef struct rd {
    facet_ctx *ctx;
    const char *p;
} rd;

static void rd_ws(rd *r) {
    while (*r->p == ' ') r->p++;
}

static double rd_number(rd *r) {
    char *end;
    double d = strtod(r->p, &end);
    if (end == r->p) fail_msg("bad number at %s", r->p);
    r->p = end;
    if (*r->p == '/') { /* 1/3, 1/0 */
        r->p++;
        double q = strtod(r->p, &end);
        r->p = end;
        d = d / q;
    }
    return d;
}

static val rd_value(rd *r) {
    rd_ws(r);
    if (*r->p == '"') {
        const char *s = ++r->p;
        while (*r->p && *r->p != '"') r->p++;
        val v = val_str_new(r->ctx, s, (size_t)(r->p - s));
        r->p++;
        return v;
    }
    if (*r->p == '[') {
        r->p++;
        rd_ws(r);
        val_builder b;
        vb_init(&b, r->ctx);
        if (*r->p == ']') {
            r->p++;
            return vb_finish(&b);
        }
        val first = rd_value(r);
        rd_ws(r);
        if (*r->p == ':') { /* a range */
            r->p++;
            double x = first.u.n, y = rd_number(r), z;
            rd_ws(r);
            if (*r->p == ':') {
                r->p++;
                rd_ws(r);
                z = rd_number(r);
            } else {
                z = y;
                y = 1;
            }
            rd_ws(r);
            r->p++; /* ] */
            vb_discard(&b);
            return val_range_new(r->ctx, x, y, z);
        }
        vb_push_take(&b, first);
        while (*r->p == ',') {
            r->p++;
            vb_push_take(&b, rd_value(r));
            rd_ws(r);
        }
        r->p++; /* ] */
        return vb_finish(&b);
    }
    static const struct { const char *word; int kind; double n; } words[] = {
        {"undef", 0, 0}, {"true", 1, 1}, {"false", 1, 0},
        {"-inf", 2, -INFINITY}, {"inf", 2, INFINITY}, {"nan", 2, NAN},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i].word);
        if (strncmp(r->p, words[i].word, n) == 0) {
            r->p += n;
            if (words[i].kind == 0) return val_undef();
            if (words[i].kind == 1) return val_bool(words[i].n != 0);
            return val_num(words[i].n);
        }
    }
    return val_num(rd_number(r));
}

static int rd_args(facet_ctx *ctx, const char *text, val *out, int max) {
    rd r = {ctx, text};
    int n = 0;
    rd_ws(&r);
    while (*r.p) {
        assert_true(n < max);
        out[n++] = rd_value(&r);
        rd_ws(&r);
        if (*r.p == ',') r.p++;
        rd_ws(&r);
    }
    return n;
}

/* ---- calling a built-in ---- */

static int test_file(facet_ctx *ctx) { return fc_file_add(ctx, "/tmp/t.scad", "t.scad"); }

/* Calls fn on the arguments, returns the result as echo prints it (static buffer). */
static const char *call_fmt(facet_ctx *ctx, const char *fn, const char *args, int line) {
    static char out[4096];
    const bi_entry *e = bi_lookup(fn);
    if (!e) fail_msg("no built-in %s", fn);
    val a[16];
    int n = rd_args(ctx, args, a, 16);
    bi_call c = {ctx, (fc_loc){test_file(ctx), line, 1}, fn, a, NULL, n};
    val r = e->fn(&c);
    sbuf b;
    sb_init(&b, ctx);
    val_format(ctx, &b, r);
    sb_putc(&b, '\0');
    snprintf(out, sizeof out, "%s", b.data);
    sb_free(&b);
    val_release(ctx, r);
    for (int i = 0; i < n; i++) val_release(ctx, a[i]);
    return out;
}

static const struct {
    const char *fn, *args, *result, *warning;
} cases[] = {
    {"abs", "-3", "3", NULL},
    {"abs", "-0", "0", NULL},
    {"abs", "\"a\"", "undef", "abs() parameter could not be converted: argument 0: expected number, found string (\"a\")"},
    {"abs", "", "undef", "abs() number of parameters does not match: expected 1, found 0"},
    {"sign", "-5", "-1", NULL},
    {"sign", "0", "0", NULL},
    {"sign", "nan", "0", NULL},
    {"sign", "inf", "1", NULL},
    {"sin", "30", "0.5", NULL},
    {"sin", "-90", "-1", NULL},
    {"sin", "1e300", "nan", NULL},
    {"cos", "60", "0.5", NULL},
    {"cos", "180", "-1", NULL},
    {"tan", "45", "1", NULL},
    {"tan", "90", "inf", NULL},
    {"asin", "0.5", "30", NULL},
    {"asin", "2", "nan", NULL},
    {"acos", "0.5", "60", NULL},
    {"acos", "-1", "180", NULL},
    {"atan", "1", "45", NULL},
    {"atan", "inf", "90", NULL},
    {"atan2", "1, 1", "45", NULL},
    {"atan2", "-1, 0", "-90", NULL},
    {"atan2", "1", "undef", "atan2() number of parameters does not match: expected 2, found 1"},
    {"atan2", "1, \"x\"", "undef", "atan2() parameter could not be converted: argument 1: expected number, found string (\"x\")"},
    {"floor", "-0.5", "-1", NULL},
    {"ceil", "-0.5", "0", NULL},
    {"round", "2.5", "3", NULL},
    {"round", "-2.5", "-3", NULL},
    {"round", "0.49999999999999994", "0", NULL},
    {"ln", "0", "-inf", NULL},
    {"ln", "-1", "nan", NULL},
    {"log", "1000", "3", NULL},
    {"log", "2, 8", "3", NULL},
    {"log", "100", "2", NULL},
    {"exp", "1", "2.71828", NULL},
    {"pow", "2, 0.5", "1.41421", NULL},
    {"pow", "-8, 1/3", "nan", NULL},
    {"pow", "0, -1", "inf", NULL},
    {"sqrt", "-1", "nan", NULL},
    {"sqrt", "16", "4", NULL},
    {"min", "", "undef", "min() number of parameters does not match: expected at least 1, found 0"},
    {"min", "[]", "undef", "min() number of parameters does not match: expected at least 1 vector element, found 0"},
    {"min", "undef", "undef", "min() parameter could not be converted: argument 0: expected number, found undefined (undef)"},
    {"min", "\"a\"", "undef", "min() parameter could not be converted: argument 0: expected number, found string (\"a\")"},
    {"min", "0", "0", NULL},
    {"min", "[0]", "0", NULL},
    {"min", "2, 1, 0", "0", NULL},
    {"max", "2, 1, 0", "2", NULL},
    {"min", "1, \"a\"", "undef", "min() parameter could not be converted: argument 1: expected number, found string (\"a\")"},
    {"min", "[1, \"a\"]", "undef", "min() parameter could not be converted: vector element 1: expected number, found string (\"a\")"},
    {"max", "nan, 1", "nan", NULL},
    {"min", "1, nan", "1", NULL},
    {"min", "[3, nan, 1]", "1", NULL},
    {"max", "[2, 4, 3, 5, 1, 0]", "5", NULL},
    {"norm", "[]", "0", NULL},
    {"norm", "[1, 2]", "2.23607", NULL},
    {"norm", "[3, 4]", "5", NULL},
    {"norm", "", "undef", "norm() number of parameters does not match: expected 1, found 0"},
    {"norm", "[1, 2, nan]", "nan", NULL},
    {"norm", "[1, 2, inf]", "inf", NULL},
    {"norm", "\"\"", "undef", "norm() parameter could not be converted: argument 0: expected vector, found string (\"\")"},
    {"norm", "[1:4]", "undef", "norm() parameter could not be converted: argument 0: expected vector, found range ([1 : 1 : 4])"},
    {"norm", "[1, 2, \"a\"]", "undef", "Incorrect arguments to norm()"},
    {"norm", "[1, 2, []]", "undef", "Incorrect arguments to norm()"},
    {"norm", "undef, undef", "undef", "norm() number of parameters does not match: expected 1, found 2"},
    {"cross", "[2, 3, 4], [5, 6, 7]", "[-3, 6, -3]", NULL},
    {"cross", "[2, 1, -3], [0, 4, 5]", "[17, -10, 8]", NULL},
    {"cross", "[2, nan, -3], [0, 4, 5]", "undef", "Invalid value (NaN) in parameter vector for cross()"},
    {"cross", "[2, inf, -3], [0, 4, 5]", "undef", "Invalid value (INF) in parameter vector for cross()"},
    {"cross", "0", "undef", "cross() number of parameters does not match: expected 2, found 1"},
    {"cross", "0, 1", "undef", "cross() parameter could not be converted: argument 0: expected vector, found number (0)"},
    {"cross", "0, 1, 3", "undef", "cross() number of parameters does not match: expected 2, found 3"},
    {"cross", "[0], [1]", "undef", "Invalid vector size of parameter for cross()"},
    {"cross", "[1, 2, 3], [1, 2, \"a\"]", "undef", "Invalid value in parameter vector for cross()"},
    {"cross", "[1, 2, 3], [1, 2, [1:2]]", "undef", "Invalid value in parameter vector for cross()"},
    {"cross", "[2, 3], [5, 6]", "-3", NULL},
    {"len", "[1, 2, 3]", "3", NULL},
    {"len", "\"ЛЛЛЛ\"", "4", NULL},
    {"len", "\"🂡🂱🃁🃑\"", "4", NULL},
    {"len", "\"\"", "0", NULL},
    {"len", "5", "undef", "len() parameter could not be converted: argument 0: expected string, found number (5)"},
    {"len", "", "undef", "len() number of parameters does not match: expected 1, found 0"},
    {"len", "undef", "undef", "len() parameter could not be converted: argument 0: expected string, found undefined (undef)"},
    {"len", "[1:3]", "undef", "len() parameter could not be converted: argument 0: expected string, found range ([1 : 1 : 3])"},
    {"concat", "1, [2, 3], \"ab\", [[4]], [0:2]", "[1, 2, 3, \"ab\", [4], [0 : 1 : 2]]", NULL},
    {"concat", "", "[]", NULL},
    {"concat", "[], [], []", "[]", NULL},
    {"concat", "undef", "[undef]", NULL},
    {"lookup", "undef, undef", "undef", "lookup() parameter could not be converted: argument 0: expected number, found undefined (undef)"},
    {"lookup", "undef, [[undef, undef]]", "undef", "lookup() parameter could not be converted: argument 0: expected number, found undefined (undef)"},
    {"lookup", "0, [[0, 0]]", "0", NULL},
    {"lookup", "0.5, [[0, 0], [1, 1]]", "0.5", NULL},
    {"lookup", "-20, [[-1, -5], [-10, -55], [0, 0], [1, 3], [10, 333]]", "-55", NULL},
    {"lookup", "-9.9, [[-1, -5], [-10, -55], [0, 0], [1, 3], [10, 333]]", "-54.4444", NULL},
    {"lookup", "-0.5, [[-1, -5], [-10, -55], [0, 0], [1, 3], [10, 333]]", "-2.5", NULL},
    {"lookup", "0.3, [[-1, -5], [-10, -55], [0, 0], [1, 3], [10, 333]]", "0.9", NULL},
    {"lookup", "1.1, [[-1, -5], [-10, -55], [0, 0], [1, 3], [10, 333]]", "6.66667", NULL},
    {"lookup", "10.1, [[-1, -5], [-10, -55], [0, 0], [1, 3], [10, 333]]", "333", NULL},
    {"lookup", "inf, [[1, 2]]", "undef", "lookup(inf, ...) first argument is not a number"},
    {"lookup", "2, [[1, 10], [3, 30]]", "20", NULL},
    {"lookup", "2, []", "undef", NULL},
    {"lookup", "2, [[1, 2, 3], [3, 4]]", "undef", NULL},
    {"lookup", "2, [[1, 10], \"x\", [3, 30]]", "20", NULL},
    {"str", "1, \"a\", [1, \"b\"], [0:2]", "\"1a[1, \"b\"][0 : 1 : 2]\"", NULL},
    {"str", "", "\"\"", NULL},
    {"str", "undef, true, 1/3", "\"undeftrue0.333333\"", NULL},
    {"chr", "", "\"\"", NULL},
    {"chr", "inf, -inf, nan", "\"\"", NULL},
    {"chr", "0, -0, 0.5, -0.9, -100, 2097152, 1e10, -2e10", "\"\"", NULL},
    {"chr", "33", "\"!\"", NULL},
    {"chr", "9786", "\"☺\"", NULL},
    {"chr", "128512", "\"😀\"", NULL},
    {"chr", "90, 89, 88", "\"ZYX\"", NULL},
    {"chr", "65, \"test\", false, -5, 0, 66, [67:69], [70, 71, 72, 73], 9786", "\"ABCDEFGHI☺\"", NULL},
    {"chr", "[48:57]", "\"0123456789\"", NULL},
    {"chr", "[70:2:80]", "\"FHJLNP\"", NULL},
    {"chr", "[49, \"test\", true, -1, 50]", "\"12\"", NULL},
    {"chr", "undef, true, \"test\"", "\"\"", NULL},
    {"chr", "[65, [66, [67], [[68:70]]]]", "\"ABCDEF\"", NULL},
    {"chr", "55296", "\"\"", NULL},
    {"chr", "1114111", "\"􏿿\"", NULL},
    {"chr", "1114112", "\"\"", NULL},
    {"chr", "[0:0:0]", "\"\"", NULL},
    {"ord", "\"a\"", "97", NULL},
    {"ord", "\"abc\"", "97", NULL},
    {"ord", "", "undef", "ord() number of parameters does not match: expected 1, found 0"},
    {"ord", "\"\"", "undef", NULL},
    {"ord", "undef", "undef", "ord() parameter could not be converted: argument 0: expected string, found undefined (undef)"},
    {"ord", "3.1416", "undef", "ord() parameter could not be converted: argument 0: expected string, found number (3.1416)"},
    {"ord", "[1, 2, 3]", "undef", "ord() parameter could not be converted: argument 0: expected string, found vector ([1, 2, 3])"},
    {"ord", "\"foo\", \"bar\"", "undef", "ord() number of parameters does not match: expected 1, found 2"},
    {"ord", "\"€\"", "8364", NULL},
    {"ord", "\"🂡\"", "127137", NULL},
    {"is_bool", "true", "true", NULL},
    {"is_bool", "0", "false", NULL},
    {"is_bool", "1, 2, 3", "undef", "is_bool() number of parameters does not match: expected 1, found 3"},
    {"is_bool", "", "undef", "is_bool() number of parameters does not match: expected 1, found 0"},
    {"is_num", "nan", "false", NULL},
    {"is_num", "inf", "true", NULL},
    {"is_num", "-inf", "true", NULL},
    {"is_num", "false", "false", NULL},
    {"is_num", "1, 2, 3", "undef", "is_num() number of parameters does not match: expected 1, found 3"},
    {"is_string", "\"\"", "true", NULL},
    {"is_string", "[]", "false", NULL},
    {"is_string", "", "undef", "is_string() number of parameters does not match: expected 1, found 0"},
    {"is_list", "[]", "true", NULL},
    {"is_list", "\"abc\"", "false", NULL},
    {"is_list", "[1:2]", "false", NULL},
    {"is_undef", "undef", "true", NULL},
    {"is_undef", "0", "false", NULL},
    {"is_undef", "", "undef", "is_undef() number of parameters does not match: expected 1, found 0"},
    {"is_function", "1", "false", NULL},
    {"version", "", "[2021, 1, 0]", NULL},
    {"version_num", "", "2.02101e+7", NULL},
    {"version_num", "[2019, 5]", "2.01905e+7", NULL},
    {"version_num", "[1, 2, 3]", "10203", NULL},
    {"version_num", "5", "undef", NULL},
    {"search", "\"a\", \"aaaa\"", "[0]", NULL},
    {"search", "\"a\", \"aaaa\", 0", "[[0, 1, 2, 3]]", NULL},
    {"search", "\"aa\", \"aaaa\"", "[0, 0]", NULL},
    {"search", "\"a\", \"aaaa\", 2", "[[0, 1]]", NULL},
    {"search", "\"b\", \"aaaa\"", "[]", NULL},
    {"search", "\"b\", \"aaaa\", 0", "[[]]", NULL},
    {"search", "\"bb\", \"aaaa\", 2", "[[], []]", NULL},
    {"search", "\"\", \"aaaa\"", "[]", NULL},
    {"search", "\"a\", \"\"", "[]", NULL},
    {"search", "\"Л\", \"aЛaЛaЛaЛa\", 0", "[[1, 3, 5, 7]]", NULL},
    {"search", "\"🂡\", \"a🂡Л🂡a🂡Л🂡a\", 0", "[[1, 3, 5, 7]]", NULL},
    {"search", "\"aЛ🂡\", \"a🂡Л🂡a🂡Л🂡a\", 0", "[[0, 4, 8], [2, 6], [1, 3, 5, 7]]", NULL},
    {"search", "\"Л\", \"a🂡Л🂡a🂡Л🂡a\", 1", "[2]", NULL},
    {"search", "[1, 2], [[1, \"a\"], [2, \"b\"], [1, \"c\"]]", "[0, 1]", NULL},
    {"search", "1, [1, 2, 1], 0", "[0, 2]", NULL},
    {"search", "1, [1, 2, 1]", "[0]", NULL},
    {"search", "\"ab\", [[\"a\", 1], [\"b\", 2]]", "[0, 1]", NULL},
    {"search", "\"a\", [1, 2]", "[]", "Invalid entry in search vector at index 0, required number of values in the entry: 1. Invalid entry: 1"},
    {"search", "[1, 5], [1, 2, 3], 1", "[0, []]", NULL},
    {"search", "[1, 5], [1, 2, 3], 0", "[[0], []]", NULL},
    {"search", "3, [[\"a\", 1], [\"b\", 2], [\"c\", 3], [\"d\", 4], [\"a\", 5], [\"b\", 6], [\"c\", 7], [\"d\", 8], [\"e\", 3]], 0, 1", "[2, 8]", NULL},
    {"search", "\"abc\", [[\"a\", 1], [\"b\", 2], [\"c\", 3], [\"d\", 4], [\"a\", 5], [\"b\", 6], [\"c\", 7], [\"d\", 8], [\"e\", 9]], 0", "[[0, 4], [1, 5], [2, 6]]", NULL},
    {"search", "\"abce\", [[\"a\", 1], [\"b\", 2], [\"c\", 3], [\"d\", 4], [\"a\", 5], [\"b\", 6], [\"c\", 7], [\"d\", 8], [\"e\", 9]], 2", "[[0, 4], [1, 5], [2, 6], [8]]", NULL},
    {"search", "\"abc\", [[\"a\", 1], [\"b\", 2], [\"c\", 3], [\"d\", 4], [\"a\", 5], [\"b\", 6], [\"c\", 7], [\"d\", 8], [\"e\", 9]], 1", "[0, 1, 2]", NULL},
    {"search", "[[1, 2]], [[1, 2], [3, 4], [1, 2]], 0", "[[0, 2]]", NULL},
    {"search", "\"a\"", "undef", "search() number of parameters does not match: expected between 2 and 4, found 1"},
    {"search", "undef, [1]", "undef", NULL},
    {"search", "true, [true, false]", "undef", NULL},
    {"search", "1, \"abc\"", "[]", NULL},
    {"search", "\"a\", \"aaa\", -1", "[[0, 1, 2]]", NULL},
    {"rands", "1, 1, 4", "[1, 1, 1, 1]", NULL},
    {"rands", "10, 200, 4, -32", "[72.473, 130.115, 170.91, 18.0306]", NULL},
    {"rands", "-40, -3, 3, 0", "[-18.0647, -8.76217, -8.25601]", NULL},
    {"rands", "5, 1, 3, 7", "[1.90936, 2.27589, 4.91289]", NULL},
    {"rands", "0, 1, 2, nan", "[0.592845, 0.844266]", NULL},
    {"rands", "0, 0, 0, 0", "[]", NULL},
    {"rands", "1, 5", "undef", "rands() number of parameters does not match: expected 3 or 4, found 2"},
    {"rands", "\"akhma\", \"to\", \"va\"", "undef", "rands() parameter could not be converted: argument 0: expected number, found string (\"akhma\")"},
    {"rands", "1, 2, \"x\", 3", "undef", "rands() parameter could not be converted: argument 2: expected number, found string (\"x\")"},
    {"sin", "inf", "nan", NULL},
    {"cos", "inf", "nan", NULL},
    {"tan", "inf", "nan", NULL},
    {"asin", "inf", "nan", NULL},
    {"acos", "inf", "nan", NULL},
    {"atan", "-inf", "-90", NULL},
    {"atan2", "inf, -inf", "135", NULL},
    {"ceil", "-inf", "-inf", NULL},
    {"floor", "inf", "inf", NULL},
    {"exp", "inf", "inf", NULL},
    {"exp", "-inf", "0", NULL},
    {"ln", "inf", "inf", NULL},
    {"ln", "-inf", "nan", NULL},
    {"log", "inf", "inf", NULL},
    {"log", "-inf", "nan", NULL},
    {"max", "-inf, inf", "inf", NULL},
    {"min", "-inf, inf", "-inf", NULL},
    {"pow", "2, inf", "inf", NULL},
    {"pow", "2, -inf", "0", NULL},
    {"round", "-inf", "-inf", NULL},
    {"sign", "-inf", "-1", NULL},
    {"sqrt", "inf", "inf", NULL},
    {"sqrt", "-inf", "nan", NULL},
    {"tan", "-90", "-inf", NULL},
    {"tan", "270", "-inf", NULL},
    {"tan", "180", "0", NULL},
    {"tan", "-180", "0", NULL},
    {"sin", "-30", "-0.5", NULL},
    {"cos", "-60", "0.5", NULL},
    {"cos", "90", "0", NULL},
    {"sin", "1e-10", "1.74533e-12", NULL},
    {"cos", "0.1", "0.999998", NULL},
    {"tan", "89.99", "5729.58", NULL},
    {"atan2", "0, -1", "180", NULL},
    {"atan2", "-0, -1", "-180", NULL},
    {"asin", "-1", "-90", NULL},
    {"acos", "0.7071067811865476", "45", NULL},
    {"atan", "0.5773502691896258", "30", NULL},
    {"pow", "10, 6", "1e+6", NULL},
    {"log", "0", "-inf", NULL},
};

static void test_function_table(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        test_file(ctx);
        size_t start = ctx->mem.used;
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            int line = (int)i + 1;
            int nlog = ctx->nlog;
            const char *got = call_fmt(ctx, cases[i].fn, cases[i].args, line);
            if (strcmp(got, cases[i].result) != 0)
                fail_msg("%s(%s) = %s, expected %s", cases[i].fn, cases[i].args, got,
                         cases[i].result);
            if (!cases[i].warning) {
                if (ctx->nlog != nlog)
                    fail_msg("%s(%s) warned: %s", cases[i].fn, cases[i].args, ctx->log[nlog]);
                continue;
            }
            if (ctx->nlog != nlog + 1)
                fail_msg("%s(%s): %d log lines, expected one warning", cases[i].fn, cases[i].args,
                         ctx->nlog - nlog);
            char want[1024];
            snprintf(want, sizeof want, "WARNING: %s in file t.scad, line %d", cases[i].warning, line);
            if (strcmp(ctx->log[nlog], want) != 0)
                fail_msg("%s(%s) warned\n  %s\nexpected\n  %s", cases[i].fn, cases[i].args,
                         ctx->log[nlog], want);
        }
        /* every result and argument was released: only the log lines and rands()'
         * generator (kept for the render, ctx->rng) remain */
        size_t log_bytes = 0;
        for (int i = 0; i < ctx->nlog; i++) log_bytes += fc_block_size(ctx->log[i]);
        size_t rng_bytes = ctx->rng ? fc_block_size(ctx->rng) + 64 : 0;
        assert_true(ctx->mem.used - start <= log_bytes + 64 * (size_t)ctx->nlog +
                                                 fc_block_size(ctx->log) + 64 + rng_bytes);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_lookup_table_is_complete(void **state) {
    (void)state;
    static const char *names[] = {
        "abs", "sign", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "floor", "round",
        "ceil", "ln", "log", "exp", "pow", "sqrt", "min", "max", "norm", "cross", "len",
        "concat", "lookup", "str", "chr", "ord", "search", "rands", "version", "version_num",
        "is_undef", "is_bool", "is_num", "is_string", "is_list", "is_function"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const bi_entry *e = bi_lookup(names[i]);
        if (!e) fail_msg("%s missing", names[i]);
        assert_string_equal(e->name, names[i]);
    }
    /* the evaluator's business, not table entries */
    assert_null(bi_lookup("echo"));
    assert_null(bi_lookup("let"));
    assert_null(bi_lookup("parent_module"));
    assert_null(bi_lookup("nosuch"));
    assert_null(bi_lookup(""));
    assert_null(bi_lookup(NULL));
}

/* rands(0, 1, 5, seed): OpenSCAD 2021.01 printed floor(x * 1e6) and the remaining
 * fraction x * 1e6 - floor(x * 1e6), which together pin down 12 significant digits. */
static const struct {
    double seed;
    double hi[5];
    const char *lo[5];
} seeded[] = {
    {42, {796542, 183434, 779690, 596850, 445832}, {"0.984288", "0.787893", "0.997613", "0.16158", "0.757548"}},
    {0, {592844, 844265, 857945, 847251, 623563}, {"0.616517", "0.744257", "0.61999", "0.737384", "0.696496"}},
    {1, {997184, 932557, 128124, 999040, 236088}, {"0.80823", "0.361368", "0.447772", "0.515465", "0.976298"}},
    {-1, {111606, 562693, 526321, 770614, 283561}, {"0.665444", "0.374211", "0.307008", "0.742017", "0.654393"}},
    {4.1, {969774, 553429, 993827, 514139, 706830}, {"0.00906584", "0.288994", "0.173697", "0.607504", "0.977241"}},
    {-4.1, {197583, 921891, 673971, 577442, 315448}, {"0.260392", "0.0245126", "0.239042", "0.505325", "0.541187"}},
    {4.1e100, {218885, 781842, 318786, 476549, 120742}, {"0.2749", "0.490667", "0.702129", "0.55779", "0.258171"}},
    {-4.1e100, {471016, 340054, 714183, 344441, 726727}, {"0.6478", "0.521197", "0.435722", "0.333329", "0.52939"}},
    {4.1e-100, {718366, 208648, 883956, 242994, 757338}, {"0.901887", "0.0065463", "0.803453", "0.870636", "0.183193"}},
    {1e9, {419520, 724670, 116812, 674906, 147699}, {"0.690069", "0.00981424", "0.148332", "0.678289", "0.833534"}},
    {0.5, {421193, 716927, 552770, 543444, 823835}, {"0.220934", "0.121431", "0.539694", "0.966938", "0.140441"}},
    {-32, {328805, 632182, 846894, 42266, 946619}, {"0.209162", "0.439747", "0.656531", "0.468612", "0.875596"}},
    {INFINITY, {77671, 997661, 385839, 515871, 207962}, {"0.706634", "0.588143", "0.152946", "0.603298", "0.374159"}},
    {-INFINITY, {458261, 925351, 354592, 182261, 32180}, {"0.981478", "0.506563", "0.293963", "0.0108022", "0.00975922"}},
    {12345.678, {628766, 348578, 784806, 502150, 142683}, {"0.24783", "0.319034", "0.746092", "0.650718", "0.396617"}},
};

static void test_rands_matches_openscad(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        const bi_entry *e = bi_lookup("rands");
        for (size_t k = 0; k < sizeof seeded / sizeof seeded[0]; k++) {
            val a[4] = {val_num(0), val_num(1), val_num(5), val_num(seeded[k].seed)};
            bi_call c = {ctx, FC_NOLOC, "rands", a, NULL, 4};
            val r = e->fn(&c);
            assert_int_equal(r.type, VAL_VEC);
            assert_int_equal(r.u.v->n, 5);
            for (int i = 0; i < 5; i++) {
                double x = r.u.v->items[i].u.n * 1e6;
                sbuf b;
                sb_init(&b, ctx);
                val_format_num(&b, x - floor(x));
                sb_putc(&b, '\0');
                if (floor(x) != seeded[k].hi[i] || strcmp(b.data, seeded[k].lo[i]) != 0)
                    fail_msg("seed %g item %d: %.0f + %s, expected %.0f + %s", seeded[k].seed, i,
                             floor(x), b.data, seeded[k].hi[i], seeded[k].lo[i]);
                sb_free(&b);
            }
            val_release(ctx, r);
        }
        /* unseeded: n numbers in [min, max) */
        val a[3] = {val_num(-2), val_num(3), val_num(100)};
        bi_call c = {ctx, FC_NOLOC, "rands", a, NULL, 3};
        val r = e->fn(&c);
        assert_int_equal(r.u.v->n, 100);
        for (int i = 0; i < 100; i++) assert_true(r.u.v->items[i].u.n >= -2 && r.u.v->items[i].u.n < 3);
        val_release(ctx, r);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_rands_infinite_arguments(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        int f = test_file(ctx);
        const bi_entry *e = bi_lookup("rands");
        val a[4] = {val_num(INFINITY), val_num(INFINITY), val_num(INFINITY), val_num(1.1)};
        bi_call c = {ctx, (fc_loc){f, 46, 1}, "rands", a, NULL, 4};
        val r = e->fn(&c);
        /* OpenSCAD's rands test: the bounds become -+DBL_MAX/2, one result */
        assert_int_equal(ctx->nlog, 6);
        assert_string_equal(ctx->log[0], "WARNING: rands() range min cannot be infinite in file t.scad, line 46");
        assert_string_equal(ctx->log[1],
                            "WARNING: resetting to -89884656743115785407263711865852178399035283762922498299458738401578630390014269380294779316383439085770229476757191232117160663444732091384233773351768758493024955288275641038122745045194664472037934254227566971152291618451611474082904279666061674137398913102072361584369088590459649940625202013092062429184.000000");
        assert_string_equal(ctx->log[2], "WARNING: rands() range max cannot be infinite in file t.scad, line 46");
        assert_string_equal(ctx->log[4], "WARNING: rands() cannot create an infinite number of results in file t.scad, line 46");
        assert_string_equal(ctx->log[5], "WARNING: resetting number of results to 1");
        assert_int_equal(r.u.v->n, 1);
        assert_true(fabs(r.u.v->items[0].u.n) <= 1.7976931348623157e308 / 2);
        val_release(ctx, r);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_chr_and_ord_edge_warnings(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* OpenSCAD 2021.01: chr([65:65+20000]) warns without a location and gives "" */
        assert_string_equal(call_fmt(ctx, "chr", "[65:20065]", 3), "\"\"");
        assert_int_equal(ctx->nlog, 1);
        assert_string_equal(ctx->log[0],
                            "WARNING: Bad range parameter in for statement: too many elements (20001).");
        /* invalid UTF-8 (latin-1 bytes), as in the corpus's ord-tests */
        assert_string_equal(call_fmt(ctx, "ord", "\"\xA4\"", 46), "undef");
        assert_string_equal(ctx->log[1],
                            "WARNING: ord() argument '\xA4' is not a valid utf8 string in file t.scad, line 46");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static double call1(facet_ctx *ctx, const char *fn, double x) {
    val a[1] = {val_num(x)};
    bi_call c = {ctx, FC_NOLOC, fn, a, NULL, 1};
    val r = bi_lookup(fn)->fn(&c);
    assert_int_equal(r.type, VAL_NUM);
    return r.u.n;
}

static double call2(facet_ctx *ctx, const char *fn, double x, double y) {
    val a[2] = {val_num(x), val_num(y)};
    bi_call c = {ctx, FC_NOLOC, fn, a, NULL, 2};
    val r = bi_lookup(fn)->fn(&c);
    assert_int_equal(r.type, VAL_NUM);
    return r.u.n;
}

/* OpenSCAD's trig-tests (functions/trig-tests.scad): every check printed true / PASSED
 * with OpenSCAD 2021.01. */
static void test_trig_matches_openscad_trig_tests(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        const double r2 = sqrt(2) / 2, r3 = sqrt(3) / 2, t30 = sqrt(3) / 3, t60 = sqrt(3);
        static const double sin_at[] = {0, 30, 45, 60, 90, 120, 135, 150, 180, 210, 225, 240,
                                        270, 300, 315, 330, 360};
        const double sin_is[] = {0, 0.5, r2, r3, 1, r3, r2, 0.5, 0, -0.5, -r2, -r3, -1, -r3, -r2, -0.5, 0};
        const double cos_is[] = {1, r3, r2, 0.5, 0, -0.5, -r2, -r3, -1, -r3, -r2, -0.5, 0, 0.5, r2, r3, 1};
        for (size_t i = 0; i < sizeof sin_at / sizeof sin_at[0]; i++) {
            if (call1(ctx, "sin", sin_at[i]) != sin_is[i]) fail_msg("sin(%g)", sin_at[i]);
            if (call1(ctx, "cos", sin_at[i]) != cos_is[i]) fail_msg("cos(%g)", sin_at[i]);
        }
        static const double tan_at[] = {-150, -135, -120, -90, -60, -45, -30, 30, 45, 60, 90, 120, 135, 150};
        const double tan_is[] = {t30, 1, t60, -INFINITY, -t60, -1, -t30, t30, 1, t60, INFINITY, -t60, -1, -t30};
        for (size_t i = 0; i < sizeof tan_at / sizeof tan_at[0]; i++)
            if (call1(ctx, "tan", tan_at[i]) != tan_is[i]) fail_msg("tan(%g)", tan_at[i]);
        assert_true(1 / call1(ctx, "tan", -180) == -INFINITY); /* -0 */
        assert_true(1 / call1(ctx, "tan", 0) == INFINITY);     /* +0 */
        assert_true(1 / call1(ctx, "tan", 180) == -INFINITY);
        for (int a = 0; a < 360; a++) {
            if (call1(ctx, "sin", -a) != -call1(ctx, "sin", a)) fail_msg("sin odd at %d", a);
            if (call1(ctx, "cos", -a) != call1(ctx, "cos", a)) fail_msg("cos even at %d", a);
            if (call1(ctx, "tan", -a) != -call1(ctx, "tan", a)) fail_msg("tan odd at %d", a);
        }
        for (int p = -4; p <= 5; p++) {
            for (int a = 0; a < 360; a++) {
                double a1 = a + p * 360, a2 = a + (p - 1) * 360;
                if (call1(ctx, "sin", a1) != call1(ctx, "sin", a2)) fail_msg("sin period %d", a);
                if (call1(ctx, "cos", a1) != call1(ctx, "cos", a2)) fail_msg("cos period %d", a);
                if (call1(ctx, "tan", a1) != call1(ctx, "tan", a2)) fail_msg("tan period %d", a);
            }
        }
        for (int a = -90; a <= 90; a++) {
            if (call1(ctx, "asin", call1(ctx, "sin", a)) != a) fail_msg("asin inverse at %d", a);
            if (call1(ctx, "atan", call1(ctx, "tan", a)) != a) fail_msg("atan inverse at %d", a);
        }
        for (int a = 0; a <= 180; a++)
            if (call1(ctx, "acos", call1(ctx, "cos", a)) != a) fail_msg("acos inverse at %d", a);
        for (int a = -180; a < 180; a++)
            if (call2(ctx, "atan2", call1(ctx, "sin", a), call1(ctx, "cos", a)) != a)
                fail_msg("atan2 inverse at %d", a);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_function_table),
        cmocka_unit_test(test_lookup_table_is_complete),
        cmocka_unit_test(test_rands_matches_openscad),
        cmocka_unit_test(test_rands_infinite_arguments),
        cmocka_unit_test(test_chr_and_ord_edge_warnings),
        cmocka_unit_test(test_trig_matches_openscad_trig_tests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
