/*
 * test_cli.c — the CLI's pieces without a render: argument spellings (OpenSCAD's), the JSON
 * reader, parameter sets and -D overrides, the file resolver's font mapping and the change
 * detection behind --watch. The end-to-end behaviour of the `facet` binary is tested by
 * native-tests/test_cli.sh.
 *
 * The CLI is not part of the library, so its sources are included here directly.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "../src/cli/args.c"
#include "../src/cli/files.c"
#include "../src/cli/json.c"
#include "../src/cli/params.c"

/* ------------------------------------------------------------------ arguments */

static int parse(cli_args *a, char *err, int argc, const char **argv) {
    return cli_parse_args(argc, (char **)argv, a, err, 256);
}

static void test_args_spellings(void **state) {
    (void)state;
    cli_args a;
    char err[256];
    const char *v1[] = {"facet", "m.scad", "-o", "out.stl", "-D", "a=1", "-Db=2", "--D=c=3",
                        "--export-format", "off", "-p", "set.json", "-Psmall", "--stats", "-q"};
    assert_int_equal(parse(&a, err, 15, v1), 0);
    assert_string_equal(a.input, "m.scad");
    assert_string_equal(a.output, "out.stl");
    assert_int_equal(a.ndefines, 3);
    assert_string_equal(a.defines[0], "a=1");
    assert_string_equal(a.defines[1], "b=2");
    assert_string_equal(a.defines[2], "c=3");
    assert_string_equal(a.export_format, "off");
    assert_string_equal(a.param_file, "set.json");
    assert_string_equal(a.param_set, "small");
    assert_true(a.stats && a.quiet);
    assert_false(a.watch || a.params || a.help || a.version);
    cli_args_free(&a);

    const char *v2[] = {"facet", "-oout.3mf", "--export-format=3mf", "--params", "--watch",
                        "--quiet", "-h", "--version", "x.scad"};
    assert_int_equal(parse(&a, err, 9, v2), 0);
    assert_string_equal(a.output, "out.3mf");
    assert_string_equal(a.export_format, "3mf");
    assert_true(a.params && a.watch && a.quiet && a.help && a.version);
    assert_string_equal(a.input, "x.scad");
    cli_args_free(&a);

    const char *v3[] = {"facet", "--o", "-", "m.scad"};
    assert_int_equal(parse(&a, err, 4, v3), 0);
    assert_string_equal(a.output, "-");
    cli_args_free(&a);
}

static void test_args_errors(void **state) {
    (void)state;
    cli_args a;
    char err[256];
    const char *v1[] = {"facet", "--bogus", "m.scad"};
    assert_int_equal(parse(&a, err, 3, v1), 1);
    assert_string_equal(err, "unrecognised option '--bogus'"); /* OpenSCAD's wording */
    cli_args_free(&a);
    const char *v2[] = {"facet", "m.scad", "-o"};
    assert_int_equal(parse(&a, err, 3, v2), 1);
    assert_non_null(strstr(err, "'--o' is missing"));
    cli_args_free(&a);
    const char *v3[] = {"facet", "a.scad", "b.scad"};
    assert_int_equal(parse(&a, err, 3, v3), 1);
    cli_args_free(&a);
    /* "--params" is a flag, not -p with "arams" */
    const char *v4[] = {"facet", "--paramsx", "a.scad"};
    assert_int_equal(parse(&a, err, 3, v4), 1);
    cli_args_free(&a);
}

/* ------------------------------------------------------------------ JSON */

static void test_json_values(void **state) {
    (void)state;
    char err[200];
    const char *text = " {\"a\": [1, -2.5e3, true, null, \"x\"], \"s\": \"\\u00e9\\ud83d\\ude00\\n\\\"\","
                       " \"o\": {\"k\": false}, \"a\": 7 } ";
    cj_value *v = cj_parse(text, strlen(text), err, sizeof err);
    assert_non_null(v);
    assert_int_equal(v->type, CJ_OBJ);
    const cj_value *a = cj_get(v, "a");
    assert_int_equal(a->type, CJ_NUM); /* duplicates: the last one wins */
    assert_true(a->num == 7);
    const cj_value *arr = v->child;
    assert_int_equal(arr->type, CJ_ARR);
    assert_int_equal((int)arr->rawlen, (int)strlen("[1, -2.5e3, true, null, \"x\"]"));
    assert_memory_equal(arr->raw, "[1, -2.5e3, true, null, \"x\"]", arr->rawlen);
    const cj_value *e = arr->child;
    assert_true(e->type == CJ_NUM && e->num == 1);
    e = e->next;
    assert_true(e->type == CJ_NUM && e->num == -2500);
    e = e->next;
    assert_true(e->type == CJ_BOOL && e->b);
    e = e->next;
    assert_int_equal(e->type, CJ_NULL);
    e = e->next;
    assert_string_equal(e->str, "x");
    assert_null(e->next);
    /* é = C3 A9, U+1F600 = F0 9F 98 80 */
    assert_string_equal(cj_get(v, "s")->str, "\xC3\xA9\xF0\x9F\x98\x80\n\"");
    assert_false(cj_get(cj_get(v, "o"), "k")->b);
    assert_null(cj_get(v, "missing"));
    assert_null(cj_get(a, "k")); /* not an object */
    cj_free(v);
}

