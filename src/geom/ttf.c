/*
 * ttf.c — reading TrueType fonts (see ttf.h).
 *
 * All multi-byte values are big-endian. Every access goes through u8/u16/u32 with an
 * explicit bounds check against the font's length; out-of-range reads return 0 and the
 * structural code checks lengths up front, so garbage yields an error code or an empty
 * glyph but never an out-of-bounds read.
 */
#include "geom/ttf.h"

#include <string.h>

#define TAG(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static bool have(const ttf_font *f, uint32_t off, uint32_t n) {
    return off <= f->len && n <= f->len - off;
}
static unsigned u8(const ttf_font *f, uint32_t off) {
    return off < f->len ? f->data[off] : 0;
}
static unsigned u16(const ttf_font *f, uint32_t off) {
    return have(f, off, 2) ? ((unsigned)f->data[off] << 8) | f->data[off + 1] : 0;
}
static int s16(const ttf_font *f, uint32_t off) {
    unsigned v = u16(f, off);
    return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}
static uint32_t u32(const ttf_font *f, uint32_t off) {
    if (!have(f, off, 4)) return 0;
    const uint8_t *p = f->data + off;
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

const char *ttf_strerror(int err) {
    switch (err) {
    case TTF_OK: return "no error";
    case TTF_ETRUNC: return "font data is truncated";
    case TTF_EFORMAT: return "not a TrueType font";
    case TTF_ECFF: return "OpenType fonts with CFF outlines are not supported";
    case TTF_EGLYPH: return "malformed glyph data";
    case TTF_EDEPTH: return "composite glyphs nested too deep";
    case TTF_ETOOBIG: return "glyph outline too large";
    default: return "unknown font error";
    }
}

/* ---------------------------------------------------------------- table directory */

static int find_table(const ttf_font *f, uint32_t dir, uint32_t tag, uint32_t *off, uint32_t *len) {
    unsigned n = u16(f, dir + 4);
    if (!have(f, dir + 12, n * 16u)) return TTF_ETRUNC;
    for (unsigned i = 0; i < n; i++) {
        uint32_t rec = dir + 12 + 16 * i;
        if (u32(f, rec) != tag) continue;
        uint32_t o = u32(f, rec + 8), l = u32(f, rec + 12);
        if (!have(f, o, l)) return TTF_ETRUNC;
        *off = o;
        if (len) *len = l;
        return TTF_OK;
    }
    *off = 0;
    if (len) *len = 0;
    return TTF_OK;
}

/* Copies a name-table string (UTF-16BE or single-byte) as ASCII into out. */
static void copy_name(const ttf_font *f, uint32_t off, unsigned len, bool utf16, char *out, size_t size) {
    size_t k = 0;
    unsigned step = utf16 ? 2 : 1;
    for (unsigned i = 0; i + step <= len && k + 1 < size; i += step) {
        unsigned c = utf16 ? u16(f, off + i) : u8(f, off + i);
        out[k++] = (c >= 32 && c < 127) ? (char)c : '?';
    }
    out[k] = '\0';
}

/* Family and style: the typographic names (16, 17) when present, else 1 and 2; Windows
 * Unicode records preferred over Macintosh Roman ones. */
static void read_names(ttf_font *f) {
    strcpy(f->family, "");
    strcpy(f->style, "Regular");
    if (!f->name || f->name_len < 6) return;
    unsigned count = u16(f, f->name + 2), strings = u16(f, f->name + 4);
    if (!have(f, f->name + 6, count * 12u)) return;
    int best_rank[2] = {0, 0};
    for (unsigned i = 0; i < count; i++) {
        uint32_t r = f->name + 6 + 12 * i;
        unsigned pid = u16(f, r), eid = u16(f, r + 2), lang = u16(f, r + 4), nid = u16(f, r + 6);
        unsigned len = u16(f, r + 8), off = u16(f, r + 10);
        int which = (nid == 1 || nid == 16) ? 0 : (nid == 2 || nid == 17) ? 1 : -1;
        if (which < 0) continue;
        bool win = pid == 3 && (eid == 1 || eid == 0 || eid == 10);
        bool mac = pid == 1 && eid == 0;
        bool uni = pid == 0;
        if (!win && !mac && !uni) continue;
        int rank = (nid >= 16 ? 8 : 0) + (win ? (lang == 0x409 ? 4 : 3) : uni ? 2 : 1);
        if (rank <= best_rank[which]) continue;
        uint32_t at = f->name + strings + off;
        if (!have(f, at, len)) continue;
        best_rank[which] = rank;
        if (which == 0) copy_name(f, at, len, !mac, f->family, sizeof f->family);
        else copy_name(f, at, len, !mac, f->style, sizeof f->style);
    }
}

/* Chooses the best Unicode cmap subtable: full-repertoire (3,10)/(0,4+) format 12 first,
 * then BMP format 4, then the Windows Symbol encoding, then anything readable. */
static void choose_cmap(ttf_font *f) {
    f->cmap_format = -1;
    if (!f->cmap || !have(f, f->cmap, 4)) return;
    unsigned n = u16(f, f->cmap + 2);
    if (!have(f, f->cmap + 4, n * 8u)) return;
    int best = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t r = f->cmap + 4 + 8 * i;
        unsigned pid = u16(f, r), eid = u16(f, r + 2);
        uint32_t sub = f->cmap + u32(f, r + 4);
        if (!have(f, sub, 2)) continue;
        int fmt = (int)u16(f, sub);
        if (fmt != 0 && fmt != 4 && fmt != 6 && fmt != 12) continue;
        int rank = 0;
        bool unicode = pid == 0 || (pid == 3 && (eid == 1 || eid == 10));
        if (unicode && fmt == 12) rank = 6;
        else if (unicode && fmt == 4) rank = 5;
        else if (unicode) rank = 4;
        else if (pid == 3 && eid == 0) rank = 3;
        else if (pid == 1) rank = 1;
        if (rank > best) {
            best = rank;
            f->cmap_sub = sub;
            f->cmap_format = fmt;
            f->symbol = pid == 3 && eid == 0;
        }
    }
}

