/*
 * eval_stmt.c — statements: scopes of statements, module instantiation (user modules,
 * control modules, built-in modules), children(), the program entry point.
 *
 * A statement list is evaluated the way OpenSCAD does it: bare `{ }` blocks are flattened
 * into the enclosing scope; function and module definitions are visible in the whole scope;
 * all assignments run first, in order (a name assigned twice keeps its first position and
 * takes the last expression, with OpenSCAD's warning); then the instantiations run in order.
 * Every instantiation yields exactly one CSG node (a CSG_UNION group for user modules,
 * control structures and children()), so difference()/intersection() see the same operands
 * as in OpenSCAD.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#ifndef __EMSCRIPTEN__
#include <sys/resource.h>
#endif

#include "core/intern.h"
#include "core/sbuf.h"
#include "core/resolve.h"
#include "eval/eval.h"
#include "geom/text_font.h"
#include "lang/parse.h"

typedef struct stmt_list {
    const ast_node **items;
    int n, cap;
} stmt_list;

static void flatten(eval_state *E, const ast_list *l, stmt_list *out) {
    for (int i = 0; i < l->n; i++) {
        const ast_node *st = l->items[i];
        if (st->kind == AST_BLOCK) flatten(E, &st->u.list, out);
        else FC_PUSH(E->ctx, out->items, out->n, out->cap, st);
    }
}

typedef struct assign_item {
    const char *name;
    const ast_node *expr;
    fc_loc loc;            /* where the value is evaluated (the first assignment) */
    const ast_node *over;  /* the last assignment that overwrote it, or NULL */
} assign_item;

static void use_file(eval_state *E, const ast_node *u);

/* Definitions and assignments of a statement list; returns the instantiations (render pool,
 * caller frees). Overrides (-D) replace top-level assignments. */
static bool is_literal(const ast_node *e) {
    switch (e->kind) {
    case AST_UNDEF:
    case AST_BOOL:
    case AST_NUM:
    case AST_STR: return true;
    case AST_VECTOR:
        for (int i = 0; i < e->u.list.n; i++)
            if (!is_literal(e->u.list.items[i])) return false;
        return true;
    case AST_RANGE:
        return is_literal(e->u.range.begin) && is_literal(e->u.range.end) &&
               (!e->u.range.step || is_literal(e->u.range.step));
    default: return false;
    }
}

static bool is_param(const ast_args *params, const char *name) {
    for (int i = 0; params && i < params->n; i++)
        if (params->items[i].name == name) return true;
    return false;
}

/* `params`: the parameters of the module whose body this is (OpenSCAD warns when the body
 * overwrites one with a literal), or NULL. */
static void prepare_scope(eval_state *E, const ast_list *stmts, scope *s, stmt_list *inst,
                          const eval_override *ov, int nov, const ast_args *params) {
    facet_ctx *ctx = E->ctx;
    stmt_list all = {0};
    flatten(E, stmts, &all);
    assign_item *as = NULL;
    int nas = 0, capas = 0;
    for (int i = 0; i < all.n; i++) {
        const ast_node *st = all.items[i];
        switch (st->kind) {
        case AST_FUNCDEF: scope_def_func(ctx, s, st); break;
        case AST_MODDEF: scope_def_mod(ctx, s, st); break;
        case AST_USE: use_file(E, st); break;
        case AST_ASSIGN: {
            int j;
            for (j = 0; j < nas; j++)
                if (as[j].name == st->u.assign.name) break;
            if (j < nas) {
                fc_log_at(ctx, FACET_LOG_WARNING, st->loc,
                          "\"%s\" was assigned on line %d but was overwritten", as[j].name,
                          (int)as[j].loc.line);
                as[j].expr = st->u.assign.expr;
                as[j].over = st;
            } else {
                /* the parser already merged repeated assignments and noted where */
                assign_item a = {st->u.assign.name, st->u.assign.expr, st->loc,
                                 st->u.assign.overwrite_loc.line > 0 ? st : NULL};
                FC_PUSH(ctx, as, nas, capas, a);
            }
            if (st->u.assign.expr && is_param(params, st->u.assign.name) && is_literal(st->u.assign.expr))
                fc_log_at(ctx, FACET_LOG_WARNING, st->loc, "Parameter \"%s\" is overwritten with a literal",
                          st->u.assign.name);
            break;
        }
        default:
            if (inst) FC_PUSH(ctx, inst->items, inst->n, inst->cap, st);
            break;
        }
    }
    for (int k = 0; k < nov; k++) {
        int j;
        for (j = 0; j < nas; j++)
            if (as[j].name == ov[k].name) break;
        if (j < nas) {
            as[j].expr = ov[k].expr;
        } else {
            assign_item a = {ov[k].name, ov[k].expr, ov[k].expr->loc, NULL};
            FC_PUSH(ctx, as, nas, capas, a);
        }
    }
    for (int j = 0; j < nas; j++) {
        if (as[j].over) eval_push_frame(E, FRAME_OVERWRITE, as[j].name, as[j].over, as[j].loc);
        else eval_push_frame(E, FRAME_ASSIGN, as[j].name, as[j].expr, as[j].loc);
        val v = as[j].expr ? eval_expr(E, as[j].expr, s) : val_undef();
        scope_set_take(ctx, s, as[j].name, v);
        eval_pop_frame(E);
    }
    fc_free(ctx, as);
    fc_free(ctx, all.items);
}

