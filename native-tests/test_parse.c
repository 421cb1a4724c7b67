/*
 * test_parse.c — the parser: every grammar rule, precedence, locations, syntax errors with
 * line and column, include/use, reassignment warnings, the nesting limit, large inputs, and
 * the whole corpus.
 *
 * Expected strings come from OpenSCAD: the printed forms follow OpenSCAD's expression
 * printer, the messages and line numbers were checked against OpenSCAD 2021.01 (Debian) and
 * the echo corpus (OpenSCAD's development version), and data/lang/ast-openscad-2021.01.tsv
 * holds the top-level assignments and functions of the corpus as OpenSCAD 2021.01 prints
 * them with `openscad -o x.ast` (rows where 2021.01 differs from the development grammar —
 * it splits `for (a = .., b = ..)` into nested loops — were left out).
 */
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include "core/sbuf.h"
#include "lang/parse.h"

static const char *data_dir(void) { return tu_env("FACET_TESTDATA", "native-tests/data"); }
static const char *corpus_dir(void) { return tu_env("FACET_CORPUS", "../shared/corpus"); }

/* Parses `src` as file `name` (relative paths resolve from the data/lang folder). */
static ast_program *parse_named(facet_ctx *ctx, const char *name, const char *src) {
    char path[1024];
    snprintf(path, sizeof path, "%s/lang/%s", data_dir(), name);
    ast_program *volatile prog = NULL;
    TU_PROTECT(ctx) {
        int file = fc_file_add(ctx, path, name);
        prog = parse_program(ctx, file, src, strlen(src));
    }
    return prog;
}

static ast_program *parse_ok(facet_ctx *ctx, const char *src) {
    ast_program *prog = parse_named(ctx, "t.scad", src);
    if (ctx->err.kind != FACET_ERR_OK) fail_msg("parse failed: %s\n%s", ctx->err.message, src);
    return prog;
}

static ast_program *parse_text(facet_ctx *ctx, const char *path, const char *src, size_t len) {
    const char *base = strrchr(path, '/');
    ast_program *volatile prog = NULL;
    TU_PROTECT(ctx) {
        int file = fc_file_add(ctx, path, base ? base + 1 : path);
        prog = parse_program(ctx, file, src, len);
    }
    return prog;
}

static ast_program *parse_file_at(facet_ctx *ctx, const char *path) {
    size_t len = 0;
    char *src = tu_slurp(path, &len);
    if (!src) fail_msg("cannot read %s", path);
    ast_program *prog = parse_text(ctx, path, src, len);
    free(src);
    return prog;
}

/* The expression of `x = <expr>;` printed. */
static void check_expr(const char *expr, const char *expected) {
    facet_ctx *ctx = tu_ctx();
    char src[2048];
    snprintf(src, sizeof src, "x = %s;", expr);
    ast_program *prog = parse_ok(ctx, src);
    assert_int_equal(prog->stmts.n, 1);
    assert_int_equal(prog->stmts.items[0]->kind, AST_ASSIGN);
    sbuf b;
    sb_init(&b, ctx);
    ast_print_expr(&b, prog->stmts.items[0]->u.assign.expr);
    sb_putc(&b, '\0');
    if (strcmp(b.data, expected) != 0)
        fail_msg("%s\n  expected %s\n  got      %s", expr, expected, b.data);
    tu_ctx_free(ctx);
}

static void test_precedence(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"1+2*3", "(1 + (2 * 3))"},
        {"1-2-3", "((1 - 2) - 3)"},
        {"8/4/2", "((8 / 4) / 2)"},
        {"a+b%c", "(a + (b % c))"},
        {"-2^2", "-(2 ^ 2)"},
        {"2^3^2", "(2 ^ (3 ^ 2))"},
        {"2^-1", "(2 ^ -1)"},
        {"-x^2", "-(x ^ 2)"},
        {"a*b^c", "(a * (b ^ c))"},
        {"a^b*c", "((a ^ b) * c)"},
        {"a||b&&c", "(a || (b && c))"},
        {"a&&b||c", "((a && b) || c)"},
        {"a==b<c", "(a == (b < c))"},
        {"a==b!=c", "((a == b) != c)"},
        {"a<b<=c", "((a < b) <= c)"},
        {"a<b|c", "(a < (b | c))"},
        {"a|b&c", "(a | (b & c))"},
        {"a&b<<c", "(a & (b << c))"},
        {"a<<b+c", "(a << (b + c))"},
        {"a>>b>>c", "((a >> b) >> c)"},
        {"!a==b", "(!a == b)"},
        {"~a&b", "(~a & b)"},
        {"!!a", "!!a"},
        {"a?b:c?d:e", "(a ? b : (c ? d : e))"},
        {"a||b?c:d", "((a || b) ? c : d)"},
        {"a?b?c:d:e", "(a ? (b ? c : d) : e)"},
        {"true && !false || undef", "((true && !false) || undef)"},
        {"(1+2)*3", "((1 + 2) * 3)"},
        {"+a", "a"},
        {"-+a", "-a"},
        {"-5", "-5"},
        {"- -5", "5"},
        {"-(5)", "-5"},
        {"-\"s\"", "-\"s\""},
        {"-(a)", "-a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_expr(cases[i][0], cases[i][1]);
}

