/*
 * sbuf.c — growable buffer.
 */
#include "core/sbuf.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void sb_init(sbuf *b, facet_ctx *ctx) {
    b->ctx = ctx;
    b->data = NULL;
    b->len = b->cap = 0;
}

void sb_free(sbuf *b) {
    fc_free(b->ctx, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void sb_reserve(sbuf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return;
    size_t c = b->cap ? b->cap : 64;
    while (c < b->len + extra + 1) c += c / 2;
    b->data = fc_realloc(b->ctx, b->data, c);
    b->cap = c;
}

void sb_put(sbuf *b, const void *data, size_t n) {
    sb_reserve(b, n);
    if (n) memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sb_putc(sbuf *b, char c) {
    sb_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

void sb_vprintf(sbuf *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0) return;
    sb_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sb_printf(sbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

void sb_json_str(sbuf *b, const char *s, size_t n) {
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': sb_puts(b, "\\\""); break;
        case '\\': sb_puts(b, "\\\\"); break;
        case '\n': sb_puts(b, "\\n"); break;
        case '\r': sb_puts(b, "\\r"); break;
        case '\t': sb_puts(b, "\\t"); break;
        default:
            if (c < 0x20) sb_printf(b, "\\u%04x", c);
            else sb_putc(b, (char)c);
        }
    }
    sb_putc(b, '"');
}

void sb_json_num(sbuf *b, double v) {
    if (!isfinite(v)) {
        sb_puts(b, "null");
        return;
    }
    char tmp[40];
    /* shortest representation that reads back to the same double */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v) break;
    }
    sb_puts(b, tmp);
}

void sb_u16le(sbuf *b, uint16_t v) {
    unsigned char c[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    sb_put(b, c, 2);
}

void sb_u32le(sbuf *b, uint32_t v) {
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    sb_put(b, c, 4);
}

void sb_f32le(sbuf *b, float v) {
    uint32_t u;
    memcpy(&u, &v, 4);
    sb_u32le(b, u);
}

char *sb_take(sbuf *b, size_t *len) {
    if (!b->data) sb_reserve(b, 0), b->data[0] = '\0';
    char *d = b->data;
    if (len) *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}
