/*
 * extrude_rotate.c — rotate_extrude(): a 2D profile in the x-z half plane revolved around z,
 * with OpenSCAD 2021.01's vertex placement.
 *
 * OpenSCAD's rules, reproduced:
 *  - every x must have the same sign; otherwise it logs "all points for rotate_extrude()
 *    must have the same X coordinate sign (range is A -> B)" as an error and the node
 *    produces nothing;
 *  - sections = max(1, trunc(n * |angle| / 360)), n the fragment count of a circle of radius
 *    max_x - min_x (min_x and max_x start at 0); an angle outside (-360, 360] means 360;
 *  - a profile point (x, y) at ring angle a is (x sin a, x cos a, y) (degree-exact trig):
 *    a full revolution starts at a = -90 and steps by 360 / n, a partial one starts at
 *    a = 90 and steps by -angle / n; a partial revolution gets the profile's triangulation
 *    as caps at both ends;
 *  - each quad between rings is split along the diagonal from ring j point i to ring j+1
 *    point i+1.
 * Points on the axis are welded across rings and the triangles that collapse there are
 * dropped, so a profile with an edge on the axis closes the solid. Orientation is settled
 * at the end by the sign of the volume (the construction is consistent; mirrored profiles
 * and negative angles only flip it globally).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/degtrig.h"
#include "geom/fragments.h"
#include "geom/poly2_ops.h"

mesh *extrude_rotate(facet_ctx *ctx, const poly2 *p, double angle, csg_frag frag, fc_loc loc) {
    (void)loc;
    if (!isfinite(angle) || angle <= -360 || angle > 360) angle = 360;
    if (angle == 0 || p->npoints < 3) return mesh_empty(ctx);
    double min_x = 0, max_x = 0;
    for (int32_t c = 0; c < p->ncontours; c++) {
        for (int32_t k = 0; k < p->count[c]; k++) {
            double x = p->xy[2 * (p->start[c] + k)];
            min_x = fmin(min_x, x);
            max_x = fmax(max_x, x);
            if ((max_x - min_x) > max_x && (max_x - min_x) > fabs(min_x)) {
                fc_log(ctx, FACET_LOG_ERROR,
                       "all points for rotate_extrude() must have the same X coordinate sign "
                       "(range is %.2f -> %.2f)",
                       min_x, max_x);
                return mesh_empty(ctx);
            }
        }
    }
    int nfrag = geom_fragments(max_x - min_x, frag.fn, frag.fa, frag.fs);
    double fr = fmax(floor((double)nfrag * fabs(angle) / 360), 1);
    if (fr * p->npoints > 5e7)
        fc_throw(ctx, FACET_ERR_GEOMETRY, loc, "rotate_extrude(): too many fragments (%.0f)", fr);
    int nf = (int)fr;
    bool full = angle == 360;
    int nrings = full ? nf : nf + 1;
    int32_t np = p->npoints;

    /* vertices: ring r point i at r * np + i, except points on the axis which all use ring 0 */
    mesh *m = mesh_new(ctx, nrings * np, 0);
    for (int r = 0; r < nrings; r++) {
        double a = full ? -90 + r * 360.0 / nf : 90 - r * angle / nf;
        if (!full && r == 0) a = 90;
        double s = fc_sin_deg(a), c = fc_cos_deg(a);
        for (int32_t i = 0; i < np; i++) {
            double *v = m->pos + 3 * ((int64_t)r * np + i);
            double x = p->xy[2 * i], y = p->xy[2 * i + 1];
            v[0] = x * s;
            v[1] = x * c;
            v[2] = y;
        }
    }
#define VID(r, i) (p->xy[2 * (i)] == 0 ? (i) : ((r) % nrings) * np + (i))
    int32_t *cap = NULL;
    int32_t ncap = full ? 0 : poly2_triangulate(ctx, p, &cap);
    int64_t maxt = 2 * (int64_t)nf * np + 2 * ncap;
    m->tri = fc_realloc_array(ctx, m->tri, (size_t)(maxt > 0 ? maxt : 1) * 3, sizeof *m->tri);
    int32_t t = 0;
#define TRI(a, b, c)                                                                            \
    do {                                                                                       \
        int32_t ta = (a), tb = (b), tc = (c);                                                  \
        if (ta != tb && tb != tc && ta != tc) {                                                \
            m->tri[3 * t] = ta;                                                                \
            m->tri[3 * t + 1] = tb;                                                            \
            m->tri[3 * t + 2] = tc;                                                            \
            t++;                                                                               \
        }                                                                                      \
    } while (0)
    for (int32_t k = 0; k < ncap; k++) {
        TRI(VID(0, cap[3 * k]), VID(0, cap[3 * k + 1]), VID(0, cap[3 * k + 2]));
        TRI(VID(nf, cap[3 * k]), VID(nf, cap[3 * k + 2]), VID(nf, cap[3 * k + 1]));
    }
    for (int j = 0; j < nf; j++) {
        for (int32_t c = 0; c < p->ncontours; c++) {
            int32_t st = p->start[c], n = p->count[c];
            for (int32_t i = 0; i < n; i++) {
                int32_t a = st + i, b = st + (i + 1) % n;
                TRI(VID(j, a), VID(j + 1, b), VID(j, b));
                TRI(VID(j, a), VID(j + 1, a), VID(j + 1, b));
            }
        }
        fc_tick(ctx);
    }
#undef TRI
#undef VID
    m->nt = t;
    if (mesh_volume(m) < 0) {
        for (int32_t k = 0; k < t; k++) {
            int32_t x = m->tri[3 * k + 1];
            m->tri[3 * k + 1] = m->tri[3 * k + 2];
            m->tri[3 * k + 2] = x;
        }
    }
    m->manifold = mesh_is_manifold(ctx, m);
    fc_free(ctx, cap);
    return m;
}
