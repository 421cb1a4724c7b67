/*
 * prim.c — cube, sphere, cylinder, polyhedron, square, circle and polygon, tessellated
 * vertex for vertex as OpenSCAD 2021.01 does (see prim.h for the rules).
 *
 * Each 3D primitive lists OpenSCAD's PolySet polygons in order. Where OpenSCAD prepends
 * vertices to a polygon (its insert_vertex), we write the polygon already reversed, so the
 * order below is the final one; the builder welds equal coordinates and numbers vertices by
 * first appearance, which reproduces OpenSCAD's vertex numbering.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/degtrig.h"
#include "geom/fragments.h"
#include "geom/prim.h"
#include "geom/prim_build.h"

/* ---- 3D ---- */

/* Adds one polygon given by coordinates (3 per vertex). */
static void poly_xyz(pbuild *b, const double *xyz, int k, bool convex) {
    int32_t idx[8];
    for (int i = 0; i < k; i++) idx[i] = pb_vertex(b, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]);
    pb_polygon(b, idx, k, convex);
}

mesh *prim_cube(facet_ctx *ctx, const double size[3], bool center) {
    double x = size[0], y = size[1], z = size[2];
    if (!(x > 0 && y > 0 && z > 0) || isinf(x) || isinf(y) || isinf(z)) return mesh_empty(ctx);
    double x1 = 0, y1 = 0, z1 = 0, x2 = x, y2 = y, z2 = z;
    if (center) {
        x1 = -x / 2, x2 = +x / 2;
        y1 = -y / 2, y2 = +y / 2;
        z1 = -z / 2, z2 = +z / 2;
    }
    const double faces[6][12] = {
        {x1, y1, z2, x2, y1, z2, x2, y2, z2, x1, y2, z2}, /* top */
        {x1, y2, z1, x2, y2, z1, x2, y1, z1, x1, y1, z1}, /* bottom */
        {x1, y1, z1, x2, y1, z1, x2, y1, z2, x1, y1, z2}, /* y = y1 */
        {x2, y1, z1, x2, y2, z1, x2, y2, z2, x2, y1, z2}, /* x = x2 */
        {x2, y2, z1, x1, y2, z1, x1, y2, z2, x2, y2, z2}, /* y = y2 */
        {x1, y2, z1, x1, y1, z1, x1, y1, z2, x1, y2, z2}, /* x = x1 */
    };
    pbuild b;
    pb_init(&b, ctx, 8, 12);
    for (int f = 0; f < 6; f++) poly_xyz(&b, faces[f], 4, true);
    return pb_finish(&b);
}

/* n points of the circle of radius r: vertex j at 360*j/n degrees. */
static double *circle_points(facet_ctx *ctx, double r, int n) {
    double *p = fc_realloc_array(ctx, NULL, (size_t)n, 2 * sizeof(double));
    for (int j = 0; j < n; j++) {
        double phi = (360.0 * j) / n;
        p[2 * j] = r * fc_cos_deg(phi);
        p[2 * j + 1] = r * fc_sin_deg(phi);
    }
    return p;
}

static int clamp_fragments(int n) {
    if (n < 3) return 3;
    return n > GEOM_MAX_FRAGMENTS ? GEOM_MAX_FRAGMENTS : n;
}

