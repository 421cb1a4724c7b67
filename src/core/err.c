/*
 * err.c — the error table and the non-local error exit.
 */
#include "core/ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const error_names[] = {
#define FACET_X_NAME(id, name, msg) name,
    FACET_ERRORS(FACET_X_NAME)
#undef FACET_X_NAME
};

static const char *const error_messages[] = {
#define FACET_X_MSG(id, name, msg) msg,
    FACET_ERRORS(FACET_X_MSG)
#undef FACET_X_MSG
};

const char *facet_error_name(facet_error_kind kind) {
    return (unsigned)kind < FACET_ERR_COUNT ? error_names[kind] : "internal";
}

const char *facet_error_message(facet_error_kind kind) {
    return (unsigned)kind < FACET_ERR_COUNT ? error_messages[kind] : "internal error";
}

void fc_try_begin(facet_ctx *ctx, fc_jmp *j) {
    j->prev = ctx->jmp;
    ctx->jmp = j;
}

void fc_try_end(facet_ctx *ctx, fc_jmp *j) { ctx->jmp = j->prev; }

void fc_error_clear(facet_ctx *ctx) {
    ctx->err_message[0] = ctx->err_file[0] = ctx->err_trace[0] = '\0';
    ctx->err = (facet_error){FACET_ERR_OK, ctx->err_message, ctx->err_file, 0, 0, ctx->err_trace};
}

_Noreturn void fc_rethrow(facet_ctx *ctx) {
    if (!ctx->jmp) {
        /* Every public entry point installs a frame, so this is only reachable from a unit
         * test that forgot to; there is nothing sensible to return to. */
        fprintf(stderr, "facet: unprotected error: %s\n", ctx->err_message);
        abort();
    }
    longjmp(ctx->jmp->buf, 1);
}

_Noreturn void fc_throwv(facet_ctx *ctx, facet_error_kind kind, fc_loc loc, const char *fmt,
                         va_list ap) {
    ctx->err.kind = kind;
    vsnprintf(ctx->err_message, sizeof ctx->err_message, fmt, ap);
    ctx->err.message = ctx->err_message;
    const char *file = loc.file >= 0 ? fc_file_display(ctx, loc.file) : "";
    snprintf(ctx->err_file, sizeof ctx->err_file, "%s", file ? file : "");
    ctx->err.file = ctx->err_file;
    ctx->err.line = loc.line;
    ctx->err.column = loc.col;
    ctx->err.trace = ctx->err_trace;
    fc_rethrow(ctx);
}

_Noreturn void fc_throw(facet_ctx *ctx, facet_error_kind kind, fc_loc loc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fc_throwv(ctx, kind, loc, fmt, ap);
}

void fc_error_trace(facet_ctx *ctx, const char *fmt, ...) {
    size_t used = strlen(ctx->err_trace);
    size_t room = sizeof ctx->err_trace - used;
    if (room < 2) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(ctx->err_trace + used, room - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    used = strlen(ctx->err_trace);
    ctx->err_trace[used] = '\n';
    ctx->err_trace[used + 1] = '\0';
}
