/*
 * parse.c — statements and files: a recursive-descent parser for OpenSCAD's grammar
 * (the development version's parser.y), one function per rule, each headed by its rule.
 *
 * Shape of the tree (see ast.h):
 *  - Braces never open a scope in OpenSCAD, so `{ ... }` in statement position is spliced
 *    into the enclosing list and a bare `;` leaves nothing. Scopes are: a file's top level,
 *    a module body, the children of an instantiation, each branch of an `if`.
 *  - Within a scope, assigning a name twice keeps the first position with the last value
 *    and warns, at parse time, exactly as OpenSCAD's parser does (the evaluator sees one
 *    assignment; `overwrite_loc` says where the value came from).
 *  - `*` (disable) drops the statement, as OpenSCAD does; `!`, `#`, `%` set `modifier`.
 *  - OpenSCAD appends "\n\x03\n" to the main file (its command-line assignments follow the
 *    \x03); we do the same so that syntax errors at the end of the file name the same line.
 *  - use<> files are parsed after the main file, each once (a cache by resolved path also
 *    ends use cycles); font files (.ttf/.otf) are left to text(). A used file with a syntax
 *    error is logged as an ERROR and skipped (its AST_USE has no program).
 */
#include <string.h>

#include "core/resolve.h"
#include "lang/parse.h"
#include "lang/parser.h"

/* ---- token helpers ---- */

void parse_advance(parser *p) {
    fc_tick(p->ctx);
    if (p->has_ahead) {
        p->tok = p->ahead;
        p->has_ahead = false;
    } else {
        lex_next(&p->lx, &p->tok);
    }
}

const lex_token *parse_peek(parser *p) {
    if (!p->has_ahead) {
        lex_next(&p->lx, &p->ahead);
        p->has_ahead = true;
    }
    return &p->ahead;
}

_Noreturn void parse_error(parser *p) { lex_syntax_error(&p->lx, &p->tok); }

void parse_expect(parser *p, int kind) {
    if (p->tok.kind != kind) parse_error(p);
    parse_advance(p);
}

bool parse_accept(parser *p, int kind) {
    if (p->tok.kind != kind) return false;
    parse_advance(p);
    return true;
}

_Noreturn static void too_deep(parser *p, const char *what) {
    fc_throw(p->ctx, FACET_ERR_SYNTAX, p->tok.loc,
             "Parser error: too many nested %s (limit is %d) in file %s, line %d", what,
             PARSE_MAX_DEPTH, fc_file_display(p->ctx, p->tok.loc.file), p->tok.loc.line);
}

void parse_enter(parser *p, const char *what) {
    if (++p->depth > PARSE_MAX_DEPTH) too_deep(p, what);
}

void parse_check_chain(parser *p, int extra, const char *what) {
    if (p->depth + extra > PARSE_MAX_DEPTH) too_deep(p, what);
}

/* ---- statement lists with OpenSCAD's reassignment rule ---- */

typedef struct scope_list {
    ast_node **items;
    int n, cap;
    /* index of the assignment of each name: open addressing on the interned pointer */
    const char **keys;
    int *idx;
    int mcap, mcount;
} scope_list;

static size_t name_slot(const char *name, int mcap) {
    uintptr_t h = (uintptr_t)name;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) & (size_t)(mcap - 1);
}

static int *map_find(parser *p, scope_list *sl, const char *name, bool insert) {
    if (insert && (sl->mcount + 1) * 2 > sl->mcap) {
        int ncap = sl->mcap ? sl->mcap * 2 : 16;
        const char **keys = fc_calloc(p->ctx, (size_t)ncap, sizeof *keys);
        int *idx = fc_calloc(p->ctx, (size_t)ncap, sizeof *idx);
        for (int i = 0; i < sl->mcap; i++) {
            if (!sl->keys[i]) continue;
            size_t j = name_slot(sl->keys[i], ncap);
            while (keys[j]) j = (j + 1) & (size_t)(ncap - 1);
            keys[j] = sl->keys[i];
            idx[j] = sl->idx[i];
        }
        fc_free(p->ctx, sl->keys);
        fc_free(p->ctx, sl->idx);
        sl->keys = keys;
        sl->idx = idx;
        sl->mcap = ncap;
    }
    if (!sl->mcap) return NULL;
    size_t j = name_slot(name, sl->mcap);
    while (sl->keys[j]) {
        if (sl->keys[j] == name) return &sl->idx[j];
        j = (j + 1) & (size_t)(sl->mcap - 1);
    }
    if (!insert) return NULL;
    sl->keys[j] = name;
    sl->mcount++;
    return &sl->idx[j];
}