mesh *prim_sphere(facet_ctx *ctx, double r, int n, fc_loc loc) {
    if (!(r > 0) || isinf(r)) return mesh_empty(ctx);
    n = clamp_fragments(n);
    int rings = (n + 1) / 2;
    int64_t nv = (int64_t)n * rings, nt = 2 * (int64_t)(n - 2) + 2 * (int64_t)n * (rings - 1);
    pb_check_size(ctx, nv, nt, "sphere()", n, loc);

    /* ring i: polar angle 180*(i+0.5)/rings, n points at the circle's angles */
    double *ring_xy = fc_realloc_array(ctx, NULL, (size_t)nv, 2 * sizeof(double));
    double *ring_z = fc_realloc_array(ctx, NULL, (size_t)rings, sizeof(double));
    double *unit = circle_points(ctx, 1.0, n);
    for (int i = 0; i < rings; i++) {
        double phi = (180.0 * (i + 0.5)) / rings;
        double rr = r * fc_sin_deg(phi);
        ring_z[i] = r * fc_cos_deg(phi);
        for (int j = 0; j < n; j++) {
            /* OpenSCAD computes rr * cos_degrees(360 j / n) for each ring: the same
             * product as rr * unit, bit for bit */
            ring_xy[2 * ((size_t)i * n + j)] = rr * unit[2 * j];
            ring_xy[2 * ((size_t)i * n + j) + 1] = rr * unit[2 * j + 1];
        }
        fc_tick(ctx);
    }
    fc_free(ctx, unit);

    pbuild b;
    pb_init(&b, ctx, (int32_t)nv, (int32_t)nt);
    int32_t *cap = fc_realloc_array(ctx, NULL, (size_t)n, sizeof(int32_t));
#define RV(i, j)                                                                             \
    pb_vertex(&b, ring_xy[2 * ((size_t)(i) * n + (j))], ring_xy[2 * ((size_t)(i) * n + (j)) + 1], \
              ring_z[i])
    for (int j = 0; j < n; j++) cap[j] = RV(0, j);
    pb_polygon(&b, cap, n, true);
    for (int i = 0; i + 1 < rings; i++) {
        /* zip ring i and ring i+1 together, advancing whichever is behind (ring i+1 on
         * ties), exactly as OpenSCAD's loop does */
        int a = 0, c = 0;
        while (a < n || c < n) {
            int32_t t[3];
            if (a < n && (c >= n || a < c)) {
                t[0] = RV(i + 1, c % n);
                t[1] = RV(i, (a + 1) % n);
                t[2] = RV(i, a);
                a++;
            } else {
                t[0] = RV(i + 1, c);
                t[1] = RV(i + 1, (c + 1) % n);
                t[2] = RV(i, a % n);
                c++;
            }
            pb_polygon(&b, t, 3, true);
        }
        fc_tick(ctx);
    }
    for (int j = 0; j < n; j++) cap[j] = RV(rings - 1, n - 1 - j);
    pb_polygon(&b, cap, n, true);
#undef RV
    fc_free(ctx, cap);
    fc_free(ctx, ring_xy);
    fc_free(ctx, ring_z);
    return pb_finish(&b);
}

mesh *prim_cylinder(facet_ctx *ctx, double h, double r1, double r2, bool center, int n,
                    fc_loc loc) {
    if (!(h > 0) || isinf(h) || !(r1 >= 0) || !(r2 >= 0) || !(r1 > 0 || r2 > 0) || isinf(r1) ||
        isinf(r2))
        return mesh_empty(ctx);
    n = clamp_fragments(n);
    int64_t nv = 2 * (int64_t)n, nt = 4 * (int64_t)n;
    pb_check_size(ctx, nv, nt, "cylinder()", n, loc);
    double z1 = 0, z2 = h;
    if (center) z1 = -h / 2, z2 = +h / 2;
    double *c1 = circle_points(ctx, r1, n), *c2 = circle_points(ctx, r2, n);
    pbuild b;
    pb_init(&b, ctx, (int32_t)nv, (int32_t)nt);
#define V1(i) pb_vertex(&b, c1[2 * (i)], c1[2 * (i) + 1], z1)
#define V2(i) pb_vertex(&b, c2[2 * (i)], c2[2 * (i) + 1], z2)
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        if (r1 == r2) {
            int32_t q[4];
            q[0] = V1(j), q[1] = V2(j), q[2] = V2(i), q[3] = V1(i);
            pb_polygon(&b, q, 4, true);
        } else {
            if (r1 > 0) {
                int32_t t[3];
                t[0] = V1(j), t[1] = V2(i), t[2] = V1(i);
                pb_polygon(&b, t, 3, true);
            }
            if (r2 > 0) {
                int32_t t[3];
                t[0] = V1(j), t[1] = V2(j), t[2] = V2(i);
                pb_polygon(&b, t, 3, true);
            }
        }
        fc_tick(ctx);
    }
    int32_t *cap = fc_realloc_array(ctx, NULL, (size_t)n, sizeof(int32_t));
    if (r1 > 0) {
        for (int i = 0; i < n; i++) cap[i] = V1(n - 1 - i);
        pb_polygon(&b, cap, n, true);
    }
    if (r2 > 0) {
        for (int i = 0; i < n; i++) cap[i] = V2(i);
        pb_polygon(&b, cap, n, true);
    }
#undef V1
#undef V2
    fc_free(ctx, cap);
    fc_free(ctx, c1);
    fc_free(ctx, c2);
    return pb_finish(&b);
}

/* A number as OpenSCAD's echo prints it (enough for messages). */
static void fmt_num(char *buf, size_t size, double v) {
    if (isnan(v)) snprintf(buf, size, "nan");
    else if (isinf(v)) snprintf(buf, size, v < 0 ? "-inf" : "inf");
    else snprintf(buf, size, "%g", v);
}

