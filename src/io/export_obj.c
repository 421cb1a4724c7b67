/*
 * export_obj.c — Wavefront OBJ in the form OpenSCAD's OBJ exporter uses (OpenSCAD 2021.01
 * has none; later releases write this): a comment line, "v x y z" per vertex and
 * "f a b c" per triangle with 1-based indices. No normals, no materials.
 */
#include "io/export.h"

void export_obj(facet_ctx *ctx, const mesh *m, sbuf *out) {
    sb_puts(out, "# OpenSCAD obj exporter\n");
    for (int32_t v = 0; v < m->nv; v++) {
        fc_tick(ctx);
        sb_putc(out, 'v');
        for (int i = 0; i < 3; i++) {
            sb_putc(out, ' ');
            export_put_num(out, m->pos[3 * v + i]);
        }
        sb_putc(out, '\n');
    }
    for (int32_t t = 0; t < m->nt; t++) {
        fc_tick(ctx);
        const int32_t *c = m->tri + 3 * t;
        sb_putc(out, 'f');
        for (int k = 0; k < 3; k++) {
            sb_putc(out, ' ');
            export_put_int(out, (long)c[k] + 1);
        }
        sb_putc(out, '\n');
    }
}
