/*
 * bench_bool3.c — the boolean kernel alone on the /work/shared/bench workloads, with the
 * same input vertices as their .scad/.mjs versions (OpenSCAD 2021 tessellation):
 *   bench_bool3 sphere_holes [holes_per_side] | menger3 [levels] | cubes200 [cubes200.json]
 * Prints one JSON line: ms (boolean time), triangles, volume, genus.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ctx.h"
#include "geom/boolean3.h"
#include "geom/mesh.h"

static const double PI = 3.14159265358979323846;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static mesh *box(facet_ctx *ctx, double x0, double y0, double z0, double x1, double y1,
                 double z1) {
    static const int32_t T[36] = {0, 2, 3, 0, 3, 1, 4, 5, 7, 4, 7, 6, 0, 1, 5, 0, 5, 4,
                                  2, 6, 7, 2, 7, 3, 0, 4, 6, 0, 6, 2, 1, 3, 7, 1, 7, 5};
    mesh *m = mesh_new(ctx, 8, 12);
    for (int i = 0; i < 8; i++) {
        m->pos[3 * i] = i & 1 ? x1 : x0;
        m->pos[3 * i + 1] = i & 2 ? y1 : y0;
        m->pos[3 * i + 2] = i & 4 ? z1 : z0;
    }
    memcpy(m->tri, T, sizeof T);
    m->manifold = true;
    return m;
}

/* OpenSCAD's sphere: rings of fn points, flat polygon caps (fanned here). */
static mesh *sphere(facet_ctx *ctx, double r, int fn) {
    int rings = (fn + 1) / 2;
    mesh *m = mesh_new(ctx, rings * fn, 2 * (fn - 2) + 2 * fn * (rings - 1));
    for (int i = 0; i < rings; i++) {
        double phi = PI * (i + 0.5) / rings, rr = r * sin(phi), z = r * cos(phi);
        for (int j = 0; j < fn; j++) {
            double a = 2 * PI * j / fn;
            double *p = m->pos + 3 * (i * fn + j);
            p[0] = rr * cos(a);
            p[1] = rr * sin(a);
            p[2] = z;
        }
    }
    int t = 0, last = (rings - 1) * fn;
    for (int j = 1; j + 1 < fn; j++) {
        int32_t *a = m->tri + 3 * t++;
        a[0] = 0; a[1] = j; a[2] = j + 1;
        a = m->tri + 3 * t++;
        a[0] = last; a[1] = last + j + 1; a[2] = last + j;
    }
    for (int i = 0; i + 1 < rings; i++)
        for (int j = 0; j < fn; j++) {
            int k = (j + 1) % fn;
            int a = i * fn + j, b = i * fn + k, c = (i + 1) * fn + j, d = (i + 1) * fn + k;
            int32_t *x = m->tri + 3 * t++;
            x[0] = a; x[1] = c; x[2] = d;
            x = m->tri + 3 * t++;
            x[0] = a; x[1] = d; x[2] = b;
        }
    m->manifold = true;
    return m;
}

/* cylinder(r, h, $fn) translated by (cx, cy, z0), fanned caps. */
static mesh *cylinder(facet_ctx *ctx, double r, double h, int fn, double cx, double cy, double z0) {
    mesh *m = mesh_new(ctx, 2 * fn, 2 * (fn - 2) + 2 * fn);
    for (int j = 0; j < fn; j++) {
        double a = 2 * PI * j / fn;
        for (int k = 0; k < 2; k++) {
            double *p = m->pos + 3 * (k * fn + j);
            p[0] = cx + r * cos(a);
            p[1] = cy + r * sin(a);
            p[2] = z0 + (k ? h : 0);
        }
    }
    int t = 0;
    for (int j = 1; j + 1 < fn; j++) {
        int32_t *a = m->tri + 3 * t++;
        a[0] = 0; a[1] = j + 1; a[2] = j;
        a = m->tri + 3 * t++;
        a[0] = fn; a[1] = fn + j; a[2] = fn + j + 1;
    }
    for (int j = 0; j < fn; j++) {
        int k = (j + 1) % fn;
        int32_t *a = m->tri + 3 * t++;
        a[0] = j; a[1] = k; a[2] = fn + k;
        a = m->tri + 3 * t++;
        a[0] = j; a[1] = fn + k; a[2] = fn + j;
    }
    m->manifold = true;
    return m;
}

