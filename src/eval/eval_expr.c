/*
 * eval_expr.c — expressions: literals, names, operators, indexing, calls, let/assert/echo
 * expressions and list comprehensions.
 *
 * Every evaluation returns a new reference. User function bodies run in a loop over their
 * tail positions (ternary branches, let/assert/echo bodies, a call in tail position), so a
 * tail-recursive function runs in constant C stack; other recursion counts against
 * opt.recursion_limit and a C-stack budget and fails with OpenSCAD's "Recursion detected"
 * error.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/intern.h"
#include "core/sbuf.h"
#include "eval/builtin.h"
#include "eval/eval.h"
#include "lang/parse.h"

void eval_check_stack(eval_state *E, const char *what, const char *name, fc_loc loc) {
    char here;
    uintptr_t a = (uintptr_t)&here;
    size_t used = E->stack_base > a ? E->stack_base - a : a - E->stack_base;
    if (used > E->stack_budget || E->depth > E->ctx->opt.recursion_limit) {
        char where[600];
        fc_loc_suffix(E->ctx, loc, where, sizeof where);
        fc_throw(E->ctx, FACET_ERR_RECURSION_DEPTH, loc, "Recursion detected calling %s '%s'%s",
                 what, name, where);
    }
}

void eval_push_frame(eval_state *E, eval_frame_kind kind, const char *name, const ast_node *node,
                     fc_loc loc) {
    eval_frame f = {kind, name, node, NULL, loc};
    FC_PUSH(E->ctx, E->frames, E->nframes, E->capframes, f);
}

void eval_args_eval(eval_state *E, const ast_args *args, scope *s, eval_args *out) {
    out->n = args->n;
    out->vals = args->n ? fc_alloc(E->ctx, (size_t)args->n * sizeof *out->vals) : NULL;
    out->names = args->n ? fc_alloc(E->ctx, (size_t)args->n * sizeof *out->names) : NULL;
    out->locs = args->n ? fc_alloc(E->ctx, (size_t)args->n * sizeof *out->locs) : NULL;
    for (int i = 0; i < args->n; i++) {
        out->vals[i] = val_undef();
        out->names[i] = args->items[i].name;
        out->locs[i] = args->items[i].loc;
    }
    for (int i = 0; i < args->n; i++)
        out->vals[i] = args->items[i].expr ? eval_expr(E, args->items[i].expr, s) : val_undef();
}

void eval_args_release(eval_state *E, eval_args *a) {
    for (int i = 0; i < a->n; i++) val_release(E->ctx, a->vals[i]);
    fc_free(E->ctx, a->vals);
    fc_free(E->ctx, a->names);
    fc_free(E->ctx, a->locs);
    a->n = 0;
    a->vals = NULL;
    a->names = NULL;
    a->locs = NULL;
}

void eval_echo(eval_state *E, const eval_args *a) {
    sbuf b;
    sb_init(&b, E->ctx);
    sb_puts(&b, "");
    for (int i = 0; i < a->n; i++) {
        if (i) sb_puts(&b, ", ");
        if (a->names[i]) sb_printf(&b, "%s = ", a->names[i]);
        val_format(E->ctx, &b, a->vals[i]);
    }
    fc_log(E->ctx, FACET_LOG_ECHO, "%s", b.data);
    sb_free(&b);
}

void eval_assert(eval_state *E, const ast_node *at, const ast_args *args, const eval_args *a) {
    int cond = -1, msg = -1, pos = 0;
    for (int i = 0; i < a->n; i++) {
        const char *n = a->names[i];
        if (n && strcmp(n, "condition") == 0) cond = i;
        else if (n && strcmp(n, "message") == 0) msg = i;
        else if (!n) {
            if (pos == 0) cond = i;
            else if (pos == 1) msg = i;
            pos++;
        }
    }
    if (cond >= 0 && val_truthy(a->vals[cond])) return;
    sbuf b;
    sb_init(&b, E->ctx);
    if (cond >= 0) {
        sb_puts(&b, "Assertion '");
        ast_print_expr(&b, args->items[cond].expr);
        sb_puts(&b, "' failed");
    } else {
        sb_puts(&b, "Assertion failed");
    }
    if (msg >= 0) {
        sb_puts(&b, ": ");
        val_format(E->ctx, &b, a->vals[msg]);
    }
    char where[600];
    fc_loc_suffix(E->ctx, at->loc, where, sizeof where);
    fc_throw(E->ctx, FACET_ERR_EVAL, at->loc, "%s%s", b.data, where);
}

double eval_special_num(eval_state *E, scope *s, const char *name, double dflt) {
    val *v = scope_lookup(s, name);
    if (!v) return dflt;
    /* OpenSCAD converts with toDouble: a non-number counts as 0 */
    if (v->type == VAL_NUM) return v->u.n;
    if (v->type == VAL_BOOL) return v->u.b ? 1 : 0;
    return 0;
}

