/*
 * test_prim.c — primitives against OpenSCAD 2021.01.
 *
 * The files under native-tests/data/geom/ came from OpenSCAD 2021.01 (Debian's
 * /usr/bin/openscad): `openscad -o NAME.off` of cube/sphere/cylinder/polyhedron and
 * `openscad -o NAME.dxf` of circle, with the sources listed in the tables below. OpenSCAD
 * prints coordinates with 6 significant digits (%g), so every one of our vertices printed
 * with %g must be the same text — sign of zero included — in the same order, and our
 * triangles must cover OpenSCAD's polygons in OpenSCAD's face order: triangles and quads
 * as fans from OpenSCAD's first corner, larger faces by any triangulation of their own
 * corners (ours sweeps along an axis, see prim_build.c).
 * Volumes are checked against closed forms for the polyhedra the primitives are.
 */
#include <math.h>

#include "testutil.h"

#include "geom/fragments.h"
#include "geom/prim.h"

#define PI 3.14159265358979323846

static const char *datadir(void) { return tu_env("FACET_TESTDATA", "native-tests/data"); }

static char *slurp_data(const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/geom/%s", datadir(), name);
    char *s = tu_slurp(path, NULL);
    if (!s) fail_msg("missing test data %s", path);
    return s;
}

static void fmt_g(char *buf, size_t n, double v) { snprintf(buf, n, "%g", v); }

