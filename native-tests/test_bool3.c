/*
 * test_bool3.c — the 3D boolean kernel (KERNEL.md): every result must be a closed oriented
 * 2-manifold (pairs rebuilt from scratch, fans checked) with the analytic volume.
 * Meshes come from small generators in this file (boxes, prisms, UV spheres).
 */
#include <math.h>

#include "testutil.h"

#include "geom/bool3_internal.h"
#include "geom/boolean3.h"
#include "geom/bvh.h"
#include "geom/mesh.h"

/* ---- generators ---- */

static mesh *box(facet_ctx *ctx, double x0, double y0, double z0, double x1, double y1,
                 double z1) {
    static const int32_t T[36] = {0, 2, 3, 0, 3, 1, 4, 5, 7, 4, 7, 6, 0, 1, 5, 0, 5, 4,
                                  2, 6, 7, 2, 7, 3, 0, 4, 6, 0, 6, 2, 1, 3, 7, 1, 7, 5};
    mesh *m = mesh_new(ctx, 8, 12);
    for (int i = 0; i < 8; i++) {
        m->pos[3 * i] = i & 1 ? x1 : x0;
        m->pos[3 * i + 1] = i & 2 ? y1 : y0;
        m->pos[3 * i + 2] = i & 4 ? z1 : z0;
    }
    memcpy(m->tri, T, sizeof T);
    m->manifold = true;
    return m;
}

/* n-gon prism around the z axis from z0 to z1, radius r, centred at (cx, cy). */
static mesh *prism(facet_ctx *ctx, int n, double r, double cx, double cy, double z0, double z1) {
    mesh *m = mesh_new(ctx, 2 * n + 2, 4 * n);
    for (int i = 0; i < n; i++) {
        double a = 2 * 3.14159265358979323846 * i / n;
        for (int k = 0; k < 2; k++) {
            m->pos[3 * (2 * i + k)] = cx + r * cos(a);
            m->pos[3 * (2 * i + k) + 1] = cy + r * sin(a);
            m->pos[3 * (2 * i + k) + 2] = k ? z1 : z0;
        }
    }
    int c0 = 2 * n, c1 = 2 * n + 1;
    m->pos[3 * c0] = cx; m->pos[3 * c0 + 1] = cy; m->pos[3 * c0 + 2] = z0;
    m->pos[3 * c1] = cx; m->pos[3 * c1 + 1] = cy; m->pos[3 * c1 + 2] = z1;
    int t = 0;
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        int a0 = 2 * i, a1 = 2 * i + 1, b0 = 2 * j, b1 = 2 * j + 1;
        int32_t *tr = m->tri + 3 * t;
        tr[0] = a0; tr[1] = b0; tr[2] = b1; tr += 3;
        tr[0] = a0; tr[1] = b1; tr[2] = a1; tr += 3;
        tr[0] = c0; tr[1] = b0; tr[2] = a0; tr += 3;
        tr[0] = c1; tr[1] = a1; tr[2] = b1;
        t += 4;
    }
    m->manifold = true;
    return m;
}

static double prism_volume(int n, double r, double h) {
    return 0.5 * n * r * r * sin(2 * 3.14159265358979323846 / n) * h;
}

/* UV sphere: `rings` latitude rings of n vertices (symmetric about z = 0) and two poles. */
static mesh *sphere(facet_ctx *ctx, int n, int rings, double r) {
    int nv = n * rings + 2;
    mesh *m = mesh_new(ctx, nv, 2 * n * rings);
    for (int i = 0; i < rings; i++) {
        double phi = 3.14159265358979323846 * (i + 0.5) / rings;
        for (int j = 0; j < n; j++) {
            double a = 2 * 3.14159265358979323846 * j / n;
            double *p = m->pos + 3 * (i * n + j);
            p[0] = r * sin(phi) * cos(a);
            p[1] = r * sin(phi) * sin(a);
            p[2] = r * cos(phi);
        }
    }
    int N = n * rings, S = N + 1;
    m->pos[3 * N] = 0; m->pos[3 * N + 1] = 0; m->pos[3 * N + 2] = r;
    m->pos[3 * S] = 0; m->pos[3 * S + 1] = 0; m->pos[3 * S + 2] = -r;
    int t = 0;
    for (int j = 0; j < n; j++) {
        int k = (j + 1) % n;
        int32_t *tr = m->tri + 3 * t++;
        tr[0] = N; tr[1] = j; tr[2] = k;
        tr = m->tri + 3 * t++;
        tr[0] = S; tr[1] = (rings - 1) * n + k; tr[2] = (rings - 1) * n + j;
    }
    for (int i = 0; i + 1 < rings; i++)
        for (int j = 0; j < n; j++) {
            int k = (j + 1) % n;
            int a = i * n + j, b = i * n + k, c = (i + 1) * n + j, d = (i + 1) * n + k;
            int32_t *tr = m->tri + 3 * t++;
            tr[0] = a; tr[1] = c; tr[2] = d;
            tr = m->tri + 3 * t++;
            tr[0] = a; tr[1] = d; tr[2] = b;
        }
    m->manifold = true;
    return m;
}

static void rotate(mesh *m, double ax, double ay, double az, double tx, double ty, double tz) {
    double cx = cos(ax), sx = sin(ax), cy = cos(ay), sy = sin(ay), cz = cos(az), sz = sin(az);
    double R[9] = {cy * cz, sx * sy * cz - cx * sz, cx * sy * cz + sx * sz,
                   cy * sz, sx * sy * sz + cx * cz, cx * sy * sz - sx * cz,
                   -sy,     sx * cy,                cx * cy};
    double mat[16] = {R[0], R[1], R[2], tx, R[3], R[4], R[5], ty, R[6], R[7], R[8], tz,
                      0,    0,    0,    1};
    mesh_transform(m, mat);
}

/* ---- checks ---- */

/* Rebuilds the pairs from the triangles alone and checks the manifold property; returns
 * the volume. */
