/*
 * export.h — writers for every output format, and readers for import().
 */
#ifndef FC_EXPORT_H
#define FC_EXPORT_H

#include "core/sbuf.h"
#include "geom/geo.h"

/* Appends g in format fmt to out. A 3D format given a 2D result (or the reverse) throws
 * FACET_ERR_GEOMETRY with OpenSCAD's wording. */
void export_geo(facet_ctx *ctx, const geo *g, facet_format fmt, sbuf *out);

#endif