static void test_primaries_and_postfix(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"0x1F", "31"},
        {"1e3", "1000"},
        {".5", "0.5"},
        {"1.", "1"},
        {"1.5e-3", "0.0015"},
        {"1e-6", "1e-6"},
        {"123456789", "1.23457e+8"},
        {"0.00001", "0.00001"},
        {"true", "true"},
        {"undef", "undef"},
        {"\"a\\tb\\n\\\\\\\"\"", "\"a\\tb\\n\\\\\\\"\""},
        {"$fn", "$fn"},
        {"a.x", "a.x"},
        {"a.xy", "a.xy"},
        {"v.rgba", "v.rgba"},
        {"a.x[0].y", "a.x[0].y"},
        {"a[1][2]", "a[1][2]"},
        {"f(1)(2)", "(f(1))(2)"},
        {"f(a, b=2)", "f(a, b = 2)"},
        {"f(a, b=2,)", "f(a, b = 2)"},
        {"f()", "f()"},
        {"[1:2]", "[1 : 2]"},
        {"[1:2:3]", "[1 : 2 : 3]"},
        {"[-1:-1:-3]", "[-1 : -1 : -3]"},
        {"[]", "[]"},
        {"[1,2,]", "[1, 2]"},
        {"[[1],[2,[3]]]", "[[1], [2, [3]]]"},
        {"function(x, y=2) x+y", "function(x, y = 2) (x + y)"},
        {"function() 1", "function() 1"},
        {"function(x) function(y) x+y", "function(x) function(y) (x + y)"},
        {"(function(x) x)(2)", "(function(x) x)(2)"},
        {"let(a=1, b=a) a+b", "let(a = 1, b = a) (a + b)"},
        {"echo(\"a\")", "echo(\"a\")"},
        {"echo(a=1) 5", "echo(a = 1) 5"},
        {"assert(x, \"m\") y", "assert(x, \"m\") y"},
        {"assert(x)", "assert(x)"},
        {"echo(1) -1", "echo(1) -1"},
        {"a ? let(b=1) b : 2", "(a ? let(b = 1) b : 2)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_expr(cases[i][0], cases[i][1]);
}

static void test_list_comprehensions(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"[for (i=[0:3]) i*i]", "[for(i = [0 : 3]) ((i * i))]"},
        {"[for (i=a, j=b) [i,j]]", "[for(i = a, j = b) ([i, j])]"},
        {"[for (i=0; i<5; i=i+1) i]", "[for(i = 0;(i < 5);i = (i + 1)) i]"},
        {"[for (i=0, j=1; i<5; i=i+1, j=j*2) j]",
         "[for(i = 0, j = 1;(i < 5);i = (i + 1), j = (j * 2)) j]"},
        {"[if (a) 1]", "[if(a) (1)]"},
        {"[if (a) 1 else 2]", "[if(a) (1) else (2)]"},
        {"[if (a) if (b) 1 else 2]", "[if(a) (if(b) (1) else (2))]"},
        {"[each a, 1]", "[each (a), 1]"},
        {"[each [for (i=x) i]]", "[each ([for(i = x) (i)])]"},
        {"[let(a=1) for (i=x) i]", "[let(a = 1) (for(i = x) (i))]"},
        {"[let(a=1) let(b=2) each c]", "[let(a = 1) (let(b = 2) (each (c)))]"},
        {"[let(a=1) a]", "[let(a = 1) a]"},
        {"[(for (i=x) i)]", "[for(i = x) (i)]"},
        {"[1, (if (a) 2), 3]", "[1, if(a) (2), 3]"},
        {"[(let(a=1) a) + 1]", "[(let(a = 1) a + 1)]"},
        {"[(let(a=1) for (i=x) i)]", "[let(a = 1) (for(i = x) (i))]"},
        {"[for (i=x) if (i>0) each [i,i]]", "[for(i = x) (if((i > 0)) (each ([i, i])))]"},
        {"[for (i=x) for (j=y) [i,j]]", "[for(i = x) (for(j = y) ([i, j]))]"},
        {"[for (i=x) let(k=i) k]", "[for(i = x) (let(k = i) k)]"},
        {"[for (i=x) (i)]", "[for(i = x) (i)]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_expr(cases[i][0], cases[i][1]);

    /* node kinds the evaluator sees */
    facet_ctx *ctx = tu_ctx();
    ast_program *p = parse_ok(ctx, "v = [let(a=1) for (i=x) i, let(b=2) b, each c, for(;true;) 1];");
    ast_node *v = p->stmts.items[0]->u.assign.expr;
    assert_int_equal(v->kind, AST_VECTOR);
    assert_int_equal(v->u.list.n, 4);
    assert_int_equal(v->u.list.items[0]->kind, AST_LET);
    assert_true(ast_is_lc(v->u.list.items[0]));
    assert_int_equal(v->u.list.items[0]->u.with.body->kind, AST_LC_FOR);
    assert_int_equal(v->u.list.items[1]->kind, AST_LET);
    assert_false(ast_is_lc(v->u.list.items[1]));
    assert_int_equal(v->u.list.items[2]->kind, AST_LC_EACH);
    assert_int_equal(v->u.list.items[3]->kind, AST_LC_CFOR);
    assert_int_equal(v->u.list.items[3]->u.cfor.init.n, 0);
    tu_ctx_free(ctx);
}