int ttf_open(ttf_font *f, const uint8_t *data, size_t len, int index) {
    memset(f, 0, sizeof *f);
    f->data = data;
    f->len = len > 0x7fffffffu ? 0x7fffffffu : (uint32_t)len;
    if (!have(f, 0, 12)) return TTF_ETRUNC;
    uint32_t dir = 0;
    uint32_t tag = u32(f, 0);
    if (tag == TAG('t', 't', 'c', 'f')) {
        uint32_t n = u32(f, 8);
        if (index < 0 || (uint32_t)index >= n || !have(f, 12, n * 4)) return TTF_EFORMAT;
        dir = u32(f, 12 + 4 * (uint32_t)index);
        if (!have(f, dir, 12)) return TTF_ETRUNC;
        tag = u32(f, dir);
    }
    if (tag == TAG('O', 'T', 'T', 'O')) return TTF_ECFF;
    if (tag != 0x00010000u && tag != TAG('t', 'r', 'u', 'e')) return TTF_EFORMAT;

    uint32_t hl, ml, hhl, cl, ol;
    int e;
    if ((e = find_table(f, dir, TAG('h', 'e', 'a', 'd'), &f->head, &hl)) ||
        (e = find_table(f, dir, TAG('m', 'a', 'x', 'p'), &f->maxp, &ml)) ||
        (e = find_table(f, dir, TAG('h', 'h', 'e', 'a'), &f->hhea, &hhl)) ||
        (e = find_table(f, dir, TAG('h', 'm', 't', 'x'), &f->hmtx, &f->hmtx_len)) ||
        (e = find_table(f, dir, TAG('l', 'o', 'c', 'a'), &f->loca, &f->loca_len)) ||
        (e = find_table(f, dir, TAG('g', 'l', 'y', 'f'), &f->glyf, &f->glyf_len)) ||
        (e = find_table(f, dir, TAG('c', 'm', 'a', 'p'), &f->cmap, &cl)) ||
        (e = find_table(f, dir, TAG('k', 'e', 'r', 'n'), &f->kern, &f->kern_len)) ||
        (e = find_table(f, dir, TAG('G', 'P', 'O', 'S'), &f->gpos, &f->gpos_len)) ||
        (e = find_table(f, dir, TAG('G', 'D', 'E', 'F'), &f->gdef, &f->gdef_len)) ||
        (e = find_table(f, dir, TAG('O', 'S', '/', '2'), &f->os2, &ol)) ||
        (e = find_table(f, dir, TAG('n', 'a', 'm', 'e'), &f->name, &f->name_len)))
        return e;
    if (!f->head || hl < 54 || !f->maxp || ml < 6 || !f->hhea || hhl < 36 || !f->hmtx ||
        !f->loca || !f->cmap) {
        uint32_t cff;
        find_table(f, dir, TAG('C', 'F', 'F', ' '), &cff, NULL);
        return cff ? TTF_ECFF : TTF_EFORMAT;
    }
    f->units_per_em = (int)u16(f, f->head + 18);
    if (f->units_per_em < 16 || f->units_per_em > 16384) return TTF_EFORMAT;
    f->head_flags = (uint16_t)u16(f, f->head + 16);
    f->loca_long = s16(f, f->head + 50) != 0;
    f->nglyphs = (int)u16(f, f->maxp + 4);
    f->ascender = s16(f, f->hhea + 4);
    f->descender = s16(f, f->hhea + 6);
    f->line_gap = s16(f, f->hhea + 8);
    f->nhmetrics = (int)u16(f, f->hhea + 34);
    if (f->nhmetrics == 0 || (uint32_t)f->nhmetrics * 4 > f->hmtx_len) return TTF_ETRUNC;
    uint32_t loca_need = (uint32_t)(f->nglyphs + 1) * (f->loca_long ? 4u : 2u);
    if (loca_need > f->loca_len) return TTF_ETRUNC;
    f->has_os2 = f->os2 && ol >= 78;
    if (f->has_os2) {
        f->typo_ascender = s16(f, f->os2 + 68);
        f->typo_descender = s16(f, f->os2 + 70);
        f->typo_line_gap = s16(f, f->os2 + 72);
    } else {
        f->typo_ascender = f->ascender;
        f->typo_descender = f->descender;
        f->typo_line_gap = f->line_gap;
    }
    choose_cmap(f);
    read_names(f);
    return TTF_OK;
}