static double check_manifold(facet_ctx *ctx, const mesh *m) {
    mesh *c = mesh_clone(ctx, m);
    fc_free(ctx, c->pair);
    c->pair = NULL;
    assert_true(m->manifold);
    if (c->nt == 0) return 0;
    assert_true(mesh_build_pairs(ctx, c));
    assert_true(mesh_is_manifold(ctx, c));
    for (int i = 0; i < 3 * m->nv; i++) assert_true(isfinite(m->pos[i]));
    /* a mesh flagged compact uses every vertex (mesh_bbox relies on it), and its box is the
     * box of its triangles' corners */
    if (m->compact) {
        bool *used = fc_calloc(ctx, (size_t)m->nv + 1, sizeof *used);
        for (int h = 0; h < 3 * m->nt; h++) used[m->tri[h]] = true;
        for (int v = 0; v < m->nv; v++) assert_true(used[v]);
        fc_free(ctx, used);
    }
    double lo[3], hi[3];
    mesh_bbox(m, lo, hi);
    for (int k = 0; k < 3; k++) {
        double a = INFINITY, b = -INFINITY;
        for (int h = 0; h < 3 * m->nt; h++) {
            a = fmin(a, m->pos[3 * m->tri[h] + k]);
            b = fmax(b, m->pos[3 * m->tri[h] + k]);
        }
        assert_true(lo[k] == a && hi[k] == b);
    }
    /* the kernel's own pairs agree with the rebuilt ones */
    if (m->pair)
        for (int h = 0; h < 3 * m->nt; h++) {
            int p = m->pair[h];
            assert_int_equal(m->pair[p], h);
            assert_int_equal(m->tri[p], m->tri[3 * (h / 3) + (h % 3 + 1) % 3]);
        }
    return mesh_volume(c);
}

static void expect_volume(facet_ctx *ctx, const mesh *m, double v, double rel) {
    double got = check_manifold(ctx, m);
    double scale = fabs(v) > 1 ? fabs(v) : 1;
    if (!(fabs(got - v) <= rel * scale)) fail_msg("volume %.17g, expected %.17g", got, v);
}

/* ---- tests ---- */

