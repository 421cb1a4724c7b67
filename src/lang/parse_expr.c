/*
 * parse_expr.c — expressions, vectors, ranges and list comprehensions.
 *
 * Locations follow OpenSCAD's: a node starts where its whole construct starts, so a binary
 * operation carries the location of its left operand (warnings about it name that line).
 *
 * Binary operators go through one precedence table with left/right binding powers (as in
 * Lua's lparser.c). The levels follow OpenSCAD's grammar, loosest first:
 *
 *     ||   &&   == !=   < <= > >=   |   &   << >>   + -   * / %
 *
 * then the prefix operators (- + ! ~), then `^`, whose left operand is a postfix expression
 * and whose right operand is again a prefix expression: so -2^2 is -(2^2), 2^-1 works and
 * 2^3^2 is 2^(3^2). `function`, `let`, `assert`, `echo` and `?:` sit above all binary
 * operators (they are whole expressions, as in OpenSCAD: `1 + let(a=1) a` is an error).
 *
 * As OpenSCAD's parser does, unary plus leaves no node and unary minus applied to a number
 * literal folds into the literal (the customizer and the printer rely on `-5` being one
 * number).
 */
#include <string.h>

#include "lang/parser.h"

static ast_node *new_node(parser *p, ast_kind kind, fc_loc loc) { return ast_new(p->ctx, kind, loc); }

/* Whether a token can begin an expression (the optional body of assert and echo). */
static bool starts_expr(int k) {
    switch (k) {
    case TK_FUNCTION: case TK_LET: case TK_ASSERT: case TK_ECHO: case TK_TRUE: case TK_FALSE:
    case TK_UNDEF: case TK_NUM: case TK_STR: case TK_ID: case '-': case '+': case '!': case '~':
    case '(': case '[':
        return true;
    default:
        return false;
    }
}

static const struct {
    int tok;
    ast_op op;
    int left, right; /* binding powers: the loop continues while left > limit */
} binops[] = {
    {TK_OR, OP_OR, 1, 1},      {TK_AND, OP_AND, 2, 2},   {TK_EQ, OP_EQ, 3, 3},
    {TK_NE, OP_NE, 3, 3},      {'<', OP_LT, 4, 4},       {TK_LE, OP_LE, 4, 4},
    {'>', OP_GT, 4, 4},        {TK_GE, OP_GE, 4, 4},     {'|', OP_BITOR, 5, 5},
    {'&', OP_BITAND, 6, 6},    {TK_SHL, OP_SHL, 7, 7},   {TK_SHR, OP_SHR, 7, 7},
    {'+', OP_ADD, 8, 8},       {'-', OP_SUB, 8, 8},      {'*', OP_MUL, 9, 9},
    {'/', OP_DIV, 9, 9},       {'%', OP_MOD, 9, 9},
};

static int find_binop(int tok) {
    for (int i = 0; i < (int)(sizeof binops / sizeof binops[0]); i++)
        if (binops[i].tok == tok) return i;
    return -1;
}

static ast_node *parse_vector(parser *p);
static ast_node *parse_vector_element(parser *p);
static ast_node *expr_from(parser *p, ast_node *primary);

static ast_node *parse_ident(parser *p) {
    ast_node *n = new_node(p, AST_IDENT, p->tok.loc);
    n->u.ident.name = p->tok.name;
    parse_advance(p);
    return n;
}

/* primary -> true | false | undef | NUMBER | STRING | ID | '(' expr ')' | vector | range */
static ast_node *parse_primary(parser *p) {
    lex_token *t = &p->tok;
    ast_node *n;
    switch (t->kind) {
    case TK_TRUE:
    case TK_FALSE:
        n = new_node(p, AST_BOOL, t->loc);
        n->u.b = t->kind == TK_TRUE;
        parse_advance(p);
        return n;
    case TK_UNDEF:
        n = new_node(p, AST_UNDEF, t->loc);
        parse_advance(p);
        return n;
    case TK_NUM:
        n = new_node(p, AST_NUM, t->loc);
        n->u.num = t->num;
        parse_advance(p);
        return n;
    case TK_STR:
        n = new_node(p, AST_STR, t->loc);
        n->u.str.s = t->str;
        n->u.str.len = t->len;
        parse_advance(p);
        return n;
    case TK_ID: return parse_ident(p);
    case '(': return parse_paren_expr(p);
    case '[': return parse_vector(p);
    default: parse_error(p);
    }
}

