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

#endif
