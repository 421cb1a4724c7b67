/*
 * text.h — text(): a string laid out in a font and flattened to a 2D shape, as OpenSCAD
 * 2021.01 does it with FreeType and HarfBuzz.
 *
 * What OpenSCAD does and we reproduce:
 *  - scale: `size` is 0.72 of the em (FreeType at 100 dpi with size in points), so one font
 *    unit is size / (0.72 * units_per_em) mm, times 0.999936 for fonts that ask for integer
 *    ppem (FreeType's rounding at the fixed character size OpenSCAD loads glyphs at);
 *    Liberation Sans' cap height of size 10 text is 9.55 mm;
 *  - layout quantities (advances, kerning, glyph offsets, and the bounding values that
 *    halign/valign use) are HarfBuzz 26.6 positions that 2021.01 divides by 1024 where it
 *    divides outline coordinates by 1000, so they come out 1000/1024 of the outline scale —
 *    "ll" is narrower than two "l" outlines placed by their advance would suggest;
 *  - shaping of simple scripts: cmap lookup, hmtx advances, the GPOS `kern` feature (or the
 *    legacy kern table), direction ltr/rtl/ttb/btt (reversed runs for rtl/btt, vertical
 *    metrics synthesised from OS/2 as FreeType does for fonts without vmtx); no ligatures
 *    or contextual forms (Arabic comes out in isolated forms);
 *  - curves: each quadratic segment becomes max(floor(n/8) + 1, 2) straight segments, n the
 *    fragment count of a circle of radius `size` under $fn/$fa/$fs.
 */
#ifndef FC_TEXT_H
#define FC_TEXT_H

#include "csg/csg.h"
#include "geom/poly2.h"

/* The text's outlines as drawn, contour by contour (counter-clockwise outer contours;
 * glyphs may overlap): the shape under the non-zero rule, not yet cleaned. */
poly2 *text_outline(facet_ctx *ctx, const csg_node *node);

/* text() for the geometry stage: text_outline cleaned by a 2D union. */
poly2 *text_render(facet_ctx *ctx, const csg_node *node);

/* Straight segments per quadratic curve for text of this size (see above). */
int text_curve_segments(double size, csg_frag frag);

/* What textmetrics() returns (OpenSCAD's development version), in mm: the ink's bounding
 * box (position = lower left corner, size) after halign/valign, the ink's ascent above and
 * descent below the baseline, the offset halign/valign applied, and the pen's total advance.
 * All zero (but the advance) when the text leaves no ink. */
typedef struct text_metrics {
    double position[2], size[2];
    double ascent, descent;
    double offset[2], advance[2];
} text_metrics;

/* Measures the text of a text node (text, size, spacing, font, direction, language, script,
 * halign, valign; frag is not used) as OpenSCAD's development version does: glyph boxes are
 * FreeType's grid-fitted control boxes at the 1e5 26.6-point character size OpenSCAD loads
 * glyphs at, advances HarfBuzz's 26.6 positions, both divided by 1e5 and scaled by size.
 * Returns false (after a warning) when no font is available. */
bool text_measure(facet_ctx *ctx, const csg_node *node, text_metrics *m);

/* What fontmetrics() returns: the font's ascender/descender (hhea), the bounding box's top
 * and bottom over all glyphs (head), and the line spacing, in mm for text of `size`, with
 * the font's family and style names. */
typedef struct text_font_metrics {
    double nominal_ascent, nominal_descent;
    double max_ascent, max_descent;
    double interline;
    char family[64], style[64];
} text_font_metrics;

/* Returns false (after a warning) when no font is available. */
bool text_font_measure(facet_ctx *ctx, const char *font, double size, fc_loc loc,
                       text_font_metrics *m);

#endif
