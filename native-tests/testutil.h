/*
 * testutil.h — shared helpers for the cmocka tests.
 *
 * Tests that call internal functions directly need a context and a protected frame:
 *
 *     facet_ctx *ctx = tu_ctx();
 *     TU_PROTECT(ctx) { ... code that may throw ... }
 *     assert_int_equal(ctx->err.kind, FACET_ERR_OK);   // or the expected error
 *     tu_ctx_free(ctx);
 *
 * and tu_render() runs the whole pipeline on a source string with files read from disk.
 */
#ifndef FACET_TESTUTIL_H
#define FACET_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ctx.h"
#include "facet.h"

/* Reads files from the real file system (for include/use/import in tests). */
static int tu_read_file(void *user, const char *path, const char **data, size_t *len) {
    (void)user;
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    static __thread char *bufs[256];
    static __thread int nbuf;
    if (fseek(f, 0, SEEK_END) != 0) { fclose(f); return -1; }
    long n = ftell(f);
    if (n < 0) { fclose(f); return -1; }
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    if (!buf) { fclose(f); return -1; }
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = '\0';
    /* tests are short-lived; keep a bounded ring of buffers so ASan sees no leak at exit */
    if (bufs[nbuf % 256]) free(bufs[nbuf % 256]);
    bufs[nbuf++ % 256] = buf;
    *data = buf;
    *len = got;
    return 0;
}

static inline facet_ctx *tu_ctx_opts(facet_options opt) {
    if (!opt.read_file) opt.read_file = tu_read_file;
    facet_ctx *ctx = facet_new(&opt);
    assert_non_null(ctx);
    return ctx;
}

static inline facet_ctx *tu_ctx(void) {
    facet_options opt;
    memset(&opt, 0, sizeof opt);
    return tu_ctx_opts(opt);
}

static inline void tu_ctx_free(facet_ctx *ctx) { facet_free(ctx); }

/* Runs the block in a protected frame; after it, ctx->err.kind tells whether it threw. */
#define TU_PROTECT(ctx)                                                                      \
    for (fc_jmp tu_j_, *tu_once_ = (fc_error_clear(ctx), fc_try_begin((ctx), &tu_j_), NULL);  \
         !tu_once_; tu_once_ = &tu_j_, fc_try_end((ctx), &tu_j_))                             \
        if (setjmp(tu_j_.buf) == 0)

/* Environment helpers: corpus and test data directories. */
static inline const char *tu_env(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

/* Renders source text; returns the error kind. */
static inline facet_error_kind tu_render(facet_ctx *ctx, const char *name, const char *src,
                                         facet_format fmt, facet_result *out) {
    return facet_render(ctx, name, src, strlen(src), NULL, 0, fmt, out);
}

/* Reads a whole file into a malloc'd, NUL-terminated buffer (NULL if missing). */
static inline char *tu_slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = '\0';
    if (len) *len = got;
    return buf;
}

/* Relative comparison for geometry checks. */
static inline int tu_close(double a, double b, double rel) {
    double d = a - b;
    if (d < 0) d = -d;
    double s = (a < 0 ? -a : a) > (b < 0 ? -b : b) ? (a < 0 ? -a : a) : (b < 0 ? -b : b);
    return d <= rel * (s > 1e-300 ? s : 1.0);
}

#endif
