/*
 * text_font.c — the context's font set: the font pack, registered font files, and the
 * matching of OpenSCAD font names (see text_font.h).
 *
 * Everything here lives in the keep pool so that it survives renders: reading and parsing
 * the pack happens once per context. Each structure is filled completely in the render
 * pool and only then moved to the keep pool and linked in, so an error thrown halfway
 * (memory limit) leaves the font set as it was.
 */
#include "geom/text_font.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/resolve.h"

typedef struct font_face {
    ttf_font ttf;
    const char *path; /* registered file, or NULL for a pack font */
    bool bold, italic;
} font_face;

struct font_state {
    uint8_t *pack; /* the pack's bytes, or NULL while not loaded */
    size_t pack_len;
    font_face *faces; /* registered files first (in order), then the pack */
    int nfaces, capfaces;
    int nregistered;
};

static uint32_t rd32le(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

int fontpack_parse(const uint8_t *data, size_t len, const uint8_t **blobs, size_t *lens, int max) {
    if (len < 16 || memcmp(data, FONTPACK_MAGIC, 8) != 0 || rd32le(data + 8) != FONTPACK_VERSION)
        return -1;
    uint32_t n = rd32le(data + 12);
    if (n > (len - 16) / 8) return -1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t off = rd32le(data + 16 + 8 * i), l = rd32le(data + 20 + 8 * i);
        if (off > len || l > len - off) return -1;
        if ((int)i < max) {
            blobs[i] = data + off;
            lens[i] = l;
        }
    }
    return (int)n;
}

/* Lowercase, without spaces, dashes and underscores: "Bold Italic" == "BoldItalic". */
static void squash(const char *s, size_t n, char *out, size_t size) {
    size_t k = 0;
    for (size_t i = 0; i < n && s[i] && k + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '-' || c == '_' || c == '\t') continue;
        out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
}

static bool has_word(const char *squashed, const char *w) { return strstr(squashed, w) != NULL; }

static void face_traits(font_face *fc) {
    char st[64];
    squash(fc->ttf.style, sizeof fc->ttf.style, st, sizeof st);
    fc->bold = has_word(st, "bold") || has_word(st, "black") || has_word(st, "heavy");
    fc->italic = has_word(st, "italic") || has_word(st, "oblique");
}

static struct font_state *state(facet_ctx *ctx) {
    if (!ctx->fonts) {
        struct font_state *s = fc_calloc(ctx, 1, sizeof *s);
        fc_keep(ctx, s);
        ctx->fonts = s;
    }
    return ctx->fonts;
}

/* Inserts a face at position `at` of the face list (keep pool). */
static void insert_face(facet_ctx *ctx, struct font_state *s, int at, const font_face *fc) {
    if (!s->faces) {
        s->faces = fc_alloc(ctx, 8 * sizeof *s->faces);
        fc_keep(ctx, s->faces);
        s->capfaces = 8;
    }
    FC_GROW(ctx, s->faces, s->capfaces, s->nfaces + 1);
    memmove(s->faces + at + 1, s->faces + at, (size_t)(s->nfaces - at) * sizeof *s->faces);
    s->faces[at] = *fc;
    s->nfaces++;
}

static void load_pack(facet_ctx *ctx, struct font_state *s) {
    const char *data;
    size_t len;
    if (fc_read(ctx, FACET_FONTS_PATH, &data, &len) != 0) return;
    const uint8_t *blobs[64];
    size_t lens[64];
    int n = fontpack_parse((const uint8_t *)data, len, blobs, lens, 64);
    if (n < 0) {
        fc_log(ctx, FACET_LOG_WARNING, "Font pack %s is not a valid font pack", FACET_FONTS_PATH);
        return;
    }
    if (n > 64) n = 64;
    uint8_t *copy = fc_memdup(ctx, data, len);
    fc_keep(ctx, copy);
    s->pack = copy;
    s->pack_len = len;
    for (int i = 0; i < n; i++) {
        font_face fc;
        memset(&fc, 0, sizeof fc);
        const uint8_t *blob = copy + (blobs[i] - (const uint8_t *)data);
        if (ttf_open(&fc.ttf, blob, lens[i], 0) != TTF_OK) continue;
        face_traits(&fc);
        insert_face(ctx, s, s->nfaces, &fc);
    }
}