/* ------------------------------------------------------------------ names, indexing */

static val lookup_var(eval_state *E, const ast_node *e, scope *s) {
    val *v = scope_lookup(s, e->u.ident.name);
    if (!v) {
        fc_log_at(E->ctx, FACET_LOG_WARNING, e->loc, "Ignoring unknown variable \"%s\"",
                  e->u.ident.name);
        return val_undef();
    }
    val_retain(*v);
    return *v;
}

/* Byte offset of code point i in a UTF-8 string. */
static size_t utf8_offset(const val_str *s, uint32_t i) {
    size_t off = 0;
    while (i > 0 && off < s->len) {
        off++;
        while (off < s->len && ((unsigned char)s->data[off] & 0xC0) == 0x80) off++;
        i--;
    }
    return off;
}

static val index_value(eval_state *E, val a, val idx) {
    if (a.type == VAL_OBJ && idx.type == VAL_STR) {
        /* obj["name"] reads a member like obj.name */
        val r = val_obj_get(a, idx.u.s->data);
        val_retain(r);
        return r;
    }
    if (idx.type != VAL_NUM) return val_undef();
    double d = idx.u.n;
    if (!(d >= 0)) return val_undef();
    if (a.type == VAL_VEC) {
        if (d >= a.u.v->n) return val_undef();
        val r = a.u.v->items[(uint32_t)d];
        val_retain(r);
        return r;
    }
    if (a.type == VAL_STR) {
        if (d >= a.u.s->nchars) return val_undef();
        size_t off = utf8_offset(a.u.s, (uint32_t)d);
        return val_str_char_next(E->ctx, a.u.s, &off);
    }
    if (a.type == VAL_RANGE) {
        /* OpenSCAD indexes a range's parameters, not its elements: [b:s:e][0] is b, [1] is
         * s, [2] is e ([0:2:9][2] is 9, [0:1/0:5][1] is inf), the index truncated */
        switch (d < 3 ? (int)d : 3) {
        case 0: return val_num(a.u.r->begin);
        case 1: return val_num(a.u.r->step);
        case 2: return val_num(a.u.r->end);
        default: return val_undef();
        }
    }
    return val_undef();
}

/* Index of a swizzle letter; *set is 1 for xyzw, 2 for rgba (sets cannot be mixed). */
static int swizzle_index(char c, int *set) {
    const char *xyzw = "xyzw", *rgba = "rgba";
    const char *p = strchr(xyzw, c);
    if (c && p) {
        *set = 1;
        return (int)(p - xyzw);
    }
    p = strchr(rgba, c);
    if (c && p) {
        *set = 2;
        return (int)(p - rgba);
    }
    return -1;
}

static val member_value(eval_state *E, val a, const char *name) {
    if (a.type == VAL_RANGE) {
        if (strcmp(name, "begin") == 0) return val_num(a.u.r->begin);
        if (strcmp(name, "step") == 0) return val_num(a.u.r->step);
        if (strcmp(name, "end") == 0) return val_num(a.u.r->end);
        return val_undef();
    }
    if (a.type == VAL_OBJ) {
        val r = val_obj_get(a, name);
        val_retain(r);
        return r;
    }
    if (a.type != VAL_VEC) return val_undef();
    size_t n = strlen(name);
    if (n == 0 || n > 4) return val_undef();
    int idx[4], first = 0;
    for (size_t i = 0; i < n; i++) {
        int set = 0;
        idx[i] = swizzle_index(name[i], &set);
        if (idx[i] < 0 || (uint32_t)idx[i] >= a.u.v->n) return val_undef();
        if (i == 0) first = set;
        else if (set != first) return val_undef();
    }
    if (n == 1) {
        val r = a.u.v->items[idx[0]];
        val_retain(r);
        return r;
    }
    val r = val_vec_new(E->ctx, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        r.u.v->items[i] = a.u.v->items[idx[i]];
        val_retain(r.u.v->items[i]);
    }
    return r;
}

