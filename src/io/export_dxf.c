/*
 * export_dxf.c — a 2D result as DXF, laid out as OpenSCAD 2021.01 writes it: an empty
 * BLOCKS section, an ENTITIES section with one LINE per contour edge on layer 0 (from each
 * point to the next, the last back to the first), and an OBJECTS section with an empty
 * DICTIONARY. Group codes are right-aligned in three columns, as AutoCAD writes them.
 */
#include "io/export.h"

static void put_coord(sbuf *out, const char *code, double v) {
    sb_puts(out, code);
    export_put_num(out, v);
    sb_putc(out, '\n');
}

void export_dxf(facet_ctx *ctx, const poly2 *p, sbuf *out) {
    sb_puts(out, "  0\nSECTION\n  2\nBLOCKS\n  0\nENDSEC\n"
                 "  0\nSECTION\n  2\nENTITIES\n");
    for (int32_t c = 0; c < p->ncontours; c++) {
        const double *xy = p->xy + 2 * p->start[c];
        int32_t n = p->count[c];
        for (int32_t i = 0; i < n; i++) {
            fc_tick(ctx);
            const double *a = xy + 2 * i, *b = xy + 2 * ((i + 1) % n);
            sb_puts(out, "  0\nLINE\n  8\n0\n");
            put_coord(out, " 10\n", a[0]);
            put_coord(out, " 20\n", a[1]);
            put_coord(out, " 11\n", b[0]);
            put_coord(out, " 21\n", b[1]);
        }
    }
    sb_puts(out, "  0\nENDSEC\n"
                 "  0\nSECTION\n  2\nOBJECTS\n  0\nDICTIONARY\n  0\nENDSEC\n"
                 "  0\nEOF\n");
}
