/*
 * export_off.c — OFF as OpenSCAD 2021.01 writes it: "OFF nv nf 0" on one line, a line
 * per vertex (each coordinate followed by a space), then "3 a b c" per triangle with
 * 0-based indices. Every vertex and triangle of the mesh is written in its order.
 */
#include "io/export.h"

void export_off(facet_ctx *ctx, const mesh *m, sbuf *out) {
    sb_printf(out, "OFF %d %d 0\n", (int)m->nv, (int)m->nt);
    for (int32_t v = 0; v < m->nv; v++) {
        fc_tick(ctx);
        for (int i = 0; i < 3; i++) {
            export_put_num(out, m->pos[3 * v + i]);
            sb_putc(out, ' ');
        }
        sb_putc(out, '\n');
    }
    for (int32_t t = 0; t < m->nt; t++) {
        fc_tick(ctx);
        const int32_t *c = m->tri + 3 * t;
        sb_putc(out, '3');
        for (int k = 0; k < 3; k++) {
            sb_putc(out, ' ');
            export_put_int(out, c[k]);
        }
        sb_putc(out, '\n');
    }
}
