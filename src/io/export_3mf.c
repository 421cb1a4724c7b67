/*
 * export_3mf.c — 3MF: an OPC zip package with the three parts every 3MF reader needs.
 *
 *   [Content_Types].xml   the content types (the same defaults OpenSCAD 2021.01's lib3mf
 *                         writes)
 *   _rels/.rels           the relationship pointing at the model part
 *   3D/3dmodel.model      one object "OpenSCAD Model" with the mesh, and one build item
 *
 * Colors: when any triangle has a color, the distinct colors become one <basematerials>
 * group (in order of first appearance) and every triangle names its material; triangles
 * without a color get OpenSCAD's default face color (#F9D72C). Without colors the model is
 * plain geometry, as OpenSCAD 2021.01 writes it. Unlike lib3mf we write no UUIDs, which
 * are optional and would make the output differ between runs. Triangles that repeat a
 * vertex index are invalid in 3MF and are left out.
 */
#include <string.h>

#include "io/export.h"

#define DEFAULT_COLOR 0xF9D72CFFu /* OpenSCAD's default face color (Cornfield scheme) */

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\n"
    "\t<Default Extension=\"jpeg\" ContentType=\"image/jpeg\" />\n"
    "\t<Default Extension=\"jpg\" ContentType=\"image/jpeg\" />\n"
    "\t<Default Extension=\"model\" "
    "ContentType=\"application/vnd.ms-package.3dmanufacturing-3dmodel+xml\" />\n"
    "\t<Default Extension=\"png\" ContentType=\"image/png\" />\n"
    "\t<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\" />\n"
    "\t<Default Extension=\"texture\" "
    "ContentType=\"application/vnd.ms-package.3dmanufacturing-3dmodeltexture\" />\n"
    "</Types>\n";

static const char rels[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\n"
    "\t<Relationship Type=\"http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel\" "
    "Target=\"/3D/3dmodel.model\" Id=\"rel0\" />\n"
    "</Relationships>\n";

/* Distinct colors in order of first appearance: an open-addressing table from color to
 * material index. mat[t] receives triangle t's material index. */
static int32_t color_materials(facet_ctx *ctx, const mesh *m, int32_t *mat, uint32_t **colors) {
    uint32_t nslots = 16;
    while (nslots < 2u * (uint32_t)m->nt) nslots *= 2;
    int32_t *slot = fc_alloc(ctx, sizeof *slot * nslots);
    for (uint32_t i = 0; i < nslots; i++) slot[i] = -1;
    uint32_t *list = NULL;
    int32_t n = 0, cap = 0;
    for (int32_t t = 0; t < m->nt; t++) {
        uint32_t c = m->color[t] ? m->color[t] : DEFAULT_COLOR;
        uint32_t h = (c * 2654435761u) & (nslots - 1);
        while (slot[h] >= 0 && list[slot[h]] != c) h = (h + 1) & (nslots - 1);
        if (slot[h] < 0) {
            FC_PUSH(ctx, list, n, cap, c);
            slot[h] = n - 1;
        }
        mat[t] = slot[h];
    }
    fc_free(ctx, slot);
    *colors = list;
    return n;
}

static void put_vertex(sbuf *b, const double *p) {
    static const char *const attr[3] = {"\t\t\t\t\t<vertex x=\"", "\" y=\"", "\" z=\""};
    for (int i = 0; i < 3; i++) {
        sb_puts(b, attr[i]);
        export_put_num(b, p[i]);
    }
    sb_puts(b, "\" />\n");
}

static void model_xml(facet_ctx *ctx, const mesh *m, sbuf *b) {
    int32_t *mat = NULL;
    uint32_t *colors = NULL;
    int32_t ncolors = 0;
    if (m->color) {
        mat = fc_alloc(ctx, sizeof *mat * (size_t)(m->nt > 0 ? m->nt : 1));
        ncolors = color_materials(ctx, m, mat, &colors);
    }
    sb_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
               "<model xmlns=\"http://schemas.microsoft.com/3dmanufacturing/core/2015/02\" "
               "unit=\"millimeter\" xml:lang=\"en-US\">\n"
               "\t<resources>\n");
    int object_id = 1;
    if (ncolors > 0) {
        sb_puts(b, "\t\t<basematerials id=\"1\">\n");
        for (int32_t i = 0; i < ncolors; i++) {
            uint32_t c = colors[i];
            if (c == DEFAULT_COLOR)
                sb_printf(b, "\t\t\t<base name=\"Default\" displaycolor=\"#%08X\" />\n", (unsigned)c);
            else
                sb_printf(b, "\t\t\t<base name=\"#%08X\" displaycolor=\"#%08X\" />\n", (unsigned)c,
                          (unsigned)c);
        }
        sb_puts(b, "\t\t</basematerials>\n");
        object_id = 2;
        sb_printf(b, "\t\t<object id=\"%d\" name=\"OpenSCAD Model\" type=\"model\" pid=\"1\" "
                     "pindex=\"%d\">\n", object_id, (int)(m->nt > 0 ? mat[0] : 0));
    } else {
        sb_printf(b, "\t\t<object id=\"%d\" name=\"OpenSCAD Model\" type=\"model\">\n",
                  object_id);
    }
    sb_puts(b, "\t\t\t<mesh>\n\t\t\t\t<vertices>\n");
    for (int32_t v = 0; v < m->nv; v++) {
        fc_tick(ctx);
        put_vertex(b, m->pos + 3 * v);
    }
    sb_puts(b, "\t\t\t\t</vertices>\n\t\t\t\t<triangles>\n");
    for (int32_t t = 0; t < m->nt; t++) {
        fc_tick(ctx);
        const int32_t *c = m->tri + 3 * t;
        if (c[0] == c[1] || c[0] == c[2] || c[1] == c[2]) continue;
        static const char *const attr[3] = {"\t\t\t\t\t<triangle v1=\"", "\" v2=\"", "\" v3=\""};
        for (int k = 0; k < 3; k++) {
            sb_puts(b, attr[k]);
            export_put_int(b, c[k]);
        }
        sb_putc(b, '"');
        if (ncolors > 0) {
            sb_puts(b, " pid=\"1\" p1=\"");
            export_put_int(b, mat[t]);
            sb_putc(b, '"');
        }
        sb_puts(b, " />\n");
    }
    sb_printf(b, "\t\t\t\t</triangles>\n\t\t\t</mesh>\n\t\t</object>\n\t</resources>\n"
                 "\t<build>\n\t\t<item objectid=\"%d\" />\n\t</build>\n</model>\n",
              object_id);
    fc_free(ctx, mat);
    fc_free(ctx, colors);
}

void export_3mf(facet_ctx *ctx, const mesh *m, sbuf *out) {
    sbuf model;
    sb_init(&model, ctx);
    model_xml(ctx, m, &model);
    export_zip_entry entries[3] = {
        {"[Content_Types].xml", content_types, sizeof content_types - 1},
        {"_rels/.rels", rels, sizeof rels - 1},
        {"3D/3dmodel.model", model.data, model.len},
    };
    export_zip(ctx, entries, 3, out);
    sb_free(&model);
}