/* ---------------------------------------------------------------- cmap */

static uint32_t cmap4(const ttf_font *f, uint32_t t, uint32_t c) {
    if (c > 0xffff || !have(f, t, 14)) return 0;
    unsigned segx2 = u16(f, t + 6);
    unsigned nseg = segx2 / 2;
    uint32_t ends = t + 14, starts = ends + segx2 + 2, deltas = starts + segx2, ranges = deltas + segx2;
    if (!have(f, ends, segx2 * 4u + 2)) return 0;
    /* binary search for the first segment whose end >= c */
    unsigned lo = 0, hi = nseg;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (u16(f, ends + 2 * mid) < c) lo = mid + 1;
        else hi = mid;
    }
    if (lo >= nseg) return 0;
    unsigned start = u16(f, starts + 2 * lo);
    if (c < start) return 0;
    unsigned delta = u16(f, deltas + 2 * lo);
    unsigned roff = u16(f, ranges + 2 * lo);
    if (roff == 0) return (c + delta) & 0xffff;
    uint32_t at = ranges + 2 * lo + roff + 2 * (c - start);
    unsigned g = u16(f, at);
    return g ? (g + delta) & 0xffff : 0;
}

static uint32_t cmap12(const ttf_font *f, uint32_t t, uint32_t c) {
    uint32_t n = u32(f, t + 12);
    if (!have(f, t + 16, 0) || n > (f->len - (t + 16)) / 12) return 0;
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t g = t + 16 + 12 * mid;
        if (u32(f, g + 4) < c) lo = mid + 1;
        else hi = mid;
    }
    if (lo >= n) return 0;
    uint32_t g = t + 16 + 12 * lo;
    uint32_t start = u32(f, g), end = u32(f, g + 4);
    if (c < start || c > end) return 0;
    return u32(f, g + 8) + (c - start);
}

