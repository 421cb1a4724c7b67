/*
 * mod_core.c — the table of built-in modules, argument binding for them, and the calls the
 * evaluator answers itself (parent_module, dxf_dim, dxf_cross).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/resolve.h"
#include "eval/eval.h"
#include "io/import.h"

csg_node *mod_cube(mod_call *mc);
csg_node *mod_sphere(mod_call *mc);
csg_node *mod_cylinder(mod_call *mc);
csg_node *mod_polyhedron(mod_call *mc);
csg_node *mod_square(mod_call *mc);
csg_node *mod_circle(mod_call *mc);
csg_node *mod_polygon(mod_call *mc);
csg_node *mod_text(mod_call *mc);
csg_node *mod_import(mod_call *mc);
csg_node *mod_surface(mod_call *mc);
csg_node *mod_translate(mod_call *mc);
csg_node *mod_rotate(mod_call *mc);
csg_node *mod_scale(mod_call *mc);
csg_node *mod_mirror(mod_call *mc);
csg_node *mod_multmatrix(mod_call *mc);
csg_node *mod_resize(mod_call *mc);
csg_node *mod_color(mod_call *mc);
csg_node *mod_group(mod_call *mc);
csg_node *mod_difference(mod_call *mc);
csg_node *mod_intersection(mod_call *mc);
csg_node *mod_hull(mod_call *mc);
csg_node *mod_minkowski(mod_call *mc);
csg_node *mod_linear_extrude(mod_call *mc);
csg_node *mod_rotate_extrude(mod_call *mc);
csg_node *mod_projection(mod_call *mc);
csg_node *mod_offset(mod_call *mc);

#define P(...) ((const char *const[]){__VA_ARGS__, NULL})
static const mod_entry modules[] = {
    {"cube", mod_cube, P("size", "center")},
    {"sphere", mod_sphere, P("r", "d")},
    {"cylinder", mod_cylinder, P("h", "r1", "r2", "center", "r", "d", "d1", "d2")},
    {"polyhedron", mod_polyhedron, P("points", "faces", "convexity", "triangles")},
    {"square", mod_square, P("size", "center")},
    {"circle", mod_circle, P("r", "d")},
    {"polygon", mod_polygon, P("points", "paths", "convexity")},
    {"text", mod_text, P("text", "size", "font", "halign", "valign", "spacing", "direction",
                         "language", "script")},
    {"import", mod_import, P("file", "layer", "convexity", "origin", "scale", "width", "height",
                             "filename", "center", "dpi", "id")},
    {"surface", mod_surface, P("file", "center", "convexity", "invert")},
    {"translate", mod_translate, P("v")},
    {"rotate", mod_rotate, P("a", "v")},
    {"scale", mod_scale, P("v")},
    {"mirror", mod_mirror, P("v")},
    {"multmatrix", mod_multmatrix, P("m")},
    {"resize", mod_resize, P("newsize", "auto", "convexity")},
    {"color", mod_color, P("c", "alpha")},
    {"union", mod_group, P("convexity")},
    {"group", mod_group, P("convexity")},
    {"render", mod_group, P("convexity")},
    {"difference", mod_difference, P("convexity")},
    {"intersection", mod_intersection, P("convexity")},
    {"hull", mod_hull, P("convexity")},
    {"minkowski", mod_minkowski, P("convexity")},
    {"linear_extrude", mod_linear_extrude, P("height", "center", "convexity", "twist", "slices",
                                             "scale", "segments", "file", "layer", "origin", "v", "h")},
    {"rotate_extrude", mod_rotate_extrude, P("angle", "convexity", "file", "layer", "origin",
                                             "scale")},
    {"projection", mod_projection, P("cut", "convexity")},
    {"offset", mod_offset, P("r", "delta", "chamfer")},
};

const mod_entry *mod_lookup(const char *name) {
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++)
        if (strcmp(modules[i].name, name) == 0) return &modules[i];
    return NULL;
}

void mod_warn(mod_call *mc, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fc_log_at(mc->E->ctx, FACET_LOG_WARNING, mc->node->loc, "%s", msg);
}

void mod_bind(mod_call *mc, const char *const *params, val *out) {
    int np = 0;
    while (params[np]) np++;
    bool given[32] = {0};
    for (int j = 0; j < np; j++) out[j] = val_undef();
    int pos = 0, npos = 0;
    for (int i = 0; i < mc->args.n; i++) {
        const char *name = mc->args.names[i];
        if (!name) {
            npos++;
            if (pos < np) {
                out[pos] = mc->args.vals[i];
                given[pos] = true;
                pos++;
            }
            continue;
        }
        if (name[0] == '$') continue;
        int j;
        for (j = 0; j < np; j++)
            if (strcmp(params[j], name) == 0) break;
        if (j == np) {
            fc_log_at(mc->E->ctx, FACET_LOG_WARNING, mc->args.locs[i].line ? mc->args.locs[i] : mc->node->loc,
                      "variable \"%s\" not specified as parameter", name);
            continue;
        }
        if (given[j])
            fc_log_at(mc->E->ctx, FACET_LOG_WARNING, mc->node->loc, "argument \"%s\" supplied more than once",
                      name);
        out[j] = mc->args.vals[i];
        given[j] = true;
    }
    if (npos > np) mod_warn(mc, "Too many unnamed arguments supplied");
}

void mod_adopt(mod_call *mc, csg_node *node) {
    const ast_node *inst = mc->node;
    if (inst->u.inst.children.n == 0) return;
    scope *cs = scope_new(mc->E->ctx, mc->s, mc->s);
    eval_body(mc->E, &inst->u.inst.children, cs, node);
    scope_release(mc->E->ctx, cs);
}

void mod_no_children(mod_call *mc) {
    if (mc->node->u.inst.children.n > 0)
        mod_warn(mc, "module %s() does not support child modules", mc->node->u.inst.name);
}

csg_frag mod_frag(mod_call *mc) {
    csg_frag f;
    f.fn = eval_special_num(mc->E, mc->s, mc->E->n_fn, 0);
    f.fa = eval_special_num(mc->E, mc->s, mc->E->n_fa, 12);
    f.fs = eval_special_num(mc->E, mc->s, mc->E->n_fs, 2);
    return f;
}

/* ------------------------------------------------------------------ evaluator calls */

