/*
 * print.c — an expression back to source text, the way OpenSCAD prints expressions (echo of
 * a function literal, assertion messages): binary and ternary operations fully
 * parenthesised, ", " between arguments, " = " in named arguments, and comprehension
 * elements with their bodies in parentheses.
 *
 * Numbers are printed by a local copy of OpenSCAD's rule (six significant digits, see
 * print_num); the values module's val_format_num is the reference, not linked here so that
 * the front end stays testable on its own.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "lang/parse.h"

/* Six significant digits; plain decimals for exponents -5..5, otherwise scientific with an
 * unpadded exponent ("1e+6", "2.5e-7"): what OpenSCAD prints. */
static void print_num(sbuf *b, double d) {
    char buf[64];
    if (isnan(d)) {
        sb_puts(b, "nan");
        return;
    }
    if (isinf(d)) {
        sb_puts(b, d < 0 ? "-inf" : "inf");
        return;
    }
    if (d == 0) {
        sb_puts(b, signbit(d) ? "-0" : "0");
        return;
    }
    snprintf(buf, sizeof buf, "%.5e", d);
    char *e = strchr(buf, 'e');
    int exp = atoi(e + 1);
    if (exp < -5 || exp >= 6) {
        /* mantissa without trailing zeros, then the exponent without padding */
        char *m = e;
        while (m[-1] == '0') m--;
        if (m[-1] == '.') m--;
        sb_put(b, buf, (size_t)(m - buf));
        sb_printf(b, "e%c%d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        return;
    }
    snprintf(buf, sizeof buf, "%.*f", 5 - exp, d);
    size_t n = strlen(buf);
    if (strchr(buf, '.')) {
        while (buf[n - 1] == '0') n--;
        if (buf[n - 1] == '.') n--;
    }
    sb_put(b, buf, n);
}

static void print_str(sbuf *b, const char *s, size_t n) {
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '"': sb_puts(b, "\\\""); break;
        case '\\': sb_puts(b, "\\\\"); break;
        case '\n': sb_puts(b, "\\n"); break;
        case '\t': sb_puts(b, "\\t"); break;
        case '\r': sb_puts(b, "\\r"); break;
        default: sb_putc(b, s[i]); break;
        }
    }
    sb_putc(b, '"');
}

static void print_args(sbuf *b, const ast_args *a) {
    for (int i = 0; i < a->n; i++) {
        if (i) sb_puts(b, ", ");
        if (a->items[i].name) {
            sb_puts(b, a->items[i].name);
            if (a->items[i].expr) sb_puts(b, " = ");
        }
        if (a->items[i].expr) ast_print_expr(b, a->items[i].expr);
    }
}

/* "(" body ")" for comprehension bodies */
static void print_paren(sbuf *b, const ast_node *e) {
    sb_putc(b, '(');
    ast_print_expr(b, e);
    sb_putc(b, ')');
}

void ast_print_expr(sbuf *b, const ast_node *e) {
    if (!e) return;
    switch ((ast_kind)e->kind) {
    case AST_UNDEF: sb_puts(b, "undef"); break;
    case AST_BOOL: sb_puts(b, e->u.b ? "true" : "false"); break;
    case AST_NUM: print_num(b, e->u.num); break;
    case AST_STR: print_str(b, e->u.str.s, e->u.str.len); break;
    case AST_IDENT: sb_puts(b, e->u.ident.name); break;
    case AST_UNARY:
        sb_puts(b, ast_op_name((ast_op)e->op));
        ast_print_expr(b, e->u.op.a);
        break;
    case AST_BINARY:
        sb_putc(b, '(');
        ast_print_expr(b, e->u.op.a);
        sb_printf(b, " %s ", ast_op_name((ast_op)e->op));
        ast_print_expr(b, e->u.op.b);
        sb_putc(b, ')');
        break;
    case AST_TERNARY:
        sb_putc(b, '(');
        ast_print_expr(b, e->u.op.a);
        sb_puts(b, " ? ");
        ast_print_expr(b, e->u.op.b);
        sb_puts(b, " : ");
        ast_print_expr(b, e->u.op.c);
        sb_putc(b, ')');
        break;
    case AST_INDEX:
        ast_print_expr(b, e->u.op.a);
        sb_putc(b, '[');
        ast_print_expr(b, e->u.op.b);
        sb_putc(b, ']');
        break;
    case AST_MEMBER:
        ast_print_expr(b, e->u.member.obj);
        sb_putc(b, '.');
        sb_puts(b, e->u.member.name);
        break;
    case AST_CALL:
        /* a call through an expression prints that expression in parentheses */
        if (e->u.call.callee->kind == AST_IDENT) ast_print_expr(b, e->u.call.callee);
        else print_paren(b, e->u.call.callee);
        sb_putc(b, '(');
        print_args(b, &e->u.call.args);
        sb_putc(b, ')');
        break;
    case AST_FUNCLIT:
        sb_puts(b, "function(");
        print_args(b, &e->u.func.params);
        sb_puts(b, ") ");
        ast_print_expr(b, e->u.func.body);
        break;
    case AST_LET:
        sb_puts(b, "let(");
        print_args(b, &e->u.with.args);
        sb_puts(b, ") ");
        if (ast_is_lc(e->u.with.body)) print_paren(b, e->u.with.body);
        else ast_print_expr(b, e->u.with.body);
        break;
    case AST_ASSERT:
    case AST_ECHO:
        sb_puts(b, e->kind == AST_ASSERT ? "assert(" : "echo(");
        print_args(b, &e->u.with.args);
        sb_putc(b, ')');
        if (e->u.with.body) {
            sb_putc(b, ' ');
            ast_print_expr(b, e->u.with.body);
        }
        break;
    case AST_VECTOR:
        sb_putc(b, '[');
        for (int i = 0; i < e->u.list.n; i++) {
            if (i) sb_puts(b, ", ");
            ast_print_expr(b, e->u.list.items[i]);
        }
        sb_putc(b, ']');
        break;
    case AST_RANGE:
        sb_putc(b, '[');
        ast_print_expr(b, e->u.range.begin);
        if (e->u.range.step) {
            sb_puts(b, " : ");
            ast_print_expr(b, e->u.range.step);
        }
        sb_puts(b, " : ");
        ast_print_expr(b, e->u.range.end);
        sb_putc(b, ']');
        break;
    case AST_LC_FOR:
        sb_puts(b, "for(");
        print_args(b, &e->u.with.args);
        sb_puts(b, ") ");
        print_paren(b, e->u.with.body);
        break;
    case AST_LC_CFOR:
        sb_puts(b, "for(");
        print_args(b, &e->u.cfor.init);
        sb_putc(b, ';');
        ast_print_expr(b, e->u.cfor.cond);
        sb_putc(b, ';');
        print_args(b, &e->u.cfor.update);
        sb_puts(b, ") ");
        ast_print_expr(b, e->u.cfor.body);
        break;
    case AST_LC_IF:
        sb_puts(b, "if(");
        ast_print_expr(b, e->u.cond.cond);
        sb_puts(b, ") ");
        print_paren(b, e->u.cond.then);
        if (e->u.cond.els) {
            sb_puts(b, " else ");
            print_paren(b, e->u.cond.els);
        }
        break;
    case AST_LC_EACH:
        sb_puts(b, "each ");
        print_paren(b, e->u.op.a);
        break;
    default:
        /* statements are not expressions; print their kind so a misuse is visible */
        sb_printf(b, "<%s>", ast_kind_name((ast_kind)e->kind));
        break;
    }
}