uint32_t ttf_glyph_index(const ttf_font *f, uint32_t c) {
    uint32_t t = f->cmap_sub, g = 0;
    switch (f->cmap_format) {
    case 0:
        g = c < 256 ? u8(f, t + 6 + c) : 0;
        break;
    case 4:
        g = cmap4(f, t, c);
        break;
    case 6: {
        unsigned first = u16(f, t + 6), count = u16(f, t + 8);
        g = (c >= first && c - first < count) ? u16(f, t + 10 + 2 * (c - first)) : 0;
        break;
    }
    case 12:
        g = cmap12(f, t, c);
        break;
    default:
        break;
    }
    return g < (uint32_t)f->nglyphs ? g : 0;
}

int ttf_advance(const ttf_font *f, uint32_t glyph) {
    uint32_t i = glyph < (uint32_t)f->nhmetrics ? glyph : (uint32_t)f->nhmetrics - 1;
    return (int)u16(f, f->hmtx + 4 * i);
}

/* ---------------------------------------------------------------- OpenType common tables */

/* Format 2 of coverage and class-definition tables: sorted (start, end, value) records of
 * six bytes after a count at tab + 2. The offset of the record whose range holds glyph g,
 * or 0 (no record starts at offset 0). */
static uint32_t range_record(const ttf_font *f, uint32_t tab, uint32_t g) {
    unsigned lo = 0, hi = u16(f, tab + 2);
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        uint32_t r = tab + 4 + 6 * mid;
        if (g < u16(f, r)) hi = mid;
        else if (g > u16(f, r + 2)) lo = mid + 1;
        else return r;
    }
    return 0;
}

/* Coverage index of a glyph, or -1. */
static int coverage_index(const ttf_font *f, uint32_t cov, uint32_t g) {
    unsigned fmt = u16(f, cov);
    if (fmt == 1) {
        unsigned n = u16(f, cov + 2);
        unsigned lo = 0, hi = n;
        while (lo < hi) {
            unsigned mid = (lo + hi) / 2;
            unsigned v = u16(f, cov + 4 + 2 * mid);
            if (v == g) return (int)mid;
            if (v < g) lo = mid + 1;
            else hi = mid;
        }
    } else if (fmt == 2) {
        uint32_t r = range_record(f, cov, g);
        if (r) return (int)(u16(f, r + 4) + (g - u16(f, r)));
    }
    return -1;
}

static unsigned class_of(const ttf_font *f, uint32_t cd, uint32_t g) {
    unsigned fmt = u16(f, cd);
    if (fmt == 1) {
        unsigned start = u16(f, cd + 2), n = u16(f, cd + 4);
        return (g >= start && g - start < n) ? u16(f, cd + 6 + 2 * (g - start)) : 0;
    }
    if (fmt == 2) {
        uint32_t r = range_record(f, cd, g);
        if (r) return u16(f, r + 4);
    }
    return 0;
}

bool ttf_is_mark(const ttf_font *f, uint32_t glyph) {
    if (!f->gdef || f->gdef_len < 12) return false;
    unsigned off = u16(f, f->gdef + 4);
    return off && class_of(f, f->gdef + off, glyph) == 3;
}

/* ---------------------------------------------------------------- GPOS pair kerning */

static const uint32_t DFLT = TAG('D', 'F', 'L', 'T');

static uint32_t tag_of(const char *s) {
    char t[4] = {' ', ' ', ' ', ' '};
    for (int i = 0; i < 4 && s && s[i]; i++) t[i] = s[i];
    return TAG((uint8_t)t[0], (uint8_t)t[1], (uint8_t)t[2], (uint8_t)t[3]);
}

/* Offset of the default LangSys of the script `want` (or DFLT, or the first script). */
static uint32_t gpos_langsys(const ttf_font *f, uint32_t want) {
    uint32_t sl = f->gpos + u16(f, f->gpos + 4);
    unsigned n = u16(f, sl);
    uint32_t found = 0, dflt = 0, first = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t r = sl + 2 + 6 * i;
        uint32_t script = sl + u16(f, r + 4);
        unsigned d = u16(f, script);
        if (!d) continue;
        uint32_t ls = script + d;
        if (!first) first = ls;
        if (u32(f, r) == want) found = ls;
        if (u32(f, r) == DFLT) dflt = ls;
    }
    return found ? found : dflt ? dflt : first;
}

