/*
 * log.c — the render log (ECHO/WARNING/ERROR/TRACE lines in OpenSCAD's format), the file
 * table used by source locations, and the step/time/cancel checks.
 */
#include "core/ctx.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *level_prefix(facet_log_level level) {
    switch (level) {
    case FACET_LOG_ECHO: return "ECHO: ";
    case FACET_LOG_WARNING: return "WARNING: ";
    case FACET_LOG_ERROR: return "ERROR: ";
    case FACET_LOG_TRACE: return "TRACE: ";
    case FACET_LOG_DEPRECATED: return "DEPRECATED: ";
    case FACET_LOG_INFO: return "";
    }
    return "";
}

void fc_logv(facet_ctx *ctx, facet_log_level level, const char *fmt, va_list ap) {
    const char *prefix = level_prefix(level);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    size_t plen = strlen(prefix);
    char *line = fc_alloc(ctx, plen + (size_t)n + 1);
    memcpy(line, prefix, plen);
    vsnprintf(line + plen, (size_t)n + 1, fmt, ap);
    FC_PUSH(ctx, ctx->log, ctx->nlog, ctx->caplog, line);
    if (ctx->opt.log) ctx->opt.log(ctx->opt.user, level, line);
}

void fc_log(facet_ctx *ctx, facet_log_level level, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fc_logv(ctx, level, fmt, ap);
    va_end(ap);
}

void fc_log_at(facet_ctx *ctx, facet_log_level level, fc_loc loc, const char *fmt, ...) {
    char msg[2048], where[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fc_loc_suffix(ctx, loc, where, sizeof where);
    fc_log(ctx, level, "%s%s", msg, where);
}

void fc_log_clear(facet_ctx *ctx) {
    /* the lines live in the render pool; only forget them */
    ctx->log = NULL;
    ctx->nlog = ctx->caplog = 0;
}

int fc_file_add(facet_ctx *ctx, const char *path, const char *display) {
    for (int i = 0; i < ctx->nfiles; i++)
        if (strcmp(ctx->files[i].path, path) == 0) return i;
    fc_file f = {fc_strdup(ctx, path), fc_strdup(ctx, display ? display : path)};
    FC_PUSH(ctx, ctx->files, ctx->nfiles, ctx->capfiles, f);
    return ctx->nfiles - 1;
}

const char *fc_file_path(const facet_ctx *ctx, int file) {
    return file >= 0 && file < ctx->nfiles ? ctx->files[file].path : "";
}

const char *fc_file_display(const facet_ctx *ctx, int file) {
    return file >= 0 && file < ctx->nfiles ? ctx->files[file].display : "";
}

void fc_loc_suffix(const facet_ctx *ctx, fc_loc loc, char *buf, size_t size) {
    if (loc.file < 0 || loc.line <= 0) {
        if (size) buf[0] = '\0';
        return;
    }
    snprintf(buf, size, " in file %s, line %d", fc_file_display(ctx, loc.file), (int)loc.line);
}

double fc_now_ms(facet_ctx *ctx) {
    if (ctx->opt.clock) return ctx->opt.clock(ctx->opt.user);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

enum { CHECK_INTERVAL = 4096 };

void fc_step_slow(facet_ctx *ctx) {
    if (ctx->steps > ctx->opt.step_limit)
        fc_throw(ctx, FACET_ERR_STEP_LIMIT, FC_NOLOC,
                 "Evaluation step limit of %llu exceeded (runaway loop or recursion?)",
                 (unsigned long long)ctx->opt.step_limit);
    ctx->progress_countdown = CHECK_INTERVAL;
    fc_progress(ctx, ctx->stage ? ctx->stage : "eval", -1.0);
}

void fc_progress(facet_ctx *ctx, const char *stage, double fraction) {
    if (ctx->deadline_ms > 0 && fc_now_ms(ctx) > ctx->deadline_ms)
        fc_throw(ctx, FACET_ERR_TIMEOUT, FC_NOLOC, "Render timed out after %.0f ms",
                 ctx->opt.timeout_ms);
    if (ctx->opt.progress && ctx->opt.progress(ctx->opt.user, stage, fraction))
        fc_throw(ctx, FACET_ERR_CANCELLED, FC_NOLOC, "Render cancelled");
}
