/*
 * ctx.h — the render context and the services every module uses: the capped allocator,
 * the non-local error exit, the log, source locations and the step counter.
 *
 * Design:
 *  - Every allocation goes through fc_alloc()/fc_realloc()/fc_free() on a context. Each block
 *    carries a small header that links it into a pool. The render pool is emptied when a
 *    render ends (successfully or not), so an error thrown from deep inside the kernel leaks
 *    nothing; the keep pool holds what outlives a render (the subtree cache, interned names).
 *  - The cap (facet_options.memory_limit) is checked on every allocation, natively and in
 *    wasm alike; running into it, or malloc returning NULL, throws FACET_ERR_MEMORY_LIMIT.
 *  - Errors unwind with longjmp to the innermost fc_jmp frame (as Lua does): code between
 *    the throw and the frame must not hold resources other than pool memory.
 */
#ifndef FC_CTX_H
#define FC_CTX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facet.h"

/* A position in the source: file is an index into the context's file table
 * (fc_file_name), line and column are 1-based; all zero means "unknown". */
typedef struct fc_loc {
    int32_t file;
    int32_t line;
    int32_t col;
} fc_loc;

#define FC_NOLOC ((fc_loc){-1, 0, 0})

enum { FC_POOL_RENDER = 0, FC_POOL_KEEP = 1, FC_POOL_COUNT };

typedef struct fc_block fc_block;

typedef struct fc_mem {
    fc_block *head[FC_POOL_COUNT]; /* doubly-linked list of live blocks per pool */
    size_t used;                   /* bytes held (payload + headers), all pools */
    size_t peak;                   /* highest `used` since the last fc_mem_reset_peak */
    size_t limit;                  /* the cap */
    int pool;                      /* pool that new blocks go to */
} fc_mem;

typedef struct fc_jmp {
    jmp_buf buf;
    struct fc_jmp *prev;
} fc_jmp;

/* A file the render has seen: the main file, includes, imports. */
typedef struct fc_file {
    char *path;    /* as resolved, used to open it and to resolve relative paths */
    char *display; /* as printed in messages (OpenSCAD prints the name as written) */
} fc_file;

struct eval_state;   /* src/eval */
struct csg_cache;    /* src/csg */
struct font_state;   /* src/geom/text */
struct fc_interner;  /* src/core/intern.c */

struct facet_ctx {
    facet_options opt; /* resolved */
    fc_mem mem;
    fc_jmp *jmp; /* innermost protected frame */

    /* error of the last failed render; strings live in fixed buffers so that reporting a
     * memory_limit error does not itself need memory */
    facet_error err;
    char err_message[1024];
    char err_file[512];
    char err_trace[4096];

    /* log lines of the current render (render pool) */
    char **log;
    int nlog, caplog;

    fc_file *files;
    int nfiles, capfiles;

    /* limits */
    uint64_t steps;
    double deadline_ms; /* 0 = none */
    int progress_countdown;
    const char *stage; /* "parse", "eval", "geometry", "export": for progress reports */

    struct fc_interner *names; /* keep pool: identifiers, stable across renders */
    struct eval_state *eval;
    struct csg_cache *cache;
    struct font_state *fonts;
    /* rands()' generator (render pool): OpenSCAD keeps one per process, so an unseeded call
     * continues where the last seeded call left off; per render is the closest we get
     * without global state. NULL until the first rands() call. */
    void *rng;

    /* the result handed to the host (render pool) */
    uint8_t *out_data;
    size_t out_size;
    char *meta_json;
    char *params_json;

    /* the customizer JSON of the last source text, with a copy of that text (keep pool):
     * see params_json_of() in api.c */
    char *pj_src;
    size_t pj_len;
    char *pj_json;
};

/* ---- allocation (src/core/mem.c) ---- */
void *fc_alloc(facet_ctx *ctx, size_t size);              /* uninitialised; throws */
void *fc_calloc(facet_ctx *ctx, size_t n, size_t size);   /* zeroed, overflow-checked */
void *fc_realloc(facet_ctx *ctx, void *p, size_t size);   /* p may be NULL */
void *fc_realloc_array(facet_ctx *ctx, void *p, size_t n, size_t size);
void fc_free(facet_ctx *ctx, void *p);                    /* p may be NULL */
char *fc_strdup(facet_ctx *ctx, const char *s);
char *fc_strndup(facet_ctx *ctx, const char *s, size_t n);
void *fc_memdup(facet_ctx *ctx, const void *p, size_t n);
/* Moves a block to the keep pool (it then survives the end of the render). */
void fc_keep(facet_ctx *ctx, void *p);
/* Moves a block back to the render pool. */
void fc_unkeep(facet_ctx *ctx, void *p);
/* Selects the pool new blocks go to; returns the previous one. */
int fc_pool_select(facet_ctx *ctx, int pool);
/* Frees every block of a pool. */
void fc_pool_free_all(facet_ctx *ctx, int pool);
size_t fc_block_size(const void *p); /* payload size of a live block */

