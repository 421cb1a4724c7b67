/*
 * poly2_offset.c — offset(r = ...) and offset(delta = ..., chamfer = ...).
 *
 * OpenSCAD 2021.01 hands the shape to Clipper's polygon offsetter on its 2^16 grid; we
 * rebuild the same construction so the vertices land where OpenSCAD's do:
 *  - contours are taken on the grid (truncated), consecutive duplicates dropped, and all
 *    reversed when the contour holding the lowest point is clockwise;
 *  - every edge gets its unit right-hand normal; at each vertex the join between the
 *    previous and the next edge's offset points is: for a concave corner (relative to the
 *    offset direction) the two offset points with the vertex itself between them; else a
 *    round arc (r), a miter point (delta), or two chamfer points (delta, chamfer = true);
 *  - arcs use n = fragments(|r|) steps per full turn ($fn/$fa/$fs), i.e. Clipper's arc
 *    tolerance |r| (1 - cos(180 / n)), and round(n * angle / 2 pi) steps per corner,
 *    each point rounded to the grid;
 *  - the raw offset contours are united under the positive fill rule (what Clipper's
 *    union with the outer rectangle amounts to for negative offsets too) and cleaned as
 *    OpenSCAD cleans them (POLY2_CLEAN_DISTANCE).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/crmath.h"
#include "core/degtrig.h"
#include "geom/fragments.h"
#include "geom/poly2_grid.h"
#include "geom/poly2_ops.h"

#define PI 3.141592653589793
#define TWO_PI 6.283185307179586
#define MITER_LIMIT 1000000.0

typedef struct off_run {
    facet_ctx *ctx;
    poly2 *out;
    int capc, capn, capp;
    double delta, sin_step, cos_step, steps_per_rad, miter_lim, scale;
    bool round, chamfer;
    /* current contour */
    const double *src; /* grid coordinates, 2 per point */
    const double *nrm;
    double sin_a;
} off_run;

static void push(off_run *R, double x, double y) {
    poly2 *o = R->out;
    FC_GROW(R->ctx, o->xy, R->capp, 2 * (o->npoints + 1));
    /* rounded to the grid like Clipper's Round(), stored in units */
    o->xy[2 * o->npoints] = (double)llround(x) / R->scale;
    o->xy[2 * o->npoints + 1] = (double)llround(y) / R->scale;
    o->npoints++;
}

static void offset_point(off_run *R, int j, int k) {
    const double *s = R->src + 2 * j, *nj = R->nrm + 2 * j, *nk = R->nrm + 2 * k;
    double d = R->delta;
    R->sin_a = nk[0] * nj[1] - nj[0] * nk[1];
    double cos_a = nk[0] * nj[0] + nj[1] * nk[1];
    if (fabs(R->sin_a * d) < 1.0) {
        if (cos_a > 0) {
            push(R, s[0] + nk[0] * d, s[1] + nk[1] * d);
            return;
        }
    } else if (R->sin_a > 1.0) {
        R->sin_a = 1.0;
    } else if (R->sin_a < -1.0) {
        R->sin_a = -1.0;
    }
    if (R->sin_a * d < 0) {
        push(R, s[0] + nk[0] * d, s[1] + nk[1] * d);
        push(R, s[0], s[1]);
        push(R, s[0] + nj[0] * d, s[1] + nj[1] * d);
        return;
    }
    if (R->round) {
        double a = atan2(R->sin_a, cos_a);
        int steps = (int)llround(R->steps_per_rad * fabs(a));
        if (steps < 1) steps = 1;
        double X = nk[0], Y = nk[1];
        for (int i = 0; i < steps; i++) {
            push(R, s[0] + X * d, s[1] + Y * d);
            double X2 = X;
            X = X * R->cos_step - R->sin_step * Y;
            Y = X2 * R->sin_step + Y * R->cos_step;
            if ((i & 255) == 255) fc_tick(R->ctx);
        }
        push(R, s[0] + nj[0] * d, s[1] + nj[1] * d);
        return;
    }
    double r = 1 + (nj[0] * nk[0] + nj[1] * nk[1]);
    if (!R->chamfer && r >= R->miter_lim) {
        double q = d / r;
        push(R, s[0] + (nk[0] + nj[0]) * q, s[1] + (nk[1] + nj[1]) * q);
        return;
    }
    double dx = tan(atan2(R->sin_a, cos_a) / 4);
    push(R, s[0] + d * (nk[0] - nk[1] * dx), s[1] + d * (nk[1] + nk[0] * dx));
    push(R, s[0] + d * (nj[0] + nj[1] * dx), s[1] + d * (nj[1] - nj[0] * dx));
}

