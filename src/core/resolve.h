/*
 * resolve.h — finding and reading files through the host's resolver callback.
 */
#ifndef FC_RESOLVE_H
#define FC_RESOLVE_H

#include "core/ctx.h"

/* Resolves `name` as OpenSCAD does: an absolute path as is; otherwise relative to the
 * directory of file `from` (an index in the file table, -1 for the current directory),
 * then under each library path. On success returns 0 and sets *path (render pool),
 * *data and *len (bytes owned by the host until the render ends). Returns -1 when not found. */
int fc_resolve(facet_ctx *ctx, int from, const char *name, char **path, const char **data,
               size_t *len);
/* Reads exactly `path` through the resolver callback. */
int fc_read(facet_ctx *ctx, const char *path, const char **data, size_t *len);
/* The directory part of a path ("" for a bare name), render pool. */
char *fc_dirname(facet_ctx *ctx, const char *path);
/* Joins dir and name with '/', normalising "./" and "x/../" segments. */
char *fc_path_join(facet_ctx *ctx, const char *dir, const char *name);

#endif
