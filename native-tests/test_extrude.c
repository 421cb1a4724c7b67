/*
 * test_extrude.c — linear_extrude, rotate_extrude and projection: closed manifolds with
 * analytic volumes, and volumes of twisted/scaled extrusions against OpenSCAD 2021.01
 * (reference volumes computed from `openscad --export-format asciistl` output of the quoted
 * one-line models, so they carry the STL's 6-digit rounding).
 */
#include <math.h>

#include "testutil.h"

#include "geom/mesh.h"
#include "geom/poly2_ops.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static const csg_frag DEFAULT_FRAG = {0, 12, 2};

static poly2 *rect(facet_ctx *ctx, double x0, double y0, double x1, double y1) {
    poly2 *p = poly2_new(ctx, 1, 4);
    double xy[8] = {x0, y0, x1, y0, x1, y1, x0, y1};
    memcpy(p->xy, xy, sizeof xy);
    p->count[0] = 4;
    return p;
}

/* OpenSCAD's circle(r, $fn = n) */
static poly2 *circle(facet_ctx *ctx, double cx, double r, int n) {
    poly2 *p = poly2_new(ctx, 1, n);
    p->count[0] = n;
    for (int i = 0; i < n; i++) {
        p->xy[2 * i] = cx + r * cos(2 * M_PI * i / n);
        p->xy[2 * i + 1] = r * sin(2 * M_PI * i / n);
    }
    return p;
}

static void check_closed(facet_ctx *ctx, mesh *m) {
    assert_true(m->manifold);
    assert_true(mesh_is_manifold(ctx, m));
}