void ttf_kerning_init(ttf_kerning *k, const ttf_font *f, const char *script) {
    memset(k, 0, sizeof *k);
    k->font = f;
    if (f->gpos && f->gpos_len >= 10 && u16(f, f->gpos) == 1) {
        uint32_t ls = gpos_langsys(f, tag_of(script));
        uint32_t fl = f->gpos + u16(f, f->gpos + 6);
        uint32_t ll = f->gpos + u16(f, f->gpos + 8);
        unsigned nfeat = u16(f, fl), nlook = u16(f, ll);
        /* collect the lookup indices of every kern feature of the LangSys, then keep them
         * in lookup-list order (the order a shaper applies them in) */
        uint8_t want[65536 / 8];
        memset(want, 0, sizeof want);
        bool any = false;
        if (ls) {
            unsigned nidx = u16(f, ls + 4);
            for (unsigned i = 0; i < nidx; i++) {
                unsigned fi = u16(f, ls + 6 + 2 * i);
                if (fi >= nfeat) continue;
                uint32_t fr = fl + 2 + 6 * fi;
                if (u32(f, fr) != TAG('k', 'e', 'r', 'n')) continue;
                uint32_t feat = fl + u16(f, fr + 4);
                unsigned nl = u16(f, feat + 2);
                for (unsigned j = 0; j < nl; j++) {
                    unsigned li = u16(f, feat + 4 + 2 * j);
                    if (li < nlook) {
                        want[li / 8] |= (uint8_t)(1u << (li % 8));
                        any = true;
                    }
                }
            }
        }
        for (unsigned li = 0; any && li < nlook && k->nlookups < 64; li++)
            if (want[li / 8] & (1u << (li % 8))) k->lookups[k->nlookups++] = ll + u16(f, ll + 2 + 2 * li);
        if (any) return;
    }
    k->legacy = f->kern && f->kern_len >= 4 && u16(f, f->kern) == 0;
}

static int value_size(unsigned vf) {
    int n = 0;
    for (unsigned b = vf & 0xff; b; b &= b - 1) n++;
    return 2 * n;
}

/* Reads the placement/advance fields of a ValueRecord (device tables ignored: they only
 * matter for hinted bitmaps). */
static void read_value(const ttf_font *f, uint32_t at, unsigned vf, int32_t *xp, int32_t *yp,
                       int32_t *xa, int32_t *ya) {
    if (vf & 1) { *xp += s16(f, at); at += 2; }
    if (vf & 2) { *yp += s16(f, at); at += 2; }
    if (vf & 4) { *xa += s16(f, at); at += 2; }
    if (vf & 8) { *ya += s16(f, at); }
}

/* Tries one PairPos subtable on (g1, g2); returns 0 when it does not apply, 1 when it
 * did, 2 when it did and also positioned the second glyph. */
static int pair_subtable(const ttf_font *f, uint32_t st, uint32_t g1, uint32_t g2,
                         ttf_glyph_pos *p1, ttf_glyph_pos *p2) {
    unsigned fmt = u16(f, st);
    int ci = coverage_index(f, st + u16(f, st + 2), g1);
    if (ci < 0) return 0;
    unsigned vf1 = u16(f, st + 4), vf2 = u16(f, st + 6);
    int s1 = value_size(vf1), s2 = value_size(vf2);
    if (fmt == 1) {
        unsigned nsets = u16(f, st + 8);
        if ((unsigned)ci >= nsets) return 0;
        uint32_t ps = st + u16(f, st + 10 + 2 * (unsigned)ci);
        unsigned n = u16(f, ps);
        uint32_t rec = 2u + (uint32_t)s1 + (uint32_t)s2;
        unsigned lo = 0, hi = n;
        while (lo < hi) {
            unsigned mid = (lo + hi) / 2;
            uint32_t r = ps + 2 + rec * mid;
            unsigned second = u16(f, r);
            if (second == g2) {
                read_value(f, r + 2, vf1, &p1->x_offset, &p1->y_offset, &p1->x_advance, &p1->y_advance);
                read_value(f, r + 2 + (uint32_t)s1, vf2, &p2->x_offset, &p2->y_offset, &p2->x_advance,
                           &p2->y_advance);
                return vf2 ? 2 : 1;
            }
            if (second < g2) lo = mid + 1;
            else hi = mid;
        }
        return 0;
    }
    if (fmt == 2) {
        unsigned c1 = class_of(f, st + u16(f, st + 8), g1);
        unsigned c2 = class_of(f, st + u16(f, st + 10), g2);
        unsigned n1 = u16(f, st + 12), n2 = u16(f, st + 14);
        if (c1 >= n1 || c2 >= n2) return 0;
        uint32_t r = st + 16 + ((uint32_t)c1 * n2 + c2) * (uint32_t)(s1 + s2);
        read_value(f, r, vf1, &p1->x_offset, &p1->y_offset, &p1->x_advance, &p1->y_advance);
        read_value(f, r + (uint32_t)s1, vf2, &p2->x_offset, &p2->y_offset, &p2->x_advance, &p2->y_advance);
        return vf2 ? 2 : 1;
    }
    return 0;
}

