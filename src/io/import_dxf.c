/*
 * import_dxf.c — DXF reader as OpenSCAD reads it (its DxfData), so that imported drawings
 * have OpenSCAD's vertices exactly.
 *
 * The file is a list of (group code, value) line pairs. Entities are collected in the
 * ENTITIES section (filtered by layer) and in BLOCKS (for INSERT): LINE, LWPOLYLINE (bulges
 * ignored, as OpenSCAD does), CIRCLE and ARC (flattened with $fn/$fa/$fs, radian math as in
 * OpenSCAD), ELLIPSE (full and partial), INSERT (a block scaled, rotated and moved), and —
 * beyond OpenSCAD, which ignores it — the old POLYLINE/VERTEX/SEQEND form. DIMENSION
 * entities are kept for dxf_dim(). Every entity becomes straight segments whose end points
 * are snapped to a 1/1024 grid (a new point within one cell of an existing one joins it);
 * the segments are then chained into paths, open paths first, in segment order, and every
 * path is closed. The drawing is filled under the even-odd rule (OpenSCAD's polygons from
 * DXF are cleaned with it).
 *
 * OpenSCAD's quirks are kept where they affect geometry: origin is subtracted from every
 * 10/11/20/21 coordinate (the ellipse's axis vector too), block segments register in the
 * grid under the index the next entity segment will get, closed paths only get their
 * direction fixed when no open path was found.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/crmath.h"
#include "core/degtrig.h"
#include "core/hash.h"
#include "geom/fragments.h"
#include "geom/poly2_ops.h"
#include "io/import.h"
#include "io/import_fill.h"

#define DXF_PI 3.14159265358979323846
#define GRID_RES 0.0009765625 /* OpenSCAD's GRID_COARSE, 1/1024 */

typedef struct dxf_line {
    int32_t idx[2];
    bool disabled;
} dxf_line;

typedef struct dxf_cell {
    int64_t ix, iy;
    int32_t *lines; /* segment indices registered at this grid point */
    int n, cap;
} dxf_cell;

typedef struct dxf_block {
    char *name;
    dxf_line *lines;
    int n, cap;
} dxf_block;

typedef struct dxf_dim {
    int type;
    double coords[7][2];
    double angle, length;
    char *name;
} dxf_dim;

typedef struct dxf_path {
    int32_t *idx;
    int n, cap;
    bool closed;
} dxf_path;

typedef struct dxf {
    facet_ctx *ctx;
    const char *name; /* file name for messages */
    const char *layername;
    double xorigin, yorigin, scale;
    csg_frag frag;
    /* grid */
    dxf_cell *cells;
    int ncells, capcells;
    int32_t *slots;
    uint32_t nslots;
    /* points and segments */
    double *pts;
    int npts, cappts;
    dxf_line *lines;
    int nlines, caplines;
    dxf_block *blocks;
    int nblocks, capblocks;
    dxf_dim *dims;
    int ndims, capdims;
    dxf_path *paths;
    int npaths, cappaths;
    /* parser state */
    bool in_entities, in_blocks;
    char current_block[256];
    bool have_block;
    char layer[256];
} dxf;

/* ---------------------------------------------------------------- the grid */

static uint32_t cell_hash(int64_t ix, int64_t iy) {
    return (uint32_t)fc_hash_u64(fc_hash_u64(0x51ed27, (uint64_t)ix), (uint64_t)iy);
}

static int find_cell(const dxf *d, int64_t ix, int64_t iy) {
    if (!d->nslots) return -1;
    uint32_t s = cell_hash(ix, iy) & (d->nslots - 1);
    while (d->slots[s] >= 0) {
        const dxf_cell *c = &d->cells[d->slots[s]];
        if (c->ix == ix && c->iy == iy) return d->slots[s];
        s = (s + 1) & (d->nslots - 1);
    }
    return -1;
}