/* Grows *p (an array of elem-sized items with capacity *cap) to hold at least `need` items,
 * doubling. */
void fc_grow(facet_ctx *ctx, void **p, int *cap, int need, size_t elem);
#define FC_GROW(ctx, arr, cap, need) fc_grow((ctx), (void **)&(arr), &(cap), (need), sizeof *(arr))
/* Appends one item to a dynamic array (arr, n, cap). */
#define FC_PUSH(ctx, arr, n, cap, item)                                                      \
    do {                                                                                     \
        FC_GROW((ctx), (arr), (cap), (n) + 1);                                               \
        (arr)[(n)++] = (item);                                                               \
    } while (0)

/* ---- errors (src/core/err.c) ---- */
/* Protected region:
 *     fc_jmp j;
 *     fc_try_begin(ctx, &j);
 *     if (setjmp(j.buf) == 0) { ...; }
 *     fc_try_end(ctx, &j);   // on both paths
 * After a throw, ctx->err holds the error. */
void fc_try_begin(facet_ctx *ctx, fc_jmp *j);
void fc_try_end(facet_ctx *ctx, fc_jmp *j);
/* Sets the error (message formatted printf-style) and unwinds to the innermost frame. The
 * message is the text OpenSCAD prints after "ERROR: " (location included when OpenSCAD
 * includes it); `loc` is also stored in structured form. */
_Noreturn void fc_throw(facet_ctx *ctx, facet_error_kind kind, fc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
_Noreturn void fc_throwv(facet_ctx *ctx, facet_error_kind kind, fc_loc loc, const char *fmt,
                         va_list ap);
/* Re-raises the error already in ctx->err (after a nested frame caught it). */
_Noreturn void fc_rethrow(facet_ctx *ctx);
/* Appends one "TRACE: ..." line to the current error's trace. */
void fc_error_trace(facet_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fc_error_clear(facet_ctx *ctx);

/* ---- log (src/core/log.c) ---- */
/* Appends a line "<PREFIX>: <text>" (ECHO/WARNING/ERROR/TRACE/DEPRECATED) to the render's
 * log and hands it to the host's log callback. */
void fc_log(facet_ctx *ctx, facet_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void fc_logv(facet_ctx *ctx, facet_log_level level, const char *fmt, va_list ap);
/* The same with OpenSCAD's location suffix: " in file NAME, line N". */
void fc_log_at(facet_ctx *ctx, facet_log_level level, fc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void fc_log_clear(facet_ctx *ctx);

/* ---- files ---- */
/* Registers a file, returns its index (reuses the index of an equal path). */
int fc_file_add(facet_ctx *ctx, const char *path, const char *display);
const char *fc_file_path(const facet_ctx *ctx, int file);
const char *fc_file_display(const facet_ctx *ctx, int file);
/* Writes " in file NAME, line N" for loc into buf (empty for an unknown loc). */
void fc_loc_suffix(const facet_ctx *ctx, fc_loc loc, char *buf, size_t size);

/* ---- steps, time and cancellation ---- */
double fc_now_ms(facet_ctx *ctx);
/* Counts one evaluation step; throws step_limit past the limit, and every few thousand
 * steps checks the deadline and the host's cancel flag (progress callback). */
void fc_step_slow(facet_ctx *ctx);
static inline void fc_step(facet_ctx *ctx) {
    if (++ctx->steps > ctx->opt.step_limit || --ctx->progress_countdown <= 0) fc_step_slow(ctx);
}
/* Reports progress (stage, fraction) and honours cancellation/timeout. */
void fc_progress(facet_ctx *ctx, const char *stage, double fraction);
/* For long geometry loops: cheap, checks cancel/timeout every few thousand calls. */
static inline void fc_tick(facet_ctx *ctx) {
    if (--ctx->progress_countdown <= 0) fc_step_slow(ctx);
}

#endif