static void check_error(const char *src, const char *message, int line, int col) {
    facet_ctx *ctx = tu_ctx();
    parse_named(ctx, "t.scad", src);
    if (ctx->err.kind != FACET_ERR_SYNTAX) fail_msg("no syntax error for: %s", src);
    if (strcmp(ctx->err.message, message) != 0)
        fail_msg("%s\n  expected %s\n  got      %s", src, message, ctx->err.message);
    assert_int_equal(ctx->err.line, line);
    if (col) assert_int_equal(ctx->err.column, col);
    assert_string_equal(ctx->err.file, "t.scad");
    tu_ctx_free(ctx);
}

static void test_syntax_errors(void **state) {
    (void)state;
    const char *se1 = "Parser error: syntax error in file t.scad, line 1";
    const char *se2 = "Parser error: syntax error in file t.scad, line 2";
    check_error("cube(;", se1, 1, 6);
    check_error("x = ;", se1, 1, 5);
    check_error("x = 1 +;", se1, 1, 8);
    check_error("x = 1\ny = 2;", se2, 2, 1);
    check_error("x = 1 @ 2;", se1, 1, 7);
    check_error("x = \"a\" \xc3\xa9;", se1, 1, 9);          /* non-ASCII outside a string */
    check_error("x = \xff;", se1, 1, 5);                     /* invalid UTF-8 in code */
    check_error("x = 1;\ny = [1,2 3];", se2, 2, 10);
    check_error("x = 1 + let(a=1) a;", se1, 1, 9);           /* let is a whole expression */
    check_error("x = [for (i=x) i : 2];", se1, 1, 18);       /* no range from a comprehension */
    check_error("x = ((for (i=x) i));", se1, 1, 7);           /* one pair of parens only */
    check_error("x = each a;", se1, 1, 5);
    check_error("x = [if (a) 1 else];", se1, 1, 19);
    check_error("x = [for (;) 1];", se1, 1, 12);
    check_error("function f() 1;", se1, 1, 14);
    check_error("module m( { }", se1, 1, 11);
    check_error("cube() module m() {}", se1, 1, 8);          /* no definitions as children */
    check_error("{ use <x.scad> }", se1, 1, 3);
    check_error("x = 1;\n\n  a.1 = 2;", "Parser error: syntax error in file t.scad, line 3", 3,
                4);
    check_error("a = 1 ? 2;", se1, 1, 10);
    check_error("x = f(a=);", se1, 1, 9);
    /* OpenSCAD appends "\n\x03\n" to the main file: errors at the end of the file name the
     * line of that marker or the one after it (lines checked with OpenSCAD 2021.01) */
    check_error("cube(\n", "Parser error: syntax error in file t.scad, line 3", 3, 0);
    check_error("module m() {\n", "Parser error: syntax error in file t.scad, line 4", 4, 0);
    check_error("x = 1", se2, 2, 0);
    check_error("echo(\"abc);\n", "Parser error: Unterminated string in file t.scad, line 4", 4,
                0);
    check_error("echo(1);\n/* abc\n", "Parser error: Unterminated comment in file t.scad, line 5",
                5, 0);
    check_error("include <abc", "Parser error: Unterminated include statement in file t.scad, "
                                "line 3",
                3, 0);
}

/* x = "abc + "\n\x03\n": the string runs to the end. */
static void test_unterminated_string_line(void **state) {
    (void)state;
    check_error("x = \"abc\n", "Parser error: Unterminated string in file t.scad, line 4", 4, 0);
}