static int add_cell(dxf *d, int64_t ix, int64_t iy) {
    if ((uint32_t)(d->ncells + 1) * 2 > d->nslots) {
        uint32_t n = d->nslots ? d->nslots * 2 : 256;
        fc_free(d->ctx, d->slots);
        d->slots = fc_alloc(d->ctx, n * sizeof *d->slots);
        for (uint32_t i = 0; i < n; i++) d->slots[i] = -1;
        d->nslots = n;
        for (int c = 0; c < d->ncells; c++) {
            uint32_t s = cell_hash(d->cells[c].ix, d->cells[c].iy) & (n - 1);
            while (d->slots[s] >= 0) s = (s + 1) & (n - 1);
            d->slots[s] = c;
        }
    }
    dxf_cell cell = {ix, iy, NULL, 0, 0};
    FC_PUSH(d->ctx, d->cells, d->ncells, d->capcells, cell);
    uint32_t s = cell_hash(ix, iy) & (d->nslots - 1);
    while (d->slots[s] >= 0) s = (s + 1) & (d->nslots - 1);
    d->slots[s] = d->ncells - 1;
    return d->ncells - 1;
}

/* Snaps (x, y) to the grid, or to the nearest existing grid point among the eight around
 * it (the first found with the smallest |dx|+|dy|); returns its cell, created if new. */
static int grid_align(dxf *d, double *x, double *y) {
    int64_t ix = (int64_t)round(*x / GRID_RES), iy = (int64_t)round(*y / GRID_RES);
    int c = find_cell(d, ix, iy);
    if (c < 0) {
        int dist = 10;
        int64_t bx = ix, by = iy;
        for (int64_t jx = ix - 1; jx <= ix + 1; jx++)
            for (int64_t jy = iy - 1; jy <= iy + 1; jy++) {
                if (find_cell(d, jx, jy) < 0) continue;
                int dd = (int)(llabs(ix - jx) + llabs(iy - jy));
                if (dd < dist) {
                    dist = dd;
                    bx = jx;
                    by = jy;
                }
            }
        ix = bx;
        iy = by;
        c = find_cell(d, ix, iy);
        if (c < 0) c = add_cell(d, ix, iy);
    }
    *x = (double)ix * GRID_RES;
    *y = (double)iy * GRID_RES;
    return c;
}

static bool grid_eq(dxf *d, double x1, double y1, double x2, double y2) {
    grid_align(d, &x1, &y1);
    grid_align(d, &x2, &y2);
    return fabs(x1 - x2) < GRID_RES && fabs(y1 - y2) < GRID_RES;
}

static int32_t add_point(dxf *d, double x, double y) {
    FC_GROW(d->ctx, d->pts, d->cappts, 2 * (d->npts + 1));
    d->pts[2 * d->npts] = x;
    d->pts[2 * d->npts + 1] = y;
    return d->npts++;
}

static dxf_block *block_named(dxf *d, const char *name) {
    for (int i = 0; i < d->nblocks; i++)
        if (strcmp(d->blocks[i].name, name) == 0) return &d->blocks[i];
    dxf_block b = {fc_strdup(d->ctx, name), NULL, 0, 0};
    FC_PUSH(d->ctx, d->blocks, d->nblocks, d->capblocks, b);
    return &d->blocks[d->nblocks - 1];
}

static bool layer_ok(const dxf *d) {
    return !d->layername || !d->layername[0] || strcmp(d->layername, d->layer) == 0;
}

/* One straight segment of an entity (OpenSCAD's ADD_LINE). */
static void add_line(dxf *d, double x1, double y1, double x2, double y2) {
    if (!d->in_entities && !d->in_blocks) return;
    if (d->in_entities && !layer_ok(d)) return;
    fc_tick(d->ctx);
    int c1 = grid_align(d, &x1, &y1);
    int c2 = grid_align(d, &x2, &y2);
    FC_PUSH(d->ctx, d->cells[c1].lines, d->cells[c1].n, d->cells[c1].cap, d->nlines);
    FC_PUSH(d->ctx, d->cells[c2].lines, d->cells[c2].n, d->cells[c2].cap, d->nlines);
    if (d->in_entities) {
        dxf_line l = {{add_point(d, x1, y1), add_point(d, x2, y2)}, false};
        FC_PUSH(d->ctx, d->lines, d->nlines, d->caplines, l);
    }
    if (d->in_blocks && d->have_block) {
        dxf_block *b = block_named(d, d->current_block);
        dxf_line l = {{add_point(d, x1, y1), add_point(d, x2, y2)}, false};
        FC_PUSH(d->ctx, b->lines, b->n, b->cap, l);
    }
}