/* call -> primary ( '(' arguments ')' | '[' expr ']' | '.' ID )* */
static ast_node *parse_postfix(parser *p, ast_node *n) {
    int chain = 0;
    for (;;) {
        ast_node *m;
        if (p->tok.kind == '(') {
            parse_enter(p, "brackets");
            parse_advance(p);
            m = new_node(p, AST_CALL, n->loc);
            m->u.call.callee = n;
            parse_arguments(p, &m->u.call.args, false);
            parse_leave(p);
        } else if (p->tok.kind == '[') {
            parse_enter(p, "brackets");
            parse_advance(p);
            m = new_node(p, AST_INDEX, n->loc);
            m->u.op.a = n;
            m->u.op.b = parse_expr(p);
            parse_expect(p, ']');
            parse_leave(p);
        } else if (p->tok.kind == '.') {
            parse_advance(p);
            if (p->tok.kind != TK_ID) parse_error(p);
            m = new_node(p, AST_MEMBER, n->loc);
            m->u.member.obj = n;
            m->u.member.name = p->tok.name;
            parse_advance(p);
        } else {
            return n;
        }
        parse_check_chain(p, ++chain, "expressions");
        n = m;
    }
}

static ast_node *parse_unary(parser *p);

/* exponent -> call ( '^' unary )? */
static ast_node *parse_exponent(parser *p, ast_node *primary) {
    ast_node *base = parse_postfix(p, primary ? primary : parse_primary(p));
    if (p->tok.kind != '^') return base;
    ast_node *n = new_node(p, AST_BINARY, base->loc);
    parse_advance(p);
    n->op = OP_POW;
    n->u.op.a = base;
    parse_enter(p, "expressions");
    n->u.op.b = parse_unary(p);
    parse_leave(p);
    return n;
}

/* unary -> ( '-' | '+' | '!' | '~' ) unary | exponent */
static ast_node *parse_unary(parser *p) {
    int k = p->tok.kind;
    if (k != '-' && k != '+' && k != '!' && k != '~') return parse_exponent(p, NULL);
    fc_loc loc = p->tok.loc;
    parse_enter(p, "expressions");
    parse_advance(p);
    ast_node *a = parse_unary(p);
    parse_leave(p);
    if (k == '+') return a;
    if (k == '-' && a->kind == AST_NUM) {
        a->u.num = -a->u.num;
        a->loc = loc;
        return a;
    }
    ast_node *n = new_node(p, AST_UNARY, loc);
    n->op = k == '-' ? OP_NEG : k == '!' ? OP_NOT : OP_BITNOT;
    n->u.op.a = a;
    return n;
}

/* subexpr -> unary ( binop subexpr )*   with binding powers above `limit` */
static ast_node *parse_subexpr(parser *p, int limit, ast_node *primary) {
    ast_node *left = primary ? parse_exponent(p, primary) : parse_unary(p);
    int chain = 0;
    for (;;) {
        int i = find_binop(p->tok.kind);
        if (i < 0 || binops[i].left <= limit) return left;
        ast_node *n = new_node(p, AST_BINARY, left->loc);
        parse_advance(p);
        n->op = (unsigned char)binops[i].op;
        n->u.op.a = left;
        parse_enter(p, "expressions");
        n->u.op.b = parse_subexpr(p, binops[i].right, NULL);
        parse_leave(p);
        parse_check_chain(p, ++chain, "expressions");
        left = n;
    }
}

/* The part of `expr` after its logic_or operand: an optional ternary. */
static ast_node *finish_ternary(parser *p, ast_node *cond) {
    if (p->tok.kind != '?') return cond;
    ast_node *n = new_node(p, AST_TERNARY, cond->loc);
    parse_advance(p);
    n->u.op.a = cond;
    parse_enter(p, "expressions");
    n->u.op.b = parse_expr(p);
    parse_expect(p, ':');
    n->u.op.c = parse_expr(p);
    parse_leave(p);
    return n;
}

