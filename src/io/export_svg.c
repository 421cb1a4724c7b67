/*
 * export_svg.c — a 2D result as SVG, laid out as OpenSCAD 2021.01 writes it.
 *
 * One <path> holds every contour ("M x,y L x,y ... z", a line each) so that the SVG
 * non-zero fill reproduces the holes. SVG's y axis points down, so y is negated. The
 * viewBox is the bounding box widened to whole units (floor of the minimum, ceiling of the
 * maximum) and the width and height say those units are millimetres.
 */
#include <math.h>

#include "io/export.h"

void export_svg(facet_ctx *ctx, const poly2 *p, sbuf *out) {
    double lo[2], hi[2];
    poly2_bbox(p, lo, hi);
    long minx = (long)floor(lo[0]), miny = (long)floor(-hi[1]);
    long maxx = (long)ceil(hi[0]), maxy = (long)ceil(-lo[1]);
    long width = maxx - minx, height = maxy - miny;
    sb_puts(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
                 "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
                 "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n");
    sb_printf(out,
              "<svg width=\"%ldmm\" height=\"%ldmm\" viewBox=\"%ld %ld %ld %ld\" "
              "xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\">\n",
              width, height, minx, miny, width, height);
    sb_puts(out, "<title>OpenSCAD Model</title>\n<path d=\"\n");
    for (int32_t c = 0; c < p->ncontours; c++) {
        const double *xy = p->xy + 2 * p->start[c];
        for (int32_t i = 0; i < p->count[c]; i++) {
            fc_tick(ctx);
            sb_puts(out, i == 0 ? "M " : " L ");
            export_put_num(out, xy[2 * i]);
            sb_putc(out, ',');
            export_put_num(out, -xy[2 * i + 1]);
        }
        if (p->count[c] > 0) sb_puts(out, " z\n");
    }
    sb_puts(out, "\" stroke=\"black\" fill=\"lightgray\" stroke-width=\"0.5\"/>\n</svg>\n");
}