/* ---------------------------------------------------------------- parsing */

/* The value of an entity being read. */
typedef struct dxf_entity {
    char mode[64];
    char name[256], iddata[256];
    int dimtype;
    double coords[7][2];
    double *xv, *yv;
    int nx, ny, capx, capy;
    double radius, arc_start, arc_stop, ell_start, ell_stop;
    /* old-style POLYLINE: its vertices arrive as VERTEX entities until SEQEND */
    bool in_polyline;
    int polyline_flags;
    double *px, *py;
    int npoly, cappx, cappy;
} dxf_entity;

static void copy_str(char *dst, size_t size, const char *s, size_t n) {
    if (n >= size) n = size - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* A strict number: optional sign, digits, point, exponent; nothing else. */
static bool parse_num(const char *s, size_t n, double *out) {
    char buf[128];
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E')) return false;
    }
    char *end;
    double v = strtod(buf, &end);
    if (*end != '\0') return false;
    *out = v;
    return true;
}

static bool parse_int(const char *s, size_t n, int *out) {
    char buf[32];
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    size_t i = (buf[0] == '-' || buf[0] == '+') ? 1 : 0;
    if (i >= n) return false;
    for (; i < n; i++)
        if (buf[i] < '0' || buf[i] > '9') return false;
    long v = strtol(buf, NULL, 10);
    if (v > 1000000000L || v < -1000000000L) return false;
    *out = (int)v;
    return true;
}

static bool need(const dxf_entity *e, int nx, int ny) { return e->nx >= nx && e->ny >= ny; }

static void arc_points(dxf *d, double cx, double cy, double radius, double start, double stop) {
    int n = geom_fragments(radius, d->frag.fn, d->frag.fa, d->frag.fs);
    while (start > stop) stop += 360.0;
    n = (int)ceil(n * (stop - start) / 360);
    for (int i = 0; i < n; i++) {
        double a1 = ((stop - start) * i) / n;
        double a2 = ((stop - start) * (i + 1)) / n;
        a1 = (start + a1) * DXF_PI / 180.0;
        a2 = (start + a2) * DXF_PI / 180.0;
        add_line(d, fc_cos(a1) * radius + cx, fc_sin(a1) * radius + cy, fc_cos(a2) * radius + cx,
                 fc_sin(a2) * radius + cy);
    }
}

/* Finishes the entity `e` (called at the next group 0). Returns false when the entity
 * lacked coordinates (OpenSCAD then keeps its state and warns). */