static void eval_module_body(eval_state *E, const ast_list *stmts, scope *s, csg_node *parent,
                             const ast_args *params, const ast_node *call, const ast_node *def) {
    stmt_list inst = {0};
    prepare_scope(E, stmts, s, &inst, NULL, 0, params);
    /* OpenSCAD's trace shows "call of 'm(...)'" for errors in the body's instantiations (its
     * assignments show "assignment to" instead) */
    if (call) {
        eval_push_frame(E, FRAME_MODCALL, call->u.inst.name, call, def->loc);
        E->frames[E->nframes - 1].def = def;
    }
    for (int i = 0; i < inst.n; i++) eval_instance(E, inst.items[i], s, parent);
    if (call) eval_pop_frame(E);
    fc_free(E->ctx, inst.items);
}

void eval_body(eval_state *E, const ast_list *stmts, scope *s, csg_node *parent) {
    eval_module_body(E, stmts, s, parent, NULL, NULL, NULL);
}

/* use <file>: the file's functions and modules become visible (after the main file's own);
 * its top-level assignments are evaluated in its own scope, its instantiations ignored. */
static bool is_font_path(const char *path) {
    size_t n = strlen(path);
    if (n < 4 || path[n - 4] != '.') return false;
    char e[3] = {(char)(path[n - 3] | 32), (char)(path[n - 2] | 32), (char)(path[n - 1] | 32)};
    return (e[0] == 't' || e[0] == 'o') && e[1] == 't' && e[2] == 'f';
}

/* `use <font.ttf>` (the parser keeps it without a program) makes the font available to
 * text() for the rest of the session, as OpenSCAD registers it with fontconfig. A missing
 * file was already warned about by the parser; OpenSCAD then also reports the font. */
static void use_font(eval_state *E, const ast_node *u) {
    const char *path = u->u.use.path;
    const char *data = NULL;
    size_t len = 0;
    if (!path || !is_font_path(path)) return;
    if (fc_read(E->ctx, path, &data, &len) != 0) {
        fc_log_at(E->ctx, FACET_LOG_ERROR, FC_NOLOC, "Can't read font with path '%s'", path);
        return;
    }
    text_font_register(E->ctx, path, data, len, u->loc);
}

static void use_file(eval_state *E, const ast_node *u) {
    const ast_program *p = u->u.use.prog;
    if (!p) {
        use_font(E, u);
        return;
    }
    for (int i = 0; i < E->nuses; i++)
        if (E->uses[i].prog == p) return;
    scope *sc = scope_new(E->ctx, NULL, NULL);
    eval_use eu = {p, sc};
    FC_PUSH(E->ctx, E->uses, E->nuses, E->capuses, eu);
    prepare_scope(E, &p->stmts, sc, NULL, NULL, 0, NULL);
}

/* ------------------------------------------------------------------ helpers */

static csg_node *group_node(eval_state *E, fc_loc loc) { return csg_new(E->ctx, CSG_UNION, loc); }

