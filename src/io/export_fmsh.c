/*
 * export_fmsh.c — the viewer's compact binary mesh ("FMSH", layout in facet.h).
 *
 * Little-endian: "FMSH", u32 version 1, u32 nv, u32 nt, f32 positions, u32 indices,
 * u32 per-triangle colors (0xRRGGBBAA, 0 = none). The viewer copies the three arrays
 * straight into GPU buffers, so no per-vertex normals: it derives flat normals itself.
 * A 2D result is sent as its triangulated fill at z = 0 with the shape's color; an empty
 * result is a valid FMSH with no vertices, so the viewer can show "nothing" without an
 * error.
 */
#include "geom/poly2_ops.h"
#include "io/export.h"

static void header(sbuf *out, uint32_t nv, uint32_t nt) {
    sb_put(out, "FMSH", 4);
    sb_u32le(out, 1);
    sb_u32le(out, nv);
    sb_u32le(out, nt);
}

static void fmsh_mesh(facet_ctx *ctx, const mesh *m, sbuf *out) {
    header(out, (uint32_t)m->nv, (uint32_t)m->nt);
    sb_reserve(out, 12 * (size_t)m->nv + 16 * (size_t)m->nt);
    for (int32_t i = 0; i < 3 * m->nv; i++) sb_f32le(out, (float)m->pos[i]);
    for (int32_t i = 0; i < 3 * m->nt; i++) sb_u32le(out, (uint32_t)m->tri[i]);
    for (int32_t t = 0; t < m->nt; t++) sb_u32le(out, m->color ? m->color[t] : 0);
    fc_tick(ctx);
}

static void fmsh_poly(facet_ctx *ctx, const poly2 *p, sbuf *out) {
    int32_t *tris = NULL;
    int32_t nt = p->ncontours > 0 ? poly2_triangulate(ctx, p, &tris) : 0;
    header(out, (uint32_t)p->npoints, (uint32_t)nt);
    sb_reserve(out, 12 * (size_t)p->npoints + 16 * (size_t)nt);
    for (int32_t i = 0; i < p->npoints; i++) {
        sb_f32le(out, (float)p->xy[2 * i]);
        sb_f32le(out, (float)p->xy[2 * i + 1]);
        sb_f32le(out, 0.0f);
    }
    for (int32_t i = 0; i < 3 * nt; i++) sb_u32le(out, (uint32_t)tris[i]);
    for (int32_t t = 0; t < nt; t++) sb_u32le(out, p->color);
    fc_free(ctx, tris);
    fc_tick(ctx);
}

void export_fmsh(facet_ctx *ctx, const geo *g, sbuf *out) {
    if (g->dim == 3 && g->m) fmsh_mesh(ctx, g->m, out);
    else if (g->dim == 2 && g->p) fmsh_poly(ctx, g->p, out);
    else header(out, 0, 0);
}