/* ------------------------------------------------------------------ calls */

typedef struct callee {
    const ast_args *params;
    const ast_node *body;
    scope *env;
    const char *name;
} callee;

/* Finds what `name(...)` calls: per lexical scope a function definition, then a variable
 * holding a function value; then the used files. */
static bool resolve_named(eval_state *E, const char *name, scope *s, callee *c) {
    if (scope_is_special(name)) {
        /* a `$` name is a variable only, found along the dynamic chain */
        val *v = scope_lookup(s, name);
        if (v && v->type == VAL_FUNC) {
            const ast_node *lit = v->u.f->lit;
            *c = (callee){&lit->u.func.params, lit->u.func.body, v->u.f->env, name};
            return true;
        }
        return false;
    }
    for (scope *l = s; l; l = l->parent) {
        const ast_node *def = scope_local_func(l, name);
        if (def) {
            *c = (callee){&def->u.def.params, def->u.def.body, l, name};
            return true;
        }
        val *v = scope_get_local(l, name);
        if (v && v->type == VAL_FUNC) {
            const ast_node *lit = v->u.f->lit;
            *c = (callee){&lit->u.func.params, lit->u.func.body, v->u.f->env, name};
            return true;
        }
    }
    for (int i = E->nuses - 1; i >= 0; i--) {
        const ast_node *def = scope_local_func(E->uses[i].sc, name);
        if (def) {
            *c = (callee){&def->u.def.params, def->u.def.body, E->uses[i].sc, name};
            return true;
        }
    }
    return false;
}

/* Binds evaluated arguments to parameters in a new scope under env; `$` arguments that are
 * not parameters become variables of the call scope too. */
scope *eval_bind(eval_state *E, const ast_args *params, eval_args *a, scope *env, scope *dyn) {
    facet_ctx *ctx = E->ctx;
    scope *ns = scope_new(ctx, env, dyn);
    int np = params->n;
    signed char small[16];
    signed char *set = np <= 16 ? small : fc_alloc(ctx, (size_t)np);
    int *from = fc_alloc(ctx, (size_t)(np ? np : 1) * sizeof *from);
    for (int j = 0; j < np; j++) set[j] = 0, from[j] = -1;
    int pos = 0;
    for (int i = 0; i < a->n; i++) {
        const char *name = a->names[i];
        if (name) {
            int j;
            for (j = 0; j < np; j++)
                if (params->items[j].name == name) break;
            if (j < np) {
                from[j] = i;
                set[j] = 1;
            } else if (scope_is_special(name)) {
                val_retain(a->vals[i]);
                scope_set_take(ctx, ns, name, a->vals[i]);
            }
        } else {
            while (pos < np && set[pos]) pos++;
            if (pos < np) {
                from[pos] = i;
                set[pos] = 1;
                pos++;
            }
        }
    }
    for (int j = 0; j < np; j++) {
        val v;
        if (from[j] >= 0) {
            v = a->vals[from[j]];
            val_retain(v);
        } else if (params->items[j].expr) {
            v = eval_expr(E, params->items[j].expr, ns);
        } else {
            v = val_undef();
        }
        scope_set_take(ctx, ns, params->items[j].name, v);
    }
    if (set != small) fc_free(ctx, set);
    fc_free(ctx, from);
    return ns;
}

