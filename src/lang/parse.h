/*
 * parse.h — the front end's entry points: source text to AST, and the customizer metadata.
 */
#ifndef FC_PARSE_H
#define FC_PARSE_H

#include "core/sbuf.h"
#include "lang/ast.h"

/* Parses a whole file registered as `file` in the context's file table. include<> is
 * spliced and use<> is parsed recursively, both through the host's resolver (relative to
 * the including file, then the library paths); a missing include is OpenSCAD's warning
 * ("Can't find include file ..."), an include cycle is cut with a warning. A syntax error
 * throws FACET_ERR_SYNTAX with OpenSCAD's message
 * ("Parser error: syntax error in file NAME, line N") and the column in the structured
 * error. */
ast_program *parse_program(facet_ctx *ctx, int file, const char *src, size_t len);

/* Parses a single expression (the right-hand side of a -D override). */
ast_node *parse_expression(facet_ctx *ctx, int file, const char *src, size_t len);

/* Writes the customizer parameters of the main file as a JSON array:
 * [{"name","default","type":"number|string|boolean|vector","min","max","step","options":
 *   [{"value","label"}],"group","description","line"}...]. */
void custom_params_json(facet_ctx *ctx, const ast_program *prog, const char *src, size_t len,
                        sbuf *out);

/* Prints an expression the way OpenSCAD prints it (used to echo function literals). */
void ast_print_expr(sbuf *b, const ast_node *e);

#endif
