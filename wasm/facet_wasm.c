/*
 * facet_wasm.c — the thin export layer between the wasm module and its JavaScript worker.
 *
 * The worker (facet-worker.js) owns one fw_host for the life of the module: one facet_ctx
 * (so the core's subtree cache makes re-renders fast) plus what the JavaScript side hands in
 * before each call: the virtual files of the request, the -D style parameter overrides, the
 * per-request limits, and the font pack once it has been fetched.
 *
 * Calling convention: JavaScript copies bytes into malloc'ed blocks (exported malloc/free),
 * passes pointers, and reads results back through the accessor functions below; it re-reads
 * HEAPU8 after every call because the heap may have grown. Results stay valid until the next
 * render/parameters/release call.
 *
 * Memory: the core caps its own allocations (facet_options.memory_limit, default 2 GiB minus
 * 64 MiB) and also turns a NULL from malloc into memory_limit, so a model that needs more than
 * the 2 GiB wasm memory fails cleanly and the module stays usable. After a failed render the
 * core still holds that render's pool until the next call, so fw_release() empties it (by an
 * empty facet_parameters call, the only public way) before the worker marshals the next
 * request into the heap.
 *
 * Fonts: the core reads FACET_FONTS_PATH synchronously, at most until it succeeds once per
 * context. The host cannot fetch inside that callback, so the reader records that the pack
 * was wanted (fw_fonts_wanted); the worker then fetches the pack, hands it in with
 * fw_fonts_set() and renders again. Once the core has read the pack it keeps its own copy,
 * so fw_fonts_served() tells the worker it may drop the host copy (fw_fonts_drop).
 *
 * Per-request limits (options.stepLimit, options.timeoutMs) have no setter in facet.h; the
 * host writes them into ctx->opt before each call (hence core/ctx.h), which the core reads
 * when the call begins.
 */
#include <emscripten.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx.h"
#include "facet.h"

typedef struct fw_file {
    char *path;
    uint8_t *data;
    size_t len;
} fw_file;

typedef struct fw_host {
    facet_ctx *ctx;
    fw_file *files;
    int nfiles, capfiles;
    facet_param *params;
    int nparams, capparams;
    uint8_t *fonts; /* the pack, host copy, or NULL */
    size_t fonts_len;
    int fonts_wanted; /* the last call asked for the pack while the host had none */
    int fonts_served; /* the pack was handed to the core during the last call */
    uint64_t default_step_limit;
    facet_result res;
    facet_error_kind kind;
    int warm_left; /* idle warm-up renders still to run (fw_warm_more) */
} fw_host;

/* Progress reaches the worker through Module.onFacetProgress(stage, fraction); a nonzero
 * return cancels the render. The core calls it every few thousand evaluation steps. */
EM_JS(int, fw_js_progress, (const char *stage, double fraction), {
    var f = Module["onFacetProgress"];
    return f ? (f(UTF8ToString(stage), fraction) | 0) : 0;
});

static int progress_cb(void *user, const char *stage, double fraction) {
    (void)user;
    return fw_js_progress(stage, fraction);
}

/* "./a/b.scad" and "a/b.scad" name the same virtual file. */
static const char *strip_dot(const char *p) {
    while (p[0] == '.' && p[1] == '/') p += 2;
    return p;
}

static int read_cb(void *user, const char *path, const char **data, size_t *len) {
    fw_host *h = user;
    if (strcmp(path, FACET_FONTS_PATH) == 0) {
        if (!h->fonts) {
            h->fonts_wanted = 1;
            return -1;
        }
        *data = (const char *)h->fonts;
        *len = h->fonts_len;
        h->fonts_served = 1;
        return 0;
    }
    const char *want = strip_dot(path);
    for (int i = 0; i < h->nfiles; i++) {
        if (strcmp(strip_dot(h->files[i].path), want) == 0) {
            *data = (const char *)h->files[i].data;
            *len = h->files[i].len;
            return 0;
        }
    }
    return -1;
}