static int count_instances(eval_state *E, const ast_list *l) {
    int n = 0;
    for (int i = 0; i < l->n; i++) {
        const ast_node *st = l->items[i];
        if (st->kind == AST_BLOCK) n += count_instances(E, &st->u.list);
        else if (st->kind == AST_INSTANCE || st->kind == AST_IF) n++;
    }
    return n;
}

/* Children of an instance evaluated in a new scope under `s` into `parent`. */
static void eval_children_block(eval_state *E, const ast_node *inst, scope *s, csg_node *parent) {
    if (inst->u.inst.children.n == 0) return;
    scope *cs = scope_new(E->ctx, s, s);
    eval_body(E, &inst->u.inst.children, cs, parent);
    scope_release(E->ctx, cs);
}

/* Iterates one binding of a for statement: calls back with each iteration scope. */
typedef void (*iter_fn)(eval_state *E, const ast_node *inst, scope *it, csg_node *out);

static void for_nested(eval_state *E, const ast_node *inst, int k, scope *s, csg_node *out, iter_fn fn) {
    facet_ctx *ctx = E->ctx;
    const ast_args *args = &inst->u.inst.args;
    if (k == args->n) {
        fn(E, inst, s, out);
        return;
    }
    const ast_arg *b = &args->items[k];
    val it = b->expr ? eval_expr(E, b->expr, s) : val_undef();
    const char *name = b->name;
    if (!name) {
        /* for (expr) without a name: iterate without binding */
        name = fc_intern_cstr(ctx, "");
    }
    if (it.type == VAL_RANGE) {
        uint64_t n = eval_range_iterations(E, it.u.r, inst->loc, "in for statement");
        for (uint64_t i = 0; i < n; i++) {
            fc_step(ctx);
            scope *ns = scope_new(ctx, s, s);
            scope_set_take(ctx, ns, name, val_num(val_range_at(it.u.r, i)));
            for_nested(E, inst, k + 1, ns, out, fn);
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
            scope_set_take(ctx, ns, name, item);
            for_nested(E, inst, k + 1, ns, out, fn);
            scope_release(ctx, ns);
        }
    } else if (it.type != VAL_UNDEF) {
        scope *ns = scope_new(ctx, s, s);
        val_retain(it);
        scope_set_take(ctx, ns, name, it);
        for_nested(E, inst, k + 1, ns, out, fn);
        scope_release(ctx, ns);
    }
    val_release(ctx, it);
}

static void for_body(eval_state *E, const ast_node *inst, scope *it, csg_node *out) {
    eval_children_block(E, inst, it, out);
}

static void intersection_body(eval_state *E, const ast_node *inst, scope *it, csg_node *out) {
    csg_node *g = group_node(E, inst->loc);
    eval_children_block(E, inst, it, g);
    csg_add_child(E->ctx, out, g);
}

/* ------------------------------------------------------------------ children() */

static void child_at(eval_state *E, const ast_node *at, stmt_list *items, double d, scope *cs,
                     csg_node *out) {
    int n = items->n;
    if (!(d >= 0 && d < n)) {
        fc_log_at(E->ctx, FACET_LOG_WARNING, at->loc, "Children index (%d) out of bounds (%d children)",
                  (int)d, n);
        return;
    }
    eval_instance(E, items->items[(int)d], cs, out);
}