static bool finish_entity(dxf *d, dxf_entity *e) {
    const char *m = e->mode;
    if (strcmp(m, "LINE") == 0) {
        if (!need(e, 2, 2)) return false;
        add_line(d, e->xv[0], e->yv[0], e->xv[1], e->yv[1]);
    } else if (strcmp(m, "LWPOLYLINE") == 0) {
        int nv = e->nx > e->ny ? e->nx : e->ny;
        for (int i = 1; i < nv; i++) {
            if (i >= e->nx || i >= e->ny) return false;
            add_line(d, e->xv[i - 1], e->yv[i - 1], e->xv[i % nv], e->yv[i % nv]);
        }
        if (e->dimtype & 1) {
            if (nv == 0 || nv > e->nx || nv > e->ny) return false;
            add_line(d, e->xv[nv - 1], e->yv[nv - 1], e->xv[0], e->yv[0]);
        }
    } else if (strcmp(m, "CIRCLE") == 0) {
        if (!need(e, 1, 1)) return false;
        int n = geom_fragments(e->radius, d->frag.fn, d->frag.fa, d->frag.fs);
        double cx = e->xv[0], cy = e->yv[0], r = e->radius;
        for (int i = 0; i < n; i++) {
            double a1 = (2 * DXF_PI * i) / n;
            double a2 = (2 * DXF_PI * (i + 1)) / n;
            add_line(d, fc_cos(a1) * r + cx, fc_sin(a1) * r + cy, fc_cos(a2) * r + cx, fc_sin(a2) * r + cy);
        }
    } else if (strcmp(m, "ARC") == 0) {
        if (!need(e, 1, 1)) return false;
        arc_points(d, e->xv[0], e->yv[0], e->radius, e->arc_start, e->arc_stop);
    } else if (strcmp(m, "ELLIPSE") == 0) {
        if (!need(e, 2, 2)) return false;
        while (e->ell_start > e->ell_stop) e->ell_stop += 2 * DXF_PI;
        double cx = e->xv[0], cy = e->yv[0], ex = e->xv[1], ey = e->yv[1];
        double r_major = sqrt(ex * ex + ey * ey);
        double cosval = ex / r_major;
        if (cosval > 1.0) cosval = 1.0;
        if (cosval < -1.0) cosval = -1.0;
        double rot = acos(cosval);
        if (ey < 0.0) rot = 2 * DXF_PI - rot;
        double r_minor = r_major * e->radius; /* group 40 is the axis ratio here */
        double sweep = e->ell_stop - e->ell_start;
        int n = geom_fragments(r_major, d->frag.fn, d->frag.fa, d->frag.fs);
        n = (int)ceil(n * sweep / (2 * DXF_PI));
        double p1x = 0, p1y = 0;
        for (int i = 0; i <= n; i++) {
            double a = e->ell_start + sweep * i / n;
            double px = fc_cos(a) * r_major, py = fc_sin(a) * r_minor;
            double qx = fc_cos(rot) * px - fc_sin(rot) * py + cx;
            double qy = fc_sin(rot) * px + fc_cos(rot) * py + cy;
            if (i > 0) add_line(d, p1x, p1y, qx, qy);
            p1x = qx;
            p1y = qy;
        }
    } else if (strcmp(m, "INSERT") == 0) {
        dxf_block *b = block_named(d, e->iddata);
        if (b->n > 0 && !need(e, 1, 1)) return false;
        for (int i = 0; i < b->n; i++) {
            /* group 50 is the rotation, 41/42 the scales */
            double a = e->arc_start * DXF_PI / 180.0;
            const double *p0 = d->pts + 2 * b->lines[i].idx[0], *p1 = d->pts + 2 * b->lines[i].idx[1];
            double lx1 = p0[0] * e->ell_start, ly1 = p0[1] * e->ell_stop;
            double lx2 = p1[0] * e->ell_start, ly2 = p1[1] * e->ell_stop;
            double px1 = (fc_cos(a) * lx1 - fc_sin(a) * ly1) * d->scale + e->xv[0];
            double py1 = (fc_sin(a) * lx1 + fc_cos(a) * ly1) * d->scale + e->yv[0];
            double px2 = (fc_cos(a) * lx2 - fc_sin(a) * ly2) * d->scale + e->xv[0];
            double py2 = (fc_sin(a) * lx2 + fc_cos(a) * ly2) * d->scale + e->yv[0];
            add_line(d, px1, py1, px2, py2);
            b = block_named(d, e->iddata); /* the block array may have moved */
        }
    } else if (strcmp(m, "DIMENSION") == 0) {
        if (layer_ok(d)) {
            dxf_dim dim;
            dim.type = e->dimtype;
            memcpy(dim.coords, e->coords, sizeof dim.coords);
            dim.angle = e->arc_start;
            dim.length = e->radius;
            dim.name = fc_strdup(d->ctx, e->name);
            FC_PUSH(d->ctx, d->dims, d->ndims, d->capdims, dim);
        }
    } else if (strcmp(m, "POLYLINE") == 0) {
        e->in_polyline = true;
        e->polyline_flags = e->dimtype;
        e->npoly = 0;
    } else if (strcmp(m, "VERTEX") == 0) {
        if (e->in_polyline && need(e, 1, 1)) {
            FC_GROW(d->ctx, e->px, e->cappx, e->npoly + 1);
            FC_GROW(d->ctx, e->py, e->cappy, e->npoly + 1);
            e->px[e->npoly] = e->xv[0];
            e->py[e->npoly] = e->yv[0];
            e->npoly++;
        }
    } else if (strcmp(m, "SEQEND") == 0) {
        if (e->in_polyline) {
            for (int i = 1; i < e->npoly; i++) add_line(d, e->px[i - 1], e->py[i - 1], e->px[i], e->py[i]);
            if ((e->polyline_flags & 1) && e->npoly > 1)
                add_line(d, e->px[e->npoly - 1], e->py[e->npoly - 1], e->px[0], e->py[0]);
            e->in_polyline = false;
        }
    } else if (strcmp(m, "BLOCK") == 0) {
        copy_str(d->current_block, sizeof d->current_block, e->iddata, strlen(e->iddata));
        d->have_block = e->iddata[0] != '\0';
    } else if (strcmp(m, "ENDBLK") == 0) {
        d->have_block = false;
    }
    return true;
}

