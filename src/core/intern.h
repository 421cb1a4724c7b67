/*
 * intern.h — unique, immutable copies of identifier strings. Two interned names are equal
 * iff their pointers are equal, so scopes compare names by pointer. Interned names live in
 * the keep pool and stay valid for the life of the context (cached ASTs refer to them).
 */
#ifndef FC_INTERN_H
#define FC_INTERN_H

#include <string.h>

#include "core/ctx.h"

const char *fc_intern(facet_ctx *ctx, const char *s, size_t len);
static inline const char *fc_intern_cstr(facet_ctx *ctx, const char *s) {
    return fc_intern(ctx, s, strlen(s));
}
void fc_intern_free(facet_ctx *ctx);

#endif