/* Applies a lookup to the pair; returns as pair_subtable. */
static int pair_lookup(const ttf_font *f, uint32_t lk, uint32_t g1, uint32_t g2, ttf_glyph_pos *p1,
                       ttf_glyph_pos *p2) {
    unsigned type = u16(f, lk), n = u16(f, lk + 4);
    for (unsigned i = 0; i < n; i++) {
        uint32_t st = lk + u16(f, lk + 6 + 2 * i);
        unsigned t = type;
        if (t == 9 && u16(f, st) == 1) {
            t = u16(f, st + 2);
            st += u32(f, st + 4);
        }
        if (t != 2) continue;
        int r = pair_subtable(f, st, g1, g2, p1, p2);
        if (r) return r;
    }
    return 0;
}

static int legacy_kern(const ttf_font *f, uint32_t g1, uint32_t g2) {
    unsigned ntables = u16(f, f->kern + 2);
    uint32_t t = f->kern + 4;
    int total = 0;
    for (unsigned i = 0; i < ntables && have(f, t, 6); i++) {
        unsigned len = u16(f, t + 2), cov = u16(f, t + 4);
        /* horizontal (bit 0), format 0, not cross-stream, not minimum values */
        if ((cov & 1) && (cov >> 8) == 0 && !(cov & 6)) {
            unsigned n = u16(f, t + 6);
            uint32_t key = (g1 << 16) | g2;
            unsigned lo = 0, hi = n;
            while (lo < hi) {
                unsigned mid = (lo + hi) / 2;
                uint32_t r = t + 14 + 6 * mid;
                uint32_t k = u32(f, r);
                if (k == key) {
                    total += s16(f, r + 4);
                    break;
                }
                if (k < key) lo = mid + 1;
                else hi = mid;
            }
        }
        if (len < 6) break;
        t += len;
    }
    return total;
}

void ttf_kerning_apply(const ttf_kerning *k, const uint32_t *glyphs, int n, ttf_glyph_pos *pos) {
    const ttf_font *f = k->font;
    if (k->legacy) {
        for (int i = 0; i + 1 < n; i++) pos[i].x_advance += legacy_kern(f, glyphs[i], glyphs[i + 1]);
        return;
    }
    for (int l = 0; l < k->nlookups; l++) {
        uint32_t lk = k->lookups[l];
        bool skip_marks = (u16(f, lk + 2) & 8) != 0;
        for (int i = 0; i < n;) {
            if (skip_marks && ttf_is_mark(f, glyphs[i])) {
                i++;
                continue;
            }
            int j = i + 1;
            while (skip_marks && j < n && ttf_is_mark(f, glyphs[j])) j++;
            if (j >= n) break;
            int r = pair_lookup(f, lk, glyphs[i], glyphs[j], &pos[i], &pos[j]);
            i = r == 2 ? j + 1 : j;
        }
    }
}

/* ---------------------------------------------------------------- glyf outlines */

