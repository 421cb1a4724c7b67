/*
 * extrude_linear.c — linear_extrude(): a 2D shape swept along z with twist and scale, placed
 * exactly as OpenSCAD 2021.01 places it so that volumes agree.
 *
 * OpenSCAD's rules, reproduced:
 *  - level j of `slices` (j = 0..slices) is at h1 + (h2 - h1) * j / slices, rotated by
 *    -twist * j / slices degrees (degree-exact sin/cos) and scaled by
 *    1 - (1 - scale) * j / slices per axis, the scaling applied after the rotation;
 *  - default slices: $fn/$fa/$fs applied to the helix a vertex follows when there is twist
 *    (the conical spiral when the scale is uniform and not 1), to the diagonal it follows
 *    when the scale is not uniform, else 1; at least ceil(|twist| / 120);
 *  - every side quad is split along its shorter diagonal; near-equal diagonals (10 ppm) are
 *    split by the direction of twist and whether the contour is a hole; when an axis of the
 *    top scale is 0 the other diagonal is used and the quad's upper triangle is dropped when
 *    it has collapsed.
 * The caps are the triangulation of the shape (bottom reversed); a top scaled to nothing has
 * no cap, its vertices are welded instead so that the mesh closes at an apex or a ridge.
 * `segments` is a later OpenSCAD parameter and is not used (2021.01 has none).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/degtrig.h"
#include "geom/poly2_ops.h"

#define GRID_FINE 0.00000095367431640625
#define DEG2RAD 0.017453292519943295

static double helix_arc_length(double r_sqr, double height, double twist) {
    double T = twist * DEG2RAD;
    double c = height / T;
    return T * sqrt(r_sqr + c * c);
}

static int helix_slices(double r_sqr, double height, double twist, csg_frag f) {
    twist = fabs(twist);
    int min_slices = (int)fmax(ceil(twist / 120.0), 1);
    if (sqrt(r_sqr) < GRID_FINE || !isfinite(f.fn)) return min_slices;
    if (f.fn > 0) {
        double s = ceil(twist / 360.0 * f.fn);
        return s > min_slices ? (s > 1e6 ? 1000000 : (int)s) : min_slices;
    }
    double fa = fmax(f.fa, 0.01), fs = fmax(f.fs, 0.01);
    double fa_s = ceil(twist / fa), fs_s = ceil(helix_arc_length(r_sqr, height, twist) / fs);
    double s = fmin(fa_s, fs_s);
    return s > min_slices ? (s > 1e6 ? 1000000 : (int)s) : min_slices;
}

static double archimedes_length(double a, double theta) {
    return 0.5 * a * (theta * sqrt(1 + theta * theta) + asinh(theta));
}

static int conical_slices(double r_sqr, double height, double twist, double scale, csg_frag f) {
    twist = fabs(twist);
    double r = sqrt(r_sqr);
    int min_slices = (int)fmax(ceil(twist / 120.0), 1);
    if (r < GRID_FINE || !isfinite(f.fn)) return min_slices;
    if (f.fn > 0) {
        double s = ceil(twist * f.fn / 360);
        return s > min_slices ? (s > 1e6 ? 1000000 : (int)s) : min_slices;
    }
    double rads = twist * DEG2RAD;
    double angle_end = scale > 1 ? rads * scale / (scale - 1) : rads / (1 - scale);
    double angle_start = angle_end - rads;
    double a = r / angle_end;
    double spiral = archimedes_length(a, angle_end) - archimedes_length(a, angle_start);
    double total = sqrt(spiral * spiral + height * height);
    double fa = fmax(f.fa, 0.01), fs = fmax(f.fs, 0.01);
    double s = fmin(ceil(total / fs), ceil(twist / fa));
    return s > min_slices ? (s > 1e6 ? 1000000 : (int)s) : min_slices;
}

static int diagonal_slices(double delta_sqr, double height, csg_frag f) {
    if (sqrt(delta_sqr) < GRID_FINE || !isfinite(f.fn)) return 1;
    if (f.fn > 0) return f.fn > 1e6 ? 1000000 : (int)fmax(f.fn, 1);
    double s = ceil(sqrt(delta_sqr + height * height) / fmax(f.fs, 0.01));
    return s > 1 ? (s > 1e6 ? 1000000 : (int)s) : 1;
}

/* -1 when |v1| < |v2|, 1 when greater, 0 when within 10 ppm of each other. */
static int sgn_vdiff(double x1, double y1, double x2, double y2) {
    double l1 = sqrt(x1 * x1 + y1 * y1), l2 = sqrt(x2 * x2 + y2 * y2);
    double scale = l1 + l2, diff = 2 * fabs(l1 - l2) * 1e5;
    return diff > scale ? (l1 < l2 ? -1 : 1) : 0;
}