poly2 *poly2_offset(facet_ctx *ctx, const poly2 *p, double amount, bool use_r, bool chamfer,
                    csg_frag frag) {
    if (!isfinite(amount) || p->ncontours == 0) return poly2_empty(ctx);
    poly2 *const ps[1] = {(poly2 *)p};
    double scale = poly2_grid_scale(ps, 1);
    off_run R;
    memset(&R, 0, sizeof R);
    R.ctx = ctx;
    R.scale = scale;
    R.delta = amount * scale;
    R.round = use_r;
    R.chamfer = chamfer;
    R.miter_lim = 2 / (MITER_LIMIT * MITER_LIMIT);

    /* the contours on the grid, without repeated points */
    int32_t np = p->npoints;
    double *g = fc_alloc(ctx, (size_t)(np + 1) * 2 * sizeof *g);
    int32_t *gs = fc_alloc(ctx, (size_t)(p->ncontours + 1) * sizeof *gs);
    int32_t *gc = fc_alloc(ctx, (size_t)(p->ncontours + 1) * sizeof *gc);
    int32_t ng = 0, at = 0, lowest = -1;
    double lx = 0, ly = 0;
    for (int32_t c = 0; c < p->ncontours; c++) {
        int32_t base = at;
        for (int32_t k = 0; k < p->count[c]; k++) {
            const double *v = p->xy + 2 * (p->start[c] + k);
            if (!isfinite(v[0]) || !isfinite(v[1])) continue;
            double x = (double)(int64_t)(v[0] * scale), y = (double)(int64_t)(v[1] * scale);
            if (at > base && g[2 * at - 2] == x && g[2 * at - 1] == y) continue;
            g[2 * at] = x;
            g[2 * at + 1] = y;
            at++;
        }
        while (at - base > 1 && g[2 * base] == g[2 * at - 2] && g[2 * base + 1] == g[2 * at - 1]) at--;
        if (at - base < 3) {
            at = base;
            continue;
        }
        gs[ng] = base;
        gc[ng] = at - base;
        for (int32_t k = base; k < at; k++) {
            /* Clipper's "lowest" point (it thinks y-down): greatest y, ties to smallest x */
            if (lowest < 0 || g[2 * k + 1] > ly || (g[2 * k + 1] == ly && g[2 * k] < lx)) {
                lowest = ng;
                lx = g[2 * k];
                ly = g[2 * k + 1];
            }
        }
        ng++;
    }
    if (ng == 0) return poly2_empty(ctx);
    if (amount == 0) {
        poly2 *copy = poly2_clone(ctx, p);
        poly2 *const one[1] = {copy};
        return poly2_boolean_fill(ctx, one, 1, BOOL_UNION, POLY2_NONZERO, POLY2_TOLERANCE_CLEAN);
    }
    /* orientation: the contour with that point must be counter-clockwise */
    {
        double a2 = 0;
        const double *q = g + 2 * gs[lowest];
        for (int32_t i = 0, n = gc[lowest]; i < n; i++) {
            int32_t j = (i + 1) % n;
            a2 += q[2 * i] * q[2 * j + 1] - q[2 * j] * q[2 * i + 1];
        }
        if (a2 < 0) {
            for (int32_t c = 0; c < ng; c++) {
                double *a = g + 2 * gs[c];
                for (int32_t i = 0, j = gc[c] - 1; i < j; i++, j--) {
                    double tx = a[2 * i], ty = a[2 * i + 1];
                    a[2 * i] = a[2 * j];
                    a[2 * i + 1] = a[2 * j + 1];
                    a[2 * j] = tx;
                    a[2 * j + 1] = ty;
                }
            }
        }
    }
    /* arc steps, as Clipper derives them from the arc tolerance OpenSCAD passes */
    double ad = fabs(R.delta);
    if (use_r) {
        int n = geom_fragments(fabs(amount), frag.fn, frag.fa, frag.fs);
        double tol = fabs(amount) * (1 - fc_cos_deg(180.0 / n)) * scale;
        double y = tol <= 0 ? 0.25 : (tol > ad * 0.25 ? ad * 0.25 : tol);
        double steps = PI / acos(1 - y / ad);
        if (steps > ad * PI) steps = ad * PI;
        if (steps > GEOM_MAX_FRAGMENTS) steps = GEOM_MAX_FRAGMENTS;
        R.sin_step = fc_sin(TWO_PI / steps);
        R.cos_step = fc_cos(TWO_PI / steps);
        R.steps_per_rad = steps / TWO_PI;
        if (R.delta < 0) R.sin_step = -R.sin_step;
    }

    R.out = poly2_new(ctx, 0, 0);
    double *nrm = fc_alloc(ctx, (size_t)(np + 1) * 2 * sizeof *nrm);
    for (int32_t c = 0; c < ng; c++) {
        const double *s = g + 2 * gs[c];
        int32_t n = gc[c];
        for (int32_t j = 0; j < n; j++) {
            int32_t k = (j + 1) % n;
            double dx = s[2 * k] - s[2 * j], dy = s[2 * k + 1] - s[2 * j + 1];
            double len = sqrt(dx * dx + dy * dy);
            nrm[2 * j] = len > 0 ? dy / len : 0;
            nrm[2 * j + 1] = len > 0 ? -dx / len : 0;
        }
        R.src = s;
        R.nrm = nrm;
        int32_t first = R.out->npoints;
        for (int32_t j = 0, k = n - 1; j < n; k = j, j++) offset_point(&R, j, k);
        int32_t oc = R.out->ncontours;
        FC_GROW(ctx, R.out->start, R.capc, oc + 1);
        FC_GROW(ctx, R.out->count, R.capn, oc + 1);
        R.out->start[oc] = first;
        R.out->count[oc] = R.out->npoints - first;
        R.out->ncontours = oc + 1;
        fc_tick(ctx);
    }
    fc_free(ctx, nrm);
    fc_free(ctx, g);
    fc_free(ctx, gs);
    fc_free(ctx, gc);
    R.out->color = p->color;
    poly2 *const raw[1] = {R.out};
    poly2 *res = poly2_boolean_fill(ctx, raw, 1, BOOL_UNION, POLY2_POSITIVE, POLY2_TOLERANCE_CLEAN);
    poly2_free(ctx, R.out);
    return res;
}
