/*
 * test_text.c — text(): the font pack read through the host's read_file callback, layout and
 * flattening checked against OpenSCAD 2021.01 (reference bounding boxes and volumes from
 * `openscad --export-format asciistl` of linear_extrude(1) text(...), 6-digit STL text),
 * the TrueType reader on hostile input.
 *
 * The pack comes from native-tests/fonts.mk ($(BUILD)/facet-fonts.bin, FACET_BUILD).
 */
#include <math.h>

#include "testutil.h"

#include "geom/mesh.h"
#include "geom/poly2_ops.h"
#include "geom/text.h"
#include "geom/text_font.h"
#include "geom/ttf.h"

static int fonts_read(void *user, const char *path, const char **data, size_t *len) {
    (void)user;
    static char pack[1024];
    if (strcmp(path, FACET_FONTS_PATH) == 0) {
        snprintf(pack, sizeof pack, "%s/facet-fonts.bin", tu_env("FACET_BUILD", "build"));
        path = pack;
    }
    return tu_read_file(NULL, path, data, len);
}

static facet_ctx *font_ctx(void) {
    facet_options opt;
    memset(&opt, 0, sizeof opt);
    opt.read_file = fonts_read;
    return tu_ctx_opts(opt);
}

static csg_node text_node(const char *s, double size, const char *font, const char *halign,
                          const char *valign) {
    csg_node n;
    memset(&n, 0, sizeof n);
    n.kind = CSG_TEXT;
    n.loc = FC_NOLOC;
    n.u.text.text = s;
    n.u.text.size = size;
    n.u.text.spacing = 1;
    n.u.text.font = font;
    n.u.text.halign = halign;
    n.u.text.valign = valign;
    n.u.text.direction = "ltr";
    n.u.text.language = "en";
    n.u.text.script = "latin";
    n.u.text.frag.fn = 0;
    n.u.text.frag.fa = 12;
    n.u.text.frag.fs = 2;
    return n;
}

static void check_bbox(const poly2 *p, const double lo[2], const double hi[2], double rel) {
    double a[2], b[2];
    poly2_bbox(p, a, b);
    double w = hi[0] - lo[0], h = hi[1] - lo[1];
    assert_true(fabs(a[0] - lo[0]) < rel * w);
    assert_true(fabs(b[0] - hi[0]) < rel * w);
    assert_true(fabs(a[1] - lo[1]) < rel * h);
    assert_true(fabs(b[1] - hi[1]) < rel * h);
}

static void test_hello_matches_openscad(void **state) {
    (void)state;
    facet_ctx *ctx = font_ctx();
    TU_PROTECT(ctx) {
        /* linear_extrude(1) text("Hello"); OpenSCAD 2021.01: bbox [1.1393, -0.13559] ..
         * [30.5057, 10.0634], volume 99.5366 */
        csg_node n = text_node("Hello", 10, NULL, "left", "baseline");
        poly2 *p = text_render(ctx, &n);
        double lo[2] = {1.1393, -0.13559}, hi[2] = {30.5057, 10.0634};
        check_bbox(p, lo, hi, 0.01); /* the brief's 1% */
        check_bbox(p, lo, hi, 1e-4); /* what we actually achieve */
        assert_true(tu_close(poly2_area(p), 99.53664575399506, 1e-4));
        assert_int_equal(p->ncontours, 7); /* H e(2) l l o(2) */
        /* the shape is clean: it triangulates to its own area */
        int32_t *t;
        int32_t nt = poly2_triangulate(ctx, p, &t);
        double sum = 0;
        for (int32_t i = 0; i < nt; i++) {
            const double *a = p->xy + 2 * t[3 * i], *b = p->xy + 2 * t[3 * i + 1], *c = p->xy + 2 * t[3 * i + 2];
            sum += 0.5 * ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
        }
        assert_true(fabs(sum - poly2_area(p)) < 1e-9);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_serif_bold_centred(void **state) {
    (void)state;
    facet_ctx *ctx = font_ctx();
    TU_PROTECT(ctx) {
        /* linear_extrude(1) text("Facet ÄÖ!", size=7, font="Liberation Serif:style=Bold",
         * halign="center", valign="center"); OpenSCAD 2021.01: bbox [-20.7906, -4.02049] ..
         * [20.1969, 4.20583], volume 97.638 */
        csg_node n = text_node("Facet \xc3\x84\xc3\x96!", 7, "Liberation Serif:style=Bold", "center", "center");
        poly2 *p = text_render(ctx, &n);
        double lo[2] = {-20.7906, -4.02049}, hi[2] = {20.1969, 4.20583};
        check_bbox(p, lo, hi, 1e-4);
        assert_true(tu_close(poly2_area(p), 97.63797147006758, 1e-4));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_empty_and_bad_input(void **state) {
    (void)state;
    facet_ctx *ctx = font_ctx();
    TU_PROTECT(ctx) {
        csg_node n = text_node("", 10, NULL, "left", "baseline");
        assert_int_equal(text_render(ctx, &n)->ncontours, 0);
        n = text_node("x", -1, NULL, "left", "baseline");
        assert_int_equal(text_render(ctx, &n)->ncontours, 0);
        /* unknown halign: OpenSCAD's warning, laid out left */
        n = text_node("x", 10, NULL, "sideways", "baseline");
        fc_log_clear(ctx);
        poly2 *p = text_render(ctx, &n);
        assert_true(p->ncontours > 0);
        assert_true(ctx->nlog >= 1);
        assert_non_null(strstr(ctx->log[0], "Unknown value for the halign parameter"));
        /* invalid UTF-8 does not crash */
        n = text_node("a\xff\xfe b\xc3", 10, NULL, "left", "baseline");
        text_render(ctx, &n);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    /* truncated and garbage fonts are rejected, never read out of bounds */
    const char *pack = NULL;
    size_t plen = 0;
    char path[1024];
    snprintf(path, sizeof path, "%s/facet-fonts.bin", tu_env("FACET_BUILD", "build"));
    assert_int_equal(tu_read_file(NULL, path, &pack, &plen), 0);
    const uint8_t *blobs[16];
    size_t lens[16];
    int nf = fontpack_parse((const uint8_t *)pack, plen, blobs, lens, 16);
    assert_int_equal(nf, 12);
    assert_int_equal(fontpack_parse((const uint8_t *)pack, 10, blobs, lens, 16), -1);
    ttf_font f;
    assert_int_equal(ttf_open(&f, blobs[0], lens[0], 0), TTF_OK);
    assert_true(f.units_per_em == 2048);
    for (size_t cut = 0; cut < 2000; cut += 37) assert_true(ttf_open(&f, blobs[0], cut, 0) != TTF_OK);
    uint8_t junk[4096];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (uint8_t)(i * 131 + 7);
    assert_true(ttf_open(&f, junk, sizeof junk, 0) != TTF_OK);
    /* every glyph of a font truncated after its tables still reads safely */
    TU_PROTECT(ctx) {
        ttf_font g;
        if (ttf_open(&g, blobs[0], lens[0], 0) == TTF_OK) {
            for (uint32_t gl = 0; gl < 300 && gl < (uint32_t)g.nglyphs; gl++) {
                ttf_outline o;
                memset(&o, 0, sizeof o);
                ttf_glyph_outline(ctx, &g, gl, &o);
                ttf_outline_free(ctx, &o);
            }
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_matches_openscad),
        cmocka_unit_test(test_serif_bold_centred),
        cmocka_unit_test(test_empty_and_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