/* An expression whose first primary was already parsed (a parenthesised `let`). */
static ast_node *expr_from(parser *p, ast_node *primary) {
    return finish_ternary(p, parse_subexpr(p, 0, primary));
}

/* with -> ( 'let' | 'assert' | 'echo' ) '(' arguments ')' body */
static ast_node *parse_with(parser *p, ast_kind kind) {
    ast_node *n = new_node(p, kind, p->tok.loc);
    parse_advance(p);
    parse_enter(p, "brackets");
    parse_expect(p, '(');
    parse_arguments(p, &n->u.with.args, false);
    parse_leave(p);
    return n;
}

/* expr -> 'function' '(' parameters ')' expr
 *       | 'let' '(' arguments ')' expr
 *       | ( 'assert' | 'echo' ) '(' arguments ')' expr?
 *       | logic_or ( '?' expr ':' expr )? */
ast_node *parse_expr(parser *p) {
    ast_node *n;
    parse_enter(p, "expressions");
    switch (p->tok.kind) {
    case TK_FUNCTION:
        n = new_node(p, AST_FUNCLIT, p->tok.loc);
        parse_advance(p);
        parse_enter(p, "brackets");
        parse_expect(p, '(');
        parse_arguments(p, &n->u.func.params, true);
        parse_leave(p);
        n->u.func.body = parse_expr(p);
        break;
    case TK_LET:
        n = parse_with(p, AST_LET);
        n->u.with.body = parse_expr(p);
        break;
    case TK_ASSERT:
    case TK_ECHO:
        n = parse_with(p, p->tok.kind == TK_ASSERT ? AST_ASSERT : AST_ECHO);
        /* the body is optional: present exactly when the next token can start one */
        n->u.with.body = starts_expr(p->tok.kind) ? parse_expr(p) : NULL;
        break;
    default: n = finish_ternary(p, parse_subexpr(p, 0, NULL)); break;
    }
    parse_leave(p);
    return n;
}

/* argument -> expr | ID '=' expr;   parameter -> ID | ID '=' expr */
void parse_arguments(parser *p, ast_args *out, bool params) {
    int cap = 0;
    out->items = NULL;
    out->n = 0;
    while (p->tok.kind != ')') {
        ast_arg a = {NULL, NULL, p->tok.loc};
        if (params) {
            if (p->tok.kind != TK_ID) parse_error(p);
            a.name = p->tok.name;
            parse_advance(p);
            if (parse_accept(p, '=')) a.expr = parse_expr(p);
        } else if (p->tok.kind == TK_ID && parse_peek(p)->kind == '=') {
            a.name = p->tok.name;
            parse_advance(p);
            parse_advance(p);
            a.expr = parse_expr(p);
        } else {
            a.expr = parse_expr(p);
        }
        FC_PUSH(p->ctx, out->items, out->n, cap, a);
        if (!parse_accept(p, ',')) break;
    }
    parse_expect(p, ')');
}

/* lc_for -> 'for' '(' arguments ')' element
 *         | 'for' '(' arguments ';' expr ';' arguments ')' element */
static ast_node *parse_lc_for(parser *p) {
    fc_loc loc = p->tok.loc;
    parse_advance(p);
    parse_enter(p, "brackets");
    parse_expect(p, '(');
    ast_args init = {NULL, 0};
    int cap = 0;
    /* the arguments list ends at ')' (plain for) or ';' (C-style for) */
    while (p->tok.kind != ')' && p->tok.kind != ';') {
        ast_arg a = {NULL, NULL, p->tok.loc};
        if (p->tok.kind == TK_ID && parse_peek(p)->kind == '=') {
            a.name = p->tok.name;
            parse_advance(p);
            parse_advance(p);
        }
        a.expr = parse_expr(p);
        FC_PUSH(p->ctx, init.items, init.n, cap, a);
        if (!parse_accept(p, ',')) break;
    }
    ast_node *n;
    if (parse_accept(p, ';')) {
        n = new_node(p, AST_LC_CFOR, loc);
        n->u.cfor.init = init;
        n->u.cfor.cond = parse_expr(p);
        parse_expect(p, ';');
        parse_arguments(p, &n->u.cfor.update, false);
        parse_leave(p);
        n->u.cfor.body = parse_vector_element(p);
    } else {
        parse_expect(p, ')');
        parse_leave(p);
        n = new_node(p, AST_LC_FOR, loc);
        n->u.with.args = init;
        n->u.with.body = parse_vector_element(p);
    }
    return n;
}

