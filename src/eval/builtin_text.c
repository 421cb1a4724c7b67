/*
 * builtin_text.c — textmetrics() and fontmetrics(), OpenSCAD's (development version)
 * functions that measure text and fonts and return the numbers as objects.
 *
 * Arguments follow OpenSCAD's Parameters handling for these two: textmetrics takes text,
 * size and font by position and direction, language, script, halign, valign, spacing by
 * name only; fontmetrics takes size and font. An unknown name is warned about first
 * ("variable ... not specified as parameter"), then every argument of the wrong type, in the
 * fixed order text()'s parameters are read (size, text, spacing, font, direction, language,
 * script, halign, valign), with its default used instead. The measuring itself is the text
 * module's (text_measure, text_font_measure in src/geom/text.c).
 */
#include "eval/builtin.h"

#include <string.h>

#include "csg/csg.h"
#include "geom/text.h"

/* The parameters both functions read, in the order OpenSCAD type-checks them. */
enum {
    TP_SIZE,
    TP_TEXT,
    TP_SPACING,
    TP_FONT,
    TP_DIRECTION,
    TP_LANGUAGE,
    TP_SCRIPT,
    TP_HALIGN,
    TP_VALIGN,
    TP_COUNT
};

static const char *const tp_names[TP_COUNT] = {"size",     "text",   "spacing", "font",  "direction",
                                              "language", "script", "halign",  "valign"};

/* The value given for each parameter (undef when not given). `positional` lists the
 * parameters that may be given by position, `allowed` says which names are accepted. */
static void bind_args(bi_call *c, const int *positional, int npos, const bool *allowed, val *out) {
    for (int i = 0; i < TP_COUNT; i++) out[i] = val_undef();
    int next = 0;
    for (int i = 0; i < c->nargs; i++) {
        const char *name = c->names ? c->names[i] : NULL;
        if (!name) {
            if (next < npos) out[positional[next++]] = c->args[i];
            continue;
        }
        int p = -1;
        for (int k = 0; k < TP_COUNT; k++)
            if (allowed[k] && strcmp(name, tp_names[k]) == 0) p = k;
        if (p < 0) {
            bi_warn(c, "variable \"%s\" not specified as parameter", name);
            continue;
        }
        out[p] = c->args[i];
    }
}

/* The parameter's value when it has the wanted type; undef (after OpenSCAD's warning)
 * when it has another one. */
static val checked(bi_call *c, const val *args, int p, val_type want) {
    val v = args[p];
    if (v.type == VAL_UNDEF || v.type == want) return v;
    sbuf b;
    sb_init(&b, c->ctx);
    val_format_nothrow(c->ctx, &b, v);
    sb_putc(&b, '\0');
    bi_warn(c, "%s(..., %s=%s) Invalid type: expected %s, found %s", c->fname, tp_names[p], b.data,
            val_type_name(want), val_type_name((val_type)v.type));
    sb_free(&b);
    return val_undef();
}

static const char *str_or(val v, const char *dflt) { return v.type == VAL_STR ? v.u.s->data : dflt; }

/* Reads and checks all parameters into a text node (as text() would be built). */
static void read_params(bi_call *c, const val *args, csg_node *node) {
    memset(node, 0, sizeof *node);
    node->loc = c->loc;
    val size = checked(c, args, TP_SIZE, VAL_NUM);
    val text = checked(c, args, TP_TEXT, VAL_STR);
    val spacing = checked(c, args, TP_SPACING, VAL_NUM);
    val font = checked(c, args, TP_FONT, VAL_STR);
    val direction = checked(c, args, TP_DIRECTION, VAL_STR);
    val language = checked(c, args, TP_LANGUAGE, VAL_STR);
    val script = checked(c, args, TP_SCRIPT, VAL_STR);
    val halign = checked(c, args, TP_HALIGN, VAL_STR);
    val valign = checked(c, args, TP_VALIGN, VAL_STR);
    node->u.text.size = size.type == VAL_NUM ? size.u.n : 10.0;
    node->u.text.text = str_or(text, "");
    node->u.text.spacing = spacing.type == VAL_NUM ? spacing.u.n : 1.0;
    node->u.text.font = str_or(font, NULL);
    node->u.text.direction = str_or(direction, NULL);
    node->u.text.language = str_or(language, "en");
    node->u.text.script = str_or(script, NULL);
    node->u.text.halign = str_or(halign, NULL);
    node->u.text.valign = str_or(valign, NULL);
}

static val pair(facet_ctx *ctx, const double xy[2]) {
    val v = val_vec_new(ctx, 2);
    v.u.v->items[0] = val_num(xy[0]);
    v.u.v->items[1] = val_num(xy[1]);
    return v;
}

val bi_fn_textmetrics(bi_call *c) {
    static const int positional[] = {TP_TEXT, TP_SIZE, TP_FONT};
    static const bool allowed[TP_COUNT] = {true, true, true, true, true, true, true, true, true};
    val args[TP_COUNT];
    bind_args(c, positional, 3, allowed, args);
    csg_node node;
    read_params(c, args, &node);
    text_metrics m;
    if (!text_measure(c->ctx, &node, &m)) return val_undef();
    facet_ctx *ctx = c->ctx;
    val o = val_obj_new(ctx, 6);
    val_obj_set_take(ctx, o, 0, "position", pair(ctx, m.position));
    val_obj_set_take(ctx, o, 1, "size", pair(ctx, m.size));
    val_obj_set_take(ctx, o, 2, "ascent", val_num(m.ascent));
    val_obj_set_take(ctx, o, 3, "descent", val_num(m.descent));
    val_obj_set_take(ctx, o, 4, "offset", pair(ctx, m.offset));
    val_obj_set_take(ctx, o, 5, "advance", pair(ctx, m.advance));
    return o;
}

/* { ascent = a; descent = d; } */
static val asc_desc(facet_ctx *ctx, double a, double d) {
    val o = val_obj_new(ctx, 2);
    val_obj_set_take(ctx, o, 0, "ascent", val_num(a));
    val_obj_set_take(ctx, o, 1, "descent", val_num(d));
    return o;
}

val bi_fn_fontmetrics(bi_call *c) {
    static const int positional[] = {TP_SIZE, TP_FONT};
    static const bool allowed[TP_COUNT] = {[TP_SIZE] = true, [TP_FONT] = true};
    val args[TP_COUNT];
    bind_args(c, positional, 2, allowed, args);
    csg_node node;
    read_params(c, args, &node);
    text_font_metrics m;
    facet_ctx *ctx = c->ctx;
    if (!text_font_measure(ctx, node.u.text.font, node.u.text.size, c->loc, &m)) return val_undef();
    val font = val_obj_new(ctx, 2);
    val_obj_set_take(ctx, font, 0, "family", val_str_cstr(ctx, m.family));
    val_obj_set_take(ctx, font, 1, "style", val_str_cstr(ctx, m.style));
    val o = val_obj_new(ctx, 4);
    val_obj_set_take(ctx, o, 0, "nominal", asc_desc(ctx, m.nominal_ascent, m.nominal_descent));
    val_obj_set_take(ctx, o, 1, "max", asc_desc(ctx, m.max_ascent, m.max_descent));
    val_obj_set_take(ctx, o, 2, "interline", val_num(m.interline));
    val_obj_set_take(ctx, o, 3, "font", font);
    return o;
}