static csg_node *eval_children_call(eval_state *E, const ast_node *at, scope *s) {
    facet_ctx *ctx = E->ctx;
    csg_node *out = group_node(E, at->loc);
    if (at->u.inst.children.n > 0)
        fc_log_at(ctx, FACET_LOG_WARNING, at->loc, "module children() does not support child modules");
    scope_inst *in = NULL;
    for (scope *l = s; l; l = l->parent)
        if (l->inst) {
            in = l->inst;
            break;
        }
    eval_args a;
    eval_args_eval(E, &at->u.inst.args, s, &a);
    if (!in) {
        eval_args_release(E, &a);
        return out;
    }
    /* the children's assignments live in a scope under the instantiation's scope */
    scope *cs = scope_new(ctx, in->caller, s);
    stmt_list items = {0};
    prepare_scope(E, &in->node->u.inst.children, cs, &items, NULL, 0, NULL);
    if (a.n == 0) {
        for (int i = 0; i < items.n; i++) eval_instance(E, items.items[i], cs, out);
    } else {
        val v = a.vals[0];
        if (v.type == VAL_NUM) {
            child_at(E, at, &items, v.u.n, cs, out);
        } else if (v.type == VAL_VEC) {
            for (uint32_t i = 0; i < v.u.v->n; i++)
                if (v.u.v->items[i].type == VAL_NUM) child_at(E, at, &items, v.u.v->items[i].u.n, cs, out);
        } else if (v.type == VAL_RANGE) {
            uint64_t n = eval_range_iterations(E, v.u.r, at->loc, "for children");
            for (uint64_t i = 0; i < n; i++) {
                fc_step(ctx);
                child_at(E, at, &items, val_range_at(v.u.r, i), cs, out);
            }
        } else {
            fc_log_at(ctx, FACET_LOG_WARNING, at->loc, "Bad parameter type (%s) for children, only accept: empty, number, vector, range.",
                      val_type_name((val_type)v.type));
        }
    }
    fc_free(ctx, items.items);
    scope_release(ctx, cs);
    eval_args_release(E, &a);
    return out;
}

/* ------------------------------------------------------------------ user modules */

/* "m(angle = 270)": positional arguments are shown with the parameter they bind to. */
static void print_call(sbuf *b, const ast_node *inst, const ast_node *def) {
    sb_printf(b, "%s(", inst->u.inst.name);
    int pos = 0;
    for (int i = 0; i < inst->u.inst.args.n; i++) {
        const ast_arg *a = &inst->u.inst.args.items[i];
        if (i) sb_puts(b, ", ");
        const char *name = a->name;
        if (!name && def && pos < def->u.def.params.n) name = def->u.def.params.items[pos].name;
        if (!a->name) pos++;
        if (name) sb_printf(b, "%s = ", name);
        if (a->expr) ast_print_expr(b, a->expr);
    }
    sb_putc(b, ')');
}

static csg_node *eval_user_module(eval_state *E, const ast_node *inst, const ast_node *def,
                                  scope *env, scope *s) {
    facet_ctx *ctx = E->ctx;
    eval_args a;
    eval_args_eval(E, &inst->u.inst.args, s, &a);
    E->depth++;
    /* the frame goes first so that the failing instantiation heads the trace */
    eval_push_frame(E, FRAME_MODULE, inst->u.inst.name, inst, inst->loc);
    eval_check_stack(E, "module", inst->u.inst.name, inst->loc);
    scope *ms = eval_bind(E, &def->u.def.params, &a, env, s);
    eval_args_release(E, &a);
    FC_PUSH(ctx, E->modstack, E->nmod, E->capmod, inst->u.inst.name);
    scope_set_take(ctx, ms, E->n_children, val_num(count_instances(E, &inst->u.inst.children)));
    scope_set_take(ctx, ms, E->n_parent_modules, val_num(E->nmod));
    ms->inst = fc_calloc(ctx, 1, sizeof *ms->inst);
    ms->inst->node = inst;
    ms->inst->caller = s;
    ms->inst->name = inst->u.inst.name;
    scope_retain(s);
    csg_node *node = group_node(E, inst->loc);
    const ast_node *body = def->u.def.body;
    if (body) {
        if (body->kind == AST_BLOCK) {
            eval_module_body(E, &body->u.list, ms, node, &def->u.def.params, inst, def);
        } else {
            ast_list one = {(ast_node **)&def->u.def.body, 1};
            eval_module_body(E, &one, ms, node, &def->u.def.params, inst, def);
        }
    }
    E->nmod--;
    scope_release(ctx, ms);
    eval_pop_frame(E);
    E->depth--;
    return node;
}

/* ------------------------------------------------------------------ built-in modules */

