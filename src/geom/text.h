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

#endif