static void test_linear_plain(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        double one[2] = {1, 1};
        mesh *m = extrude_linear(ctx, rect(ctx, 0, 0, 10, 10), 5, false, 0, 0, false, 0, one, DEFAULT_FRAG);
        check_closed(ctx, m);
        assert_true(fabs(mesh_volume(m) - 500) < 1e-9);
        double lo[3], hi[3];
        mesh_bbox(m, lo, hi);
        assert_true(lo[2] == 0 && hi[2] == 5);
        m = extrude_linear(ctx, rect(ctx, 0, 0, 10, 10), 5, true, 0, 0, false, 0, one, DEFAULT_FRAG);
        mesh_bbox(m, lo, hi);
        assert_true(lo[2] == -2.5 && hi[2] == 2.5);
        /* with a hole */
        poly2 *v[2] = {rect(ctx, 0, 0, 10, 10), rect(ctx, 2, 2, 4, 4)};
        poly2 *d = poly2_boolean(ctx, v, 2, BOOL_DIFFERENCE);
        m = extrude_linear(ctx, d, 2, false, 0, 0, false, 0, one, DEFAULT_FRAG);
        check_closed(ctx, m);
        assert_true(fabs(mesh_volume(m) - 192) < 1e-9);
        assert_int_equal(mesh_genus(ctx, m), 1);
        /* pyramid: scale 0 closes at an apex */
        double zero[2] = {0, 0};
        m = extrude_linear(ctx, rect(ctx, -2, -2, 2, 2), 10, false, 0, 0, false, 0, zero, DEFAULT_FRAG);
        check_closed(ctx, m);
        assert_true(fabs(mesh_volume(m) - 16.0 * 10 / 3) < 1e-9);
        /* two squares collapsing onto one ridge (scale [0, 1]): two closed wedges, not
         * four walls on one edge (OpenSCAD's issue591) */
        double s01[2] = {0, 1};
        poly2 *v2[2] = {rect(ctx, 0.5, -0.5, 1.5, 0.5), rect(ctx, -1.5, -0.5, -0.5, 0.5)};
        poly2 *two = poly2_boolean(ctx, v2, 2, BOOL_UNION);
        m = extrude_linear(ctx, two, 3, false, 0, 0, false, 0, s01, DEFAULT_FRAG);
        check_closed(ctx, m);
        assert_true(fabs(mesh_volume(m) - 2 * 1.0 * 3 / 2) < 1e-9);
        /* height 0 gives nothing */
        m = extrude_linear(ctx, rect(ctx, 0, 0, 1, 1), 0, false, 0, 0, false, 0, one, DEFAULT_FRAG);
        assert_int_equal(m->nt, 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_linear_twist_scale_vs_openscad(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        double one[2] = {1, 1};
        /* linear_extrude(height=10, twist=90, slices=3) square(5);  -> 28 facets */
        mesh *m = extrude_linear(ctx, rect(ctx, 0, 0, 5, 5), 10, false, 90, 3, true, 0, one, DEFAULT_FRAG);
        check_closed(ctx, m);
        assert_int_equal(m->nt, 28);
        assert_true(tu_close(mesh_volume(m), 280.50231009400363, 1e-5));
        /* linear_extrude(height=10, twist=360) translate([2,0]) circle(r=1, $fn=12); -> 284 facets */
        m = extrude_linear(ctx, circle(ctx, 2, 1, 12), 10, false, 360, 0, false, 0, one, DEFAULT_FRAG);
        check_closed(ctx, m);
        assert_int_equal(m->nt, 284);
        assert_true(tu_close(mesh_volume(m), 28.895437328061416, 1e-5));
        /* linear_extrude(height=10, scale=[2,0.5], twist=-45) square(4, center=true); -> 36 */
        double s2[2] = {2, 0.5};
        m = extrude_linear(ctx, rect(ctx, -2, -2, 2, 2), 10, false, -45, 0, false, 0, s2, DEFAULT_FRAG);
        check_closed(ctx, m);
        assert_int_equal(m->nt, 36);
        assert_true(tu_close(mesh_volume(m), 178.58763134546004, 1e-5));
        /* linear_extrude(height=10, scale=0, twist=30) square(4, center=true); -> 22 */
        double zero[2] = {0, 0};
        m = extrude_linear(ctx, rect(ctx, -2, -2, 2, 2), 10, false, 30, 0, false, 0, zero, DEFAULT_FRAG);
        check_closed(ctx, m);
        assert_int_equal(m->nt, 22);
        assert_true(tu_close(mesh_volume(m), 55.83741043991614, 1e-5));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_rotate(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        csg_frag f30 = {30, 12, 2};
        /* annulus r 5..6, height 1: the volume of the 30-gon ring */
        mesh *m = extrude_rotate(ctx, rect(ctx, 5, 0, 6, 1), 360, f30, FC_NOLOC);
        check_closed(ctx, m);
        double ngon = 30 / 2.0 * sin(2 * M_PI / 30);
        assert_true(fabs(mesh_volume(m) - ngon * (36 - 25)) < 1e-9);
        assert_int_equal(mesh_genus(ctx, m), 1);
        /* touching the axis: a cylinder with the same fragments as cylinder($fn=30) */
        m = extrude_rotate(ctx, rect(ctx, 0, 0, 2, 1), 360, f30, FC_NOLOC);
        check_closed(ctx, m);
        assert_true(fabs(mesh_volume(m) - ngon * 4) < 1e-9);
        /* partial: 90 degrees of 30 fragments -> 7 sections (OpenSCAD truncates), with caps */
        m = extrude_rotate(ctx, rect(ctx, 5, 0, 6, 1), 90, f30, FC_NOLOC);
        check_closed(ctx, m);
        double sec = 7 * 0.5 * sin(M_PI / 2 / 7);
        assert_true(fabs(mesh_volume(m) - sec * 11) < 1e-9);
        /* rotate_extrude(angle=100) translate([5,0]) square(1); -> 44 facets in OpenSCAD */
        m = extrude_rotate(ctx, rect(ctx, 5, 0, 6, 1), 100, DEFAULT_FRAG, FC_NOLOC);
        check_closed(ctx, m);
        assert_int_equal(m->nt, 44);
        /* negative x works mirrored */
        m = extrude_rotate(ctx, rect(ctx, -6, 0, -5, 1), 360, f30, FC_NOLOC);
        check_closed(ctx, m);
        assert_true(fabs(mesh_volume(m) - ngon * 11) < 1e-9);
        /* crossing the axis: OpenSCAD's error line, no geometry */
        fc_log_clear(ctx);
        m = extrude_rotate(ctx, rect(ctx, -1, 0, 2, 3), 360, f30, FC_NOLOC);
        assert_int_equal(m->nt, 0);
        assert_true(ctx->nlog >= 1);
        assert_non_null(strstr(ctx->log[ctx->nlog - 1],
                               "ERROR: all points for rotate_extrude() must have the same X coordinate sign (range is -1.00 -> 2.00)"));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* A closed box mesh [x0,x1] x [y0,y1] x [z0,z1], outward triangles. */
static mesh *box(facet_ctx *ctx, const double lo[3], const double hi[3]) {
    mesh *m = mesh_new(ctx, 8, 12);
    for (int i = 0; i < 8; i++) {
        m->pos[3 * i] = (i & 1) ? hi[0] : lo[0];
        m->pos[3 * i + 1] = (i & 2) ? hi[1] : lo[1];
        m->pos[3 * i + 2] = (i & 4) ? hi[2] : lo[2];
    }
    static const int32_t t[36] = {0, 2, 1, 1, 2, 3, 4, 5, 6, 5, 7, 6, 0, 1, 4, 1, 5, 4,
                                  2, 6, 3, 3, 6, 7, 0, 4, 2, 2, 4, 6, 1, 3, 5, 3, 7, 5};
    memcpy(m->tri, t, sizeof t);
    m->manifold = true;
    return m;
}

static void test_projection(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        double lo[3] = {-1, -2, -3}, hi[3] = {3, 2, 1};
        mesh *m = box(ctx, lo, hi);
        assert_true(fabs(mesh_volume(m) - 64) < 1e-9);
        poly2 *s = project_mesh(ctx, m, false);
        assert_true(fabs(poly2_area(s) - 16) < 1e-9);
        assert_int_equal(s->ncontours, 1);
        poly2 *c = project_mesh(ctx, m, true);
        assert_true(fabs(poly2_area(c) - 16) < 1e-9);
        assert_int_equal(c->ncontours, 1);
        /* a box above the plane has no cut; one resting on it, or hanging from it, cuts to
         * the face in the plane (OpenSCAD 2021.01: area 100 for cube(10) and for
         * translate([0,0,-10]) cube(10)) */
        double lo2[3] = {0, 0, 1}, hi2[3] = {1, 1, 2};
        c = project_mesh(ctx, box(ctx, lo2, hi2), true);
        assert_int_equal(c->ncontours, 0);
        double lo3[3] = {0, 0, 0}, hi3[3] = {1, 1, 2};
        c = project_mesh(ctx, box(ctx, lo3, hi3), true);
        assert_true(fabs(poly2_area(c) - 1) < 1e-9);
        double lo4[3] = {0, 0, -2}, hi4[3] = {1, 1, 0};
        c = project_mesh(ctx, box(ctx, lo4, hi4), true);
        assert_true(fabs(poly2_area(c) - 1) < 1e-9);
        /* a ring: the cut of an extruded annulus has a hole */
        double one[2] = {1, 1};
        poly2 *v[2] = {rect(ctx, 0, 0, 10, 10), rect(ctx, 2, 2, 4, 4)};
        poly2 *d = poly2_boolean(ctx, v, 2, BOOL_DIFFERENCE);
        mesh *e = extrude_linear(ctx, d, 2, true, 0, 0, false, 0, one, DEFAULT_FRAG);
        c = project_mesh(ctx, e, true);
        assert_true(fabs(poly2_area(c) - 96) < 1e-9);
        assert_int_equal(c->ncontours, 2);
        s = project_mesh(ctx, e, false);
        assert_true(fabs(poly2_area(s) - 96) < 1e-9);
        /* twisted solid: the cut at mid-height of a centred extrusion is the rotated square */
        e = extrude_linear(ctx, rect(ctx, -1, -1, 1, 1), 2, true, 90, 2, true, 0, one, DEFAULT_FRAG);
        c = project_mesh(ctx, e, true);
        assert_true(fabs(poly2_area(c) - 4) < 1e-9);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_plain),
        cmocka_unit_test(test_linear_twist_scale_vs_openscad),
        cmocka_unit_test(test_rotate),
        cmocka_unit_test(test_projection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
