/*
 * cache.c — the subtree cache (cache.h): an open-addressing hash table from subtree hash to
 * entry, and a doubly linked recency list over the entries for LRU eviction.
 *
 * Everything the cache owns is in the keep pool: the table, the entries, the geometry
 * copies and the saved log lines. Values are copied in and out, so neither the renderer
 * (which transforms child geometry in place) nor a later render can disturb what is cached.
 */
#include <string.h>

#include "csg/cache.h"
#include "csg/render.h"

#define SLOT_EMPTY (-1)
#define SLOT_GONE (-2)

typedef struct cache_entry {
    uint64_t key;
    geo g;
    size_t bytes;
    char **log; /* lines as printed ("WARNING: ..."), keep pool */
    int nlog;
    int32_t prev, next; /* recency list: prev is more recent */
    bool live;
} cache_entry;

struct csg_cache {
    cache_entry *e;
    int32_t ne, cap;
    int32_t *slot;
    uint32_t nslot;  /* power of two */
    int32_t nfilled; /* live entries plus tombstones in the table */
    int32_t head, tail, free_list;
    size_t bytes;
    long hits, misses;
};

static void *keep_alloc(facet_ctx *ctx, size_t size) {
    void *p = fc_alloc(ctx, size);
    fc_keep(ctx, p);
    return p;
}

static struct csg_cache *cache_of(facet_ctx *ctx) {
    if (!ctx->cache) {
        /* both blocks first, then into the keep pool: a throw leaves nothing behind */
        struct csg_cache *c = fc_calloc(ctx, 1, sizeof *c);
        int32_t *slot = fc_alloc(ctx, 64 * sizeof *slot);
        fc_keep(ctx, c);
        fc_keep(ctx, slot);
        c->head = c->tail = c->free_list = -1;
        c->nslot = 64;
        c->slot = slot;
        for (uint32_t i = 0; i < c->nslot; i++) c->slot[i] = SLOT_EMPTY;
        ctx->cache = c;
    }
    return ctx->cache;
}

static uint32_t slot_of(const struct csg_cache *c, uint64_t key) {
    return (uint32_t)(key ^ (key >> 29) ^ (key >> 47)) & (c->nslot - 1);
}

/* Slot holding key, or -1. */
static int32_t find_slot(const struct csg_cache *c, uint64_t key) {
    for (uint32_t i = slot_of(c, key), n = 0; n < c->nslot; i = (i + 1) & (c->nslot - 1), n++) {
        int32_t s = c->slot[i];
        if (s == SLOT_EMPTY) return -1;
        if (s >= 0 && c->e[s].key == key) return (int32_t)i;
    }
    return -1;
}

static void table_rebuild(facet_ctx *ctx, struct csg_cache *c, uint32_t nslot) {
    int32_t *slot = keep_alloc(ctx, nslot * sizeof *slot); /* before anything changes */
    fc_free(ctx, c->slot);
    c->nslot = nslot;
    c->slot = slot;
    for (uint32_t i = 0; i < nslot; i++) c->slot[i] = SLOT_EMPTY;
    c->nfilled = 0;
    for (int32_t k = 0; k < c->ne; k++) {
        if (!c->e[k].live) continue;
        uint32_t i = slot_of(c, c->e[k].key);
        while (c->slot[i] != SLOT_EMPTY) i = (i + 1) & (nslot - 1);
        c->slot[i] = k;
        c->nfilled++;
    }
}

static void lru_unlink(struct csg_cache *c, int32_t k) {
    cache_entry *e = &c->e[k];
    if (e->prev >= 0) c->e[e->prev].next = e->next;
    else c->head = e->next;
    if (e->next >= 0) c->e[e->next].prev = e->prev;
    else c->tail = e->prev;
    e->prev = e->next = -1;
}

static void lru_push_front(struct csg_cache *c, int32_t k) {
    cache_entry *e = &c->e[k];
    e->prev = -1;
    e->next = c->head;
    if (c->head >= 0) c->e[c->head].prev = k;
    c->head = k;
    if (c->tail < 0) c->tail = k;
}

static void geo_release(facet_ctx *ctx, geo *g) {
    if (g->dim == 3 && g->m) mesh_free(ctx, g->m);
    if (g->dim == 2 && g->p) poly2_free(ctx, g->p);
    *g = geo_empty();
}

static void evict(facet_ctx *ctx, struct csg_cache *c, int32_t k) {
    cache_entry *e = &c->e[k];
    int32_t s = find_slot(c, e->key);
    if (s >= 0) c->slot[s] = SLOT_GONE;
    lru_unlink(c, k);
    geo_release(ctx, &e->g);
    for (int i = 0; i < e->nlog; i++) fc_free(ctx, e->log[i]);
    fc_free(ctx, e->log);
    e->log = NULL;
    e->nlog = 0;
    c->bytes -= e->bytes;
    e->live = false;
    e->next = c->free_list;
    c->free_list = k;
}

/* A copy of g in the pool currently selected by the callers of this helper: render pool
 * (mesh_clone/poly2_clone allocate there). */
static geo geo_copy(facet_ctx *ctx, geo g) {
    if (g.dim == 3 && g.m) return geo_mesh(mesh_clone(ctx, g.m));
    if (g.dim == 2 && g.p) return geo_poly(poly2_clone(ctx, g.p));
    return geo_empty();
}

static size_t geo_bytes(geo g) {
    if (g.dim == 3 && g.m) return mesh_bytes(g.m);
    if (g.dim == 2 && g.p) return poly2_bytes(g.p);
    return 0;
}

