/*
 * test_poly2.c — the 2D container (poly2.c): area, bbox, transform with mirroring, clone,
 * pools; the 2D booleans (poly2_bool.c): areas and hole counts against analytic values,
 * shared edges, touching corners, self-intersecting and degenerate input.
 */
#include <math.h>

#ifndef M_SQRT2
#define M_SQRT2 1.41421356237309504880
#endif
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#include "testutil.h"

#include "geom/pred.h"

#include "geom/poly2.h"
#include "geom/poly2_grid.h"
#include "geom/poly2_ops.h"

static poly2 *square(facet_ctx *ctx, double x0, double y0, double s, int ccw) {
    poly2 *p = poly2_new(ctx, 1, 4);
    double pts[8] = {x0, y0, x0 + s, y0, x0 + s, y0 + s, x0, y0 + s};
    for (int i = 0; i < 4; i++) {
        int j = ccw ? i : 3 - i;
        p->xy[2 * i] = pts[2 * j];
        p->xy[2 * i + 1] = pts[2 * j + 1];
    }
    p->start[0] = 0;
    p->count[0] = 4;
    return p;
}


/* A poly2 from a list of contours given as flat point arrays. */
static poly2 *mkpoly(facet_ctx *ctx, int nc, const int *counts, const double *xy) {
    int np = 0;
    for (int c = 0; c < nc; c++) np += counts[c];
    poly2 *p = poly2_new(ctx, nc, np);
    int at = 0;
    for (int c = 0; c < nc; c++) {
        p->start[c] = at;
        p->count[c] = counts[c];
        at += counts[c];
    }
    memcpy(p->xy, xy, (size_t)np * 2 * sizeof *xy);
    return p;
}

static poly2 *rect(facet_ctx *ctx, double x0, double y0, double x1, double y1) {
    double xy[8] = {x0, y0, x1, y0, x1, y1, x0, y1};
    int n = 4;
    return mkpoly(ctx, 1, &n, xy);
}

static poly2 *ngon(facet_ctx *ctx, double cx, double cy, double r, int n) {
    poly2 *p = poly2_new(ctx, 1, n);
    p->count[0] = n;
    for (int i = 0; i < n; i++) {
        p->xy[2 * i] = cx + r * cos(2 * M_PI * i / n);
        p->xy[2 * i + 1] = cy + r * sin(2 * M_PI * i / n);
    }
    return p;
}

static int holes(const poly2 *p) {
    int h = 0;
    for (int c = 0; c < p->ncontours; c++) {
        poly2 one = *p;
        one.ncontours = 1;
        one.start = p->start + c;
        one.count = p->count + c;
        if (poly2_area(&one) < 0) h++;
    }
    return h;
}

static poly2 *op2(facet_ctx *ctx, poly2 *a, poly2 *b, bool_op op) {
    poly2 *v[2] = {a, b};
    return poly2_boolean(ctx, v, 2, op);
}