static val call_builtin(eval_state *E, const ast_node *call, const char *name, scope *s, bool *found) {
    val out;
    if (eval_special_call(E, name, call, s, &out)) {
        *found = true;
        return out;
    }
    const bi_entry *bi = bi_lookup(name);
    if (!bi) {
        *found = false;
        return val_undef();
    }
    *found = true;
    eval_args a;
    eval_args_eval(E, &call->u.call.args, s, &a);
    bi_call bc = {E->ctx, call->loc, name, a.vals, a.names, a.n};
    eval_push_frame(E, FRAME_FUNCTION, name, call, call->loc);
    val r = bi->fn(&bc);
    eval_pop_frame(E);
    eval_args_release(E, &a);
    return r;
}


enum { MAX_TAIL_CALLS = 1000000, MAX_CFOR_STEPS = 1000000 };

static bool chain_has_special(scope *from, scope *stop) {
    for (scope *l = from; l && l != stop; l = l->dyn)
        if (l->has_special) return true;
    return false;
}

/* Runs a user function body: tail positions loop instead of recursing. `cs` is the call
 * scope (owned), `base` the caller's scope (the dynamic parent of the call). */
static val run_body(eval_state *E, const ast_node *e, scope *cs, scope *base) {
    facet_ctx *ctx = E->ctx;
    scope *cur = cs;
    scope **held = NULL;
    int nheld = 0, capheld = 0;
    val result;
    int frame = E->nframes - 1;
    long tail_calls = 0;
    for (;;) {
        fc_step(ctx);
        if (!e) {
            result = val_undef();
            goto done;
        }
        switch (e->kind) {
        case AST_TERNARY: {
            val c = eval_expr(E, e->u.op.a, cur);
            bool t = val_truthy(c);
            val_release(ctx, c);
            e = t ? e->u.op.b : e->u.op.c;
            continue;
        }
        case AST_LET: {
            /* the let scope's parent reference keeps cur alive */
            scope *ns = eval_let_scope(E, &e->u.with.args, cur);
            scope_release(ctx, cur);
            cur = ns;
            e = e->u.with.body;
            continue;
        }
        case AST_ASSERT:
        case AST_ECHO: {
            eval_args a;
            eval_args_eval(E, &e->u.with.args, cur, &a);
            if (e->kind == AST_ECHO) eval_echo(E, &a);
            else eval_assert(E, e, &e->u.with.args, &a);
            eval_args_release(E, &a);
            if (!e->u.with.body) {
                result = val_undef();
                goto done;
            }
            e = e->u.with.body;
            continue;
        }
        case AST_CALL: {
            callee c;
            val fv = val_undef();
            bool ok;
            if (e->u.call.callee->kind == AST_IDENT) {
                ok = resolve_named(E, e->u.call.callee->u.ident.name, cur, &c);
            } else {
                fv = eval_expr(E, e->u.call.callee, cur);
                ok = fv.type == VAL_FUNC;
                if (ok) {
                    const ast_node *lit = fv.u.f->lit;
                    c = (callee){&lit->u.func.params, lit->u.func.body, fv.u.f->env, "function"};
                }
            }
            if (!ok) {
                val_release(ctx, fv);
                result = eval_expr(E, e, cur);
                goto done;
            }
            /* OpenSCAD allows a million tail steps per outermost call */
            if (++tail_calls > MAX_TAIL_CALLS) {
                char where[600];
                val_release(ctx, fv);
                fc_loc_suffix(ctx, e->loc, where, sizeof where);
                fc_throw(ctx, FACET_ERR_RECURSION_DEPTH, e->loc, "Recursion detected calling function '%s'%s",
                         c.name, where);
            }
            eval_args a;
            eval_args_eval(E, &e->u.call.args, cur, &a);
            bool keep = chain_has_special(cur, base);
            scope *ns = eval_bind(E, c.params, &a, c.env, keep ? cur : base);
            eval_args_release(E, &a);
            val_release(ctx, fv);
            if (keep) FC_PUSH(ctx, held, nheld, capheld, cur);
            else scope_release(ctx, cur);
            /* scopes kept for earlier $-carrying bodies are no longer reachable */
            if (!keep) {
                for (int i = 0; i < nheld; i++) scope_release(ctx, held[i]);
                nheld = 0;
            }
            cur = ns;
            E->frames[frame].name = c.name;
            E->frames[frame].loc = e->loc;
            e = c.body;
            continue;
        }
        default: result = eval_expr(E, e, cur); goto done;
        }
    }
done:
    scope_release(ctx, cur);
    for (int i = nheld - 1; i >= 0; i--) scope_release(ctx, held[i]);
    fc_free(ctx, held);
    return result;
}

