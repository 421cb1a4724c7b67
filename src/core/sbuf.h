/*
 * sbuf.h — a growable byte/string buffer on the context allocator. Used for messages,
 * number formatting, JSON and the exporters.
 */
#ifndef FC_SBUF_H
#define FC_SBUF_H

#include "core/ctx.h"

typedef struct sbuf {
    facet_ctx *ctx;
    char *data; /* always NUL-terminated after the first write */
    size_t len, cap;
} sbuf;

void sb_init(sbuf *b, facet_ctx *ctx);
void sb_free(sbuf *b);
void sb_reserve(sbuf *b, size_t extra);
void sb_putc(sbuf *b, char c);
void sb_put(sbuf *b, const void *data, size_t n);
void sb_puts(sbuf *b, const char *s);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(sbuf *b, const char *fmt, va_list ap);
/* Writes s as a JSON string literal (quotes and escapes included). */
void sb_json_str(sbuf *b, const char *s, size_t n);
/* Writes a double as JSON: shortest round-trip form ("%.17g" trimmed), null for NaN/inf. */
void sb_json_num(sbuf *b, double v);
/* Little-endian binary writers for the binary exporters. */
void sb_u16le(sbuf *b, uint16_t v);
void sb_u32le(sbuf *b, uint32_t v);
void sb_f32le(sbuf *b, float v);
/* Returns the data (NUL-terminated, owned by the context) and resets the buffer. */
char *sb_take(sbuf *b, size_t *len);

#endif