static bool glyph_range(const ttf_font *f, uint32_t g, uint32_t *off, uint32_t *len) {
    if (g >= (uint32_t)f->nglyphs) return false;
    uint32_t a, b;
    if (f->loca_long) {
        a = u32(f, f->loca + 4 * g);
        b = u32(f, f->loca + 4 * g + 4);
    } else {
        a = 2 * u16(f, f->loca + 2 * g);
        b = 2 * u16(f, f->loca + 2 * g + 2);
    }
    if (b < a || b > f->glyf_len) return false;
    *off = f->glyf + a;
    *len = b - a;
    return true;
}

static void reserve(facet_ctx *ctx, ttf_outline *o, int32_t npts, int32_t ncont) {
    if (npts > o->cap_points) {
        int32_t cap = o->cap_points ? o->cap_points : 64;
        while (cap < npts) cap *= 2;
        o->x = fc_realloc_array(ctx, o->x, (size_t)cap, sizeof *o->x);
        o->y = fc_realloc_array(ctx, o->y, (size_t)cap, sizeof *o->y);
        o->on = fc_realloc_array(ctx, o->on, (size_t)cap, sizeof *o->on);
        o->cap_points = cap;
    }
    if (ncont > o->cap_contours) {
        int32_t cap = o->cap_contours ? o->cap_contours : 8;
        while (cap < ncont) cap *= 2;
        o->end = fc_realloc_array(ctx, o->end, (size_t)cap, sizeof *o->end);
        o->cap_contours = cap;
    }
}

static int simple_glyph(facet_ctx *ctx, const ttf_font *f, uint32_t at, uint32_t len, int ncont,
                        ttf_outline *o) {
    uint32_t endp = at + 10;
    if (len < 10 + 2u * (uint32_t)ncont + 2) return TTF_EGLYPH;
    int32_t npts = 0;
    for (int c = 0; c < ncont; c++) {
        int32_t e = (int32_t)u16(f, endp + 2 * (uint32_t)c);
        if (c > 0 && e < npts) return TTF_EGLYPH; /* end points must increase */
        npts = e + 1;
    }
    if (o->npoints + npts > TTF_MAX_POINTS) return TTF_ETOOBIG;
    uint32_t ins = endp + 2 * (uint32_t)ncont;
    uint32_t p = ins + 2 + u16(f, ins);
    uint32_t lim = at + len;
    if (p > lim) return TTF_EGLYPH;
    int32_t base = o->npoints;
    reserve(ctx, o, base + npts, o->ncontours + ncont);
    uint8_t *flags = o->on + base;
    /* flags, with repeats */
    for (int32_t i = 0; i < npts;) {
        if (p >= lim) return TTF_EGLYPH;
        unsigned fl = u8(f, p++);
        unsigned rep = 0;
        if (fl & 8) {
            if (p >= lim) return TTF_EGLYPH;
            rep = u8(f, p++);
        }
        for (unsigned r = 0; r <= rep && i < npts; r++) flags[i++] = (uint8_t)fl;
    }
    /* x then y: short (1 byte, sign from the "same" bit) or long deltas, or repeat */
    for (int axis = 0; axis < 2; axis++) {
        unsigned short_bit = axis ? 4 : 2, same_bit = axis ? 32 : 16;
        double *out = axis ? o->y + base : o->x + base;
        int v = 0;
        for (int32_t i = 0; i < npts; i++) {
            unsigned fl = flags[i];
            if (fl & short_bit) {
                if (p + 1 > lim) return TTF_EGLYPH;
                int d = (int)u8(f, p++);
                v += (fl & same_bit) ? d : -d;
            } else if (!(fl & same_bit)) {
                if (p + 2 > lim) return TTF_EGLYPH;
                v += s16(f, p);
                p += 2;
            }
            out[i] = v;
        }
    }
    for (int32_t i = 0; i < npts; i++) flags[i] &= 1;
    for (int c = 0; c < ncont; c++) o->end[o->ncontours + c] = base + (int32_t)u16(f, endp + 2 * (uint32_t)c);
    o->npoints += npts;
    o->ncontours += ncont;
    return TTF_OK;
}

static double f2dot14(const ttf_font *f, uint32_t at) {
    return s16(f, at) / 16384.0;
}

static int load_glyph(facet_ctx *ctx, const ttf_font *f, uint32_t g, ttf_outline *o, int depth);