static bool num_arg(const eval_args *a, int pos, const char *name, double *out) {
    int p = 0;
    for (int i = 0; i < a->n; i++) {
        bool hit = a->names[i] ? strcmp(a->names[i], name) == 0 : p++ == pos;
        if (hit && a->vals[i].type == VAL_NUM) {
            *out = a->vals[i].u.n;
            return true;
        }
    }
    return false;
}

static const val *any_arg(const eval_args *a, int pos, const char *name) {
    int p = 0;
    for (int i = 0; i < a->n; i++) {
        bool hit = a->names[i] ? strcmp(a->names[i], name) == 0 : p++ == pos;
        if (hit) return &a->vals[i];
    }
    return NULL;
}

/* dxf_dim(file, layer, name, origin, scale) / dxf_cross(file, layer, origin, scale). */
static val dxf_call(eval_state *E, const ast_node *call, bool dim, eval_args *a) {
    facet_ctx *ctx = E->ctx;
    const val *file = any_arg(a, 0, "file");
    const val *layer = any_arg(a, 1, "layer");
    const val *name = dim ? any_arg(a, 2, "name") : NULL;
    const val *origin = any_arg(a, dim ? 3 : 2, "origin");
    double o[2] = {0, 0}, scale = 1;
    num_arg(a, dim ? 4 : 3, "scale", &scale);
    const char *fname = dim ? "dxf_dim" : "dxf_cross";
    static const char *const known[] = {"file", "layer", "name", "origin", "scale"};
    for (int i = 0; i < a->n; i++) {
        const char *n = a->names[i];
        if (!n || n[0] == '$') continue;
        bool ok = false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strcmp(n, known[k]) == 0 && (dim || k != 2)) ok = true;
        if (!ok)
            fc_log_at(ctx, FACET_LOG_WARNING, call->loc, "variable \"%s\" not specified as parameter", n);
    }
    if (origin && origin->type != VAL_UNDEF) {
        if (!val_get_vec(*origin, o, 2) || !isfinite(o[0]) || !isfinite(o[1])) {
            sbuf b;
            sb_init(&b, ctx);
            val_format(ctx, &b, *origin);
            fc_log_at(ctx, FACET_LOG_WARNING, call->loc, "%s(..., origin=%s) could not be converted", fname, b.data);
            sb_free(&b);
            o[0] = o[1] = 0;
        }
    }
    if (!file || file->type != VAL_STR) return val_undef();
    char *path;
    const char *data;
    size_t len;
    if (fc_resolve(ctx, call->loc.file, file->u.s->data, &path, &data, &len) != 0 &&
        (call->loc.file == 0 || fc_resolve(ctx, 0, file->u.s->data, &path, &data, &len) != 0)) {
        fc_log_at(ctx, FACET_LOG_WARNING, call->loc, "Can't open DXF file '%s'!", file->u.s->data);
        return val_undef();
    }
    const char *lay = layer && layer->type == VAL_STR ? layer->u.s->data : NULL;
    if (dim) {
        const char *dn = name && name->type == VAL_STR ? name->u.s->data : NULL;
        double v = 0;
        int r = dxf_dim_value(ctx, data, len, file->u.s->data, lay, dn, o, scale, &v);
        if (r == DXF_DIM_FOUND) return val_num(v);
        if (r == DXF_DIM_NOT_FOUND)
            fc_log_at(ctx, FACET_LOG_WARNING, call->loc, "Can't find dimension '%s' in '%s', layer '%s'!",
                      dn ? dn : "", file->u.s->data, lay ? lay : "");
        return val_undef();
    }
    double p[2];
    if (dxf_cross_point(ctx, data, len, file->u.s->data, lay, o, scale, p)) {
        val r = val_vec_new(ctx, 2);
        r.u.v->items[0] = val_num(p[0]);
        r.u.v->items[1] = val_num(p[1]);
        return r;
    }
    fc_log_at(ctx, FACET_LOG_WARNING, call->loc, "Can't find cross in '%s', layer '%s'!", file->u.s->data,
              lay ? lay : "");
    return val_undef();
}

bool eval_special_call(eval_state *E, const char *name, const ast_node *call, scope *s, val *out) {
    facet_ctx *ctx = E->ctx;
    bool pm = strcmp(name, "parent_module") == 0;
    bool dd = strcmp(name, "dxf_dim") == 0, dc = strcmp(name, "dxf_cross") == 0;
    if (!pm && !dd && !dc) return false;
    eval_args a;
    eval_args_eval(E, &call->u.call.args, s, &a);
    if (pm) {
        double n = 0;
        if (a.n > 0 && !num_arg(&a, 0, "n", &n)) n = 0;
        *out = val_undef();
        if (n < 0) {
            fc_log_at(ctx, FACET_LOG_WARNING, call->loc, "Negative parent module index (%d) not allowed", (int)n);
        } else if (n >= E->nmod) {
            fc_log_at(ctx, FACET_LOG_WARNING, call->loc,
                      "Parent module index (%d) greater than the number of modules on the stack", (int)n);
        } else {
            *out = val_str_cstr(ctx, E->modstack[E->nmod - 1 - (int)n]);
        }
    } else {
        *out = dxf_call(E, call, dd, &a);
    }
    eval_args_release(E, &a);
    return true;
}
