/*
 * scope.h — the evaluator's environments.
 *
 * A scope maps interned names to variables, function definitions and module definitions.
 * `parent` is the lexical parent (closures and module bodies see the scope where they were
 * defined); `dyn` is the scope that was current when this one was created, which is the chain
 * `$` variables are looked up along (OpenSCAD's dynamic scoping: a `$fn` set by a caller is
 * seen by everything the caller instantiates).
 *
 * Scopes are reference counted: the evaluator holds one reference while a scope is current,
 * a function value (val_func.env) and a child scope's `parent` hold one each. `dyn` is
 * borrowed: a scope is only ever current while its creator is still on the C stack. The render
 * pool reclaims whatever a cycle (a closure stored in its own scope) keeps alive.
 *
 * Names compare by pointer (core/intern.h). Lookups are linear for small scopes and use an
 * open-addressing index once a table grows past a few entries (top-level scopes of big
 * libraries hold thousands of functions).
 */
#ifndef FC_SCOPE_H
#define FC_SCOPE_H

#include "eval/value.h"
#include "lang/ast.h"

typedef struct scope_tab {
    const char **names;
    void **items; /* val* for variables (owned array of val), ast_node* for definitions */
    int n, cap;
    int32_t *index; /* open addressing over names, -1 = empty; NULL while small */
    int icap;
} scope_tab;

/* The user-module instance a module body belongs to: what children() evaluates. */
typedef struct scope_inst {
    const ast_node *node;   /* the AST_INSTANCE (its u.inst.children) */
    struct scope *caller;   /* where the instance appeared (retained) */
    const char *name;       /* module name */
} scope_inst;

typedef struct scope {
    uint32_t rc;
    struct scope *parent; /* lexical parent (retained) */
    struct scope *dyn;    /* dynamic parent for $ lookups (borrowed) */
    scope_tab vars;       /* items: val* (values owned) */
    scope_tab funcs;      /* items: const ast_node* (AST_FUNCDEF) */
    scope_tab mods;       /* items: const ast_node* (AST_MODDEF) */
    scope_inst *inst;     /* set on the scope of a user module's body */
    bool has_special;     /* a `$` variable was set here */
} scope;

scope *scope_new(facet_ctx *ctx, scope *parent, scope *dyn);
void scope_retain(scope *s);
void scope_release(facet_ctx *ctx, scope *s);

/* Defines or replaces a variable of this scope; takes ownership of v. */
void scope_set_take(facet_ctx *ctx, scope *s, const char *name, val v);
/* The variable in this scope only, or NULL. */
val *scope_get_local(const scope *s, const char *name);
/* Lexical lookup (for `$` names: along the dyn chain). NULL when undefined. Borrowed. */
val *scope_lookup(const scope *s, const char *name);

void scope_def_func(facet_ctx *ctx, scope *s, const ast_node *def);
void scope_def_mod(facet_ctx *ctx, scope *s, const ast_node *def);
/* The function/module definition visible from s and the scope that defines it. */
const ast_node *scope_find_func(const scope *s, const char *name, const scope **where);
const ast_node *scope_find_mod(const scope *s, const char *name, const scope **where);
/* The function definition of this scope only (one step of the call lookup), or NULL. */
const ast_node *scope_local_func(const scope *s, const char *name);

static inline bool scope_is_special(const char *name) { return name && name[0] == '$'; }

#endif