static void test_area_bbox(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        poly2 *p = square(ctx, 1, 2, 3, 1);
        assert_true(poly2_area(p) == 9.0);
        double lo[2], hi[2];
        poly2_bbox(p, lo, hi);
        assert_true(lo[0] == 1 && lo[1] == 2 && hi[0] == 4 && hi[1] == 5);
        poly2 *q = square(ctx, 0, 0, 1, 0);
        assert_true(poly2_area(q) == -1.0);
        poly2 *e = poly2_empty(ctx);
        assert_true(poly2_area(e) == 0.0);
        poly2_bbox(e, lo, hi);
        assert_true(lo[0] > hi[0]);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_transform_mirror_keeps_orientation(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        poly2 *p = square(ctx, 0, 0, 2, 1);
        double mirror[16] = {-1, 0, 0, 5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        poly2_transform(p, mirror);
        assert_true(poly2_area(p) == 4.0); /* still counter-clockwise */
        double lo[2], hi[2];
        poly2_bbox(p, lo, hi);
        assert_true(lo[0] == 3 && hi[0] == 5);
        double scale[16] = {2, 0, 0, 0, 0, 3, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1};
        poly2_transform(p, scale);
        assert_true(poly2_area(p) == 24.0);
        poly2_bbox(p, lo, hi);
        assert_true(lo[1] == 1 && hi[1] == 7);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_clone_keep(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    poly2 *volatile kept = NULL;
    TU_PROTECT(ctx) {
        poly2 *p = square(ctx, 0, 0, 2, 1);
        p->color = 0xff0000ff;
        poly2 *q = poly2_clone(ctx, p);
        poly2_free(ctx, p);
        assert_true(poly2_area(q) == 4.0);
        assert_int_equal(q->color, 0xff0000ff);
        assert_true(poly2_bytes(q) >= 4 * 2 * sizeof(double));
        poly2_keep(ctx, q);
        kept = q;
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    fc_pool_free_all(ctx, FC_POOL_RENDER);
    assert_true(poly2_area(kept) == 4.0); /* survives the render pool */
    poly2_unkeep(ctx, kept);
    tu_ctx_free(ctx);
}


static void test_bool_overlap_and_shared_edges(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        poly2 *u = op2(ctx, rect(ctx, 0, 0, 2, 2), rect(ctx, 1, 1, 3, 3), BOOL_UNION);
        assert_true(fabs(poly2_area(u) - 7) < 1e-9);
        assert_int_equal(u->ncontours, 1);
        assert_int_equal(u->npoints, 8);
        /* shared edge: one rectangle, collinear vertices gone */
        u = op2(ctx, rect(ctx, 0, 0, 1, 1), rect(ctx, 1, 0, 2, 1), BOOL_UNION);
        assert_true(fabs(poly2_area(u) - 2) < 1e-9);
        assert_int_equal(u->ncontours, 1);
        assert_int_equal(u->npoints, 4);
        /* partially shared edge */
        u = op2(ctx, rect(ctx, 0, 0, 1, 1), rect(ctx, 1, 0.5, 2, 3), BOOL_UNION);
        assert_true(fabs(poly2_area(u) - 3.5) < 1e-9);
        assert_int_equal(u->ncontours, 1);
        /* touching corners: two separate contours */
        u = op2(ctx, rect(ctx, 0, 0, 1, 1), rect(ctx, 1, 1, 2, 2), BOOL_UNION);
        assert_true(fabs(poly2_area(u) - 2) < 1e-9);
        assert_int_equal(u->ncontours, 2);
        assert_int_equal(holes(u), 0);
        poly2 *i = op2(ctx, rect(ctx, 0, 0, 1, 1), rect(ctx, 1, 1, 2, 2), BOOL_INTERSECTION);
        assert_int_equal(i->ncontours, 0);
        i = op2(ctx, rect(ctx, 0, 0, 2, 2), rect(ctx, 1, 1, 3, 3), BOOL_INTERSECTION);
        assert_true(fabs(poly2_area(i) - 1) < 1e-9);
        /* same square twice */
        u = op2(ctx, rect(ctx, 0, 0, 1, 1), rect(ctx, 0, 0, 1, 1), BOOL_UNION);
        assert_true(fabs(poly2_area(u) - 1) < 1e-9);
        assert_int_equal(u->npoints, 4);
        poly2 *d = op2(ctx, rect(ctx, 0, 0, 1, 1), rect(ctx, 0, 0, 1, 1), BOOL_DIFFERENCE);
        assert_int_equal(d->ncontours, 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_bool_difference_holes(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        poly2 *d = op2(ctx, rect(ctx, 0, 0, 10, 10), rect(ctx, 3, 3, 7, 7), BOOL_DIFFERENCE);
        assert_true(fabs(poly2_area(d) - 84) < 1e-9);
        assert_int_equal(d->ncontours, 2);
        assert_int_equal(holes(d), 1);
        /* a hole touching the outer boundary at one vertex */
        double tri[6] = {5, 0, 7, 4, 3, 4};
        int n3 = 3;
        d = op2(ctx, rect(ctx, 0, 0, 10, 10), mkpoly(ctx, 1, &n3, tri), BOOL_DIFFERENCE);
        assert_true(fabs(poly2_area(d) - 92) < 1e-9);
        /* cutting through: two pieces */
        d = op2(ctx, rect(ctx, 0, 0, 10, 10), rect(ctx, 4, -1, 6, 11), BOOL_DIFFERENCE);
        assert_true(fabs(poly2_area(d) - 80) < 1e-9);
        assert_int_equal(d->ncontours, 2);
        assert_int_equal(holes(d), 0);
        /* three operands */
        poly2 *v[3] = {rect(ctx, 0, 0, 10, 10), rect(ctx, 1, 1, 2, 2), rect(ctx, 5, 5, 6, 6)};
        d = poly2_boolean(ctx, v, 3, BOOL_DIFFERENCE);
        assert_true(fabs(poly2_area(d) - 98) < 1e-9);
        assert_int_equal(holes(d), 2);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_bool_self_intersecting_and_degenerate(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* bow tie: two triangles of opposite winding, both filled under non-zero */
        double bow[8] = {0, 0, 2, 2, 2, 0, 0, 2};
        int n4 = 4;
        poly2 *p = mkpoly(ctx, 1, &n4, bow);
        poly2 *c = poly2_boolean(ctx, &p, 1, BOOL_UNION);
        assert_true(fabs(poly2_area(c) - 2) < 1e-9);
        assert_int_equal(c->ncontours, 2);
        assert_int_equal(holes(c), 0);
        /* pentagram: non-zero fills the centre too */
        double star[10];
        for (int i = 0; i < 5; i++) {
            star[2 * i] = cos(M_PI / 2 + 4 * M_PI * i / 5);
            star[2 * i + 1] = sin(M_PI / 2 + 4 * M_PI * i / 5);
        }
        int n5 = 5;
        p = mkpoly(ctx, 1, &n5, star);
        c = poly2_boolean(ctx, &p, 1, BOOL_UNION);
        assert_int_equal(c->ncontours, 1);
        assert_int_equal(c->npoints, 10);
        /* area of a unit pentagram: 5 tips + centre pentagon */
        double inner = sin(M_PI / 10) / sin(7 * M_PI / 10); /* inner radius */
        double expect = 10 * 0.5 * 1 * inner * sin(M_PI / 5); /* centre-tip-inner triangles */
        /* the five crossings are rounded to the 2^-16 grid */
        assert_true(fabs(poly2_area(c) - expect) < 10 * 2.0 / 65536);
        /* polygon() as OpenSCAD fills it: even-odd, the centre is empty, and the vertices
         * are snapped to the 2^-16 grid before any transform. OpenSCAD 2021.01, volumes of
         * the binary STLs: linear_extrude(1) scale(10) polygon(star) 77.56597222760321 (the
         * unit star's grid rounding, scaled up), linear_extrude(1) polygon(10 * star)
         * 77.56750891706906. */
        c = poly2_clean_evenodd(ctx, p);
        assert_int_equal(c->ncontours, 5);
        assert_true(fabs(poly2_area(c) * 100 - 77.56597222760321) < 1e-9);
        for (int i = 0; i < 10; i++) star[i] *= 10;
        c = poly2_clean_evenodd(ctx, mkpoly(ctx, 1, &n5, star));
        assert_int_equal(c->ncontours, 5);
        assert_true(fabs(poly2_area(c) - 77.56750891706906) < 1e-9);
        /* nested paths of the same orientation: the inner one is a hole */
        poly2 *nest[2] = {rect(ctx, 0, 0, 10, 10), rect(ctx, 2, 2, 8, 8)};
        poly2 *both = poly2_new(ctx, 2, 8);
        memcpy(both->xy, nest[0]->xy, 8 * sizeof(double));
        memcpy(both->xy + 8, nest[1]->xy, 8 * sizeof(double));
        both->count[0] = both->count[1] = 4;
        both->start[1] = 4;
        c = poly2_clean_evenodd(ctx, both);
        assert_true(fabs(poly2_area(c) - 64) < 1e-12);
        assert_int_equal(holes(c), 1);
        c = poly2_boolean(ctx, &both, 1, BOOL_UNION); /* non-zero: filled */
        assert_true(fabs(poly2_area(c) - 100) < 1e-12);
        /* zero-area sliver and collinear points vanish */
        double sl[6] = {0, 0, 1, 0, 2, 0};
        int n3 = 3;
        p = mkpoly(ctx, 1, &n3, sl);
        c = poly2_boolean(ctx, &p, 1, BOOL_UNION);
        assert_int_equal(c->ncontours, 0);
        /* a clockwise outline becomes counter-clockwise */
        double cw[8] = {0, 0, 0, 1, 1, 1, 1, 0};
        p = mkpoly(ctx, 1, &n4, cw);
        c = poly2_boolean(ctx, &p, 1, BOOL_UNION);
        assert_true(fabs(poly2_area(c) - 1) < 1e-12);
        /* a lone operand keeps its exact coordinates */
        p = ngon(ctx, 0.1, 0.2, 3.3, 7);
        c = poly2_boolean(ctx, &p, 1, BOOL_UNION);
        assert_int_equal(c->npoints, 7);
        assert_true(poly2_area(c) == poly2_area(p));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* OpenSCAD 2021.01 cleans boolean results at Clipper's default distance, 1.415 grid steps,
 * not 0.001 mm. Expected edge counts from /usr/bin/openscad 2021.01's DXF output. */
static void test_clean_distance(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* difference(){polygon([[0,0],[5,d],[10,0],[10,10],[0,10]]); translate([20,0])
         * square(1);}: 4 edges for d = 3e-5 (1 grid step), 5 for d = 4e-5 (2 steps) */
        static const double ds[2] = {3e-5, 4e-5};
        for (int k = 0; k < 2; k++) {
            double xy[10] = {0, 0, 5, ds[k], 10, 0, 10, 10, 0, 10};
            int n5 = 5;
            poly2 *ops[2] = {mkpoly(ctx, 1, &n5, xy), rect(ctx, 20, 0, 21, 1)};
            poly2 *c = poly2_boolean(ctx, ops, 2, BOOL_DIFFERENCE);
            assert_int_equal(c->ncontours, 1);
            assert_int_equal(c->npoints, 4 + k);
        }
        /* difference(){circle(5,$fn=360); circle(1,$fn=4);}: 364 edges (a 0.001 mm distance
         * would drop every other vertex of the big circle: its sagitta is 7.6e-4) */
        poly2 *ops[2] = {ngon(ctx, 0, 0, 5, 360), ngon(ctx, 0, 0, 1, 4)};
        poly2 *c = poly2_boolean(ctx, ops, 2, BOOL_DIFFERENCE);
        assert_int_equal(c->ncontours, 2);
        assert_int_equal(c->npoints, 364);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_bool_many_circles(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* a row of 30 disjoint 20-gons plus 30 that bridge them: area by inclusion-exclusion
         * is hard, so compare union(A, B) = A + B - intersection(A, B) */
        poly2 *v[60];
        for (int i = 0; i < 60; i++) v[i] = ngon(ctx, i * 1.5, (i % 2) * 0.7, 1, 20);
        poly2 *u = poly2_boolean(ctx, v, 60, BOOL_UNION);
        poly2 *ua = poly2_boolean(ctx, v, 30, BOOL_UNION);
        poly2 *ub = poly2_boolean(ctx, v + 30, 30, BOOL_UNION);
        poly2 *ab[2] = {ua, ub};
        poly2 *ia = poly2_boolean(ctx, ab, 2, BOOL_INTERSECTION);
        double lhs = poly2_area(u), rhs = poly2_area(ua) + poly2_area(ub) - poly2_area(ia);
        assert_true(fabs(lhs - rhs) < 1e-6 * lhs);
        assert_int_equal(holes(u), 0);
        assert_int_equal(u->ncontours, 1);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}


/* Sum of triangle areas; fails on a clockwise (inverted) triangle. */
static double tri_area_sum(const poly2 *p, const int32_t *t, int32_t nt) {
    double sum = 0;
    for (int32_t i = 0; i < nt; i++) {
        const double *a = p->xy + 2 * t[3 * i], *b = p->xy + 2 * t[3 * i + 1], *c = p->xy + 2 * t[3 * i + 2];
        double ar = 0.5 * ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
        assert_true(ar > -1e-12);
        sum += ar;
    }
    return sum;
}

/* An 11 x 11 plate with a 5 x 5 grid of unit holes and a small triangular hole touching
 * its outline (area 121 - 25 - 0.25). */
static poly2 *holed_plate(facet_ctx *ctx) {
    poly2 *v[27];
    v[0] = rect(ctx, 0, 0, 11, 11);
    for (int i = 0; i < 25; i++) v[1 + i] = rect(ctx, 1 + 2 * (i % 5), 1 + 2 * (i / 5), 2 + 2 * (i % 5), 2 + 2 * (i / 5));
    double tri[6] = {5.5, 0, 6, 0.5, 5, 0.5};
    int n3 = 3;
    v[26] = mkpoly(ctx, 1, &n3, tri);
    return poly2_boolean(ctx, v, 27, BOOL_DIFFERENCE);
}

static void test_triangulate_holes(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        poly2 *d = op2(ctx, rect(ctx, 0, 0, 10, 10), rect(ctx, 3, 3, 7, 7), BOOL_DIFFERENCE);
        int32_t *t;
        int32_t nt = poly2_triangulate(ctx, d, &t);
        assert_int_equal(nt, 8); /* n + 2h - 2 */
        assert_true(fabs(tri_area_sum(d, t, nt) - 84) < 1e-9);
        d = holed_plate(ctx);
        nt = poly2_triangulate(ctx, d, &t);
        assert_true(fabs(tri_area_sum(d, t, nt) - (121 - 25 - 0.25)) < 1e-9);
        assert_true(fabs(poly2_area(d) - (121 - 25 - 0.25)) < 1e-9);
        /* an island inside a hole, and a 100-gon */
        poly2 *w[3] = {rect(ctx, 0, 0, 10, 10), rect(ctx, 2, 2, 8, 8), NULL};
        poly2 *ring = poly2_boolean(ctx, w, 2, BOOL_DIFFERENCE);
        w[0] = ring;
        w[1] = rect(ctx, 4, 4, 6, 6);
        w[2] = ngon(ctx, 20, 0, 3, 100);
        d = poly2_boolean(ctx, w, 3, BOOL_UNION);
        nt = poly2_triangulate(ctx, d, &t);
        assert_true(fabs(tri_area_sum(d, t, nt) - poly2_area(d)) < 1e-9);
        assert_true(fabs(poly2_area(d) - (64 + 4 + poly2_area(w[2]))) < 1e-3);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Every edge shared by two triangles is locally Delaunay: the far corner of the second
 * triangle is not strictly inside the first one's circumcircle (exact predicate). Returns
 * the number of shared edges checked. */
static int check_delaunay(const poly2 *p, const int32_t *t, int32_t nt) {
    int shared = 0;
    for (int32_t i = 0; i < nt; i++)
        for (int k = 0; k < 3; k++) {
            int32_t a = t[3 * i + k], b = t[3 * i + (k + 1) % 3], c = t[3 * i + (k + 2) % 3];
            for (int32_t j = 0; j < nt; j++)
                for (int m = 0; m < 3; m++) {
                    if (t[3 * j + m] != b || t[3 * j + (m + 1) % 3] != a) continue;
                    int32_t d = t[3 * j + (m + 2) % 3];
                    shared++;
                    if (pred_incircle(p->xy + 2 * a, p->xy + 2 * b, p->xy + 2 * c, p->xy + 2 * d) > 0)
                        fail_msg("edge %d-%d is not Delaunay (triangles %d and %d)", a, b, i, j);
                }
        }
    return shared;
}

/* Caps with holes are flipped to the constrained Delaunay triangulation: an annulus of
 * two regular polygons comes out as a strip of compact triangles between the rings. */
static void test_triangulate_delaunay(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        poly2 *ring = op2(ctx, ngon(ctx, 0, 0, 25, 300), ngon(ctx, 0, 0, 23, 300), BOOL_DIFFERENCE);
        int32_t *t;
        int32_t nt = poly2_triangulate(ctx, ring, &t);
        assert_int_equal(nt, 600); /* n + 2h - 2 with n = 600, h = 1 */
        assert_true(fabs(tri_area_sum(ring, t, nt) - poly2_area(ring)) < 1e-9 * poly2_area(ring));
        assert_true(check_delaunay(ring, t, nt) > 500);
        /* compact: each triangle joins neighbouring corners of the two rings, so no edge
         * is much longer than the 2-unit gap (ear clipping made edges of ~10) */
        for (int32_t i = 0; i < 3 * nt; i++) {
            const double *a = ring->xy + 2 * t[i], *b = ring->xy + 2 * t[i - i % 3 + (i % 3 + 1) % 3];
            double len = hypot(a[0] - b[0], a[1] - b[1]);
            if (len > 2.6) fail_msg("edge of length %g", len);
        }
        /* the plate with a grid of holes, one touching the outline: still a triangulation of
         * the same region, and Delaunay */
        poly2 *d = holed_plate(ctx);
        nt = poly2_triangulate(ctx, d, &t);
        assert_true(fabs(tri_area_sum(d, t, nt) - poly2_area(d)) < 1e-9);
        check_delaunay(d, t, nt);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}


static void test_offset(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        csg_frag f = {32, 12, 2};
        poly2 *sq = rect(ctx, 0, 0, 10, 10);
        /* round: the square grows by rectangles and four quarters of a 32-gon */
        poly2 *o = poly2_offset(ctx, sq, 1, true, false, f);
        double ngon = 16 * sin(2 * M_PI / 32);
        assert_true(fabs(poly2_area(o) - (100 + 40 + ngon)) < 1e-3);
        assert_int_equal(o->ncontours, 1);
        assert_int_equal(o->npoints, 4 * 9);
        double lo[2], hi[2];
        poly2_bbox(o, lo, hi);
        assert_true(fabs(lo[0] + 1) < 1e-4 && fabs(hi[1] - 11) < 1e-4);
        /* delta: sharp corners; chamfer cuts them */
        o = poly2_offset(ctx, sq, 1, false, false, f);
        assert_true(fabs(poly2_area(o) - 144) < 1e-9);
        assert_int_equal(o->npoints, 4);
        o = poly2_offset(ctx, sq, 1, false, true, f);
        /* Clipper's square join: the cut is tangent to the radius-1 circle at the corner */
        assert_true(fabs(poly2_area(o) - (144 - 4 * (M_SQRT2 - 1) * (M_SQRT2 - 1))) < 1e-3);
        assert_int_equal(o->npoints, 8);
        /* inward */
        o = poly2_offset(ctx, sq, -1, true, false, f);
        assert_true(fabs(poly2_area(o) - 64) < 1e-9);
        o = poly2_offset(ctx, sq, -1, false, false, f);
        assert_true(fabs(poly2_area(o) - 64) < 1e-9);
        o = poly2_offset(ctx, sq, -6, false, false, f);
        assert_int_equal(o->ncontours, 0);
        /* a hole shrinks with sharp corners while the outline rounds */
        poly2 *v[2] = {rect(ctx, 0, 0, 10, 10), rect(ctx, 3, 3, 7, 7)};
        poly2 *d = poly2_boolean(ctx, v, 2, BOOL_DIFFERENCE);
        o = poly2_offset(ctx, d, 1, true, false, f);
        assert_true(fabs(poly2_area(o) - (140 + ngon - 4)) < 1e-3);
        assert_int_equal(o->ncontours, 2);
        /* closing a gap: two squares 1 apart merge at delta 0.5 */
        v[0] = rect(ctx, 0, 0, 1, 1);
        v[1] = rect(ctx, 2, 0, 3, 1);
        poly2 *two = poly2_boolean(ctx, v, 2, BOOL_UNION);
        o = poly2_offset(ctx, two, 0.5, false, false, f);
        assert_int_equal(o->ncontours, 1);
        assert_true(fabs(poly2_area(o) - 8) < 1e-9);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_hull_minkowski(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        poly2 *v[3] = {rect(ctx, 0, 0, 1, 1), rect(ctx, 4, 0, 5, 1), NULL};
        poly2 *h = poly2_hull(ctx, v, 2);
        assert_true(fabs(poly2_area(h) - 5) < 1e-12);
        assert_int_equal(h->npoints, 4);
        v[2] = rect(ctx, 2, 5, 3, 6); /* a trapezoid on top of the 5 x 1 base */
        h = poly2_hull(ctx, v, 3);
        assert_true(fabs(poly2_area(h) - (5 + 15)) < 1e-12);
        assert_int_equal(h->npoints, 6);
        /* squares add up */
        v[0] = rect(ctx, 0, 0, 1, 1);
        v[1] = rect(ctx, 0, 0, 2, 2);
        poly2 *m = poly2_minkowski(ctx, v, 2);
        assert_true(fabs(poly2_area(m) - 9) < 1e-9);
        assert_int_equal(m->npoints, 4);
        /* non-convex: an L plus a unit square */
        poly2 *l[2] = {rect(ctx, 0, 0, 2, 1), rect(ctx, 0, 0, 1, 2)};
        v[0] = poly2_boolean(ctx, l, 2, BOOL_UNION);
        v[1] = rect(ctx, 0, 0, 1, 1);
        m = poly2_minkowski(ctx, v, 2);
        assert_true(fabs(poly2_area(m) - 8) < 1e-9);
        /* a frame keeps its (smaller) hole */
        poly2 *fr[2] = {rect(ctx, 0, 0, 10, 10), rect(ctx, 2, 2, 8, 8)};
        v[0] = poly2_boolean(ctx, fr, 2, BOOL_DIFFERENCE);
        m = poly2_minkowski(ctx, v, 2);
        assert_true(fabs(poly2_area(m) - 96) < 1e-9);
        assert_int_equal(holes(m), 1);
        /* three operands */
        v[0] = rect(ctx, 0, 0, 1, 1);
        v[1] = rect(ctx, 0, 0, 1, 2);
        v[2] = rect(ctx, 0, 0, 2, 1);
        m = poly2_minkowski(ctx, v, 3);
        assert_true(fabs(poly2_area(m) - 16) < 1e-9);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}


/* Random slivers: many near-parallel crossings, where rounded intersection points create
 * new crossings (the snap-rounding path). The set identities must hold to grid precision. */
static void test_bool_random_slivers_identities(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        unsigned seed = 12345;
#define RND() ((seed = seed * 1103515245u + 12345u) >> 8 & 0xffff)
        for (int round = 0; round < 4; round++) {
            poly2 *a = poly2_new(ctx, 150, 450), *b = poly2_new(ctx, 150, 450);
            poly2 *ab[2] = {a, b};
            for (int k = 0; k < 2; k++) {
                for (int c = 0; c < 150; c++) {
                    ab[k]->start[c] = 3 * c;
                    ab[k]->count[c] = 3;
                    double x = RND() / 6553.6, y = RND() / 6553.6, ang = RND() / 65536.0 * 6.283185307179586;
                    double len = 2 + RND() / 16384.0, wid = 1e-4 * (1 + RND() % 50);
                    double *q = ab[k]->xy + 6 * c;
                    q[0] = x;
                    q[1] = y;
                    q[2] = x + len * cos(ang);
                    q[3] = y + len * sin(ang);
                    q[4] = x + len * cos(ang) - wid * sin(ang);
                    q[5] = y + len * sin(ang) + wid * cos(ang);
                }
            }
            poly2 *ca = poly2_boolean(ctx, &a, 1, BOOL_UNION), *cb = poly2_boolean(ctx, &b, 1, BOOL_UNION);
            poly2 *cc[2] = {ca, cb};
            double A = poly2_area(ca), Bv = poly2_area(cb);
            /* without OpenSCAD's cleaning, which would eat the thinnest slivers */
            double U = poly2_area(poly2_boolean_fill(ctx, cc, 2, BOOL_UNION, POLY2_NONZERO, 0));
            double I = poly2_area(poly2_boolean_fill(ctx, cc, 2, BOOL_INTERSECTION, POLY2_NONZERO, 0));
            double D = poly2_area(poly2_boolean_fill(ctx, cc, 2, BOOL_DIFFERENCE, POLY2_NONZERO, 0));
            if (getenv("TU_VERBOSE")) printf("A %g B %g U %g I %g D %g\n", A, Bv, U, I, D);
            assert_true(A > 0 && Bv > 0 && I >= 0 && D >= 0);
            assert_true(fabs(U - (A + Bv - I)) < 1e-3 * (A + Bv));
            assert_true(fabs(D + I - A) < 1e-3 * A);
        }
#undef RND
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}


/* Hostile input: non-finite points, degenerate contours, huge coordinates (a coarser grid
 * is chosen), all of it through every operation. Nothing crashes or throws. */
static void test_hostile_input(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        double xy[] = {0, 0, NAN, 1, 1, 0, 1, 1, INFINITY, 5, 0, 1, /* contour 0: 6 points */
                       3, 3,                                       /* contour 1: 1 point */
                       4, 4, 5, 5,                                 /* contour 2: 2 points */
                       7, 7, 7, 7, 7, 7};                          /* contour 3: repeated */
        int counts[4] = {6, 1, 2, 3};
        poly2 *p = mkpoly(ctx, 4, counts, xy);
        poly2 *c = poly2_boolean(ctx, &p, 1, BOOL_UNION);
        assert_true(fabs(poly2_area(c) - 1) < 1e-12); /* non-finite points dropped: the unit square */
        poly2 *v[2] = {p, rect(ctx, 0, 0, 1, 1)};
        poly2_boolean(ctx, v, 2, BOOL_DIFFERENCE);
        poly2_offset(ctx, p, 0.5, true, false, (csg_frag){0, 12, 2});
        poly2_hull(ctx, v, 2);
        poly2_minkowski(ctx, v, 2);
        int32_t *t;
        poly2_triangulate(ctx, p, &t);
        /* far from the origin: 1e12 does not fit 2^46 at 2^16 per unit */
        poly2 *far[2] = {rect(ctx, 1e12, 1e12, 1e12 + 4096, 1e12 + 4096), rect(ctx, 1e12 + 2048, 1e12, 1e12 + 8192, 1e12 + 4096)};
        poly2 *u = poly2_boolean(ctx, far, 2, BOOL_UNION);
        assert_true(tu_close(poly2_area(u), 8192.0 * 4096, 1e-6));
        poly2 *e = poly2_empty(ctx);
        poly2 *ve[2] = {e, rect(ctx, 0, 0, 1, 1)};
        assert_int_equal(poly2_boolean(ctx, ve, 2, BOOL_INTERSECTION)->ncontours, 0);
        assert_int_equal(poly2_boolean(ctx, ve, 2, BOOL_DIFFERENCE)->ncontours, 0);
        assert_true(fabs(poly2_area(poly2_boolean(ctx, ve, 2, BOOL_UNION)) - 1) < 1e-12);
        assert_int_equal(poly2_offset(ctx, e, 1, true, false, (csg_frag){0, 12, 2})->ncontours, 0);
        assert_int_equal(poly2_hull(ctx, &e, 1)->ncontours, 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_area_bbox),
        cmocka_unit_test(test_transform_mirror_keeps_orientation),
        cmocka_unit_test(test_clone_keep),
        cmocka_unit_test(test_bool_overlap_and_shared_edges),
        cmocka_unit_test(test_bool_difference_holes),
        cmocka_unit_test(test_bool_self_intersecting_and_degenerate),
        cmocka_unit_test(test_clean_distance),
        cmocka_unit_test(test_bool_many_circles),
        cmocka_unit_test(test_bool_random_slivers_identities),
        cmocka_unit_test(test_triangulate_holes),
        cmocka_unit_test(test_triangulate_delaunay),
        cmocka_unit_test(test_offset),
        cmocka_unit_test(test_hull_minkowski),
        cmocka_unit_test(test_hostile_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