static val call_user(eval_state *E, const ast_node *call, const callee *c, scope *s) {
    eval_args a;
    eval_args_eval(E, &call->u.call.args, s, &a);
    E->depth++;
    eval_push_frame(E, FRAME_FUNCTION, c->name, call, call->loc);
    eval_check_stack(E, "function", c->name, call->loc);
    scope *ns = eval_bind(E, c->params, &a, c->env, s);
    eval_args_release(E, &a);
    val r = run_body(E, c->body, ns, s);
    eval_pop_frame(E);
    E->depth--;
    return r;
}

static val eval_call(eval_state *E, const ast_node *e, scope *s) {
    const ast_node *fn = e->u.call.callee;
    if (fn->kind == AST_IDENT) {
        const char *name = fn->u.ident.name;
        callee c;
        if (resolve_named(E, name, s, &c)) return call_user(E, e, &c, s);
        bool found;
        val r = call_builtin(E, e, name, s, &found);
        if (found) return r;
        fc_log_at(E->ctx, FACET_LOG_WARNING, e->loc, "Ignoring unknown function '%s'", name);
        return val_undef();
    }
    val fv = eval_expr(E, fn, s);
    if (fv.type != VAL_FUNC) {
        fc_log_at(E->ctx, FACET_LOG_WARNING, e->loc, "Can't call function on %s",
                  val_type_name((val_type)fv.type));
        val_release(E->ctx, fv);
        return val_undef();
    }
    const ast_node *lit = fv.u.f->lit;
    callee c = {&lit->u.func.params, lit->u.func.body, fv.u.f->env, "function"};
    val r = call_user(E, e, &c, s);
    val_release(E->ctx, fv);
    return r;
}

/* ------------------------------------------------------------------ list comprehensions */

static void lc_element(eval_state *E, const ast_node *e, scope *s, val_builder *b);
static void check_expr_stack(eval_state *E, const ast_node *e);

static bool is_lc(const ast_node *e) {
    switch (e->kind) {
    case AST_LC_FOR:
    case AST_LC_CFOR:
    case AST_LC_IF:
    case AST_LC_EACH:
    case AST_LET: return true;
    default: return false;
    }
}

uint64_t eval_range_iterations(eval_state *E, const val_range *r, fc_loc loc, const char *what) {
    uint64_t n = val_range_count(r);
    if (n >= 1000000) {
        fc_log_at(E->ctx, FACET_LOG_WARNING, loc, "Bad range parameter %s: too many elements (%llu)", what,
                  (unsigned long long)n);
        return 0;
    }
    return val_range_iter_count(r);
}

/* Pushes the items of v (vector items, range elements, characters) or v itself. */
static void push_each(eval_state *E, val v, val_builder *b, fc_loc loc) {
    if (v.type == VAL_VEC) {
        for (uint32_t i = 0; i < v.u.v->n; i++) vb_push(b, v.u.v->items[i]);
    } else if (v.type == VAL_RANGE) {
        uint64_t n = eval_range_iterations(E, v.u.r, loc, "in for statement");
        for (uint64_t i = 0; i < n; i++) {
            fc_step(E->ctx);
            vb_push_take(b, val_num(val_range_at(v.u.r, i)));
        }
    } else if (v.type == VAL_STR) {
        size_t off = 0;
        for (uint32_t i = 0; i < v.u.s->nchars; i++) vb_push_take(b, val_str_char_next(E->ctx, v.u.s, &off));
    } else {
        vb_push(b, v);
    }
}

