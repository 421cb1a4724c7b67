/*
 * import_png.c — a small PNG decoder for surface(): the image as 8-bit RGB, enough to turn
 * it into heights the way OpenSCAD 2021.01 does (lodepng to RGBA, then luminance).
 *
 * Supported: every colour type (grey, RGB, palette, grey+alpha, RGBA) at every bit depth the
 * format allows (16-bit samples keep their high byte, sub-byte grey is scaled to 0..255, as
 * lodepng converts), the five scanline filters, and zlib streams with stored, fixed and
 * dynamic Huffman blocks (an inflater written for this: canonical codes decoded bit by bit,
 * which is plenty for heightmap-sized images). Not supported: Adam7 interlacing. Every read
 * is bounds-checked; a malformed file yields false, never a read past the data.
 */
#include "io/import_png.h"

#include <string.h>

/* ---------------------------------------------------------------- inflate */

typedef struct inflater {
    const uint8_t *in;
    size_t inlen, pos;
    uint32_t bitbuf;
    int bitcnt;
    uint8_t *out;
    size_t outlen, outcap;
    bool err;
} inflater;

static int getbits(inflater *s, int n) {
    uint32_t v = s->bitbuf;
    while (s->bitcnt < n) {
        if (s->pos >= s->inlen) {
            s->err = true;
            return 0;
        }
        v |= (uint32_t)s->in[s->pos++] << s->bitcnt;
        s->bitcnt += 8;
    }
    s->bitbuf = v >> n;
    s->bitcnt -= n;
    return (int)(v & ((1u << n) - 1));
}

typedef struct huff {
    short count[16];
    short symbol[320];
} huff;

static int decode(inflater *s, const huff *h) {
    int code = 0, first = 0, index = 0;
    for (int len = 1; len < 16; len++) {
        code |= getbits(s, 1);
        if (s->err) return -1;
        int count = h->count[len];
        if (code - count < first) return h->symbol[index + (code - first)];
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    s->err = true;
    return -1;
}

static bool build(huff *h, const short *length, int n) {
    short offs[16];
    memset(h->count, 0, sizeof h->count);
    for (int i = 0; i < n; i++) h->count[length[i]]++;
    if (h->count[0] == n) return true;
    int left = 1;
    for (int len = 1; len < 16; len++) {
        left <<= 1;
        left -= h->count[len];
        if (left < 0) return false;
    }
    offs[1] = 0;
    for (int len = 1; len < 15; len++) offs[len + 1] = (short)(offs[len] + h->count[len]);
    for (int i = 0; i < n; i++)
        if (length[i] != 0) h->symbol[offs[length[i]]++] = (short)i;
    return true;
}

static bool put(facet_ctx *ctx, inflater *s, uint8_t b) {
    if (s->outlen >= s->outcap) {
        size_t nc = s->outcap ? s->outcap * 2 : 65536;
        if (nc > ((size_t)1 << 30)) return false;
        s->out = fc_realloc(ctx, s->out, nc);
        s->outcap = nc;
    }
    s->out[s->outlen++] = b;
    return true;
}

static const short len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                   35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const short len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const short dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
                                    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
                                    6145, 8193, 12289, 16385, 24577};
static const short dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                     6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static bool codes(facet_ctx *ctx, inflater *s, const huff *lh, const huff *dh) {
    for (;;) {
        int sym = decode(s, lh);
        if (sym < 0) return false;
        if (sym < 256) {
            if (!put(ctx, s, (uint8_t)sym)) return false;
        } else if (sym == 256) {
            return true;
        } else {
            sym -= 257;
            if (sym >= 29) return false;
            int len = len_base[sym] + getbits(s, len_extra[sym]);
            int ds = decode(s, dh);
            if (ds < 0 || ds >= 30) return false;
            size_t dist = (size_t)dist_base[ds] + (size_t)getbits(s, dist_extra[ds]);
            if (s->err || dist > s->outlen) return false;
            for (int i = 0; i < len; i++)
                if (!put(ctx, s, s->out[s->outlen - dist])) return false;
        }
        fc_tick(ctx);
    }
}

