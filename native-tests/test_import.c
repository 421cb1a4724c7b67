/*
 * test_import.c — import() and surface(): readers against OpenSCAD 2021.01 (reference volumes
 * and boxes from `openscad --export-format asciistl` of linear_extrude(1) import(...) or of
 * surface(...), 6-digit STL text), round trips, missing files, malformed input.
 */
#include <math.h>

#include "testutil.h"

#include "geom/mesh.h"
#include "geom/poly2_ops.h"
#include "io/import.h"
#include "io/import_fill.h"
#include "io/import_png.h"

static const csg_frag DEFAULT_FRAG = {0, 12, 2};

static char *corpus_path(const char *rel) {
    static char buf[4][1024];
    static int k;
    char *b = buf[k++ % 4];
    snprintf(b, 1024, "%s/%s", tu_env("FACET_CORPUS", "../shared/corpus"), rel);
    return b;
}

static csg_node import_node(const char *path, const char *fmt) {
    csg_node n;
    memset(&n, 0, sizeof n);
    n.kind = CSG_IMPORT;
    n.loc = (fc_loc){-1, 3, 1};
    n.u.import.path = path;
    n.u.import.format = fmt;
    n.u.import.scale = 1;
    n.u.import.dpi = 72;
    n.u.import.frag = DEFAULT_FRAG;
    return n;
}

/* The PNG decoder on the image, truncated copies and flipped bytes: never a bad read. */
__attribute__((noinline)) static void png_damage(facet_ctx *ctx, const char *path) {
    size_t plen = 0;
    char *png = tu_slurp(path, &plen);
    assert_non_null(png);
    png_image img;
    assert_true(png_decode_rgb(ctx, (const uint8_t *)png, plen, &img));
    assert_int_equal(img.w, 50);
    assert_int_equal(img.h, 50);
    for (size_t cut = 0; cut < plen - 12; cut += 13)
        assert_false(png_decode_rgb(ctx, (const uint8_t *)png, cut, &img));
    for (size_t k = 40; k < plen; k += 53) { /* flipped bytes inside the stream */
        png[k] ^= 0x5a;
        png_decode_rgb(ctx, (const uint8_t *)png, plen, &img);
        png[k] ^= 0x5a;
    }
    free(png);
}

