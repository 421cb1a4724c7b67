/*
 * parser.h — state shared by the statement parser (parse.c) and the expression parser
 * (parse_expr.c). Private to src/lang.
 */
#ifndef FC_PARSER_H
#define FC_PARSER_H

#include "lang/ast.h"
#include "lang/lex.h"

/* Deepest nesting of brackets, statements and operator chains the parser accepts. It keeps
 * the C stack bounded here and in every recursive walk of the tree (evaluator, printer). */
#define PARSE_MAX_DEPTH 1000

/* State of one parse_program call, shared by the files it parses (main file and uses). */
typedef struct parse_session {
    int main_file;
    /* used files parsed so far (by resolved path), and AST_USE nodes still to load */
    const char **use_paths;
    ast_program **use_progs;
    int nuse, capuse;
    ast_node **pending;
    int npending, cappending;
} parse_session;

typedef struct parser {
    facet_ctx *ctx;
    parse_session *session;
    lex_state lx;
    lex_token tok;   /* current token */
    lex_token ahead; /* one token of lookahead, valid when has_ahead */
    bool has_ahead;
    int depth;
} parser;

void parse_advance(parser *p);
/* The token after the current one (lexed once, kept until consumed). */
const lex_token *parse_peek(parser *p);
_Noreturn void parse_error(parser *p);
void parse_expect(parser *p, int kind);
bool parse_accept(parser *p, int kind);
void parse_enter(parser *p, const char *what);
static inline void parse_leave(parser *p) { p->depth--; }
/* Checks the depth a chain of `extra` left-nested nodes adds to the current one. */
void parse_check_chain(parser *p, int extra, const char *what);

/* parse_expr.c */
ast_node *parse_expr(parser *p);
/* '(' expression ')', counted as one level of brackets. */
ast_node *parse_paren_expr(parser *p);
/* arguments -> ( argument ( ',' argument )* ','? )?  after '(' up to and including ')';
 * parameters when `params` (names only, with optional defaults). */
void parse_arguments(parser *p, ast_args *out, bool params);

#endif