static bool inflate_stream(facet_ctx *ctx, inflater *s) {
    int last;
    do {
        last = getbits(s, 1);
        int type = getbits(s, 2);
        if (s->err) return false;
        if (type == 0) {
            s->bitbuf = 0;
            s->bitcnt = 0;
            if (s->pos + 4 > s->inlen) return false;
            unsigned len = s->in[s->pos] | (unsigned)s->in[s->pos + 1] << 8;
            unsigned nlen = s->in[s->pos + 2] | (unsigned)s->in[s->pos + 3] << 8;
            s->pos += 4;
            if (len != (~nlen & 0xffff) || s->pos + len > s->inlen) return false;
            for (unsigned i = 0; i < len; i++)
                if (!put(ctx, s, s->in[s->pos++])) return false;
        } else if (type == 1) {
            /* the fixed tables, rebuilt per block into locals */
            huff lh, dh;
            short l[320];
            int i = 0;
            for (; i < 144; i++) l[i] = 8;
            for (; i < 256; i++) l[i] = 9;
            for (; i < 280; i++) l[i] = 7;
            for (; i < 288; i++) l[i] = 8;
            build(&lh, l, 288);
            for (i = 0; i < 30; i++) l[i] = 5;
            build(&dh, l, 30);
            if (!codes(ctx, s, &lh, &dh)) return false;
        } else if (type == 2) {
            int nlen = getbits(s, 5) + 257, ndist = getbits(s, 5) + 1, ncode = getbits(s, 4) + 4;
            static const short order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
            short l[320];
            memset(l, 0, sizeof l);
            if (s->err || nlen > 286 || ndist > 30) return false;
            for (int i = 0; i < ncode; i++) l[order[i]] = (short)getbits(s, 3);
            huff lh, dh;
            if (!build(&lh, l, 19)) return false;
            int idx = 0;
            while (idx < nlen + ndist) {
                int sym = decode(s, &lh);
                if (sym < 0) return false;
                if (sym < 16) {
                    l[idx++] = (short)sym;
                } else {
                    short v = 0;
                    int rep;
                    if (sym == 16) {
                        if (idx == 0) return false;
                        v = l[idx - 1];
                        rep = 3 + getbits(s, 2);
                    } else if (sym == 17) {
                        rep = 3 + getbits(s, 3);
                    } else {
                        rep = 11 + getbits(s, 7);
                    }
                    if (idx + rep > nlen + ndist) return false;
                    while (rep--) l[idx++] = v;
                }
            }
            if (l[256] == 0) return false;
            if (!build(&lh, l, nlen) || !build(&dh, l + nlen, ndist)) return false;
            if (!codes(ctx, s, &lh, &dh)) return false;
        } else {
            return false;
        }
    } while (!last);
    return !s->err;
}

