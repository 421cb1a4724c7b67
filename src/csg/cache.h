/*
 * cache.h — the subtree cache of the geometry stage (used by render.c).
 *
 * Keys are structural hashes of CSG subtrees (csg_hash); values are keep-pool copies of
 * their geometry together with the log lines (warnings) rendering the subtree produced, so
 * that a cache hit reports the same warnings as a fresh render. The cache lives in
 * ctx->cache across renders, is bounded by facet_options.cache_limit bytes (least recently
 * used entries go first) and is freed with the context's keep pool.
 *
 * Whoever frees the keep pool other than through facet_free must call csg_cache_clear
 * first (or set ctx->cache = NULL): the struct itself lives in that pool.
 */
#ifndef FC_CACHE_H
#define FC_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "geom/geo.h"

/* Starts a render: resets the hit/miss counters that csg_cache_stats reports. */
void csg_cache_begin(facet_ctx *ctx);
/* On a hit: *out gets a render-pool copy of the cached geometry (the caller may change it),
 * the cached log lines are replayed, and true is returned. */
bool csg_cache_get(facet_ctx *ctx, uint64_t key, geo *out);
/* Stores a copy of g under key with the log lines ctx->log[log_from .. nlog); values
 * bigger than the whole limit are not stored. */
void csg_cache_put(facet_ctx *ctx, uint64_t key, geo g, int log_from);
/* Bytes and entries held (for tests and stats). */
size_t csg_cache_bytes(const facet_ctx *ctx);
int csg_cache_count(const facet_ctx *ctx);

#endif
