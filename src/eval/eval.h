/*
 * eval.h — evaluation: AST to CSG tree.
 */
#ifndef FC_EVAL_H
#define FC_EVAL_H

#include "csg/csg.h"
#include "lang/ast.h"

/* Evaluates the program with -D style overrides (each expression already parsed) and
 * returns the root of the CSG tree (a CSG_UNION of the top-level objects, or the `!`
 * root). Echo/warnings go to the log; errors throw. */
typedef struct eval_override {
    const char *name; /* interned */
    ast_node *expr;
} eval_override;

csg_node *eval_program(facet_ctx *ctx, ast_program *prog, const eval_override *ov, int nov);

#endif