/* Nested loops over the bindings of an LC `for`, from binding k on. */
static void lc_for(eval_state *E, const ast_node *e, int k, scope *s, val_builder *b) {
    facet_ctx *ctx = E->ctx;
    if (k == e->u.with.args.n) {
        lc_element(E, e->u.with.body, s, b);
        return;
    }
    const ast_arg *bind = &e->u.with.args.items[k];
    val it = bind->expr ? eval_expr(E, bind->expr, s) : val_undef();
    if (it.type == VAL_RANGE) {
        uint64_t n = eval_range_iterations(E, it.u.r, e->loc, "in for statement");
        for (uint64_t i = 0; i < n; i++) {
            fc_step(ctx);
            scope *ns = scope_new(ctx, s, s);
            scope_set_take(ctx, ns, bind->name, val_num(val_range_at(it.u.r, i)));
            lc_for(E, e, k + 1, ns, b);
            scope_release(ctx, ns);
        }
    } else if (it.type == VAL_VEC || it.type == VAL_STR) {
        uint32_t n = it.type == VAL_VEC ? it.u.v->n : it.u.s->nchars;
        size_t off = 0;
        for (uint32_t i = 0; i < n; i++) {
            fc_step(ctx);
            scope *ns = scope_new(ctx, s, s);
            val item;
            if (it.type == VAL_VEC) {
                item = it.u.v->items[i];
                val_retain(item);
            } else {
                item = val_str_char_next(ctx, it.u.s, &off);
            }
            scope_set_take(ctx, ns, bind->name, item);
            lc_for(E, e, k + 1, ns, b);
            scope_release(ctx, ns);
        }
    } else if (it.type != VAL_UNDEF) {
        scope *ns = scope_new(ctx, s, s);
        val_retain(it);
        scope_set_take(ctx, ns, bind->name, it);
        lc_for(E, e, k + 1, ns, b);
        scope_release(ctx, ns);
    }
    val_release(ctx, it);
}

scope *eval_let_scope(eval_state *E, const ast_args *binds, scope *s) {
    scope *ns = scope_new(E->ctx, s, s);
    for (int i = 0; i < binds->n; i++) {
        const ast_arg *b = &binds->items[i];
        /* a name bound twice keeps its first value (OpenSCAD ignores the later binding) */
        if (!b->name) {
            sbuf t;
            sb_init(&t, E->ctx);
            sb_puts(&t, "");
            if (b->expr) ast_print_expr(&t, b->expr);
            fc_log_at(E->ctx, FACET_LOG_WARNING, b->loc.line ? b->loc : (b->expr ? b->expr->loc : b->loc),
                      "Assignment without variable name %s", t.data);
            sb_free(&t);
            continue;
        }
        if (scope_get_local(ns, b->name)) {
            sbuf t;
            sb_init(&t, E->ctx);
            if (b->expr) ast_print_expr(&t, b->expr);
            fc_log_at(E->ctx, FACET_LOG_WARNING, b->loc, "Ignoring duplicate variable assignment \"%s\" = %s",
                      b->name, t.data ? t.data : "undef");
            sb_free(&t);
            continue;
        }
        scope_set_take(E->ctx, ns, b->name, b->expr ? eval_expr(E, b->expr, ns) : val_undef());
    }
    return ns;
}

static void lc_cfor(eval_state *E, const ast_node *e, scope *s, val_builder *b) {
    facet_ctx *ctx = E->ctx;
    scope *cur = eval_let_scope(E, &e->u.cfor.init, s);
    for (long iter = 0;; iter++) {
        fc_step(ctx);
        if (iter >= MAX_CFOR_STEPS) {
            char where[600];
            fc_loc_suffix(ctx, e->loc, where, sizeof where);
            fc_throw(ctx, FACET_ERR_EVAL, e->loc, "For loop counter exceeded limit%s", where);
        }
        val c = eval_expr(E, e->u.cfor.cond, cur);
        bool go = val_truthy(c);
        val_release(ctx, c);
        if (!go) break;
        lc_element(E, e->u.cfor.body, cur, b);
        /* the update expressions all see the previous iteration's values */
        scope *next = scope_new(ctx, s, s);
        for (int i = 0; i < cur->vars.n; i++) {
            val v = *(val *)cur->vars.items[i];
            val_retain(v);
            scope_set_take(ctx, next, cur->vars.names[i], v);
        }
        for (int i = 0; i < e->u.cfor.update.n; i++) {
            const ast_arg *u = &e->u.cfor.update.items[i];
            scope_set_take(ctx, next, u->name, u->expr ? eval_expr(E, u->expr, cur) : val_undef());
        }
        scope_release(ctx, cur);
        cur = next;
    }
    scope_release(ctx, cur);
}