/* data/lang/grammar-snippets.tsv: one-line programs and whether OpenSCAD accepts them. */
static void test_grammar_snippets(void **state) {
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/lang/grammar-snippets.tsv", data_dir());
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    int n = 0, bad = 0;
    while (fgets(line, sizeof line - 1, f)) {
        if (line[0] == '#') continue;
        line[strcspn(line, "\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = '\0';
        char *src = tab + 1;
        char *note = strchr(src, '\t');
        if (note) *note = '\0';
        bool want = strcmp(line, "ACCEPT") == 0;
        int want_line = strncmp(line, "REJECT:", 7) == 0 ? atoi(line + 7) : 0;
        /* each program was a file of one line ending in a newline */
        strcat(src, "\n");
        facet_ctx *ctx = tu_ctx();
        parse_named(ctx, "t.scad", src);
        bool got = ctx->err.kind == FACET_ERR_OK;
        if (!got) assert_int_equal(ctx->err.kind, FACET_ERR_SYNTAX);
        if (!got && want_line && ctx->err.line != want_line) {
            fprintf(stderr, "line %d expected, %s: %s\n", want_line, ctx->err.message, src);
            bad++;
        }
        if (got != want) {
            fprintf(stderr, "%s expected, %s: %s\n", line, got ? "accepted" : ctx->err.message, src);
            bad++;
        }
        tu_ctx_free(ctx);
        n++;
    }
    fclose(f);
    assert_true(n > 100);
    assert_int_equal(bad, 0);
}

static ast_node *stmt(ast_program *p, int i) {
    assert_true(i < p->stmts.n);
    return p->stmts.items[i];
}

static void test_statements(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    ast_program *p = parse_ok(ctx,
                              "x = 1;\n"
                              "module m(a, b=2) { cube(a); }\n"
                              "function f(x) = x;\n"
                              "m(1) sphere();\n"
                              "if (x) cube(); else { sphere(); cylinder(); }\n"
                              "!#cube();\n"
                              "%cube();\n"
                              "*cube();\n"
                              "for (i=[0:1]) cube();\n"
                              "let(a=1) cube(a);\n"
                              "echo(1); assert(true); each(1);\n"
                              ";;\n"
                              "{ y = 2; sphere(); }\n"
                              "translate([1,0,0]) { z = 3; cube(z); { cube(); } }\n"
                              "module n() cube();\n"
                              "if (a) if (b) cube(); else sphere();\n");
    int i = 0;
    assert_int_equal(stmt(p, i++)->kind, AST_ASSIGN);
    ast_node *m = stmt(p, i++);
    assert_int_equal(m->kind, AST_MODDEF);
    assert_string_equal(m->u.def.name, "m");
    assert_int_equal(m->u.def.params.n, 2);
    assert_null(m->u.def.params.items[0].expr);
    assert_non_null(m->u.def.params.items[1].expr);
    assert_int_equal(m->u.def.body->kind, AST_BLOCK);
    assert_int_equal(m->u.def.body->u.list.n, 1);
    ast_node *f = stmt(p, i++);
    assert_int_equal(f->kind, AST_FUNCDEF);
    assert_int_equal(f->u.def.body->kind, AST_IDENT);
    ast_node *inst = stmt(p, i++);
    assert_int_equal(inst->kind, AST_INSTANCE);
    assert_string_equal(inst->u.inst.name, "m");
    assert_int_equal(inst->u.inst.children.n, 1);
    assert_string_equal(inst->u.inst.children.items[0]->u.inst.name, "sphere");
    ast_node *ifs = stmt(p, i++);
    assert_int_equal(ifs->kind, AST_IF);
    assert_int_equal(ifs->u.cond.then->kind, AST_BLOCK);
    assert_int_equal(ifs->u.cond.then->u.list.n, 1);
    assert_int_equal(ifs->u.cond.els->u.list.n, 2);
    ast_node *c = stmt(p, i++);
    assert_int_equal(c->modifier, MOD_ROOT | MOD_HIGHLIGHT);
    assert_int_equal(stmt(p, i++)->modifier, MOD_BACKGROUND);
    /* `*cube();` leaves nothing */
    assert_string_equal(stmt(p, i++)->u.inst.name, "for");
    ast_node *let = stmt(p, i++);
    assert_string_equal(let->u.inst.name, "let");
    assert_int_equal(let->u.inst.args.n, 1);
    assert_string_equal(let->u.inst.args.items[0].name, "a");
    assert_string_equal(stmt(p, i++)->u.inst.name, "echo");
    assert_string_equal(stmt(p, i++)->u.inst.name, "assert");
    assert_string_equal(stmt(p, i++)->u.inst.name, "each");
    /* braces are spliced */
    assert_int_equal(stmt(p, i)->kind, AST_ASSIGN);
    assert_string_equal(stmt(p, i++)->u.assign.name, "y");
    assert_string_equal(stmt(p, i++)->u.inst.name, "sphere");
    ast_node *tr = stmt(p, i++);
    assert_int_equal(tr->u.inst.children.n, 3);
    assert_int_equal(tr->u.inst.children.items[0]->kind, AST_ASSIGN);
    assert_string_equal(tr->u.inst.children.items[2]->u.inst.name, "cube");
    ast_node *n = stmt(p, i++);
    assert_int_equal(n->kind, AST_MODDEF);
    assert_int_equal(n->u.def.body->u.list.n, 1);
    ast_node *dangling = stmt(p, i++);
    assert_null(dangling->u.cond.els);
    ast_node *inner = dangling->u.cond.then->u.list.items[0];
    assert_int_equal(inner->kind, AST_IF);
    assert_non_null(inner->u.cond.els);
    assert_int_equal(p->stmts.n, i);
    tu_ctx_free(ctx);
}

static void test_locations(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    ast_program *p = parse_ok(ctx, "x = 1;\n  y = a +\n\tb;\n/* c */ cube([1,\n 2]);");
    ast_node *y = stmt(p, 1);
    assert_int_equal(y->loc.line, 2);
    assert_int_equal(y->loc.col, 3);
    assert_int_equal(y->loc.file, p->file);
    ast_node *sum = y->u.assign.expr;
    assert_int_equal(sum->kind, AST_BINARY);
    assert_int_equal(sum->loc.line, 2); /* a binary operation starts at its left operand */
    assert_int_equal(sum->loc.col, 7);
    assert_int_equal(sum->u.op.b->loc.line, 3);
    assert_int_equal(sum->u.op.b->loc.col, 2);
    ast_node *cube = stmt(p, 2);
    assert_int_equal(cube->loc.line, 4);
    assert_int_equal(cube->loc.col, 9);
    ast_node *vec = cube->u.inst.args.items[0].expr;
    assert_int_equal(vec->loc.col, 14);
    assert_int_equal(vec->u.list.items[1]->loc.line, 5);
    assert_int_equal(vec->u.list.items[1]->loc.col, 2);
    tu_ctx_free(ctx);
}

static void dump_log(facet_ctx *ctx) {
    for (int i = 0; i < ctx->nlog; i++) fprintf(stderr, "  log: %s\n", ctx->log[i]);
}

static void test_reassignment(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    ast_program *p = parse_ok(ctx, "a = 1;\nb = 2;\na = 3;\nmodule m() { c = 1; c = 2; }\n"
                                   "cube() { d = 1; d = 2; }\n");
    assert_int_equal(p->stmts.n, 4);
    ast_node *a = stmt(p, 0);
    assert_string_equal(a->u.assign.name, "a");
    assert_int_equal(a->loc.line, 1);
    assert_int_equal(a->u.assign.expr->u.num, 3.0);
    assert_int_equal(a->u.assign.overwrite_loc.line, 3);
    assert_int_equal(stmt(p, 1)->u.assign.overwrite_loc.line, 0);
    assert_int_equal(stmt(p, 2)->u.def.body->u.list.n, 1);
    assert_int_equal(stmt(p, 3)->u.inst.children.n, 1);
    assert_int_equal(ctx->nlog, 3);
    assert_string_equal(ctx->log[0],
                        "WARNING: \"a\" was assigned on line 1 but was overwritten in file t.scad, "
                        "line 3");
    assert_string_equal(ctx->log[1],
                        "WARNING: \"c\" was assigned on line 4 but was overwritten in file t.scad, "
                        "line 4");
    tu_ctx_free(ctx);
}

/* The corpus's include-overwrite-main test: the parse-time warnings are the first three
 * lines of its expected output. */
static void test_include_overwrite_corpus(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    char path[1024];
    snprintf(path, sizeof path, "%s/openscad-tests/scad/misc/include-overwrite-main.scad",
             corpus_dir());
    ast_program *p = parse_file_at(ctx, path);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_non_null(p);
    if (ctx->nlog != 3) dump_log(ctx);
    assert_int_equal(ctx->nlog, 3);
    assert_string_equal(ctx->log[0], "WARNING: \"overwritten\" was assigned on line 12 but was "
                                     "overwritten in file include-overwrite-main.scad, line 16");
    assert_string_equal(ctx->log[1],
                        "WARNING: \"after\" was assigned on line 15 of "
                        "\"include-overwrite-main.scad\" but was overwritten in file "
                        "include-overwrite-after.scad, line 2");
    assert_string_equal(ctx->log[2],
                        "WARNING: \"overwriteInuse\" was assigned on line 1 of "
                        "\"include-overwrite-use.scad\" but was overwritten in file "
                        "include-overwrite-use.scad, line 2");
    /* `before` is assigned in the include (line 10) and again in main: no warning, the
     * value is main's */
    tu_ctx_free(ctx);
}

static void test_include_and_use(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    char path[1024];
    snprintf(path, sizeof path, "%s/lang/main.scad", data_dir());
    ast_program *p = parse_file_at(ctx, path);
    if (ctx->err.kind) fail_msg("%s", ctx->err.message);
    /* echo, a (sub/a.scad), b (b.scad via ../b.scad), after, use lib, use nolib, x */
    assert_int_equal(p->stmts.n, 7);
    ast_node *a = stmt(p, 1);
    assert_string_equal(a->u.assign.name, "a");
    assert_string_equal(fc_file_display(ctx, a->loc.file), "sub/a.scad");
    assert_int_equal(a->loc.line, 1);
    ast_node *b = stmt(p, 2);
    assert_string_equal(b->u.assign.name, "b");
    assert_string_equal(fc_file_display(ctx, b->loc.file), "b.scad");
    ast_node *after = stmt(p, 3);
    assert_string_equal(after->u.assign.name, "after");
    assert_int_equal(after->loc.file, p->file);
    assert_int_equal(after->loc.line, 3);
    ast_node *use = stmt(p, 4);
    assert_int_equal(use->kind, AST_USE);
    assert_non_null(use->u.use.prog);
    assert_int_equal(use->u.use.prog->stmts.n, 2);
    ast_node *use2 = use->u.use.prog->stmts.items[0];
    assert_int_equal(use2->kind, AST_USE);
    /* lib2 uses lib again: the cycle ends at the cached program */
    assert_non_null(use2->u.use.prog);
    assert_ptr_equal(use2->u.use.prog->stmts.items[0]->u.use.prog, use->u.use.prog);
    ast_node *nouse = stmt(p, 5);
    assert_int_equal(nouse->kind, AST_USE);
    assert_null(nouse->u.use.prog);
    assert_string_equal(nouse->u.use.path, "nolib.scad");
    /* include works on tokens: `x = include <val.scad> ;` is x = 42 */
    ast_node *x = stmt(p, 6);
    assert_int_equal(x->u.assign.expr->kind, AST_NUM);
    assert_true(x->u.assign.expr->u.num == 42.0);
    assert_string_equal(fc_file_display(ctx, x->u.assign.expr->loc.file), "val.scad");
    if (ctx->nlog != 2) dump_log(ctx);
    assert_int_equal(ctx->nlog, 2);
    assert_string_equal(ctx->log[0],
                        "WARNING: Can't find include file 'missing.scad'. in file main.scad, line 4");
    assert_string_equal(ctx->log[1],
                        "WARNING: Can't open library 'nolib.scad'. in file main.scad, line 6");
    tu_ctx_free(ctx);
}

static void test_include_error_location(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    char path[1024];
    snprintf(path, sizeof path, "%s/lang/includes_error.scad", data_dir());
    parse_file_at(ctx, path);
    assert_int_equal(ctx->err.kind, FACET_ERR_SYNTAX);
    assert_string_equal(ctx->err.message,
                        "Parser error: syntax error in file error_inc.scad, line 4");
    assert_string_equal(ctx->err.file, "error_inc.scad");
    assert_int_equal(ctx->err.line, 4);
    assert_int_equal(ctx->err.column, 8);
    tu_ctx_free(ctx);
}

/* A used file with a syntax error is reported and skipped; the main file still parses
 * (OpenSCAD 2021.01 prints the ERROR line and then the main file's ECHO). */
static void test_use_with_syntax_error(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    char path[1024];
    snprintf(path, sizeof path, "%s/lang/usebad.scad", data_dir());
    ast_program *p = parse_file_at(ctx, path);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(p->stmts.n, 2);
    assert_int_equal(stmt(p, 0)->kind, AST_USE);
    assert_null(stmt(p, 0)->u.use.prog);
    assert_int_equal(ctx->nlog, 1);
    assert_string_equal(ctx->log[0],
                        "ERROR: Parser error: syntax error in file badlib.scad, line 1");
    tu_ctx_free(ctx);
}

/* A file including itself: included once (the file being parsed is not on the include
 * stack), then cut with OpenSCAD's warning — the corpus's include-recursive-test. */
static void test_include_cycle(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    char path[1024];
    snprintf(path, sizeof path, "%s/lang/self.scad", data_dir());
    ast_program *p = parse_file_at(ctx, path);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(p->stmts.n, 2); /* echo("S") twice */
    assert_int_equal(ctx->nlog, 1);
    assert_string_equal(ctx->log[0],
                        "WARNING: Can't find include file 'self.scad'. in file self.scad, line 1");
    tu_ctx_free(ctx);

    ctx = tu_ctx();
    snprintf(path, sizeof path, "%s/openscad-tests/scad/misc/include-recursive-test.scad",
             corpus_dir());
    p = parse_file_at(ctx, path);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(p->stmts.n, 4); /* ECHO: "INC" four times in the expected output */
    assert_int_equal(ctx->nlog, 9);
    tu_ctx_free(ctx);

    /* the same with a relative main path, where "../misc/x" is not textually "x" */
    ctx = tu_ctx();
    size_t len = 0;
    char *src = tu_slurp(path, &len);
    assert_non_null(src);
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/openscad-tests/scad/misc", corpus_dir());
    assert_int_equal(chdir(path), 0);
    p = parse_text(ctx, "include-recursive-test.scad", src, len);
    assert_int_equal(chdir(cwd), 0);
    free(src);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(p->stmts.n, 4);
    assert_int_equal(ctx->nlog, 9);
    assert_string_equal(ctx->log[1], "WARNING: Can't find include file "
                                     "'../misc/include-recursive-test.scad'. in file "
                                     "include-recursive-test.scad, line 2");
    tu_ctx_free(ctx);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void check_too_deep(const char *prefix, const char *unit, const char *suffix, int n) {
    size_t lp = strlen(prefix), lu = strlen(unit), ls = strlen(suffix);
    char *src = malloc(lp + lu * (size_t)n + ls + 1);
    memcpy(src, prefix, lp);
    for (int i = 0; i < n; i++) memcpy(src + lp + lu * (size_t)i, unit, lu);
    memcpy(src + lp + lu * (size_t)n, suffix, ls + 1);
    facet_ctx *ctx = tu_ctx();
    if (getenv("TRACE_DEEP")) fprintf(stderr, "deep: %s%s\n", prefix, unit);
    double t0 = now_s();
    parse_named(ctx, "t.scad", src);
    double dt = now_s() - t0;
    if (ctx->err.kind != FACET_ERR_SYNTAX || !strstr(ctx->err.message, "too many nested"))
        fail_msg("%s%s...: kind %d, %s", prefix, unit, ctx->err.kind, ctx->err.message);
    assert_non_null(strstr(ctx->err.message, "(limit is 1000)"));
    assert_int_equal(ctx->err.line, 1);
    if (!getenv("FACET_SLOW_SKIP")) assert_true(dt < 2.0);
    tu_ctx_free(ctx);
    free(src);
}

static void test_nesting_limit(void **state) {
    (void)state;
    check_too_deep("x = ", "[", "", 100000);
    check_too_deep("x = ", "(", "", 100000);
    check_too_deep("", "{", "", 100000);
    check_too_deep("x = ", "-", "1;", 100000);
    check_too_deep("x = ", "f(", "", 100000);
    check_too_deep("", "translate() ", "cube();", 100000);
    check_too_deep("", "!", "cube();", 100000);
    check_too_deep("x = 1", "+1", ";", 100000);
    check_too_deep("x = a", "[0]", ";", 100000);
    check_too_deep("x = 2", "^2", ";", 100000);
    check_too_deep("x = ", "a ? b : ", "c;", 100000);
    check_too_deep("x = [", "for (i=x) ", "i];", 100000);
    check_too_deep("x = ", "let(a=1) ", "a;", 100000);
    check_too_deep("", "if (a) ", "cube();", 100000);
    check_too_deep("", "module m() ", "cube();", 100000);

    /* the limit leaves room for real nesting */
    facet_ctx *ctx = tu_ctx();
    char src[1000] = "x = ";
    for (int i = 0; i < 200; i++) strcat(src, "[");
    for (int i = 0; i < 200; i++) strcat(src, "]");
    strcat(src, ";");
    parse_ok(ctx, src);
    tu_ctx_free(ctx);
}

static void test_large_file_linear(void **state) {
    (void)state;
    /* 200k statements (about 5 MB); fewer under valgrind (FACET_SLOW_SKIP), where only
     * correctness is checked */
    bool slow = getenv("FACET_SLOW_SKIP") != NULL;
    int n = slow ? 20000 : 200000;
    sbuf b;
    facet_ctx *tmp = tu_ctx();
    sb_init(&b, tmp);
    for (int i = 0; i < n; i++) sb_printf(&b, "v%d = [%d, %d.5, \"s\"]; cube(v%d);\n", i, i, i, i);
    char *src = malloc(b.len + 1);
    memcpy(src, b.data, b.len + 1);
    tu_ctx_free(tmp);
    facet_ctx *ctx = tu_ctx();
    double t0 = now_s();
    ast_program *p = parse_ok(ctx, src);
    double dt = now_s() - t0;
    assert_int_equal(p->stmts.n, 2 * n);
    if (!slow) assert_true(dt < 20.0); /* under ASan; a quadratic parse would take hours */
    tu_ctx_free(ctx);
    free(src);
}

static ast_node *parse_expr_text(facet_ctx *ctx, int file, const char *text) {
    ast_node *volatile e = NULL;
    TU_PROTECT(ctx) { e = parse_expression(ctx, file, text, strlen(text)); }
    return e;
}

static void test_parse_expression(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    static const char *const ok[][2] = {
        {"10", "10"}, {"\"text\"", "\"text\""}, {"[1,2,3]", "[1, 2, 3]"},
        {"true", "true"}, {"-2.5", "-2.5"}, {"1+2;", "(1 + 2)"},
    };
    int file = fc_file_add(ctx, "<-D>", "<-D>");
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ast_node *e = parse_expr_text(ctx, file, ok[i][0]);
        assert_int_equal(ctx->err.kind, FACET_ERR_OK);
        sbuf b;
        sb_init(&b, ctx);
        ast_print_expr(&b, e);
        sb_putc(&b, '\0');
        assert_string_equal(b.data, ok[i][1]);
    }
    static const char *const bad[] = {"1 2", "", "x = 1", "[1,", "cube() sphere();", "1;;"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        parse_expr_text(ctx, file, bad[i]);
        assert_int_equal(ctx->err.kind, FACET_ERR_SYNTAX);
    }
    tu_ctx_free(ctx);
}

/* ---- hostile input ---- */

static unsigned long long mut_state = 88172645463325252ull;
static unsigned mut_rand(void) {
    mut_state ^= mut_state << 13;
    mut_state ^= mut_state >> 7;
    mut_state ^= mut_state << 17;
    return (unsigned)mut_state;
}

static void parse_and_print_protected(facet_ctx *ctx, const char *src, size_t len) {
    int file = fc_file_add(ctx, "t.scad", "t.scad");
    ast_program *p = parse_program(ctx, file, src, len);
    sbuf b;
    sb_init(&b, ctx);
    custom_params_json(ctx, p, src, len, &b);
    for (int i = 0; i < p->stmts.n; i++)
        if (p->stmts.items[i]->kind == AST_ASSIGN) ast_print_expr(&b, p->stmts.items[i]->u.assign.expr);
}

static facet_error_kind parse_mutant(const char *src, size_t len) {
    facet_ctx *ctx = tu_ctx();
    TU_PROTECT(ctx) { parse_and_print_protected(ctx, src, len); }
    facet_error_kind kind = ctx->err.kind;
    tu_ctx_free(ctx);
    return kind;
}

/* Corpus files cut, spliced with syntax fragments and punctured at random (fixed seed):
 * every result is a parse or a syntax error, never a crash (ASan/UBSan watch). */
static void test_mutated_inputs(void **state) {
    (void)state;
    static const char *const files[] = {
        "scad/misc/allexpressions.scad", "scad/functions/let-tests.scad",
        "scad/functions/list-comprehensions.scad", "scad/customizer/parameter.scad",
        "scad/misc/unicode-tests.scad", "scad/functions/exponent-operator-test.scad"};
    static const char *const frags[] = {
        "[", "]", "(", ")", "{", "}", "for", "let", "each", "if", "else", "\"", "/*", "*/",
        "//", "\n", ";", ",", ":", "?", "function", "module", "include <", "use <", ">", "\\",
        "\xc2\xa0", "\xff", "0x", "1e", ".", "=", "-", "^", "!", "*", "#", "%", "\x03", "\\u12"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/openscad-tests/%s", corpus_dir(), files[f]);
        size_t len = 0;
        char *src = tu_slurp(path, &len);
        assert_non_null(src);
        for (int it = 0; it < 400; it++) {
            char *m = malloc(len + 256);
            size_t n = len;
            memcpy(m, src, len);
            int edits = 1 + (int)(mut_rand() % 4);
            for (int k = 0; k < edits; k++) {
                size_t pos = n ? mut_rand() % n : 0;
                unsigned op = mut_rand() % 3;
                if (op == 0) {
                    n = pos;
                } else if (op == 1) {
                    const char *t = frags[mut_rand() % (sizeof frags / sizeof frags[0])];
                    size_t tl = strlen(t);
                    if (n + tl <= len + 256) {
                        memmove(m + pos + tl, m + pos, n - pos);
                        memcpy(m + pos, t, tl);
                        n += tl;
                    }
                } else {
                    size_t d = mut_rand() % 8;
                    if (pos + d > n) d = n - pos;
                    memmove(m + pos, m + pos + d, n - pos - d);
                    n -= d;
                }
            }
            facet_error_kind kind = parse_mutant(m, n);
            assert_true(kind == FACET_ERR_OK || kind == FACET_ERR_SYNTAX);
            free(m);
        }
        free(src);
    }
}

/* ---- the corpus ---- */

/* Files that must fail (they test OpenSCAD's error reporting). */
static const char *const must_fail[] = {
    "bad-include-synerr.scad", "bad-synerr.scad",         "syntax-error-in-line-2.scad",
    "error.scad",              "mainincludingerror.scad", "issue1890-comment.scad",
    "issue1890-include.scad",  "issue1890-string.scad",   "issue1890-use.scad",
    "nbsp-utf8-test.scad",
};
/* (mainusingerror.scad and mainuseincludingerror.scad use a file with an error: the error
 * is logged and the main file parses.) */

static bool expected_to_fail(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < sizeof must_fail / sizeof must_fail[0]; i++)
        if (strcmp(base, must_fail[i]) == 0) return true;
    return false;
}

static void walk(const char *dir, int *parsed, int *failed) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            walk(path, parsed, failed);
            continue;
        }
        size_t n = strlen(path);
        if (n < 5 || strcmp(path + n - 5, ".scad") != 0 || !S_ISREG(st.st_mode)) continue;
        facet_ctx *ctx = tu_ctx();
        parse_file_at(ctx, path);
        bool fail = expected_to_fail(path);
        if ((ctx->err.kind != FACET_ERR_OK) != fail) {
            fprintf(stderr, "%s: %s\n", path, fail ? "parsed but should fail" : ctx->err.message);
            (*failed)++;
        } else if (fail && ctx->err.kind != FACET_ERR_SYNTAX) {
            (*failed)++;
        }
        (*parsed)++;
        tu_ctx_free(ctx);
    }
    closedir(d);
}