/* ---------------------------------------------------------------- PNG */

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c) {
    int p = a + b - c, pa = p > a ? p - a : a - p, pb = p > b ? p - b : b - p, pc = p > c ? p - c : c - p;
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

bool png_decode_rgb(facet_ctx *ctx, const uint8_t *d, size_t len, png_image *img) {
    static const uint8_t sig[8] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a};
    memset(img, 0, sizeof *img);
    if (len < 8 || memcmp(d, sig, 8) != 0) return false;
    uint32_t w = 0, h = 0;
    int depth = 0, ctype = -1, interlace = 0;
    uint8_t pal[256 * 3];
    int npal = 0;
    uint8_t *idat = NULL;
    size_t nidat = 0;
    size_t pos = 8;
    bool ok = false;
    while (pos + 12 <= len) {
        uint32_t clen = be32(d + pos);
        const uint8_t *type = d + pos + 4, *cd = d + pos + 8;
        if (clen > len - pos - 12) break;
        if (memcmp(type, "IHDR", 4) == 0 && clen >= 13) {
            w = be32(cd);
            h = be32(cd + 4);
            depth = cd[8];
            ctype = cd[9];
            interlace = cd[12];
        } else if (memcmp(type, "PLTE", 4) == 0) {
            npal = (int)(clen / 3 > 256 ? 256 : clen / 3);
            memcpy(pal, cd, (size_t)npal * 3);
        } else if (memcmp(type, "IDAT", 4) == 0) {
            idat = fc_realloc(ctx, idat, nidat + clen + 1);
            memcpy(idat + nidat, cd, clen);
            nidat += clen;
        } else if (memcmp(type, "IEND", 4) == 0) {
            ok = true;
            break;
        }
        pos += 12 + clen;
    }
    int channels = ctype == 0 ? 1 : ctype == 2 ? 3 : ctype == 3 ? 1 : ctype == 4 ? 2 : ctype == 6 ? 4 : 0;
    bool depth_ok = depth == 8 || depth == 16 || ((ctype == 0 || ctype == 3) && (depth == 1 || depth == 2 || depth == 4));
    if (!ok || !idat || nidat < 2 || channels == 0 || !depth_ok || interlace != 0 || w == 0 || h == 0 ||
        (uint64_t)w * h > 25000000 || (ctype == 3 && npal == 0) || (idat[0] & 0x0f) != 8) {
        fc_free(ctx, idat);
        return false;
    }
    inflater s;
    memset(&s, 0, sizeof s);
    s.in = idat + 2;
    s.inlen = nidat - 2;
    bool inflated = inflate_stream(ctx, &s);
    fc_free(ctx, idat);
    size_t bits = (size_t)channels * (size_t)depth;
    size_t stride = ((size_t)w * bits + 7) / 8, bpp = bits >= 8 ? bits / 8 : 1;
    if (!inflated || s.outlen < (stride + 1) * h) {
        fc_free(ctx, s.out);
        return false;
    }
    /* unfilter in place */
    uint8_t *raw = s.out;
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *row = raw + (size_t)y * (stride + 1);
        int ft = row[0];
        uint8_t *cur = row + 1, *prev = y ? raw + (size_t)(y - 1) * (stride + 1) + 1 : NULL;
        for (size_t i = 0; i < stride; i++) {
            int a = i >= bpp ? cur[i - bpp] : 0, b = prev ? prev[i] : 0, c = (prev && i >= bpp) ? prev[i - bpp] : 0;
            int v = cur[i];
            switch (ft) {
            case 0: break;
            case 1: v += a; break;
            case 2: v += b; break;
            case 3: v += (a + b) / 2; break;
            case 4: v += paeth(a, b, c); break;
            default: fc_free(ctx, s.out); return false;
            }
            cur[i] = (uint8_t)v;
        }
    }
    img->w = (int)w;
    img->h = (int)h;
    img->rgb = fc_alloc(ctx, (size_t)w * h * 3);
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *row = raw + (size_t)y * (stride + 1) + 1;
        for (uint32_t x = 0; x < w; x++) {
            uint8_t *o = img->rgb + 3 * ((size_t)y * w + x);
            if (depth < 8) {
                size_t bit = (size_t)x * (size_t)depth;
                int v = (row[bit / 8] >> (8 - depth - (int)(bit % 8))) & ((1 << depth) - 1);
                if (ctype == 3) {
                    if (v >= npal) v = 0;
                    memcpy(o, pal + 3 * v, 3);
                } else {
                    o[0] = o[1] = o[2] = (uint8_t)(v * 255 / ((1 << depth) - 1));
                }
                continue;
            }
            size_t sb = (size_t)depth / 8; /* bytes per sample: the first is the high byte */
            const uint8_t *px = row + (size_t)x * channels * sb;
            if (ctype == 3) {
                int v = px[0] < npal ? px[0] : 0;
                memcpy(o, pal + 3 * v, 3);
            } else if (ctype == 0 || ctype == 4) {
                o[0] = o[1] = o[2] = px[0];
            } else {
                o[0] = px[0];
                o[1] = px[sb];
                o[2] = px[2 * sb];
            }
        }
    }
    fc_free(ctx, s.out);
    return true;
}
