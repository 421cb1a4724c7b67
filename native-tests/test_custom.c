/*
 * test_custom.c — customizer parameters (custom_params_json).
 *
 * Expected values: the widget specs, descriptions and groups are the annotations OpenSCAD
 * 2021.01 attaches to each assignment (`openscad -o x.ast` prints them as
 * //Parameter(...), //Description(...), //Group(...) comments; quoted in the comments below),
 * turned into parameters by the rules of OpenSCAD's ParameterObject: a list spec is a
 * dropdown (the default is added first when it is not an option, numbers are labelled "%g"),
 * a single-number list is a maximum, a range gives min/max/step (min 0 and step 1 when
 * missing), a plain number is a step, group "Hidden" hides, vectors have 1 to 4 numbers.
 */
#include "testutil.h"

#include "core/sbuf.h"
#include "lang/parse.h"

static char *params_protected(facet_ctx *ctx, const char *path, const char *src, size_t len) {
    const char *base = strrchr(path, '/');
    int file = fc_file_add(ctx, path, base ? base + 1 : path);
    ast_program *prog = parse_program(ctx, file, src, len);
    sbuf b;
    sb_init(&b, ctx);
    custom_params_json(ctx, prog, src, len, &b);
    return sb_take(&b, NULL);
}

/* The JSON of `src` (a copy the caller frees). */
static char *params_of(const char *path, const char *src, size_t len) {
    facet_ctx *ctx = tu_ctx();
    char *volatile json = NULL;
    TU_PROTECT(ctx) { json = params_protected(ctx, path, src, len); }
    if (ctx->err.kind != FACET_ERR_OK) fail_msg("%s: %s", path, ctx->err.message);
    char *copy = strdup(json);
    tu_ctx_free(ctx);
    return copy;
}

static char *params_of_file(const char *rel) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", tu_env("FACET_CORPUS", "../shared/corpus"), rel);
    size_t len = 0;
    char *src = tu_slurp(path, &len);
    if (!src) fail_msg("cannot read %s", path);
    char *json = params_of(path, src, len);
    free(src);
    return json;
}

static char *params_of_text(const char *src) { return params_of("t.scad", src, strlen(src)); }