static void lc_element(eval_state *E, const ast_node *e, scope *s, val_builder *b) {
    facet_ctx *ctx = E->ctx;
    check_expr_stack(E, e);
    fc_step(ctx);
    switch (e->kind) {
    case AST_LC_FOR: lc_for(E, e, 0, s, b); return;
    case AST_LC_CFOR: lc_cfor(E, e, s, b); return;
    case AST_LC_IF: {
        val c = eval_expr(E, e->u.cond.cond, s);
        bool t = val_truthy(c);
        val_release(ctx, c);
        if (t) lc_element(E, e->u.cond.then, s, b);
        else if (e->u.cond.els) lc_element(E, e->u.cond.els, s, b);
        return;
    }
    case AST_LET: {
        scope *ns = eval_let_scope(E, &e->u.with.args, s);
        lc_element(E, e->u.with.body, ns, b);
        scope_release(ctx, ns);
        return;
    }
    case AST_LC_EACH: {
        const ast_node *x = e->u.op.a;
        if (is_lc(x)) {
            val_builder tmp;
            vb_init(&tmp, ctx);
            lc_element(E, x, s, &tmp);
            for (int i = 0; i < tmp.n; i++) push_each(E, tmp.items[i], b, e->loc);
            vb_discard(&tmp);
        } else {
            val v = eval_expr(E, x, s);
            push_each(E, v, b, e->loc);
            val_release(ctx, v);
        }
        return;
    }
    default: vb_push_take(b, eval_expr(E, e, s)); return;
    }
}

/* ------------------------------------------------------------------ expressions */

/* The stack guard for deeply nested expressions names the innermost call. */
static void check_expr_stack(eval_state *E, const ast_node *e) {
    const eval_frame *f = E->nframes ? &E->frames[E->nframes - 1] : NULL;
    bool mod = f && (f->kind == FRAME_MODULE || f->kind == FRAME_MODCALL);
    eval_check_stack(E, mod ? "module" : "function", f ? f->name : "expression", e->loc);
}

static val eval_vector(eval_state *E, const ast_node *e, scope *s) {
    val_builder b;
    vb_init(&b, E->ctx);
    for (int i = 0; i < e->u.list.n; i++) {
        const ast_node *it = e->u.list.items[i];
        if (is_lc(it)) lc_element(E, it, s, &b);
        else vb_push_take(&b, eval_expr(E, it, s));
    }
    return vb_finish(&b);
}

static val eval_range(eval_state *E, const ast_node *e, scope *s) {
    val a = eval_expr(E, e->u.range.begin, s);
    val st = e->u.range.step ? eval_expr(E, e->u.range.step, s) : val_num(1);
    val z = eval_expr(E, e->u.range.end, s);
    val r = val_undef();
    if (a.type == VAL_NUM && st.type == VAL_NUM && z.type == VAL_NUM) {
        r = val_range_new(E->ctx, a.u.n, st.u.n, z.u.n);
        bool finite = isfinite(a.u.n) && isfinite(st.u.n) && isfinite(z.u.n);
        if (!finite) {
            /* OpenSCAD only checks the direction of finite ranges */
        } else if (st.u.n > 0 && a.u.n > z.u.n)
            fc_log_at(E->ctx, FACET_LOG_WARNING, e->loc, "begin is greater than the end, but step is positive");
        else if (st.u.n < 0 && a.u.n < z.u.n)
            fc_log_at(E->ctx, FACET_LOG_WARNING, e->loc, "begin is smaller than the end, but step is negative");
    } else if (a.type == VAL_NUM && z.type == VAL_NUM) {
        sbuf b;
        sb_init(&b, E->ctx);
        val_format(E->ctx, &b, st);
        fc_log_at(E->ctx, FACET_LOG_WARNING, e->loc, "Unable to convert [...:%s:...] to a step value",
                  b.data);
        sb_free(&b);
    }
    val_release(E->ctx, a);
    val_release(E->ctx, st);
    val_release(E->ctx, z);
    return r;
}

