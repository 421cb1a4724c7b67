/*
 * text.c — text() layout and glyph flattening (see text.h for what is reproduced).
 *
 * Steps: decode the UTF-8 string; pick the script and direction as HarfBuzz would (from
 * the parameters, else from the first character of a real script); map characters to
 * glyphs and position them (advances, kerning; vertical origins for ttb/btt); reverse the
 * run for rtl/btt; measure the line for halign/valign exactly as 2021.01 does; then walk
 * each glyph outline the way FreeType decomposes it and flatten the quadratic segments.
 */
#include "geom/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "geom/fragments.h"
#include "geom/poly2_ops.h"
#include "geom/text_font.h"
#include "geom/ttf.h"

/* ---------------------------------------------------------------- characters */

/* Decodes UTF-8; malformed sequences become U+FFFD as in HarfBuzz. */
static int utf8_decode(facet_ctx *ctx, const char *s, uint32_t **out) {
    size_t n = strlen(s);
    uint32_t *cp = fc_alloc(ctx, (n + 1) * sizeof *cp);
    int k = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        uint32_t v = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
        bool ok = len > 0 && p + len <= end;
        for (int i = 1; ok && i < len; i++) {
            if ((p[i] & 0xc0) != 0x80) ok = false;
            else v = (v << 6) | (p[i] & 0x3f);
        }
        if (ok && ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
                   v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)))
            ok = false;
        if (!ok) {
            cp[k++] = 0xfffd;
            p++;
            continue;
        }
        cp[k++] = v;
        p += len;
    }
    *out = cp;
    return k;
}

/* The scripts we tell apart, with their OpenType tags; the rest count as "common". */
typedef struct script_range {
    uint32_t lo, hi;
    const char *tag;
} script_range;

static const script_range script_ranges[] = {
    {0x0041, 0x005a, "latn"}, {0x0061, 0x007a, "latn"}, {0x00aa, 0x00aa, "latn"},
    {0x00ba, 0x00ba, "latn"}, {0x00c0, 0x00d6, "latn"}, {0x00d8, 0x00f6, "latn"},
    {0x00f8, 0x024f, "latn"}, {0x0370, 0x03ff, "grek"}, {0x0400, 0x052f, "cyrl"},
    {0x0530, 0x058f, "armn"}, {0x0591, 0x05ff, "hebr"}, {0x0600, 0x06ff, "arab"},
    {0x0700, 0x074f, "syrc"}, {0x0750, 0x077f, "arab"}, {0x0780, 0x07bf, "thaa"},
    {0x07c0, 0x07ff, "nko "}, {0x08a0, 0x08ff, "arab"}, {0x0900, 0x097f, "deva"},
    {0x0980, 0x09ff, "beng"}, {0x0e00, 0x0e7f, "thai"}, {0x10a0, 0x10ff, "geor"},
    {0x1100, 0x11ff, "hang"}, {0x1e00, 0x1eff, "latn"}, {0x1f00, 0x1fff, "grek"},
    {0x2c60, 0x2c7f, "latn"}, {0x2de0, 0x2dff, "cyrl"}, {0x3040, 0x30ff, "kana"},
    {0x3400, 0x4dbf, "hani"}, {0x4e00, 0x9fff, "hani"}, {0xa640, 0xa69f, "cyrl"},
    {0xa720, 0xa7ff, "latn"}, {0xac00, 0xd7af, "hang"}, {0xfb00, 0xfb06, "latn"},
    {0xfb13, 0xfb17, "armn"}, {0xfb1d, 0xfb4f, "hebr"}, {0xfb50, 0xfdff, "arab"},
    {0xfe70, 0xfeff, "arab"},
};

static const char *script_of(uint32_t c) {
    for (size_t i = 0; i < sizeof script_ranges / sizeof script_ranges[0]; i++)
        if (c >= script_ranges[i].lo && c <= script_ranges[i].hi) return script_ranges[i].tag;
    return NULL;
}