static void test_json_rejects_malformed(void **state) {
    (void)state;
    static const char *const bad[] = {
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "\"abc", "\"\\q\"", "[1] x", "tru", "-",
        "{\"a\":\"\\ud800\\u0041\"}", "\"\x01\"", "01x",
    };
    char err[200];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cj_value *v = cj_parse(bad[i], strlen(bad[i]), err, sizeof err);
        if (v) fail_msg("accepted malformed JSON: %s", bad[i]);
        assert_true(strlen(err) > 0);
    }
    /* nesting deeper than the limit is refused instead of recursing without bound */
    char deep[400];
    memset(deep, '[', 200);
    memset(deep + 200, ']', 200);
    assert_null(cj_parse(deep, 400, err, sizeof err));
    assert_non_null(strstr(err, "nesting"));
    memset(deep, '[', 30);
    memset(deep + 30, ']', 30);
    cj_value *ok = cj_parse(deep, 60, err, sizeof err);
    assert_non_null(ok);
    cj_free(ok);
}

/* ------------------------------------------------------------------ parameters */

static const char *expr_of(const cli_params *p, const char *name) {
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->list[i].name, name) == 0) return p->list[i].expr;
    return NULL;
}

static void test_parameter_set_from_corpus(void **state) {
    (void)state;
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/examples/Parametric/sign.json",
             tu_env("FACET_CORPUS", "../shared/corpus"));
    size_t len;
    char *json = cli_slurp(path, &len);
    if (!json) skip();
    /* the model's parameter types as facet_parameters reports them */
    const char *types = "[{\"name\":\"Message\",\"type\":\"string\"},{\"name\":\"To\",\"type\":"
                        "\"string\"},{\"name\":\"height\",\"type\":\"number\"},{\"name\":"
                        "\"radius\",\"type\":\"number\"},{\"name\":\"resolution\",\"type\":\"number\"}]";
    cli_params p;
    memset(&p, 0, sizeof p);
    assert_int_equal(cli_params_add_set(&p, json, len, "sign.json", "Congo Sign", types, err, sizeof err), 0);
    assert_int_equal(p.n, 5);
    assert_string_equal(expr_of(&p, "Message"), "\"Congratulations\"");
    assert_string_equal(expr_of(&p, "To"), "\"openSCAD\"");
    assert_string_equal(expr_of(&p, "radius"), "67");
    assert_string_equal(expr_of(&p, "resolution"), "20");
    /* -D comes after the set and replaces its value */
    assert_int_equal(cli_params_add_define(&p, " radius = 5*2", err, sizeof err), 0);
    assert_int_equal(p.n, 5);
    assert_string_equal(expr_of(&p, "radius"), " 5*2");
    assert_int_equal(cli_params_add_define(&p, "extra=[1,2]", err, sizeof err), 0);
    assert_int_equal(p.n, 6);
    /* an unknown set is an error naming it */
    assert_int_equal(cli_params_add_set(&p, json, len, "sign.json", "nope", types, err, sizeof err), 1);
    assert_string_equal(err, "Parameter set 'nope' not found in 'sign.json'");
    cli_params_free(&p);
    free(json);
}

static void test_parameter_values_without_types(void **state) {
    (void)state;
    const char *json = "{\"parameterSets\":{\"s\":{\"n\":\"10\",\"v\":\"[1, 2]\",\"b\":\"true\","
                       "\"t\":\"hello \\\"you\\\"\",\"raw\":12.5,\"arr\":[1,\"a\"],\"neg\":\"-3\"}},"
                       "\"fileFormatVersion\":\"1\"}";
    char err[512];
    cli_params p;
    memset(&p, 0, sizeof p);
    assert_int_equal(cli_params_add_set(&p, json, strlen(json), "f.json", "s", NULL, err, sizeof err), 0);
    assert_string_equal(expr_of(&p, "n"), "10");
    assert_string_equal(expr_of(&p, "v"), "[1, 2]");
    assert_string_equal(expr_of(&p, "b"), "true");
    assert_string_equal(expr_of(&p, "t"), "\"hello \\\"you\\\"\"");
    assert_string_equal(expr_of(&p, "raw"), "12.5");
    assert_string_equal(expr_of(&p, "arr"), "[1,\"a\"]");
    assert_string_equal(expr_of(&p, "neg"), "-3");
    /* a declared string stays text even when it looks like a number */
    cli_params q;
    memset(&q, 0, sizeof q);
    assert_int_equal(cli_params_add_set(&q, json, strlen(json), "f.json", "s",
                                        "[{\"name\":\"n\",\"type\":\"string\"}]", err, sizeof err), 0);
    assert_string_equal(expr_of(&q, "n"), "\"10\"");
    cli_params_free(&q);
    assert_int_equal(cli_params_add_define(&p, "novalue", err, sizeof err), 1);
    assert_int_equal(cli_params_add_define(&p, "=3", err, sizeof err), 1);
    assert_int_equal(cli_params_add_set(&p, "{oops", 5, "f.json", "s", NULL, err, sizeof err), 1);
    assert_non_null(strstr(err, "Cannot parse parameter file 'f.json'"));
    cli_params_free(&p);
}