/* OpenSCAD's wording depends on which files the two assignments come from. */
static void warn_reassignment(parser *p, const ast_node *prev, const ast_node *cur) {
    facet_ctx *ctx = p->ctx;
    int main_file = p->session->main_file;
    fc_loc pl = prev->loc, cl = cur->loc;
    const char *name = cur->u.assign.name;
    if (pl.file == main_file && cl.file == main_file) {
        fc_log_at(ctx, FACET_LOG_WARNING, cl, "\"%s\" was assigned on line %d but was overwritten",
                  name, pl.line);
    } else if (pl.file == cl.file ? pl.line != cl.line : pl.file == main_file) {
        fc_log_at(ctx, FACET_LOG_WARNING, cl,
                  "\"%s\" was assigned on line %d of \"%s\" but was overwritten", name, pl.line,
                  fc_file_display(ctx, pl.file));
    }
}

static void add_stmt(parser *p, scope_list *sl, ast_node *n) {
    if (n->kind == AST_ASSIGN) {
        int *slot = map_find(p, sl, n->u.assign.name, false);
        if (slot) {
            ast_node *prev = sl->items[*slot];
            warn_reassignment(p, prev, n);
            prev->u.assign.expr = n->u.assign.expr;
            prev->u.assign.overwrite_loc = n->loc;
            return;
        }
        *map_find(p, sl, n->u.assign.name, true) = sl->n;
    }
    FC_PUSH(p->ctx, sl->items, sl->n, sl->cap, n);
}

static ast_list finish_list(parser *p, scope_list *sl) {
    fc_free(p->ctx, sl->keys);
    fc_free(p->ctx, sl->idx);
    return (ast_list){sl->items, sl->n};
}

static ast_node *block_of(parser *p, scope_list *sl, fc_loc loc) {
    ast_node *b = ast_new(p->ctx, AST_BLOCK, loc);
    b->u.list = finish_list(p, sl);
    return b;
}

/* ---- statements ---- */

static void parse_statement(parser *p, scope_list *sl);
static ast_node *parse_instantiation(parser *p);

static bool at_assignment(parser *p) {
    return p->tok.kind == TK_ID && parse_peek(p)->kind == '=';
}

/* assignment -> ID '=' expr ';' */
static ast_node *parse_assignment(parser *p) {
    ast_node *n = ast_new(p->ctx, AST_ASSIGN, p->tok.loc);
    n->u.assign.name = p->tok.name;
    parse_advance(p);
    parse_expect(p, '=');
    n->u.assign.expr = parse_expr(p);
    parse_expect(p, ';');
    return n;
}

/* child_statement -> ';' | '{' ( child_statement | assignment )* '}' | module_instantiation */
static void parse_child_statement(parser *p, scope_list *sl) {
    if (parse_accept(p, ';')) return;
    if (p->tok.kind == '{') {
        parse_enter(p, "brackets");
        parse_advance(p);
        while (p->tok.kind != '}') {
            if (at_assignment(p)) add_stmt(p, sl, parse_assignment(p));
            else parse_child_statement(p, sl);
        }
        parse_advance(p);
        parse_leave(p);
        return;
    }
    ast_node *n = parse_instantiation(p);
    if (n) add_stmt(p, sl, n);
}

/* A child statement in a scope of its own, as an AST_BLOCK. */
static ast_node *parse_child_block(parser *p) {
    scope_list sl = {0};
    fc_loc loc = p->tok.loc;
    parse_child_statement(p, &sl);
    return block_of(p, &sl, loc);
}

