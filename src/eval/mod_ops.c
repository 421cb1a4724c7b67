/*
 * mod_ops.c — operations over children: union/group/render, difference, intersection,
 * hull, minkowski, linear_extrude, rotate_extrude, projection, offset.
 */
#include <math.h>
#include <string.h>

#include "eval/eval.h"

static int convexity(val v) { return v.type == VAL_NUM && v.u.n >= 1 && v.u.n < 1e6 ? (int)v.u.n : 1; }

static csg_node *op(mod_call *mc, csg_kind kind) {
    val a[1];
    static const char *const P[] = {"convexity", NULL};
    mod_bind(mc, P, a);
    csg_node *n = csg_new(mc->E->ctx, kind, mc->node->loc);
    n->u.op.convexity = convexity(a[0]);
    mod_adopt(mc, n);
    return n;
}

csg_node *mod_group(mod_call *mc) { return op(mc, CSG_UNION); }
csg_node *mod_difference(mod_call *mc) { return op(mc, CSG_DIFFERENCE); }
csg_node *mod_intersection(mod_call *mc) { return op(mc, CSG_INTERSECTION); }
csg_node *mod_hull(mod_call *mc) { return op(mc, CSG_HULL); }
csg_node *mod_minkowski(mod_call *mc) { return op(mc, CSG_MINKOWSKI); }

csg_node *mod_linear_extrude(mod_call *mc) {
    val a[12];
    static const char *const P[] = {"height", "center", "convexity", "twist", "slices", "scale",
                                    "segments", "file", "layer", "origin", "v", "h", NULL};
    mod_bind(mc, P, a);
    csg_node *n = csg_new(mc->E->ctx, CSG_LINEAR_EXTRUDE, mc->node->loc);
    double h = 100;
    if (a[0].type == VAL_NUM && isfinite(a[0].u.n)) h = a[0].u.n;
    else if (a[11].type == VAL_NUM && isfinite(a[11].u.n)) h = a[11].u.n; /* h: short for height */
    n->u.linear_extrude.height = h;
    n->u.linear_extrude.center = val_truthy(a[1]);
    n->u.linear_extrude.convexity = convexity(a[2]);
    n->u.linear_extrude.twist = a[3].type == VAL_NUM && isfinite(a[3].u.n) ? a[3].u.n : 0;
    if (a[4].type == VAL_NUM && isfinite(a[4].u.n)) {
        n->u.linear_extrude.has_slices = true;
        n->u.linear_extrude.slices = a[4].u.n < 1 ? 1 : a[4].u.n > 1e6 ? 1000000 : (int)a[4].u.n;
    }
    if (a[6].type == VAL_NUM && isfinite(a[6].u.n)) {
        n->u.linear_extrude.has_segments = true;
        n->u.linear_extrude.segments = a[6].u.n < 0 ? 0 : a[6].u.n > 1e6 ? 1000000 : (int)a[6].u.n;
    }
    double sc[2] = {1, 1};
    if (a[5].type == VAL_NUM) sc[0] = sc[1] = a[5].u.n;
    else if (a[5].type != VAL_UNDEF && !val_get_vec(a[5], sc, 2)) sc[0] = sc[1] = 1;
    if (!isfinite(sc[0]) || sc[0] < 0) sc[0] = 1;
    if (!isfinite(sc[1]) || sc[1] < 0) sc[1] = 1;
    n->u.linear_extrude.scale[0] = sc[0];
    n->u.linear_extrude.scale[1] = sc[1];
    n->u.linear_extrude.frag = mod_frag(mc);
    mod_adopt(mc, n);
    return n;
}

csg_node *mod_rotate_extrude(mod_call *mc) {
    val a[6];
    static const char *const P[] = {"angle", "convexity", "file", "layer", "origin", "scale", NULL};
    mod_bind(mc, P, a);
    csg_node *n = csg_new(mc->E->ctx, CSG_ROTATE_EXTRUDE, mc->node->loc);
    double ang = 360;
    if (a[0].type == VAL_NUM && isfinite(a[0].u.n)) ang = a[0].u.n;
    if (ang > 360) ang = 360;
    if (ang < -360) ang = -360;
    n->u.rotate_extrude.angle = ang;
    n->u.rotate_extrude.convexity = convexity(a[1]);
    n->u.rotate_extrude.frag = mod_frag(mc);
    mod_adopt(mc, n);
    return n;
}

csg_node *mod_projection(mod_call *mc) {
    val a[2];
    static const char *const P[] = {"cut", "convexity", NULL};
    mod_bind(mc, P, a);
    csg_node *n = csg_new(mc->E->ctx, CSG_PROJECTION, mc->node->loc);
    n->u.projection.cut = val_truthy(a[0]);
    n->u.projection.convexity = convexity(a[1]);
    mod_adopt(mc, n);
    return n;
}

/*
 * offset(): OpenSCAD's rules — r wins over delta (with a warning when both are numbers),
 * chamfer only matters with delta, and no number at all is r = 1 with round joins. A
 * non-finite amount makes OpenSCAD drop the result, so the children are evaluated (their
 * echoes happen) but nothing is produced.
 */
csg_node *mod_offset(mod_call *mc) {
    val a[3];
    static const char *const P[] = {"r", "delta", "chamfer", NULL};
    mod_bind(mc, P, a);
    csg_node *n = csg_new(mc->E->ctx, CSG_OFFSET, mc->node->loc);
    n->u.offset.use_r = true;
    n->u.offset.r = 1;
    if (a[0].type == VAL_NUM) {
        if (a[1].type == VAL_NUM) mod_warn(mc, "Ignoring \"delta\" argument as \"r\" is defined too.");
        n->u.offset.r = a[0].u.n;
    } else if (a[1].type == VAL_NUM) {
        n->u.offset.use_r = false;
        n->u.offset.r = 0;
        n->u.offset.delta = a[1].u.n;
        n->u.offset.chamfer = val_truthy(a[2]);
    }
    n->u.offset.frag = mod_frag(mc);
    mod_adopt(mc, n);
    if (!isfinite(n->u.offset.r) || !isfinite(n->u.offset.delta)) return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    return n;
}
