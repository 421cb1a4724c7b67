/*
 * test_poly2_corpus.c — the 2D stage through the whole pipeline: every model of OpenSCAD's
 * own 2D regression tests renders without an error, and the examples whose geometry is
 * made by 2D operations, extrusions, projection, offset, surface() and DXF import match
 * OpenSCAD 2021.01's reference volumes/areas in the corpus (examples.tsv).
 *
 * The 2D references carry a residual of up to ~1e-5: they are shoelace areas of OpenSCAD's
 * DXF output, whose coordinates have six significant digits, while this compares our exact
 * area (conformance-geometry.sh compares the DXF areas at 1e-6). Examples that draw text
 * are not compared: the corpus references were made with other fonts than the Liberation
 * fonts we ship (test_text checks text against OpenSCAD with these fonts). Skipped under
 * FACET_SLOW_SKIP.
 */
#include <dirent.h>
#include <math.h>

#include "testutil.h"

static int pack_read(void *user, const char *path, const char **data, size_t *len) {
    (void)user;
    static char pack[1024];
    if (strcmp(path, FACET_FONTS_PATH) == 0) {
        snprintf(pack, sizeof pack, "%s/facet-fonts.bin", tu_env("FACET_BUILD", "build"));
        path = pack;
    }
    return tu_read_file(NULL, path, data, len);
}

static facet_ctx *corpus_ctx(void) {
    facet_options opt;
    memset(&opt, 0, sizeof opt);
    opt.read_file = pack_read;
    return tu_ctx_opts(opt);
}

static facet_error_kind render_file(facet_ctx *ctx, const char *path, facet_result *out) {
    size_t len = 0;
    char *src = tu_slurp(path, &len);
    assert_non_null(src);
    facet_error_kind k = facet_render(ctx, path, src, len, NULL, 0, FACET_FORMAT_NONE, out);
    free(src);
    return k;
}

/* The whole pipeline over a corpus is slow under valgrind: `make valgrind` sets this. */
static void skip_if_slow(void) {
    if (getenv("FACET_SLOW_SKIP")) skip();
}

static void render_dir(const char *sub) {
    skip_if_slow();
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/openscad-tests/scad/2D/%s", tu_env("FACET_CORPUS", "../shared/corpus"), sub);
    DIR *d = opendir(dir);
    if (!d) {
        print_message("corpus missing: %s\n", dir);
        skip();
    }
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 5, ".scad") != 0) continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        facet_ctx *ctx = corpus_ctx();
        facet_result out;
        memset(&out, 0, sizeof out);
        facet_error_kind k = render_file(ctx, path, &out);
        if (k != FACET_ERR_OK) print_message("%s: %s\n", e->d_name, facet_last_error(ctx)->message);
        assert_int_equal(k, FACET_ERR_OK);
        for (int i = 0; i < out.nlog; i++) {
            if (strncmp(out.log[i], "ERROR:", 6) == 0) print_message("%s: %s\n", e->d_name, out.log[i]);
            assert_true(strncmp(out.log[i], "ERROR:", 6) != 0);
        }
        tu_ctx_free(ctx);
        n++;
    }
    closedir(d);
    assert_true(n > 0);
}

static void test_2d_features_render(void **state) {
    (void)state;
    render_dir("features");
}

static void test_2d_issues_render(void **state) {
    (void)state;
    render_dir("issues");
}

typedef struct ref {
    const char *rel;
    int dim;
    double value; /* volume (3D) or area (2D), OpenSCAD 2021.01, examples.tsv */
    double tol;
} ref;

static void test_examples_match_openscad(void **state) {
    (void)state;
    skip_if_slow();
    static const ref refs[] = {
        {"examples/Basics/linear_extrude.scad", 3, 12738.308530484943, 1e-6},
        {"examples/Basics/projection.scad", 3, 5115.495069685408, 1e-6},
        {"examples/Advanced/offset.scad", 3, 59915.76840129368, 1e-6},
        {"examples/Advanced/surface_image.scad", 3, 4352.583508337645, 1e-6},
        {"examples/Old/example007.scad", 3, 3439.9697971264195, 1e-6},
        {"examples/Old/example008.scad", 3, 43145.83333333333, 1e-6},
        {"examples/Old/example009.scad", 3, 5518.115739616567, 1e-6},
        {"examples/Old/example010.scad", 3, 13750.540616509496, 1e-6},
        {"examples/Old/example013.scad", 3, 61333.33333333332, 1e-6},
        {"examples/Old/example016.scad", 3, 38359.16724584043, 1e-6},
        {"examples/Old/example015.scad", 2, 2390.6429532927186, 1e-5},
        {"examples/Advanced/module_recursion.scad", 2, 9055.974984139295, 1e-4},
        {"examples/Functions/list_comprehensions.scad", 2, 1344.2197490356505, 1e-4},
    };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", tu_env("FACET_CORPUS", "../shared/corpus"), refs[i].rel);
        facet_ctx *ctx = corpus_ctx();
        facet_result out;
        memset(&out, 0, sizeof out);
        assert_int_equal(render_file(ctx, path, &out), FACET_ERR_OK);
        assert_int_equal(out.stats.dim, refs[i].dim);
        double got = refs[i].dim == 3 ? out.stats.volume : out.stats.area;
        if (!tu_close(got, refs[i].value, refs[i].tol))
            print_message("%s: %.10g, OpenSCAD %.10g\n", refs[i].rel, got, refs[i].value);
        assert_true(tu_close(got, refs[i].value, refs[i].tol));
        if (refs[i].dim == 3) assert_true(out.stats.manifold);
        tu_ctx_free(ctx);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2d_features_render),
        cmocka_unit_test(test_2d_issues_render),
        cmocka_unit_test(test_examples_match_openscad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
