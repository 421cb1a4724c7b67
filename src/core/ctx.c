/*
 * ctx.c — context lifetime, option defaults and the format/error name tables of facet.h.
 * Kept apart from the pipeline (api.c) so that unit tests of one module can create a
 * context without linking every stage.
 */
#include <stdlib.h>
#include <string.h>

#include "core/ctx.h"

#define DEFAULT_MEMORY_LIMIT ((size_t)2048 * 1024 * 1024 - (size_t)64 * 1024 * 1024)
#define DEFAULT_STEP_LIMIT 2000000000ull
#define DEFAULT_RECURSION_LIMIT 100000
#define DEFAULT_CACHE_LIMIT ((size_t)256 * 1024 * 1024)

facet_options facet_options_resolve(const facet_options *opt) {
    facet_options o = {0};
    if (opt) o = *opt;
    if (!o.memory_limit) o.memory_limit = DEFAULT_MEMORY_LIMIT;
    if (!o.step_limit) o.step_limit = DEFAULT_STEP_LIMIT;
    if (!o.recursion_limit) o.recursion_limit = DEFAULT_RECURSION_LIMIT;
    if (!o.cache_limit) o.cache_limit = DEFAULT_CACHE_LIMIT;
    return o;
}

static const char *const format_names[FACET_FORMAT_COUNT] = {
    "none", "binstl", "asciistl", "off", "obj", "3mf", "svg", "dxf", "mesh",
};

facet_format facet_format_from_name(const char *name) {
    if (!name) return FACET_FORMAT_NONE;
    if (strcmp(name, "stl") == 0) return FACET_FORMAT_BINSTL;
    for (int f = 1; f < FACET_FORMAT_COUNT; f++)
        if (strcmp(name, format_names[f]) == 0) return (facet_format)f;
    return FACET_FORMAT_NONE;
}

const char *facet_format_name(facet_format fmt) {
    return (unsigned)fmt < FACET_FORMAT_COUNT ? format_names[fmt] : "none";
}

facet_ctx *facet_new(const facet_options *opt) {
    facet_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    ctx->opt = facet_options_resolve(opt);
    ctx->mem.limit = ctx->opt.memory_limit;
    ctx->mem.pool = FC_POOL_RENDER;
    fc_error_clear(ctx);
    return ctx;
}

void facet_free(facet_ctx *ctx) {
    if (!ctx) return;
    fc_pool_free_all(ctx, FC_POOL_RENDER);
    fc_pool_free_all(ctx, FC_POOL_KEEP);
    free(ctx);
}

const facet_error *facet_last_error(const facet_ctx *ctx) { return &ctx->err; }

