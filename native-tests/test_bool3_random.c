/*
 * test_bool3_random.c — property tests of the 3D boolean kernel with a fixed seed:
 * random boxes and spheres (random size, non-uniform scale, arbitrary rotation and
 * translation, chosen so they overlap often) combined by random operations. Every result
 * must be a closed oriented 2-manifold, and its volume must agree with a Monte-Carlo
 * estimate within its error bar. The estimate classifies sample points against the INPUT
 * meshes only (never the kernel's output), so it is an independent oracle: both inputs
 * are convex polyhedra (checked), so a point is inside iff it lies behind every face plane.
 */
#include <math.h>

#include "testutil.h"

#include "geom/boolean3.h"
#include "geom/mesh.h"
#include "geom/prim.h"

/* ---- deterministic generator (xorshift64*), independent of libc's rand() ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r) {
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ULL;
}

/* uniform in [0, 1) with 53 bits */
static double rng_unit(rng *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

static double rng_range(rng *r, double lo, double hi) { return lo + (hi - lo) * rng_unit(r); }

/* ---- random solids ---- */

/* Row-major affine matrix T * R * S with a uniformly random rotation R (unit quaternion
 * by rejection sampling), per-axis scale S and translation T. */
static void random_matrix(rng *r, const double scale[3], double shift, double mat[16]) {
    double q[4], n2;
    do {
        for (int i = 0; i < 4; i++) q[i] = rng_range(r, -1, 1);
        n2 = q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3];
    } while (n2 > 1 || n2 < 1e-3);
    double k = 1 / sqrt(n2), w = q[0] * k, x = q[1] * k, y = q[2] * k, z = q[3] * k;
    double R[3][3] = {{1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                      {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                      {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) mat[4 * i + j] = R[i][j] * scale[j];
        mat[4 * i + 3] = rng_range(r, -shift, shift);
    }
    mat[12] = mat[13] = mat[14] = 0;
    mat[15] = 1;
}

typedef struct solid {
    mesh *m;
    double *plane; /* 4 per face: outward normal n and offset d, inside iff n.p <= d */
    int np;
    double lo[3], hi[3];
    const char *kind;
} solid;

static solid random_solid(facet_ctx *ctx, rng *r) {
    solid s;
    double scale[3] = {1, 1, 1};
    if (rng_unit(r) < 0.5) {
        double size[3];
        for (int i = 0; i < 3; i++) size[i] = rng_range(r, 0.4, 3.0);
        s.m = prim_cube(ctx, size, true);
        s.kind = "box";
    } else {
        int n = 8 + (int)(rng_next(r) % 17);
        s.m = prim_sphere(ctx, rng_range(r, 0.5, 1.6), n, FC_NOLOC);
        for (int i = 0; i < 3; i++) scale[i] = rng_range(r, 0.6, 1.4);
        s.kind = "sphere";
    }
    double mat[16];
    random_matrix(r, scale, 1.0, mat);
    mesh_transform(s.m, mat);
    mesh_bbox(s.m, s.lo, s.hi);
    assert_true(mesh_volume(s.m) > 0);

    /* face planes; degenerate triangles carry no plane */
    s.plane = fc_alloc(ctx, sizeof(double) * 4 * (size_t)s.m->nt);
    s.np = 0;
    for (int t = 0; t < s.m->nt; t++) {
        const double *a = s.m->pos + 3 * s.m->tri[3 * t], *b = s.m->pos + 3 * s.m->tri[3 * t + 1],
                     *c = s.m->pos + 3 * s.m->tri[3 * t + 2];
        double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
        double v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
        double nn[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2],
                        u[0] * v[1] - u[1] * v[0]};
        double len = sqrt(nn[0] * nn[0] + nn[1] * nn[1] + nn[2] * nn[2]);
        if (len < 1e-12) continue;
        double *p = s.plane + 4 * s.np++;
        for (int i = 0; i < 3; i++) p[i] = nn[i] / len;
        p[3] = p[0] * a[0] + p[1] * a[1] + p[2] * a[2];
    }
    /* the half-space oracle needs convex input: every vertex behind every face plane */
    for (int k = 0; k < s.np; k++) {
        const double *p = s.plane + 4 * k;
        for (int v = 0; v < s.m->nv; v++) {
            const double *x = s.m->pos + 3 * v;
            if (p[0] * x[0] + p[1] * x[1] + p[2] * x[2] - p[3] > 1e-9)
                fail_msg("%s input is not convex (vertex %d in front of face %d)", s.kind, v, k);
        }
    }
    return s;
}

static bool solid_contains(const solid *s, const double x[3]) {
    for (int k = 0; k < 3; k++)
        if (x[k] < s->lo[k] || x[k] > s->hi[k]) return false;
    for (int k = 0; k < s->np; k++) {
        const double *p = s->plane + 4 * k;
        if (p[0] * x[0] + p[1] * x[1] + p[2] * x[2] > p[3]) return false;
    }
    return true;
}

static void check_manifold(facet_ctx *ctx, mesh *m, const char *what, int iter) {
    mesh *c = mesh_clone(ctx, m);
    c->pair = NULL;
    if (!mesh_build_pairs(ctx, c) || !mesh_is_manifold(ctx, c))
        fail_msg("%s #%d: result is not a closed manifold", what, iter);
}

static const char *const OP_NAME[3] = {"union", "difference", "intersection"};

static bool op_apply(bool_op op, const bool *in, int n) {
    bool r = in[0];
    for (int i = 1; i < n; i++) {
        if (op == BOOL_UNION) r = r || in[i];
        else if (op == BOOL_INTERSECTION) r = r && in[i];
        else r = r && !in[i];
    }
    return r;
}

/* Samples N points uniformly in the union of the operands' boxes, classifies them against
 * the operands, and checks every operation's result against the estimate. */
static void check_ops(facet_ctx *ctx, rng *r, solid *s, int n, int iter, int *count) {
    enum { N = 40000 };
    double lo[3], hi[3];
    for (int k = 0; k < 3; k++) {
        lo[k] = s[0].lo[k];
        hi[k] = s[0].hi[k];
        for (int i = 1; i < n; i++) {
            lo[k] = fmin(lo[k], s[i].lo[k]);
            hi[k] = fmax(hi[k], s[i].hi[k]);
        }
    }
    double boxv = (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]);
    int hits[3] = {0, 0, 0};
    for (int j = 0; j < N; j++) {
        double x[3];
        bool in[3];
        for (int k = 0; k < 3; k++) x[k] = rng_range(r, lo[k], hi[k]);
        for (int i = 0; i < n; i++) in[i] = solid_contains(&s[i], x);
        for (int op = 0; op < 3; op++) hits[op] += op_apply((bool_op)op, in, n);
    }
    mesh *ms[3] = {s[0].m, n > 1 ? s[1].m : NULL, n > 2 ? s[2].m : NULL};
    for (int op = 0; op < 3; op++) {
        mesh *res = n == 2 ? bool3(ctx, s[0].m, s[1].m, (bool_op)op) : bool3_nary(ctx, ms, n, (bool_op)op);
        (*count)++;
        check_manifold(ctx, res, OP_NAME[op], iter);
        double vol = mesh_volume(res);
        double p = (hits[op] + 1.0) / (N + 2.0); /* never a zero variance at p = 0 or 1 */
        double est = boxv * hits[op] / N;
        double sigma = boxv * sqrt(p * (1 - p) / N);
        if (!(fabs(vol - est) <= 4.5 * sigma + 1e-9 * boxv))
            fail_msg("%d-ary %s #%d (%s, %s%s%s): volume %.9g, Monte-Carlo %.9g +- %.3g", n,
                     OP_NAME[op], iter, s[0].kind, s[1].kind, n > 2 ? ", " : "",
                     n > 2 ? s[2].kind : "", vol, est, sigma);
    }
}

/* Pairs by bool3 and triples by bool3_nary, all three operations on each. */
static void test_random_boolean_volumes(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    bool slow = getenv("FACET_SLOW_SKIP") != NULL;
    int npairs = slow ? 30 : 600, ntriples = slow ? 6 : 70;
    rng r = {0x9E3779B97F4A7C15ULL};
    int count = 0;
    for (int it = 0; it < npairs + ntriples; it++) {
        int n = it < npairs ? 2 : 3;
        TU_PROTECT(ctx) {
            solid s[3];
            for (int i = 0; i < n; i++) s[i] = random_solid(ctx, &r);
            check_ops(ctx, &r, s, n, it, &count);
        }
        if (ctx->err.kind != FACET_ERR_OK)
            fail_msg("iteration %d threw: %s", it, ctx->err.message);
        fc_pool_free_all(ctx, FC_POOL_RENDER);
    }
    assert_int_equal(count, 3 * (npairs + ntriples));
    print_message("%d random boolean operations checked\n", count);
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_boolean_volumes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
