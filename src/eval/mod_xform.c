/*
 * mod_xform.c — transforms: translate, rotate, scale, mirror, multmatrix (all CSG_TRANSFORM
 * with a row-major 4x4 matrix) and resize. Rotations use degree-exact sin/cos so that
 * rotate(90) maps axes exactly onto axes, as in OpenSCAD.
 */
#include <math.h>
#include <string.h>

#include "core/degtrig.h"
#include "eval/eval.h"

static csg_node *xform(mod_call *mc, const double m[16]) {
    csg_node *n = csg_new(mc->E->ctx, CSG_TRANSFORM, mc->node->loc);
    memcpy(n->u.transform.m, m, sizeof n->u.transform.m);
    mod_adopt(mc, n);
    return n;
}

static void identity(double m[16]) {
    memset(m, 0, 16 * sizeof *m);
    m[0] = m[5] = m[10] = m[15] = 1;
}

/* Reads up to 3 numbers of a vector (missing ones keep *out's defaults). */
static bool vec_upto3(val v, double out[3]) {
    if (v.type != VAL_VEC) return false;
    for (uint32_t i = 0; i < v.u.v->n && i < 3; i++) {
        if (v.u.v->items[i].type != VAL_NUM) return false;
        out[i] = v.u.v->items[i].u.n;
    }
    return true;
}

csg_node *mod_translate(mod_call *mc) {
    val a[1];
    static const char *const P[] = {"v", NULL};
    mod_bind(mc, P, a);
    double m[16], t[3] = {0, 0, 0};
    identity(m);
    if (vec_upto3(a[0], t) && isfinite(t[0]) && isfinite(t[1]) && isfinite(t[2])) {
        m[3] = t[0], m[7] = t[1], m[11] = t[2];
    } else {
        sbuf b;
        sb_init(&b, mc->E->ctx);
        val_format(mc->E->ctx, &b, a[0]);
        mod_warn(mc, "Unable to convert translate(%s) parameter to a vec3 or vec2 of numbers", b.data);
    }
    return xform(mc, m);
}

