/*
 * builtin.c — the table of built-in functions and the argument checks they share.
 *
 * The checks reproduce OpenSCAD's own (check_arguments in builtin_functions.cc and the
 * print_arg*_warning helpers): a wrong argument count or type is a WARNING naming the
 * function, and the call returns undef.
 */
#include "eval/builtin.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const bi_entry bi_table[] = {
    /* sorted by name for bsearch */
    {"abs", bi_fn_abs},
    {"acos", bi_fn_acos},
    {"asin", bi_fn_asin},
    {"atan", bi_fn_atan},
    {"atan2", bi_fn_atan2},
    {"ceil", bi_fn_ceil},
    {"chr", bi_fn_chr},
    {"concat", bi_fn_concat},
    {"cos", bi_fn_cos},
    {"cross", bi_fn_cross},
    {"exp", bi_fn_exp},
    {"floor", bi_fn_floor},
    {"fontmetrics", bi_fn_fontmetrics},
    {"is_bool", bi_fn_is_bool},
    {"is_function", bi_fn_is_function},
    {"is_list", bi_fn_is_list},
    {"is_num", bi_fn_is_num},
    {"is_object", bi_fn_is_object},
    {"is_string", bi_fn_is_string},
    {"is_undef", bi_fn_is_undef},
    {"len", bi_fn_len},
    {"ln", bi_fn_ln},
    {"log", bi_fn_log},
    {"lookup", bi_fn_lookup},
    {"max", bi_fn_max},
    {"min", bi_fn_min},
    {"norm", bi_fn_norm},
    {"ord", bi_fn_ord},
    {"pow", bi_fn_pow},
    {"rands", bi_fn_rands},
    {"round", bi_fn_round},
    {"search", bi_fn_search},
    {"sign", bi_fn_sign},
    {"sin", bi_fn_sin},
    {"sqrt", bi_fn_sqrt},
    {"str", bi_fn_str},
    {"tan", bi_fn_tan},
    {"textmetrics", bi_fn_textmetrics},
    {"version", bi_fn_version},
    {"version_num", bi_fn_version_num},
};

static int entry_cmp(const void *key, const void *e) {
    return strcmp((const char *)key, ((const bi_entry *)e)->name);
}

const bi_entry *bi_lookup(const char *name) {
    if (!name) return NULL;
    return bsearch(name, bi_table, sizeof bi_table / sizeof bi_table[0], sizeof bi_table[0],
                   entry_cmp);
}

void bi_warn(bi_call *call, const char *fmt, ...) {
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fc_log_at(call->ctx, FACET_LOG_WARNING, call->loc, "%s", msg);
}

void bi_warn_count(bi_call *call, const char *expected) {
    bi_warn(call, "%s() number of parameters does not match: expected %s, found %d",
            call->fname, expected, call->nargs);
}

void bi_warn_convert(bi_call *call, const char *where, val found, val_type expected) {
    sbuf b;
    sb_init(&b, call->ctx);
    val_format_nothrow(call->ctx, &b, found);
    sb_putc(&b, '\0');
    bi_warn(call, "%s() parameter could not be converted: %s: expected %s, found %s (%s)",
            call->fname, where, val_type_name(expected), val_type_name((val_type)found.type),
            b.data);
    sb_free(&b);
}

bool bi_check(bi_call *call, int n, const val_type *types) {
    if (call->nargs != n) {
        char exp[16];
        snprintf(exp, sizeof exp, "%d", n);
        bi_warn_count(call, exp);
        return false;
    }
    for (int i = 0; i < n; i++) {
        if (call->args[i].type != types[i]) {
            char where[32];
            snprintf(where, sizeof where, "argument %d", i);
            bi_warn_convert(call, where, call->args[i], types[i]);
            return false;
        }
    }
    return true;
}

bool bi_num1(bi_call *call, double *x) {
    static const val_type t[1] = {VAL_NUM};
    if (!bi_check(call, 1, t)) return false;
    *x = call->args[0].u.n;
    return true;
}

uint32_t bi_to_u32(double d) {
    /* x86-64 converts through a signed 64-bit integer; out of that range (and for NaN) it
     * yields 0x8000000000000000, whose low 32 bits are 0 */
    if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) return 0;
    return (uint32_t)(uint64_t)(int64_t)d;
}