/* Warm-up. V8 first runs a wasm function as baseline (Liftoff) code and recompiles it with its
 * optimising compiler (TurboFan) in the background only after it has been called often enough;
 * a call already running stays on the baseline code (wasm has no on-stack replacement). So
 * the first render of a fresh module ran 1.5-3x slower than the next ones (node 20, 2 cores:
 * sphere_holes 153 vs 60 ms, cubes200 187 vs 71, candleStand 312 vs 223), which made the wasm
 * build look several times slower than the native CLI although warm it is as fast. Rendering a
 * small model that goes through the evaluator, the primitives, the boolean kernel and the
 * exporter a few times when the host is created (tens of ms, once per module instance) gets
 * those functions tiered up before the first request. The subtree cache is cleared between the
 * runs (a cached subtree would skip the kernel) and afterwards, and the render pool is emptied,
 * so the host starts as it would without the warm-up; errors (a tiny memory limit) are ignored.
 * TurboFan compiles in the background, so the gain is whole when the worker has a moment idle
 * before its first request (created at page load); one run instead of three left the first
 * render 1.2-2x slow. The cost is those three small renders (30-150 ms) once per instance.
 * The sixteen rotated cubes exercise the many-operand union paths (grouping, reduction
 * order, the apart test): once the kernel had become faster the model without them no
 * longer warmed those, and cubes200's first render took 140 ms against 33 ms warm (now
 * 84-94 ms; sphere_holes 60 -> 40 ms). */
static const char warm_src[] =
    "function f(i) = 60 * i;\n"
    "module holes() for (i = [0:5]) rotate([0, 0, f(i)]) translate([6, 0, 0])\n"
    "  cylinder(r = 2, h = 30, center = true, $fn = 12);\n"
    "difference() { sphere(10, $fn = 24); holes(); cube([4, 30, 4], center = true); }\n"
    "translate([30, 0, 0]) union() { cube(8, center = true); rotate([30, 20, 10]) cube(8); }\n"
    "translate([0, 30, 0]) intersection() { linear_extrude(height = 8, twist = 30) circle(6, $fn = 16);\n"
    "  sphere(7, $fn = 16); }\n"
    "translate([0, -30, 0]) for (i = [0:15]) rotate([i * 37, i * 23, i * 11])\n"
    "  translate([i % 3, i % 4, i % 5]) cube(3, center = true);\n";
enum { WARM_RUNS = 3 };

/* The second warm-up, run while the worker is idle after answering (fw_warm_more): parts
 * sharing bottom planes, holes flush with them and a 2D difference extruded, the commonest
 * shape of an OpenSCAD model (the candle stand's). Its coplanar paths were cold after the
 * first warm-up, and a model built that way ran its first renders on baseline code while they
 * compiled. Measured in Chromium on 2 cores, medians, interleaved: added to the first warm-up,
 * two such renders took the candle stand's first render (right after the page's first
 * picture) from 88 to 54 ms, but cost the first picture 73 ms (463 -> 536 ms); run when idle
 * (the worker), with the candle stand loaded 1.5 s after the page, 84 -> 59 ms and its first
 * slider step 50 -> 44 ms, the first picture unchanged. */
static const char warm_flat_src[] =
    "difference() {\n"
    "  union() {\n"
    "    for (a = [0:60:300]) rotate(a) translate([8, 0, 0]) cylinder(5, r = 2, $fn = 16);\n"
    "    linear_extrude(2) difference() { circle(9, $fn = 48); circle(7, $fn = 48); }\n"
    "    for (a = [0:60:300]) rotate(a) translate([0, -1, 0]) cube([8, 2, 1.5]);\n"
    "  }\n"
    "  for (a = [0:60:300]) rotate(a) translate([8, 0, 0]) cylinder(6, r = 1.2, $fn = 12);\n"
    "}\n";
enum { WARM_FLAT_RUNS = 2 };

static void fw_release_pool(fw_host *h);

static void warm_up(fw_host *h) {
    for (int i = 0; i < WARM_RUNS; i++) {
        facet_result r;
        facet_clear_cache(h->ctx);
        if (facet_render(h->ctx, NULL, warm_src, sizeof warm_src - 1, NULL, 0,
                         FACET_FORMAT_BINSTL, &r) != FACET_ERR_OK)
            break;
    }
    facet_clear_cache(h->ctx);
    fw_release_pool(h);
}