/* element -> lc | '(' lc ')' | expr
 * lc -> lc_for | 'each' element | 'if' '(' expr ')' element ( 'else' element )?
 *     | 'let' '(' arguments ')' ( lc | '(' lc ')' )
 * A `let` followed by an ordinary expression is the expression `let`; the two only part
 * after the arguments, so both are parsed by the same code and told apart by their body. */
static ast_node *parse_vector_element(parser *p) {
    ast_node *n;
    parse_enter(p, "expressions");
    switch (p->tok.kind) {
    case TK_FOR: n = parse_lc_for(p); break;
    case TK_EACH:
        n = new_node(p, AST_LC_EACH, p->tok.loc);
        parse_advance(p);
        n->u.op.a = parse_vector_element(p);
        break;
    case TK_IF:
        n = new_node(p, AST_LC_IF, p->tok.loc);
        parse_advance(p);
        n->u.cond.cond = parse_paren_expr(p);
        n->u.cond.then = parse_vector_element(p);
        n->u.cond.els = parse_accept(p, TK_ELSE) ? parse_vector_element(p) : NULL;
        break;
    case TK_LET:
        n = parse_with(p, AST_LET);
        n->u.with.body = parse_vector_element(p);
        break;
    case '(': {
        int k = parse_peek(p)->kind;
        if (k != TK_FOR && k != TK_EACH && k != TK_IF && k != TK_LET) {
            n = parse_expr(p);
            break;
        }
        parse_enter(p, "brackets");
        parse_advance(p);
        n = parse_vector_element(p);
        parse_expect(p, ')');
        parse_leave(p);
        /* `(let (...) expr)` was an ordinary parenthesised expression: continue it */
        if (!ast_is_lc(n)) n = expr_from(p, n);
        break;
    }
    default: n = parse_expr(p); break;
    }
    parse_leave(p);
    return n;
}

/* vector -> '[' ']' | '[' element ( ',' element )* ','? ']'
 * range  -> '[' expr ':' expr ']' | '[' expr ':' expr ':' expr ']' */
static ast_node *parse_vector(parser *p) {
    fc_loc loc = p->tok.loc;
    parse_enter(p, "brackets");
    parse_advance(p);
    ast_node *n = new_node(p, AST_VECTOR, loc);
    int cap = 0;
    if (p->tok.kind != ']') {
        ast_node *first = parse_vector_element(p);
        if (p->tok.kind == ':' && !ast_is_lc(first)) {
            parse_advance(p);
            n->kind = AST_RANGE;
            n->u.range.begin = first;
            ast_node *second = parse_expr(p);
            if (parse_accept(p, ':')) {
                n->u.range.step = second;
                n->u.range.end = parse_expr(p);
            } else {
                n->u.range.end = second;
            }
            parse_expect(p, ']');
            parse_leave(p);
            return n;
        }
        FC_PUSH(p->ctx, n->u.list.items, n->u.list.n, cap, first);
        while (parse_accept(p, ',')) {
            if (p->tok.kind == ']') break;
            ast_node *e = parse_vector_element(p);
            FC_PUSH(p->ctx, n->u.list.items, n->u.list.n, cap, e);
        }
    }
    parse_expect(p, ']');
    parse_leave(p);
    return n;
}

ast_node *parse_paren_expr(parser *p) {
    parse_enter(p, "brackets");
    parse_expect(p, '(');
    ast_node *n = parse_expr(p);
    parse_expect(p, ')');
    parse_leave(p);
    return n;
}
