/*
 * export.c — export_geo(): picks the writer for a format and checks that the result fits it.
 *
 * The checks and their wording are OpenSCAD's: a 3D format needs a 3D result ("Current top
 * level object is not a 3D object."), a 2D format a 2D one, and no file format accepts an
 * empty result ("Current top level object is empty.", after which OpenSCAD writes no file).
 * The viewer's FMSH form takes anything.
 */
#include "io/export.h"

static bool is_empty(const geo *g) {
    if (g->dim == 3) return !g->m || g->m->nt == 0;
    if (g->dim == 2) return !g->p || g->p->ncontours == 0;
    return true;
}

static bool is_2d_format(facet_format fmt) {
    return fmt == FACET_FORMAT_SVG || fmt == FACET_FORMAT_DXF;
}

void export_geo(facet_ctx *ctx, const geo *g, facet_format fmt, sbuf *out) {
    if (fmt == FACET_FORMAT_NONE) return;
    if (fmt == FACET_FORMAT_MESH) {
        export_fmsh(ctx, g, out);
        return;
    }
    if ((unsigned)fmt >= FACET_FORMAT_COUNT)
        fc_throw(ctx, FACET_ERR_INTERNAL, FC_NOLOC, "unknown export format %d", (int)fmt);
    if (is_empty(g))
        fc_throw(ctx, FACET_ERR_GEOMETRY, FC_NOLOC, "Current top level object is empty.");
    if (is_2d_format(fmt) && g->dim != 2)
        fc_throw(ctx, FACET_ERR_GEOMETRY, FC_NOLOC, "Current top level object is not a 2D object.");
    if (!is_2d_format(fmt) && g->dim != 3)
        fc_throw(ctx, FACET_ERR_GEOMETRY, FC_NOLOC, "Current top level object is not a 3D object.");
    switch (fmt) {
    case FACET_FORMAT_BINSTL: export_stl_binary(ctx, g->m, out); break;
    case FACET_FORMAT_ASCIISTL: export_stl_ascii(ctx, g->m, out); break;
    case FACET_FORMAT_OFF: export_off(ctx, g->m, out); break;
    case FACET_FORMAT_OBJ: export_obj(ctx, g->m, out); break;
    case FACET_FORMAT_3MF: export_3mf(ctx, g->m, out); break;
    case FACET_FORMAT_SVG: export_svg(ctx, g->p, out); break;
    case FACET_FORMAT_DXF: export_dxf(ctx, g->p, out); break;
    default: break;
    }
}