static val eval_let_expr(eval_state *E, const ast_node *e, scope *s) {
    scope *ns = eval_let_scope(E, &e->u.with.args, s);
    val r = e->u.with.body ? eval_expr(E, e->u.with.body, ns) : val_undef();
    scope_release(E->ctx, ns);
    return r;
}

val eval_expr(eval_state *E, const ast_node *e, scope *s) {
    facet_ctx *ctx = E->ctx;
    fc_step(ctx);
    switch (e->kind) {
    case AST_UNDEF: return val_undef();
    case AST_BOOL: return val_bool(e->u.b);
    case AST_NUM: return val_num(e->u.num);
    case AST_STR: return val_str_new(ctx, e->u.str.s, e->u.str.len);
    case AST_IDENT: return lookup_var(E, e, s);
    case AST_UNARY: {
        check_expr_stack(E, e);
        val a = eval_expr(E, e->u.op.a, s);
        val r = ops_unary(E, (ast_op)e->op, a, e->loc);
        val_release(ctx, a);
        return r;
    }
    case AST_BINARY: {
        check_expr_stack(E, e);
        if (e->op == OP_AND || e->op == OP_OR) {
            val a = eval_expr(E, e->u.op.a, s);
            bool t = val_truthy(a);
            val_release(ctx, a);
            if (e->op == OP_AND ? !t : t) return val_bool(t);
            val b = eval_expr(E, e->u.op.b, s);
            bool u = val_truthy(b);
            val_release(ctx, b);
            return val_bool(u);
        }
        val a = eval_expr(E, e->u.op.a, s);
        val b = eval_expr(E, e->u.op.b, s);
        val r = ops_binary(E, (ast_op)e->op, a, b, e->loc);
        val_release(ctx, a);
        val_release(ctx, b);
        return r;
    }
    case AST_TERNARY: {
        val c = eval_expr(E, e->u.op.a, s);
        bool t = val_truthy(c);
        val_release(ctx, c);
        return eval_expr(E, t ? e->u.op.b : e->u.op.c, s);
    }
    case AST_INDEX: {
        val a = eval_expr(E, e->u.op.a, s);
        val i = eval_expr(E, e->u.op.b, s);
        val r = index_value(E, a, i);
        val_release(ctx, a);
        val_release(ctx, i);
        return r;
    }
    case AST_MEMBER: {
        val a = eval_expr(E, e->u.member.obj, s);
        val r = member_value(E, a, e->u.member.name);
        val_release(ctx, a);
        return r;
    }
    case AST_CALL: return eval_call(E, e, s);
    case AST_FUNCLIT: {
        /* the function value owns one reference to the captured scope */
        scope_retain(s);
        val f = val_func_new(ctx, e, s);
        f.u.f->env_release = scope_release;
        return f;
    }
    case AST_LET: return eval_let_expr(E, e, s);
    case AST_ASSERT:
    case AST_ECHO: {
        eval_args a;
        eval_args_eval(E, &e->u.with.args, s, &a);
        if (e->kind == AST_ECHO) eval_echo(E, &a);
        else eval_assert(E, e, &e->u.with.args, &a);
        eval_args_release(E, &a);
        return e->u.with.body ? eval_expr(E, e->u.with.body, s) : val_undef();
    }
    case AST_VECTOR: return eval_vector(E, e, s);
    case AST_RANGE: return eval_range(E, e, s);
    case AST_LC_FOR:
    case AST_LC_CFOR:
    case AST_LC_IF:
    case AST_LC_EACH: {
        /* a comprehension element outside brackets: evaluate as a one-off list */
        val_builder b;
        vb_init(&b, ctx);
        lc_element(E, e, s, &b);
        return vb_finish(&b);
    }
    default:
        fc_throw(ctx, FACET_ERR_INTERNAL, e->loc, "cannot evaluate a %s node as an expression",
                 ast_kind_name((ast_kind)e->kind));
    }
}
