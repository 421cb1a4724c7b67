/*
 * test_lex.c — the tokenizer: token kinds and values, numbers and the longest-match corner
 * cases, strings and escapes, comments, no-break spaces, positions, and the warnings the
 * scanner prints. Expected warnings and decoded strings come from the echo corpus (output of
 * OpenSCAD's development version); paths there are printed relative to OpenSCAD's test
 * folder, so only the file part of " in file ..." is compared.
 */
#include "testutil.h"

#include "core/sbuf.h"
#include "lang/lex.h"
#include "lang/parse.h"

#define MAXTOK 64

typedef struct lexed {
    lex_token t[MAXTOK];
    int n;
} lexed;

static void lex_all_protected(facet_ctx *ctx, const char *src, lexed *out) {
    lex_state lx;
    int file = fc_file_add(ctx, "t.scad", "t.scad");
    lex_init(&lx, ctx, file, src, strlen(src), file);
    out->n = 0;
    do {
        lex_next(&lx, &out->t[out->n]);
    } while (out->t[out->n++].kind != TK_EOF && out->n < MAXTOK);
}

static void lex_all(facet_ctx *ctx, const char *src, lexed *out) {
    TU_PROTECT(ctx) { lex_all_protected(ctx, src, out); }
}

static void test_token_kinds(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    static lexed L;
    lex_all(ctx, "module function if else for let assert echo each true false undef "
                 "<= >= == != && || << >> ! # % * + - / ^ ~ ? : ; , . ( ) [ ] { } < > = & | "
                 "name $fn _x",
            &L);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    static const int expect[] = {
        TK_MODULE, TK_FUNCTION, TK_IF, TK_ELSE, TK_FOR, TK_LET, TK_ASSERT, TK_ECHO, TK_EACH,
        TK_TRUE, TK_FALSE, TK_UNDEF, TK_LE, TK_GE, TK_EQ, TK_NE, TK_AND, TK_OR, TK_SHL, TK_SHR,
        '!', '#', '%', '*', '+', '-', '/', '^', '~', '?', ':', ';', ',', '.', '(', ')', '[', ']',
        '{', '}', '<', '>', '=', '&', '|', TK_ID, TK_ID, TK_ID, TK_EOF};
    int n = (int)(sizeof expect / sizeof expect[0]);
    assert_int_equal(L.n, n);
    for (int i = 0; i < n; i++) assert_int_equal(L.t[i].kind, expect[i]);
    assert_string_equal(L.t[n - 3].name, "$fn");
    /* names are interned: equal names are the same pointer */
    lexed M;
    lex_all(ctx, "name", &M);
    assert_ptr_equal(M.t[0].name, L.t[n - 4].name);
    tu_ctx_free(ctx);
}

static void test_numbers(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    lexed L;
    lex_all(ctx, "1 1.5 .5 1. 1e-3 1E+2 0x1F 0xff 007 2.5e", &L);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    static const double v[] = {1, 1.5, 0.5, 1, 1e-3, 100, 31, 255, 7};
    for (int i = 0; i < 9; i++) {
        assert_int_equal(L.t[i].kind, TK_NUM);
        assert_true(L.t[i].num == v[i]);
    }
    /* "2.5e": the exponent needs digits, so the number is 2.5 and `e` an identifier */
    assert_int_equal(L.t[9].kind, TK_NUM);
    assert_true(L.t[9].num == 2.5);
    assert_int_equal(L.t[10].kind, TK_ID);
    assert_string_equal(L.t[10].name, "e");
    assert_int_equal(ctx->nlog, 0);
    tu_ctx_free(ctx);
}

/* flex takes the longest match: an identifier that starts with digits wins when longer. */
static void test_digit_identifiers(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    lexed L;
    lex_all(ctx, "1e5x 0x1G 2d 1.x", &L);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(L.t[0].kind, TK_ID);
    assert_string_equal(L.t[0].name, "1e5x");
    assert_int_equal(L.t[1].kind, TK_ID);
    assert_string_equal(L.t[1].name, "0x1G");
    assert_int_equal(L.t[2].kind, TK_ID);
    assert_int_equal(L.t[3].kind, TK_NUM); /* "1." then x */
    assert_int_equal(L.t[4].kind, TK_ID);
    assert_int_equal(ctx->nlog, 3);
    assert_string_equal(ctx->log[0], "DEPRECATED: Variable names starting with digits (\"1e5x\") "
                                     "will be removed in future releases. in file t.scad, line 1");
    tu_ctx_free(ctx);
}

