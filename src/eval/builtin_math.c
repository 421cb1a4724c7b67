/*
 * builtin_math.c — the numeric built-ins: abs sign sin cos tan asin acos atan atan2 floor
 * round ceil ln log exp pow sqrt min max norm cross.
 *
 * Trigonometry works in degrees through core/degtrig (exact at multiples of 30 and 45
 * degrees). The inverse functions snap to a whole degree when the forward function maps
 * that whole degree back onto the argument exactly, as OpenSCAD does, so asin(0.5) is 30
 * and not 30.000000000000004.
 */
#include "eval/builtin.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/degtrig.h"

/* 180/pi, correctly rounded */
#define BI_RAD2DEG 57.295779513082320876798154814105

static const val_type two_nums[2] = {VAL_NUM, VAL_NUM};

#define UNARY(fname, expr)                                                                   \
    val bi_fn_##fname(bi_call *c) {                                                          \
        double x;                                                                            \
        if (!bi_num1(c, &x)) return val_undef();                                             \
        return val_num(expr);                                                                \
    }

UNARY(abs, fabs(x))
UNARY(sign, x < 0 ? -1.0 : (x > 0 ? 1.0 : 0.0))
/* Past 2^52 * 360 degrees a double no longer resolves a degree, and OpenSCAD answers NaN
 * rather than a meaningless value. */
#define TRIG_HUGE (4503599627370496.0 * 360.0)
#define TRIG_DOMAIN(x) (fabs(x) < TRIG_HUGE)

/* tan() follows OpenSCAD's tan_degrees step by step rather than core/degtrig, whose
 * fc_tan_deg (not used for geometry) differs in three places OpenSCAD's trig-tests check:
 * tan(30) is the correctly rounded 1/sqrt(3) (equal to sqrt(3)/3, not to 1/sqrt(3)
 * computed in doubles), a multiple of 180 degrees gives 0 or -0 by the parity of the
 * half-turn, and an odd multiple of 90 an infinity whose sign alternates likewise. */
#define BI_SQRT1_3 0.57735026918962576450914878050196
#define BI_SQRT3 1.7320508075688772935274463415059
#define BI_DEG2RAD 0.017453292519943295769236907684886

static double tan_deg(double x) {
    double turns = floor(x / 180.0);
    bool odd = fmod(turns, 2.0) != 0;
    if (!(x >= 0.0 && x < 180.0)) x -= 180.0 * turns;
    bool oppose = x > 90.0;
    if (oppose) x = 180.0 - x;
    double r;
    if (x == 0.0) r = odd ? -0.0 : 0.0;
    else if (x == 30.0) r = BI_SQRT1_3;
    else if (x == 45.0) r = 1.0;
    else if (x == 60.0) r = BI_SQRT3;
    else if (x == 90.0) r = odd ? -INFINITY : INFINITY;
    else r = tan(x * BI_DEG2RAD);
    return oppose ? -r : r;
}

UNARY(sin, TRIG_DOMAIN(x) ? fc_sin_deg(x) : NAN)
UNARY(cos, TRIG_DOMAIN(x) ? fc_cos_deg(x) : NAN)
UNARY(tan, TRIG_DOMAIN(x) ? tan_deg(x) : NAN)
UNARY(floor, floor(x))
UNARY(round, round(x))
UNARY(ceil, ceil(x))
UNARY(ln, log(x))
UNARY(exp, exp(x))
UNARY(sqrt, sqrt(x))

val bi_fn_asin(bi_call *c) {
    double x;
    if (!bi_num1(c, &x)) return val_undef();
    double degs = asin(x) * BI_RAD2DEG, whole = round(degs);
    return val_num(fc_sin_deg(whole) == x ? whole : degs);
}

val bi_fn_acos(bi_call *c) {
    double x;
    if (!bi_num1(c, &x)) return val_undef();
    double degs = acos(x) * BI_RAD2DEG, whole = round(degs);
    return val_num(fc_cos_deg(whole) == x ? whole : degs);
}

val bi_fn_atan(bi_call *c) {
    double x;
    if (!bi_num1(c, &x)) return val_undef();
    double degs = atan(x) * BI_RAD2DEG, whole = round(degs);
    return val_num(tan_deg(whole) == x ? whole : degs);
}

val bi_fn_atan2(bi_call *c) {
    if (!bi_check(c, 2, two_nums)) return val_undef();
    double degs = atan2(c->args[0].u.n, c->args[1].u.n) * BI_RAD2DEG, whole = round(degs);
    return val_num(fabs(degs - whole) < 3.0e-14 ? whole : degs);
}

val bi_fn_pow(bi_call *c) {
    if (!bi_check(c, 2, two_nums)) return val_undef();
    return val_num(pow(c->args[0].u.n, c->args[1].u.n));
}

