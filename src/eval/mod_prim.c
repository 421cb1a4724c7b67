/*
 * mod_prim.c — primitive modules: cube, sphere, cylinder, polyhedron, square, circle,
 * polygon, text, import, surface. Arguments are read as OpenSCAD reads them (defaults,
 * r/d, r1/r2/d1/d2, scalar or vector sizes) with its warnings; fragment counts come from
 * geom_fragments with the instance's $fn/$fa/$fs.
 */
#include <math.h>
#include <string.h>

#include "core/hash.h"
#include "core/intern.h"
#include "core/resolve.h"
#include "eval/eval.h"
#include "geom/fragments.h"

static char *fmt_val(mod_call *mc, val v) {
    sbuf b;
    sb_init(&b, mc->E->ctx);
    val_format(mc->E->ctx, &b, v);
    return sb_take(&b, NULL);
}

/* OpenSCAD's lookup_radius: the diameter wins over the radius (with a warning). */
static bool radius(mod_call *mc, val r, val d, const char *rname, const char *dname, double *out) {
    if (d.type == VAL_NUM) {
        if (r.type == VAL_NUM)
            mod_warn(mc, "Ignoring radius variable \"%s\" as diameter \"%s\" is defined too.", rname, dname);
        *out = d.u.n / 2;
        return true;
    }
    if (r.type == VAL_NUM) {
        *out = r.u.n;
        return true;
    }
    return false;
}

static bool flag(val v) { return val_truthy(v); }

static int frags(mod_call *mc, double r) {
    csg_frag f = mod_frag(mc);
    if (f.fs < 0.01) {
        mod_warn(mc, "$fs too small - clamping to %f", 0.01);
        f.fs = 0.01;
    }
    if (f.fa < 0.01) {
        mod_warn(mc, "$fa too small - clamping to %f", 0.01);
        f.fa = 0.01;
    }
    return geom_fragments(r, f.fn, f.fa, f.fs);
}

csg_node *mod_cube(mod_call *mc) {
    val a[2];
    static const char *const P[] = {"size", "center", NULL};
    mod_bind(mc, P, a);
    mod_no_children(mc);
    csg_node *n = csg_new(mc->E->ctx, CSG_CUBE, mc->node->loc);
    double s[3] = {1, 1, 1};
    if (a[0].type == VAL_NUM) {
        s[0] = s[1] = s[2] = a[0].u.n;
    } else if (a[0].type != VAL_UNDEF && !val_get_vec(a[0], s, 3)) {
        mod_warn(mc, "Unable to convert cube(size=%s, ...) parameter to a number or a vec3 of numbers",
                 fmt_val(mc, a[0]));
        s[0] = s[1] = s[2] = 1;
    }
    for (int i = 0; i < 3; i++)
        if (!isfinite(s[i])) {
            mod_warn(mc, "cube(size=%s, ...) non-finite size", fmt_val(mc, a[0]));
            return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
        }
    memcpy(n->u.cube.size, s, sizeof s);
    n->u.cube.center = flag(a[1]);
    return n;
}

/* sphere(r | d) and circle(r | d) take the same arguments and differ only in the node. */
static csg_node *round_primitive(mod_call *mc, csg_kind kind, const char *name) {
    val a[2];
    static const char *const P[] = {"r", "d", NULL};
    mod_bind(mc, P, a);
    mod_no_children(mc);
    double r = 1;
    radius(mc, a[0], a[1], "r", "d", &r);
    if (!isfinite(r)) {
        mod_warn(mc, "%s(r=%g) non-finite radius", name, r);
        return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    }
    csg_node *n = csg_new(mc->E->ctx, kind, mc->node->loc);
    if (kind == CSG_SPHERE) {
        n->u.sphere.r = r;
        n->u.sphere.n = frags(mc, r);
    } else {
        n->u.circle.r = r;
        n->u.circle.n = frags(mc, r);
    }
    return n;
}

csg_node *mod_sphere(mod_call *mc) { return round_primitive(mc, CSG_SPHERE, "sphere"); }