/* Reverses every triangle of m (keeps positions). */
static void flip_all(mesh *m) {
    for (int32_t t = 0; t < m->nt; t++) {
        int32_t s = m->tri[3 * t + 1];
        m->tri[3 * t + 1] = m->tri[3 * t + 2];
        m->tri[3 * t + 2] = s;
    }
}

typedef struct edge_ref {
    uint64_t key;
    int32_t h;
} edge_ref;

static int edge_ref_cmp(const void *pa, const void *pb) {
    const edge_ref *a = pa, *b = pb;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return (a->h > b->h) - (a->h < b->h);
}

/* Makes the triangles of m consistently oriented across every edge shared by exactly two
 * triangles (a flood fill from the first triangle of each component). Returns false, with
 * m unchanged, when no consistent orientation exists (a Moebius strip, say). */
static bool orient_consistently(facet_ctx *ctx, mesh *m) {
    int32_t nh = 3 * m->nt;
    edge_ref *e = fc_realloc_array(ctx, NULL, (size_t)nh, sizeof *e);
    for (int32_t h = 0; h < nh; h++) {
        uint32_t a = (uint32_t)m->tri[h], c = (uint32_t)m->tri[h % 3 == 2 ? h - 2 : h + 1];
        e[h].key = a < c ? (uint64_t)a << 32 | c : (uint64_t)c << 32 | a;
        e[h].h = h;
    }
    qsort(e, (size_t)nh, sizeof *e, edge_ref_cmp);
    /* neighbour across each halfedge (-1: none or not a two-sided edge) */
    int32_t *nb = fc_realloc_array(ctx, NULL, (size_t)nh, sizeof *nb);
    for (int32_t h = 0; h < nh; h++) nb[h] = -1;
    for (int32_t i = 0; i < nh;) {
        int32_t j = i + 1;
        while (j < nh && e[j].key == e[i].key) j++;
        if (j - i == 2) {
            nb[e[i].h] = e[i + 1].h;
            nb[e[i + 1].h] = e[i].h;
        }
        i = j;
    }
    fc_free(ctx, e);
    signed char *flip = fc_realloc_array(ctx, NULL, (size_t)m->nt, 1);
    memset(flip, -1, (size_t)m->nt);
    int32_t *stack = fc_realloc_array(ctx, NULL, (size_t)m->nt, sizeof *stack);
    bool ok = true;
    for (int32_t t0 = 0; t0 < m->nt && ok; t0++) {
        if (flip[t0] >= 0) continue;
        flip[t0] = 0;
        int32_t sp = 0;
        stack[sp++] = t0;
        while (sp > 0 && ok) {
            int32_t t = stack[--sp];
            for (int i = 0; i < 3; i++) {
                int32_t h = 3 * t + i, g = nb[h];
                if (g < 0) continue;
                /* the two halfedges run the same way when they start at the same vertex:
                 * then exactly one of the two triangles must turn */
                bool same = m->tri[h] == m->tri[g];
                int want = flip[t] ^ (same ? 1 : 0);
                int32_t u = g / 3;
                if (flip[u] < 0) {
                    flip[u] = (signed char)want;
                    stack[sp++] = u;
                } else if (flip[u] != want) {
                    ok = false;
                    break;
                }
            }
            fc_tick(ctx);
        }
    }
    if (ok)
        for (int32_t t = 0; t < m->nt; t++)
            if (flip[t] == 1) {
                int32_t s = m->tri[3 * t + 1];
                m->tri[3 * t + 1] = m->tri[3 * t + 2];
                m->tri[3 * t + 2] = s;
            }
    fc_free(ctx, nb);
    fc_free(ctx, flip);
    fc_free(ctx, stack);
    return ok;
}