typedef struct vkey {
    double x, y;
    int32_t contour, idx;
} vkey;

static int cmp_vkey(const void *pa, const void *pb) {
    const vkey *a = pa, *b = pb;
    if (a->contour != b->contour) return a->contour < b->contour ? -1 : 1;
    if (a->x != b->x) return a->x < b->x ? -1 : 1;
    if (a->y != b->y) return a->y < b->y ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

mesh *extrude_linear(facet_ctx *ctx, const poly2 *p, double height, bool center, double twist,
                     int slices, bool has_slices, int segments, const double scale_in[2],
                     csg_frag frag) {
    (void)segments;
    if (!(height > 0) || !isfinite(height) || p->npoints < 3) return mesh_empty(ctx);
    double sx = scale_in ? scale_in[0] : 1, sy = scale_in ? scale_in[1] : 1;
    if (!(sx >= 0) || !isfinite(sx)) sx = sx > 0 ? 1 : 0;
    if (!(sy >= 0) || !isfinite(sy)) sy = sy > 0 ? 1 : 0;
    if (!isfinite(twist)) twist = 0;
    double h1 = center ? -height / 2.0 : 0, h2 = center ? height / 2.0 : height;
    int32_t np = p->npoints;

    int ns;
    if (has_slices) {
        ns = slices < 1 ? 1 : slices;
    } else if (twist != 0) {
        double r_sqr = 0;
        for (int32_t i = 0; i < np; i++)
            r_sqr = fmax(r_sqr, p->xy[2 * i] * p->xy[2 * i] + p->xy[2 * i + 1] * p->xy[2 * i + 1]);
        if ((sx == 1.0 && sy == 1.0) || sx != sy) ns = helix_slices(r_sqr, height, twist, frag);
        else ns = conical_slices(r_sqr, height, twist, sx, frag);
    } else if (sx != sy) {
        double d_sqr = 0;
        for (int32_t i = 0; i < np; i++) {
            double dx = p->xy[2 * i] - p->xy[2 * i] * sx, dy = p->xy[2 * i + 1] - p->xy[2 * i + 1] * sy;
            d_sqr = fmax(d_sqr, dx * dx + dy * dy);
        }
        ns = diagonal_slices(d_sqr, height, frag);
    } else {
        ns = 1;
    }
    if ((double)ns * np > 5e7) fc_throw(ctx, FACET_ERR_GEOMETRY, FC_NOLOC, "linear_extrude(): too many slices (%d)", ns);

    int32_t *cap;
    int32_t ncap = poly2_triangulate(ctx, p, &cap);
    bool top_zero = sx == 0 || sy == 0;
    int32_t nv = (ns + 1) * np;
    int32_t nt = 2 * ns * np + ncap + (top_zero ? 0 : ncap);
    mesh *m = mesh_new(ctx, nv, nt);

    /* levels */
    for (int j = 0; j <= ns; j++) {
        double rot = twist * j / ns;
        double z = h1 + (h2 - h1) * j / ns;
        double kx = 1 - (1 - sx) * j / ns, ky = 1 - (1 - sy) * j / ns;
        double c = fc_cos_deg(-rot), s = fc_sin_deg(-rot);
        /* Scaling * Rotation as one matrix, then applied, as Eigen evaluates it */
        double m00 = kx * c, m01 = kx * -s, m10 = ky * s, m11 = ky * c;
        for (int32_t i = 0; i < np; i++) {
            double x = p->xy[2 * i], y = p->xy[2 * i + 1];
            double *v = m->pos + 3 * ((int64_t)j * np + i);
            v[0] = m00 * x + m01 * y;
            v[1] = m10 * x + m11 * y;
            v[2] = z;
        }
    }
    int32_t t = 0;
#define TRI(a, b, c)                                                                            \
    do {                                                                                       \
        m->tri[3 * t] = (a);                                                                   \
        m->tri[3 * t + 1] = (b);                                                               \
        m->tri[3 * t + 2] = (c);                                                               \
        t++;                                                                                   \
    } while (0)
    for (int32_t k = 0; k < ncap; k++) TRI(cap[3 * k], cap[3 * k + 2], cap[3 * k + 1]);
    if (!top_zero) {
        int32_t off = ns * np;
        for (int32_t k = 0; k < ncap; k++) TRI(off + cap[3 * k], off + cap[3 * k + 1], off + cap[3 * k + 2]);
    }
    for (int j = 0; j < ns; j++) {
        double rot1 = twist * j / ns, rot2 = twist * (j + 1) / ns;
        double s2x = 1 - (1 - sx) * (j + 1) / ns, s2y = 1 - (1 - sy) * (j + 1) / ns;
        bool any_zero = s2x == 0 || s2y == 0, any_non_zero = s2x != 0 || s2y != 0;
        bool back_twist = rot2 <= rot1;
        for (int32_t c = 0; c < p->ncontours; c++) {
            int32_t st = p->start[c], n = p->count[c];
            if (n < 3) continue;
            double a2 = 0;
            for (int32_t i = 0; i < n; i++) {
                const double *u = p->xy + 2 * (st + i), *w = p->xy + 2 * (st + (i + 1) % n);
                a2 += u[0] * w[1] - w[0] * u[1];
            }
            bool flip = !(a2 > 0) != back_twist;
            for (int32_t i = 1; i <= n; i++) {
                int32_t ip = st + i - 1, ic = st + i % n;
                int32_t prev1 = j * np + ip, curr1 = j * np + ic;
                int32_t prev2 = (j + 1) * np + ip, curr2 = (j + 1) * np + ic;
                const double *P1 = m->pos + 3 * prev1, *C1 = m->pos + 3 * curr1;
                const double *P2 = m->pos + 3 * prev2, *C2 = m->pos + 3 * curr2;
                int ds = sgn_vdiff(P1[0] - C2[0], P1[1] - C2[1], C1[0] - P2[0], C1[1] - P2[1]);
                bool splitfirst = ds == -1 || (ds == 0 && !flip);
                bool upper = !any_zero || (any_non_zero && !(P2[0] == C2[0] && P2[1] == C2[1]));
                if (splitfirst != any_zero) {
                    TRI(prev1, curr1, curr2);
                    if (upper) TRI(curr2, prev2, prev1);
                } else {
                    TRI(prev1, curr1, prev2);
                    if (upper) TRI(prev2, curr1, curr2);
                }
            }
        }
        fc_tick(ctx);
    }
#undef TRI
    m->nt = t;
    if (top_zero) {
        /* weld the collapsed top level so the walls meet at an apex or a ridge; contour by
         * contour, so that two shapes collapsing onto the same ridge stay two closed
         * solids touching there rather than four walls sharing one edge */
        int32_t off = ns * np;
        vkey *k = fc_alloc(ctx, (size_t)np * sizeof *k);
        for (int32_t c = 0; c < p->ncontours; c++)
            for (int32_t q = 0; q < p->count[c]; q++) {
                int32_t i = p->start[c] + q;
                k[i].x = m->pos[3 * (off + i)];
                k[i].y = m->pos[3 * (off + i) + 1];
                k[i].contour = c;
                k[i].idx = off + i;
            }
        qsort(k, (size_t)np, sizeof *k, cmp_vkey);
        int32_t *remap = fc_alloc(ctx, (size_t)np * sizeof *remap);
        for (int32_t i = 0; i < np; i++) {
            bool same = i > 0 && k[i].contour == k[i - 1].contour && k[i].x == k[i - 1].x && k[i].y == k[i - 1].y;
            int32_t rep = same ? remap[k[i - 1].idx - off] : k[i].idx;
            remap[k[i].idx - off] = rep;
        }
        int32_t w = 0;
        for (int32_t q = 0; q < m->nt; q++) {
            int32_t v[3];
            for (int e = 0; e < 3; e++) {
                v[e] = m->tri[3 * q + e];
                if (v[e] >= off) v[e] = remap[v[e] - off];
            }
            if (v[0] == v[1] || v[1] == v[2] || v[0] == v[2]) continue;
            memcpy(m->tri + 3 * w, v, sizeof v);
            w++;
        }
        m->nt = w;
        fc_free(ctx, k);
        fc_free(ctx, remap);
        m->manifold = mesh_is_manifold(ctx, m);
    } else {
        m->manifold = true;
    }
    fc_free(ctx, cap);
    return m;
}