/* Compares log lines to expected output lines, ignoring the folder part of file names. */
static void assert_log_matches(facet_ctx *ctx, int first, const char *const *expected, int n) {
    for (int i = 0; i < n; i++) {
        assert_true(first + i < ctx->nlog);
        const char *got = ctx->log[first + i];
        const char *exp = expected[i];
        const char *g = strstr(got, " in file "), *e = strstr(exp, " in file ");
        assert_non_null(g);
        assert_non_null(e);
        if ((size_t)(g - got) != (size_t)(e - exp) || memcmp(got, exp, (size_t)(g - got)) != 0)
            fail_msg("log line %d\n  expected %s\n  got      %s", i, exp, got);
        const char *gf = strrchr(g, '/'), *ef = strrchr(e, '/');
        gf = gf ? gf + 1 : g + 9;
        ef = ef ? ef + 1 : e + 9;
        if (strcmp(gf, ef) != 0) fail_msg("log line %d\n  expected %s\n  got      %s", i, exp, got);
    }
}

static char **read_lines(const char *path, int *n) {
    char *text = tu_slurp(path, NULL);
    assert_non_null(text);
    char **lines = calloc(4096, sizeof *lines);
    *n = 0;
    for (char *p = strtok(text, "\n"); p && *n < 4096; p = strtok(NULL, "\n"))
        lines[(*n)++] = strdup(p);
    free(text);
    return lines;
}

static void free_lines(char **lines, int n) {
    for (int i = 0; i < n; i++) free(lines[i]);
    free(lines);
}

static ast_program *parse_corpus_protected(facet_ctx *ctx, const char *path, const char *src,
                                           size_t len) {
    const char *base = strrchr(path, '/');
    int file = fc_file_add(ctx, path, base ? base + 1 : path);
    return parse_program(ctx, file, src, len);
}

static ast_program *parse_text(facet_ctx *ctx, const char *path, const char *src, size_t len) {
    ast_program *volatile prog = NULL;
    TU_PROTECT(ctx) { prog = parse_corpus_protected(ctx, path, src, len); }
    return prog;
}

static ast_program *parse_corpus(facet_ctx *ctx, const char *rel) {
    char path[1024];
    snprintf(path, sizeof path, "%s/openscad-tests/%s", tu_env("FACET_CORPUS", "../shared/corpus"),
             rel);
    size_t len = 0;
    char *src = tu_slurp(path, &len);
    assert_non_null(src);
    ast_program *prog = parse_text(ctx, path, src, len);
    free(src);
    return prog;
}

static char *echo_path(const char *name) {
    static char path[1024];
    snprintf(path, sizeof path, "%s/echo/%s", tu_env("FACET_CORPUS", "../shared/corpus"), name);
    return path;
}

/* unicode-tests: escapes decode as OpenSCAD decodes them, and each undefined escape warns. */
static void test_string_escapes_corpus(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    ast_program *p = parse_corpus(ctx, "scad/misc/unicode-tests.scad");
    assert_non_null(p);
    int n;
    char **lines = read_lines(echo_path("unicode-tests.echo"), &n);
    int nwarn = 0;
    while (nwarn < n && strncmp(lines[nwarn], "WARNING:", 8) == 0) nwarn++;
    assert_int_equal(nwarn, 10);
    assert_int_equal(ctx->nlog, nwarn);
    assert_log_matches(ctx, 0, (const char *const *)lines, nwarn);
    /* each echo("...") argument printed as OpenSCAD echoes strings */
    int k = nwarn;
    for (int i = 0; i < p->stmts.n; i++) {
        ast_node *s = p->stmts.items[i];
        if (s->kind != AST_INSTANCE) continue;
        sbuf b;
        sb_init(&b, ctx);
        sb_puts(&b, "ECHO: ");
        ast_print_expr(&b, s->u.inst.args.items[0].expr);
        sb_putc(&b, '\0');
        assert_true(k < n);
        assert_string_equal(b.data, lines[k]);
        k++;
    }
    assert_int_equal(k, n);
    free_lines(lines, n);
    tu_ctx_free(ctx);
}

static void test_strings(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    lexed L;
    lex_all(ctx, "\"a\\tb\" \"x\ny\" \"\\u00e9\\U01F638\" \"caf\xc3\xa9\" \"\\x41\\x00\" \"\\'\" "
                 "\"\xe9\" \"\"",
            &L);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_string_equal(L.t[0].str, "a\tb");
    assert_string_equal(L.t[1].str, "xy"); /* a raw newline is dropped */
    assert_int_equal(L.t[1].loc.line, 1);
    assert_int_equal(L.t[1].end_line, 2);
    assert_string_equal(L.t[2].str, "\xc3\xa9\xf0\x9f\x98\xb8");
    assert_string_equal(L.t[3].str, "caf\xc3\xa9");
    assert_string_equal(L.t[4].str, "A ");
    assert_string_equal(L.t[5].str, "'");
    assert_string_equal(L.t[6].str, "\xe9"); /* bytes in strings are kept as they are */
    assert_int_equal(L.t[7].len, 0);
    assert_int_equal(L.t[2].loc.line, 2);
    assert_int_equal(ctx->nlog, 0);
    tu_ctx_free(ctx);
}

