/*
 * import_off.c — OFF reader (Geomview's Object File Format, ASCII).
 *
 *     [ST][C][N]OFF              header keyword (optional)
 *     nv nf ne                   counts
 *     x y z ...                  nv vertex lines (extra values — normals, colors,
 *                                texture coordinates — ignored)
 *     k i1 ... ik [r g b [a]]    nf face lines, with an optional face color (0..255
 *                                integers or 0..1 decimals)
 *
 * The reader works line by line ('#' starts a comment), so a line's extra values never
 * shift what follows. Faces become triangles (import_mesh.c); face colors are kept. Counts
 * larger than the file could hold, indices out of range, and numbers that do not parse are
 * errors naming the line. Binary OFF and 4D/nD variants are reported as unsupported.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/import.h"
#include "io/import_mesh.h"

typedef struct off_reader {
    facet_ctx *ctx;
    const char *d;
    size_t len, pos;
    int line; /* line number of the current line */
    const char *name;
    fc_loc loc;
    const char *s; /* the current line without its comment */
    size_t n;
} off_reader;

/* Advances to the next line that has content; false at the end of the data. */
static bool next_line(off_reader *r) {
    while (r->pos < r->len) {
        fc_tick(r->ctx);
        size_t end = r->pos;
        while (end < r->len && r->d[end] != '\n') end++;
        r->line++;
        r->s = r->d + r->pos;
        r->n = end - r->pos;
        r->pos = end + 1;
        const char *hash = memchr(r->s, '#', r->n);
        if (hash) r->n = (size_t)(hash - r->s);
        for (size_t i = 0; i < r->n; i++)
            if (r->s[i] != ' ' && r->s[i] != '\t' && r->s[i] != '\r') return true;
    }
    return false;
}

/* Reads up to max numbers from the current line; returns how many, -1 on a bad token. */
static int line_numbers(const off_reader *r, double *out, int max, bool *decimal) {
    int k = 0;
    size_t i = 0;
    if (decimal) *decimal = false;
    while (k < max) {
        while (i < r->n && (r->s[i] == ' ' || r->s[i] == '\t' || r->s[i] == '\r')) i++;
        if (i >= r->n) break;
        size_t st = i;
        while (i < r->n && r->s[i] != ' ' && r->s[i] != '\t' && r->s[i] != '\r') i++;
        char buf[64];
        size_t tl = i - st;
        if (tl >= sizeof buf) return -1;
        memcpy(buf, r->s + st, tl);
        buf[tl] = '\0';
        char *end;
        double v = strtod(buf, &end);
        if (*end != '\0' || !isfinite(v)) return -1;
        if (decimal && (memchr(buf, '.', tl) || memchr(buf, 'e', tl) || memchr(buf, 'E', tl))) *decimal = true;
        out[k++] = v;
    }
    return k;
}

static _Noreturn void off_error(off_reader *r, const char *what) {
    fc_throw(r->ctx, FACET_ERR_IO, r->loc, "OFF line %d, %s '%.*s' importing file '%s'", r->line, what,
             (int)(r->n > 200 ? 200 : r->n), r->s, r->name);
}

static uint32_t face_color(const double *c, int n, bool decimal) {
    double rgba[4] = {0, 0, 0, decimal ? 1.0 : 255.0};
    for (int i = 0; i < n && i < 4; i++) rgba[i] = c[i];
    uint32_t out = 0;
    for (int i = 0; i < 4; i++) {
        double v = decimal ? rgba[i] * 255.0 : rgba[i];
        if (v < 0) v = 0;
        if (v > 255) v = 255;
        out = (out << 8) | (uint32_t)lround(v);
    }
    return out;
}

mesh *import_off(facet_ctx *ctx, const char *data, size_t len, const char *name, fc_loc loc) {
    off_reader r = {ctx, data, len, 0, 0, name, loc, NULL, 0};
    if (!next_line(&r)) return mesh_empty(ctx);
    /* header keyword, possibly followed by the counts on the same line */
    size_t i = 0;
    while (i < r.n && (r.s[i] == ' ' || r.s[i] == '\t')) i++;
    size_t kw = i;
    while (i < r.n && r.s[i] != ' ' && r.s[i] != '\t' && r.s[i] != '\r') i++;
    size_t kwlen = i - kw;
    if (kwlen >= 3 && memcmp(r.s + kw + kwlen - 3, "OFF", 3) == 0) {
        for (size_t k = kw; k < kw + kwlen - 3; k++)
            if (r.s[k] == '4' || r.s[k] == 'n') off_error(&r, "unsupported OFF variant");
        r.s += i;
        r.n -= i;
        double tmp[3];
        int c = line_numbers(&r, tmp, 3, NULL);
        if (c < 0) {
            for (size_t k = 0; k + 6 <= r.n; k++)
                if (memcmp(r.s + k, "BINARY", 6) == 0) off_error(&r, "binary OFF is not supported");
            off_error(&r, "can't parse header line");
        }
        if (c == 0 && !next_line(&r)) off_error(&r, "missing counts line");
    }
    double cnt[3];
    int c = line_numbers(&r, cnt, 3, NULL);
    if (c < 2 || cnt[0] < 0 || cnt[1] < 0 || cnt[0] != floor(cnt[0]) || cnt[1] != floor(cnt[1]))
        off_error(&r, "can't parse counts line");
    /* every vertex and face needs a line of at least two bytes */
    if (cnt[0] + cnt[1] > (double)(len / 2 + 1)) off_error(&r, "more vertices and faces than the file holds in line");
    int32_t nv = (int32_t)cnt[0], nf = (int32_t)cnt[1];

    mesh_build b;
    mb_init(&b, ctx);
    int32_t *vid = fc_alloc(ctx, (size_t)(nv > 0 ? nv : 1) * sizeof *vid);
    for (int32_t v = 0; v < nv; v++) {
        if (!next_line(&r)) off_error(&r, "file ends before all vertices were read after line");
        double p[3];
        if (line_numbers(&r, p, 3, NULL) != 3) off_error(&r, "can't parse vertex line");
        vid[v] = mb_vertex(&b, p[0], p[1], p[2]);
    }
    int32_t *idx = NULL;
    int capidx = 0;
    double *nums = NULL;
    int capnums = 0;
    for (int32_t f = 0; f < nf; f++) {
        if (!next_line(&r)) off_error(&r, "file ends before all faces were read after line");
        double k;
        if (line_numbers(&r, &k, 1, NULL) != 1 || k < 0 || k != floor(k) || k > (double)r.n)
            off_error(&r, "can't parse face line");
        int kk = (int)k;
        FC_GROW(ctx, nums, capnums, kk + 5);
        bool decimal = false;
        /* indices are integers, so a decimal point on the line belongs to the color */
        int got = line_numbers(&r, nums, kk + 5, &decimal);
        if (got < kk + 1) off_error(&r, "can't parse face line");
        FC_GROW(ctx, idx, capidx, kk > 0 ? kk : 1);
        for (int j = 0; j < kk; j++) {
            double v = nums[1 + j];
            if (v != floor(v) || v < 0 || v >= nv) off_error(&r, "face index out of range in line");
            idx[j] = vid[(int32_t)v];
        }
        uint32_t color = 0;
        int extra = got - 1 - kk;
        if (extra >= 3) {
            color = face_color(nums + 1 + kk, extra, decimal);
        }
        mb_face(&b, idx, kk, color);
    }
    fc_free(ctx, vid);
    fc_free(ctx, idx);
    fc_free(ctx, nums);
    return mb_finish(&b);
}