/* The object of parameter `name` in the array, or NULL. */
static char *param(const char *json, const char *name) {
    char key[256];
    snprintf(key, sizeof key, "{\"name\":\"%s\",", name);
    const char *p = strstr(json, key);
    if (!p) return NULL;
    int depth = 0;
    bool str = false;
    const char *q = p;
    for (; *q; q++) {
        if (str) {
            if (*q == '\\') q++;
            else if (*q == '"') str = false;
            continue;
        }
        if (*q == '"') str = true;
        else if (*q == '{') depth++;
        else if (*q == '}' && --depth == 0) break;
    }
    static char out[4096];
    size_t n = (size_t)(q - p) + 1;
    if (n >= sizeof out) n = sizeof out - 1;
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

static void expect_param(const char *json, const char *name, const char *expected) {
    const char *got = param(json, name);
    if (!got) fail_msg("parameter %s missing in %s", name, json);
    if (strcmp(got, expected) != 0) fail_msg("%s\n  expected %s\n  got      %s", name, expected, got);
}

static int count_params(const char *json) {
    /* one pass (ASan's strstr measures the whole haystack on every call) */
    int n = 0;
    for (const char *p = json; *p; p++)
        if (*p == '{' && strncmp(p, "{\"name\":", 8) == 0) n++;
    return n;
}

static void test_parameter_specs(void **state) {
    (void)state;
    char *j = params_of_file("openscad-tests/scad/customizer/parameter.scad");
    /* Parameter("") */
    expect_param(j, "x", "{\"name\":\"x\",\"default\":1,\"type\":\"number\",\"group\":"
                         "\"Parameters\",\"description\":\"\",\"line\":1}");
    /* Parameter(12): a step */
    expect_param(j, "x1", "{\"name\":\"x1\",\"default\":1,\"type\":\"number\",\"step\":12,"
                          "\"group\":\"Parameters\",\"description\":\"\",\"line\":3}");
    /* Parameter([1 : 12]) */
    expect_param(j, "x5", "{\"name\":\"x5\",\"default\":1,\"type\":\"number\",\"min\":1,"
                          "\"max\":12,\"step\":1,\"group\":\"Parameters\",\"description\":\"\","
                          "\"line\":11}");
    /* Parameter([1 : 2 : 12]) */
    expect_param(j, "x6", "{\"name\":\"x6\",\"default\":1,\"type\":\"number\",\"min\":1,"
                          "\"max\":12,\"step\":2,\"group\":\"Parameters\",\"description\":\"\","
                          "\"line\":13}");
    /* x7 `[1:12 `, x8 `[1 12]`, x9 two specs, x10/x11 blanks: Parameter("") */
    static const char *const plain[] = {"x7", "x8", "x9", "x10", "x11", "x15", "x27"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        const char *o = param(j, plain[i]);
        assert_non_null(o);
        assert_null(strstr(o, "\"min\""));
        assert_null(strstr(o, "\"step\""));
        assert_null(strstr(o, "\"options\""));
    }
    /* Parameter([12]): a maximum, min 0 */
    expect_param(j, "x12", "{\"name\":\"x12\",\"default\":1,\"type\":\"number\",\"min\":0,"
                           "\"max\":12,\"step\":1,\"group\":\"Parameters\",\"description\":\"\","
                           "\"line\":25}");
    /* Parameter([[10, "Small"], [20, "34 Medium"], [30, "Large 12"]]) */
    expect_param(j, "x13a",
                 "{\"name\":\"x13a\",\"default\":10,\"type\":\"number\",\"options\":[{\"value\":10,"
                 "\"label\":\"Small\"},{\"value\":20,\"label\":\"34 Medium\"},{\"value\":30,"
                 "\"label\":\"Large 12\"}],\"group\":\"Parameters\",\"description\":\"\","
                 "\"line\":28}");
    /* Parameter([0, 1, 2, 3]) with default 10: the default goes first */
    expect_param(j, "x16",
                 "{\"name\":\"x16\",\"default\":10,\"type\":\"number\",\"options\":[{\"value\":10,"
                 "\"label\":\"10\"},{\"value\":0,\"label\":\"0\"},{\"value\":1,\"label\":\"1\"},"
                 "{\"value\":2,\"label\":\"2\"},{\"value\":3,\"label\":\"3\"}],\"group\":"
                 "\"Parameters\",\"description\":\"\",\"line\":34}");
    /* Parameter([["foo", 10], ["bar", 10], ["baz", 30]]): values are the strings */
    expect_param(j, "x20",
                 "{\"name\":\"x20\",\"default\":\"text\",\"type\":\"string\",\"options\":[{"
                 "\"value\":\"text\",\"label\":\"text\"},{\"value\":\"foo\",\"label\":\"10\"},{"
                 "\"value\":\"bar\",\"label\":\"10\"},{\"value\":\"baz\",\"label\":\"30\"}],"
                 "\"group\":\"Parameters\",\"description\":\"\",\"line\":41}");
    /* Parameter([23, 4]) on a vector: no limits */
    expect_param(j, "x22", "{\"name\":\"x22\",\"default\":[12,34],\"type\":\"vector\",\"group\":"
                           "\"Parameters\",\"description\":\"\",\"line\":45}");
    /* six numbers: no parameter; `!1` and vectors of strings are not literals of a type */
    assert_null(param(j, "x24"));
    assert_null(param(j, "x29"));
    assert_null(param(j, "x30"));
    assert_null(param(j, "x31"));
    /* x25 and x26 share a line: Parameter("") for both */
    assert_null(strstr(param(j, "x25"), "\"step\""));
    expect_param(j, "x28", "{\"name\":\"x28\",\"default\":-12,\"type\":\"number\",\"group\":"
                           "\"Parameters\",\"description\":\"\",\"line\":54}");
    assert_int_equal(count_params(j), 29);
    free(j);
}

static void test_groups(void **state) {
    (void)state;
    char *j = params_of_file("openscad-tests/scad/customizer/group.scad");
    /* Group(" Global "), Description("slider widget for number"), Parameter([10 : 100]) */
    expect_param(j, "slider",
                 "{\"name\":\"slider\",\"default\":34,\"type\":\"number\",\"min\":10,\"max\":100,"
                 "\"step\":1,\"group\":\"Global\",\"description\":\"slider widget for number\","
                 "\"line\":15}");
    /* Group("Hidden") */
    assert_null(param(j, "Variable"));
    /* Group("Global"), Parameter(23) */
    expect_param(j, "Spinbox", "{\"name\":\"Spinbox\",\"default\":5,\"type\":\"number\",\"step\":"
                               "23,\"group\":\"Global\",\"description\":\"spinbox with step size "
                               "23\",\"line\":28}");
    /* Group("Textbox"): the six-number vector is no parameter */
    assert_null(param(j, "Vector"));
    assert_non_null(strstr(param(j, "String"), "\"group\":\"Textbox\""));
    /* Group("group after \" in previous comment ") */
    assert_non_null(strstr(param(j, "Vector3"),
                           "\"group\":\"group after \\\" in previous comment\""));
    /* Parameter([["S", "Small"], ...]) */
    expect_param(j, "Labeled_value",
                 "{\"name\":\"Labeled_value\",\"default\":\"S\",\"type\":\"string\",\"options\":"
                 "[{\"value\":\"S\",\"label\":\"Small\"},{\"value\":\"M\",\"label\":\"Medium\"},"
                 "{\"value\":\"L\",\"label\":\"Large\"}],\"group\":\"Parameters\","
                 "\"description\":\"labeled combo box for string\",\"line\":11}");
    assert_null(param(j, "Vector4")); /* empty vector */
    free(j);
}

static void test_descriptions(void **state) {
    (void)state;
    char *j = params_of_file("openscad-tests/scad/customizer/description.scad");
    static const char *const cases[][2] = {
        {"x", "normal description"},
        {"x2", "normal  starting width spaces description"},
        {"x3", "normal starting tab spaces description"},
        {"x4", ""},                   /* `//` not at the start of the line */
        {"x5", "double description  "}, /* reassigned: the later line's description */
        {"x6", ""},
        {"x8", ""},
        {"x9", "description sandwiched between two assignments"},
        {"x13", "double description  "},
        {"x14", "double description            normal comment starting with tab before  "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char want[512];
        snprintf(want, sizeof want, "\"description\":\"%s\"", cases[i][1]);
        const char *o = param(j, cases[i][0]);
        if (!o || !strstr(o, want)) fail_msg("%s: want %s in %s", cases[i][0], want, o ? o : "-");
    }
    /* x13 = 7 overwrote x13 = 3 */
    assert_non_null(strstr(param(j, "x13"), "\"default\":7,"));
    free(j);
}

static void test_parametric_examples(void **state) {
    (void)state;
    char *j = params_of_file("examples/Parametric/candleStand.scad");
    expect_param(j, "length",
                 "{\"name\":\"length\",\"default\":50,\"type\":\"number\",\"options\":[{\"value\":"
                 "70,\"label\":\"large\"},{\"value\":50,\"label\":\"medium\"},{\"value\":30,"
                 "\"label\":\"small\"}],\"group\":\"Candle Stand\",\"description\":\"Length of "
                 "candle stand\",\"line\":3}");
    expect_param(j, "count", "{\"name\":\"count\",\"default\":7,\"type\":\"number\",\"min\":3,"
                             "\"max\":14,\"step\":1,\"group\":\"Number of candle holders\","
                             "\"description\":\"Number of candle holders\",\"line\":13}");
    expect_param(j, "centerCandle",
                 "{\"name\":\"centerCandle\",\"default\":true,\"type\":\"boolean\",\"group\":"
                 "\"Number of candle holders\",\"description\":\"Do you want center Candle\","
                 "\"line\":16}");
    /* the parameter set file names the parameters a model has */
    static const char *const names[] = {"CenterCandleWidth", "candleSize", "count", "heightOfRing",
                                        "heightOfSupport", "holeSize", "length", "radius",
                                        "width", "widthOfRing", "widthOfSupport", "centerCandle"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) assert_non_null(param(j, names[i]));
    assert_int_equal(count_params(j), 12);
    free(j);

    j = params_of_file("examples/Parametric/sign.scad");
    expect_param(j, "radius", "{\"name\":\"radius\",\"default\":80,\"type\":\"number\",\"min\":60,"
                              "\"max\":200,\"step\":1,\"group\":\"properties of Sign\","
                              "\"description\":\"The horizontal radius of the outer ellipse of "
                              "the sign.\",\"line\":21}");
    assert_non_null(strstr(param(j, "resolution"), "{\"value\":100,\"label\":\"100\"}"));
    assert_non_null(strstr(param(j, "Message"),
                           "\"options\":[{\"value\":\"Welcome to...\",\"label\":\"Welcome "
                           "to...\"},{\"value\":\"Happy Birthday!\""));
    free(j);
}

static void test_rules(void **state) {
    (void)state;
    /* only literals before the first '{', only the main file's top level */
    char *j = params_of_text("a = 1; // [0:10]\n"
                             "b = a + 1;\n"
                             "c = [1, 2, 3, 4, 5];\n"
                             "d = \"s\"; // 8\n"
                             "e = -2.5; // [-5:0.5:5]\n"
                             "module m() { f = 1; }\n"
                             "g = 2;\n");
    assert_non_null(param(j, "a"));
    assert_null(param(j, "b"));
    assert_null(param(j, "c"));
    assert_non_null(param(j, "d"));
    expect_param(j, "e", "{\"name\":\"e\",\"default\":-2.5,\"type\":\"number\",\"min\":-5,\"max\":"
                         "5,\"step\":0.5,\"group\":\"Parameters\",\"description\":\"\",\"line\":5}");
    assert_null(param(j, "f"));
    assert_null(param(j, "g"));
    free(j);
    /* the limits widen to include the default */
    j = params_of_text("v = [1, 20]; // [0:10]\nn = -3; // [0:10]\n");
    expect_param(j, "v", "{\"name\":\"v\",\"default\":[1,20],\"type\":\"vector\",\"min\":0,"
                         "\"max\":20,\"step\":1,\"group\":\"Parameters\",\"description\":\"\","
                         "\"line\":1}");
    assert_non_null(strstr(param(j, "n"), "\"min\":-3,\"max\":10,"));
    free(j);
    /* a '{' inside a string also ends the parameters (as in OpenSCAD's scan) */
    j = params_of_text("a = 1;\ns = \"{\";\nb = 2;\n");
    assert_non_null(param(j, "a"));
    assert_null(param(j, "b"));
    free(j);
    j = params_of_text("");
    assert_string_equal(j, "[]");
    free(j);
}

/* Through the API, one context: the JSON of the last text is kept and handed out again while
 * the text is the same (a slider drag), so a different text of the same length, a text seen
 * two renders ago, an override (which does not change the defaults) and facet_parameters in
 * between must each still give the JSON of the text rendered now. */
static void test_params_across_renders(void **state) {
    (void)state;
    facet_ctx *ctx = facet_new(NULL);
    assert_non_null(ctx);
    const char *a = "a = 1; // [0:10]\ncube(a);\n", *b = "a = 2; // [0:10]\ncube(a);\n";
    const char *seq[] = {a, a, b, a, b, b};
    const facet_param ov = {"a", "5"};
    for (int i = 0; i < 6; i++) {
        facet_result r;
        assert_int_equal(facet_render(ctx, "t.scad", seq[i], strlen(seq[i]), i == 1 ? &ov : NULL,
                                      i == 1 ? 1 : 0, FACET_FORMAT_NONE, &r),
                         FACET_ERR_OK);
        char want[64];
        snprintf(want, sizeof want, "\"default\":%d,", seq[i] == a ? 1 : 2);
        assert_non_null(strstr(r.params_json, want));
        /* the wasm host empties the render pool with an empty text between requests */
        assert_int_equal(facet_parameters(ctx, NULL, "", 0, &r), FACET_ERR_OK);
        assert_string_equal(r.params_json, "[]");
    }
    facet_result r;
    assert_int_equal(facet_parameters(ctx, "t.scad", b, strlen(b), &r), FACET_ERR_OK);
    assert_non_null(strstr(r.params_json, "\"default\":2,"));
    assert_int_equal(facet_render(ctx, "t.scad", a, strlen(a), NULL, 0, FACET_FORMAT_NONE, &r),
                     FACET_ERR_OK);
    assert_non_null(strstr(r.params_json, "\"default\":1,"));
    facet_free(ctx);
}

/* Many parameters, groups and descriptions: the scan stays linear. */
static void test_many_parameters(void **state) {
    (void)state;
    int n = 50000;
    size_t cap = (size_t)n * 80 + 1, len = 0;
    char *src = malloc(cap);
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(src + len, cap - len, "/* [G%d] */\n// d%d\nv%d = %d; // [0:%d]\n", i,
                                i, i, i, i + 10);
    char *j = params_of("t.scad", src, len);
    assert_int_equal(count_params(j), n);
    expect_param(j, "v49999", "{\"name\":\"v49999\",\"default\":49999,\"type\":\"number\","
                              "\"min\":0,\"max\":50009,\"step\":1,\"group\":\"G49999\","
                              "\"description\":\"d49999\",\"line\":150000}");
    free(j);
    free(src);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parameter_specs),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_descriptions),
        cmocka_unit_test(test_parametric_examples),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_many_parameters),
        cmocka_unit_test(test_params_across_renders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