static facet_log_level level_of(const char *line) {
    static const struct {
        const char *prefix;
        facet_log_level level;
    } map[] = {{"ECHO: ", FACET_LOG_ECHO},   {"WARNING: ", FACET_LOG_WARNING},
               {"ERROR: ", FACET_LOG_ERROR}, {"TRACE: ", FACET_LOG_TRACE},
               {"DEPRECATED: ", FACET_LOG_DEPRECATED}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(line, map[i].prefix, strlen(map[i].prefix)) == 0) return map[i].level;
    return FACET_LOG_INFO;
}

void csg_cache_begin(facet_ctx *ctx) {
    if (ctx->cache) ctx->cache->hits = ctx->cache->misses = 0;
}

bool csg_cache_get(facet_ctx *ctx, uint64_t key, geo *out) {
    struct csg_cache *c = cache_of(ctx);
    int32_t s = find_slot(c, key);
    if (s < 0) {
        c->misses++;
        return false;
    }
    int32_t k = c->slot[s];
    c->hits++;
    lru_unlink(c, k);
    lru_push_front(c, k);
    cache_entry *e = &c->e[k];
    for (int i = 0; i < e->nlog; i++) {
        facet_log_level level = level_of(e->log[i]);
        const char *text = e->log[i];
        if (level != FACET_LOG_INFO) text = strchr(text, ' ') + 1; /* fc_log adds the prefix */
        fc_log(ctx, level, "%s", text);
    }
    *out = geo_copy(ctx, e->g);
    return true;
}

/* Storing is done in two halves so that running into the memory cap half way (a throw)
 * leaves the cache consistent: first everything that allocates (copies in the render pool,
 * room in the entry array and table), then a commit that only moves blocks to the keep
 * pool and links them, which cannot fail. */
void csg_cache_put(facet_ctx *ctx, uint64_t key, geo g, int log_from) {
    struct csg_cache *c = cache_of(ctx);
    size_t bytes = sizeof(cache_entry) + geo_bytes(g);
    int nlog = ctx->nlog > log_from ? ctx->nlog - log_from : 0;
    for (int i = 0; i < nlog; i++) bytes += strlen(ctx->log[log_from + i]) + 1 + sizeof(char *);
    if (bytes > ctx->opt.cache_limit || find_slot(c, key) >= 0) return;
    while (c->bytes + bytes > ctx->opt.cache_limit && c->tail >= 0) evict(ctx, c, c->tail);

    /* 1. allocations */
    geo copy = geo_copy(ctx, g);
    char **log = NULL;
    if (nlog > 0) {
        log = fc_alloc(ctx, (size_t)nlog * sizeof *log);
        for (int i = 0; i < nlog; i++) log[i] = fc_strdup(ctx, ctx->log[log_from + i]);
    }
    if (c->free_list < 0 && c->ne == c->cap) {
        int32_t cap = c->cap ? 2 * c->cap : 32;
        if (c->e) {
            c->e = fc_realloc_array(ctx, c->e, (size_t)cap, sizeof *c->e);
        } else {
            c->e = fc_realloc_array(ctx, NULL, (size_t)cap, sizeof *c->e);
            fc_keep(ctx, c->e);
        }
        c->cap = cap;
    }
    if ((uint32_t)(c->nfilled + 1) * 2 > c->nslot) {
        uint32_t n = 64;
        while (n < 4u * (uint32_t)(c->ne + 1)) n <<= 1;
        table_rebuild(ctx, c, n); /* also drops tombstones */
    }

    /* 2. commit */
    int32_t k;
    if (c->free_list >= 0) {
        k = c->free_list;
        c->free_list = c->e[k].next;
    } else {
        k = c->ne++;
    }
    cache_entry *e = &c->e[k];
    memset(e, 0, sizeof *e);
    e->key = key;
    e->bytes = bytes;
    e->g = copy;
    if (copy.dim == 3) mesh_keep(ctx, copy.m);
    if (copy.dim == 2) poly2_keep(ctx, copy.p);
    if (log) {
        for (int i = 0; i < nlog; i++) fc_keep(ctx, log[i]);
        fc_keep(ctx, log);
    }
    e->log = log;
    e->nlog = nlog;
    e->live = true;
    e->prev = e->next = -1;
    lru_push_front(c, k);
    c->bytes += bytes;
    uint32_t i = slot_of(c, key);
    while (c->slot[i] >= 0) i = (i + 1) & (c->nslot - 1);
    if (c->slot[i] == SLOT_EMPTY) c->nfilled++;
    c->slot[i] = k;
}

void csg_cache_clear(facet_ctx *ctx) {
    struct csg_cache *c = ctx->cache;
    if (!c) return;
    for (int32_t k = 0; k < c->ne; k++)
        if (c->e[k].live) evict(ctx, c, k);
    fc_free(ctx, c->e);
    fc_free(ctx, c->slot);
    fc_free(ctx, c);
    ctx->cache = NULL;
}

void csg_cache_stats(facet_ctx *ctx, long *hits, long *misses) {
    *hits = ctx->cache ? ctx->cache->hits : 0;
    *misses = ctx->cache ? ctx->cache->misses : 0;
}

size_t csg_cache_bytes(const facet_ctx *ctx) { return ctx->cache ? ctx->cache->bytes : 0; }

int csg_cache_count(const facet_ctx *ctx) {
    int n = 0;
    for (int32_t k = 0; ctx->cache && k < ctx->cache->ne; k++) n += ctx->cache->e[k].live;
    return n;
}
