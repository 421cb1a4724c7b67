/*
 * test_export.c — the exporters: number text, STL (binary and ASCII), OFF, OBJ, 3MF (the zip
 * container checked byte by byte against an independent CRC-32), SVG, DXF and the viewer's
 * FMSH layout, plus export_geo's dimension and emptiness checks.
 *
 * Round trips go through the import readers (src/io/import_*.c): OFF and OBJ must give the
 * exact doubles back, STL the float32 values. The SVG and DXF of a 10 x 5 square are
 * compared with the files OpenSCAD 2021.01 wrote for `square([10,5]);` (openscad -o sq.svg /
 * sq.dxf), whose outline starts at the origin and runs counter-clockwise.
 */
#include <math.h>

#include "testutil.h"

#include "core/sbuf.h"
#include "geom/mesh.h"
#include "geom/poly2.h"
#include "io/export.h"
#include "io/import.h"

/* ------------------------------------------------------------------ fixtures */

/* A box [x0,x1]x[y0,y1]x[z0,z1] with awkward coordinates, triangles CCW from outside. */
static mesh *box(facet_ctx *ctx, double x0, double y0, double z0, double x1, double y1,
                 double z1) {
    static const int32_t faces[12][3] = {
        {0, 2, 1}, {0, 3, 2}, {4, 5, 6}, {4, 6, 7}, {0, 1, 5}, {0, 5, 4},
        {2, 3, 7}, {2, 7, 6}, {0, 4, 7}, {0, 7, 3}, {1, 2, 6}, {1, 6, 5},
    };
    mesh *m = mesh_new(ctx, 8, 12);
    for (int i = 0; i < 8; i++) {
        double *p = m->pos + 3 * i;
        p[0] = (i == 1 || i == 2 || i == 5 || i == 6) ? x1 : x0;
        p[1] = (i == 2 || i == 3 || i == 6 || i == 7) ? y1 : y0;
        p[2] = i >= 4 ? z1 : z0;
    }
    memcpy(m->tri, faces, sizeof faces);
    m->pair = NULL;
    m->color = NULL;
    m->manifold = true;
    return m;
}

static mesh *awkward_box(facet_ctx *ctx) {
    return box(ctx, 0.1, -1.0 / 3, 1e-7, 123456.789, 2.0 / 3, 1e5 + 1.0 / 7);
}

static poly2 *square_poly(facet_ctx *ctx, double w, double h) {
    poly2 *p = poly2_new(ctx, 1, 4);
    static const double unit[8] = {0, 0, 1, 0, 1, 1, 0, 1};
    for (int i = 0; i < 4; i++) {
        p->xy[2 * i] = unit[2 * i] * w;
        p->xy[2 * i + 1] = unit[2 * i + 1] * h;
    }
    p->start[0] = 0;
    p->count[0] = 4;
    p->color = 0;
    return p;
}

/* Canonical form of a mesh as a sorted list of triangles, each a rotation of its corners
 * that starts at the lexicographically smallest one (orientation kept). */
typedef struct tri9 {
    double c[9];
} tri9;