/* c = a x b */
static void prim_cross(const double *a, const double *b, double c[3]) {
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

/* Compares m with an OFF file from OpenSCAD: vertex text and fan triangles. */
static void check_off(const mesh *m, const char *name) {
    char *text = slurp_data(name);
    char *save = NULL;
    char *tok = strtok_r(text, " \n", &save);
    assert_string_equal(tok, "OFF");
    int nv = atoi(strtok_r(NULL, " \n", &save));
    int nf = atoi(strtok_r(NULL, " \n", &save));
    strtok_r(NULL, " \n", &save);
    if (m->nv != nv) fail_msg("%s: %d vertices, OpenSCAD has %d", name, (int)m->nv, nv);
    for (int v = 0; v < nv; v++)
        for (int k = 0; k < 3; k++) {
            char ours[64];
            fmt_g(ours, sizeof ours, m->pos[3 * v + k]);
            tok = strtok_r(NULL, " \n", &save);
            if (strcmp(ours, tok) != 0)
                fail_msg("%s: vertex %d coord %d is %s, OpenSCAD has %s", name, v, k, ours, tok);
        }
    int t = 0;
    for (int f = 0; f < nf; f++) {
        int k = atoi(strtok_r(NULL, " \n", &save));
        int idx[512];
        assert_true(k <= 512);
        for (int i = 0; i < k; i++) idx[i] = atoi(strtok_r(NULL, " \n", &save));
        if (k <= 4) {
            /* triangles and quads: the fan from OpenSCAD's first corner */
            for (int i = 1; i + 1 < k; i++, t++) {
                assert_true(t < m->nt);
                if (m->tri[3 * t] != idx[0] || m->tri[3 * t + 1] != idx[i] ||
                    m->tri[3 * t + 2] != idx[i + 1])
                    fail_msg("%s: triangle %d is %d %d %d, expected %d %d %d", name, t,
                             (int)m->tri[3 * t], (int)m->tri[3 * t + 1], (int)m->tri[3 * t + 2],
                             idx[0], idx[i], idx[i + 1]);
            }
            continue;
        }
        /* larger (convex) faces: k - 2 triangles of the face's own corners, each turning
         * the way the face does, whose vector areas add up to the face's */
        double want[3] = {0, 0, 0}, got[3] = {0, 0, 0};
        for (int i = 0; i < k; i++) {
            double c[3];
            prim_cross(m->pos + 3 * idx[i], m->pos + 3 * idx[(i + 1) % k], c);
            for (int j = 0; j < 3; j++) want[j] += c[j];
        }
        for (int n = 0; n < k - 2; n++, t++) {
            assert_true(t < m->nt);
            double tri_area[3] = {0, 0, 0};
            for (int i = 0; i < 3; i++) {
                int v = m->tri[3 * t + i], in = 0;
                for (int j = 0; j < k; j++) in |= idx[j] == v;
                if (!in) fail_msg("%s: triangle %d uses vertex %d, not a corner of face %d", name, t, v, f);
                double c[3];
                prim_cross(m->pos + 3 * v, m->pos + 3 * m->tri[3 * t + (i + 1) % 3], c);
                for (int j = 0; j < 3; j++) tri_area[j] += c[j];
            }
            double dot = 0;
            for (int j = 0; j < 3; j++) {
                dot += tri_area[j] * want[j];
                got[j] += tri_area[j];
            }
            if (!(dot > 0)) fail_msg("%s: triangle %d of face %d is flat or turned over", name, t, f);
        }
        for (int j = 0; j < 3; j++)
            if (fabs(got[j] - want[j]) > 1e-9 * (fabs(want[0]) + fabs(want[1]) + fabs(want[2])))
                fail_msg("%s: the triangles of face %d do not cover it", name, f);
    }
    assert_int_equal(t, m->nt);
    free(text);
}

static void check_closed(facet_ctx *ctx, mesh *m) {
    assert_true(m->manifold);
    assert_true(mesh_is_manifold(ctx, m));
    assert_int_equal(mesh_euler(ctx, m), 2);
    assert_int_equal(mesh_genus(ctx, m), 0);
    assert_true(mesh_volume(m) > 0);
}

/* OpenSCAD's defaults: $fn = 0, $fa = 12, $fs = 2 */
typedef struct frag3 {
    double fn, fa, fs;
} frag3;
#define DEF {0, 12, 2}

static void test_cube_vs_openscad(void **state) {
    (void)state;
    static const struct {
        const char *file;
        double size[3];
        bool center;
    } cases[] = {
        {"cube_123.off", {1, 2, 3}, false},        /* cube([1,2,3]); */
        {"cube_c5.off", {5, 5, 5}, true},          /* cube(5, center=true); */
        {"cube_odd.off", {0.1, 0.001, 7.25}, false}, /* cube([0.1, 0.001, 7.25]); */
    };
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            mesh *m = prim_cube(ctx, cases[i].size, cases[i].center);
            check_off(m, cases[i].file);
            check_closed(ctx, m);
            double v = cases[i].size[0] * cases[i].size[1] * cases[i].size[2];
            assert_true(tu_close(mesh_volume(m), v, 1e-14));
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_sphere_vs_openscad(void **state) {
    (void)state;
    static const struct {
        const char *file;
        double r;
        frag3 f;
    } cases[] = {
        {"sphere_fn6.off", 1, {6, 12, 2}},          /* sphere(r=1, $fn=6); */
        {"sphere_default5.off", 5, DEF},            /* sphere(5); */
        {"sphere_fn7.off", 10, {7, 12, 2}},         /* sphere(r=10, $fn=7); */
        {"sphere_fa15fs01.off", 2, {0, 15, 0.1}},   /* sphere(2, $fa=15, $fs=0.1); */
        {"sphere_fn3.off", 1, {3, 12, 2}},          /* sphere(1, $fn=3); */
        {"sphere_fn30.off", 0.5, {30, 12, 2}},      /* sphere(r=0.5, $fn=30); */
    };
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            int n = geom_fragments(cases[i].r, cases[i].f.fn, cases[i].f.fa, cases[i].f.fs);
            mesh *m = prim_sphere(ctx, cases[i].r, n, FC_NOLOC);
            check_off(m, cases[i].file);
            check_closed(ctx, m);
            assert_true(mesh_volume(m) < 4.0 / 3.0 * PI * pow(cases[i].r, 3));
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_cylinder_vs_openscad(void **state) {
    (void)state;
    static const struct {
        const char *file;
        double h, r1, r2;
        bool center;
        frag3 f;
    } cases[] = {
        {"cyl_cone5.off", 2, 1, 0, false, {5, 12, 2}},   /* cylinder(h=2, r1=1, r2=0, $fn=5); */
        {"cyl_c8.off", 3, 2, 2, true, {8, 12, 2}},       /* cylinder(h=3, r=2, $fn=8, center=true); */
        {"cyl_inv12.off", 1, 0, 3, false, {12, 12, 2}},  /* cylinder(h=1, r1=0, r2=3, $fn=12); */
        {"cyl_default.off", 10, 2, 1, false, DEF},       /* cylinder(h=10, r1=2, r2=1); */
        {"cyl_fs03.off", 1, 1, 1, false, {0, 3, 0.3}},   /* cylinder(r=1, h=1, $fs=0.3, $fa=3); */
    };
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            double r1 = cases[i].r1, r2 = cases[i].r2, h = cases[i].h;
            int n = geom_fragments(fmax(r1, r2), cases[i].f.fn, cases[i].f.fa, cases[i].f.fs);
            mesh *m = prim_cylinder(ctx, h, r1, r2, cases[i].center, n, FC_NOLOC);
            check_off(m, cases[i].file);
            check_closed(ctx, m);
            /* a frustum over similar regular n-gons: h/3 (A1 + A2 + sqrt(A1 A2)) */
            double a1 = 0.5 * n * r1 * r1 * sin(2 * PI / n), a2 = 0.5 * n * r2 * r2 * sin(2 * PI / n);
            double v = h / 3 * (a1 + a2 + sqrt(a1 * a2));
            assert_true(tu_close(mesh_volume(m), v, 1e-12));
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_circle_vs_openscad(void **state) {
    (void)state;
    static const struct {
        const char *file;
        double r;
        frag3 f;
    } cases[] = {
        {"circle_fn7.dxf", 1, {7, 12, 2}},         /* circle(r=1, $fn=7); */
        {"circle_default5.dxf", 5, DEF},           /* circle(5); */
        {"circle_fa10fs05.dxf", 2.5, {0, 10, 0.5}}, /* circle(r=2.5, $fa=10, $fs=0.5); */
        {"circle_fn4.dxf", 1, {4, 12, 2}},         /* circle(r=1, $fn=4); */
        {"circle_fn12.dxf", 1.5, {12, 12, 2}},     /* circle(d=3, $fn=12); */
    };
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            int n = geom_fragments(cases[i].r, cases[i].f.fn, cases[i].f.fa, cases[i].f.fs);
            poly2 *p = prim_circle(ctx, cases[i].r, n, FC_NOLOC);
            assert_int_equal(p->ncontours, 1);
            /* the DXF has one LINE per edge; its start points are the vertices in order */
            char *text = slurp_data(cases[i].file);
            char *save = NULL;
            int v = 0;
            for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                int code = atoi(line);
                if (strcmp(line, " 10") != 0 && strcmp(line, " 20") != 0) continue;
                char *val = strtok_r(NULL, "\n", &save);
                char ours[64];
                fmt_g(ours, sizeof ours, p->xy[2 * v + (code == 20)]);
                if (strcmp(ours, val) != 0)
                    fail_msg("%s: vertex %d is %s, OpenSCAD has %s", cases[i].file, v, ours, val);
                if (code == 20) v++;
            }
            assert_int_equal(v, p->count[0]);
            free(text);
            assert_true(tu_close(poly2_area(p), 0.5 * n * cases[i].r * cases[i].r * sin(2 * PI / n),
                                 1e-12));
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_exact_vertices(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* with $fn = 4 and 12 the circle's vertices at multiples of 30 and 90 degrees are
         * exact */
        poly2 *c = prim_circle(ctx, 2, 12, FC_NOLOC);
        assert_true(c->xy[2 * 1] == 2 * (0.86602540378443864676) && c->xy[2 * 1 + 1] == 1.0);
        assert_true(c->xy[2 * 3] == 0 && c->xy[2 * 3 + 1] == 2);
        assert_true(c->xy[2 * 6] == -2 && c->xy[2 * 6 + 1] == 0);
        poly2 *s = prim_square(ctx, (double[2]){3, 4}, true);
        assert_true(s->xy[0] == -1.5 && s->xy[1] == -2 && s->xy[4] == 1.5 && s->xy[5] == 2);
        assert_true(tu_close(poly2_area(s), 12, 1e-15));
        mesh *cyl = prim_cylinder(ctx, 2, 1, 1, false, 4, FC_NOLOC);
        /* a square prism of side sqrt(2): volume 2 * 2 exactly */
        assert_true(tu_close(mesh_volume(cyl), 4, 1e-15));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_sphere_converges(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = prim_sphere(ctx, 3, 200, FC_NOLOC);
        check_closed(ctx, m);
        double v = 4.0 / 3.0 * PI * 27;
        assert_true(mesh_volume(m) < v && mesh_volume(m) > 0.998 * v);
        assert_true(tu_close(mesh_area(m), 4 * PI * 9, 2e-3));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_degenerate_sizes_are_empty(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        const double bad[] = {0, -1, NAN, INFINITY, -INFINITY};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            double b = bad[i];
            assert_int_equal(prim_cube(ctx, (double[3]){1, b, 1}, false)->nt, 0);
            assert_int_equal(prim_sphere(ctx, b, 10, FC_NOLOC)->nt, 0);
            assert_int_equal(prim_cylinder(ctx, b, 1, 1, false, 10, FC_NOLOC)->nt, 0);
            assert_int_equal(prim_cylinder(ctx, 1, b, b, false, 10, FC_NOLOC)->nt, 0);
            assert_int_equal(prim_circle(ctx, b, 10, FC_NOLOC)->ncontours, 0);
            assert_int_equal(prim_square(ctx, (double[2]){b, 1}, false)->ncontours, 0);
        }
        /* one zero radius is a cone; a NaN radius is nothing */
        mesh *cone = prim_cylinder(ctx, 1, 0, 1, false, 10, FC_NOLOC);
        check_closed(ctx, cone);
        assert_int_equal(cone->nv, 11);
        assert_int_equal(prim_cylinder(ctx, 1, NAN, 1, false, 10, FC_NOLOC)->nt, 0);
        /* fragment counts below 3 are raised to 3 */
        check_closed(ctx, prim_sphere(ctx, 1, 0, FC_NOLOC));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_huge_fragments_fail_cleanly(void **state) {
    (void)state;
    facet_options opt = {0};
    opt.memory_limit = 256 << 20;
    facet_ctx *ctx = tu_ctx_opts(opt);
    int n = geom_fragments(1, 1e9, 12, 2);
    assert_int_equal(n, GEOM_MAX_FRAGMENTS);
    size_t used = ctx->mem.used;
    TU_PROTECT(ctx) { prim_sphere(ctx, 1, n, (fc_loc){-1, 3, 1}); }
    assert_int_equal(ctx->err.kind, FACET_ERR_MEMORY_LIMIT);
    assert_true(ctx->mem.peak - used < (1 << 20)); /* refused before allocating */
    TU_PROTECT(ctx) { prim_sphere(ctx, 1, INT32_MAX, FC_NOLOC); }
    assert_int_equal(ctx->err.kind, FACET_ERR_MEMORY_LIMIT);
    fc_pool_free_all(ctx, FC_POOL_RENDER);
    opt.memory_limit = 64 << 20;
    facet_ctx *small = tu_ctx_opts(opt);
    TU_PROTECT(small) { prim_cylinder(small, 1, 1, 1, false, n, FC_NOLOC); }
    assert_int_equal(small->err.kind, FACET_ERR_MEMORY_LIMIT);
    tu_ctx_free(small);
    /* a million-point circle fits */
    TU_PROTECT(ctx) {
        poly2 *c = prim_circle(ctx, 1, n, FC_NOLOC);
        assert_int_equal(c->count[0], n);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* OpenSCAD's pyramid: faces clockwise from outside, a quad base, an unused point. */
static const double pyr_pts[] = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0.5, 0.5, 1, 9, 9, 9};
static const int32_t pyr_idx[] = {4, 1, 0, 4, 2, 1, 4, 3, 2, 4, 0, 3, 2, 3, 0, 1};
static const int32_t pyr_cnt[] = {3, 3, 3, 3, 4};

static void test_polyhedron_vs_openscad(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *m = prim_polyhedron(ctx, pyr_pts, 6, pyr_idx, pyr_cnt, 5, FC_NOLOC);
        check_off(m, "poly_pyramid.off");
        check_closed(ctx, m);
        assert_true(tu_close(mesh_volume(m), 1.0 / 3.0, 1e-15));
        assert_int_equal(ctx->nlog, 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_polyhedron_bad_input(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        int file = fc_file_add(ctx, "/tmp/ph.scad", "ph.scad");
        fc_loc loc = {file, 4, 1};
        /* an index out of range: OpenSCAD's warning, the face loses that corner */
        const int32_t bad_idx[] = {4, 1, 0, 4, 2, 1, 4, 3, 2, 4, 0, 7, 2, 3, 0, 1};
        mesh *m = prim_polyhedron(ctx, pyr_pts, 6, bad_idx, pyr_cnt, 5, loc);
        assert_int_equal(ctx->nlog, 1);
        assert_string_equal(ctx->log[0], "WARNING: Point index 7 is out of bounds (from "
                                         "faces[3][2]) in file ph.scad, line 4");
        assert_false(m->manifold); /* one face is missing */
        /* every face inside out: turned right side out */
        int32_t rev[16];
        size_t off = 0;
        for (int f = 0; f < 5; f++) {
            for (int j = 0; j < pyr_cnt[f]; j++) rev[off + j] = pyr_idx[off + pyr_cnt[f] - 1 - j];
            off += pyr_cnt[f];
        }
        mesh *inv = prim_polyhedron(ctx, pyr_pts, 6, rev, pyr_cnt, 5, loc);
        check_closed(ctx, inv);
        assert_true(tu_close(mesh_volume(inv), 1.0 / 3.0, 1e-15));
        /* one face flipped: made consistent */
        int32_t mixed[16];
        memcpy(mixed, pyr_idx, sizeof mixed);
        mixed[3] = 1, mixed[5] = 4; /* face 1: 4 2 1 -> 1 2 4 */
        mesh *mx = prim_polyhedron(ctx, pyr_pts, 6, mixed, pyr_cnt, 5, loc);
        check_closed(ctx, mx);
        assert_true(tu_close(mesh_volume(mx), 1.0 / 3.0, 1e-15));
        /* a non-finite point: OpenSCAD's error, the faces so far are kept */
        double pts[18];
        memcpy(pts, pyr_pts, sizeof pts);
        pts[3 * 2 + 1] = INFINITY;
        int before = ctx->nlog;
        mesh *nf = prim_polyhedron(ctx, pts, 6, pyr_idx, pyr_cnt, 5, loc);
        assert_int_equal(ctx->nlog, before + 1);
        assert_string_equal(ctx->log[before], "ERROR: Unable to convert points[2] = [1, inf, 0] to "
                                              "a vec3 of numbers in file ph.scad, line 4");
        assert_int_equal(nf->nt, 1);
        /* degenerate faces (fewer than three corners) and an empty list */
        const int32_t two[] = {0, 1};
        const int32_t c2[] = {2};
        assert_int_equal(prim_polyhedron(ctx, pyr_pts, 6, two, c2, 1, loc)->nt, 0);
        assert_int_equal(prim_polyhedron(ctx, pyr_pts, 0, NULL, NULL, 0, loc)->nt, 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_polyhedron_nonconvex_faces(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* an L-shaped prism whose top and bottom are single 6-gons (area 3, height 2) */
        static const double L[6][2] = {{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}};
        double pts[36];
        for (int i = 0; i < 6; i++) {
            pts[3 * i] = L[i][0], pts[3 * i + 1] = L[i][1], pts[3 * i + 2] = 0;
            pts[18 + 3 * i] = L[i][0], pts[18 + 3 * i + 1] = L[i][1], pts[18 + 3 * i + 2] = 2;
        }
        int32_t idx[6 + 6 + 24], cnt[8];
        int o = 0;
        /* OpenSCAD order (clockwise from outside): bottom seen from below is CCW in xy */
        for (int i = 0; i < 6; i++) idx[o++] = i;
        cnt[0] = 6;
        for (int i = 5; i >= 0; i--) idx[o++] = 6 + i;
        cnt[1] = 6;
        for (int i = 0; i < 6; i++) {
            int j = (i + 1) % 6;
            idx[o++] = i, idx[o++] = 6 + i, idx[o++] = 6 + j, idx[o++] = j;
            cnt[2 + i] = 4;
        }
        mesh *m = prim_polyhedron(ctx, pts, 12, idx, cnt, 8, FC_NOLOC);
        check_closed(ctx, m);
        assert_true(tu_close(mesh_volume(m), 6, 1e-15));
        assert_true(tu_close(mesh_area(m), 2 * 3 + 2 * 8, 1e-15));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* A prism over the polygon xy (k points, counter-clockwise), height 1, as OpenSCAD faces. */
static mesh *prism(facet_ctx *ctx, const double *xy, int k) {
    double *pts = fc_alloc(ctx, (size_t)k * 6 * sizeof(double));
    int32_t *idx = fc_alloc(ctx, (size_t)(2 * k + 4 * k) * sizeof(int32_t));
    int32_t *cnt = fc_alloc(ctx, (size_t)(k + 2) * sizeof(int32_t));
    for (int i = 0; i < k; i++) {
        pts[3 * i] = pts[3 * (k + i)] = xy[2 * i];
        pts[3 * i + 1] = pts[3 * (k + i) + 1] = xy[2 * i + 1];
        pts[3 * i + 2] = 0, pts[3 * (k + i) + 2] = 1;
    }
    int o = 0;
    for (int i = 0; i < k; i++) idx[o++] = i; /* bottom: clockwise seen from below */
    cnt[0] = k;
    for (int i = k - 1; i >= 0; i--) idx[o++] = k + i;
    cnt[1] = k;
    for (int i = 0; i < k; i++) {
        int j = (i + 1) % k;
        idx[o++] = i, idx[o++] = k + i, idx[o++] = k + j, idx[o++] = j;
        cnt[2 + i] = 4;
    }
    return prim_polyhedron(ctx, pts, 2 * k, idx, cnt, k + 2, FC_NOLOC);
}

static void test_polyhedron_big_faces(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* a 20000-gon cap (convex: a fan in linear time) */
        int k = 20000;
        poly2 *c = prim_circle(ctx, 10, k, FC_NOLOC);
        mesh *m = prism(ctx, c->xy, k);
        check_closed(ctx, m);
        assert_true(tu_close(mesh_volume(m), poly2_area(c), 1e-9));
        /* a comb with 300 teeth (not convex: ear clipping) */
        int teeth = 300, n = 4 * teeth + 2, o = 0;
        double *xy = fc_alloc(ctx, (size_t)n * 2 * sizeof(double));
        xy[o++] = 2.0 * teeth, xy[o++] = -1;
        for (int t = teeth - 1; t >= 0; t--) {
            xy[o++] = 2.0 * t + 1, xy[o++] = 0;
            xy[o++] = 2.0 * t + 1, xy[o++] = 5;
            xy[o++] = 2.0 * t, xy[o++] = 5;
            xy[o++] = 2.0 * t, xy[o++] = 0;
        }
        xy[o++] = 0, xy[o++] = -1;
        /* the teeth above run right to left: reverse to counter-clockwise */
        for (int i = 0; i < n / 2; i++)
            for (int d = 0; d < 2; d++) {
                double sw = xy[2 * i + d];
                xy[2 * i + d] = xy[2 * (n - 1 - i) + d];
                xy[2 * (n - 1 - i) + d] = sw;
            }
        mesh *comb = prism(ctx, xy, n);
        check_closed(ctx, comb);
        /* a base trapezoid (bottom 2*teeth, top 2*teeth - 1, height 1) plus teeth of 1 x 5 */
        assert_true(tu_close(mesh_volume(comb), 2.0 * teeth - 0.5 + 5.0 * teeth, 1e-12));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_polygon(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* outer square clockwise, hole counter-clockwise: under even-odd the hole is a hole */
        const double pts[] = {0, 0, 0, 10, 10, 10, 10, 0, 2, 2, 4, 2, 4, 4, 2, 4};
        const int32_t idx[] = {0, 1, 2, 3, 4, 5, 6, 7};
        const int32_t cnt[] = {4, 4};
        poly2 *p = prim_polygon(ctx, pts, 8, idx, cnt, 2, FC_NOLOC);
        assert_int_equal(p->ncontours, 2);
        assert_true(tu_close(poly2_area(p), 100 - 4, 1e-15));
        /* no paths: one contour over all points */
        poly2 *q = prim_polygon(ctx, pts, 4, NULL, NULL, 0, FC_NOLOC);
        assert_int_equal(q->ncontours, 1);
        assert_true(tu_close(poly2_area(q), 100, 1e-15));
        assert_int_equal(prim_polygon(ctx, pts, 2, NULL, NULL, 0, FC_NOLOC)->ncontours, 0);
        /* an index out of range */
        const int32_t bad[] = {0, 1, 2, 9};
        const int32_t c1[] = {4};
        poly2 *r = prim_polygon(ctx, pts, 8, bad, c1, 1, FC_NOLOC);
        assert_int_equal(ctx->nlog, 1);
        assert_string_equal(ctx->log[0],
                            "WARNING: Point index 9 is out of bounds (from paths[0][3])");
        assert_int_equal(r->count[0], 3);
        /* an infinite coordinate: OpenSCAD's error, nothing */
        const double inf_pts[] = {0, 0, 1, 0, -INFINITY, 1};
        assert_int_equal(prim_polygon(ctx, inf_pts, 3, NULL, NULL, 0, FC_NOLOC)->ncontours, 0);
        assert_string_equal(ctx->log[1],
                            "ERROR: Unable to convert points[2] = [-inf, 1] to a vec2 of numbers");
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_prim_geometry_dispatch(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        csg_node n;
        memset(&n, 0, sizeof n);
        n.kind = CSG_SPHERE;
        n.loc = FC_NOLOC;
        n.u.sphere.r = 2;
        n.u.sphere.n = 8;
        geo g = prim_geometry(ctx, &n);
        assert_int_equal(g.dim, 3);
        assert_int_equal(g.m->nv, 8 * 4);
        n.kind = CSG_CIRCLE;
        n.u.circle.r = 1;
        n.u.circle.n = 5;
        g = prim_geometry(ctx, &n);
        assert_int_equal(g.dim, 2);
        assert_int_equal(g.p->npoints, 5);
        n.kind = CSG_UNION;
        assert_int_equal(prim_geometry(ctx, &n).dim, 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube_vs_openscad),
        cmocka_unit_test(test_sphere_vs_openscad),
        cmocka_unit_test(test_cylinder_vs_openscad),
        cmocka_unit_test(test_circle_vs_openscad),
        cmocka_unit_test(test_exact_vertices),
        cmocka_unit_test(test_sphere_converges),
        cmocka_unit_test(test_degenerate_sizes_are_empty),
        cmocka_unit_test(test_huge_fragments_fail_cleanly),
        cmocka_unit_test(test_polyhedron_vs_openscad),
        cmocka_unit_test(test_polyhedron_bad_input),
        cmocka_unit_test(test_polyhedron_nonconvex_faces),
        cmocka_unit_test(test_polyhedron_big_faces),
        cmocka_unit_test(test_polygon),
        cmocka_unit_test(test_prim_geometry_dispatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