mesh *prim_polyhedron(facet_ctx *ctx, const double *points, int32_t npoints,
                      const int32_t *indices, const int32_t *counts, int32_t nfaces,
                      fc_loc loc) {
    pbuild b;
    pb_init(&b, ctx, npoints, nfaces < (1 << 22) ? 2 * nfaces : 1 << 23);
    int32_t *map = fc_realloc_array(ctx, NULL, (size_t)(npoints > 0 ? npoints : 1), sizeof *map);
    for (int32_t i = 0; i < npoints; i++) map[i] = -1;
    int32_t *face = NULL;
    int capface = 0;
    size_t off = 0;
    for (int32_t f = 0; f < nfaces; f++) {
        int32_t k = counts[f], m = 0;
        FC_GROW(ctx, face, capface, k > 0 ? k : 1);
        for (int32_t j = 0; j < k; j++) {
            int32_t pi = indices[off + (size_t)j];
            if (pi < 0 || pi >= npoints) {
                fc_log_at(ctx, FACET_LOG_WARNING, loc,
                          "Point index %d is out of bounds (from faces[%d][%d])", (int)pi,
                          (int)f, (int)j);
                continue;
            }
            const double *p = points + 3 * (size_t)pi;
            if (!isfinite(p[0]) || !isfinite(p[1]) || !isfinite(p[2])) {
                char x[32], y[32], z[32];
                fmt_num(x, sizeof x, p[0]);
                fmt_num(y, sizeof y, p[1]);
                fmt_num(z, sizeof z, p[2]);
                fc_log_at(ctx, FACET_LOG_ERROR, loc,
                          "Unable to convert points[%d] = [%s, %s, %s] to a vec3 of numbers",
                          (int)pi, x, y, z);
                goto done; /* OpenSCAD keeps the faces built so far */
            }
            face[m++] = -1 - pi; /* resolved below, after the reversal */
        }
        off += (size_t)(k > 0 ? k : 0);
        /* OpenSCAD faces are clockwise from outside: prepending each vertex, as OpenSCAD
         * does, reverses them; vertices are numbered in that reversed order */
        for (int32_t j = 0; j < m / 2; j++) {
            int32_t s = face[j];
            face[j] = face[m - 1 - j];
            face[m - 1 - j] = s;
        }
        for (int32_t j = 0; j < m; j++) {
            int32_t pi = -1 - face[j];
            if (map[pi] < 0) {
                const double *p = points + 3 * (size_t)pi;
                map[pi] = pb_vertex(&b, p[0], p[1], p[2]);
            }
            face[j] = map[pi];
        }
        pb_polygon(&b, face, m, false);
        fc_tick(ctx);
    }
done:
    fc_free(ctx, face);
    fc_free(ctx, map);
    mesh *r = pb_finish(&b);
    if (!r->manifold && r->nt > 0 && orient_consistently(ctx, r)) mesh_is_manifold(ctx, r);
    if (r->manifold && mesh_volume(r) < 0) {
        flip_all(r);
        mesh_is_manifold(ctx, r);
    }
    return r;
}

/* ---- 2D ---- */

poly2 *prim_square(facet_ctx *ctx, const double size[2], bool center) {
    double x = size[0], y = size[1];
    if (!(x > 0 && y > 0) || isinf(x) || isinf(y)) return poly2_empty(ctx);
    double x1 = 0, y1 = 0, x2 = x, y2 = y;
    if (center) {
        x1 -= x / 2, y1 -= y / 2;
        x2 -= x / 2, y2 -= y / 2;
    }
    poly2 *p = poly2_new(ctx, 1, 4);
    const double xy[8] = {x1, y1, x2, y1, x2, y2, x1, y2};
    memcpy(p->xy, xy, sizeof xy);
    p->start[0] = 0;
    p->count[0] = 4;
    return p;
}

poly2 *prim_circle(facet_ctx *ctx, double r, int n, fc_loc loc) {
    if (!(r > 0) || isinf(r)) return poly2_empty(ctx);
    n = clamp_fragments(n);
    pb_check_size(ctx, n, 0, "circle()", n, loc);
    poly2 *p = poly2_new(ctx, 1, n);
    double *c = circle_points(ctx, r, n);
    memcpy(p->xy, c, (size_t)n * 2 * sizeof(double));
    fc_free(ctx, c);
    p->start[0] = 0;
    p->count[0] = n;
    return p;
}

/* Whether (x, y) is inside contour c (crossing number). */
static bool contour_contains(const poly2 *p, int32_t c, double x, double y) {
    const double *xy = p->xy + 2 * (size_t)p->start[c];
    int32_t k = p->count[c];
    bool in = false;
    for (int32_t i = 0, j = k - 1; i < k; j = i++) {
        double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
    }
    return in;
}

static void reverse_contour(poly2 *p, int32_t c) {
    double *xy = p->xy + 2 * (size_t)p->start[c];
    int32_t k = p->count[c];
    for (int32_t i = 0; i < k / 2; i++)
        for (int d = 0; d < 2; d++) {
            double s = xy[2 * i + d];
            xy[2 * i + d] = xy[2 * (k - 1 - i) + d];
            xy[2 * (k - 1 - i) + d] = s;
        }
}

