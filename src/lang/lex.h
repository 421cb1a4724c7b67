/*
 * lex.h — the OpenSCAD tokenizer, with include<> handled as a stack of sources.
 *
 * Single-character tokens are their ASCII code; everything else is a TK_* value above 255.
 * `include <f>` never reaches the parser: the lexer resolves the file and continues in it,
 * exactly as OpenSCAD's flex scanner does, so an include may appear anywhere a token may.
 * `use <f>` becomes one TK_USE token carrying the resolved path.
 */
#ifndef FC_LEX_H
#define FC_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ctx.h"

enum {
    TK_EOF = 256,
    TK_EOT,    /* \x03: OpenSCAD's end-of-main-file marker, a statement of its own */
    TK_NUM,    /* t.num */
    TK_STR,    /* t.str / t.len: escapes decoded, UTF-8 */
    TK_ID,     /* t.name: interned */
    TK_USE,    /* t.str: resolved path, or the name as written when not found (t.found) */
    TK_MODULE, TK_FUNCTION, TK_IF, TK_ELSE, TK_FOR, TK_LET, TK_ASSERT, TK_ECHO, TK_EACH,
    TK_TRUE, TK_FALSE, TK_UNDEF,
    TK_LE, TK_GE, TK_EQ, TK_NE, TK_AND, TK_OR, TK_SHL, TK_SHR,
};

typedef struct lex_token {
    int kind;
    fc_loc loc;   /* first character */
    int end_line; /* line of the last character: OpenSCAD reports syntax errors there */
    double num;
    const char *name;
    const char *str;
    size_t len;
    bool found; /* TK_USE: the file was found */
} lex_token;

/* One source on the include stack. */
typedef struct lex_source {
    int file;
    const char *src;
    size_t len, pos;
    int line, col;
} lex_source;

typedef struct lex_state {
    facet_ctx *ctx;
    lex_source *stack; /* [0] is the file being parsed, the rest are open includes */
    int depth, cap;
    int main_file;     /* the render's main file: display names are relative to its folder */
} lex_state;

/* Starts lexing `src` (file index `file`). */
void lex_init(lex_state *lx, facet_ctx *ctx, int file, const char *src, size_t len,
              int main_file);
/* Reads the next token; throws FACET_ERR_SYNTAX on a lexical error. */
void lex_next(lex_state *lx, lex_token *t);
/* Throws OpenSCAD's syntax error for token t (file and line of its end). */
_Noreturn void lex_syntax_error(lex_state *lx, const lex_token *t);

/* include.c: the include stack and use<> resolution. */
void lex_include(lex_state *lx, const char *name, fc_loc loc);
/* Resolves a use<> name relative to the current file; warns when it cannot be found. */
bool lex_resolve_use(lex_state *lx, const char *name, fc_loc loc, const char **path);
/* A path as OpenSCAD prints it: relative to the main file's folder. */
const char *lex_display_path(facet_ctx *ctx, int main_file, const char *path);

/* Nesting limit shared by the lexer's include stack and the parser's recursion. */
#define LEX_MAX_INCLUDE_DEPTH 64

#endif
