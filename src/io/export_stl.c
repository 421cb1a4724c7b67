/*
 * export_stl.c — STL, binary and ASCII, laid out as OpenSCAD 2021.01 writes it.
 *
 * Binary: an 80-byte header that starts "OpenSCAD Model\n" and is zero-padded, the triangle
 * count, then per triangle the unit normal and three vertices as float32 and a zero
 * attribute word. ASCII: "solid OpenSCAD_Model" ... "endsolid OpenSCAD_Model" with two-space
 * indentation. As in OpenSCAD, a triangle whose corners coincide once written (equal float32
 * vertices; equal vertex text in ASCII) is left out: it has no area and many slicers reject
 * it. The normal of a collinear triangle is written as 0 0 0.
 */
#include <math.h>
#include <string.h>

#include "io/export.h"

static bool finite3(const double n[3]) {
    return isfinite(n[0]) && isfinite(n[1]) && isfinite(n[2]);
}

/* Unit normal of the triangle (a, b, c), zero when it is degenerate. */
static void unit_normal(const double a[3], const double b[3], const double c[3], double n[3]) {
    double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    double v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
    n[0] = u[1] * v[2] - u[2] * v[1];
    n[1] = u[2] * v[0] - u[0] * v[2];
    n[2] = u[0] * v[1] - u[1] * v[0];
    double len = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    for (int i = 0; i < 3; i++) n[i] /= len;
    if (!finite3(n)) n[0] = n[1] = n[2] = 0;
}

void export_stl_binary(facet_ctx *ctx, const mesh *m, sbuf *out) {
    char header[80];
    memset(header, 0, sizeof header);
    memcpy(header, "OpenSCAD Model\n", 15);
    sb_put(out, header, sizeof header);
    size_t count_at = out->len;
    sb_u32le(out, 0); /* patched below, once the skipped triangles are known */
    uint32_t written = 0;
    for (int32_t t = 0; t < m->nt; t++) {
        fc_tick(ctx);
        double p[3][3];
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < 3; i++) p[k][i] = (float)m->pos[3 * m->tri[3 * t + k] + i];
        if (memcmp(p[0], p[1], sizeof p[0]) == 0 || memcmp(p[0], p[2], sizeof p[0]) == 0 ||
            memcmp(p[1], p[2], sizeof p[0]) == 0)
            continue;
        double n[3];
        unit_normal(p[0], p[1], p[2], n);
        for (int i = 0; i < 3; i++) sb_f32le(out, (float)n[i]);
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < 3; i++) sb_f32le(out, (float)p[k][i]);
        sb_u16le(out, 0);
        written++;
    }
    unsigned char *c = (unsigned char *)out->data + count_at;
    for (int i = 0; i < 4; i++) c[i] = (unsigned char)(written >> (8 * i));
}

/* The text "x y z" of every vertex as float32, written once: a vertex is shared by about
 * six triangles, and number formatting is what ASCII export spends its time on. */
typedef struct vertex_text {
    char *text;
    size_t *at; /* vertex v's text is text[at[v] .. at[v+1]) */
} vertex_text;

static vertex_text vertex_texts(facet_ctx *ctx, const mesh *m) {
    vertex_text vt;
    sbuf b;
    sb_init(&b, ctx);
    vt.at = fc_alloc(ctx, sizeof *vt.at * ((size_t)m->nv + 1));
    for (int32_t v = 0; v < m->nv; v++) {
        fc_tick(ctx);
        vt.at[v] = b.len;
        for (int i = 0; i < 3; i++) {
            if (i) sb_putc(&b, ' ');
            export_put_num_f32(&b, (float)m->pos[3 * v + i]);
        }
    }
    vt.at[m->nv] = b.len;
    vt.text = sb_take(&b, NULL);
    return vt;
}

static bool same_text(const vertex_text *vt, int32_t a, int32_t b) {
    size_t na = vt->at[a + 1] - vt->at[a], nb = vt->at[b + 1] - vt->at[b];
    return na == nb && memcmp(vt->text + vt->at[a], vt->text + vt->at[b], na) == 0;
}

void export_stl_ascii(facet_ctx *ctx, const mesh *m, sbuf *out) {
    vertex_text vt = vertex_texts(ctx, m);
    sb_puts(out, "solid OpenSCAD_Model\n");
    for (int32_t t = 0; t < m->nt; t++) {
        fc_tick(ctx);
        const int32_t *c = m->tri + 3 * t;
        if (same_text(&vt, c[0], c[1]) || same_text(&vt, c[0], c[2]) || same_text(&vt, c[1], c[2]))
            continue;
        double n[3];
        unit_normal(m->pos + 3 * c[0], m->pos + 3 * c[1], m->pos + 3 * c[2], n);
        sb_puts(out, "  facet normal ");
        for (int i = 0; i < 3; i++) {
            if (i) sb_putc(out, ' ');
            export_put_num_f32(out, (float)n[i]);
        }
        sb_puts(out, "\n    outer loop\n");
        for (int k = 0; k < 3; k++) {
            sb_puts(out, "      vertex ");
            sb_put(out, vt.text + vt.at[c[k]], vt.at[c[k] + 1] - vt.at[c[k]]);
            sb_putc(out, '\n');
        }
        sb_puts(out, "    endloop\n  endfacet\n");
    }
    sb_puts(out, "endsolid OpenSCAD_Model\n");
    fc_free(ctx, vt.text);
    fc_free(ctx, vt.at);
}