poly2 *prim_polygon(facet_ctx *ctx, const double *points, int32_t npoints,
                    const int32_t *indices, const int32_t *counts, int32_t npaths, fc_loc loc) {
    for (int32_t i = 0; i < npoints; i++)
        if (isinf(points[2 * i]) || isinf(points[2 * i + 1])) {
            char x[32], y[32];
            fmt_num(x, sizeof x, points[2 * i]);
            fmt_num(y, sizeof y, points[2 * i + 1]);
            fc_log_at(ctx, FACET_LOG_ERROR, loc,
                      "Unable to convert points[%d] = [%s, %s] to a vec2 of numbers", (int)i, x,
                      y);
            return poly2_empty(ctx);
        }
    if (!indices || npaths == 0) {
        if (npoints < 3) return poly2_empty(ctx);
        poly2 *p = poly2_new(ctx, 1, npoints);
        memcpy(p->xy, points, (size_t)npoints * 2 * sizeof(double));
        p->start[0] = 0;
        p->count[0] = npoints;
        if (poly2_contour_area2(p, 0) < 0) reverse_contour(p, 0);
        return p;
    }
    int64_t total = 0;
    for (int32_t c = 0; c < npaths; c++) total += counts[c] > 0 ? counts[c] : 0;
    if (total > INT32_MAX / 2)
        fc_throw(ctx, FACET_ERR_MEMORY_LIMIT, loc, "Out of memory: polygon() of %lld points",
                 (long long)total);
    poly2 *p = poly2_new(ctx, npaths, (int32_t)total);
    int32_t nc = 0, np = 0;
    size_t off = 0;
    for (int32_t c = 0; c < npaths; c++) {
        int32_t k = counts[c] > 0 ? counts[c] : 0, start = np;
        for (int32_t j = 0; j < k; j++) {
            int32_t pi = indices[off + (size_t)j];
            if (pi < 0 || pi >= npoints) {
                fc_log_at(ctx, FACET_LOG_WARNING, loc,
                          "Point index %d is out of bounds (from paths[%d][%d])", (int)pi, (int)c,
                          (int)j);
                continue;
            }
            p->xy[2 * np] = points[2 * pi];
            p->xy[2 * np + 1] = points[2 * pi + 1];
            np++;
        }
        off += (size_t)k;
        if (np - start < 3) { /* no area: nothing to fill */
            np = start;
            continue;
        }
        p->start[nc] = start;
        p->count[nc] = np - start;
        nc++;
    }
    p->ncontours = nc;
    p->npoints = np;
    /* OpenSCAD fills polygon() paths by the even-odd rule (a path inside another is a
     * hole, whatever its direction). For paths that do not cross each other, orienting
     * each by its nesting depth (even: counter-clockwise, odd: clockwise) gives the same
     * region under the non-zero rule the 2D stage uses. */
    if ((int64_t)nc * np < 100000000) {
        for (int32_t c = 0; c < nc; c++) {
            const double *v = p->xy + 2 * (size_t)p->start[c];
            int depth = 0;
            for (int32_t d = 0; d < nc; d++)
                if (d != c && contour_contains(p, d, v[0], v[1])) depth++;
            double a = poly2_contour_area2(p, c);
            if ((depth % 2 == 0) != (a > 0)) reverse_contour(p, c);
            fc_tick(ctx);
        }
    }
    return p;
}

geo prim_geometry(facet_ctx *ctx, const csg_node *node) {
    switch (node->kind) {
    case CSG_CUBE:
        return geo_mesh(prim_cube(ctx, node->u.cube.size, node->u.cube.center));
    case CSG_SPHERE:
        return geo_mesh(prim_sphere(ctx, node->u.sphere.r, node->u.sphere.n, node->loc));
    case CSG_CYLINDER:
        return geo_mesh(prim_cylinder(ctx, node->u.cylinder.h, node->u.cylinder.r1,
                                      node->u.cylinder.r2, node->u.cylinder.center,
                                      node->u.cylinder.n, node->loc));
    case CSG_POLYHEDRON:
        return geo_mesh(prim_polyhedron(ctx, node->u.polyhedron.points,
                                        node->u.polyhedron.npoints, node->u.polyhedron.indices,
                                        node->u.polyhedron.counts, node->u.polyhedron.nfaces,
                                        node->loc));
    case CSG_SQUARE:
        return geo_poly(prim_square(ctx, node->u.square.size, node->u.square.center));
    case CSG_CIRCLE:
        return geo_poly(prim_circle(ctx, node->u.circle.r, node->u.circle.n, node->loc));
    case CSG_POLYGON:
        return geo_poly(prim_polygon(ctx, node->u.polygon.points, node->u.polygon.npoints,
                                     node->u.polygon.indices, node->u.polygon.counts,
                                     node->u.polygon.npaths, node->loc));
    default:
        return geo_empty();
    }
}