/* module_instantiation -> ( '!' | '#' | '%' | '*' ) module_instantiation
 *                       | 'if' '(' expr ')' child_statement ( 'else' child_statement )?
 *                       | module_id '(' arguments ')' child_statement
 * module_id -> ID | 'for' | 'let' | 'assert' | 'echo' | 'each' */
static ast_node *parse_instantiation(parser *p) {
    ast_node *n = NULL;
    int k = p->tok.kind;
    parse_enter(p, "statements");
    switch (k) {
    case '!':
    case '#':
    case '%':
    case '*':
        parse_advance(p);
        n = parse_instantiation(p);
        if (n && k == '*') n = NULL;
        else if (n) n->modifier |= k == '!' ? MOD_ROOT : k == '#' ? MOD_HIGHLIGHT : MOD_BACKGROUND;
        break;
    case TK_IF:
        n = ast_new(p->ctx, AST_IF, p->tok.loc);
        parse_advance(p);
        n->u.cond.cond = parse_paren_expr(p);
        n->u.cond.then = parse_child_block(p);
        n->u.cond.els = parse_accept(p, TK_ELSE) ? parse_child_block(p) : NULL;
        break;
    case TK_ID:
    case TK_FOR:
    case TK_LET:
    case TK_ASSERT:
    case TK_ECHO:
    case TK_EACH: {
        n = ast_new(p->ctx, AST_INSTANCE, p->tok.loc);
        n->u.inst.name = p->tok.name;
        parse_advance(p);
        parse_enter(p, "brackets");
        parse_expect(p, '(');
        parse_arguments(p, &n->u.inst.args, false);
        parse_leave(p);
        scope_list sl = {0};
        parse_child_statement(p, &sl);
        n->u.inst.children = finish_list(p, &sl);
        break;
    }
    default: parse_error(p);
    }
    parse_leave(p);
    return n;
}

/* statement -> ';' | '{' statement* '}' | module_instantiation | assignment
 *            | 'module' ID '(' parameters ')' statement
 *            | 'function' ID '(' parameters ')' '=' expr ';'
 *            | EOT */
static void parse_statement(parser *p, scope_list *sl) {
    ast_node *n;
    switch (p->tok.kind) {
    case ';':
    case TK_EOT: parse_advance(p); return;
    case '{':
        parse_enter(p, "brackets");
        parse_advance(p);
        while (p->tok.kind != '}') parse_statement(p, sl);
        parse_advance(p);
        parse_leave(p);
        return;
    case TK_MODULE: {
        n = ast_new(p->ctx, AST_MODDEF, p->tok.loc);
        parse_advance(p);
        if (p->tok.kind != TK_ID) parse_error(p);
        n->u.def.name = p->tok.name;
        parse_advance(p);
        parse_enter(p, "statements");
        parse_expect(p, '(');
        parse_arguments(p, &n->u.def.params, true);
        scope_list body = {0};
        fc_loc loc = p->tok.loc;
        parse_statement(p, &body);
        n->u.def.body = block_of(p, &body, loc);
        parse_leave(p);
        break;
    }
    case TK_FUNCTION:
        n = ast_new(p->ctx, AST_FUNCDEF, p->tok.loc);
        parse_advance(p);
        if (p->tok.kind != TK_ID) parse_error(p);
        n->u.def.name = p->tok.name;
        parse_advance(p);
        parse_expect(p, '(');
        parse_arguments(p, &n->u.def.params, true);
        parse_expect(p, '=');
        n->u.def.body = parse_expr(p);
        parse_expect(p, ';');
        break;
    default:
        if (at_assignment(p)) {
            n = parse_assignment(p);
        } else {
            n = parse_instantiation(p);
            if (!n) return;
        }
        break;
    }
    add_stmt(p, sl, n);
}

/* ---- files ---- */

static bool is_font(const char *path) {
    size_t n = strlen(path);
    if (n < 4) return false;
    const char *e = path + n - 4;
    return e[0] == '.' && (e[1] | 32) == 't' && (e[2] | 32) == 't' && (e[3] | 32) == 'f'
        ? true
        : e[0] == '.' && (e[1] | 32) == 'o' && (e[2] | 32) == 't' && (e[3] | 32) == 'f';
}

