/*
 * import_obj.c — Wavefront OBJ reader: `v x y z` vertices and `f a b c ...` faces (each
 * corner `v`, `v/vt`, `v//vn` or `v/vt/vn`; 1-based, negative = counted back from the
 * last vertex read so far). Everything else (normals, texture coordinates, groups,
 * materials, lines) is ignored. Positive indices may refer to vertices listed later, so
 * faces are resolved once the whole file is read. Bad numbers and indices out of range
 * are errors naming the line.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/import.h"
#include "io/import_mesh.h"

typedef struct obj_face {
    int32_t first, n; /* corners in the index array */
    int line;
} obj_face;

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static _Noreturn void obj_error(facet_ctx *ctx, fc_loc loc, int line, const char *what, const char *s,
                                size_t n, const char *name) {
    fc_throw(ctx, FACET_ERR_IO, loc, "OBJ line %d, %s '%.*s' importing file '%s'", line, what,
             (int)(n > 200 ? 200 : n), s, name);
}

mesh *import_obj(facet_ctx *ctx, const char *data, size_t len, const char *name, fc_loc loc) {
    double *pos = NULL;
    int capv = 0;
    int32_t nv = 0;
    int64_t *corner = NULL; /* resolved 0-based vertex index, or -(1 + 1-based index) to resolve */
    int capc = 0;
    int32_t nc = 0;
    obj_face *faces = NULL;
    int capf = 0;
    int32_t nf = 0;
    int line = 0;
    size_t p = 0;
    while (p < len) {
        fc_tick(ctx);
        size_t end = p;
        while (end < len && data[end] != '\n') end++;
        const char *s = data + p;
        size_t n = end - p;
        p = end + 1;
        line++;
        const char *hash = memchr(s, '#', n);
        if (hash) n = (size_t)(hash - s);
        size_t i = 0;
        while (i < n && blank(s[i])) i++;
        if (i + 1 < n && s[i] == 'v' && blank(s[i + 1])) {
            double xyz[3];
            i++;
            for (int k = 0; k < 3; k++) {
                while (i < n && blank(s[i])) i++;
                char buf[64];
                size_t st = i;
                while (i < n && !blank(s[i])) i++;
                if (i == st || i - st >= sizeof buf) obj_error(ctx, loc, line, "can't parse vertex line", s, n, name);
                memcpy(buf, s + st, i - st);
                buf[i - st] = '\0';
                char *e;
                xyz[k] = strtod(buf, &e);
                if (*e || !isfinite(xyz[k])) obj_error(ctx, loc, line, "can't parse vertex line", s, n, name);
            }
            FC_GROW(ctx, pos, capv, 3 * (nv + 1));
            memcpy(pos + 3 * nv, xyz, sizeof xyz);
            nv++;
        } else if (i + 1 < n && s[i] == 'f' && blank(s[i + 1])) {
            i++;
            obj_face f = {nc, 0, line};
            for (;;) {
                while (i < n && blank(s[i])) i++;
                if (i >= n) break;
                char *e;
                char buf[32];
                size_t st = i;
                while (i < n && !blank(s[i]) && s[i] != '/') i++;
                if (i == st || i - st >= sizeof buf) obj_error(ctx, loc, line, "can't parse face line", s, n, name);
                memcpy(buf, s + st, i - st);
                buf[i - st] = '\0';
                long v = strtol(buf, &e, 10);
                if (*e || v == 0) obj_error(ctx, loc, line, "can't parse face line", s, n, name);
                while (i < n && !blank(s[i])) i++; /* the /vt/vn part */
                int64_t c;
                if (v < 0) {
                    if (-(int64_t)v > nv) obj_error(ctx, loc, line, "face index out of range in line", s, n, name);
                    c = nv + v;
                } else {
                    c = -(int64_t)v - 1;
                }
                FC_PUSH(ctx, corner, nc, capc, c);
                f.n++;
            }
            FC_PUSH(ctx, faces, nf, capf, f);
        }
    }

    mesh_build b;
    mb_init(&b, ctx);
    int32_t *vid = fc_alloc(ctx, (size_t)(nv > 0 ? nv : 1) * sizeof *vid);
    for (int32_t v = 0; v < nv; v++) vid[v] = mb_vertex(&b, pos[3 * v], pos[3 * v + 1], pos[3 * v + 2]);
    int32_t *idx = NULL;
    int capidx = 0;
    for (int32_t f = 0; f < nf; f++) {
        FC_GROW(ctx, idx, capidx, faces[f].n > 0 ? faces[f].n : 1);
        for (int32_t j = 0; j < faces[f].n; j++) {
            int64_t c = corner[faces[f].first + j];
            if (c < 0) c = -c - 2; /* 1-based positive index -> 0-based */
            if (c < 0 || c >= nv)
                fc_throw(ctx, FACET_ERR_IO, loc, "OBJ line %d, face index out of range importing file '%s'",
                         faces[f].line, name);
            idx[j] = vid[c];
        }
        mb_face(&b, idx, faces[f].n, 0);
    }
    fc_free(ctx, vid);
    fc_free(ctx, idx);
    fc_free(ctx, pos);
    fc_free(ctx, corner);
    fc_free(ctx, faces);
    return mb_finish(&b);
}
