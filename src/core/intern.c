/*
 * intern.c — open-addressing hash set of names, in the keep pool.
 */
#include "core/intern.h"

#include "core/hash.h"

struct fc_interner {
    const char **slots;
    uint64_t *hashes;
    size_t cap, count;
};

static void rehash(facet_ctx *ctx, struct fc_interner *in, size_t ncap) {
    const char **slots = fc_calloc(ctx, ncap, sizeof *slots);
    uint64_t *hashes = fc_calloc(ctx, ncap, sizeof *hashes);
    for (size_t i = 0; i < in->cap; i++) {
        if (!in->slots[i]) continue;
        size_t j = in->hashes[i] & (ncap - 1);
        while (slots[j]) j = (j + 1) & (ncap - 1);
        slots[j] = in->slots[i];
        hashes[j] = in->hashes[i];
    }
    fc_free(ctx, in->slots);
    fc_free(ctx, in->hashes);
    in->slots = slots;
    in->hashes = hashes;
    in->cap = ncap;
}

const char *fc_intern(facet_ctx *ctx, const char *s, size_t len) {
    int old_pool = fc_pool_select(ctx, FC_POOL_KEEP);
    struct fc_interner *in = ctx->names;
    if (!in) {
        in = ctx->names = fc_calloc(ctx, 1, sizeof *in);
        rehash(ctx, in, 256);
    }
    uint64_t h = fc_hash_bytes(0x1234, s, len);
    size_t j = h & (in->cap - 1);
    while (in->slots[j]) {
        if (in->hashes[j] == h && strncmp(in->slots[j], s, len) == 0 && in->slots[j][len] == '\0') {
            fc_pool_select(ctx, old_pool);
            return in->slots[j];
        }
        j = (j + 1) & (in->cap - 1);
    }
    /* Growing may throw memory_limit; the pool is restored by the render's frame. */
    char *copy = fc_strndup(ctx, s, len);
    in->slots[j] = copy;
    in->hashes[j] = h;
    if (++in->count * 2 > in->cap) rehash(ctx, in, in->cap * 2);
    fc_pool_select(ctx, old_pool);
    return copy;
}

void fc_intern_free(facet_ctx *ctx) {
    struct fc_interner *in = ctx->names;
    if (!in) return;
    for (size_t i = 0; i < in->cap; i++) fc_free(ctx, (void *)(uintptr_t)in->slots[i]);
    fc_free(ctx, in->slots);
    fc_free(ctx, in->hashes);
    fc_free(ctx, in);
    ctx->names = NULL;
}
