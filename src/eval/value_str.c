/*
 * value_str.c — UTF-8 strings the way OpenSCAD handles them.
 *
 * OpenSCAD counts and indexes strings through glib: the length of a character comes from
 * its first byte alone (a stray continuation byte is a one-byte character), a sequence cut
 * off by the end of the string is not counted, and decoding is lenient (a broken sequence
 * decodes to 0xFFFFFFFF instead of failing). Only ord() validates strictly. We follow the
 * same rules so len(), s[i], search() and ord() agree with OpenSCAD on malformed text too.
 */
#include "eval/value.h"

#include <string.h>

int val_utf8_skip(unsigned char c) {
    if (c < 0xC0) return 1;
    if (c < 0xE0) return 2;
    if (c < 0xF0) return 3;
    if (c < 0xF8) return 4;
    if (c < 0xFC) return 5;
    if (c < 0xFE) return 6;
    return 1;
}

uint32_t val_utf8_count(const char *s, size_t len) {
    /* glib's g_utf8_strlen with a byte limit: stops at a NUL byte, and drops a last
     * character that runs past the limit */
    if (len == 0 || s[0] == '\0') return 0;
    size_t p = (size_t)val_utf8_skip((unsigned char)s[0]);
    uint32_t n = 0;
    while (p < len && s[p]) {
        n++;
        p += (size_t)val_utf8_skip((unsigned char)s[p]);
    }
    if (p <= len) n++;
    return n;
}

uint32_t val_utf8_decode(const char *s, size_t len) {
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) return c;
    int n;
    uint32_t mask;
    if ((c & 0xE0) == 0xC0) n = 2, mask = 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 3, mask = 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 4, mask = 0x07;
    else if ((c & 0xFC) == 0xF8) n = 5, mask = 0x03;
    else if ((c & 0xFE) == 0xFC) n = 6, mask = 0x01;
    else return 0xFFFFFFFFu;
    uint32_t cp = c & mask;
    for (int i = 1; i < n; i++) {
        unsigned char d = (size_t)i < len ? (unsigned char)s[i] : 0;
        if ((d & 0xC0) != 0x80) return 0xFFFFFFFFu;
        cp = (cp << 6) | (d & 0x3F);
    }
    return cp;
}

bool val_utf8_valid(const char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0) return false; /* glib rejects NUL inside a counted string */
        if (c < 0x80) {
            i++;
            continue;
        }
        int n;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07, min = 0x10000;
        else return false;
        if (i + (size_t)n > len) return false;
        for (int k = 1; k < n; k++) {
            unsigned char d = (unsigned char)s[i + (size_t)k];
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += (size_t)n;
    }
    return true;
}

void val_utf8_put(sbuf *b, uint32_t cp) {
    char buf[4];
    int n;
    if (cp < 0x80) {
        buf[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        buf[0] = (char)(0xF0 | (cp >> 18));
        buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sb_put(b, buf, (size_t)n);
}

size_t val_str_offset(const val_str *s, uint64_t i) {
    if (i >= s->nchars) return s->len;
    if (s->nchars == s->len) return (size_t)i; /* plain ASCII: bytes are characters */
    size_t p = 0;
    for (uint64_t k = 0; k < i && p < s->len; k++) p += (size_t)val_utf8_skip((unsigned char)s->data[p]);
    return p < s->len ? p : s->len;
}

val val_str_char_next(facet_ctx *ctx, const val_str *s, size_t *off) {
    size_t a = *off, e = a + 1;
    while (e < s->len && ((unsigned char)s->data[e] & 0xC0) == 0x80) e++;
    *off = e;
    return val_str_new(ctx, s->data + a, e - a);
}

val val_str_char_at(facet_ctx *ctx, const val_str *s, uint64_t i) {
    if (i >= s->nchars) return val_undef();
    size_t p = val_str_offset(s, i);
    size_t n = (size_t)val_utf8_skip((unsigned char)s->data[p]);
    if (p + n > s->len) n = s->len - p;
    return val_str_new(ctx, s->data + p, n);
}
