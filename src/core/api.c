/*
 * api.c — the public API (facet.h): context lifetime and the render pipeline
 *
 *   source --parse--> AST --eval--> CSG tree --csg_render--> geo --export--> bytes
 *
 * Each public call runs inside one protected frame. Whatever happens inside, the frame's
 * exit path frees the previous render's pool and leaves the context ready for the next call;
 * only the subtree cache and interned names (keep pool) survive between renders.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx.h"
#include "core/intern.h"
#include "core/sbuf.h"
#include "csg/render.h"
#include "eval/eval.h"
#include "geom/poly2_ops.h"
#include "io/export.h"
#include "lang/parse.h"

void facet_clear_cache(facet_ctx *ctx) {
    fc_jmp j;
    fc_try_begin(ctx, &j);
    if (setjmp(j.buf) == 0) csg_cache_clear(ctx);
    fc_try_end(ctx, &j);
}

/* Forgets everything of the previous call: its pool, log, files and result. The keep pool
 * (cache, names) stays. */
static void begin_call(facet_ctx *ctx) {
    fc_pool_free_all(ctx, FC_POOL_RENDER);
    ctx->mem.pool = FC_POOL_RENDER;
    ctx->mem.peak = ctx->mem.used;
    fc_log_clear(ctx);
    ctx->files = NULL;
    ctx->nfiles = ctx->capfiles = 0;
    ctx->steps = 0;
    ctx->progress_countdown = 4096;
    ctx->stage = "parse";
    ctx->out_data = NULL;
    ctx->out_size = 0;
    ctx->meta_json = ctx->params_json = NULL;
    ctx->eval = NULL;
    ctx->rng = NULL;
    fc_error_clear(ctx);
    ctx->deadline_ms = ctx->opt.timeout_ms > 0 ? fc_now_ms(ctx) + ctx->opt.timeout_ms : 0;
}

static void stats_of(facet_ctx *ctx, const geo *g, facet_stats *st) {
    for (int i = 0; i < 3; i++) st->bbox_min[i] = st->bbox_max[i] = 0;
    st->dim = g->dim;
    if (g->dim == 3 && g->m && g->m->nt > 0) {
        mesh *m = g->m;
        st->triangles = m->nt;
        st->vertices = m->nv;
        mesh_bbox(m, st->bbox_min, st->bbox_max);
        st->volume = mesh_volume(m);
        st->area = mesh_area(m);
        st->manifold = mesh_is_manifold(ctx, m);
        if (st->manifold) {
            bool outward;
            mesh_topology(ctx, m, &st->genus, &outward);
            st->outward = outward;
        }
    } else if (g->dim == 2 && g->p && g->p->ncontours > 0) {
        double lo[2], hi[2];
        poly2_bbox(g->p, lo, hi);
        st->bbox_min[0] = lo[0], st->bbox_min[1] = lo[1];
        st->bbox_max[0] = hi[0], st->bbox_max[1] = hi[1];
        st->area = poly2_area(g->p);
        st->contours = g->p->ncontours;
        st->vertices = g->p->npoints;
        /* facet.h promises the fill's triangle count, which is what viewers draw */
        int32_t *tris = NULL;
        st->triangles = poly2_triangulate(ctx, g->p, &tris);
        fc_free(ctx, tris);
        st->manifold = 1;
    } else {
        st->dim = 0;
    }
}