/* input -> ( statement | USE )* EOF */
static void parse_file(facet_ctx *ctx, parse_session *s, ast_program *prog, const char *src,
                       size_t len) {
    parser p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.session = s;
    lex_init(&p.lx, ctx, prog->file, src, len, s->main_file);
    parse_advance(&p);
    scope_list top = {0};
    while (p.tok.kind != TK_EOF) {
        if (p.tok.kind != TK_USE) {
            parse_statement(&p, &top);
            continue;
        }
        ast_node *u = ast_new(ctx, AST_USE, p.tok.loc);
        u->u.use.path = p.tok.str;
        if (p.tok.found && !is_font(p.tok.str)) FC_PUSH(ctx, s->pending, s->npending, s->cappending, u);
        add_stmt(&p, &top, u);
        parse_advance(&p);
    }
    prog->stmts = finish_list(&p, &top);
}

static ast_program *new_program(facet_ctx *ctx, parse_session *s, int file) {
    ast_program *prog = fc_calloc(ctx, 1, sizeof *prog);
    prog->file = file;
    const char *path = fc_file_path(ctx, file);
    FC_GROW(ctx, s->use_paths, s->capuse, s->nuse + 1);
    s->use_progs = fc_realloc_array(ctx, s->use_progs, (size_t)s->capuse, sizeof *s->use_progs);
    s->use_paths[s->nuse] = path;
    s->use_progs[s->nuse] = prog;
    s->nuse++;
    return prog;
}

/* A syntax error in a used file is reported and the library skipped, as OpenSCAD does
 * ("ERROR: Parser error: ..." and the main file still runs); other errors propagate. */
static bool parse_used(facet_ctx *ctx, parse_session *s, ast_program *prog, const char *data,
                       size_t len) {
    fc_jmp j;
    volatile bool ok = false;
    fc_try_begin(ctx, &j);
    if (setjmp(j.buf) == 0) {
        parse_file(ctx, s, prog, data, len);
        ok = true;
    }
    fc_try_end(ctx, &j);
    if (ok) return true;
    if (ctx->err.kind != FACET_ERR_SYNTAX) fc_rethrow(ctx);
    fc_log(ctx, FACET_LOG_ERROR, "%s", ctx->err.message);
    fc_error_clear(ctx);
    prog->stmts = (ast_list){NULL, 0};
    return false;
}

/* Parses every used file not seen yet; the queue grows while it is worked through. */
static void load_uses(facet_ctx *ctx, parse_session *s) {
    for (int i = 0; i < s->npending; i++) {
        ast_node *u = s->pending[i];
        const char *path = u->u.use.path;
        for (int k = 0; k < s->nuse; k++)
            if (strcmp(s->use_paths[k], path) == 0) u->u.use.prog = s->use_progs[k];
        if (u->u.use.prog) continue;
        const char *data;
        size_t len;
        if (fc_read(ctx, path, &data, &len) != 0) continue;
        int file = fc_file_add(ctx, path, lex_display_path(ctx, s->main_file, path));
        ast_program *prog = new_program(ctx, s, file);
        u->u.use.prog = prog;
        if (!parse_used(ctx, s, prog, data, len)) u->u.use.prog = NULL;
    }
}

ast_program *parse_program(facet_ctx *ctx, int file, const char *src, size_t len) {
    parse_session s;
    memset(&s, 0, sizeof s);
    s.main_file = file;
    char *text = fc_alloc(ctx, len + 4);
    if (len) memcpy(text, src, len);
    memcpy(text + len, "\n\x03\n", 4);
    ast_program *prog = new_program(ctx, &s, file);
    parse_file(ctx, &s, prog, text, len + 3);
    load_uses(ctx, &s);
    return prog;
}

ast_node *parse_expression(facet_ctx *ctx, int file, const char *src, size_t len) {
    parse_session s;
    memset(&s, 0, sizeof s);
    s.main_file = file;
    parser p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.session = &s;
    lex_init(&p.lx, ctx, file, src, len, file);
    parse_advance(&p);
    ast_node *e = parse_expr(&p);
    parse_accept(&p, ';');
    if (p.tok.kind != TK_EOF) parse_error(&p);
    return e;
}
