/*
 * import.c — import() and surface() for the geometry stage: reading the file through the
 * host's resolver, choosing the reader, and OpenSCAD's post-processing (center; DXF origin
 * and scale; SVG dpi) and messages for files that cannot be opened.
 */
#include "io/import.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/resolve.h"
#include "geom/poly2_ops.h"
#include "io/import_mesh.h"
#include "io/import_png.h"

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void center_mesh(mesh *m) {
    if (m->nv == 0) return;
    double lo[3], hi[3];
    mesh_bbox(m, lo, hi);
    double c[3] = {(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2};
    for (int32_t i = 0; i < m->nv; i++)
        for (int k = 0; k < 3; k++) m->pos[3 * i + k] -= c[k];
}

static void center_poly(poly2 *p) {
    if (p->npoints == 0) return;
    double lo[2], hi[2];
    poly2_bbox(p, lo, hi);
    double cx = (lo[0] + hi[0]) / 2, cy = (lo[1] + hi[1]) / 2;
    for (int32_t i = 0; i < p->npoints; i++) {
        p->xy[2 * i] -= cx;
        p->xy[2 * i + 1] -= cy;
    }
}

geo import_file(facet_ctx *ctx, const csg_node *node) {
    const char *path = node->u.import.path ? node->u.import.path : "";
    const char *fmt = node->u.import.format ? node->u.import.format : "";
    const char *data = NULL;
    size_t len = 0;
    int line = node->loc.line;
    if (fc_read(ctx, path, &data, &len) != 0) {
        if (strcmp(fmt, "dxf") == 0)
            fc_log(ctx, FACET_LOG_WARNING, "Can't open DXF file '%s'.", path);
        else if (strcmp(fmt, "svg") == 0)
            fc_log(ctx, FACET_LOG_ERROR, "Can't open file '%s', import() at line %d", path, line);
        else
            fc_log(ctx, FACET_LOG_WARNING, "Can't open import file '%s', import() at line %d", path, line);
        return geo_empty();
    }
    const char *name = base_name(path);
    geo g = geo_empty();
    if (strcmp(fmt, "stl") == 0) {
        g = geo_mesh(import_stl(ctx, data, len, name, node->loc));
    } else if (strcmp(fmt, "off") == 0) {
        g = geo_mesh(import_off(ctx, data, len, name, node->loc));
    } else if (strcmp(fmt, "obj") == 0) {
        g = geo_mesh(import_obj(ctx, data, len, name, node->loc));
    } else if (strcmp(fmt, "dxf") == 0) {
        double scale = node->u.import.scale;
        if (!(scale > 0) || !isfinite(scale)) scale = 1;
        g = geo_poly(import_dxf(ctx, data, len, name, node->u.import.layer, node->u.import.origin, scale,
                                node->u.import.frag, node->loc));
    } else if (strcmp(fmt, "svg") == 0) {
        double dpi = node->u.import.dpi;
        if (!(dpi > 0) || !isfinite(dpi)) dpi = 72;
        g = geo_poly(import_svg(ctx, data, len, name, dpi, node->u.import.frag, node->loc));
    } else {
        fc_log(ctx, FACET_LOG_WARNING,
               "Import: Unsupported file format while trying to import file '%s', import() at line %d",
               path, line);
        return geo_empty();
    }
    if (node->u.import.center) {
        if (g.dim == 3) center_mesh(g.m);
        else if (g.dim == 2) center_poly(g.p);
    }
    return g;
}

/* ---------------------------------------------------------------- surface() */

typedef struct heightmap {
    double *v; /* rows x cols, missing entries 0 */
    int rows, cols;
} heightmap;

/* Rows of numbers separated by spaces or tabs; blank and '#' lines are skipped; a value that
 * is not a number ends the data (with OpenSCAD's warning unless it is on the last line). */
static heightmap read_dat(facet_ctx *ctx, const char *data, size_t len, const char *name) {
    heightmap h = {NULL, 0, 0};
    double *cells = NULL;
    int *rowlen = NULL;
    int ncells = 0, capcells = 0, caprows = 0, nrows = 0;
    int *rowstart = NULL;
    int caprs = 0;
    size_t at = 0;
    while (at < len) {
        size_t e = at;
        while (e < len && data[e] != '\n') e++;
        size_t a = at, b = e;
        at = e + 1;
        while (a < b && (data[a] == ' ' || data[a] == '\t' || data[a] == '\r' || data[a] == '\f' || data[a] == '\v')) a++;
        while (b > a && (data[b - 1] == ' ' || data[b - 1] == '\t' || data[b - 1] == '\r' || data[b - 1] == '\f' || data[b - 1] == '\v')) b--;
        if (a == b || data[a] == '#') continue;
        int col = 0;
        bool bad = false;
        FC_PUSH(ctx, rowstart, nrows, caprs, ncells);
        nrows--;
        size_t k = a;
        while (k < b) {
            while (k < b && (data[k] == ' ' || data[k] == '\t')) k++;
            if (k >= b) break;
            size_t t = k;
            while (t < b && data[t] != ' ' && data[t] != '\t') t++;
            char buf[64];
            size_t n = t - k < sizeof buf - 1 ? t - k : sizeof buf - 1;
            memcpy(buf, data + k, n);
            buf[n] = '\0';
            char *endp;
            double v = strtod(buf, &endp);
            if (endp == buf || *endp != '\0' || t - k >= sizeof buf - 1) {
                bad = true;
                if (at < len) fc_log(ctx, FACET_LOG_WARNING, "Illegal value in '%s': bad lexical cast: source type value could not be interpreted as target type", name);
                break;
            }
            FC_PUSH(ctx, cells, ncells, capcells, v);
            col++;
            k = t;
        }
        FC_PUSH(ctx, rowlen, nrows, caprows, col);
        if (col > h.cols) h.cols = col;
        if (bad) break;
    }
    h.rows = nrows;
    if (h.rows > 0 && h.cols > 0) {
        if ((double)h.rows * h.cols > 5e7)
            fc_throw(ctx, FACET_ERR_GEOMETRY, FC_NOLOC, "surface(): heightmap too large (%d x %d)", h.rows, h.cols);
        h.v = fc_calloc(ctx, (size_t)h.rows * (size_t)h.cols, sizeof *h.v);
        for (int r = 0; r < h.rows; r++)
            for (int c = 0; c < rowlen[r]; c++) h.v[(size_t)r * h.cols + c] = cells[rowstart[r] + c];
    }
    fc_free(ctx, cells);
    fc_free(ctx, rowlen);
    fc_free(ctx, rowstart);
    return h;
}

static void wall(mesh_build *b, const int32_t q[4]) {
    int32_t r[4] = {q[3], q[2], q[1], q[0]};
    mb_face(b, r, 4, 0);
}

static mesh *surface_mesh(facet_ctx *ctx, heightmap h, bool center) {
    int lines = h.rows, columns = h.cols;
    if (lines < 2 || columns < 2) return mesh_empty(ctx);
    double min_val = 0;
    for (size_t i = 0; i < (size_t)lines * columns; i++) min_val = fmin(h.v[i] - 1, min_val);
    double ox = center ? -(columns - 1) / 2.0 : 0, oy = center ? -(lines - 1) / 2.0 : 0;
#define D(r, c) h.v[(size_t)(r) * columns + (c)]
    mesh_build b;
    mb_init(&b, ctx);
    int32_t q[4];
    for (int i = 1; i < lines; i++) {
        for (int j = 1; j < columns; j++) {
            double v1 = D(i - 1, j - 1), v2 = D(i - 1, j), v3 = D(i, j - 1), v4 = D(i, j);
            double vx = (v1 + v2 + v3 + v4) / 4;
            int32_t a = mb_vertex(&b, ox + j - 1, oy + i - 1, v1), bb = mb_vertex(&b, ox + j, oy + i - 1, v2);
            int32_t c = mb_vertex(&b, ox + j - 1, oy + i, v3), d = mb_vertex(&b, ox + j, oy + i, v4);
            int32_t m = mb_vertex(&b, ox + j - 0.5, oy + i - 0.5, vx);
            q[0] = a, q[1] = bb, q[2] = m;
            mb_face(&b, q, 3, 0);
            q[0] = bb, q[1] = d, q[2] = m;
            mb_face(&b, q, 3, 0);
            q[0] = d, q[1] = c, q[2] = m;
            mb_face(&b, q, 3, 0);
            q[0] = c, q[1] = a, q[2] = m;
            mb_face(&b, q, 3, 0);
        }
        fc_tick(ctx);
    }
    /* walls: each a quad from the bottom level up to the data, listed inside out and
     * emitted reversed so that they face outward like the top */
    for (int i = 1; i < lines; i++) {
        q[0] = mb_vertex(&b, ox, oy + i - 1, min_val);
        q[1] = mb_vertex(&b, ox, oy + i, min_val);
        q[2] = mb_vertex(&b, ox, oy + i, D(i, 0));
        q[3] = mb_vertex(&b, ox, oy + i - 1, D(i - 1, 0));
        wall(&b, q);
        q[0] = mb_vertex(&b, ox + columns - 1, oy + i - 1, min_val);
        q[1] = mb_vertex(&b, ox + columns - 1, oy + i - 1, D(i - 1, columns - 1));
        q[2] = mb_vertex(&b, ox + columns - 1, oy + i, D(i, columns - 1));
        q[3] = mb_vertex(&b, ox + columns - 1, oy + i, min_val);
        wall(&b, q);
    }
    for (int i = 1; i < columns; i++) {
        q[0] = mb_vertex(&b, ox + i - 1, oy, min_val);
        q[1] = mb_vertex(&b, ox + i - 1, oy, D(0, i - 1));
        q[2] = mb_vertex(&b, ox + i, oy, D(0, i));
        q[3] = mb_vertex(&b, ox + i, oy, min_val);
        wall(&b, q);
        q[0] = mb_vertex(&b, ox + i - 1, oy + lines - 1, min_val);
        q[1] = mb_vertex(&b, ox + i, oy + lines - 1, min_val);
        q[2] = mb_vertex(&b, ox + i, oy + lines - 1, D(lines - 1, i));
        q[3] = mb_vertex(&b, ox + i - 1, oy + lines - 1, D(lines - 1, i - 1));
        wall(&b, q);
    }
    /* the bottom: the boundary ring at min_val, triangulated without zero-area pieces */
    int nring = 2 * (columns - 1) + 2 * (lines - 1);
    poly2 *ring = poly2_new(ctx, 1, nring);
    ring->count[0] = nring;
    int k = 0;
    for (int i = 0; i < columns - 1; i++, k++) ring->xy[2 * k] = ox + i, ring->xy[2 * k + 1] = oy;
    for (int i = 0; i < lines - 1; i++, k++) ring->xy[2 * k] = ox + columns - 1, ring->xy[2 * k + 1] = oy + i;
    for (int i = columns - 1; i > 0; i--, k++) ring->xy[2 * k] = ox + i, ring->xy[2 * k + 1] = oy + lines - 1;
    for (int i = lines - 1; i > 0; i--, k++) ring->xy[2 * k] = ox, ring->xy[2 * k + 1] = oy + i;
    int32_t *tris;
    int32_t nt = poly2_triangulate(ctx, ring, &tris);
    for (int32_t t = 0; t < nt; t++) {
        for (int e = 0; e < 3; e++) {
            int32_t pi = tris[3 * t + (e == 0 ? 0 : 3 - e)];
            q[e] = mb_vertex(&b, ring->xy[2 * pi], ring->xy[2 * pi + 1], min_val);
        }
        mb_face(&b, q, 3, 0);
    }
#undef D
    mesh *m = mb_finish(&b);
    if (mesh_volume(m) < 0) {
        for (int32_t t = 0; t < m->nt; t++) {
            int32_t x = m->tri[3 * t + 1];
            m->tri[3 * t + 1] = m->tri[3 * t + 2];
            m->tri[3 * t + 2] = x;
        }
    }
    fc_free(ctx, h.v);
    return m;
}

mesh *import_surface_dat(facet_ctx *ctx, const char *data, size_t len, const char *name, bool center) {
    return surface_mesh(ctx, read_dat(ctx, data, len, name), center);
}

/* OpenSCAD 2021.01's image heights: luminance of the RGB pixel (0..255) times 100/255, with
 * `invert` computing 1 - luminance (not 255 - luminance: that is what 2021.01 does); the
 * image's top row is the far (largest y) row of the surface. */
static heightmap png_heights(facet_ctx *ctx, const png_image *img, bool invert) {
    heightmap h = {NULL, img->h, img->w};
    h.v = fc_alloc(ctx, (size_t)img->w * (size_t)img->h * sizeof *h.v);
    for (int y = 0; y < img->h; y++)
        for (int x = 0; x < img->w; x++) {
            const uint8_t *p = img->rgb + 3 * ((size_t)y * img->w + x);
            double pixel = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
            h.v[(size_t)(img->h - 1 - y) * img->w + x] = 100.0 / 255 * (invert ? 1 - pixel : pixel);
        }
    return h;
}

mesh *import_surface(facet_ctx *ctx, const csg_node *node) {
    const char *path = node->u.surface.path ? node->u.surface.path : "";
    const char *data = NULL;
    size_t len = 0;
    if (fc_read(ctx, path, &data, &len) != 0) {
        fc_log(ctx, FACET_LOG_WARNING, "The file '%s' couldn't be opened.", path);
        return mesh_empty(ctx);
    }
    static const unsigned char png_magic[8] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a};
    if (len >= 8 && memcmp(data, png_magic, 8) == 0) {
        png_image img;
        if (!png_decode_rgb(ctx, (const uint8_t *)data, len, &img)) {
            fc_log(ctx, FACET_LOG_ERROR, "Can't read PNG image '%s'", path);
            return mesh_empty(ctx);
        }
        heightmap h = png_heights(ctx, &img, node->u.surface.invert);
        fc_free(ctx, img.rgb);
        return surface_mesh(ctx, h, node->u.surface.center);
    }
    return import_surface_dat(ctx, data, len, base_name(path), node->u.surface.center);
}