static void test_overlapping_cubes(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *a = box(ctx, 0, 0, 0, 2, 2, 2), *b = box(ctx, 1, 1, 1, 3, 3, 3);
        expect_volume(ctx, bool3(ctx, a, b, BOOL_UNION), 15, 1e-12);
        expect_volume(ctx, bool3(ctx, a, b, BOOL_DIFFERENCE), 7, 1e-12);
        expect_volume(ctx, bool3(ctx, a, b, BOOL_INTERSECTION), 1, 1e-12);
        expect_volume(ctx, bool3(ctx, b, a, BOOL_DIFFERENCE), 7, 1e-12);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_flush_difference(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* difference(){cube(10); cube(5);} shares three faces */
        mesh *a = box(ctx, 0, 0, 0, 10, 10, 10), *b = box(ctx, 0, 0, 0, 5, 5, 5);
        expect_volume(ctx, bool3(ctx, a, b, BOOL_DIFFERENCE), 875, 1e-12);
        expect_volume(ctx, bool3(ctx, a, b, BOOL_UNION), 1000, 1e-12);
        expect_volume(ctx, bool3(ctx, a, b, BOOL_INTERSECTION), 125, 1e-12);
        expect_volume(ctx, bool3(ctx, b, a, BOOL_DIFFERENCE), 0, 1e-12);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}


static void test_cylinder_through_cube(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *a = box(ctx, -5, -5, -5, 5, 5, 5);
        mesh *c = prism(ctx, 24, 2, 0.3, -0.2, -8, 8);
        double vc = prism_volume(24, 2, 10);
        expect_volume(ctx, bool3(ctx, a, c, BOOL_DIFFERENCE), 1000 - vc, 1e-9);
        expect_volume(ctx, bool3(ctx, a, c, BOOL_INTERSECTION), vc, 1e-9);
        expect_volume(ctx, bool3(ctx, a, c, BOOL_UNION), 1000 + prism_volume(24, 2, 6), 1e-9);
        mesh *d = bool3(ctx, a, c, BOOL_DIFFERENCE);
        check_manifold(ctx, d);
        mesh *dc = mesh_clone(ctx, d);
        assert_int_equal(mesh_genus(ctx, dc), 1);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_sphere_halves(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        /* the UV sphere is symmetric about z = 0, so a half-space cut halves its volume */
        mesh *s = sphere(ctx, 32, 16, 10);
        double v = mesh_volume(s);
        mesh *top = box(ctx, -20, -20, 0, 20, 20, 20);
        expect_volume(ctx, bool3(ctx, s, top, BOOL_INTERSECTION), v / 2, 1e-9);
        expect_volume(ctx, bool3(ctx, s, top, BOOL_DIFFERENCE), v / 2, 1e-9);
        expect_volume(ctx, bool3(ctx, s, top, BOOL_UNION), 40 * 40 * 20 + v / 2, 1e-9);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_rotated_boxes_identities(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        srand(12345);
        for (int it = 0; it < 40; it++) {
            mesh *a = box(ctx, -1, -1.5, -0.5, 1, 1.5, 0.5);
            mesh *b = box(ctx, -1.2, -0.4, -0.8, 1.2, 0.4, 0.8);
            rotate(a, rand() / (double)RAND_MAX * 6, rand() / (double)RAND_MAX * 6,
                   rand() / (double)RAND_MAX * 6, 0, 0, 0);
            rotate(b, rand() / (double)RAND_MAX * 6, rand() / (double)RAND_MAX * 6,
                   rand() / (double)RAND_MAX * 6, rand() / (double)RAND_MAX - 0.5,
                   rand() / (double)RAND_MAX - 0.5, rand() / (double)RAND_MAX - 0.5);
            double va = mesh_volume(a), vb = mesh_volume(b);
            double vu = check_manifold(ctx, bool3(ctx, a, b, BOOL_UNION));
            double vi = check_manifold(ctx, bool3(ctx, a, b, BOOL_INTERSECTION));
            double vd = check_manifold(ctx, bool3(ctx, a, b, BOOL_DIFFERENCE));
            double ve = check_manifold(ctx, bool3(ctx, b, a, BOOL_DIFFERENCE));
            assert_true(tu_close(vu + vi, va + vb, 1e-9));
            assert_true(tu_close(vd + vi, va, 1e-9));
            assert_true(tu_close(ve + vi, vb, 1e-9));
            assert_true(vi > 0);
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_identical_operands(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *a = box(ctx, 0, 0, 0, 1, 2, 3);
        mesh *b = box(ctx, 0, 0, 0, 1, 2, 3);
        expect_volume(ctx, bool3(ctx, a, b, BOOL_UNION), 6, 1e-12);
        expect_volume(ctx, bool3(ctx, a, b, BOOL_INTERSECTION), 6, 1e-12);
        mesh *d = bool3(ctx, a, b, BOOL_DIFFERENCE);
        check_manifold(ctx, d);
        assert_int_equal(d->nt, 0);
        mesh *s = sphere(ctx, 12, 6, 2);
        double vs = mesh_volume(s);
        expect_volume(ctx, bool3(ctx, s, s, BOOL_UNION), vs, 1e-12);
        expect_volume(ctx, bool3(ctx, s, s, BOOL_INTERSECTION), vs, 1e-12);
        assert_int_equal(bool3(ctx, s, s, BOOL_DIFFERENCE)->nt, 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static void test_touching(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *a = box(ctx, 0, 0, 0, 1, 1, 1);
        /* sharing a face: one merged solid */
        mesh *f = box(ctx, 1, 0, 0, 2, 1, 1);
        mesh *u = bool3(ctx, a, f, BOOL_UNION);
        expect_volume(ctx, u, 2, 1e-12);
        assert_int_equal(mesh_genus(ctx, mesh_clone(ctx, u)), 0);
        expect_volume(ctx, bool3(ctx, a, f, BOOL_INTERSECTION), 0, 1e-12);
        expect_volume(ctx, bool3(ctx, a, f, BOOL_DIFFERENCE), 1, 1e-12);
        /* sharing an edge or a corner: two solids, still manifold */
        mesh *e = box(ctx, 1, 1, 0, 2, 2, 1);
        mesh *c = box(ctx, 1, 1, 1, 2, 2, 2);
        expect_volume(ctx, bool3(ctx, a, e, BOOL_UNION), 2, 1e-12);
        expect_volume(ctx, bool3(ctx, a, c, BOOL_UNION), 2, 1e-12);
        expect_volume(ctx, bool3(ctx, a, e, BOOL_DIFFERENCE), 1, 1e-12);
        expect_volume(ctx, bool3(ctx, a, c, BOOL_INTERSECTION), 0, 1e-12);
        /* partial face contact */
        mesh *p = box(ctx, 1, 0.25, 0.25, 3, 0.75, 0.5);
        expect_volume(ctx, bool3(ctx, a, p, BOOL_UNION), 1 + 2 * 0.5 * 0.25, 1e-12);
        /* operand inside another: a closed cavity */
        mesh *big = box(ctx, -1, -1, -1, 3, 3, 3);
        expect_volume(ctx, bool3(ctx, big, a, BOOL_DIFFERENCE), 63, 1e-12);
        expect_volume(ctx, bool3(ctx, big, a, BOOL_UNION), 64, 1e-12);
        expect_volume(ctx, bool3(ctx, big, a, BOOL_INTERSECTION), 1, 1e-12);
        expect_volume(ctx, bool3(ctx, a, big, BOOL_DIFFERENCE), 0, 1e-12);
        /* disjoint */
        mesh *far = box(ctx, 5, 5, 5, 6, 6, 6);
        expect_volume(ctx, bool3(ctx, a, far, BOOL_UNION), 2, 1e-12);
        expect_volume(ctx, bool3(ctx, a, far, BOOL_INTERSECTION), 0, 1e-12);
        expect_volume(ctx, bool3(ctx, a, far, BOOL_DIFFERENCE), 1, 1e-12);
        /* empty operands */
        mesh *none = mesh_empty(ctx);
        expect_volume(ctx, bool3(ctx, a, none, BOOL_UNION), 1, 1e-12);
        expect_volume(ctx, bool3(ctx, none, a, BOOL_UNION), 1, 1e-12);
        expect_volume(ctx, bool3(ctx, a, none, BOOL_DIFFERENCE), 1, 1e-12);
        expect_volume(ctx, bool3(ctx, a, none, BOOL_INTERSECTION), 0, 1e-12);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static double overlap1(double a0, double a1, double b0, double b1) {
    double lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi > lo ? hi - lo : 0;
}

/* Random boxes on a small integer grid: nearly every face, edge and vertex coincides with
 * one of the other box; volumes follow exactly from inclusion-exclusion. */
static void test_random_grid_boxes(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    int rounds = getenv("FACET_SLOW_SKIP") ? 30 : 300;
    TU_PROTECT(ctx) {
        srand(777);
        for (int it = 0; it < rounds; it++) {
            double c[12];
            for (int k = 0; k < 6; k++) {
                int lo = rand() % 4, hi = lo + 1 + rand() % 3;
                c[2 * k] = lo;
                c[2 * k + 1] = hi;
            }
            mesh *a = box(ctx, c[0], c[2], c[4], c[1], c[3], c[5]);
            mesh *b = box(ctx, c[6], c[8], c[10], c[7], c[9], c[11]);
            double va = (c[1] - c[0]) * (c[3] - c[2]) * (c[5] - c[4]);
            double vb = (c[7] - c[6]) * (c[9] - c[8]) * (c[11] - c[10]);
            double vi = overlap1(c[0], c[1], c[6], c[7]) * overlap1(c[2], c[3], c[8], c[9]) *
                        overlap1(c[4], c[5], c[10], c[11]);
            expect_volume(ctx, bool3(ctx, a, b, BOOL_UNION), va + vb - vi, 1e-12);
            expect_volume(ctx, bool3(ctx, a, b, BOOL_INTERSECTION), vi, 1e-12);
            expect_volume(ctx, bool3(ctx, a, b, BOOL_DIFFERENCE), va - vi, 1e-12);
            expect_volume(ctx, bool3(ctx, b, a, BOOL_DIFFERENCE), vb - vi, 1e-12);
            fc_pool_free_all(ctx, FC_POOL_RENDER);
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Many boxes on a grid under n-ary union, intersection and difference; the exact volume is
 * a count of unit voxels. */
static void test_nary_grid_boxes(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    int rounds = getenv("FACET_SLOW_SKIP") ? 3 : 20;
    TU_PROTECT(ctx) {
        srand(4242);
        for (int it = 0; it < rounds; it++) {
            enum { G = 6, NB = 12, NI = 3 };
            mesh *ms[NB];
            int lo[NB][3], hi[NB][3];
            for (int i = 0; i < NB; i++) {
                for (int k = 0; k < 3; k++) {
                    lo[i][k] = rand() % (G - 1);
                    hi[i][k] = lo[i][k] + 1 + rand() % 3;
                    if (hi[i][k] > G) hi[i][k] = G;
                }
                /* the intersection operands are large so that they usually meet */
                if (i < NI)
                    for (int k = 0; k < 3; k++) { lo[i][k] = rand() % 2; hi[i][k] = G - rand() % 2; }
                ms[i] = box(ctx, lo[i][0], lo[i][1], lo[i][2], hi[i][0], hi[i][1], hi[i][2]);
            }
            int vu = 0, vd = 0, vi = 0;
            for (int x = 0; x < G; x++)
                for (int y = 0; y < G; y++)
                    for (int z = 0; z < G; z++) {
                        int in[NB], any = 0, all = 1;
                        for (int i = 0; i < NB; i++) {
                            in[i] = x >= lo[i][0] && x < hi[i][0] && y >= lo[i][1] &&
                                    y < hi[i][1] && z >= lo[i][2] && z < hi[i][2];
                            any |= in[i];
                            if (i < NI) all &= in[i];
                        }
                        int rest = 0;
                        for (int i = 1; i < NB; i++) rest |= in[i];
                        vu += any;
                        vd += in[0] && !rest;
                        vi += all;
                    }
            expect_volume(ctx, bool3_nary(ctx, ms, NB, BOOL_UNION), vu, 1e-12);
            expect_volume(ctx, bool3_nary(ctx, ms, NB, BOOL_DIFFERENCE), vd, 1e-12);
            expect_volume(ctx, bool3_nary(ctx, ms, NI, BOOL_INTERSECTION), vi, 1e-12);
            fc_pool_free_all(ctx, FC_POOL_RENDER);
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Menger sponge as a cube minus its cross bars (the benchmark's construction): volume
 * (20/27)^level of the cube; level 1 has genus 5 (six openings around one void). */
static void test_menger(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    int maxlevel = getenv("FACET_SLOW_SKIP") ? 2 : 3;
    TU_PROTECT(ctx) {
        for (int levels = 1; levels <= maxlevel; levels++) {
            mesh *ms[1 + 3 * 91];
            int n = 0;
            double N = 27;
            ms[n++] = box(ctx, 0, 0, 0, N, N, N);
            for (int lvl = 1; lvl <= levels; lvl++) {
                double sz = N / pow(3, lvl);
                int k = (int)pow(3, lvl - 1);
                for (int a = 0; a < k; a++)
                    for (int b = 0; b < k; b++) {
                        double u = (3 * a + 1) * sz, v = (3 * b + 1) * sz;
                        ms[n++] = box(ctx, -1, u, v, N + 1, u + sz, v + sz);
                        ms[n++] = box(ctx, u, -1, v, u + sz, N + 1, v + sz);
                        ms[n++] = box(ctx, u, v, -1, u + sz, v + sz, N + 1);
                    }
            }
            mesh *r = bool3_nary(ctx, ms, n, BOOL_DIFFERENCE);
            expect_volume(ctx, r, N * N * N * pow(20.0 / 27.0, levels), 1e-12);
            /* surface of the level-n sponge of side N: N^2 (2 (20/9)^n + 4 (8/9)^n); a
             * double sheet (coincident opposite faces) would add area, not volume */
            double area = N * N * (2 * pow(20.0 / 9.0, levels) + 4 * pow(8.0 / 9.0, levels));
            if (!tu_close(mesh_area(r), area, 1e-12))
                fail_msg("level %d: area %.17g, expected %.17g", levels, mesh_area(r), area);
            /* levels 2 and 3: 81 and 1409, as manifold-3d gives for the same construction */
            static const int genus[4] = {0, 5, 81, 1409};
            assert_int_equal(mesh_genus(ctx, mesh_clone(ctx, r)), genus[levels]);
            fc_pool_free_all(ctx, FC_POOL_RENDER);
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Pairs of bars from the level-2 sponge: cube minus two bars has genus 1 when one bar holds
 * the other, 3 when they cross or touch, 2 when apart. Coplanar faces everywhere. */
static void test_bar_pairs_genus(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    double bars[30][6];
    int nb = 0;
    for (int lvl = 1; lvl <= 2; lvl++) {
        double sz = 27 / pow(3, lvl);
        int k = (int)pow(3, lvl - 1);
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) {
                double u = (3 * a + 1) * sz, v = (3 * b + 1) * sz;
                double x[3][6] = {{-1, u, v, 28, u + sz, v + sz},
                                  {u, -1, v, u + sz, 28, v + sz},
                                  {u, v, -1, u + sz, v + sz, 28}};
                memcpy(bars[nb++], x[0], sizeof x[0]);
                memcpy(bars[nb++], x[1], sizeof x[1]);
                memcpy(bars[nb++], x[2], sizeof x[2]);
            }
    }
    int step = getenv("FACET_SLOW_SKIP") ? 5 : 1;
    TU_PROTECT(ctx) {
        for (int i = 0; i < nb; i += step)
            for (int j = i + 1; j < nb; j++) {
                const double *A = bars[i], *B = bars[j];
                bool touch = true, ain = true, bin = true;
                for (int k = 0; k < 3; k++) {
                    double lo = fmax(A[k], B[k]), hi = fmin(A[k + 3], B[k + 3]);
                    if (hi < lo) touch = false;
                    if (B[k] < A[k] || B[k + 3] > A[k + 3]) bin = false;
                    if (A[k] < B[k] || A[k + 3] > B[k + 3]) ain = false;
                }
                long expect = ain || bin ? 1 : touch ? 3 : 2;
                mesh *ms[3] = {box(ctx, 0, 0, 0, 27, 27, 27), box(ctx, A[0], A[1], A[2], A[3], A[4], A[5]),
                               box(ctx, B[0], B[1], B[2], B[3], B[4], B[5])};
                mesh *r = bool3_nary(ctx, ms, 3, BOOL_DIFFERENCE);
                check_manifold(ctx, r);
                long g = mesh_genus(ctx, mesh_clone(ctx, r));
                if (g != expect) fail_msg("bars %d and %d: genus %ld, expected %ld", i, j, g, expect);
                fc_pool_free_all(ctx, FC_POOL_RENDER);
            }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Thin coplanar slabs stacked face to face and side by side merge into one solid. */
static void test_coplanar_slabs(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        enum { NS = 24 };
        mesh *ms[NS];
        for (int i = 0; i < NS; i++) {
            double z0 = (i / 2) * 0.125, x0 = (i % 2) * 0.5;
            ms[i] = box(ctx, x0, 0, z0, x0 + 0.5, 1, z0 + 0.125);
        }
        mesh *u = bool3_nary(ctx, ms, NS, BOOL_UNION);
        expect_volume(ctx, u, 1.5, 1e-12);
        assert_int_equal(mesh_genus(ctx, mesh_clone(ctx, u)), 0);
        /* slab-shaped cuts flush with the faces of a block */
        mesh *blk = box(ctx, 0, 0, 0, 1, 1, 1.5);
        mesh *cut[NS + 1];
        cut[0] = blk;
        for (int i = 0; i < NS; i++) cut[i + 1] = ms[i];
        expect_volume(ctx, bool3_nary(ctx, cut, NS + 1, BOOL_DIFFERENCE), 0, 1e-12);
        expect_volume(ctx, bool3_nary(ctx, cut, 12, BOOL_DIFFERENCE), 1.5 - 11 * 0.0625, 1e-12);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* The same operation at tiny and huge scales. */
static void test_scales(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        const double scales[] = {1e-4, 1e-2, 1, 1e3, 1e6};
        for (int i = 0; i < 5; i++) {
            double k = scales[i];
            mesh *a = box(ctx, 0, 0, 0, 2 * k, 2 * k, 2 * k);
            mesh *b = box(ctx, k, k, k, 3 * k, 3 * k, 3 * k);
            mesh *c = prism(ctx, 16, 0.5 * k, k, k, -k, 3 * k);
            double k3 = k * k * k;
            expect_volume(ctx, bool3(ctx, a, b, BOOL_UNION), 15 * k3, 1e-9);
            expect_volume(ctx, bool3(ctx, a, b, BOOL_DIFFERENCE), 7 * k3, 1e-9);
            expect_volume(ctx, bool3(ctx, a, c, BOOL_DIFFERENCE),
                          8 * k3 - prism_volume(16, 0.5 * k, 2 * k), 1e-9);
            /* far from the origin */
            mesh *d = box(ctx, 1e6, 1e6, 1e6, 1e6 + 2 * k, 1e6 + 2 * k, 1e6 + 2 * k);
            mesh *e = box(ctx, 1e6 + k, 1e6 + k, 1e6 + k, 1e6 + 3 * k, 1e6 + 3 * k, 1e6 + 3 * k);
            if (k >= 1e-2) expect_volume(ctx, bool3(ctx, d, e, BOOL_INTERSECTION), k3, 1e-6);
            else check_manifold(ctx, bool3(ctx, d, e, BOOL_INTERSECTION));
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Same input, byte-identical output; colors follow their source triangles. */
static void test_determinism_and_colors(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *r[2];
        for (int run = 0; run < 2; run++) {
            mesh *s = sphere(ctx, 24, 12, 5);
            mesh_set_color(ctx, s, 0xff0000ffu);
            mesh *ms[5] = {s};
            for (int i = 0; i < 4; i++) {
                ms[i + 1] = prism(ctx, 12, 0.8, -3 + 2 * i, 0.5 * i, -8, 8);
                mesh_set_color(ctx, ms[i + 1], 0x00ff00ffu);
            }
            r[run] = bool3_nary(ctx, ms, 5, BOOL_DIFFERENCE);
        }
        assert_int_equal(r[0]->nv, r[1]->nv);
        assert_int_equal(r[0]->nt, r[1]->nt);
        assert_memory_equal(r[0]->pos, r[1]->pos, sizeof(double) * 3 * (size_t)r[0]->nv);
        assert_memory_equal(r[0]->tri, r[1]->tri, sizeof(int32_t) * 3 * (size_t)r[0]->nt);
        assert_memory_equal(r[0]->pair, r[1]->pair, sizeof(int32_t) * 3 * (size_t)r[0]->nt);
        assert_non_null(r[0]->color);
        int red = 0, green = 0;
        for (int t = 0; t < r[0]->nt; t++) {
            uint32_t c = r[0]->color[t];
            assert_true(c == 0xff0000ffu || c == 0x00ff00ffu);
            red += c == 0xff0000ffu;
            green += c == 0x00ff00ffu;
        }
        assert_true(red > 0 && green > 0);
        check_manifold(ctx, r[0]);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

static double r01(void) { return rand() / (double)RAND_MAX; }

/* A random solid: grid box, UV sphere, prism or box, often rotated by right angles (so
 * faces and vertices of different operands coincide) and sometimes arbitrarily. */
static mesh *random_solid(facet_ctx *ctx) {
    mesh *m;
    switch (rand() % 4) {
    case 0: {
        int a = rand() % 4, b = rand() % 4, c = rand() % 4;
        m = box(ctx, a, b, c, a + 1 + rand() % 3, b + 1 + rand() % 3, c + 1 + rand() % 3);
        break;
    }
    case 1: m = sphere(ctx, 6 + rand() % 20, 3 + rand() % 8, 1 + 2 * r01()); break;
    case 2: m = prism(ctx, 3 + rand() % 20, 0.5 + r01() * 2, r01() * 3, r01() * 3, -1 + r01(), 2 + r01() * 3); break;
    default: m = box(ctx, 0, 0, 0, 1 + r01(), 1 + r01(), 1 + r01()); break;
    }
    if (rand() % 2)
        rotate(m, (rand() % 4) * 1.5707963267948966, (rand() % 4) * 1.5707963267948966,
               rand() % 3 ? 0 : r01() * 6, (rand() % 5) * 0.5, (rand() % 5) * 0.5, (rand() % 5) * 0.5);
    return m;
}

/* Mixed random solids (a quarter of them identical pairs): every result manifold, volumes
 * consistent (|A u B| + |A n B| = |A| + |B|, |A - B| + |A n B| = |A|); n-ary results
 * manifold. */
static void test_random_solids(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    int rounds = getenv("FACET_SLOW_SKIP") ? 20 : 150;
    srand(2024);
    for (int it = 0; it < rounds; it++) {
        TU_PROTECT(ctx) {
            mesh *a = random_solid(ctx), *b = rand() % 4 ? random_solid(ctx) : NULL;
            if (!b) b = mesh_clone(ctx, a);
            double va = mesh_volume(a), vb = mesh_volume(b), tol = 1e-9 * fmax(va, vb);
            double vu = check_manifold(ctx, bool3(ctx, a, b, BOOL_UNION));
            double vi = check_manifold(ctx, bool3(ctx, a, b, BOOL_INTERSECTION));
            double vd = check_manifold(ctx, bool3(ctx, a, b, BOOL_DIFFERENCE));
            double ve = check_manifold(ctx, bool3(ctx, b, a, BOOL_DIFFERENCE));
            if (fabs(vu + vi - va - vb) > tol || fabs(vd + vi - va) > tol ||
                fabs(ve + vi - vb) > tol || vi < -tol)
                fail_msg("round %d: |A| %g |B| %g union %g inter %g A-B %g B-A %g", it, va, vb,
                         vu, vi, vd, ve);
            int n = 2 + rand() % 5;
            mesh *ms[6];
            for (int i = 0; i < n; i++) ms[i] = random_solid(ctx);
            check_manifold(ctx, bool3_nary(ctx, ms, n, (bool_op)(rand() % 3)));
        }
        assert_int_equal(ctx->err.kind, FACET_ERR_OK);
        fc_pool_free_all(ctx, FC_POOL_RENDER);
    }
    tu_ctx_free(ctx);
}

/* Three bars crossing in one cell, all their side faces flush with each other's: their
 * union is a 3D cross (genus 0, coplanar contact everywhere) and a cube minus them has six
 * openings around one void (genus 5), whatever the order of the operations. */
static void test_flush_cross(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *c = box(ctx, 0, 0, 0, 27, 27, 27);
        mesh *bz = box(ctx, 3, 21, -1, 6, 24, 28);
        mesh *bx = box(ctx, -1, 21, 12, 28, 24, 15);
        mesh *by = box(ctx, 3, -1, 12, 6, 28, 15);
        mesh *u = bool3(ctx, bool3(ctx, bz, bx, BOOL_UNION), by, BOOL_UNION);
        expect_volume(ctx, u, 3 * 29 * 9 - 2 * 27, 1e-12);
        assert_int_equal(mesh_genus(ctx, mesh_clone(ctx, u)), 0);
        mesh *d = bool3(ctx, c, u, BOOL_DIFFERENCE);
        expect_volume(ctx, d, 19683 - (3 * 27 * 9 - 2 * 27), 1e-12);
        assert_int_equal(mesh_genus(ctx, mesh_clone(ctx, d)), 5);
        mesh *s = bool3(ctx, bool3(ctx, bool3(ctx, c, bz, BOOL_DIFFERENCE), bx, BOOL_DIFFERENCE), by,
                        BOOL_DIFFERENCE);
        expect_volume(ctx, s, 19683 - (3 * 27 * 9 - 2 * 27), 1e-12);
        assert_int_equal(mesh_genus(ctx, mesh_clone(ctx, s)), 5);
        mesh *ms[4] = {c, bz, bx, by};
        assert_int_equal(mesh_genus(ctx, bool3_nary(ctx, ms, 4, BOOL_DIFFERENCE)), 5);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* KERNEL.md §10: cubes sharing a face merge (here into the plain 2x1x1 box), sharing an
 * edge or a corner they stay two closed boxes; two 1000-unit cubes overlapping by 0.5 eps
 * per axis intersect to nothing, by 1.5 eps to a solid (Manifold's precision test). */
static void test_contact_counts_and_precision(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *a = box(ctx, 0, 0, 0, 1, 1, 1);
        mesh *u = bool3(ctx, a, box(ctx, 1, 0, 0, 2, 1, 1), BOOL_UNION);
        assert_int_equal(u->nv, 8);
        assert_int_equal(u->nt, 12);
        mesh *ue = bool3(ctx, a, box(ctx, 1, 1, 0, 2, 2, 1), BOOL_UNION);
        mesh *uc = bool3(ctx, a, box(ctx, 1, 1, 1, 2, 2, 2), BOOL_UNION);
        assert_int_equal(ue->nt, 24);
        assert_int_equal(uc->nt, 24);
        assert_int_equal(mesh_genus(ctx, ue), 0);
        mesh *A = box(ctx, 0, 0, 0, 1000, 1000, 1000);
        double eps = 1e-12 * 2000; /* the precision of the operand reaching 2000 */
        for (int k = 0; k < 2; k++) {
            double o = (k ? 1.5 : 0.5) * eps;
            mesh *B = box(ctx, 1000 - o, 1000 - o, 1000 - o, 2000, 2000, 2000);
            mesh *r = bool3(ctx, A, B, BOOL_INTERSECTION);
            check_manifold(ctx, r);
            if (k) assert_true(r->nt > 0);
            else assert_int_equal(r->nt, 0);
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* KERNEL.md §10 "nasty gear": the union of 16 cubes turned about z in steps of 1/64 turn,
 * subtracted from a copy scaled 2x2x1: a ring of genus 1 with three times the gear's
 * volume and no flat triangle. */
static void test_nasty_gear(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *ms[16];
        for (int i = 0; i < 16; i++) {
            ms[i] = box(ctx, -0.5, -0.5, -0.5, 0.5, 0.5, 0.5);
            rotate(ms[i], 0, 0, i * 3.14159265358979323846 / 32, 0, 0, 0);
        }
        mesh *gear = bool3_nary(ctx, ms, 16, BOOL_UNION);
        double vg = check_manifold(ctx, gear);
        assert_true(vg > 1 && vg < 1.5708);
        assert_int_equal(mesh_genus(ctx, gear), 0);
        mesh *big = mesh_clone(ctx, gear);
        const double S[16] = {2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        mesh_transform(big, S);
        mesh *r = bool3(ctx, big, gear, BOOL_DIFFERENCE);
        expect_volume(ctx, r, 3 * vg, 1e-12);
        assert_int_equal(mesh_genus(ctx, r), 1);
        for (int t = 0; t < r->nt; t++) {
            const double *a = r->pos + 3 * r->tri[3 * t], *b = r->pos + 3 * r->tri[3 * t + 1],
                         *c = r->pos + 3 * r->tri[3 * t + 2];
            double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
            double w[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
            double n[3] = {u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]};
            assert_true(n[0] * n[0] + n[1] * n[1] + n[2] * n[2] > 1e-24);
        }
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* The profile of OpenSCAD's examples/Old/example013.dxf (20 corners, counter-clockwise)
 * and a triangulation of it (the cap seen from below). */
static const double E13_XY[40] = {-30, -20, -20, -20, -10, -10, -10, -20, 0, -30, 10, -20,
                                  10, -10, 20, -20, 30, -20, 20, 0, 30, 20, 20, 20, 10, 10,
                                  10, 20, 0, 30, -10, 20, -10, 10, -20, 20, -30, 20, -20, 0};
static const int32_t E13_CAP[54] = {19, 1, 0, 19, 2, 1, 2, 4, 3, 2, 5, 4, 2, 6, 5, 6, 8, 7,
                                    6, 9, 8, 6, 10, 9, 6, 11, 10, 6, 12, 11, 12, 14, 13,
                                    12, 15, 14, 12, 16, 15, 16, 18, 17, 16, 19, 18, 16, 2, 19,
                                    16, 6, 2, 16, 12, 6};

/* The profile extruded along z over [-50, 50], or (`along_x`) the same prism turned by
 * rotate([0, 90, 0]): (x, y, z) -> (z, y, -x), exactly. */
static mesh *e13_prism(facet_ctx *ctx, bool along_x) {
    mesh *m = mesh_new(ctx, 40, 76);
    for (int i = 0; i < 40; i++) {
        double x = E13_XY[2 * (i % 20)], y = E13_XY[2 * (i % 20) + 1], z = i < 20 ? -50 : 50;
        m->pos[3 * i] = along_x ? z : x;
        m->pos[3 * i + 1] = y;
        m->pos[3 * i + 2] = along_x ? -x : z;
    }
    int32_t *t = m->tri;
    for (int k = 0; k < 18; k++) {
        const int32_t *c = E13_CAP + 3 * k;
        t[0] = c[0]; t[1] = c[1]; t[2] = c[2];
        t[3] = c[0] + 20; t[4] = c[2] + 20; t[5] = c[1] + 20;
        t += 6;
    }
    for (int i = 0; i < 20; i++) {
        int j = (i + 1) % 20;
        t[0] = i; t[1] = j; t[2] = j + 20;
        t[3] = i; t[4] = j + 20; t[5] = i + 20;
        t += 6;
    }
    m->manifold = true;
    return m;
}

/* example013: the intersection of two crossed prisms of a star-like profile. Faces of
 * the result are weakly simple polygons: on the planes x = +-10 a vertex of one piece lies
 * on an edge of another, on the diagonal planes two pieces meet in a zero-width channel.
 * The ear clipper used to cover the notch between such pieces, which left double sheets
 * (zero volume, so only the AREA showed it: 23447 instead of 20272). Reference: OpenSCAD
 * 2021.01 renders this model with volume 84000 and area 20272.384393440858. */
static void test_example013_area(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *r = bool3(ctx, e13_prism(ctx, false), e13_prism(ctx, true), BOOL_INTERSECTION);
        expect_volume(ctx, r, 84000, 1e-12);
        double a = mesh_area(r);
        if (!tu_close(a, 20272.384393440858, 1e-12)) fail_msg("area %.17g", a);
        assert_int_equal(mesh_genus(ctx, mesh_clone(ctx, r)), 0);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* Operands whose surfaces are clearly apart are decided without the kernel (b3_apart):
 * one inside the other, side by side, inside a cavity; contact, a ray through an edge
 * and the cavity a difference would make are left to the kernel, which agrees. */
static mesh *paired(facet_ctx *ctx, mesh *m) {
    assert_true(mesh_build_pairs(ctx, m));
    return m;
}

static void test_apart_fast_path(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        const double PI = 3.14159265358979323846;
        mesh *big = paired(ctx, box(ctx, 0, 0, 0, 10, 10, 10));
        mesh *ball = paired(ctx, sphere(ctx, 24, 12, 2));
        double vball = check_manifold(ctx, ball);
        assert_true(vball > 0.9 * 4.0 / 3 * PI * 8 && vball < 4.0 / 3 * PI * 8);
        rotate(ball, 0.1, 0.2, 0.3, 5.05, 4.95, 5.1);
        /* inside */
        mesh *r = b3_apart(ctx, big, ball, BOOL_UNION);
        assert_non_null(r);
        expect_volume(ctx, r, 1000, 1e-12);
        r = b3_apart(ctx, ball, big, BOOL_UNION);
        assert_non_null(r);
        expect_volume(ctx, r, 1000, 1e-12);
        r = b3_apart(ctx, big, ball, BOOL_INTERSECTION);
        assert_non_null(r);
        expect_volume(ctx, r, vball, 1e-12);
        r = b3_apart(ctx, ball, big, BOOL_DIFFERENCE);
        assert_non_null(r);
        assert_int_equal(r->nt, 0);
        assert_null(b3_apart(ctx, big, ball, BOOL_DIFFERENCE)); /* a cavity: the kernel's */
        r = bool3(ctx, big, ball, BOOL_DIFFERENCE);
        expect_volume(ctx, r, 1000 - vball, 1e-12);
        assert_int_equal(mesh_genus(ctx, r), 0);
        /* outside */
        mesh *far = mesh_clone(ctx, ball);
        rotate(far, 0, 0, 0, 20, 0, 0);
        r = b3_apart(ctx, big, far, BOOL_UNION);
        assert_non_null(r);
        expect_volume(ctx, r, 1000 + vball, 1e-12);
        r = b3_apart(ctx, big, far, BOOL_INTERSECTION);
        assert_non_null(r);
        assert_int_equal(r->nt, 0);
        r = b3_apart(ctx, big, far, BOOL_DIFFERENCE);
        assert_non_null(r);
        expect_volume(ctx, r, 1000, 1e-12);
        /* inside the cavity of a hollow box: outside the solid */
        mesh *hollow = bool3(ctx, big, paired(ctx, box(ctx, 2, 2, 2, 8, 8, 8)), BOOL_DIFFERENCE);
        expect_volume(ctx, hollow, 1000 - 216, 1e-12);
        r = b3_apart(ctx, hollow, ball, BOOL_UNION);
        assert_non_null(r);
        expect_volume(ctx, r, 1000 - 216 + vball, 1e-12);
        r = b3_apart(ctx, hollow, ball, BOOL_INTERSECTION);
        assert_non_null(r);
        assert_int_equal(r->nt, 0);
        /* the ray from (4, 4, 4) runs through the diagonal x = y of the top face's two
         * triangles: undecided here, and the kernel gets it right */
        mesh *cube = paired(ctx, box(ctx, 4, 4, 4, 6, 6, 6));
        assert_null(b3_apart(ctx, big, cube, BOOL_UNION));
        expect_volume(ctx, bool3(ctx, big, cube, BOOL_UNION), 1000, 1e-12);
        expect_volume(ctx, bool3(ctx, big, cube, BOOL_INTERSECTION), 8, 1e-12);
        /* contact (shared corner faces): the kernel's */
        mesh *corner = paired(ctx, box(ctx, 0, 0, 0, 2, 2, 2));
        assert_null(b3_apart(ctx, big, corner, BOOL_UNION));
        expect_volume(ctx, bool3(ctx, big, corner, BOOL_DIFFERENCE), 992, 1e-12);
        /* an operand without partners is not known to be closed */
        assert_null(b3_apart(ctx, box(ctx, 0, 0, 0, 10, 10, 10), ball, BOOL_UNION));
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

/* b3_flat_zero decides X12 / X21 = 0 for pairs in one horizontal plane from fewer terms
 * (bool3_predicates.c); wherever it does, the full predicate must agree. Operands share
 * bottoms and tops (prisms of different resolutions, boxes, a hexagon turned about z), as
 * the parts of a CSG model do, under all three operations; every flat pair is checked
 * both ways, and the shortcut must have fired and the full predicate have found crossings
 * in such pairs too. */
static void test_flat_pairs_agree(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) {
        mesh *shapes[4] = {
            paired(ctx, prism(ctx, 51, 4, 25, 0, 0, 7)),
            paired(ctx, prism(ctx, 13, 4, 25, 0, 0, 1)),
            paired(ctx, box(ctx, 0, -2, 0, 25, 1, 3)),
            paired(ctx, prism(ctx, 6, 3, 24, 0.5, 0, 3)),
        };
        rotate(shapes[3], 0, 0, 0.3, 0, 0, 0);
        long fired = 0, crossings = 0;
        const bool_op ops[3] = {BOOL_UNION, BOOL_DIFFERENCE, BOOL_INTERSECTION};
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                if (i == j) continue;
                for (int o = 0; o < 3; o++) {
                    b3_mesh P, Q;
                    b3_mesh_init(ctx, &P, shapes[i]);
                    b3_mesh_init(ctx, &Q, shapes[j]);
                    b3_state s;
                    memset(&s, 0, sizeof s);
                    s.ctx = ctx;
                    s.P = &P;
                    s.Q = &Q;
                    s.op = ops[o];
                    s.sigma = ops[o] == BOOL_UNION ? 2 : -2;
                    double m = 0;
                    for (int k = 0; k < 3; k++)
                        m = fmax(m, fmax(fmax(fabs(P.lo[k]), fabs(P.hi[k])),
                                         fmax(fabs(Q.lo[k]), fabs(Q.hi[k]))));
                    s.gap = m * 0x1p-30;
                    for (int r = 0; r < 2; r++) {
                        const b3_mesh *A = r ? &Q : &P, *B = r ? &P : &Q;
                        for (int e = 0; e < A->ne; e++) {
                            const double *a = A->pos + 3 * A->ev[2 * e];
                            const double *b = A->pos + 3 * A->ev[2 * e + 1];
                            for (int t = 0; t < B->nt; t++) {
                                const int32_t *tv = B->tri + 3 * t;
                                double c = a[2];
                                if (b[2] != c || B->pos[3 * tv[0] + 2] != c ||
                                    B->pos[3 * tv[1] + 2] != c || B->pos[3 * tv[2] + 2] != c)
                                    continue;
                                double pt[3];
                                int x = r ? b3_x21(&s, e, t, pt) : b3_x12(&s, e, t, pt);
                                if (x) crossings++;
                                if (b3_flat_zero(&s, r, e, t)) {
                                    fired++;
                                    if (x) fail_msg("shapes %d, %d op %d: flat pair (%d, %d) has X = %d", i, j, o, e, t, x);
                                }
                            }
                        }
                    }
                    b3_mesh_free(ctx, &P);
                    b3_mesh_free(ctx, &Q);
                }
            }
        assert_true(fired > 1000);
        assert_true(crossings > 100);
    }
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlapping_cubes),
        cmocka_unit_test(test_flat_pairs_agree),
        cmocka_unit_test(test_flush_difference),
        cmocka_unit_test(test_cylinder_through_cube),
        cmocka_unit_test(test_sphere_halves),
        cmocka_unit_test(test_rotated_boxes_identities),
        cmocka_unit_test(test_identical_operands),
        cmocka_unit_test(test_touching),
        cmocka_unit_test(test_contact_counts_and_precision),
        cmocka_unit_test(test_random_grid_boxes),
        cmocka_unit_test(test_nary_grid_boxes),
        cmocka_unit_test(test_menger),
        cmocka_unit_test(test_bar_pairs_genus),
        cmocka_unit_test(test_flush_cross),
        cmocka_unit_test(test_nasty_gear),
        cmocka_unit_test(test_coplanar_slabs),
        cmocka_unit_test(test_scales),
        cmocka_unit_test(test_determinism_and_colors),
        cmocka_unit_test(test_apart_fast_path),
        cmocka_unit_test(test_random_solids),
        cmocka_unit_test(test_example013_area),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
