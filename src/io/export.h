/*
 * export.h — writers for every output format, and readers for import().
 *
 * export_geo() is what the pipeline calls; the per-format writers below are public so that
 * tests (and hosts that already hold a mesh) can call them directly. Every writer appends to
 * an sbuf and produces the same bytes for the same geometry: no timestamps, no random UUIDs.
 *
 * Numbers in the text formats are written like OpenSCAD's C++ streams write them ("%g"
 * style: no trailing zeros, "-0" kept, exponent only for very large or small magnitudes),
 * but with as many digits as it takes to read the value back exactly (OpenSCAD 2021.01 stops
 * at six, which loses precision; where six digits suffice the text is the same as OpenSCAD's).
 * STL holds float32, so ASCII STL prints the shortest text that reads back to the same
 * float32; the other formats print the shortest text that reads back to the same double.
 */
#ifndef FC_EXPORT_H
#define FC_EXPORT_H

#include "core/sbuf.h"
#include "geom/geo.h"

/* Appends g in format fmt to out. A 3D format given a 2D result (or the reverse) throws
 * FACET_ERR_GEOMETRY with OpenSCAD's wording; so does an empty result in a file format
 * ("Current top level object is empty."). FACET_FORMAT_MESH accepts everything (an empty
 * result is a mesh with no vertices). */
void export_geo(facet_ctx *ctx, const geo *g, facet_format fmt, sbuf *out);

/* Per-format writers. The mesh writers write every vertex and triangle of m as they are. */
void export_stl_binary(facet_ctx *ctx, const mesh *m, sbuf *out);
void export_stl_ascii(facet_ctx *ctx, const mesh *m, sbuf *out);
void export_off(facet_ctx *ctx, const mesh *m, sbuf *out);
void export_obj(facet_ctx *ctx, const mesh *m, sbuf *out);
void export_3mf(facet_ctx *ctx, const mesh *m, sbuf *out);
void export_svg(facet_ctx *ctx, const poly2 *p, sbuf *out);
void export_dxf(facet_ctx *ctx, const poly2 *p, sbuf *out);
/* The viewer's "FMSH" form (facet.h): a mesh as is, a poly2 as its triangulated fill. */
void export_fmsh(facet_ctx *ctx, const geo *g, sbuf *out);

/* Number text (export_num.c): writes the shortest "%g"-style text of v that reads back to v
 * (the double, or the float32 for export_num_f32) into buf and returns its length. */
enum { EXPORT_NUM_MAX = 32 };
int export_num(char buf[EXPORT_NUM_MAX], double v);
int export_num_f32(char buf[EXPORT_NUM_MAX], float v);
/* Appends the same text to an sbuf. */
void export_put_num(sbuf *b, double v);
void export_put_num_f32(sbuf *b, float v);
/* Appends a decimal integer (the hot loops write millions of indices). */
void export_put_int(sbuf *b, long v);

/* Zip container (export_zip.c) for 3MF: entries are stored uncompressed with their CRC-32
 * and a fixed timestamp (1980-01-01 00:00), so the archive depends only on its contents. */
uint32_t export_crc32(uint32_t crc, const void *data, size_t len);
typedef struct export_zip_entry {
    const char *name;
    const void *data;
    size_t size;
} export_zip_entry;
void export_zip(facet_ctx *ctx, const export_zip_entry *entries, int n, sbuf *out);

#endif