/* ------------------------------------------------------------------ files */

static void test_resolver_and_watch(void **state) {
    (void)state;
    char dir[] = "/tmp/facet-cli-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char model[256], fonts[256];
    snprintf(model, sizeof model, "%s/m.scad", dir);
    snprintf(fonts, sizeof fonts, "%s/fonts.bin", dir);
    FILE *f = fopen(model, "w");
    fputs("cube(1);", f);
    fclose(f);
    f = fopen(fonts, "w");
    fputs("FONTS", f);
    fclose(f);

    cli_state s;
    cli_state_init(&s, "facet");
    free(s.fonts_path);
    s.fonts_path = strdup(fonts);
    const char *data;
    size_t len;
    assert_int_equal(cli_read_file(&s, FACET_FONTS_PATH, &data, &len), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(data, "FONTS", 5);
    assert_int_equal(cli_read_file(&s, model, &data, &len), 0);
    assert_string_equal(data, "cube(1);");
    assert_int_equal(s.nseen, 1); /* the model is watched, the font pack is not */
    assert_int_not_equal(cli_read_file(&s, "/nonexistent/x.scad", &data, &len), 0);
    assert_int_not_equal(cli_read_file(&s, dir, &data, &len), 0); /* a directory */
    cli_release_buffers(&s);
    assert_int_equal(s.nbuffers, 0);

    assert_false(cli_files_changed(&s));
    struct timespec times[2] = {{0, UTIME_OMIT}, {12345, 0}};
    assert_int_equal(utimensat(AT_FDCWD, model, times, 0), 0);
    assert_true(cli_files_changed(&s));
    assert_false(cli_files_changed(&s)); /* remembered */
    unlink(model);
    assert_true(cli_files_changed(&s)); /* deletion is a change too */
    cli_state_free(&s);
    unlink(fonts);
    rmdir(dir);
}

static void test_library_paths_from_openscadpath(void **state) {
    (void)state;
    /* OPENSCADPATH first, in order, empty entries skipped; then the user's library folder
     * (under $HOME, when it exists) and an installed OpenSCAD's, as OpenSCAD searches */
    char home[] = "/tmp/facet-home-XXXXXX";
    assert_non_null(mkdtemp(home));
    char user[512];
    snprintf(user, sizeof user, "%s/.local/share/OpenSCAD/libraries", home);
    char *p = user + strlen(home);
    while ((p = strchr(p + 1, '/'))) {
        *p = '\0';
        mkdir(user, 0700);
        *p = '/';
    }
    assert_int_equal(mkdir(user, 0700), 0);
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    setenv("HOME", home, 1);
    setenv("OPENSCADPATH", "/a/lib::/b/lib", 1);
    cli_state s;
    cli_state_init(&s, "facet");
    assert_string_equal(s.lib_paths[0], "/a/lib");
    assert_string_equal(s.lib_paths[1], "/b/lib");
    assert_string_equal(s.lib_paths[2], user);
    for (int i = 3; s.lib_paths[i]; i++) {
        const char *tail = "/openscad/libraries";
        size_t n = strlen(s.lib_paths[i]);
        assert_true(n > strlen(tail) && strcmp(s.lib_paths[i] + n - strlen(tail), tail) == 0);
    }
    cli_state_free(&s);
    unsetenv("OPENSCADPATH");
    rmdir(user);
    cli_state_init(&s, "facet");
    /* without OPENSCADPATH and without the user folder only installed folders remain */
    for (int i = 0; s.lib_paths[i]; i++) assert_non_null(strstr(s.lib_paths[i], "/openscad/libraries"));
    cli_state_free(&s);
    if (old_home) setenv("HOME", old_home, 1);
    else unsetenv("HOME");
    free(old_home);
    for (int k = 0; k < 3; k++) {
        char *slash = strrchr(user, '/');
        *slash = '\0';
        rmdir(user);
    }
    rmdir(home);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_args_spellings),
        cmocka_unit_test(test_args_errors),
        cmocka_unit_test(test_json_values),
        cmocka_unit_test(test_json_rejects_malformed),
        cmocka_unit_test(test_parameter_set_from_corpus),
        cmocka_unit_test(test_parameter_values_without_types),
        cmocka_unit_test(test_resolver_and_watch),
        cmocka_unit_test(test_library_paths_from_openscadpath),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