static void mat_mul3(const double a[9], const double b[9], double out[9]) {
    double r[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
    memcpy(out, r, sizeof r);
}

csg_node *mod_rotate(mod_call *mc) {
    val a[2];
    static const char *const P[] = {"a", "v", NULL};
    mod_bind(mc, P, a);
    double m[16], r[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    identity(m);
    bool bad = false;
    if (a[0].type == VAL_VEC) {
        double e[3] = {0, 0, 0};
        if (!vec_upto3(a[0], e) || !isfinite(e[0]) || !isfinite(e[1]) || !isfinite(e[2])) {
            bad = true;
        } else {
            double cx = fc_cos_deg(e[0]), sx = fc_sin_deg(e[0]);
            double cy = fc_cos_deg(e[1]), sy = fc_sin_deg(e[1]);
            double cz = fc_cos_deg(e[2]), sz = fc_sin_deg(e[2]);
            double rx[9] = {1, 0, 0, 0, cx, -sx, 0, sx, cx};
            double ry[9] = {cy, 0, sy, 0, 1, 0, -sy, 0, cy};
            double rz[9] = {cz, -sz, 0, sz, cz, 0, 0, 0, 1};
            mat_mul3(rz, ry, r);
            mat_mul3(r, rx, r);
        }
    } else if (a[0].type == VAL_NUM) {
        double ang = a[0].u.n;
        double ax[3] = {0, 0, 1};
        if (!isfinite(ang)) {
            bad = true;
        } else {
            if (a[1].type != VAL_UNDEF) {
                double v[3] = {0, 0, 0};
                if (vec_upto3(a[1], v) && (v[0] != 0 || v[1] != 0 || v[2] != 0)) {
                    double l = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
                    if (isfinite(l)) ax[0] = v[0] / l, ax[1] = v[1] / l, ax[2] = v[2] / l;
                }
            }
            double c = fc_cos_deg(ang), s = fc_sin_deg(ang), t = 1 - c;
            double x = ax[0], y = ax[1], z = ax[2];
            double rr[9] = {t * x * x + c,     t * x * y - s * z, t * x * z + s * y,
                            t * x * y + s * z, t * y * y + c,     t * y * z - s * x,
                            t * x * z - s * y, t * y * z + s * x, t * z * z + c};
            memcpy(r, rr, sizeof r);
        }
    } else {
        bad = true;
    }
    if (bad) {
        sbuf b;
        sb_init(&b, mc->E->ctx);
        val_format(mc->E->ctx, &b, a[0]);
        mod_warn(mc, "Problem converting rotate(a=%s) parameter", b.data);
    } else {
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) m[i * 4 + j] = r[i * 3 + j];
    }
    return xform(mc, m);
}

csg_node *mod_scale(mod_call *mc) {
    val a[1];
    static const char *const P[] = {"v", NULL};
    mod_bind(mc, P, a);
    double m[16], s[3] = {1, 1, 1};
    identity(m);
    if (a[0].type == VAL_NUM) {
        s[0] = s[1] = s[2] = a[0].u.n;
    } else if (!vec_upto3(a[0], s)) {
        s[0] = s[1] = s[2] = 1;
        sbuf b;
        sb_init(&b, mc->E->ctx);
        val_format(mc->E->ctx, &b, a[0]);
        mod_warn(mc, "Unable to convert scale(%s) parameter to a number, a vec3 or vec2 of numbers or a number",
                 b.data);
    }
    m[0] = s[0], m[5] = s[1], m[10] = s[2];
    return xform(mc, m);
}

csg_node *mod_mirror(mod_call *mc) {
    val a[1];
    static const char *const P[] = {"v", NULL};
    mod_bind(mc, P, a);
    double m[16], v[3] = {1, 0, 0};
    identity(m);
    v[0] = 0;
    if (!vec_upto3(a[0], v)) {
        v[0] = v[1] = v[2] = 0;
        sbuf b;
        sb_init(&b, mc->E->ctx);
        val_format(mc->E->ctx, &b, a[0]);
        mod_warn(mc, "Unable to convert mirror(%s) parameter to a vec3 or vec2 of numbers", b.data);
    }
    double l = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (l > 0 && isfinite(l)) {
        double x = v[0] / l, y = v[1] / l, z = v[2] / l;
        double n[3] = {x, y, z};
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) m[i * 4 + j] = (i == j ? 1 : 0) - 2 * n[i] * n[j];
    }
    return xform(mc, m);
}

csg_node *mod_multmatrix(mod_call *mc) {
    val a[1];
    static const char *const P[] = {"m", NULL};
    mod_bind(mc, P, a);
    double m[16];
    identity(m);
    if (a[0].type == VAL_VEC) {
        for (uint32_t i = 0; i < a[0].u.v->n && i < 4; i++) {
            val row = a[0].u.v->items[i];
            if (row.type != VAL_VEC) continue;
            for (uint32_t j = 0; j < row.u.v->n && j < 4; j++)
                if (row.u.v->items[j].type == VAL_NUM) m[i * 4 + j] = row.u.v->items[j].u.n;
        }
    }
    return xform(mc, m);
}

csg_node *mod_resize(mod_call *mc) {
    val a[3];
    static const char *const P[] = {"newsize", "auto", "convexity", NULL};
    mod_bind(mc, P, a);
    csg_node *n = csg_new(mc->E->ctx, CSG_RESIZE, mc->node->loc);
    double s[3] = {0, 0, 0};
    if (a[0].type == VAL_NUM) s[0] = s[1] = s[2] = a[0].u.n;
    else vec_upto3(a[0], s);
    memcpy(n->u.resize.size, s, sizeof s);
    if (a[1].type == VAL_VEC) {
        for (uint32_t i = 0; i < a[1].u.v->n && i < 3; i++) n->u.resize.autosize[i] = val_truthy(a[1].u.v->items[i]);
    } else if (a[1].type == VAL_BOOL) {
        for (int i = 0; i < 3; i++) n->u.resize.autosize[i] = a[1].u.b;
    }
    mod_adopt(mc, n);
    return n;
}
