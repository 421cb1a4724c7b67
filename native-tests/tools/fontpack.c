/*
 * fontpack.c — builds Facet's font pack: one file holding several .ttf fonts.
 *
 *     fontpack OUT.bin FONT.ttf...
 *
 * The format is described in src/geom/text_font.h (magic "FACETFNT", version, count, an
 * index of offset/length pairs, then the fonts, each 4-byte aligned; little-endian). The
 * fonts are stored unchanged. A host tool, built with the host compiler; not part of the
 * library.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            unsigned char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s OUT.bin FONT.ttf...\n", argv[0]);
        return 2;
    }
    int n = argc - 2;
    unsigned char **data = calloc((size_t)n, sizeof *data);
    size_t *lens = calloc((size_t)n, sizeof *lens);
    if (!data || !lens) return 1;
    size_t off = 16 + 8 * (size_t)n;
    unsigned char header[16];
    memcpy(header, "FACETFNT", 8);
    put32(header + 8, 1);
    put32(header + 12, (uint32_t)n);
    unsigned char *index = calloc((size_t)n, 8);
    if (!index) return 1;
    for (int i = 0; i < n; i++) {
        data[i] = slurp(argv[i + 2], &lens[i]);
        if (!data[i] || lens[i] < 12) {
            fprintf(stderr, "%s: cannot read font %s\n", argv[0], argv[i + 2]);
            return 1;
        }
        off = (off + 3) & ~(size_t)3;
        if (off + lens[i] > 0xffffffffu) {
            fprintf(stderr, "%s: pack too large\n", argv[0]);
            return 1;
        }
        put32(index + 8 * i, (uint32_t)off);
        put32(index + 8 * i + 4, (uint32_t)lens[i]);
        off += lens[i];
    }
    FILE *out = fopen(argv[1], "wb");
    if (!out) {
        fprintf(stderr, "%s: cannot write %s\n", argv[0], argv[1]);
        return 1;
    }
    static const unsigned char zeros[4];
    size_t pos = 16 + 8 * (size_t)n;
    int ok = fwrite(header, 1, 16, out) == 16 && fwrite(index, 1, 8 * (size_t)n, out) == 8 * (size_t)n;
    for (int i = 0; ok && i < n; i++) {
        size_t pad = ((pos + 3) & ~(size_t)3) - pos;
        ok = fwrite(zeros, 1, pad, out) == pad && fwrite(data[i], 1, lens[i], out) == lens[i];
        pos += pad + lens[i];
        free(data[i]);
    }
    if (fclose(out) != 0) ok = 0;
    free(data);
    free(lens);
    free(index);
    if (!ok) {
        fprintf(stderr, "%s: write error on %s\n", argv[0], argv[1]);
        remove(argv[1]);
        return 1;
    }
    return 0;
}
