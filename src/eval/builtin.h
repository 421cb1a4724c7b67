/*
 * builtin.h — the table of OpenSCAD's built-in functions (sin, str, search, ...).
 *
 * The evaluator evaluates the arguments, then calls the entry with the values and the names
 * they were given (OpenSCAD's built-in functions mostly read arguments by position and
 * ignore names; the few that honour names look at `names`). A built-in reports problems the
 * way OpenSCAD does: a WARNING on the log (bi_warn, with the call's location) and an undef
 * result. Functions that need the evaluator itself (parent_module, echo, assert, let) are
 * handled in the evaluator, not here.
 */
#ifndef FC_BUILTIN_H
#define FC_BUILTIN_H

#include "eval/value.h"

typedef struct bi_call {
    facet_ctx *ctx;
    fc_loc loc;          /* the call site */
    const char *fname;   /* the function's name, for messages */
    const val *args;     /* evaluated arguments in call order (borrowed) */
    const char *const *names; /* names[i] is the interned name of args[i] or NULL */
    int nargs;
} bi_call;

typedef val (*bi_fn)(bi_call *call);

typedef struct bi_entry {
    const char *name;
    bi_fn fn;
} bi_entry;

/* The entry for `name` (an interned or plain C string), or NULL. */
const bi_entry *bi_lookup(const char *name);

/* WARNING line with OpenSCAD's location suffix for the call. */
void bi_warn(bi_call *call, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- shared by the built-in function files (src/eval/builtin*.c) ---- */
/* "NAME() number of parameters does not match: expected EXPECTED, found N". */
void bi_warn_count(bi_call *call, const char *expected);
/* "NAME() parameter could not be converted: WHERE: expected TYPE, found TYPE (VALUE)". */
void bi_warn_convert(bi_call *call, const char *where, val found, val_type expected);
/* OpenSCAD's check_arguments: exactly n arguments of the given types (first mismatch
 * warned about). */
bool bi_check(bi_call *call, int n, const val_type *types);
/* One argument that must be a number; false (after the warning) otherwise. */
bool bi_num1(bi_call *call, double *x);
/* A double converted to an unsigned 32-bit integer the way OpenSCAD's x86-64 build does
 * (a C++ cast whose out-of-range results the hardware defines): truncation through a
 * 64-bit integer, so -1 becomes 4294967295 and NaN becomes 0. */
uint32_t bi_to_u32(double d);

val bi_fn_abs(bi_call *c);
val bi_fn_sign(bi_call *c);
val bi_fn_sin(bi_call *c);
val bi_fn_cos(bi_call *c);
val bi_fn_tan(bi_call *c);
val bi_fn_asin(bi_call *c);
val bi_fn_acos(bi_call *c);
val bi_fn_atan(bi_call *c);
val bi_fn_atan2(bi_call *c);
val bi_fn_floor(bi_call *c);
val bi_fn_round(bi_call *c);
val bi_fn_ceil(bi_call *c);
val bi_fn_ln(bi_call *c);
val bi_fn_log(bi_call *c);
val bi_fn_exp(bi_call *c);
val bi_fn_pow(bi_call *c);
val bi_fn_sqrt(bi_call *c);
val bi_fn_min(bi_call *c);
val bi_fn_max(bi_call *c);
val bi_fn_norm(bi_call *c);
val bi_fn_cross(bi_call *c);
val bi_fn_len(bi_call *c);
val bi_fn_concat(bi_call *c);
val bi_fn_lookup(bi_call *c);
val bi_fn_search(bi_call *c);
val bi_fn_str(bi_call *c);
val bi_fn_chr(bi_call *c);
val bi_fn_ord(bi_call *c);
val bi_fn_rands(bi_call *c);
val bi_fn_version(bi_call *c);
val bi_fn_version_num(bi_call *c);
val bi_fn_is_undef(bi_call *c);
val bi_fn_is_bool(bi_call *c);
val bi_fn_is_num(bi_call *c);
val bi_fn_is_string(bi_call *c);
val bi_fn_is_list(bi_call *c);
val bi_fn_is_function(bi_call *c);
val bi_fn_is_object(bi_call *c);
val bi_fn_textmetrics(bi_call *c);
val bi_fn_fontmetrics(bi_call *c);

#endif