static void test_comments_and_positions(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    lexed L;
    lex_all(ctx, "a // c1 \xff\n/* c2\n \xfe */ b\n\tc\xc2\xa0" "d\x03", &L);
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    assert_int_equal(L.n, 6);
    assert_int_equal(L.t[0].loc.line, 1);
    assert_int_equal(L.t[0].loc.col, 1);
    assert_string_equal(L.t[1].name, "b");
    assert_int_equal(L.t[1].loc.line, 3);
    assert_int_equal(L.t[1].loc.col, 7);
    assert_int_equal(L.t[2].loc.line, 4);
    assert_int_equal(L.t[2].loc.col, 2);
    assert_string_equal(L.t[3].name, "d"); /* a no-break space separates tokens */
    assert_int_equal(L.t[4].kind, TK_EOT);
    assert_int_equal(L.t[5].kind, TK_EOF);
    tu_ctx_free(ctx);
}

static void test_lex_errors(void **state) {
    (void)state;
    static const struct {
        const char *src;
        const char *msg;
        int line, col;
    } cases[] = {
        {"a\n  @", "Parser error: syntax error in file t.scad, line 2", 2, 3},
        {"a \xc3\xa9", "Parser error: syntax error in file t.scad, line 1", 1, 3},
        {"a \xff", "Parser error: syntax error in file t.scad, line 1", 1, 3},
        {"a \x01", "Parser error: syntax error in file t.scad, line 1", 1, 3},
        {"a \\", "Parser error: syntax error in file t.scad, line 1", 1, 3},
        {"\"abc\n", "Parser error: Unterminated string in file t.scad, line 2", 2, 1},
        {"/* abc\n\n", "Parser error: Unterminated comment in file t.scad, line 3", 3, 1},
        {"use <abc", "Parser error: Unterminated use statement in file t.scad, line 1", 1, 9},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facet_ctx *ctx = tu_ctx();
        lexed L;
        lex_all(ctx, cases[i].src, &L);
        assert_int_equal(ctx->err.kind, FACET_ERR_SYNTAX);
        assert_string_equal(ctx->err.message, cases[i].msg);
        assert_int_equal(ctx->err.line, cases[i].line);
        assert_int_equal(ctx->err.column, cases[i].col);
        tu_ctx_free(ctx);
    }
}

/* linenumber.scad: the scanner's warnings about include/use paths (first nine lines of the
 * expected output; the rest come from evaluation). */
static void test_include_use_paths_corpus(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    parse_corpus(ctx, "scad/misc/linenumber.scad");
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    int n;
    char **lines = read_lines(echo_path("linenumber.echo"), &n);
    assert_int_equal(ctx->nlog, 9);
    assert_log_matches(ctx, 0, (const char *const *)lines, 9);
    free_lines(lines, n);
    tu_ctx_free(ctx);
}

/* bitwise-operators.scad: the number warnings of the scanner. */
static void test_number_warnings_corpus(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    parse_corpus(ctx, "scad/functions/bitwise-operators.scad");
    assert_int_equal(ctx->err.kind, FACET_ERR_OK);
    int n;
    char **lines = read_lines(echo_path("bitwise-operators.echo"), &n);
    const char *expected[16] = {0};
    int ne = 0;
    for (int i = 0; i < n && ne < 16; i++)
        if (strstr(lines[i], "Hexadecimal") || strstr(lines[i], "represented precisely"))
            expected[ne++] = lines[i];
    assert_int_equal(ne, 5);
    assert_int_equal(ctx->nlog, ne);
    assert_log_matches(ctx, 0, expected, ne);
    free_lines(lines, n);
    tu_ctx_free(ctx);
}

static void test_nbsp_corpus(void **state) {
    (void)state;
    facet_ctx *ctx = tu_ctx();
    assert_non_null(parse_corpus(ctx, "scad/misc/no-break-space-test.scad"));
    tu_ctx_free(ctx);
    ctx = tu_ctx();
    assert_non_null(parse_corpus(ctx, "scad/misc/nbsp-latin1-test.scad"));
    tu_ctx_free(ctx);
    /* a UTF-8 byte order mark inside the code is an error (OpenSCAD 2021.01: line 2) */
    ctx = tu_ctx();
    parse_corpus(ctx, "scad/misc/nbsp-utf8-test.scad");
    assert_int_equal(ctx->err.kind, FACET_ERR_SYNTAX);
    assert_string_equal(ctx->err.message,
                        "Parser error: syntax error in file nbsp-utf8-test.scad, line 2");
    tu_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_kinds),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_digit_identifiers),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_string_escapes_corpus),
        cmocka_unit_test(test_comments_and_positions),
        cmocka_unit_test(test_lex_errors),
        cmocka_unit_test(test_include_use_paths_corpus),
        cmocka_unit_test(test_number_warnings_corpus),
        cmocka_unit_test(test_nbsp_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