static csg_node *eval_builtin_module(eval_state *E, const ast_node *inst, const mod_entry *m, scope *s) {
    facet_ctx *ctx = E->ctx;
    mod_call mc;
    memset(&mc, 0, sizeof mc);
    mc.E = E;
    mc.node = inst;
    eval_args_eval(E, &inst->u.inst.args, s, &mc.args);
    scope *is = scope_new(ctx, s, s);
    for (int i = 0; i < mc.args.n; i++)
        if (mc.args.names[i] && scope_is_special(mc.args.names[i])) {
            val_retain(mc.args.vals[i]);
            scope_set_take(ctx, is, mc.args.names[i], mc.args.vals[i]);
        }
    mc.s = is;
    csg_node *node = m->fn(&mc);
    eval_args_release(E, &mc.args);
    scope_release(ctx, is);
    return node;
}

/* echo/assert/let/for/intersection_for/children: modules the evaluator implements. */
static csg_node *eval_control(eval_state *E, const ast_node *inst, scope *s, bool *handled) {
    facet_ctx *ctx = E->ctx;
    const char *name = inst->u.inst.name;
    *handled = true;
    if (strcmp(name, "children") == 0) return eval_children_call(E, inst, s);
    if (strcmp(name, "for") == 0) {
        csg_node *g = group_node(E, inst->loc);
        for_nested(E, inst, 0, s, g, for_body);
        return g;
    }
    if (strcmp(name, "intersection_for") == 0) {
        csg_node *g = csg_new(ctx, CSG_INTERSECTION, inst->loc);
        for_nested(E, inst, 0, s, g, intersection_body);
        return g;
    }
    if (strcmp(name, "let") == 0) {
        scope *ls = eval_let_scope(E, &inst->u.inst.args, s);
        csg_node *g = group_node(E, inst->loc);
        eval_children_block(E, inst, ls, g);
        scope_release(ctx, ls);
        return g;
    }
    if (strcmp(name, "echo") == 0 || strcmp(name, "assert") == 0) {
        eval_args a;
        eval_push_frame(E, FRAME_BUILTIN, name, inst, inst->loc);
        eval_args_eval(E, &inst->u.inst.args, s, &a);
        if (name[0] == 'e') eval_echo(E, &a);
        else eval_assert(E, inst, &inst->u.inst.args, &a);
        eval_pop_frame(E);
        eval_args_release(E, &a);
        /* a childless echo/assert contributes no node at all */
        if (inst->u.inst.children.n == 0) return NULL;
        csg_node *g = group_node(E, inst->loc);
        eval_children_block(E, inst, s, g);
        return g;
    }
    *handled = false;
    return NULL;
}

static csg_node *instance_node(eval_state *E, const ast_node *st, scope *s) {
    facet_ctx *ctx = E->ctx;
    fc_step(ctx);
    if (st->kind == AST_IF) {
        val c = eval_expr(E, st->u.cond.cond, s);
        bool t = val_truthy(c);
        val_release(ctx, c);
        const ast_node *br = t ? st->u.cond.then : st->u.cond.els;
        /* OpenSCAD makes no node for an `if` whose condition selects no branch (false
         * without else): it is not even an empty operand of an intersection. A branch that
         * is taken but empty still gives an empty group, which is one. */
        if (!br) return NULL;
        csg_node *g = group_node(E, st->loc);
        scope *bs = scope_new(ctx, s, s);
        if (br->kind == AST_BLOCK) {
            eval_body(E, &br->u.list, bs, g);
        } else {
            ast_node *one[1] = {(ast_node *)br};
            ast_list l = {one, 1};
            eval_body(E, &l, bs, g);
        }
        scope_release(ctx, bs);
        return g;
    }
    if (st->kind != AST_INSTANCE) return NULL;
    const char *name = st->u.inst.name;
    const scope *where = NULL;
    const ast_node *def = scope_find_mod(s, name, &where);
    scope *env = (scope *)where;
    if (!def) {
        for (int i = E->nuses - 1; i >= 0 && !def; i--) {
            def = scope_find_mod(E->uses[i].sc, name, &where);
            env = E->uses[i].sc;
        }
    }
    if (def) return eval_user_module(E, st, def, env, s);
    bool handled;
    csg_node *n = eval_control(E, st, s, &handled);
    if (handled) return n;
    const mod_entry *m = mod_lookup(name);
    if (m) return eval_builtin_module(E, st, m, s);
    fc_log_at(ctx, FACET_LOG_WARNING, st->loc, "Ignoring unknown module '%s'", name);
    return NULL;
}

