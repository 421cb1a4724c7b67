/*
 * ttf.h — a small TrueType reader: exactly what text() needs and nothing more.
 *
 * It reads the tables of a TrueType (glyf-flavoured) font held in memory: `head`, `maxp`,
 * `hhea`, `hmtx` (advances), `cmap` (formats 0, 4, 6 and 12), `glyf`/`loca` (simple and
 * composite outlines), `name` (family and style), `OS/2` (typographic metrics), and for
 * kerning the `kern` feature of `GPOS` (pair adjustment, formats 1 and 2, through extension
 * lookups) or, when a font has no GPOS, the legacy `kern` table (format 0).
 *
 * Every read is bounds-checked against the buffer: a truncated or hostile font yields an
 * error code (TTF_E*), never a read outside the data. Composite glyphs nest at most
 * TTF_MAX_DEPTH deep and an outline holds at most TTF_MAX_POINTS points, so a font whose
 * components refer to each other cannot loop or explode.
 *
 * The reader does no allocation of its own except for outlines (context allocator); a
 * ttf_font is a view into bytes the caller keeps alive. Coordinates are font units.
 */
#ifndef FC_TTF_H
#define FC_TTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

enum {
    TTF_OK = 0,
    TTF_ETRUNC,    /* a table or record extends past the end of the data */
    TTF_EFORMAT,   /* not a TrueType font, or a required table is missing */
    TTF_ECFF,      /* an OpenType font with CFF outlines (not supported) */
    TTF_EGLYPH,    /* malformed glyph data */
    TTF_EDEPTH,    /* composite glyphs nested too deep (or referring to themselves) */
    TTF_ETOOBIG    /* outline with more than TTF_MAX_POINTS points */
};

#define TTF_MAX_DEPTH 8
#define TTF_MAX_POINTS 100000

/* A font: offsets of its tables inside `data` (0 = absent) and the header values. */
typedef struct ttf_font {
    const uint8_t *data;
    uint32_t len;
    uint32_t head, maxp, hhea, hmtx, loca, glyf, cmap, kern, gpos, gdef, os2, name;
    uint32_t hmtx_len, loca_len, glyf_len, kern_len, gpos_len, gdef_len, name_len;
    uint32_t cmap_sub; /* offset of the chosen cmap subtable */
    int cmap_format;   /* 0, 4, 6, 12, or -1 when the font has no usable cmap */
    bool symbol;       /* the cmap is Windows Symbol (3,0): codes live at U+F000.. */
    int units_per_em;
    int nglyphs, nhmetrics;
    bool loca_long;
    uint16_t head_flags;
    int ascender, descender, line_gap; /* hhea */
    int typo_ascender, typo_descender, typo_line_gap; /* OS/2, or hhea's when absent */
    bool has_os2;
    char family[64], style[64];
} ttf_font;

/* Reads the table directory of font number `index` (0 for a plain .ttf; TrueType
 * collections are supported). Returns TTF_OK or an error code. */
int ttf_open(ttf_font *f, const uint8_t *data, size_t len, int index);
const char *ttf_strerror(int err);

/* Glyph index of a Unicode code point (0 = .notdef when the font lacks it). */
uint32_t ttf_glyph_index(const ttf_font *f, uint32_t codepoint);
/* Horizontal advance of a glyph, font units. */
int ttf_advance(const ttf_font *f, uint32_t glyph);
/* True when GDEF classifies the glyph as a combining mark (class 3). */
bool ttf_is_mark(const ttf_font *f, uint32_t glyph);

/* One glyph's outline: contours of on- and off-curve (quadratic control) points. */
typedef struct ttf_outline {
    int32_t npoints, ncontours;
    double *x, *y;  /* npoints, font units */
    uint8_t *on;    /* npoints: 1 = on the curve, 0 = quadratic control point */
    int32_t *end;   /* ncontours: index of each contour's last point */
    int32_t cap_points, cap_contours;
} ttf_outline;

/* Appends the outline of `glyph` to `o` (zero it first); arrays use the context
 * allocator. Returns TTF_OK or an error code (o then holds what was read before). */
int ttf_glyph_outline(facet_ctx *ctx, const ttf_font *f, uint32_t glyph, ttf_outline *o);
void ttf_outline_free(facet_ctx *ctx, ttf_outline *o);

/* Pair kerning as a shaper applies it: the lookups of the `kern` feature of GPOS for the
 * script `script` (an OpenType tag such as "latn"; falling back to "DFLT", then to the first
 * script), or the legacy kern table when GPOS has no kern feature. */
typedef struct ttf_kerning {
    const ttf_font *font;
    uint32_t lookups[64]; /* offsets of the GPOS lookup tables, in lookup-list order */
    int nlookups;
    bool legacy; /* use the `kern` table */
} ttf_kerning;

/* Position of one glyph, font units: the advance it moves the pen by and the offset of
 * its outline from the pen. */
typedef struct ttf_glyph_pos {
    int32_t x_advance, y_advance, x_offset, y_offset;
} ttf_glyph_pos;

void ttf_kerning_init(ttf_kerning *k, const ttf_font *f, const char *script);
/* Applies the kerning to glyphs[0..n) in logical order, adding to pos[]: each lookup is
 * one pass over the run, pairs skip marks when the lookup says so. */
void ttf_kerning_apply(const ttf_kerning *k, const uint32_t *glyphs, int n, ttf_glyph_pos *pos);

#endif
