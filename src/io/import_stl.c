/*
 * import_stl.c — STL reader, ASCII and binary, told apart as OpenSCAD does: a file whose
 * size is exactly 84 + 50 * (the facet count at byte 80) is binary; otherwise a file that
 * starts with "solid" is ASCII; otherwise, when long enough, binary read up to the last
 * whole facet.
 *
 * The ASCII reader follows OpenSCAD's line rules: lines mentioning solid/facet/endloop are
 * structure, "outer loop" starts a triangle, "vertex x y z" adds a corner. A vertex that
 * does not parse as three finite numbers, a fourth vertex in a loop, or a loop closed
 * early is an error naming the line (OpenSCAD's wording).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/import.h"
#include "io/import_mesh.h"

static uint32_t rd32le(const unsigned char *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static double rdf32(const unsigned char *p) {
    uint32_t u = rd32le(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return (double)f;
}

static mesh *read_binary(facet_ctx *ctx, const unsigned char *d, size_t len, const char *name,
                         fc_loc loc) {
    mesh_build b;
    mb_init(&b, ctx);
    size_t n = (len - 84) / 50;
    for (size_t f = 0; f < n; f++) {
        fc_tick(ctx);
        const unsigned char *rec = d + 84 + 50 * f + 12;
        int32_t v[3];
        for (int k = 0; k < 3; k++) {
            double x = rdf32(rec + 12 * k), y = rdf32(rec + 12 * k + 4), z = rdf32(rec + 12 * k + 8);
            if (!isfinite(x) || !isfinite(y) || !isfinite(z))
                fc_throw(ctx, FACET_ERR_IO, loc,
                         "STL facet %zu has a vertex that is not a finite number importing file '%s'",
                         f + 1, name);
            v[k] = mb_vertex(&b, x, y, z);
        }
        mb_face(&b, v, 3, 0);
    }
    return mb_finish(&b);
}

/* Parses one coordinate token; the whole token must be a finite number. */
static bool parse_coord(const char *s, size_t n, double *out) {
    char buf[64];
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (*end != '\0' || !isfinite(v)) return false;
    *out = v;
    return true;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

static bool contains(const char *s, size_t n, const char *word) {
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (memcmp(s + i, word, w) == 0) return true;
    return false;
}

/* "vertex x y z": finds the keyword and three whitespace-separated tokens after it.
 * Returns 0 when the line has no such shape, 1 when parsed, -1 when a token is bad. */
static int parse_vertex(const char *s, size_t n, double v[3]) {
    size_t i = 0;
    for (;; i++) {
        if (i + 6 > n) return 0;
        if (memcmp(s + i, "vertex", 6) == 0 && (i + 6 < n && is_space(s[i + 6]))) break;
    }
    i += 6;
    const char *tok[3];
    size_t tlen[3];
    for (int k = 0; k < 3; k++) {
        while (i < n && is_space(s[i])) i++;
        if (i >= n) return 0;
        tok[k] = s + i;
        while (i < n && !is_space(s[i])) i++;
        tlen[k] = (size_t)(s + i - tok[k]);
    }
    for (int k = 0; k < 3; k++)
        if (!parse_coord(tok[k], tlen[k], &v[k])) return -1;
    return 1;
}

static mesh *read_ascii(facet_ctx *ctx, const char *d, size_t len, const char *name, fc_loc loc) {
    mesh_build b;
    mb_init(&b, ctx);
    int corners = 0, line = 0;
    int32_t v[3];
    size_t pos = 0;
    while (pos < len) {
        fc_tick(ctx);
        size_t end = pos;
        while (end < len && d[end] != '\n') end++;
        line++;
        const char *s = d + pos;
        size_t n = end - pos;
        pos = end + 1;
        while (n > 0 && is_space(s[0])) s++, n--;
        while (n > 0 && is_space(s[n - 1])) n--;
        if (line == 1 || n == 0) continue;
        if (contains(s, n, "endloop")) {
            if (corners > 0 && corners < 3)
                fc_throw(ctx, FACET_ERR_IO, loc, "STL line %d, missing vertex line '%.*s' importing file '%s'",
                         line, (int)n, s, name);
            continue;
        }
        if (contains(s, n, "solid") || contains(s, n, "facet")) continue;
        if (contains(s, n, "outer loop")) {
            corners = 0;
            continue;
        }
        double p[3];
        int r = parse_vertex(s, n, p);
        if (r == 0) continue;
        if (corners >= 3)
            fc_throw(ctx, FACET_ERR_IO, loc, "STL line %d, extra vertex line '%.*s' importing file '%s'", line,
                     (int)n, s, name);
        if (r < 0)
            fc_throw(ctx, FACET_ERR_IO, loc, "STL line %d, can't parse vertex line '%.*s' importing file '%s'",
                     line, (int)n, s, name);
        v[corners++] = mb_vertex(&b, p[0], p[1], p[2]);
        if (corners == 3) mb_face(&b, v, 3, 0);
    }
    return mb_finish(&b);
}

mesh *import_stl(facet_ctx *ctx, const char *data, size_t len, const char *name, fc_loc loc) {
    const unsigned char *d = (const unsigned char *)data;
    if (len == 0) return mesh_empty(ctx);
    if (len >= 84) {
        uint64_t count = rd32le(d + 80);
        if ((uint64_t)len == 84 + 50 * count) return read_binary(ctx, d, len, name, loc);
    }
    if (len >= 5 && memcmp(data, "solid", 5) == 0) return read_ascii(ctx, data, len, name, loc);
    if (len >= 84) return read_binary(ctx, d, len, name, loc);
    fc_throw(ctx, FACET_ERR_IO, loc, "STL format not recognized in '%s'", name);
}