void eval_instance(eval_state *E, const ast_node *st, scope *s, csg_node *parent) {
    int mod = st->kind == AST_INSTANCE ? st->modifier : 0;
    if (mod & MOD_DISABLE) return;
    csg_node *n = instance_node(E, st, s);
    if (!n) return;
    if (mod & MOD_HIGHLIGHT) n->highlight = true;
    if (mod & MOD_BACKGROUND) n->background = true;
    if (mod & MOD_ROOT) {
        if (!E->root) E->root = n;
        else fc_log_at(E->ctx, FACET_LOG_WARNING, st->loc, "More than one Root Modifier (!)");
    }
    csg_add_child(E->ctx, parent, n);
}

/* ------------------------------------------------------------------ program */

static void build_trace(eval_state *E) {
    facet_ctx *ctx = E->ctx;
    if (ctx->err_trace[0] || E->nframes == 0) return;
    int n = E->nframes;
    for (int k = n - 1; k >= 0; k--) {
        if (n > 24 && k < n - 12 && k >= 12) {
            if (k == n - 13) fc_error_trace(ctx, "  *** Excluding %d frames ***", n - 24);
            continue;
        }
        const eval_frame *f = &E->frames[k];
        char where[600];
        fc_loc_suffix(ctx, f->loc, where, sizeof where);
        switch (f->kind) {
        case FRAME_FUNCTION:
        case FRAME_MODULE:
        case FRAME_BUILTIN: fc_error_trace(ctx, "called by '%s'%s", f->name, where); break;
        case FRAME_ASSIGN: fc_error_trace(ctx, "assignment to \"%s\"%s", f->name, where); break;
        case FRAME_OVERWRITE: {
            char where2[600];
            fc_loc l2 = f->node->kind == AST_ASSIGN && f->node->u.assign.overwrite_loc.line > 0
                            ? f->node->u.assign.overwrite_loc
                            : f->node->loc;
            fc_loc_suffix(ctx, l2, where2, sizeof where2);
            fc_error_trace(ctx, "overwritten assignment to \"%s\" (this is where the assignment is evaluated)%s",
                           f->name, where);
            fc_error_trace(ctx, "overwriting assignment to \"%s\"%s", f->name, where2);
            break;
        }
        case FRAME_MODCALL: {
            char buf[512];
            sbuf b;
            sb_init(&b, ctx);
            print_call(&b, f->node, f->def);
            snprintf(buf, sizeof buf, "%s", b.data);
            fc_error_trace(ctx, "call of '%s'%s", buf, where);
            break;
        }
        }
    }
}

/* How much C stack evaluation may use: 5 MiB of the usual 8 MiB main-thread stack, less when
 * the process runs with a smaller stack limit (1 MiB is left for the geometry stage's and
 * the host's own frames). The wasm build's stack is fixed at link time (16 MiB, wasm/wasm.mk)
 * and its frames are larger than native ones, so it gets 14 MiB to recurse as deep as the
 * native build (OpenSCAD manages f(n) = 1 + f(n - 1) to n = 2000 and more). */
static size_t stack_budget(void) {
    size_t budget = (size_t)5 << 20;
#ifdef __EMSCRIPTEN__
    budget = (size_t)14 << 20;
#else
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        size_t lim = (size_t)rl.rlim_cur;
        size_t room = lim > ((size_t)2 << 20) ? lim - ((size_t)1 << 20) : lim / 2;
        if (room < budget) budget = room;
    }
#endif
    return budget;
}

/* After evaluating, OpenSCAD sets its camera from the $vpr, $vpt and $vpd the model assigns
 * (at top level or with -D), in every export: one it cannot use is a warning, and a usable
 * one turns off the automatic view, which it also reports. */
static bool assigns(const ast_program *prog, const eval_override *ov, int nov, const char *name) {
    for (int i = 0; i < nov; i++)
        if (ov[i].name == name) return true;
    for (int i = 0; i < prog->stmts.n; i++) {
        const ast_node *st = prog->stmts.items[i];
        if (st->kind == AST_ASSIGN && st->u.assign.name == name) return true;
    }
    return false;
}