static int composite_glyph(facet_ctx *ctx, const ttf_font *f, uint32_t at, uint32_t len,
                           ttf_outline *o, int depth) {
    uint32_t p = at + 10, lim = at + len;
    int32_t first = o->npoints; /* points of this composite start here */
    for (;;) {
        if (p + 4 > lim) return TTF_EGLYPH;
        unsigned fl = u16(f, p), comp = u16(f, p + 2);
        p += 4;
        int a1, a2;
        if (fl & 1) {
            if (p + 4 > lim) return TTF_EGLYPH;
            a1 = (fl & 2) ? s16(f, p) : (int)u16(f, p);
            a2 = (fl & 2) ? s16(f, p + 2) : (int)u16(f, p + 2);
            p += 4;
        } else {
            if (p + 2 > lim) return TTF_EGLYPH;
            a1 = (int)u8(f, p);
            a2 = (int)u8(f, p + 1);
            if (fl & 2) {
                a1 = a1 >= 128 ? a1 - 256 : a1;
                a2 = a2 >= 128 ? a2 - 256 : a2;
            }
            p += 2;
        }
        double xx = 1, xy = 0, yx = 0, yy = 1;
        if (fl & 8) {
            if (p + 2 > lim) return TTF_EGLYPH;
            xx = yy = f2dot14(f, p);
            p += 2;
        } else if (fl & 0x40) {
            if (p + 4 > lim) return TTF_EGLYPH;
            xx = f2dot14(f, p);
            yy = f2dot14(f, p + 2);
            p += 4;
        } else if (fl & 0x80) {
            if (p + 8 > lim) return TTF_EGLYPH;
            xx = f2dot14(f, p);
            yx = f2dot14(f, p + 2);
            xy = f2dot14(f, p + 4);
            yy = f2dot14(f, p + 6);
            p += 8;
        }
        int32_t start = o->npoints;
        int e = load_glyph(ctx, f, comp, o, depth + 1);
        if (e) return e;
        for (int32_t i = start; i < o->npoints; i++) {
            double x = o->x[i], y = o->y[i];
            o->x[i] = xx * x + xy * y;
            o->y[i] = yx * x + yy * y;
        }
        double dx, dy;
        if (fl & 2) {
            dx = a1;
            dy = a2;
            if ((fl & 0x800) && !(fl & 0x1000)) { /* scaled component offset */
                double tx = xx * dx + xy * dy, ty = yx * dx + yy * dy;
                dx = tx;
                dy = ty;
            }
        } else {
            /* point matching: parent point a1 coincides with component point a2 */
            int32_t pi = first + a1, ci = start + a2;
            if (a1 < 0 || a2 < 0 || pi >= start || ci >= o->npoints) return TTF_EGLYPH;
            dx = o->x[pi] - o->x[ci];
            dy = o->y[pi] - o->y[ci];
        }
        for (int32_t i = start; i < o->npoints; i++) {
            o->x[i] += dx;
            o->y[i] += dy;
        }
        if (!(fl & 0x20)) break;
    }
    return TTF_OK;
}

static int load_glyph(facet_ctx *ctx, const ttf_font *f, uint32_t g, ttf_outline *o, int depth) {
    if (depth > TTF_MAX_DEPTH) return TTF_EDEPTH;
    fc_tick(ctx);
    uint32_t at, len;
    if (!glyph_range(f, g, &at, &len)) return TTF_EGLYPH;
    if (len == 0) return TTF_OK; /* an empty glyph (space) */
    if (len < 10) return TTF_EGLYPH;
    int ncont = s16(f, at);
    if (ncont >= 0) return simple_glyph(ctx, f, at, len, ncont, o);
    return composite_glyph(ctx, f, at, len, o, depth);
}

int ttf_glyph_outline(facet_ctx *ctx, const ttf_font *f, uint32_t glyph, ttf_outline *o) {
    if (!f->glyf) return TTF_EFORMAT;
    return load_glyph(ctx, f, glyph, o, 0);
}

void ttf_outline_free(facet_ctx *ctx, ttf_outline *o) {
    fc_free(ctx, o->x);
    fc_free(ctx, o->y);
    fc_free(ctx, o->on);
    fc_free(ctx, o->end);
    memset(o, 0, sizeof *o);
}