static void test_corpus_parses(void **state) {
    (void)state;
    int parsed = 0, failed = 0;
    walk(corpus_dir(), &parsed, &failed);
    fprintf(stderr, "corpus: %d files, %d unexpected results\n", parsed, failed);
    assert_true(parsed > 500);
    assert_int_equal(failed, 0);
}

static char *print_def(facet_ctx *ctx, const ast_node *n) {
    sbuf b;
    sb_init(&b, ctx);
    if (n->kind == AST_ASSIGN) {
        ast_print_expr(&b, n->u.assign.expr);
    } else {
        sb_printf(&b, "function %s(", n->u.def.name);
        for (int i = 0; i < n->u.def.params.n; i++) {
            if (i) sb_puts(&b, ", ");
            sb_puts(&b, n->u.def.params.items[i].name);
            if (n->u.def.params.items[i].expr) {
                sb_puts(&b, " = ");
                ast_print_expr(&b, n->u.def.params.items[i].expr);
            }
        }
        sb_puts(&b, ") = ");
        ast_print_expr(&b, n->u.def.body);
        sb_putc(&b, ';');
    }
    sb_putc(&b, '\0');
    return b.data;
}

static void test_reference_ast(void **state) {
    (void)state;
    char tsv[1024];
    snprintf(tsv, sizeof tsv, "%s/lang/ast-openscad-2021.01.tsv", data_dir());
    FILE *f = fopen(tsv, "r");
    assert_non_null(f);
    static char line[1 << 17];
    int ok = 0, bad = 0;
    char cur[1024] = "";
    facet_ctx *ctx = NULL;
    ast_program *volatile prog = NULL;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *rel = strtok(line, "\t"), *kind = strtok(NULL, "\t"), *name = strtok(NULL, "\t");
        char *ref = strtok(NULL, "");
        if (!rel || !kind || !name || !ref) continue;
        if (strcmp(rel, cur) != 0) {
            if (ctx) tu_ctx_free(ctx);
            ctx = tu_ctx();
            snprintf(cur, sizeof cur, "%s", rel);
            char path[2048];
            snprintf(path, sizeof path, "%s/%s", corpus_dir(), rel);
            prog = parse_file_at(ctx, path);
        }
        const char *got = NULL;
        for (int i = 0; prog && i < prog->stmts.n; i++) {
            ast_node *n = prog->stmts.items[i];
            if ((kind[0] == 'a' && n->kind == AST_ASSIGN && strcmp(n->u.assign.name, name) == 0) ||
                (kind[0] == 'f' && n->kind == AST_FUNCDEF && strcmp(n->u.def.name, name) == 0))
                got = print_def(ctx, n);
        }
        if (got && strcmp(got, ref) == 0) {
            ok++;
        } else {
            bad++;
            fprintf(stderr, "%s %s\n  openscad %s\n  facet    %s\n", rel, name, ref,
                    got ? got : "(missing)");
        }
    }
    if (ctx) tu_ctx_free(ctx);
    fclose(f);
    fprintf(stderr, "reference expressions: %d match, %d differ\n", ok, bad);
    assert_true(ok > 700);
    assert_int_equal(bad, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_primaries_and_postfix),
        cmocka_unit_test(test_list_comprehensions),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_unterminated_string_line),
        cmocka_unit_test(test_grammar_snippets),
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_locations),
        cmocka_unit_test(test_reassignment),
        cmocka_unit_test(test_include_overwrite_corpus),
        cmocka_unit_test(test_include_and_use),
        cmocka_unit_test(test_include_error_location),
        cmocka_unit_test(test_include_cycle),
        cmocka_unit_test(test_use_with_syntax_error),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_large_file_linear),
        cmocka_unit_test(test_mutated_inputs),
        cmocka_unit_test(test_parse_expression),
        cmocka_unit_test(test_corpus_parses),
        cmocka_unit_test(test_reference_ast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