static bool script_is_rtl(const char *tag) {
    static const char *const rtl[] = {"hebr", "arab", "syrc", "thaa", "nko "};
    for (size_t i = 0; i < sizeof rtl / sizeof rtl[0]; i++)
        if (tag && strncmp(tag, rtl[i], 4) == 0) return true;
    return false;
}

/* As HarfBuzz reads a script parameter: its first four letters, lowercased ("arabic" ->
 * "arab"); "" when not given. */
static void script_tag(const char *param, const uint32_t *cps, int n, char tag[5]) {
    memset(tag, 0, 5);
    if (param && *param) {
        for (int i = 0; i < 4; i++) {
            char c = param[i] ? param[i] : ' ';
            tag[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            if (!param[i]) {
                for (; i < 4; i++) tag[i] = ' ';
                break;
            }
        }
        return;
    }
    /* the first character of a real script decides; a mixed string counts as that one */
    for (int i = 0; i < n; i++) {
        const char *t = script_of(cps[i]);
        if (t) {
            memcpy(tag, t, 4);
            return;
        }
    }
}

typedef enum text_dir { DIR_LTR, DIR_RTL, DIR_TTB, DIR_BTT } text_dir;

/* HarfBuzz reads only the first letter of a direction: l, r, t, b. */
static text_dir direction_of(const char *param, const char *script) {
    char c = param && *param ? param[0] : 0;
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    switch (c) {
    case 'l': return DIR_LTR;
    case 'r': return DIR_RTL;
    case 't': return DIR_TTB;
    case 'b': return DIR_BTT;
    default: return script_is_rtl(script) ? DIR_RTL : DIR_LTR;
    }
}

/* ---------------------------------------------------------------- flattening */

typedef struct outline_out {
    facet_ctx *ctx;
    double *xy; /* points in mm, all contours back to back */
    int32_t npts, cappts;
    int32_t *start, *count;
    int32_t ncont, capstart, capcount;
    int32_t cur_start;  /* first point of the contour being built */
    double sx, sy;      /* scale of font units to mm */
    double ox, oy;      /* glyph origin in mm */
    double pen_x, pen_y; /* current point, font units */
    int segments;
} outline_out;

static void emit(outline_out *o, double x, double y) {
    fc_tick(o->ctx);
    FC_GROW(o->ctx, o->xy, o->cappts, 2 * (o->npts + 1));
    o->xy[2 * o->npts] = x * o->sx + o->ox;
    o->xy[2 * o->npts + 1] = y * o->sy + o->oy;
    o->npts++;
}

/* Ends the contour: drops the closing duplicate of the start point, keeps contours with at
 * least three points and reverses them (TrueType outer contours run clockwise). */
static void end_contour(outline_out *o) {
    int32_t s = o->cur_start, n = o->npts - s;
    if (n > 1 && o->xy[2 * s] == o->xy[2 * (o->npts - 1)] &&
        o->xy[2 * s + 1] == o->xy[2 * (o->npts - 1) + 1]) {
        o->npts--;
        n--;
    }
    if (n < 3) {
        o->npts = s;
    } else {
        for (int32_t i = 0, j = n - 1; i < j; i++, j--) {
            double tx = o->xy[2 * (s + i)], ty = o->xy[2 * (s + i) + 1];
            o->xy[2 * (s + i)] = o->xy[2 * (s + j)];
            o->xy[2 * (s + i) + 1] = o->xy[2 * (s + j) + 1];
            o->xy[2 * (s + j)] = tx;
            o->xy[2 * (s + j) + 1] = ty;
        }
        FC_GROW(o->ctx, o->start, o->capstart, o->ncont + 1);
        FC_GROW(o->ctx, o->count, o->capcount, o->ncont + 1);
        o->start[o->ncont] = s;
        o->count[o->ncont] = n;
        o->ncont++;
    }
    o->cur_start = o->npts;
}

static void move_to(outline_out *o, double x, double y) {
    o->cur_start = o->npts;
    emit(o, x, y);
    o->pen_x = x;
    o->pen_y = y;
}

static void line_to(outline_out *o, double x, double y) {
    emit(o, x, y);
    o->pen_x = x;
    o->pen_y = y;
}

/* A quadratic Bezier from the pen through control c to t, in `segments` equal steps of the
 * parameter (OpenSCAD's DrawingCallback does the same). */
static void conic_to(outline_out *o, double cx, double cy, double tx, double ty) {
    int n = o->segments;
    for (int i = 1; i <= n; i++) {
        double a = i * (1.0 / (double)n), b = 1 - a;
        double x = o->pen_x * (b * b) + cx * 2 * b * a + tx * (a * a);
        double y = o->pen_y * (b * b) + cy * 2 * b * a + ty * (a * a);
        emit(o, x, y);
    }
    o->pen_x = tx;
    o->pen_y = ty;
}

/* One contour as FreeType's outline decomposition walks it: an off-curve first point
 * starts the contour at the last point (if on the curve) or at the midpoint of the two;
 * consecutive off-curve points imply an on-curve point halfway between them. */
static void walk_contour(outline_out *o, const ttf_outline *g, int32_t first, int32_t last) {
    double sx = g->x[first], sy = g->y[first];
    int32_t i = first, limit = last;
    if (!g->on[first]) {
        if (g->on[last]) {
            sx = g->x[last];
            sy = g->y[last];
            limit = last - 1;
        } else {
            sx = (g->x[first] + g->x[last]) / 2;
            sy = (g->y[first] + g->y[last]) / 2;
        }
        i = first - 1; /* the first point is then read as a control point */
    }
    move_to(o, sx, sy);
    while (i < limit) {
        i++;
        if (g->on[i]) {
            line_to(o, g->x[i], g->y[i]);
            continue;
        }
        double cx = g->x[i], cy = g->y[i];
        for (;;) {
            if (i >= limit) {
                conic_to(o, cx, cy, sx, sy);
                end_contour(o);
                return;
            }
            i++;
            if (g->on[i]) {
                conic_to(o, cx, cy, g->x[i], g->y[i]);
                break;
            }
            double mx = (cx + g->x[i]) / 2, my = (cy + g->y[i]) / 2;
            conic_to(o, cx, cy, mx, my);
            cx = g->x[i];
            cy = g->y[i];
        }
    }
    line_to(o, sx, sy);
    end_contour(o);
}

int text_curve_segments(double size, csg_frag frag) {
    int n = geom_fragments(size, frag.fn, frag.fa, frag.fs);
    int s = n / 8 + 1;
    return s < 2 ? 2 : s;
}

/* ---------------------------------------------------------------- layout */

typedef struct glyph_item {
    uint32_t glyph;
    double x_advance, y_advance, x_offset, y_offset; /* font units, before spacing */
    double xmin, ymin, xmax, ymax; /* control box of the outline, font units */
    ttf_outline outline;
} glyph_item;

static void cbox(glyph_item *gi) {
    const ttf_outline *g = &gi->outline;
    gi->xmin = gi->ymin = gi->xmax = gi->ymax = 0;
    for (int32_t i = 0; i < g->npoints; i++) {
        if (i == 0 || g->x[i] < gi->xmin) gi->xmin = g->x[i];
        if (i == 0 || g->x[i] > gi->xmax) gi->xmax = g->x[i];
        if (i == 0 || g->y[i] < gi->ymin) gi->ymin = g->y[i];
        if (i == 0 || g->y[i] > gi->ymax) gi->ymax = g->y[i];
    }
}

static double x_align(facet_ctx *ctx, const char *halign, double width, fc_loc loc) {
    if (!halign || !*halign || strcmp(halign, "left") == 0) return 0;
    if (strcmp(halign, "right") == 0) return -width;
    if (strcmp(halign, "center") == 0) return -width / 2.0;
    fc_log_at(ctx, FACET_LOG_WARNING, loc,
              "Unknown value for the halign parameter (use \"left\", \"right\" or \"center\"): '%s'",
              halign);
    return 0;
}

static double y_align(facet_ctx *ctx, const char *valign, double ascend, double descend, fc_loc loc) {
    if (!valign || !*valign || strcmp(valign, "baseline") == 0) return 0;
    if (strcmp(valign, "top") == 0) return -ascend;
    if (strcmp(valign, "center") == 0) return descend / 2.0 - ascend / 2.0;
    if (strcmp(valign, "bottom") == 0) return descend;
    fc_log_at(ctx, FACET_LOG_WARNING, loc,
              "Unknown value for the valign parameter (use \"baseline\", \"bottom\", \"top\" or "
              "\"center\"): '%s'",
              valign);
    return 0;
}

/* mm per font unit: size / (0.72 em), times the ratio FreeType introduces. OpenSCAD
 * 2021.01 loads glyphs at one fixed character size (100000 in 26.6 points, 100 dpi) and
 * scales the result by `size`; FreeType turns that character size into pixels per em with
 * integer arithmetic, and a TrueType font whose head flags ask for integer ppem (bit 3, set
 * in the Liberation fonts) is scaled by the rounded ppem, 2170 instead of 2170.14: glyphs
 * come out 0.999936 of the nominal size. (Measured: OpenSCAD's "H" is 0.999937 of nominal
 * at every size from 1 to 2000.) */
static double text_unit_scale(const ttf_font *f, double size) {
    const int64_t ch = 100000;
    int64_t scaled = (ch * 100 + 36) / 72; /* 26.6 pixels per em */
    int64_t ppem = (scaled + 32) >> 6;
    double actual = (f->head_flags & 8) ? (double)(ppem << 6) : (double)scaled;
    double nominal = (double)ch * 100.0 / 72.0;
    return size / (0.72 * f->units_per_em) * (actual / nominal);
}

/* Shapes the node's text in font f: the glyphs in visual order with their advances and
 * offsets (font units) and outlines. Returns the glyph count; *gl_out is to be freed by
 * the caller (and every outline with it). */
static int shape_text(facet_ctx *ctx, const csg_node *node, const ttf_font *f, glyph_item **gl_out,
                      bool *vertical_out, text_dir *dir_out) {
    const char *str = node->u.text.text ? node->u.text.text : "";
    fc_loc loc = node->loc;
    uint32_t *cps;
    int n = utf8_decode(ctx, str, &cps);
    char script[5];
    script_tag(node->u.text.script, cps, n, script);
    text_dir dir = direction_of(node->u.text.direction, script);
    bool vertical = dir == DIR_TTB || dir == DIR_BTT;
    *vertical_out = vertical;
    if (dir_out) *dir_out = dir;

    glyph_item *gl = fc_calloc(ctx, (size_t)n, sizeof *gl);
    uint32_t *gids = fc_alloc(ctx, (size_t)n * sizeof *gids);
    ttf_glyph_pos *pos = fc_calloc(ctx, (size_t)n, sizeof *pos);
    for (int i = 0; i < n; i++) {
        uint32_t c = cps[i];
        if (f->symbol && c < 0x100) c += 0xf000;
        gids[i] = ttf_glyph_index(f, c);
        if (vertical) {
            pos[i].y_advance = -(f->has_os2 ? f->typo_ascender - f->typo_descender
                                            : f->ascender - f->descender);
        } else {
            pos[i].x_advance = ttf_advance(f, gids[i]);
        }
    }
    if (!vertical) {
        ttf_kerning k;
        ttf_kerning_init(&k, f, script[0] ? script : "DFLT");
        ttf_kerning_apply(&k, gids, n, pos);
    }
    for (int i = 0; i < n; i++) {
        /* rtl and btt runs come out in visual order, i.e. reversed */
        int src = (dir == DIR_RTL || dir == DIR_BTT) ? n - 1 - i : i;
        glyph_item *gi = &gl[i];
        gi->glyph = gids[src];
        gi->x_advance = pos[src].x_advance;
        gi->y_advance = pos[src].y_advance;
        gi->x_offset = pos[src].x_offset;
        gi->y_offset = pos[src].y_offset;
        int e = ttf_glyph_outline(ctx, f, gi->glyph, &gi->outline);
        if (e != TTF_OK) {
            fc_log_at(ctx, FACET_LOG_WARNING, loc, "Could not load glyph %u for char at index %d in text '%s': %s",
                      (unsigned)gi->glyph, src, str, ttf_strerror(e));
            ttf_outline_free(ctx, &gi->outline);
        }
        cbox(gi);
        if (vertical) {
            /* FreeType's synthesised vertical metrics: the glyph hangs centred below the
             * pen, its box centred in the advance */
            double vadv = -gi->y_advance;
            gi->x_offset -= ttf_advance(f, gi->glyph) / 2.0;
            gi->y_offset -= gi->ymax + (vadv - (gi->ymax - gi->ymin)) / 2;
        }
    }

    fc_free(ctx, gids);
    fc_free(ctx, pos);
    fc_free(ctx, cps);
    *gl_out = gl;
    return n;
}

poly2 *text_outline(facet_ctx *ctx, const csg_node *node) {
    const char *str = node->u.text.text ? node->u.text.text : "";
    double size = node->u.text.size, spacing = node->u.text.spacing;
    fc_loc loc = node->loc;
    if (!*str || !(size > 0) || !isfinite(size) || !isfinite(spacing)) return poly2_empty(ctx);
    const ttf_font *f = text_font_find(ctx, node->u.text.font, loc);
    if (!f) return poly2_empty(ctx);

    glyph_item *gl;
    bool vertical;
    int n = shape_text(ctx, node, f, &gl, &vertical, NULL);

    /* the line's extent as 2021.01 measures it for alignment */
    double width = 0, ascend = 0, descend = 0;
    for (int i = 0; i < n; i++) {
        const glyph_item *gi = &gl[i];
        if (!vertical) {
            width += gi->x_advance * spacing;
            ascend = fmax(ascend, fmax(0.0, gi->ymax));
            descend = fmax(descend, fmax(0.0, -gi->ymin));
        } else {
            width = fmax(width, gi->xmax - gi->xmin);
            ascend += gi->y_advance * spacing;
        }
    }
    double xoff = x_align(ctx, node->u.text.halign, width, loc);
    double yoff = y_align(ctx, node->u.text.valign, ascend, descend, loc);

    /* font units -> mm for outlines, and the 1000/1024 of layout positions */
    double scale = text_unit_scale(f, size);
    double lscale = scale * (1000.0 / 1024.0);
    outline_out o;
    memset(&o, 0, sizeof o);
    o.ctx = ctx;
    o.sx = o.sy = scale;
    o.segments = text_curve_segments(size, node->u.text.frag);
    double pen_x = 0, pen_y = 0;
    for (int i = 0; i < n; i++) {
        glyph_item *gi = &gl[i];
        o.ox = (xoff + gi->x_offset + pen_x) * lscale;
        o.oy = (yoff + gi->y_offset + pen_y) * lscale;
        const ttf_outline *g = &gi->outline;
        int32_t first = 0;
        for (int32_t c = 0; c < g->ncontours; c++) {
            int32_t last = g->end[c];
            if (last >= first && last < g->npoints) walk_contour(&o, g, first, last);
            first = last + 1;
        }
        pen_x += gi->x_advance * spacing;
        pen_y += gi->y_advance * spacing;
        ttf_outline_free(ctx, &gi->outline);
    }

    poly2 *p = poly2_new(ctx, o.ncont, o.npts);
    if (o.npts) memcpy(p->xy, o.xy, (size_t)o.npts * 2 * sizeof *o.xy);
    for (int32_t c = 0; c < o.ncont; c++) {
        p->start[c] = o.start[c];
        p->count[c] = o.count[c];
    }
    fc_free(ctx, o.xy);
    fc_free(ctx, o.start);
    fc_free(ctx, o.count);
    fc_free(ctx, gl);
    return p;
}

poly2 *text_render(facet_ctx *ctx, const csg_node *node) {
    poly2 *raw = text_outline(ctx, node);
    if (raw->ncontours == 0) return raw;
    poly2 *clean = poly2_boolean(ctx, &raw, 1, BOOL_UNION);
    poly2_free(ctx, raw);
    return clean;
}

/* ---------------------------------------------------------------- metrics */

/* OpenSCAD's development version measures text at a character size of 1e5 in 26.6 points
 * at 100 dpi and divides by 1e5: one 26.6 unit is size / 1e5 mm. FreeType's scale for that
 * size is 16.16 fixed point, computed from the request in integer steps; the rounded ppem
 * of fonts that ask for integer ppem only applies to hinting, not to these metrics. */
#define METRIC_CHAR_SIZE 100000.0

/* FreeType's 16.16 scale from font units to 26.6 at the metrics' character size. */
static int64_t metric_scale_fixed(const ttf_font *f) {
    int64_t scaled = ((int64_t)METRIC_CHAR_SIZE * 100 + 36) / 72; /* 26.6 pixels per em */
    int64_t upem = f->units_per_em > 0 ? f->units_per_em : 2048;
    return ((scaled << 16) + upem / 2) / upem; /* FT_DivFix */
}

/* FT_MulFix: a * b / 65536 rounded half away from zero. */
static int64_t mul_fix(int64_t a, int64_t b) {
    int64_t ab = a * b;
    return ab < 0 ? -((-ab + 0x8000) >> 16) : (ab + 0x8000) >> 16;
}

/* A font-unit distance along the pen as HarfBuzz reports it through FreeType: the 16.16
 * advance FreeType scales (FT_MulDiv by the scale over 64) rounded to 26.6. */
static double metric_advance(double units, int64_t xs) {
    double v16 = nearbyint(units * (double)xs / 64.0);
    return floor((v16 + 512.0) / 1024.0);
}

static int64_t floor64(int64_t v) { return v >= 0 ? v / 64 * 64 : -((-v + 63) / 64 * 64); }
static int64_t ceil64(int64_t v) { return -floor64(-v); }

bool text_measure(facet_ctx *ctx, const csg_node *node, text_metrics *m) {
    memset(m, 0, sizeof *m);
    const char *str = node->u.text.text ? node->u.text.text : "";
    double size = node->u.text.size, spacing = node->u.text.spacing;
    fc_loc loc = node->loc;
    const ttf_font *f = text_font_find(ctx, node->u.text.font, loc);
    if (!f) return false;
    if (!*str) return true;

    glyph_item *gl;
    bool vertical;
    text_dir dir;
    int n = shape_text(ctx, node, f, &gl, &vertical, &dir);
    const int64_t xs = metric_scale_fixed(f);
    /* everything in 26.6 units of the measuring size until the end */
    double ascent = -HUGE_VAL, descent = HUGE_VAL, adv_x = 0, adv_y = 0;
    double left = HUGE_VAL, right = -HUGE_VAL, bottom = HUGE_VAL, top = -HUGE_VAL;
    for (int i = 0; i < n; i++) {
        glyph_item *gi = &gl[i];
        /* the control box scaled and grid-fitted as FT_Glyph_Get_CBox does */
        int64_t bx0 = floor64(mul_fix((int64_t)gi->xmin, xs));
        int64_t by0 = floor64(mul_fix((int64_t)gi->ymin, xs));
        int64_t bx1 = ceil64(mul_fix((int64_t)gi->xmax, xs));
        int64_t by1 = ceil64(mul_fix((int64_t)gi->ymax, xs));
        if (bx1 > bx0 && by1 > by0) {
            /* only glyphs with ink count */
            double gx = metric_advance(gi->x_offset, xs), gy = metric_advance(gi->y_offset, xs);
            ascent = fmax(ascent, (double)by1);
            descent = fmin(descent, (double)by0);
            left = fmin(left, adv_x + gx + (double)bx0);
            right = fmax(right, adv_x + gx + (double)bx1);
            top = fmax(top, adv_y + gy + (double)by1);
            bottom = fmin(bottom, adv_y + gy + (double)by0);
        }
        adv_x += metric_advance(gi->x_advance, xs) * spacing;
        adv_y += metric_advance(gi->y_advance, xs) * spacing;
        ttf_outline_free(ctx, &gi->outline);
    }
    fc_free(ctx, gl);

    double xoff = 0, yoff = 0;
    const char *ha = node->u.text.halign, *va = node->u.text.valign;
    if (right >= left) {
        if (!vertical) {
            xoff = x_align(ctx, ha, adv_x, loc);
            yoff = y_align(ctx, va, ascent, -descent, loc);
        } else {
            /* vertical runs: halign against the ink, valign against the advance, centred
             * and from the top by default */
            if (ha && strcmp(ha, "right") == 0) xoff = -right;
            else if (ha && strcmp(ha, "left") == 0) xoff = -left;
            else if (ha && *ha && strcmp(ha, "center") != 0)
                x_align(ctx, ha, 0, loc); /* the warning */
            if (va && strcmp(va, "center") == 0) yoff = -adv_y / 2.0;
            else if (va && strcmp(va, "bottom") == 0) yoff = -adv_y;
            else if (va && strcmp(va, "baseline") == 0)
                fc_log_at(ctx, FACET_LOG_WARNING, loc, "Don't use valign=\"baseline\" with vertical layouts");
            else if (va && *va && strcmp(va, "top") != 0)
                y_align(ctx, va, 0, 0, loc); /* the warning */
        }
    } else {
        left = right = top = bottom = ascent = descent = 0;
    }
    const double k = size / METRIC_CHAR_SIZE;
    m->position[0] = (xoff + left) * k;
    m->position[1] = (yoff + bottom) * k;
    m->size[0] = (right - left) * k;
    m->size[1] = (top - bottom) * k;
    m->ascent = ascent * k;
    m->descent = descent * k;
    m->offset[0] = xoff * k;
    m->offset[1] = yoff * k;
    m->advance[0] = adv_x * k;
    m->advance[1] = adv_y * k;
    return true;
}

bool text_font_measure(facet_ctx *ctx, const char *font, double size, fc_loc loc,
                       text_font_metrics *m) {
    memset(m, 0, sizeof *m);
    const ttf_font *f = text_font_find(ctx, font, loc);
    if (!f) return false;
    const int64_t ys = metric_scale_fixed(f);
    /* FreeType's face ascender/descender: hhea's, or OS/2's when hhea has none */
    int asc = f->ascender, desc = f->descender, gap = f->line_gap;
    if (asc == 0 && desc == 0 && f->has_os2) {
        asc = f->typo_ascender;
        desc = f->typo_descender;
        gap = f->typo_line_gap;
    }
    /* head's bounding box (the table is at least 54 bytes, checked by ttf_open) */
    const uint8_t *h = f->data + f->head;
    int ymin = (int16_t)((h[38] << 8) | h[39]);
    int ymax = (int16_t)((h[42] << 8) | h[43]);
    const double k = size / METRIC_CHAR_SIZE;
    m->nominal_ascent = (double)mul_fix(asc, ys) * k;
    m->nominal_descent = (double)mul_fix(desc, ys) * k;
    m->max_ascent = (double)mul_fix(ymax, ys) * k;
    m->max_descent = (double)mul_fix(ymin, ys) * k;
    m->interline = (double)mul_fix(asc - desc + gap, ys) * k;
    snprintf(m->family, sizeof m->family, "%s", f->family);
    snprintf(m->style, sizeof m->style, "%s", f->style);
    return true;
}
