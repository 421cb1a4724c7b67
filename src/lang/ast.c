/*
 * ast.c — node allocation and the names of kinds and operators.
 */
#include "lang/ast.h"

ast_node *ast_new(facet_ctx *ctx, ast_kind kind, fc_loc loc) {
    ast_node *n = fc_calloc(ctx, 1, sizeof *n);
    n->kind = (unsigned char)kind;
    n->loc = loc;
    return n;
}

static const char *const kind_names[AST_KIND_COUNT] = {
    [AST_UNDEF] = "undef",      [AST_BOOL] = "bool",         [AST_NUM] = "number",
    [AST_STR] = "string",       [AST_IDENT] = "identifier",  [AST_UNARY] = "unary",
    [AST_BINARY] = "binary",    [AST_TERNARY] = "ternary",   [AST_INDEX] = "index",
    [AST_MEMBER] = "member",    [AST_CALL] = "call",         [AST_FUNCLIT] = "function literal",
    [AST_LET] = "let",          [AST_ASSERT] = "assert",     [AST_ECHO] = "echo",
    [AST_VECTOR] = "vector",    [AST_RANGE] = "range",       [AST_LC_FOR] = "lc-for",
    [AST_LC_CFOR] = "lc-for-c", [AST_LC_IF] = "lc-if",       [AST_LC_EACH] = "lc-each",
    [AST_ASSIGN] = "assignment", [AST_INSTANCE] = "instance", [AST_IF] = "if",
    [AST_BLOCK] = "block",      [AST_MODDEF] = "module",     [AST_FUNCDEF] = "function",
    [AST_USE] = "use",
};

const char *ast_kind_name(ast_kind kind) {
    return (unsigned)kind < AST_KIND_COUNT && kind_names[kind] ? kind_names[kind] : "?";
}

static const char *const op_names[OP_COUNT] = {
    [OP_NONE] = "",    [OP_NEG] = "-",    [OP_POS] = "+",     [OP_NOT] = "!",
    [OP_BITNOT] = "~", [OP_ADD] = "+",    [OP_SUB] = "-",     [OP_MUL] = "*",
    [OP_DIV] = "/",    [OP_MOD] = "%",    [OP_POW] = "^",     [OP_LT] = "<",
    [OP_LE] = "<=",    [OP_GT] = ">",     [OP_GE] = ">=",     [OP_EQ] = "==",
    [OP_NE] = "!=",    [OP_AND] = "&&",   [OP_OR] = "||",     [OP_BITAND] = "&",
    [OP_BITOR] = "|",  [OP_SHL] = "<<",   [OP_SHR] = ">>",
};

const char *ast_op_name(ast_op op) { return (unsigned)op < OP_COUNT ? op_names[op] : "?"; }

bool ast_is_lc(const ast_node *e) {
    /* a comprehension `let` chain is as deep as the parser allowed: iterate, not recurse */
    while (e && e->kind == AST_LET) e = e->u.with.body;
    if (!e) return false;
    switch (e->kind) {
    case AST_LC_FOR:
    case AST_LC_CFOR:
    case AST_LC_IF:
    case AST_LC_EACH: return true;
    default: return false;
    }
}