csg_node *mod_cylinder(mod_call *mc) {
    val a[8];
    static const char *const P[] = {"h", "r1", "r2", "center", "r", "d", "d1", "d2", NULL};
    mod_bind(mc, P, a);
    mod_no_children(mc);
    double h = 1, r1 = 1, r2 = 1, r = 0, t;
    if (a[0].type == VAL_NUM) h = a[0].u.n;
    bool has_r = radius(mc, a[4], a[5], "r", "d", &r);
    bool has_r1 = radius(mc, a[1], a[6], "r1", "d1", &t);
    double rr1 = t;
    bool has_r2 = radius(mc, a[2], a[7], "r2", "d2", &t);
    double rr2 = t;
    if (has_r && (has_r1 || has_r2)) mod_warn(mc, "Cylinder parameters ambiguous");
    if (has_r) r1 = r2 = r;
    if (has_r1) r1 = rr1;
    if (has_r2) r2 = rr2;
    if (!isfinite(h) || !isfinite(r1) || !isfinite(r2)) {
        mod_warn(mc, "cylinder(h=%g, r1=%g, r2=%g, ...) non-finite parameters", h, r1, r2);
        return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    }
    csg_node *n = csg_new(mc->E->ctx, CSG_CYLINDER, mc->node->loc);
    n->u.cylinder.h = h;
    n->u.cylinder.r1 = r1;
    n->u.cylinder.r2 = r2;
    n->u.cylinder.center = flag(a[3]);
    n->u.cylinder.n = frags(mc, fmax(r1, r2));
    return n;
}

/* Points: vector of vecK of numbers; warns like OpenSCAD and returns false on a bad one. */
static double *read_points(mod_call *mc, val v, int k, int32_t *np) {
    *np = 0;
    if (v.type != VAL_VEC) return NULL;
    uint32_t n = v.u.v->n;
    double *p = fc_alloc(mc->E->ctx, (size_t)(n ? n : 1) * (size_t)k * sizeof *p);
    for (uint32_t i = 0; i < n; i++) {
        double q[3] = {0, 0, 0};
        val it = v.u.v->items[i];
        bool ok = val_get_vec(it, q, k);
        if (!ok && k == 2) {
            /* OpenSCAD accepts 3D points for polygons and drops z */
            double q3[3];
            if (val_get_vec(it, q3, 3)) q[0] = q3[0], q[1] = q3[1], ok = true;
        }
        if (!ok) {
            mod_warn(mc, "Unable to convert points[%u] = %s to a vec%d of numbers", i, fmt_val(mc, it), k);
            return NULL;
        }
        memcpy(p + (size_t)i * k, q, (size_t)k * sizeof *p);
    }
    *np = (int32_t)n;
    return p;
}

/* Index lists (faces/paths): vector of vectors of integers. */
static bool read_indices(mod_call *mc, val v, int32_t **idx, int32_t **counts, int32_t *n) {
    facet_ctx *ctx = mc->E->ctx;
    *n = 0;
    if (v.type != VAL_VEC) return false;
    uint32_t nf = v.u.v->n;
    size_t total = 0;
    for (uint32_t i = 0; i < nf; i++) {
        val f = v.u.v->items[i];
        if (f.type == VAL_VEC) total += f.u.v->n;
    }
    *counts = fc_alloc(ctx, (size_t)(nf ? nf : 1) * sizeof **counts);
    *idx = fc_alloc(ctx, (total ? total : 1) * sizeof **idx);
    size_t k = 0;
    int32_t m = 0;
    for (uint32_t i = 0; i < nf; i++) {
        val f = v.u.v->items[i];
        if (f.type != VAL_VEC) continue;
        int32_t c = 0;
        for (uint32_t j = 0; j < f.u.v->n; j++) {
            val x = f.u.v->items[j];
            if (x.type != VAL_NUM || !isfinite(x.u.n)) continue;
            (*idx)[k++] = (int32_t)x.u.n;
            c++;
        }
        (*counts)[m++] = c;
    }
    *n = m;
    return true;
}

static int convexity(val v) { return v.type == VAL_NUM && v.u.n >= 1 && v.u.n < 1e6 ? (int)v.u.n : 1; }