static int cmp_pt(const double *a, const double *b) {
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

static int cmp_tri(const void *a, const void *b) {
    const tri9 *x = a, *y = b;
    for (int i = 0; i < 9; i++)
        if (x->c[i] != y->c[i]) return x->c[i] < y->c[i] ? -1 : 1;
    return 0;
}

static tri9 *canonical(const mesh *m, bool as_float) {
    tri9 *t = calloc((size_t)m->nt + 1, sizeof *t);
    for (int32_t i = 0; i < m->nt; i++) {
        double p[3][3];
        for (int k = 0; k < 3; k++)
            for (int j = 0; j < 3; j++) {
                double v = m->pos[3 * m->tri[3 * i + k] + j];
                p[k][j] = as_float ? (double)(float)v : v;
            }
        int s = 0;
        for (int k = 1; k < 3; k++)
            if (cmp_pt(p[k], p[s]) < 0) s = k;
        for (int k = 0; k < 3; k++) memcpy(t[i].c + 3 * k, p[(s + k) % 3], sizeof p[0]);
    }
    qsort(t, (size_t)m->nt, sizeof *t, cmp_tri);
    return t;
}

/* as_float: compare the float32 values of both sides (STL holds float32; an ASCII STL
 * reader may give back the decimal text's double, which rounds to the same float). */
static void assert_same_mesh(const mesh *expect, const mesh *got, bool as_float) {
    assert_int_equal(expect->nt, got->nt);
    tri9 *a = canonical(expect, as_float), *b = canonical(got, as_float);
    for (int32_t i = 0; i < expect->nt; i++)
        for (int j = 0; j < 9; j++) assert_true(a[i].c[j] == b[i].c[j]);
    free(a);
    free(b);
}

static uint32_t rd16(const unsigned char *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }
static uint32_t rd32(const unsigned char *p) { return rd16(p) | (rd16(p + 2) << 16); }

static size_t count_substr(const char *hay, size_t len, const char *needle) {
    size_t n = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= len; i++)
        if (memcmp(hay + i, needle, k) == 0) n++;
    return n;
}

/* ------------------------------------------------------------------ numbers */

static void num_is(double v, const char *expect) {
    char buf[EXPORT_NUM_MAX];
    int n = export_num(buf, v);
    assert_string_equal(buf, expect);
    assert_int_equal(n, (int)strlen(expect));
}

static void test_number_text(void **state) {
    (void)state;
    /* where six digits suffice the text is exactly what a C++ stream (%g) prints */
    num_is(0, "0");
    num_is(-0.0, "-0");
    num_is(10, "10");
    num_is(0.1, "0.1");
    num_is(2.5, "2.5");
    num_is(-0.866025, "-0.866025");
    num_is(1e-5, "1e-05");
    num_is(1e21, "1e+21");
    num_is(123456, "123456");
    /* beyond six digits: the shortest text that reads back */
    num_is(1.0 / 3, "0.3333333333333333");
    num_is(123456.789, "123456.789");
    num_is(1234567, "1234567");
    num_is(0.1 + 0.2, "0.30000000000000004");
    num_is(5e-324, "5e-324"); /* subnormal: fewer digits than a normal double needs */
    char buf[EXPORT_NUM_MAX];
    export_num_f32(buf, 0.1f);
    assert_string_equal(buf, "0.1");
    export_num_f32(buf, 1.0f / 3);
    assert_string_equal(buf, "0.33333334");
    export_num_f32(buf, 16777216.0f);
    assert_string_equal(buf, "16777216");
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        sbuf b;
        sb_init(&b, ctx);
        static const long ints[] = {0, 7, -1, 10, -120, 2147483647L, -2147483647L - 1};
        for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
            export_put_int(&b, ints[i]);
            sb_putc(&b, ',');
        }
        assert_string_equal(b.data, "0,7,-1,10,-120,2147483647,-2147483648,");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Significant digits of a "%g" text: from the first to the last nonzero digit of the
 * mantissa ("1200" has two, "100.5" four). */
static int sig_digits(const char *s) {
    int n = 0, last = 0;
    bool started = false;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9') continue;
        if (*s != '0') started = true;
        if (started) n++;
        if (*s != '0') last = n;
    }
    return last;
}

static void test_number_text_round_trips(void **state) {
    (void)state;
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 20000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double v;
        uint64_t bits = s;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v)) continue;
        char buf[EXPORT_NUM_MAX], shorter[400];
        export_num(buf, v);
        assert_true(strtod(buf, NULL) == v);
        /* and it is the shortest: one significant digit fewer does not read back */
        int p = sig_digits(buf);
        if (p > 1) {
            snprintf(shorter, sizeof shorter, "%.*g", p - 1, v);
            assert_true(strtod(shorter, NULL) != v);
        }
        float f = (float)((double)(s >> 11) / 9007199254740992.0 * 2000.0 - 1000.0);
        export_num_f32(buf, f);
        assert_true(strtof(buf, NULL) == f);
        p = sig_digits(buf);
        if (p > 1) {
            snprintf(shorter, sizeof shorter, "%.*g", p - 1, (double)f);
            assert_true(strtof(shorter, NULL) != f);
        }
    }
}

