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

static const char *fmt_val(mod_call *mc, val v) {
    sbuf b;
    sb_init(&b, mc->E->ctx);
    val_format(mc->E->ctx, &b, v);
    return b.data;
}

/*
 * rotate(a=[x,y,z]): Rz*Ry*Rx. As in OpenSCAD, the elements are read from z down to x and
 * one that is not a number keeps the angle read before it (so [90,"x",30] is [90,30,30]);
 * a vector longer than 3 or a non-finite angle only warns, the rotation is still applied
 * (a NaN angle then makes a NaN matrix that the renderer drops with its own warning).
 */
static bool rotate_euler(val a, double r[9]) {
    const val *it = a.u.v->items;
    uint32_t n = a.u.v->n;
    bool ok = n <= 3;
    double ang = 0, s[3] = {0, 0, 0}, c[3] = {1, 1, 1};
    for (int k = n < 3 ? (int)n - 1 : 2; k >= 0; k--) {
        if (it[k].type == VAL_NUM) ang = it[k].u.n;
        else ok = false;
        if (!isfinite(ang)) ok = false;
        s[k] = fc_sin_deg(ang), c[k] = fc_cos_deg(ang);
    }
    double rx[9] = {1, 0, 0, 0, c[0], -s[0], 0, s[0], c[0]};
    double ry[9] = {c[1], 0, s[1], 0, 1, 0, -s[1], 0, c[1]};
    double rz[9] = {c[2], -s[2], 0, s[2], c[2], 0, 0, 0, 1};
    mat_mul3(rz, ry, r);
    mat_mul3(r, rx, r);
    return ok;
}

/*
 * The axis v as OpenSCAD reads it: a 2-vector of numbers is [x,y,0] and one with a
 * non-number gives the zero axis without complaint; a 3-vector is read in order up to its
 * first non-number (the rest keep the default [0,0,1]) and then fails; anything else fails.
 */
static bool rotate_axis(val v, double ax[3]) {
    if (v.type != VAL_VEC) return false;
    const val *it = v.u.v->items;
    if (v.u.v->n == 2) {
        bool num = it[0].type == VAL_NUM && it[1].type == VAL_NUM;
        ax[0] = num ? it[0].u.n : 0, ax[1] = num ? it[1].u.n : 0, ax[2] = 0;
        return true;
    }
    if (v.u.v->n != 3) return false;
    for (int i = 0; i < 3; i++) {
        if (it[i].type != VAL_NUM) return false;
        ax[i] = it[i].u.n;
    }
    return true;
}

csg_node *mod_rotate(mod_call *mc) {
    val a[2];
    static const char *const P[] = {"a", "v", NULL};
    mod_bind(mc, P, a);
    double m[16], r[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    identity(m);
    bool v_given = a[1].type != VAL_UNDEF;
    if (a[0].type == VAL_VEC) {
        bool ok = rotate_euler(a[0], r);
        if (ok && v_given)
            mod_warn(mc, "When parameter a is supplied as vector, v is ignored rotate(a=%s, v=%s)", fmt_val(mc, a[0]),
                     fmt_val(mc, a[1]));
        else if (!ok && v_given)
            mod_warn(mc, "Problem converting rotate(a=%s, v=%s) parameter", fmt_val(mc, a[0]), fmt_val(mc, a[1]));
        else if (!ok)
            mod_warn(mc, "Problem converting rotate(a=%s) parameter", fmt_val(mc, a[0]));
    } else {
        bool a_ok = a[0].type == VAL_NUM && isfinite(a[0].u.n);
        double ang = a_ok ? a[0].u.n : 0;
        double ax[3] = {0, 0, 1};
        bool v_ok = rotate_axis(a[1], ax);
        if (v_given && !v_ok) {
            if (a_ok)
                mod_warn(mc, "Problem converting rotate(..., v=%s) parameter", fmt_val(mc, a[1]));
            else
                mod_warn(mc, "Problem converting rotate(a=%s, v=%s) parameter", fmt_val(mc, a[0]), fmt_val(mc, a[1]));
        } else if (!a_ok) {
            mod_warn(mc, "Problem converting rotate(a=%s) parameter", fmt_val(mc, a[0]));
        }
        /* a zero (or NaN, or underflowing) axis is no rotation in OpenSCAD; an infinite one
         * gives a NaN matrix, which the renderer drops */
        double l = sqrt(ax[0] * ax[0] + ax[1] * ax[1] + ax[2] * ax[2]);
        if (l > 0) {
            double x = ax[0] / l, y = ax[1] / l, z = ax[2] / l;
            double c = fc_cos_deg(ang), s = fc_sin_deg(ang), t = 1 - c;
            double rr[9] = {t * x * x + c,     t * x * y - s * z, t * x * z + s * y,
                            t * x * y + s * z, t * y * y + c,     t * y * z - s * x,
                            t * x * z - s * y, t * y * z + s * x, t * z * z + c};
            memcpy(r, rr, sizeof r);
        }
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) m[i * 4 + j] = r[i * 3 + j];
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