csg_node *mod_polyhedron(mod_call *mc) {
    val a[4];
    static const char *const P[] = {"points", "faces", "convexity", "triangles", NULL};
    mod_bind(mc, P, a);
    mod_no_children(mc);
    csg_node *n = csg_new(mc->E->ctx, CSG_POLYHEDRON, mc->node->loc);
    val faces = a[1];
    if (faces.type == VAL_UNDEF && a[3].type != VAL_UNDEF) {
        fc_log_at(mc->E->ctx, FACET_LOG_DEPRECATED, mc->node->loc,
                  "polyhedron(triangles=[]) will be removed in future releases. Use polyhedron(faces=[]) instead.");
        faces = a[3];
    }
    if (a[0].type != VAL_VEC) {
        mod_warn(mc, "Unable to convert points = %s to a vector of coordinates", fmt_val(mc, a[0]));
        return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    }
    n->u.polyhedron.points = read_points(mc, a[0], 3, &n->u.polyhedron.npoints);
    if (!n->u.polyhedron.points) return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    if (!read_indices(mc, faces, &n->u.polyhedron.indices, &n->u.polyhedron.counts, &n->u.polyhedron.nfaces)) {
        mod_warn(mc, "Unable to convert faces = %s to a vector of vector of point indices", fmt_val(mc, faces));
        return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    }
    n->u.polyhedron.convexity = convexity(a[2]);
    return n;
}

csg_node *mod_square(mod_call *mc) {
    val a[2];
    static const char *const P[] = {"size", "center", NULL};
    mod_bind(mc, P, a);
    mod_no_children(mc);
    double s[2] = {1, 1};
    if (a[0].type == VAL_NUM) {
        s[0] = s[1] = a[0].u.n;
    } else if (a[0].type != VAL_UNDEF && !val_get_vec(a[0], s, 2)) {
        mod_warn(mc, "Unable to convert square(size=%s, ...) parameter to a number or a vec2 of numbers",
                 fmt_val(mc, a[0]));
        s[0] = s[1] = 1;
    }
    if (!isfinite(s[0]) || !isfinite(s[1])) {
        mod_warn(mc, "square(size=%s, ...) non-finite size", fmt_val(mc, a[0]));
        return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    }
    csg_node *n = csg_new(mc->E->ctx, CSG_SQUARE, mc->node->loc);
    n->u.square.size[0] = s[0];
    n->u.square.size[1] = s[1];
    n->u.square.center = flag(a[1]);
    return n;
}

csg_node *mod_circle(mod_call *mc) { return round_primitive(mc, CSG_CIRCLE, "circle"); }

csg_node *mod_polygon(mod_call *mc) {
    val a[3];
    static const char *const P[] = {"points", "paths", "convexity", NULL};
    mod_bind(mc, P, a);
    mod_no_children(mc);
    if (a[0].type != VAL_VEC) {
        mod_warn(mc, "Unable to convert points = %s to a vector of coordinates", fmt_val(mc, a[0]));
        return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    }
    csg_node *n = csg_new(mc->E->ctx, CSG_POLYGON, mc->node->loc);
    n->u.polygon.points = read_points(mc, a[0], 2, &n->u.polygon.npoints);
    if (!n->u.polygon.points) return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    if (a[1].type == VAL_VEC) {
        read_indices(mc, a[1], &n->u.polygon.indices, &n->u.polygon.counts, &n->u.polygon.npaths);
    } else if (a[1].type != VAL_UNDEF) {
        mod_warn(mc, "Unable to convert paths = %s to a vector of vector of point indices", fmt_val(mc, a[1]));
    }
    n->u.polygon.convexity = convexity(a[2]);
    return n;
}

static const char *str_or(mod_call *mc, val v, const char *dflt) {
    if (v.type == VAL_STR) return fc_strdup(mc->E->ctx, v.u.s->data);
    return dflt;
}

csg_node *mod_text(mod_call *mc) {
    val a[9];
    static const char *const P[] = {"text", "size", "font", "halign", "valign", "spacing",
                                    "direction", "language", "script", NULL};
    mod_bind(mc, P, a);
    mod_no_children(mc);
    csg_node *n = csg_new(mc->E->ctx, CSG_TEXT, mc->node->loc);
    if (a[0].type == VAL_STR) {
        n->u.text.text = fc_strdup(mc->E->ctx, a[0].u.s->data);
    } else if (a[0].type != VAL_UNDEF) {
        sbuf b;
        sb_init(&b, mc->E->ctx);
        val_format_str(mc->E->ctx, &b, a[0]);
        n->u.text.text = sb_take(&b, NULL);
    } else {
        n->u.text.text = "";
    }
    n->u.text.size = a[1].type == VAL_NUM ? a[1].u.n : 10;
    n->u.text.spacing = a[5].type == VAL_NUM ? a[5].u.n : 1;
    n->u.text.font = str_or(mc, a[2], NULL);
    n->u.text.halign = str_or(mc, a[3], "left");
    n->u.text.valign = str_or(mc, a[4], "baseline");
    n->u.text.direction = str_or(mc, a[6], "ltr");
    n->u.text.language = str_or(mc, a[7], "en");
    n->u.text.script = str_or(mc, a[8], "latin");
    n->u.text.frag = mod_frag(mc);
    return n;
}