val bi_fn_log(bi_call *c) {
    double base, x;
    if (c->nargs == 1) {
        if (!bi_num1(c, &x)) return val_undef();
        base = 10.0;
    } else {
        if (!bi_check(c, 2, two_nums)) return val_undef();
        base = c->args[0].u.n;
        x = c->args[1].u.n;
    }
    /* OpenSCAD divides natural logarithms even for base 10 (log(1000) is then
     * 2.9999999999999996), which we keep so results compare equal */
    return val_num(log(x) / log(base));
}

/* The numbers min()/max() work on: the arguments, or the items of a single vector
 * argument; NULL (after OpenSCAD's warning) when one is not a number. */
static const val *minmax_args(bi_call *c, uint32_t *n) {
    if (c->nargs == 0) {
        bi_warn_count(c, "at least 1");
        return NULL;
    }
    if (c->nargs == 1 && c->args[0].type == VAL_VEC) {
        const val_vec *v = c->args[0].u.v;
        if (v->n == 0) {
            bi_warn(c, "%s() number of parameters does not match: expected at least 1 vector "
                       "element, found 0",
                    c->fname);
            return NULL;
        }
        for (uint32_t i = 0; i < v->n; i++) {
            if (v->items[i].type != VAL_NUM) {
                char where[40];
                snprintf(where, sizeof where, "vector element %u", (unsigned)i);
                bi_warn_convert(c, where, v->items[i], VAL_NUM);
                return NULL;
            }
        }
        *n = v->n;
        return v->items;
    }
    for (int i = 0; i < c->nargs; i++) {
        if (c->args[i].type != VAL_NUM) {
            char where[32];
            snprintf(where, sizeof where, "argument %d", i);
            bi_warn_convert(c, where, c->args[i], VAL_NUM);
            return NULL;
        }
    }
    *n = (uint32_t)c->nargs;
    return c->args;
}

/* std::min_element / max_element semantics: the first element nothing compares below
 * (above); NaN never compares, so a leading NaN wins and a later one is skipped. */
val bi_fn_min(bi_call *c) {
    uint32_t n;
    const val *v = minmax_args(c, &n);
    if (!v) return val_undef();
    double best = v[0].u.n;
    for (uint32_t i = 1; i < n; i++)
        if (v[i].u.n < best) best = v[i].u.n;
    return val_num(best);
}

val bi_fn_max(bi_call *c) {
    uint32_t n;
    const val *v = minmax_args(c, &n);
    if (!v) return val_undef();
    double best = v[0].u.n;
    for (uint32_t i = 1; i < n; i++)
        if (best < v[i].u.n) best = v[i].u.n;
    return val_num(best);
}

val bi_fn_norm(bi_call *c) {
    static const val_type t[1] = {VAL_VEC};
    if (!bi_check(c, 1, t)) return val_undef();
    const val_vec *v = c->args[0].u.v;
    double sum = 0;
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->items[i].type != VAL_NUM) {
            bi_warn(c, "Incorrect arguments to norm()");
            return val_undef();
        }
        double x = v->items[i].u.n;
        sum += x * x;
    }
    return val_num(sqrt(sum));
}

val bi_fn_cross(bi_call *c) {
    static const val_type t[2] = {VAL_VEC, VAL_VEC};
    if (!bi_check(c, 2, t)) return val_undef();
    const val_vec *a = c->args[0].u.v, *b = c->args[1].u.v;
    if (a->n == 2 && b->n == 2) {
        /* 2D: the z of the 3D cross product; non-numbers count as 0 as in OpenSCAD */
        double a0 = a->items[0].type == VAL_NUM ? a->items[0].u.n : 0;
        double a1 = a->items[1].type == VAL_NUM ? a->items[1].u.n : 0;
        double b0 = b->items[0].type == VAL_NUM ? b->items[0].u.n : 0;
        double b1 = b->items[1].type == VAL_NUM ? b->items[1].u.n : 0;
        return val_num(a0 * b1 - a1 * b0);
    }
    if (a->n != 3 || b->n != 3) {
        bi_warn(c, "Invalid vector size of parameter for cross()");
        return val_undef();
    }
    for (int i = 0; i < 3; i++) {
        if (a->items[i].type != VAL_NUM || b->items[i].type != VAL_NUM) {
            bi_warn(c, "Invalid value in parameter vector for cross()");
            return val_undef();
        }
        double d0 = a->items[i].u.n, d1 = b->items[i].u.n;
        if (isnan(d0) || isnan(d1)) {
            bi_warn(c, "Invalid value (NaN) in parameter vector for cross()");
            return val_undef();
        }
        if (isinf(d0) || isinf(d1)) {
            bi_warn(c, "Invalid value (INF) in parameter vector for cross()");
            return val_undef();
        }
    }
    double a0 = a->items[0].u.n, a1 = a->items[1].u.n, a2 = a->items[2].u.n;
    double b0 = b->items[0].u.n, b1 = b->items[1].u.n, b2 = b->items[2].u.n;
    return val_vec3(c->ctx, a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0);
}