bool text_font_register(facet_ctx *ctx, const char *path, const char *data, size_t len, fc_loc loc) {
    struct font_state *s = state(ctx);
    for (int i = 0; i < s->nregistered; i++)
        if (strcmp(s->faces[i].path, path) == 0) return true;
    ttf_font probe;
    int e = ttf_open(&probe, (const uint8_t *)data, len, 0);
    if (e != TTF_OK) {
        fc_log_at(ctx, FACET_LOG_WARNING, loc, "Can't read font file '%s': %s", path, ttf_strerror(e));
        return false;
    }
    uint8_t *copy = fc_memdup(ctx, data, len);
    char *pcopy = fc_strdup(ctx, path);
    font_face fc;
    memset(&fc, 0, sizeof fc);
    ttf_open(&fc.ttf, copy, len, 0);
    fc.path = pcopy;
    face_traits(&fc);
    insert_face(ctx, s, s->nregistered, &fc);
    fc_keep(ctx, copy);
    fc_keep(ctx, pcopy);
    s->nregistered++;
    return true;
}

/* ---------------------------------------------------------------- name matching */

typedef struct font_query {
    char family[128]; /* squashed */
    char style[64];   /* squashed, "" when not given */
    bool bold, italic;
} font_query;

static void parse_query(const char *name, font_query *q) {
    memset(q, 0, sizeof *q);
    const char *colon = strchr(name, ':');
    size_t flen = colon ? (size_t)(colon - name) : strlen(name);
    squash(name, flen, q->family, sizeof q->family);
    while (colon) {
        const char *item = colon + 1;
        colon = strchr(item, ':');
        size_t n = colon ? (size_t)(colon - item) : strlen(item);
        char sq[96];
        squash(item, n, sq, sizeof sq);
        if (strncmp(sq, "style=", 6) == 0) {
            size_t sl = strlen(sq + 6);
            if (sl >= sizeof q->style) sl = sizeof q->style - 1;
            memcpy(q->style, sq + 6, sl);
            q->style[sl] = '\0';
            q->bold = has_word(q->style, "bold") || has_word(q->style, "black");
            q->italic = has_word(q->style, "italic") || has_word(q->style, "oblique");
        } else if (strcmp(sq, "bold") == 0 || strcmp(sq, "weight=bold") == 0) {
            q->bold = true;
        } else if (strcmp(sq, "italic") == 0 || strcmp(sq, "oblique") == 0 ||
                   strcmp(sq, "slant=italic") == 0 || strcmp(sq, "slant=oblique") == 0) {
            q->italic = true;
        }
    }
}

/* fontconfig's generic names and the common metric-compatible aliases. */
static const char *alias_family(const char *fam) {
    static const char *const map[][2] = {
        {"sans", "liberationsans"},      {"sansserif", "liberationsans"},
        {"arial", "liberationsans"},     {"helvetica", "liberationsans"},
        {"serif", "liberationserif"},    {"times", "liberationserif"},
        {"timesnewroman", "liberationserif"},
        {"mono", "liberationmono"},      {"monospace", "liberationmono"},
        {"courier", "liberationmono"},   {"couriernew", "liberationmono"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(fam, map[i][0]) == 0) return map[i][1];
    return NULL;
}

static const font_face *best_of_family(const struct font_state *s, const char *fam, const font_query *q) {
    const font_face *best = NULL;
    int best_score = -1;
    for (int i = 0; i < s->nfaces; i++) {
        const font_face *fc = &s->faces[i];
        char ff[128], fs[64];
        squash(fc->ttf.family, sizeof fc->ttf.family, ff, sizeof ff);
        if (strcmp(ff, fam) != 0) continue;
        squash(fc->ttf.style, sizeof fc->ttf.style, fs, sizeof fs);
        int score = 0;
        if (q->style[0] && strcmp(fs, q->style) == 0) score += 8;
        if (fc->bold == q->bold) score += 2;
        if (fc->italic == q->italic) score += 2;
        if (!q->style[0] && strcmp(fs, "regular") == 0) score += 1;
        if (score > best_score) { /* ties keep the first: registered files win */
            best = fc;
            best_score = score;
        }
    }
    return best;
}

const ttf_font *text_font_find(facet_ctx *ctx, const char *name, fc_loc loc) {
    struct font_state *s = state(ctx);
    if (!s->pack) load_pack(ctx, s);
    if (!name || !*name) name = TEXT_DEFAULT_FONT;
    font_query q;
    parse_query(name, &q);
    const font_face *fc = NULL;
    if (q.family[0]) fc = best_of_family(s, q.family, &q);
    if (!fc && q.family[0]) {
        const char *alias = alias_family(q.family);
        if (alias) fc = best_of_family(s, alias, &q);
    }
    if (!fc) fc = best_of_family(s, "liberationsans", &q);
    if (!fc && s->nfaces > 0) fc = &s->faces[0];
    if (!fc) {
        fc_log_at(ctx, FACET_LOG_WARNING, loc, "Can't get font %s", name);
        return NULL;
    }
    return &fc->ttf;
}