static void rotate_translate(mesh *m, const double r[3], const double tr[3]) {
    double ax = r[0] * PI / 180, ay = r[1] * PI / 180, az = r[2] * PI / 180;
    double cx = cos(ax), sx = sin(ax), cy = cos(ay), sy = sin(ay), cz = cos(az), sz = sin(az);
    double mat[16] = {cy * cz, sx * sy * cz - cx * sz, cx * sy * cz + sx * sz, tr[0],
                      cy * sz, sx * sy * sz + cx * cz, cx * sy * sz - sx * cz, tr[1],
                      -sy,     sx * cy,                cx * cy,                tr[2],
                      0,       0,                      0,                      1};
    mesh_transform(m, mat);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_bool3 sphere_holes [n] | menger3 [levels] | cubes200 [json]\n");
        return 2;
    }
    facet_options opt;
    memset(&opt, 0, sizeof opt);
    facet_ctx *ctx = facet_new(&opt);
    fc_jmp j;
    fc_try_begin(ctx, &j);
    if (setjmp(j.buf) == 0) {
        mesh **ms = NULL;
        int n = 0;
        bool_op op = BOOL_DIFFERENCE;
        const char *w = argv[1];
        if (!strcmp(w, "sphere_holes")) {
            int k = argc > 2 ? atoi(argv[2]) : 8;
            ms = malloc(sizeof *ms * (size_t)(k * k + 1));
            ms[n++] = sphere(ctx, 10, 96);
            double step = 19.2 / k;
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++)
                    ms[n++] = cylinder(ctx, 0.7 * 8 / k, 30, 32, -9.6 + step * (a + 0.5),
                                       -9.6 + step * (b + 0.5), -15);
        } else if (!strcmp(w, "menger3")) {
            int levels = argc > 2 ? atoi(argv[2]) : 3;
            ms = malloc(sizeof *ms * 3 * 820);
            double N = 27;
            ms[n++] = box(ctx, 0, 0, 0, N, N, N);
            for (int lvl = 1; lvl <= levels; lvl++) {
                double s = N / pow(3, lvl);
                int k = (int)pow(3, lvl - 1);
                for (int a = 0; a < k; a++)
                    for (int b = 0; b < k; b++) {
                        double u = (3 * a + 1) * s, v = (3 * b + 1) * s;
                        ms[n++] = box(ctx, -1, u, v, N + 1, u + s, v + s);
                        ms[n++] = box(ctx, u, -1, v, u + s, N + 1, v + s);
                        ms[n++] = box(ctx, u, v, -1, u + s, v + s, N + 1);
                    }
            }
        } else if (!strcmp(w, "cubes200")) {
            const char *path = argc > 2 ? argv[2] : "/work/shared/bench/cubes200.json";
            FILE *f = fopen(path, "rb");
            if (!f) { perror(path); return 1; }
            static char buf[1 << 20];
            size_t len = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[len] = 0;
            char *p = strstr(buf, "\"cubes\"");
            double v[6 * 200];
            int nv = 0;
            while (p && *p && nv < 1200) {
                if ((*p >= '0' && *p <= '9') || *p == '-') v[nv++] = strtod(p, &p);
                else p++;
            }
            ms = malloc(sizeof *ms * 200);
            op = BOOL_UNION;
            int kmax = getenv("K") ? atoi(getenv("K")) : 200;
            for (int i = 0; i + 6 <= nv && i / 6 < kmax; i += 6) {
                mesh *c = box(ctx, -2.5, -2.5, -2.5, 2.5, 2.5, 2.5);
                rotate_translate(c, v + i + 3, v + i);
                ms[n++] = c;
            }
        } else {
            fprintf(stderr, "unknown workload %s\n", w);
            return 2;
        }
        double t0 = now_ms();
        mesh *r = bool3_nary(ctx, ms, n, op);
        double ms_ = now_ms() - t0;
        long genus = mesh_genus(ctx, r);
        /* manifold-3d's genus: 1 - chi/2 over the whole mesh */
        long mgenus = 1 - mesh_euler(ctx, r) / 2;
        printf("{\"bench\":\"%s\",\"ms\":%.1f,\"triangles\":%d,\"volume\":%.6f,\"genus\":%ld,\"genus_m\":%ld,"
               "\"peak_bytes\":%zu}\n",
               w, ms_, r->nt, mesh_volume(r), genus, mgenus, ctx->mem.peak);
        free(ms);
    } else {
        fprintf(stderr, "error: %s\n", ctx->err.message);
        return 1;
    }
    fc_try_end(ctx, &j);
    facet_free(ctx);
    return 0;
}
