/*
 * text_font.h — the fonts text() can use and how a font name picks one.
 *
 * Two sources, both read lazily through the host's read_file callback:
 *  - the font pack FACET_FONTS_PATH ("facet:fonts", see facet.h): Liberation Sans, Serif
 *    and Mono in Regular, Bold, Italic and Bold Italic, read the first time text() needs a
 *    font and kept for the life of the context;
 *  - font files a model names with `use <file.ttf>` (text_font_register), kept likewise, as
 *    OpenSCAD keeps fonts registered for the rest of the session.
 *
 * The pack format (little-endian, written by native-tests/tools/fontpack.c):
 *     offset 0   "FACETFNT"                  magic, 8 bytes
 *     offset 8   u32 version (1)
 *     offset 12  u32 count
 *     offset 16  count x { u32 offset, u32 length }   each blob a complete .ttf file
 *     then the blobs, each starting at a multiple of 4
 * Family and style names come from each font's `name` table.
 *
 * Name matching follows what fontconfig does with OpenSCAD's font strings closely enough
 * for the fonts we ship: "Family:style=Style" (also "Family:bold:italic"), family compared
 * case- and space-insensitively, the generic names sans/serif/mono (and Arial, Helvetica,
 * Times, Courier) mapped to the matching Liberation family, an unknown family falling back
 * to Liberation Sans (fontconfig always returns some font), and the style chosen by name,
 * then by its bold/italic traits.
 */
#ifndef FC_TEXT_FONT_H
#define FC_TEXT_FONT_H

#include "core/ctx.h"
#include "geom/ttf.h"

#define FONTPACK_MAGIC "FACETFNT"
#define FONTPACK_VERSION 1

/* OpenSCAD's default font. */
#define TEXT_DEFAULT_FONT "Liberation Sans:style=Regular"

/* Registers a font file (bytes copied into the context). Returns false, after a warning
 * naming the file, when it is not a readable TrueType font. Registering the same path
 * twice is harmless. */
bool text_font_register(facet_ctx *ctx, const char *path, const char *data, size_t len, fc_loc loc);

/* The font for an OpenSCAD font name (NULL or "" = the default font). Returns NULL, after
 * OpenSCAD's warning, only when no font at all is available (no pack and nothing
 * registered). The pointer stays valid until the next text_font_register. */
const ttf_font *text_font_find(facet_ctx *ctx, const char *name, fc_loc loc);

/* Parses a font pack into its blobs (views into data). Returns the number of fonts, or -1
 * when the data is not a valid pack. At most `max` entries are written. */
int fontpack_parse(const uint8_t *data, size_t len, const uint8_t **blobs, size_t *lens, int max);

#endif