static const char *ext_format(const char *path) {
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash)) return "";
    static const char *const known[] = {"stl", "off", "obj", "svg", "dxf", "3mf", "amf", "png", "json"};
    char low[8];
    size_t n = strlen(dot + 1);
    if (n >= sizeof low) return "";
    for (size_t i = 0; i <= n; i++) {
        char c = dot[1 + i];
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(low, known[i]) == 0) return known[i];
    return "";
}

/* Resolves a file name relative to the instantiating file; falls back to the name itself so
 * the geometry stage reports OpenSCAD's "Can't open" warning. */
static const char *resolve_path(mod_call *mc, const char *name, uint64_t *content) {
    char *path;
    const char *data;
    size_t len;
    *content = 0;
    if (fc_resolve(mc->E->ctx, mc->node->loc.file, name, &path, &data, &len) == 0) {
        *content = fc_hash_bytes(0x51ed270b27d1a5c3ull, data, len) | 1;
        return path;
    }
    /* OpenSCAD still finds files relative to the main file (the document root), with a
     * deprecation note */
    if (mc->node->loc.file != 0 && fc_resolve(mc->E->ctx, 0, name, &path, &data, &len) == 0) {
        fc_log(mc->E->ctx, FACET_LOG_DEPRECATED,
               "Imported file (%s) found in document root instead of relative to the importing module. "
               "This behavior is deprecated",
               name);
        *content = fc_hash_bytes(0x51ed270b27d1a5c3ull, data, len) | 1;
        return path;
    }
    return fc_path_join(mc->E->ctx, fc_dirname(mc->E->ctx, fc_file_path(mc->E->ctx, mc->node->loc.file)), name);
}

csg_node *mod_import(mod_call *mc) {
    val a[11];
    static const char *const P[] = {"file", "layer", "convexity", "origin", "scale", "width",
                                    "height", "filename", "center", "dpi", "id", NULL};
    mod_bind(mc, P, a);
    mod_no_children(mc);
    val file = a[0].type == VAL_STR ? a[0] : a[7];
    if (file.type != VAL_STR) return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    csg_node *n = csg_new(mc->E->ctx, CSG_IMPORT, mc->node->loc);
    n->u.import.path = resolve_path(mc, file.u.s->data, &n->u.import.content);
    n->u.import.format = ext_format(file.u.s->data);
    n->u.import.layer = a[1].type == VAL_STR ? fc_strdup(mc->E->ctx, a[1].u.s->data) : NULL;
    n->u.import.convexity = convexity(a[2]);
    if (a[3].type != VAL_UNDEF && !val_get_vec(a[3], n->u.import.origin, 2)) {
        mod_warn(mc, "Unable to convert import(..., origin=%s) parameter to vec2", fmt_val(mc, a[3]));
        n->u.import.origin[0] = n->u.import.origin[1] = 0;
    }
    n->u.import.scale = a[4].type == VAL_NUM ? a[4].u.n : 1;
    n->u.import.center = flag(a[8]);
    n->u.import.dpi = a[9].type == VAL_NUM && a[9].u.n >= 0.001 ? a[9].u.n : 72;
    n->u.import.frag = mod_frag(mc);
    return n;
}

csg_node *mod_surface(mod_call *mc) {
    val a[4];
    static const char *const P[] = {"file", "center", "convexity", "invert", NULL};
    mod_bind(mc, P, a);
    mod_no_children(mc);
    if (a[0].type != VAL_STR) return csg_new(mc->E->ctx, CSG_EMPTY, mc->node->loc);
    csg_node *n = csg_new(mc->E->ctx, CSG_SURFACE, mc->node->loc);
    n->u.surface.path = resolve_path(mc, a[0].u.s->data, &n->u.surface.content);
    n->u.surface.center = flag(a[1]);
    n->u.surface.convexity = convexity(a[2]);
    n->u.surface.invert = flag(a[3]);
    return n;
}
