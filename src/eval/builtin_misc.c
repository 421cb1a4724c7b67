/*
 * builtin_misc.c — type tests (is_undef is_bool is_num is_string is_list is_function) and
 * version()/version_num().
 *
 * Facet implements the language of OpenSCAD 2021.01 (plus later additions), so version()
 * reports [2021, 1, 0] like that release, and scripts that test the version take the
 * paths written for it. is_undef() here tests a value; calling it on an undefined variable
 * without the usual warning is the evaluator's business (OpenSCAD looks the name up itself).
 */
#include "eval/builtin.h"

#include <math.h>

enum { FACET_VERSION_YEAR = 2021, FACET_VERSION_MONTH = 1, FACET_VERSION_DAY = 0 };

static bool one_arg(bi_call *c) {
    if (c->nargs == 1) return true;
    bi_warn_count(c, "1");
    return false;
}

val bi_fn_is_undef(bi_call *c) {
    return one_arg(c) ? val_bool(c->args[0].type == VAL_UNDEF) : val_undef();
}

val bi_fn_is_bool(bi_call *c) {
    return one_arg(c) ? val_bool(c->args[0].type == VAL_BOOL) : val_undef();
}

val bi_fn_is_num(bi_call *c) {
    /* NaN is not a number here, as in OpenSCAD */
    return one_arg(c) ? val_bool(c->args[0].type == VAL_NUM && !isnan(c->args[0].u.n))
                      : val_undef();
}

val bi_fn_is_string(bi_call *c) {
    return one_arg(c) ? val_bool(c->args[0].type == VAL_STR) : val_undef();
}

val bi_fn_is_list(bi_call *c) {
    return one_arg(c) ? val_bool(c->args[0].type == VAL_VEC) : val_undef();
}

val bi_fn_is_function(bi_call *c) {
    return one_arg(c) ? val_bool(c->args[0].type == VAL_FUNC) : val_undef();
}

val bi_fn_is_object(bi_call *c) {
    return one_arg(c) ? val_bool(c->args[0].type == VAL_OBJ) : val_undef();
}

val bi_fn_version(bi_call *c) {
    return val_vec3(c->ctx, FACET_VERSION_YEAR, FACET_VERSION_MONTH, FACET_VERSION_DAY);
}

val bi_fn_version_num(bi_call *c) {
    double y, m, d = 0;
    if (c->nargs == 0) {
        y = FACET_VERSION_YEAR;
        m = FACET_VERSION_MONTH;
        d = FACET_VERSION_DAY;
    } else {
        /* [year, month] or [year, month, day] of numbers */
        double v[3];
        val a = c->args[0];
        if (val_get_vec(a, v, 3)) {
            y = v[0], m = v[1], d = v[2];
        } else if (val_get_vec(a, v, 2)) {
            y = v[0], m = v[1];
        } else {
            return val_undef();
        }
    }
    return val_num(y * 10000 + m * 100 + d);
}