static void meta_json(facet_ctx *ctx, const facet_stats *st, bool ok) {
    sbuf b;
    sb_init(&b, ctx);
    sb_printf(&b, "{\"ok\":%s,\"dim\":%d,\"triangles\":%ld,\"vertices\":%ld,\"contours\":%ld,",
              ok ? "true" : "false", st->dim, st->triangles, st->vertices, st->contours);
    sb_puts(&b, "\"bbox\":[[");
    for (int i = 0; i < 3; i++) {
        if (i) sb_putc(&b, ',');
        sb_json_num(&b, st->bbox_min[i]);
    }
    sb_puts(&b, "],[");
    for (int i = 0; i < 3; i++) {
        if (i) sb_putc(&b, ',');
        sb_json_num(&b, st->bbox_max[i]);
    }
    sb_puts(&b, "]],\"volume\":");
    sb_json_num(&b, st->volume);
    sb_puts(&b, ",\"area\":");
    sb_json_num(&b, st->area);
    sb_printf(&b, ",\"manifold\":%s,\"genus\":%ld,\"outward\":%s,", st->manifold ? "true" : "false",
              st->genus, st->outward ? "true" : "false");
    sb_printf(&b,
              "\"ms\":{\"parse\":%.3f,\"eval\":%.3f,\"geometry\":%.3f,\"export\":%.3f},"
              "\"cache\":{\"hits\":%ld,\"misses\":%ld},\"peak_memory\":%zu,\"log\":[",
              st->ms_parse, st->ms_eval, st->ms_geometry, st->ms_export, st->cache_hits,
              st->cache_misses, st->peak_memory);
    for (int i = 0; i < ctx->nlog; i++) {
        if (i) sb_putc(&b, ',');
        sb_json_str(&b, ctx->log[i], strlen(ctx->log[i]));
    }
    sb_puts(&b, "]}");
    ctx->meta_json = sb_take(&b, NULL);
}

static void fill_result(facet_ctx *ctx, facet_result *out, const facet_stats *st) {
    memset(out, 0, sizeof *out);
    out->data = ctx->out_data;
    out->size = ctx->out_size;
    out->stats = *st;
    out->meta_json = ctx->meta_json ? ctx->meta_json : "{}";
    out->params_json = ctx->params_json ? ctx->params_json : "[]";
    out->nlog = ctx->nlog;
    out->log = (const char *const *)ctx->log;
}

/* Logs the error the way OpenSCAD prints it, trace included. Runs after the frame caught
 * the error, so it must not throw: for memory_limit the pool may be exhausted, hence the
 * nested frame. */
static void log_error(facet_ctx *ctx) {
    fc_jmp j;
    facet_error saved = ctx->err;
    fc_try_begin(ctx, &j);
    if (setjmp(j.buf) == 0) {
        fc_log(ctx, FACET_LOG_ERROR, "%s", ctx->err_message);
        for (const char *t = ctx->err_trace; *t;) {
            const char *nl = strchr(t, '\n');
            size_t n = nl ? (size_t)(nl - t) : strlen(t);
            fc_log(ctx, FACET_LOG_TRACE, "%.*s", (int)n, t);
            t += n + (nl ? 1 : 0);
        }
    }
    fc_try_end(ctx, &j);
    ctx->err = saved;
}

/* The customizer's parameters depend on the source text alone, and a slider drag renders the
 * same text over and over: the JSON of the last text is kept, with a copy of the text, in the
 * keep pool and handed out again while the text is unchanged. Besides the repeated work, this
 * keeps the builder cold in the wasm build: run on every render it became hot enough for V8
 * to recompile it with its optimising compiler, in the background, right in the first slider
 * steps (31 ms of one of two cores in a Chromium trace of the candle stand's steps; it is one
 * of the largest functions of the module). Texts over 1 MiB are not kept, nor the empty
 * text, with which the wasm host empties the render pool between requests. */
enum { PJ_KEEP_MAX = 1 << 20 };

static char *params_json_of(facet_ctx *ctx, const ast_program *prog, const char *src,
                            size_t len) {
    if (ctx->pj_json && ctx->pj_len == len && memcmp(ctx->pj_src, src, len) == 0)
        return ctx->pj_json;
    sbuf pj;
    sb_init(&pj, ctx);
    custom_params_json(ctx, prog, src, len, &pj);
    char *json = sb_take(&pj, NULL);
    if (len > 0 && len <= PJ_KEEP_MAX) {
        char *copy = fc_memdup(ctx, src, len); /* may throw: the old entry is still whole */
        fc_free(ctx, ctx->pj_src);
        fc_free(ctx, ctx->pj_json);
        fc_keep(ctx, copy);
        fc_keep(ctx, json);
        ctx->pj_src = copy;
        ctx->pj_len = len;
        ctx->pj_json = json;
    }
    return json;
}

