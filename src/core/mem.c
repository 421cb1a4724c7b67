/*
 * mem.c — the context's allocator: malloc with a header per block, pools, and a hard cap.
 *
 * Why a header per block instead of a pure arena: evaluation and the kernel both build
 * growable arrays (realloc) and free temporaries as they go, so memory use must follow the
 * live data, while an error thrown anywhere must still release everything. Linking every
 * block into its pool gives both: fc_free() returns memory at once, and the end of a render
 * frees whatever is left in the render pool.
 */
#include "core/ctx.h"

#include <stdlib.h>
#include <string.h>

struct fc_block {
    fc_block *prev, *next;
    size_t size;   /* payload bytes */
    uint32_t pool;
    uint32_t magic;
};

#define FC_MAGIC 0xFACE7u
/* Header size rounded up so that payloads keep malloc's alignment on every target. */
#define FC_HDR ((sizeof(fc_block) + 15u) & ~(size_t)15u)

static fc_block *hdr_of(const void *p) { return (fc_block *)((char *)(uintptr_t)p - FC_HDR); }

static void link_block(fc_mem *m, fc_block *b, int pool) {
    b->pool = (uint32_t)pool;
    b->prev = NULL;
    b->next = m->head[pool];
    if (b->next) b->next->prev = b;
    m->head[pool] = b;
}

static void unlink_block(fc_mem *m, fc_block *b) {
    if (b->prev) b->prev->next = b->next;
    else m->head[b->pool] = b->next;
    if (b->next) b->next->prev = b->prev;
}

static _Noreturn void out_of_memory(facet_ctx *ctx, size_t size) {
    fc_throw(ctx, FACET_ERR_MEMORY_LIMIT, FC_NOLOC,
             "Out of memory: the render needs more than the limit of %zu MiB (request of %zu "
             "bytes with %zu MiB in use)",
             ctx->mem.limit >> 20, size, ctx->mem.used >> 20);
}

static bool over_cap(const fc_mem *m, size_t add) {
    return add > m->limit || m->used > m->limit - add;
}

void *fc_alloc(facet_ctx *ctx, size_t size) {
    fc_mem *m = &ctx->mem;
    if (size > SIZE_MAX - FC_HDR || over_cap(m, size + FC_HDR)) out_of_memory(ctx, size);
    fc_block *b = malloc(FC_HDR + size);
    if (!b) out_of_memory(ctx, size);
    b->size = size;
    b->magic = FC_MAGIC;
    link_block(m, b, m->pool);
    m->used += size + FC_HDR;
    if (m->used > m->peak) m->peak = m->used;
    return (char *)b + FC_HDR;
}

void *fc_calloc(facet_ctx *ctx, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) out_of_memory(ctx, SIZE_MAX);
    void *p = fc_alloc(ctx, n * size);
    memset(p, 0, n * size);
    return p;
}

void *fc_realloc(facet_ctx *ctx, void *p, size_t size) {
    if (!p) return fc_alloc(ctx, size);
    fc_mem *m = &ctx->mem;
    fc_block *b = hdr_of(p);
    size_t old = b->size;
    if (size > old && (size > SIZE_MAX - FC_HDR || over_cap(m, size - old)))
        out_of_memory(ctx, size);
    int pool = (int)b->pool;
    unlink_block(m, b);
    fc_block *nb = realloc(b, FC_HDR + size);
    if (!nb) {
        link_block(m, b, pool); /* the old block is still valid */
        out_of_memory(ctx, size);
    }
    nb->size = size;
    link_block(m, nb, pool);
    m->used = m->used - old + size;
    if (m->used > m->peak) m->peak = m->used;
    return (char *)nb + FC_HDR;
}

void *fc_realloc_array(facet_ctx *ctx, void *p, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) out_of_memory(ctx, SIZE_MAX);
    return fc_realloc(ctx, p, n * size);
}

void fc_free(facet_ctx *ctx, void *p) {
    if (!p) return;
    fc_block *b = hdr_of(p);
    unlink_block(&ctx->mem, b);
    ctx->mem.used -= b->size + FC_HDR;
    b->magic = 0;
    free(b);
}

size_t fc_block_size(const void *p) { return p ? hdr_of(p)->size : 0; }

char *fc_strndup(facet_ctx *ctx, const char *s, size_t n) {
    char *d = fc_alloc(ctx, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *fc_strdup(facet_ctx *ctx, const char *s) { return fc_strndup(ctx, s, strlen(s)); }

void *fc_memdup(facet_ctx *ctx, const void *p, size_t n) {
    void *d = fc_alloc(ctx, n ? n : 1);
    if (n) memcpy(d, p, n);
    return d;
}

void fc_keep(facet_ctx *ctx, void *p) {
    fc_block *b = hdr_of(p);
    unlink_block(&ctx->mem, b);
    link_block(&ctx->mem, b, FC_POOL_KEEP);
}

void fc_unkeep(facet_ctx *ctx, void *p) {
    fc_block *b = hdr_of(p);
    unlink_block(&ctx->mem, b);
    link_block(&ctx->mem, b, FC_POOL_RENDER);
}

int fc_pool_select(facet_ctx *ctx, int pool) {
    int old = ctx->mem.pool;
    ctx->mem.pool = pool;
    return old;
}

void fc_pool_free_all(facet_ctx *ctx, int pool) {
    fc_mem *m = &ctx->mem;
    fc_block *b = m->head[pool];
    while (b) {
        fc_block *next = b->next;
        m->used -= b->size + FC_HDR;
        b->magic = 0;
        free(b);
        b = next;
    }
    m->head[pool] = NULL;
}

void fc_grow(facet_ctx *ctx, void **p, int *cap, int need, size_t elem) {
    if (need <= *cap) return;
    if (need < 0 || (size_t)need > (size_t)INT32_MAX)
        fc_throw(ctx, FACET_ERR_MEMORY_LIMIT, FC_NOLOC, "Out of memory: array of %d elements",
                 need);
    size_t c = *cap < 8 ? 8 : (size_t)*cap;
    while (c < (size_t)need) c += c / 2 + 8;
    if (c > (size_t)INT32_MAX) c = (size_t)INT32_MAX;
    *p = fc_realloc_array(ctx, *p, c, elem);
    *cap = (int)c;
}
