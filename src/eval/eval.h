/*
 * eval.h — evaluation: AST to CSG tree.
 *
 * The public entry point is eval_program(); the rest of this header is shared by the
 * evaluator's own files (eval_*.c, mod_*.c) and their tests.
 */
#ifndef FC_EVAL_H
#define FC_EVAL_H

#include "csg/csg.h"
#include "eval/scope.h"
#include "eval/value.h"
#include "lang/ast.h"

/* Evaluates the program with -D style overrides (each expression already parsed) and
 * returns the root of the CSG tree (a CSG_UNION of the top-level objects, or the `!`
 * root). Echo/warnings go to the log; errors throw. */
typedef struct eval_override {
    const char *name; /* interned */
    ast_node *expr;
} eval_override;

csg_node *eval_program(facet_ctx *ctx, ast_program *prog, const eval_override *ov, int nov);

/* ------------------------------------------------------------------ evaluator internals */

/* One entry of the evaluation stack, printed as a TRACE line when an error unwinds. */
typedef enum eval_frame_kind {
    FRAME_FUNCTION, /* called by 'f' */
    FRAME_MODULE,   /* called by 'm' */
    FRAME_MODCALL,  /* call of 'm(args)' */
    FRAME_ASSIGN,   /* assignment to "a" */
    FRAME_OVERWRITE, /* an assignment whose name is assigned again later in its scope */
    FRAME_BUILTIN   /* called by 'assert' / 'echo' */
} eval_frame_kind;

typedef struct eval_frame {
    eval_frame_kind kind;
    const char *name;
    const ast_node *node; /* the call or instance (FRAME_MODCALL prints its arguments) */
    const ast_node *def;  /* FRAME_MODCALL: the module definition (parameter names) */
    fc_loc loc;
} eval_frame;

/* A used file: its scope holds its functions, modules and top-level variables. */
typedef struct eval_use {
    const ast_program *prog;
    scope *sc;
} eval_use;

typedef struct eval_state {
    facet_ctx *ctx;
    scope *top;
    eval_frame *frames;
    int nframes, capframes;
    int depth;                /* nested user calls (functions and modules) */
    uintptr_t stack_base;     /* address of a local at eval_program's start */
    size_t stack_budget;      /* bytes of C stack the evaluator may use */
    const char **modstack;    /* names of the user modules being instantiated */
    int nmod, capmod;
    eval_use *uses;
    int nuses, capuses;
    csg_node *root;           /* the first `!` root, or NULL */
    /* interned names used on hot paths */
    const char *n_fn, *n_fa, *n_fs, *n_children, *n_parent_modules, *n_preview;
} eval_state;

/* An evaluated argument list (module instantiations and built-in calls). */
typedef struct eval_args {
    val *vals;
    const char **names; /* interned or NULL */
    fc_loc *locs;
    int n;
} eval_args;

val eval_expr(eval_state *E, const ast_node *e, scope *s);
/* How many times a for statement, a list comprehension's for, `each` or children() iterates
 * a range, as OpenSCAD: a range of a million elements or more (by val_range_count, so also
 * an unbounded one such as [0:0:5]) is refused with the warning "Bad range parameter
 * <what>: too many elements (N)" and iterates zero times; otherwise val_range_iter_count
 * (a zero step iterates nothing). Element i is val_range_at(r, i). */
uint64_t eval_range_iterations(eval_state *E, const val_range *r, fc_loc loc, const char *what);

/* Operators (eval_ops.c): new references, warnings at loc. */
val ops_unary(eval_state *E, ast_op op, val a, fc_loc loc);
val ops_binary(eval_state *E, ast_op op, val a, val b, fc_loc loc);
/* Evaluates every argument in s (values owned by the eval_args). */
void eval_args_eval(eval_state *E, const ast_args *args, scope *s, eval_args *out);
void eval_args_release(eval_state *E, eval_args *a);
/* A scope under s with let-style bindings (sequential; a repeated name is ignored with
 * OpenSCAD's warning). */
scope *eval_let_scope(eval_state *E, const ast_args *binds, scope *s);
/* A new scope under env (dynamic parent dyn) with the parameters bound to the arguments:
 * positional in order, named by name, defaults evaluated in the new scope; `$` arguments
 * that are no parameter are set too. */
scope *eval_bind(eval_state *E, const ast_args *params, eval_args *a, scope *env, scope *dyn);
/* Throws recursion_depth when the C stack or the nesting limit runs out. */
void eval_check_stack(eval_state *E, const char *what, const char *name, fc_loc loc);
/* ECHO line for the arguments, as echo() prints them. */
void eval_echo(eval_state *E, const eval_args *a);
/* assert(): throws with OpenSCAD's message when the condition is false. */
void eval_assert(eval_state *E, const ast_node *at, const ast_args *args, const eval_args *a);
/* The user-visible value of a `$` special variable or a default. */
double eval_special_num(eval_state *E, scope *s, const char *name, double dflt);
void eval_push_frame(eval_state *E, eval_frame_kind kind, const char *name,
                     const ast_node *node, fc_loc loc);
static inline void eval_pop_frame(eval_state *E) { E->nframes--; }
/* Statement lists: hoists definitions, evaluates assignments, then instantiates. */
void eval_body(eval_state *E, const ast_list *stmts, scope *s, csg_node *parent);
/* parent_module(n) / dxf_dim() / dxf_cross(): calls the evaluator answers itself. */
bool eval_special_call(eval_state *E, const char *name, const ast_node *call, scope *s, val *out);
/* Evaluates one statement of a body (an instantiation or an `if`) and adds its node to
 * parent: user modules first, then the control modules, then the built-in ones; handles the
 * `!`, `#`, `%` and `*` modifiers. */
void eval_instance(eval_state *E, const ast_node *inst, scope *s, csg_node *parent);

/* Built-in modules producing CSG nodes (mod_*.c). `args` are evaluated in the caller,
 * `s` is the instance scope (holding `$` arguments). Children are evaluated by mod_adopt,
 * after the module has read its arguments, so warnings come in OpenSCAD's order. */
typedef struct mod_call {
    eval_state *E;
    const ast_node *node; /* the AST_INSTANCE */
    scope *s;
    eval_args args;
} mod_call;

typedef csg_node *(*mod_fn)(mod_call *mc);
typedef struct mod_entry {
    const char *name;
    mod_fn fn;
    const char *const *params; /* positional parameter names, NULL-terminated */
} mod_entry;
const mod_entry *mod_lookup(const char *name);
/* Binds the call's arguments to the entry's parameter names: out[i] is borrowed (undef
 * when missing). Warns about unknown named arguments like OpenSCAD does. */
void mod_bind(mod_call *mc, const char *const *params, val *out);
/* Evaluates the instance's children (in a scope under the instance scope) into node. */
void mod_adopt(mod_call *mc, csg_node *node);
/* Leaf modules: OpenSCAD's warning when the instance has children (which are ignored). */
void mod_no_children(mod_call *mc);
csg_frag mod_frag(mod_call *mc);
/* A warning with the call's location suffix. */
void mod_warn(mod_call *mc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* color(): parses a CSS/SVG color name or #hex; returns false when unknown. */
bool mod_color_parse(const char *s, double rgba[4]);

#endif