/* ------------------------------------------------------------------ STL */

static void test_binary_stl_layout_and_round_trip(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = awkward_box(ctx);
        sbuf b;
        sb_init(&b, ctx);
        export_stl_binary(ctx, m, &b);
        assert_int_equal(b.len, 84 + 50 * 12);
        const unsigned char *d = (const unsigned char *)b.data;
        assert_memory_equal(d, "OpenSCAD Model\n", 15);
        for (int i = 15; i < 80; i++) assert_int_equal(d[i], 0);
        assert_int_equal(rd32(d + 80), 12);
        /* triangle 0 lies in the bottom face z = z0: normal (0, 0, -1), attribute 0 */
        float n[3];
        memcpy(n, d + 84, sizeof n);
        assert_true(n[0] == 0 && n[1] == 0 && n[2] == -1);
        assert_int_equal(rd16(d + 84 + 48), 0);
        mesh *back = import_stl(ctx, b.data, b.len, "t.stl", FC_NOLOC);
        assert_same_mesh(m, back, true);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_stl_skips_triangles_with_coincident_corners(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = awkward_box(ctx);
        /* corners 1e-12 apart are one float32 point: the triangle collapses when written */
        m->pos[3 * 1 + 2] = m->pos[3 * 0 + 2];
        m->pos[3 * 1 + 0] = m->pos[3 * 0 + 0] + 1e-12;
        m->pos[3 * 1 + 1] = m->pos[3 * 0 + 1];
        int degenerate = 0;
        for (int t = 0; t < 12; t++) {
            bool has0 = false, has1 = false;
            for (int k = 0; k < 3; k++) has0 |= m->tri[3 * t + k] == 0, has1 |= m->tri[3 * t + k] == 1;
            degenerate += has0 && has1;
        }
        assert_true(degenerate > 0);
        sbuf b;
        sb_init(&b, ctx);
        export_stl_binary(ctx, m, &b);
        assert_int_equal(rd32((const unsigned char *)b.data + 80), 12 - degenerate);
        assert_int_equal(b.len, 84 + 50 * (size_t)(12 - degenerate));
        sbuf a;
        sb_init(&a, ctx);
        export_stl_ascii(ctx, m, &a);
        assert_int_equal(count_substr(a.data, a.len, "outer loop"), 12 - degenerate);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_ascii_stl_layout_and_round_trip(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = awkward_box(ctx);
        sbuf b;
        sb_init(&b, ctx);
        export_stl_ascii(ctx, m, &b);
        const char *head = "solid OpenSCAD_Model\n  facet normal 0 0 -1\n    outer loop\n"
                           "      vertex 0.1 -0.33333334 1e-07\n";
        assert_memory_equal(b.data, head, strlen(head));
        const char *tail = "    endloop\n  endfacet\nendsolid OpenSCAD_Model\n";
        assert_string_equal(b.data + b.len - strlen(tail), tail);
        assert_int_equal(count_substr(b.data, b.len, "  facet normal "), 12);
        mesh *back = import_stl(ctx, b.data, b.len, "t.stl", FC_NOLOC);
        assert_same_mesh(m, back, true);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* ------------------------------------------------------------------ OFF, OBJ */

static void test_off_layout_and_exact_round_trip(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = awkward_box(ctx);
        sbuf b;
        sb_init(&b, ctx);
        export_off(ctx, m, &b);
        const char *head = "OFF 8 12 0\n0.1 -0.3333333333333333 1e-07 \n";
        assert_memory_equal(b.data, head, strlen(head));
        assert_non_null(strstr(b.data, "\n3 0 2 1\n3 0 3 2\n"));
        mesh *back = import_off(ctx, b.data, b.len, "t.off", FC_NOLOC);
        assert_same_mesh(m, back, false);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_obj_layout_and_exact_round_trip(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = awkward_box(ctx);
        sbuf b;
        sb_init(&b, ctx);
        export_obj(ctx, m, &b);
        const char *head = "# OpenSCAD obj exporter\nv 0.1 -0.3333333333333333 1e-07\n";
        assert_memory_equal(b.data, head, strlen(head));
        assert_non_null(strstr(b.data, "\nf 1 3 2\nf 1 4 3\n"));
        mesh *back = import_obj(ctx, b.data, b.len, "t.obj", FC_NOLOC);
        assert_same_mesh(m, back, false);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* ------------------------------------------------------------------ 3MF */

/* Bitwise CRC-32 (no table): an independent computation of zip's checksum. */
static uint32_t crc_bitwise(const unsigned char *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

typedef struct zip_file {
    char name[64];
    const unsigned char *data;
    uint32_t size;
} zip_file;

/* Walks the archive from its end-of-central-directory record and checks every structure
 * against the local headers; returns the number of entries. */
static int read_zip(const unsigned char *d, size_t len, zip_file *files, int max) {
    assert_true(len >= 22);
    const unsigned char *eocd = d + len - 22;
    assert_int_equal(rd32(eocd), 0x06054b50u);
    int n = (int)rd16(eocd + 10);
    assert_int_equal(rd16(eocd + 8), (uint32_t)n);
    uint32_t cd_size = rd32(eocd + 12), cd_off = rd32(eocd + 16);
    assert_int_equal((size_t)cd_off + cd_size, len - 22);
    assert_true(n <= max);
    const unsigned char *c = d + cd_off;
    for (int i = 0; i < n; i++) {
        assert_int_equal(rd32(c), 0x02014b50u);
        assert_int_equal(rd16(c + 10), 0); /* stored */
        uint32_t crc = rd32(c + 16), csize = rd32(c + 20), usize = rd32(c + 24);
        uint32_t nlen = rd16(c + 28), xlen = rd16(c + 30), clen = rd16(c + 32);
        uint32_t off = rd32(c + 42);
        assert_int_equal(csize, usize);
        const unsigned char *l = d + off;
        assert_int_equal(rd32(l), 0x04034b50u);
        assert_int_equal(rd16(l + 6), 0); /* no data descriptor */
        assert_int_equal(rd16(l + 8), 0);
        assert_int_equal(rd32(l + 14), crc);
        assert_int_equal(rd32(l + 18), csize);
        assert_int_equal(rd32(l + 22), usize);
        assert_int_equal(rd16(l + 26), nlen);
        assert_memory_equal(l + 30, c + 46, nlen);
        const unsigned char *data = l + 30 + nlen + rd16(l + 28);
        assert_true(data + usize <= d + cd_off);
        assert_int_equal(crc_bitwise(data, usize), crc);
        assert_true(nlen < sizeof files[i].name);
        memcpy(files[i].name, c + 46, nlen);
        files[i].name[nlen] = '\0';
        files[i].data = data;
        files[i].size = usize;
        c += 46 + nlen + xlen + clen;
    }
    assert_ptr_equal(c, d + cd_off + cd_size);
    return n;
}

static const zip_file *zip_find(const zip_file *f, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0) return &f[i];
    fail_msg("zip entry %s missing", name);
    return NULL;
}

static void test_crc32_check_value(void **state) {
    (void)state;
    /* the standard check value of CRC-32/ISO-HDLC */
    assert_int_equal(export_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(export_crc32(export_crc32(0, "12345", 5), "6789", 4), 0xCBF43926u);
    assert_int_equal(export_crc32(0, "", 0), 0);
}

static void test_3mf_package(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = awkward_box(ctx);
        sbuf b;
        sb_init(&b, ctx);
        export_3mf(ctx, m, &b);
        zip_file f[8];
        int n = read_zip((const unsigned char *)b.data, b.len, f, 8);
        assert_int_equal(n, 3);
        const zip_file *ct = zip_find(f, n, "[Content_Types].xml");
        const zip_file *rels = zip_find(f, n, "_rels/.rels");
        const zip_file *model = zip_find(f, n, "3D/3dmodel.model");
        assert_int_equal(count_substr((const char *)ct->data, ct->size,
                                      "Extension=\"model\" ContentType=\"application/"
                                      "vnd.ms-package.3dmanufacturing-3dmodel+xml\""),
                         1);
        assert_int_equal(count_substr((const char *)rels->data, rels->size,
                                      "Target=\"/3D/3dmodel.model\""),
                         1);
        const char *x = (const char *)model->data;
        assert_int_equal(count_substr(x, model->size, "<vertex "), 8);
        assert_int_equal(count_substr(x, model->size, "<triangle "), 12);
        assert_int_equal(count_substr(x, model->size, "unit=\"millimeter\""), 1);
        assert_int_equal(count_substr(x, model->size, "<item objectid=\"1\" />"), 1);
        assert_int_equal(count_substr(x, model->size, "basematerials"), 0);
        assert_int_equal(
            count_substr(x, model->size, "<vertex x=\"0.1\" y=\"-0.3333333333333333\" z=\"1e-07\" />"),
            1);
        assert_int_equal(count_substr(x, model->size, "<triangle v1=\"0\" v2=\"2\" v3=\"1\" />"), 1);
        /* deterministic: the same bytes twice */
        sbuf b2;
        sb_init(&b2, ctx);
        export_3mf(ctx, m, &b2);
        assert_int_equal(b.len, b2.len);
        assert_memory_equal(b.data, b2.data, b.len);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_3mf_colors_become_base_materials(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = awkward_box(ctx);
        m->color = fc_alloc(ctx, 12 * sizeof *m->color);
        for (int t = 0; t < 12; t++) m->color[t] = t < 4 ? 0xFF000080u : t < 8 ? 0 : 0x00FF00FFu;
        sbuf b;
        sb_init(&b, ctx);
        export_3mf(ctx, m, &b);
        zip_file f[8];
        int n = read_zip((const unsigned char *)b.data, b.len, f, 8);
        const zip_file *model = zip_find(f, n, "3D/3dmodel.model");
        const char *x = (const char *)model->data;
        size_t len = model->size;
        assert_int_equal(count_substr(x, len, "<basematerials id=\"1\">"), 1);
        assert_int_equal(count_substr(x, len, "<base "), 3);
        assert_int_equal(count_substr(x, len, "displaycolor=\"#FF000080\""), 1);
        assert_int_equal(count_substr(x, len, "displaycolor=\"#F9D72CFF\""), 1); /* uncolored */
        assert_int_equal(count_substr(x, len, "displaycolor=\"#00FF00FF\""), 1);
        assert_int_equal(count_substr(x, len, "pid=\"1\" p1=\"0\""), 4);
        assert_int_equal(count_substr(x, len, "pid=\"1\" p1=\"1\""), 4);
        assert_int_equal(count_substr(x, len, "pid=\"1\" p1=\"2\""), 4);
        assert_int_equal(count_substr(x, len, "<object id=\"2\""), 1);
        assert_int_equal(count_substr(x, len, "<item objectid=\"2\" />"), 1);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* ------------------------------------------------------------------ SVG, DXF */

static void test_svg_square_matches_openscad(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        sbuf b;
        sb_init(&b, ctx);
        export_svg(ctx, square_poly(ctx, 10, 5), &b);
        /* openscad 2021.01 -o sq.svg on `square([10,5]);` */
        assert_string_equal(
            b.data,
            "<?xml version=\"1.0\" standalone=\"no\"?>\n"
            "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
            "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
            "<svg width=\"10mm\" height=\"5mm\" viewBox=\"0 -5 10 5\" "
            "xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\">\n"
            "<title>OpenSCAD Model</title>\n"
            "<path d=\"\n"
            "M 0,-0 L 10,-0 L 10,-5 L 0,-5 z\n"
            "\" stroke=\"black\" fill=\"lightgray\" stroke-width=\"0.5\"/>\n"
            "</svg>\n");
        /* the viewBox widens to whole units: OpenSCAD 2021.01 gives "-1 -3 1 4" for
         * translate([-0.5,-0.25]) square([1/3,2.5]) */
        poly2 *p = square_poly(ctx, 1.0 / 3, 2.5);
        for (int i = 0; i < 4; i++) p->xy[2 * i] -= 0.5, p->xy[2 * i + 1] -= 0.25;
        sbuf c;
        sb_init(&c, ctx);
        export_svg(ctx, p, &c);
        assert_non_null(strstr(c.data, "<svg width=\"1mm\" height=\"4mm\" viewBox=\"-1 -3 1 4\" "));
        assert_non_null(strstr(c.data, "M -0.5,0.25 L -0.16666666666666669,0.25 L "));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_dxf_square_matches_openscad(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        sbuf b;
        sb_init(&b, ctx);
        export_dxf(ctx, square_poly(ctx, 10, 5), &b);
        /* openscad 2021.01 -o sq.dxf on `square([10,5]);` */
        assert_string_equal(b.data, "  0\nSECTION\n  2\nBLOCKS\n  0\nENDSEC\n"
                                    "  0\nSECTION\n  2\nENTITIES\n"
                                    "  0\nLINE\n  8\n0\n 10\n0\n 20\n0\n 11\n10\n 21\n0\n"
                                    "  0\nLINE\n  8\n0\n 10\n10\n 20\n0\n 11\n10\n 21\n5\n"
                                    "  0\nLINE\n  8\n0\n 10\n10\n 20\n5\n 11\n0\n 21\n5\n"
                                    "  0\nLINE\n  8\n0\n 10\n0\n 20\n5\n 11\n0\n 21\n0\n"
                                    "  0\nENDSEC\n"
                                    "  0\nSECTION\n  2\nOBJECTS\n  0\nDICTIONARY\n  0\nENDSEC\n"
                                    "  0\nEOF\n");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* ------------------------------------------------------------------ FMSH */

static void test_fmsh_mesh_layout(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = awkward_box(ctx);
        m->color = fc_calloc(ctx, 12, sizeof *m->color);
        m->color[5] = 0x11223344u;
        geo g = geo_mesh(m);
        sbuf b;
        sb_init(&b, ctx);
        export_geo(ctx, &g, FACET_FORMAT_MESH, &b);
        const unsigned char *d = (const unsigned char *)b.data;
        assert_int_equal(b.len, 16 + 12 * 8 + 12 * 12 + 4 * 12);
        assert_memory_equal(d, "FMSH", 4);
        assert_int_equal(rd32(d + 4), 1);
        assert_int_equal(rd32(d + 8), 8);
        assert_int_equal(rd32(d + 12), 12);
        for (int i = 0; i < 24; i++) {
            float f;
            memcpy(&f, d + 16 + 4 * i, 4);
            assert_true(f == (float)m->pos[i]);
        }
        const unsigned char *idx = d + 16 + 96;
        for (int i = 0; i < 36; i++) assert_int_equal(rd32(idx + 4 * i), (uint32_t)m->tri[i]);
        const unsigned char *col = idx + 144;
        for (int t = 0; t < 12; t++) assert_int_equal(rd32(col + 4 * t), t == 5 ? 0x11223344u : 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_fmsh_2d_is_its_fill(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* a 10 x 10 square with a 4 x 4 hole: the fill's triangles cover 84 */
        poly2 *p = poly2_new(ctx, 2, 8);
        static const double xy[16] = {0, 0, 10, 0, 10, 10, 0, 10, 3, 3, 3, 7, 7, 7, 7, 3};
        memcpy(p->xy, xy, sizeof xy);
        p->start[0] = 0, p->count[0] = 4, p->start[1] = 4, p->count[1] = 4;
        p->color = 0xABCDEF01u;
        geo g = geo_poly(p);
        sbuf b;
        sb_init(&b, ctx);
        export_geo(ctx, &g, FACET_FORMAT_MESH, &b);
        const unsigned char *d = (const unsigned char *)b.data;
        uint32_t nv = rd32(d + 8), nt = rd32(d + 12);
        assert_int_equal(nv, 8);
        assert_int_equal(b.len, 16 + 12 * (size_t)nv + 16 * (size_t)nt);
        float pos[24];
        memcpy(pos, d + 16, sizeof pos);
        double area = 0;
        for (uint32_t t = 0; t < nt; t++) {
            const unsigned char *c = d + 16 + 12 * nv + 12 * t;
            uint32_t i = rd32(c), j = rd32(c + 4), k = rd32(c + 8);
            assert_true(i < nv && j < nv && k < nv);
            double a = ((pos[3 * j] - pos[3 * i]) * (pos[3 * k + 1] - pos[3 * i + 1]) -
                        (pos[3 * k] - pos[3 * i]) * (pos[3 * j + 1] - pos[3 * i + 1])) / 2;
            assert_true(a > 0); /* counter-clockwise: facing +z */
            area += a;
            assert_int_equal(rd32(d + 16 + 12 * nv + 12 * nt + 4 * t), 0xABCDEF01u);
        }
        for (uint32_t v = 0; v < nv; v++) assert_true(pos[3 * v + 2] == 0.0f);
        assert_true(fabs(area - 84.0) < 1e-9);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* ------------------------------------------------------------------ export_geo checks */

static void expect_geometry_error(facet_ctx *ctx, geo g, facet_format fmt, const char *msg) {
    sbuf b;
    sb_init(&b, ctx);
    TU_PROTECT(ctx) { export_geo(ctx, &g, fmt, &b); }
    assert_int_equal(ctx->err.kind, FACET_ERR_GEOMETRY);
    assert_string_equal(ctx->err.message, msg);
}

static void test_dimension_and_empty_checks(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    mesh *volatile m = NULL;
    poly2 *volatile p = NULL, *volatile none = NULL;
    TU_PROTECT(ctx) {
        m = awkward_box(ctx);
        p = square_poly(ctx, 1, 1);
        none = poly2_empty(ctx);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    static const facet_format f3[] = {FACET_FORMAT_BINSTL, FACET_FORMAT_ASCIISTL, FACET_FORMAT_OFF,
                                      FACET_FORMAT_OBJ, FACET_FORMAT_3MF};
    for (size_t i = 0; i < sizeof f3 / sizeof f3[0]; i++) {
        expect_geometry_error(ctx, geo_poly(p), f3[i], "Current top level object is not a 3D object.");
        expect_geometry_error(ctx, geo_empty(), f3[i], "Current top level object is empty.");
    }
    expect_geometry_error(ctx, geo_mesh(m), FACET_FORMAT_SVG, "Current top level object is not a 2D object.");
    expect_geometry_error(ctx, geo_mesh(m), FACET_FORMAT_DXF, "Current top level object is not a 2D object.");
    expect_geometry_error(ctx, geo_poly(none), FACET_FORMAT_SVG, "Current top level object is empty.");
    /* the viewer's form takes an empty result: a header with no vertices */
    sbuf b;
    sb_init(&b, ctx);
    geo e = geo_empty();
    TU_PROTECT(ctx) { export_geo(ctx, &e, FACET_FORMAT_MESH, &b); }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(b.len, 16);
    assert_int_equal(rd32((const unsigned char *)b.data + 8), 0);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_text),
        cmocka_unit_test(test_number_text_round_trips),
        cmocka_unit_test(test_binary_stl_layout_and_round_trip),
        cmocka_unit_test(test_stl_skips_triangles_with_coincident_corners),
        cmocka_unit_test(test_ascii_stl_layout_and_round_trip),
        cmocka_unit_test(test_off_layout_and_exact_round_trip),
        cmocka_unit_test(test_obj_layout_and_exact_round_trip),
        cmocka_unit_test(test_crc32_check_value),
        cmocka_unit_test(test_3mf_package),
        cmocka_unit_test(test_3mf_colors_become_base_materials),
        cmocka_unit_test(test_svg_square_matches_openscad),
        cmocka_unit_test(test_dxf_square_matches_openscad),
        cmocka_unit_test(test_fmsh_mesh_layout),
        cmocka_unit_test(test_fmsh_2d_is_its_fill),
        cmocka_unit_test(test_dimension_and_empty_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