static void test_surface_dat(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* ragged rows "1 2 3 / # c / (blank) / 4 5 / 2 1 0 7": OpenSCAD volume 18.5 */
        const char *dat = "1 2 3\n# c\n\n4 5\n2 1 0 7\n";
        mesh *m = import_surface_dat(ctx, dat, strlen(dat), "small.dat", false);
        assert_true(mesh_is_manifold(ctx, m));
        assert_true(fabs(mesh_volume(m) - 18.5) < 1e-9);
        /* surface(file = "example010.dat", center = true): volume 21785.6, box
         * [-22.5, -22.5, -10.9927] .. [22.5, 22.5, 9.96117] */
        csg_node n;
        memset(&n, 0, sizeof n);
        n.kind = CSG_SURFACE;
        n.u.surface.path = corpus_path("examples/Old/example010.dat");
        n.u.surface.center = true;
        m = import_surface(ctx, &n);
        assert_true(mesh_is_manifold(ctx, m));
        assert_true(tu_close(mesh_volume(m), 21785.621664180017, 1e-5)); /* STL text rounding */
        double lo[3], hi[3];
        mesh_bbox(m, lo, hi);
        assert_true(lo[0] == -22.5 && hi[1] == 22.5);
        assert_true(fabs(lo[2] + 10.9927) < 1e-4 && fabs(hi[2] - 9.96117) < 1e-5);
        /* surface("surface_image.png", center=true): 87367.6; invert=true: 157534.8 (the
         * inverted heights are 100/255 * (1 - luminance), negative, as 2021.01 computes) */
        n.u.surface.path = corpus_path("examples/Advanced/surface_image.png");
        m = import_surface(ctx, &n);
        assert_true(mesh_is_manifold(ctx, m));
        assert_true(tu_close(mesh_volume(m), 87367.55737599911, 1e-5));
        n.u.surface.center = false;
        n.u.surface.invert = true;
        m = import_surface(ctx, &n);
        assert_true(mesh_is_manifold(ctx, m));
        assert_true(tu_close(mesh_volume(m), 157534.82072236843, 1e-5));
        png_damage(ctx, n.u.surface.path);
        /* missing file: OpenSCAD's warning, nothing */
        fc_log_clear(ctx);
        n.u.surface.path = "/nonexistent/x.dat";
        m = import_surface(ctx, &n);
        assert_int_equal(m->nt, 0);
        assert_string_equal(ctx->log[0], "WARNING: The file '/nonexistent/x.dat' couldn't be opened.");
        /* garbage does not crash */
        const char *bad = "1 2 x 4\n5 6\n";
        m = import_surface_dat(ctx, bad, strlen(bad), "bad.dat", true);
        assert_true(m->nt == 0 || mesh_is_manifold(ctx, m));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_svg_files(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* import("simple.svg"): volume 300.0005 extruded by 1, box [0,0]..[20,20] */
        csg_node n = import_node(corpus_path("openscad-tests/svg/simple.svg"), "svg");
        geo g = import_file(ctx, &n);
        assert_int_equal(g.dim, 2);
        assert_true(tu_close(poly2_area(g.p), 300.0004681794626, 2e-3));
        double lo[2], hi[2];
        poly2_bbox(g.p, lo, hi);
        assert_true(fabs(lo[0]) < 1e-3 && fabs(lo[1]) < 1e-3 && fabs(hi[0] - 20) < 1e-3 && fabs(hi[1] - 20) < 1e-3);
        /* box-w-holes.svg: 2183.68, box [20.0025, 23.8478] .. [69.9911, 73.8364] */
        n = import_node(corpus_path("openscad-tests/svg/box-w-holes.svg"), "svg");
        g = import_file(ctx, &n);
        assert_true(tu_close(poly2_area(g.p), 2183.6848408500045, 5e-3));
        poly2_bbox(g.p, lo, hi);
        assert_true(fabs(lo[0] - 20.0025) < 0.01 && fabs(hi[1] - 73.8364) < 0.01);
        /* fill-rule.svg: no page size, so y is just flipped: box [100,-240]..[220,-100];
         * the evenodd path keeps 5000 (OpenSCAD 2021.01 ignores fill-rule and fills the
         * nonzero path evenodd too, 10000 in all; we follow the file: 5000 + 6500) */
        n = import_node(corpus_path("openscad-tests/svg/fill-rule.svg"), "svg");
        g = import_file(ctx, &n);
        poly2_bbox(g.p, lo, hi);
        assert_true(lo[0] == 100 && lo[1] == -240 && hi[0] == 220 && hi[1] == -100);
        assert_true(fabs(poly2_area(g.p) - 11500) < 1e-6);
        /* center */
        n.u.import.center = true;
        g = import_file(ctx, &n);
        poly2_bbox(g.p, lo, hi);
        assert_true(lo[0] == -60 && hi[1] == 70);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_svg_inline(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* 10mm page, shapes in user units = mm */
        const char *svg =
            "<?xml version='1.0'?><!-- c --><svg xmlns='http://www.w3.org/2000/svg' width='100mm' height='100mm' viewBox='0 0 100 100'>"
            "<defs><rect width='50' height='50'/></defs>"
            "<g transform='translate(10,0)'><rect x='0' y='0' width='10' height='20'/></g>"
            "<circle cx='50' cy='50' r='5'/>"
            "<path d='M60,60 h10 v10 h-10 z m2,2 v6 h6 v-6 z' fill-rule='evenodd'/>"
            "<path d='M0 90 a5 5 0 0 0 10 0 z'/>"
            "<polygon points='80,0 90,0 90,10'/>"
            "<line x1='0' y1='0' x2='100' y2='100'/>"
            "<g style='display:none'><rect width='99' height='99'/></g>"
            "</svg>";
        poly2 *p = import_svg(ctx, svg, strlen(svg), "t.svg", 72, DEFAULT_FRAG, FC_NOLOC);
        double circle_n = 30; /* fragments(5) with $fa 12, $fs 2: min(30, 15.7) -> 16 */
        circle_n = 16;
        double circle = circle_n / 2 * 25 * sin(2 * 3.14159265358979323846 / circle_n);
        double expect = 200 + circle + (100 - 36) + 50 /* half disc, polygonal */ * 0 + 50;
        /* half disc of radius 5 with 8 segments over 180 degrees */
        double half = 8 * 0.5 * 25 * sin(3.14159265358979323846 / 8);
        expect = 200 + circle + 64 + half + 50;
        assert_true(fabs(poly2_area(p) - expect) < 1e-3);
        double lo[2], hi[2];
        poly2_bbox(p, lo, hi);
        assert_true(fabs(hi[1] - 100) < 1e-9); /* the rect at y 0..20 maps to 80..100 */
        /* truncated and hostile documents */
        for (size_t cut = 0; cut < strlen(svg); cut += 7) import_svg(ctx, svg, cut, "t.svg", 72, DEFAULT_FRAG, FC_NOLOC);
        const char *junk = "<svg><path d='M 1e999 0 L nan 1 A 1 1 0 2 2 3 3 Q'/><rect width='-1'/><<>>";
        p = import_svg(ctx, junk, strlen(junk), "j.svg", 72, DEFAULT_FRAG, FC_NOLOC);
        assert_int_equal(p->ncontours, 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_files_and_messages(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        fc_log_clear(ctx);
        csg_node n = import_node("/nonexistent/a.stl", "stl");
        geo g = import_file(ctx, &n);
        assert_int_equal(g.dim, 0);
        assert_string_equal(ctx->log[0], "WARNING: Can't open import file '/nonexistent/a.stl', import() at line 3");
        n = import_node("/nonexistent/a.dxf", "dxf");
        import_file(ctx, &n);
        assert_string_equal(ctx->log[1], "WARNING: Can't open DXF file '/nonexistent/a.dxf'.");
        n = import_node("/nonexistent/a.svg", "svg");
        import_file(ctx, &n);
        assert_string_equal(ctx->log[2], "ERROR: Can't open file '/nonexistent/a.svg', import() at line 3");
        /* STL from the corpus, centred */
        n = import_node(corpus_path("examples/Old/example012.stl"), "stl");
        n.u.import.center = true;
        g = import_file(ctx, &n);
        assert_int_equal(g.dim, 3);
        assert_true(mesh_is_manifold(ctx, g.m));
        double lo[3], hi[3];
        mesh_bbox(g.m, lo, hi);
        assert_true(fabs(lo[0] + hi[0]) < 1e-9 && fabs(lo[2] + hi[2]) < 1e-9);
        /* a DXF from OpenSCAD's tests: polygon with holes, through the even-odd fill */
        n = import_node(corpus_path("openscad-tests/dxf/polygon-many-holes.dxf"), "dxf");
        g = import_file(ctx, &n);
        assert_int_equal(g.dim, 2);
        assert_true(poly2_area(g.p) > 0);
        /* fill helper: even-odd nesting and crossing */
        fill_contours f;
        fill_init(&f, ctx);
        double sq[3][2] = {{0, 10}, {2, 8}, {4, 6}};
        for (int k = 0; k < 3; k++) {
            fill_begin(&f);
            fill_point(&f, sq[k][0], sq[k][0]);
            fill_point(&f, sq[k][1], sq[k][0]);
            fill_point(&f, sq[k][1], sq[k][0]); /* repeat dropped */
            fill_point(&f, sq[k][1], sq[k][1]);
            fill_point(&f, sq[k][0], sq[k][1]);
            fill_point(&f, sq[k][0], sq[k][0]); /* closing repeat dropped */
            fill_end(&f);
        }
        fill_begin(&f);
        fill_point(&f, 0, 0);
        fill_point(&f, 1, 1);
        fill_end(&f); /* too short: dropped */
        poly2 *p = fill_finish(&f, FILL_EVENODD);
        assert_true(fabs(poly2_area(p) - (100 - 36 + 4)) < 1e-12);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surface_dat),
        cmocka_unit_test(test_svg_files),
        cmocka_unit_test(test_svg_inline),
        cmocka_unit_test(test_files_and_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