facet_error_kind facet_render(facet_ctx *ctx, const char *path, const char *src, size_t len,
                              const facet_param *params, int nparams, facet_format fmt,
                              facet_result *out) {
    begin_call(ctx);
    facet_stats st;
    memset(&st, 0, sizeof st);
    bool ok = false;
    fc_jmp j;
    fc_try_begin(ctx, &j);
    if (setjmp(j.buf) == 0) {
        double t0 = fc_now_ms(ctx);
        const char *name = path && *path ? path : "<input>";
        const char *base = strrchr(name, '/');
        int file = fc_file_add(ctx, name, base ? base + 1 : name);
        ast_program *prog = parse_program(ctx, file, src, len);
        eval_override *ov = nparams > 0 ? fc_calloc(ctx, (size_t)nparams, sizeof *ov) : NULL;
        for (int i = 0; i < nparams; i++) {
            int pf = fc_file_add(ctx, "<-D>", "<-D>");
            ov[i].name = fc_intern_cstr(ctx, params[i].name);
            ov[i].expr = parse_expression(ctx, pf, params[i].expr, strlen(params[i].expr));
        }
        ctx->params_json = params_json_of(ctx, prog, src, len);
        double t1 = fc_now_ms(ctx);
        st.ms_parse = t1 - t0;

        ctx->stage = "eval";
        fc_progress(ctx, "eval", 0.0);
        csg_node *root = eval_program(ctx, prog, ov, nparams);
        double t2 = fc_now_ms(ctx);
        st.ms_eval = t2 - t1;

        ctx->stage = "geometry";
        fc_progress(ctx, "geometry", 0.0);
        geo g = csg_render(ctx, root);
        double t3 = fc_now_ms(ctx);
        st.ms_geometry = t3 - t2;

        ctx->stage = "export";
        fc_progress(ctx, "export", 0.0);
        stats_of(ctx, &g, &st);
        if (fmt != FACET_FORMAT_NONE) {
            sbuf ob;
            sb_init(&ob, ctx);
            export_geo(ctx, &g, fmt, &ob);
            ctx->out_data = (uint8_t *)sb_take(&ob, &ctx->out_size);
        }
        st.ms_export = fc_now_ms(ctx) - t3;
        csg_cache_stats(ctx, &st.cache_hits, &st.cache_misses);
        ok = true;
    }
    fc_try_end(ctx, &j);
    ctx->mem.pool = FC_POOL_RENDER;
    ctx->stage = NULL;
    if (!ok) {
        log_error(ctx);
        ctx->out_data = NULL;
        ctx->out_size = 0;
    }
    st.peak_memory = ctx->mem.peak;
    /* The metadata is best effort after a memory_limit error: without room it stays "{}". */
    fc_jmp j2;
    fc_try_begin(ctx, &j2);
    facet_error saved = ctx->err;
    if (setjmp(j2.buf) == 0) meta_json(ctx, &st, ok);
    fc_try_end(ctx, &j2);
    ctx->err = saved;
    fill_result(ctx, out, &st);
    return ok ? FACET_ERR_OK : ctx->err.kind;
}

facet_error_kind facet_parameters(facet_ctx *ctx, const char *path, const char *src,
                                  size_t len, facet_result *out) {
    begin_call(ctx);
    facet_stats st;
    memset(&st, 0, sizeof st);
    bool ok = false;
    fc_jmp j;
    fc_try_begin(ctx, &j);
    if (setjmp(j.buf) == 0) {
        const char *name = path && *path ? path : "<input>";
        const char *base = strrchr(name, '/');
        int file = fc_file_add(ctx, name, base ? base + 1 : name);
        ast_program *prog = parse_program(ctx, file, src, len);
        ctx->params_json = params_json_of(ctx, prog, src, len);
        ok = true;
    }
    fc_try_end(ctx, &j);
    ctx->mem.pool = FC_POOL_RENDER;
    ctx->stage = NULL;
    if (!ok) log_error(ctx);
    fill_result(ctx, out, &st);
    return ok ? FACET_ERR_OK : ctx->err.kind;
}
