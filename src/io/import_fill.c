/*
 * import_fill.c — collecting drawn contours and turning them into a poly2 under a fill rule
 * (import_fill.h). Even-odd drawings go through the 2D boolean engine with the even-odd
 * rule, which is exact for crossing and nested contours alike; input vertices keep their
 * coordinates.
 */
#include "io/import_fill.h"

#include <math.h>
#include <string.h>

#include "geom/poly2_grid.h"
#include "geom/poly2_ops.h"

void fill_init(fill_contours *f, facet_ctx *ctx) {
    memset(f, 0, sizeof *f);
    f->ctx = ctx;
}

void fill_begin(fill_contours *f) { f->cur = f->npts; }

void fill_point(fill_contours *f, double x, double y) {
    if (!isfinite(x) || !isfinite(y)) return;
    if (f->npts > f->cur && f->xy[2 * f->npts - 2] == x && f->xy[2 * f->npts - 1] == y) return;
    FC_GROW(f->ctx, f->xy, f->cappts, 2 * (f->npts + 1));
    f->xy[2 * f->npts] = x;
    f->xy[2 * f->npts + 1] = y;
    f->npts++;
}

void fill_end(fill_contours *f) {
    int32_t n = f->npts - f->cur;
    if (n > 1 && f->xy[2 * f->cur] == f->xy[2 * f->npts - 2] && f->xy[2 * f->cur + 1] == f->xy[2 * f->npts - 1]) {
        f->npts--;
        n--;
    }
    if (n < 3) {
        f->npts = f->cur;
        return;
    }
    FC_GROW(f->ctx, f->start, f->capstart, f->ncont + 1);
    FC_GROW(f->ctx, f->count, f->capcount, f->ncont + 1);
    f->start[f->ncont] = f->cur;
    f->count[f->ncont] = n;
    f->ncont++;
    f->cur = f->npts;
}

static poly2 *take(fill_contours *f) {
    poly2 *p = poly2_new(f->ctx, f->ncont, f->npts);
    if (f->npts) memcpy(p->xy, f->xy, (size_t)f->npts * 2 * sizeof *p->xy);
    if (f->ncont) {
        memcpy(p->start, f->start, (size_t)f->ncont * sizeof *p->start);
        memcpy(p->count, f->count, (size_t)f->ncont * sizeof *p->count);
    }
    fc_free(f->ctx, f->xy);
    fc_free(f->ctx, f->start);
    fc_free(f->ctx, f->count);
    facet_ctx *ctx = f->ctx;
    fill_init(f, ctx);
    return p;
}

poly2 *fill_operand(fill_contours *f, fill_rule rule) {
    poly2 *raw = take(f);
    if (rule == FILL_NONZERO || raw->ncontours == 0) return raw;
    poly2 *const one[1] = {raw};
    poly2 *r = poly2_boolean_fill(f->ctx, one, 1, BOOL_UNION, POLY2_EVENODD, POLY2_KEEP_INPUT_XY);
    poly2_free(f->ctx, raw);
    return r;
}

poly2 *fill_finish(fill_contours *f, fill_rule rule) {
    poly2 *p = fill_operand(f, rule);
    if (rule == FILL_EVENODD || p->ncontours == 0) return p;
    poly2 *r = poly2_boolean(f->ctx, &p, 1, BOOL_UNION);
    poly2_free(f->ctx, p);
    return r;
}
