/*
 * render.h — the geometry stage: CSG tree to one geo, with the subtree cache.
 */
#ifndef FC_RENDER_H
#define FC_RENDER_H

#include "csg/csg.h"
#include "geom/geo.h"

/* Renders the tree. The result lives in the render pool. Subtree results are looked up in
 * and stored into the context's cache (bounded by facet_options.cache_limit). */
geo csg_render(facet_ctx *ctx, csg_node *root);
void csg_cache_clear(facet_ctx *ctx);
void csg_cache_stats(facet_ctx *ctx, long *hits, long *misses);

#endif
