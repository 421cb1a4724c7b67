/*
 * ast.h — the syntax tree the parser builds and the evaluator walks.
 *
 * One node type for expressions and statements, tagged by `kind`, every node carrying its
 * source location. Names are interned (core/intern.h): compare them by pointer. Nodes live
 * in the context's render pool and are never freed individually.
 *
 * Grammar notes that shape the tree:
 *  - `for`, `let`, `echo`, `assert`, `intersection_for`, `children` in statement position
 *    are ordinary module instantiations (AST_INSTANCE); the evaluator gives them meaning.
 *    `if`/`else` has its own node because `else` is syntax.
 *  - `include <f>` is spliced by the parser: the included file's statements appear in place
 *    (their nodes keep their own file in `loc`). `use <f>` becomes an AST_USE node holding
 *    the used file's program.
 *  - Inside `[ ... ]`, list-comprehension elements are AST_LC_* nodes; a plain vector
 *    element is any expression.
 */
#ifndef FC_AST_H
#define FC_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ctx.h"

typedef enum ast_kind {
    /* expressions */
    AST_UNDEF,    /* undef */
    AST_BOOL,     /* true / false: u.b */
    AST_NUM,      /* number literal: u.num */
    AST_STR,      /* string literal, escapes decoded, UTF-8: u.str */
    AST_IDENT,    /* variable reference: u.ident */
    AST_UNARY,    /* u.op.a with op in ast_op (-, +, !, ~) */
    AST_BINARY,   /* u.op.a <op> u.op.b */
    AST_TERNARY,  /* u.op.a ? u.op.b : u.op.c */
    AST_INDEX,    /* u.op.a [ u.op.b ] */
    AST_MEMBER,   /* u.member.obj . u.member.name (x, y, z, or swizzles like xy) */
    AST_CALL,     /* u.call.callee ( u.call.args ): callee is any expression */
    AST_FUNCLIT,  /* function (params) body: u.func */
    AST_LET,      /* let (bindings) body: u.with (also the list-comprehension form) */
    AST_ASSERT,   /* assert (args) body: u.with; body may be NULL */
    AST_ECHO,     /* echo (args) body: u.with; body may be NULL */
    AST_VECTOR,   /* [ items ]: u.list */
    AST_RANGE,    /* [ begin : step : end ]: u.range (step NULL when omitted) */
    AST_LC_FOR,   /* for (bindings) body: u.with, inside a vector */
    AST_LC_CFOR,  /* for (init; cond; update) body: u.cfor, inside a vector */
    AST_LC_IF,    /* if (cond) then [else els]: u.cond, inside a vector */
    AST_LC_EACH,  /* each expr: u.op.a, inside a vector */

    /* statements */
    AST_ASSIGN,   /* name = expr;  u.assign */
    AST_INSTANCE, /* [modifier] name(args) child | { children } | ;  u.inst */
    AST_IF,       /* if (cond) then [else els]: u.cond, branches are AST_BLOCK */
    AST_BLOCK,    /* { statements }: u.list (also a bare `;` as an empty block) */
    AST_MODDEF,   /* module name(params) body: u.def (body is an AST_BLOCK) */
    AST_FUNCDEF,  /* function name(params) = expr;  u.def (body is the expression) */
    AST_USE,      /* use <path>: u.use */
    AST_KIND_COUNT
} ast_kind;

typedef enum ast_op {
    OP_NONE,
    /* unary */
    OP_NEG, OP_POS, OP_NOT, OP_BITNOT,
    /* binary */
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_POW,
    OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE,
    OP_AND, OP_OR,
    OP_BITAND, OP_BITOR, OP_SHL, OP_SHR,
    OP_COUNT
} ast_op;

/* Statement modifiers: ! root, # highlight, % background, * disable. */
enum { MOD_ROOT = 1, MOD_HIGHLIGHT = 2, MOD_BACKGROUND = 4, MOD_DISABLE = 8 };

typedef struct ast_node ast_node;
typedef struct ast_program ast_program;

/* An argument `name = expr` or `expr` (name NULL); also a parameter `name` or
 * `name = default` (expr NULL when there is no default), and a binding in let/for. */
typedef struct ast_arg {
    const char *name; /* interned, or NULL */
    ast_node *expr;
    fc_loc loc;
} ast_arg;

typedef struct ast_args {
    ast_arg *items;
    int n;
} ast_args;

typedef struct ast_list {
    ast_node **items;
    int n;
} ast_list;

struct ast_node {
    unsigned char kind;     /* ast_kind */
    unsigned char op;       /* ast_op for UNARY/BINARY */
    unsigned char modifier; /* MOD_* for INSTANCE */
    fc_loc loc;
    union {
        double num;
        bool b;
        struct { const char *s; size_t len; } str;
        struct { const char *name; } ident;
        struct { ast_node *a, *b, *c; } op;
        struct { ast_node *obj; const char *name; } member;
        struct { ast_node *callee; ast_args args; } call;
        struct { ast_args params; ast_node *body; } func;
        struct { ast_args args; ast_node *body; } with;
        ast_list list;
        struct { ast_node *begin, *step, *end; } range;
        struct { ast_args init; ast_node *cond; ast_args update; ast_node *body; } cfor;
        struct { ast_node *cond, *then, *els; } cond;
        struct {
            const char *name;
            ast_node *expr;
            /* When a later `name = ...` in the same scope replaced expr (OpenSCAD keeps
             * the first position and the last value, and warns): where that happened;
             * line 0 otherwise. */
            fc_loc overwrite_loc;
        } assign;
        struct {
            const char *name; /* module name (interned) */
            ast_args args;
            ast_list children; /* child statements (a single child or a braced list) */
        } inst;
        struct {
            const char *name;
            ast_args params;
            ast_node *body; /* AST_BLOCK for modules, an expression for functions */
        } def;
        struct { const char *path; ast_program *prog; } use;
    } u;
};

/* A parsed file (with includes spliced in). */
struct ast_program {
    int file;        /* index in the context's file table */
    ast_list stmts;  /* top-level statements in source order */
};

/* Allocation helpers for the parser (render pool). */
ast_node *ast_new(facet_ctx *ctx, ast_kind kind, fc_loc loc);
const char *ast_kind_name(ast_kind kind);
const char *ast_op_name(ast_op op); /* "+", "<=", "!", ... */

/* True for a list-comprehension element: AST_LC_*, or an AST_LET whose body is one (the
 * `let` of a comprehension, which splices its body's elements into the enclosing vector). */
bool ast_is_lc(const ast_node *e);

#endif