/* Entities OpenSCAD reports as unsupported: counted per name, warned once at the end. */
typedef struct unsupported {
    char name[64];
    int count;
} unsupported;

static bool is_structure(const char *m) {
    static const char *const known[] = {"SECTION", "LINE", "LWPOLYLINE", "CIRCLE", "ARC", "ELLIPSE", "INSERT",
                                        "DIMENSION", "BLOCK", "ENDBLK", "ENDSEC", "POLYLINE", "VERTEX",
                                        "SEQEND", ""};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(m, known[i]) == 0) return true;
    return false;
}

static int cmp_unsupported(const void *a, const void *b) {
    return strcmp(((const unsupported *)a)->name, ((const unsupported *)b)->name);
}

static void reset_entity(dxf_entity *e, const char *mode, size_t n) {
    copy_str(e->mode, sizeof e->mode, mode, n);
    e->name[0] = e->iddata[0] = '\0';
    e->dimtype = 0;
    memset(e->coords, 0, sizeof e->coords);
    e->nx = e->ny = 0;
    e->radius = e->arc_start = e->arc_stop = 0;
    e->ell_start = e->ell_stop = 0;
    if (strcmp(e->mode, "INSERT") == 0) e->ell_start = e->ell_stop = 1.0;
}

static void parse(dxf *d, const char *data, size_t len) {
    facet_ctx *ctx = d->ctx;
    dxf_entity e;
    memset(&e, 0, sizeof e);
    unsupported *uns = NULL;
    int nuns = 0, capuns = 0;
    size_t pos = 0;
    while (pos < len) {
        fc_tick(ctx);
        /* two lines: the group code and its value, each trimmed */
        const char *ln[2];
        size_t ll[2];
        for (int k = 0; k < 2; k++) {
            size_t end = pos;
            while (end < len && data[end] != '\n') end++;
            const char *s = data + pos;
            size_t n = end - pos;
            pos = end < len ? end + 1 : len;
            while (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r')) s++, n--;
            while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
            ln[k] = s;
            ll[k] = n;
        }
        int id;
        if (!parse_int(ln[0], ll[0], &id)) {
            if (pos < len || ll[0] > 0)
                fc_log(ctx, FACET_LOG_WARNING, "Illegal ID '%.*s' in `%s'", (int)ll[0], ln[0], d->name);
            break;
        }
        const char *v = ln[1];
        size_t vn = ll[1];
        double num = 0;
        bool numeric = (id >= 10 && id <= 16) || (id >= 20 && id <= 26) || id == 40 || id == 41 ||
                       id == 42 || id == 50 || id == 51;
        if (numeric && !parse_num(v, vn, &num)) {
            fc_log(ctx, FACET_LOG_WARNING, "Illegal value %.*s in '%s'", (int)vn, v, d->name);
            continue;
        }
        if (id >= 10 && id <= 16) {
            int k = id - 10;
            e.coords[k][0] = d->in_blocks ? num : (id == 11 || id == 12 || id == 16) ? num * d->scale
                                                                                     : (num - d->xorigin) * d->scale;
        }
        if (id >= 20 && id <= 26) {
            int k = id - 20;
            e.coords[k][1] = d->in_blocks ? num : (id == 21 || id == 22 || id == 26) ? num * d->scale
                                                                                     : (num - d->yorigin) * d->scale;
        }
        switch (id) {
        case 0:
            if (strcmp(e.mode, "SECTION") == 0) {
                d->in_entities = strcmp(e.iddata, "ENTITIES") == 0;
                d->in_blocks = strcmp(e.iddata, "BLOCKS") == 0;
            } else if (!finish_entity(d, &e)) {
                fc_log(ctx, FACET_LOG_WARNING, "not enough input values for %.*s in '%s'", (int)vn, v, d->name);
                break;
            } else if (!is_structure(e.mode) &&
                       (d->in_blocks || (d->in_entities && layer_ok(d)))) {
                int i = 0;
                while (i < nuns && strcmp(uns[i].name, e.mode) != 0) i++;
                if (i == nuns) {
                    unsupported u;
                    memset(&u, 0, sizeof u);
                    copy_str(u.name, sizeof u.name, e.mode, strlen(e.mode));
                    FC_PUSH(ctx, uns, nuns, capuns, u);
                }
                uns[i].count++;
            }
            reset_entity(&e, v, vn);
            d->layer[0] = '\0';
            break;
        case 1: copy_str(e.name, sizeof e.name, v, vn); break;
        case 2: copy_str(e.iddata, sizeof e.iddata, v, vn); break;
        case 8: copy_str(d->layer, sizeof d->layer, v, vn); break;
        case 10:
        case 11: FC_PUSH(ctx, e.xv, e.nx, e.capx, d->in_blocks ? num : (num - d->xorigin) * d->scale); break;
        case 20:
        case 21: FC_PUSH(ctx, e.yv, e.ny, e.capy, d->in_blocks ? num : (num - d->yorigin) * d->scale); break;
        case 40: e.radius = d->in_blocks ? num : num * d->scale; break;
        case 41: e.ell_start = num; break;
        case 42: e.ell_stop = num; break;
        case 50: e.arc_start = num; break;
        case 51: e.arc_stop = num; break;
        case 70: {
            int iv;
            if (parse_int(v, vn, &iv)) e.dimtype = iv;
            else fc_log(ctx, FACET_LOG_WARNING, "Illegal value %.*s in '%s'", (int)vn, v, d->name);
            break;
        }
        default: break;
        }
    }
    if (nuns > 0) qsort(uns, (size_t)nuns, sizeof *uns, cmp_unsupported);
    for (int i = 0; i < nuns; i++) {
        if (!d->layername || !d->layername[0])
            fc_log(ctx, FACET_LOG_WARNING, "Unsupported DXF Entity '%s' (%x) in \"%s\".", uns[i].name,
                   (unsigned)uns[i].count, d->name);
        else
            fc_log(ctx, FACET_LOG_WARNING, "Unsupported DXF Entity '%s' (%x) in layer '%s' of \"%s\".",
                   uns[i].name, (unsigned)uns[i].count, d->layername, d->name);
    }
    fc_free(ctx, uns);
    fc_free(ctx, e.xv);
    fc_free(ctx, e.yv);
    fc_free(ctx, e.px);
    fc_free(ctx, e.py);
}

/* ---------------------------------------------------------------- paths */

static const dxf_cell *cell_at(dxf *d, const double *p) {
    double x = p[0], y = p[1];
    return &d->cells[grid_align(d, &x, &y)];
}

/* Follows segments from (line, point) while some enabled segment continues the path. */
static void walk(dxf *d, dxf_path *path, int cur, int pt, bool *enabled, int *nenabled) {
    FC_PUSH(d->ctx, path->idx, path->n, path->cap, d->lines[cur].idx[pt]);
    for (;;) {
        fc_tick(d->ctx);
        int32_t ref = d->lines[cur].idx[!pt];
        FC_PUSH(d->ctx, path->idx, path->n, path->cap, ref);
        d->lines[cur].disabled = true;
        if (enabled[cur]) {
            enabled[cur] = false;
            (*nenabled)--;
        }
        const double *rp = d->pts + 2 * ref;
        const dxf_cell *cell = cell_at(d, rp);
        int next = -1, npt = 0;
        for (int ki = 0; ki < cell->n && next < 0; ki++) {
            int k = cell->lines[ki];
            if (k >= d->nlines || d->lines[k].disabled) continue;
            const double *a = d->pts + 2 * d->lines[k].idx[0], *b = d->pts + 2 * d->lines[k].idx[1];
            if (grid_eq(d, rp[0], rp[1], a[0], a[1])) next = k, npt = 0;
            else if (grid_eq(d, rp[0], rp[1], b[0], b[1])) next = k, npt = 1;
            cell = cell_at(d, rp); /* grid_eq may have grown the cell table */
        }
        if (next < 0) return;
        cur = next;
        pt = npt;
    }
}

static void extract_paths(dxf *d) {
    facet_ctx *ctx = d->ctx;
    bool *enabled = fc_alloc(ctx, (size_t)(d->nlines > 0 ? d->nlines : 1));
    for (int i = 0; i < d->nlines; i++) enabled[i] = true;
    int nenabled = d->nlines;
    /* open paths: start at a segment end no other enabled segment touches */
    while (nenabled > 0) {
        int start = -1, spt = 0;
        for (int i = 0; i < d->nlines && start < 0; i++) {
            if (!enabled[i]) continue;
            for (int j = 0; j < 2 && start < 0; j++) {
                const dxf_cell *cell = cell_at(d, d->pts + 2 * d->lines[i].idx[j]);
                bool touched = false;
                for (int ki = 0; ki < cell->n && !touched; ki++) {
                    int k = cell->lines[ki];
                    if (k == i || k >= d->nlines || d->lines[k].disabled) continue;
                    touched = true;
                }
                if (!touched) start = i, spt = j;
            }
        }
        if (start < 0) break;
        dxf_path p = {NULL, 0, 0, false};
        walk(d, &p, start, spt, enabled, &nenabled);
        FC_PUSH(ctx, d->paths, d->npaths, d->cappaths, p);
    }
    /* closed paths: what is left, from the first enabled segment */
    while (nenabled > 0) {
        int start = 0;
        while (!enabled[start]) start++;
        dxf_path p = {NULL, 0, 0, true};
        walk(d, &p, start, 0, enabled, &nenabled);
        FC_PUSH(ctx, d->paths, d->npaths, d->cappaths, p);
    }
    fc_free(ctx, enabled);
    /* OpenSCAD's direction fix-up: stops at the first open path */
    for (int i = 0; i < d->npaths; i++) {
        dxf_path *p = &d->paths[i];
        if (!p->closed) break;
        if (p->n < 3) continue;
        int b = 0;
        for (int j = 1; j < p->n; j++)
            if (d->pts[2 * p->idx[j]] < d->pts[2 * p->idx[b]]) b = j;
        int a = b == 0 ? p->n - 2 : b - 1;
        int c = b == p->n - 1 ? 1 : b + 1;
        const double *pa = d->pts + 2 * p->idx[a], *pb = d->pts + 2 * p->idx[b], *pc = d->pts + 2 * p->idx[c];
        double ax = pa[0] - pb[0], ay = pa[1] - pb[1], cx = pc[0] - pb[0], cy = pc[1] - pb[1];
        if (atan2(ax, ay) < atan2(cx, cy))
            for (int j = 0, k = p->n - 1; j < k; j++, k--) {
                int32_t t = p->idx[j];
                p->idx[j] = p->idx[k];
                p->idx[k] = t;
            }
    }
}

static void read_dxf(dxf *d, facet_ctx *ctx, const char *data, size_t len, const char *name,
                     const char *layer, const double origin[2], double scale, csg_frag frag) {
    memset(d, 0, sizeof *d);
    d->ctx = ctx;
    d->name = name;
    d->layername = layer;
    d->xorigin = origin ? origin[0] : 0;
    d->yorigin = origin ? origin[1] : 0;
    d->scale = scale;
    d->frag = frag;
    parse(d, data, len);
    extract_paths(d);
}

poly2 *import_dxf(facet_ctx *ctx, const char *data, size_t len, const char *name, const char *layer,
                  const double origin[2], double scale, csg_frag frag, fc_loc loc) {
    dxf d;
    read_dxf(&d, ctx, data, len, name, layer, origin, scale, frag);
    /* every path becomes a closed outline, its points in reverse (as OpenSCAD emits them);
     * a closed path's repeated start point is dropped */
    fill_contours fc;
    fill_init(&fc, ctx);
    for (int i = 0; i < d.npaths; i++) {
        const dxf_path *p = &d.paths[i];
        int end = p->closed ? p->n : p->n + 1;
        fill_begin(&fc);
        for (int j = 1; j < end; j++) {
            const double *q = d.pts + 2 * p->idx[p->n - j];
            fill_point(&fc, q[0], q[1]);
        }
        fill_end(&fc);
    }
    (void)loc;
    return fill_finish(&fc, FILL_EVENODD);
}

/* ---------------------------------------------------------------- dxf_dim, dxf_cross */

static double deg_atan2(double y, double x) { return atan2(y, x) * 180.0 / DXF_PI; }

int dxf_dim_value(facet_ctx *ctx, const char *data, size_t len, const char *name, const char *layer,
                  const char *dim_name, const double origin[2], double scale, double *value) {
    dxf d;
    csg_frag frag = {36, 0, 0};
    read_dxf(&d, ctx, data, len, name, layer, origin, scale, frag);
    for (int i = 0; i < d.ndims; i++) {
        const dxf_dim *dm = &d.dims[i];
        if (dim_name && dim_name[0] && strcmp(dm->name, dim_name) != 0) continue;
        int type = dm->type & 7;
        double x = dm->coords[4][0] - dm->coords[3][0], y = dm->coords[4][1] - dm->coords[3][1];
        switch (type) {
        case 0: /* rotated, horizontal or vertical */
            *value = fabs(x * fc_cos_deg(dm->angle) + y * fc_sin_deg(dm->angle));
            return DXF_DIM_FOUND;
        case 1: /* aligned */
            *value = sqrt(x * x + y * y);
            return DXF_DIM_FOUND;
        case 2: { /* angular */
            double a1 = deg_atan2(dm->coords[0][0] - dm->coords[5][0], dm->coords[0][1] - dm->coords[5][1]);
            double a2 = deg_atan2(x, y);
            *value = fabs(a1 - a2);
            return DXF_DIM_FOUND;
        }
        case 3:
        case 4: { /* diameter, radius */
            double dx = dm->coords[5][0] - dm->coords[0][0], dy = dm->coords[5][1] - dm->coords[0][1];
            *value = sqrt(dx * dx + dy * dy);
            return DXF_DIM_FOUND;
        }
        case 6: /* ordinate */
            *value = (dm->type & 64) ? dm->coords[3][0] : dm->coords[3][1];
            return DXF_DIM_FOUND;
        default:
            return DXF_DIM_UNSUPPORTED;
        }
    }
    return DXF_DIM_NOT_FOUND;
}

bool dxf_cross_point(facet_ctx *ctx, const char *data, size_t len, const char *name, const char *layer,
                     const double origin[2], double scale, double out[2]) {
    dxf d;
    csg_frag frag = {36, 0, 0};
    read_dxf(&d, ctx, data, len, name, layer, origin, scale, frag);
    double c[4][2];
    int j = 0;
    for (int i = 0; i < d.npaths; i++) {
        if (d.paths[i].n != 2) continue;
        for (int k = 0; k < 2; k++, j++) {
            c[j][0] = d.pts[2 * d.paths[i].idx[k]];
            c[j][1] = d.pts[2 * d.paths[i].idx[k] + 1];
        }
        if (j == 4) {
            double x1 = c[0][0], y1 = c[0][1], x2 = c[1][0], y2 = c[1][1];
            double x3 = c[2][0], y3 = c[2][1], x4 = c[3][0], y4 = c[3][1];
            double dem = (y4 - y3) * (x2 - x1) - (x4 - x3) * (y2 - y1);
            if (dem == 0) return false;
            double ua = ((x4 - x3) * (y1 - y3) - (y4 - y3) * (x1 - x3)) / dem;
            out[0] = x1 + ua * (x2 - x1);
            out[1] = y1 + ua * (y2 - y1);
            return true;
        }
    }
    return false;
}