static bool vec23_of_numbers(val v) {
    if (v.type != VAL_VEC || (v.u.v->n != 2 && v.u.v->n != 3)) return false;
    for (uint32_t i = 0; i < v.u.v->n; i++)
        if (v.u.v->items[i].type != VAL_NUM) return false;
    return true;
}

static void check_viewport(eval_state *E, const ast_program *prog, const eval_override *ov, int nov) {
    facet_ctx *ctx = E->ctx;
    static const char *const names[] = {"$vpr", "$vpt", "$vpd"};
    bool used = false;
    for (int k = 0; k < 3; k++) {
        const char *name = fc_intern_cstr(ctx, names[k]);
        if (!assigns(prog, ov, nov, name)) continue;
        val *v = scope_get_local(E->top, name);
        if (!v) continue;
        bool ok = k < 2 ? vec23_of_numbers(*v) : v->type == VAL_NUM;
        if (ok) {
            used = true;
            continue;
        }
        sbuf b;
        sb_init(&b, ctx);
        val_format(ctx, &b, *v);
        fc_log(ctx, FACET_LOG_WARNING, "Unable to convert %s=%s to %s", names[k], b.data,
               k < 2 ? "a vec3 or vec2 of numbers" : "a number");
    }
    if (used) fc_log(ctx, FACET_LOG_WARNING, "Viewall and autocenter disabled in favor of $vp*");
}

csg_node *eval_program(facet_ctx *ctx, ast_program *prog, const eval_override *ov, int nov) {
    char base;
    eval_state *E = fc_calloc(ctx, 1, sizeof *E);
    E->ctx = ctx;
    ctx->eval = E;
    E->stack_base = (uintptr_t)&base;
    E->stack_budget = stack_budget();
    E->n_fn = fc_intern_cstr(ctx, "$fn");
    E->n_fa = fc_intern_cstr(ctx, "$fa");
    E->n_fs = fc_intern_cstr(ctx, "$fs");
    E->n_children = fc_intern_cstr(ctx, "$children");
    E->n_parent_modules = fc_intern_cstr(ctx, "$parent_modules");
    E->n_preview = fc_intern_cstr(ctx, "$preview");
    E->top = scope_new(ctx, NULL, NULL);
    /* OpenSCAD's predefined special variables */
    scope_set_take(ctx, E->top, E->n_fn, val_num(0));
    scope_set_take(ctx, E->top, E->n_fa, val_num(12));
    scope_set_take(ctx, E->top, E->n_fs, val_num(2));
    scope_set_take(ctx, E->top, fc_intern_cstr(ctx, "$t"), val_num(0));
    scope_set_take(ctx, E->top, E->n_preview, val_bool(ctx->opt.preview != 0));
    scope_set_take(ctx, E->top, E->n_children, val_num(0));
    scope_set_take(ctx, E->top, E->n_parent_modules, val_num(0));
    scope_set_take(ctx, E->top, fc_intern_cstr(ctx, "$vpr"), val_vec3(ctx, 55, 0, 25));
    scope_set_take(ctx, E->top, fc_intern_cstr(ctx, "$vpt"), val_vec3(ctx, 0, 0, 0));
    scope_set_take(ctx, E->top, fc_intern_cstr(ctx, "$vpd"), val_num(140));
    scope_set_take(ctx, E->top, fc_intern_cstr(ctx, "$vpf"), val_num(22.5));
    scope_set_take(ctx, E->top, fc_intern_cstr(ctx, "PI"), val_num(3.14159265358979323846));

    csg_node *root = csg_new(ctx, CSG_UNION, FC_NOLOC);
    fc_jmp j;
    fc_try_begin(ctx, &j);
    if (setjmp(j.buf) == 0) {
        stmt_list inst = {0};
        prepare_scope(E, &prog->stmts, E->top, &inst, ov, nov, NULL);
        for (int i = 0; i < inst.n; i++) eval_instance(E, inst.items[i], E->top, root);
        fc_try_end(ctx, &j);
    } else {
        fc_try_end(ctx, &j);
        build_trace(E);
        fc_rethrow(ctx);
    }
    check_viewport(E, prog, ov, nov);
    if (E->root) {
        csg_node *r = csg_new(ctx, CSG_UNION, E->root->loc);
        csg_add_child(ctx, r, E->root);
        return r;
    }
    return root;
}
