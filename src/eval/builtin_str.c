/*
 * builtin_str.c — the string built-ins: str chr ord.
 *
 * str() concatenates its arguments as echo prints them, except that strings go in without
 * quotes. chr() turns numbers into characters and walks vectors and ranges of them,
 * silently skipping anything that is not a valid code point (0, negatives, surrogates,
 * values past U+10FFFF, non-numbers), as OpenSCAD does.
 */
#include "eval/builtin.h"

#include <math.h>

/* Ranges longer than this are refused by chr(), with OpenSCAD's for-loop warning. */
enum { CHR_MAX_RANGE = 10000 };
/* Vectors nested deeper than this are ignored by chr() rather than exhausting the stack. */
enum { CHR_MAX_DEPTH = 1000 };

val bi_fn_str(bi_call *c) {
    sbuf b;
    sb_init(&b, c->ctx);
    for (int i = 0; i < c->nargs; i++) val_format_str(c->ctx, &b, c->args[i]);
    val r = val_str_new(c->ctx, b.data ? b.data : "", b.len);
    sb_free(&b);
    return r;
}

static void chr_number(sbuf *b, double d) {
    if (!(d > 0)) return;
    /* OpenSCAD converts to a 32-bit gunichar with a plain C++ cast */
    uint32_t cp = bi_to_u32(d);
    if (cp == 0 || cp >= 0x110000 || (cp >= 0xD800 && cp <= 0xDFFF)) return;
    val_utf8_put(b, cp);
}

static void chr_value(bi_call *c, sbuf *b, val v, int depth) {
    switch (v.type) {
    case VAL_NUM: chr_number(b, v.u.n); break;
    case VAL_VEC:
        if (depth >= CHR_MAX_DEPTH) return;
        for (uint32_t i = 0; i < v.u.v->n; i++) chr_value(c, b, v.u.v->items[i], depth + 1);
        break;
    case VAL_RANGE: {
        uint64_t n = val_range_count(v.u.r);
        if (n >= CHR_MAX_RANGE) {
            fc_log(c->ctx, FACET_LOG_WARNING,
                   "Bad range parameter in for statement: too many elements (%llu).",
                   (unsigned long long)n);
            return;
        }
        uint64_t m = val_range_iter_count(v.u.r);
        for (uint64_t i = 0; i < m; i++) chr_number(b, val_range_at(v.u.r, i));
        break;
    }
    default: break;
    }
}

val bi_fn_chr(bi_call *c) {
    sbuf b;
    sb_init(&b, c->ctx);
    for (int i = 0; i < c->nargs; i++) chr_value(c, &b, c->args[i], 0);
    val r = val_str_new(c->ctx, b.data ? b.data : "", b.len);
    sb_free(&b);
    return r;
}

val bi_fn_ord(bi_call *c) {
    static const val_type t[1] = {VAL_STR};
    if (!bi_check(c, 1, t)) return val_undef();
    const val_str *s = c->args[0].u.s;
    if (!val_utf8_valid(s->data, s->len)) {
        bi_warn(c, "ord() argument '%s' is not a valid utf8 string", s->data);
        return val_undef();
    }
    if (s->nchars == 0) return val_undef();
    return val_num((double)val_utf8_decode(s->data, s->len));
}