/* memory_limit 0 = the core's default. Returns NULL when out of memory. */
EMSCRIPTEN_KEEPALIVE fw_host *fw_new(double memory_limit) {
    fw_host *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    facet_options o;
    memset(&o, 0, sizeof o);
    o.memory_limit = memory_limit > 0 ? (size_t)memory_limit : 0;
    o.read_file = read_cb;
    o.user = h;
    h->ctx = facet_new(&o);
    if (!h->ctx) {
        free(h);
        return NULL;
    }
    h->default_step_limit = h->ctx->opt.step_limit;
    /* No progress reports (the worker has no request yet) until the warm-up is done. */
    warm_up(h);
    h->warm_left = WARM_FLAT_RUNS;
    h->ctx->opt.progress = progress_cb;
    return h;
}

EMSCRIPTEN_KEEPALIVE void fw_files_clear(fw_host *h) {
    for (int i = 0; i < h->nfiles; i++) {
        free(h->files[i].path);
        free(h->files[i].data);
    }
    h->nfiles = 0;
}

EMSCRIPTEN_KEEPALIVE void fw_params_clear(fw_host *h) {
    for (int i = 0; i < h->nparams; i++) {
        free((char *)h->params[i].name);
        free((char *)h->params[i].expr);
    }
    h->nparams = 0;
}

/* Grows a host array; 0 on success. */
static int grow(void **arr, int *cap, int need, size_t elem) {
    if (need <= *cap) return 0;
    int c = *cap ? *cap * 2 : 8;
    while (c < need) c *= 2;
    void *p = realloc(*arr, (size_t)c * elem);
    if (!p) return -1;
    *arr = p;
    *cap = c;
    return 0;
}

/* Takes ownership of `path` (NUL-terminated) and `data` (malloc'ed by the caller) on
 * success; returns -1 (caller still owns both) when out of memory. */
EMSCRIPTEN_KEEPALIVE int fw_file_add(fw_host *h, char *path, uint8_t *data, size_t len) {
    if (grow((void **)&h->files, &h->capfiles, h->nfiles + 1, sizeof *h->files)) return -1;
    h->files[h->nfiles++] = (fw_file){path, data, len};
    return 0;
}

/* Takes ownership of both strings (malloc'ed by the caller) on success. */
EMSCRIPTEN_KEEPALIVE int fw_param_add(fw_host *h, char *name, char *expr) {
    if (grow((void **)&h->params, &h->capparams, h->nparams + 1, sizeof *h->params)) return -1;
    h->params[h->nparams++] = (facet_param){name, expr};
    return 0;
}

/* Takes ownership of the pack (malloc'ed by the caller). */
EMSCRIPTEN_KEEPALIVE void fw_fonts_set(fw_host *h, uint8_t *data, size_t len) {
    free(h->fonts);
    h->fonts = data;
    h->fonts_len = len;
}

EMSCRIPTEN_KEEPALIVE void fw_fonts_drop(fw_host *h) { fw_fonts_set(h, NULL, 0); }
EMSCRIPTEN_KEEPALIVE int fw_fonts_wanted(const fw_host *h) { return h->fonts_wanted; }
EMSCRIPTEN_KEEPALIVE int fw_fonts_served(const fw_host *h) { return h->fonts_served; }

/* step_limit <= 0 restores the context's default; timeout_ms <= 0 means none. */
EMSCRIPTEN_KEEPALIVE void fw_set_limits(fw_host *h, double step_limit, double timeout_ms) {
    h->ctx->opt.step_limit = step_limit >= 1 ? (uint64_t)step_limit : h->default_step_limit;
    h->ctx->opt.timeout_ms = timeout_ms > 0 ? timeout_ms : 0;
}

static void begin(fw_host *h) {
    h->fonts_wanted = 0;
    h->fonts_served = 0;
    memset(&h->res, 0, sizeof h->res);
}

/* Renders with the files and parameters handed in; returns the error kind (0 = ok).
 * `path` may be NULL (the core then names the input "<input>"). */
EMSCRIPTEN_KEEPALIVE int fw_render(fw_host *h, const char *path, const char *src, size_t len,
                                   int fmt) {
    begin(h);
    if (fmt < 0 || fmt >= FACET_FORMAT_COUNT) fmt = FACET_FORMAT_NONE;
    h->kind = facet_render(h->ctx, path, src, len, h->params, h->nparams, (facet_format)fmt,
                           &h->res);
    return (int)h->kind;
}

EMSCRIPTEN_KEEPALIVE int fw_parameters(fw_host *h, const char *path, const char *src,
                                       size_t len) {
    begin(h);
    h->kind = facet_parameters(h->ctx, path, src, len, &h->res);
    return (int)h->kind;
}

/* Frees what the last call left in the core's render pool (its result included). */
static void fw_release_pool(fw_host *h) {
    facet_result r;
    fw_set_limits(h, 0, 0);
    facet_parameters(h->ctx, NULL, "", 0, &r);
    memset(&h->res, 0, sizeof h->res);
}

EMSCRIPTEN_KEEPALIVE void fw_release(fw_host *h) { fw_release_pool(h); }

/* One render of the idle warm-up (warm_flat_src) in a context of its own, so that the host's
 * subtree cache, limits and pool stay as they are; returns how many are left. Errors (a heap
 * near its cap) are ignored: the warm-up only makes code hot. */
EMSCRIPTEN_KEEPALIVE int fw_warm_more(fw_host *h) {
    if (h->warm_left <= 0) return 0;
    h->warm_left--;
    facet_ctx *c = facet_new(NULL);
    if (c) {
        facet_result r;
        facet_render(c, NULL, warm_flat_src, sizeof warm_flat_src - 1, NULL, 0,
                     FACET_FORMAT_BINSTL, &r);
        facet_free(c);
    }
    return h->warm_left;
}

EMSCRIPTEN_KEEPALIVE void fw_clear_cache(fw_host *h) { facet_clear_cache(h->ctx); }

EMSCRIPTEN_KEEPALIVE const uint8_t *fw_data(const fw_host *h) { return h->res.data; }
EMSCRIPTEN_KEEPALIVE size_t fw_size(const fw_host *h) { return h->res.size; }
EMSCRIPTEN_KEEPALIVE const char *fw_meta_json(const fw_host *h) {
    return h->res.meta_json ? h->res.meta_json : "{}";
}
EMSCRIPTEN_KEEPALIVE const char *fw_params_json(const fw_host *h) {
    return h->res.params_json ? h->res.params_json : "[]";
}

EMSCRIPTEN_KEEPALIVE const char *fw_error_name(int kind) {
    return facet_error_name((facet_error_kind)kind);
}
EMSCRIPTEN_KEEPALIVE const char *fw_error_message(const fw_host *h) {
    const facet_error *e = facet_last_error(h->ctx);
    return e->message ? e->message : "";
}
EMSCRIPTEN_KEEPALIVE const char *fw_error_file(const fw_host *h) {
    const facet_error *e = facet_last_error(h->ctx);
    return e->file ? e->file : "";
}
EMSCRIPTEN_KEEPALIVE int fw_error_line(const fw_host *h) { return facet_last_error(h->ctx)->line; }
EMSCRIPTEN_KEEPALIVE int fw_error_column(const fw_host *h) {
    return facet_last_error(h->ctx)->column;
}
EMSCRIPTEN_KEEPALIVE const char *fw_error_trace(const fw_host *h) {
    const facet_error *e = facet_last_error(h->ctx);
    return e->trace ? e->trace : "";
}

EMSCRIPTEN_KEEPALIVE int fw_format_from_name(const char *name) {
    return (int)facet_format_from_name(name);
}

EMSCRIPTEN_KEEPALIVE void fw_free(fw_host *h) {
    if (!h) return;
    fw_files_clear(h);
    fw_params_clear(h);
    free(h->files);
    free(h->params);
    free(h->fonts);
    facet_free(h->ctx);
    free(h);
}
