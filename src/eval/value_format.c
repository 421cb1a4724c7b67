/*
 * value_format.c — values as text, byte for byte as OpenSCAD prints them in echo() and
 * builds them in str().
 *
 * Numbers: OpenSCAD converts with six significant digits in "precision" mode (the
 * double-conversion library's ToPrecision): the digits are the correctly rounded decimal
 * digits of the exact binary value, with exact ties rounded away from zero; the result is
 * plain decimal while the exponent is in [-5, 5] and "d.ddddde±X" outside; trailing zeros
 * (and a bare point) are trimmed, and -0 prints as "0". We take the digits from the C
 * library's exact "%e" conversion (17 digits), and only when those show a possible tie at
 * the seventh digit do we look at the full exact expansion to decide.
 *
 * Vectors are printed with an explicit stack: OpenSCAD reports an error instead of crashing
 * on absurdly nested vectors, and so do we (the C stack is small under WebAssembly).
 */
#include "eval/value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/parse.h"

/* Nesting depth past which printing a vector gives up, as OpenSCAD's stack check does. */
enum { FORMAT_MAX_DEPTH = 10000 };

/* Six correctly rounded significant digits of a > 0 (finite), ties away from zero, and the
 * decimal exponent of the first digit. */
static void six_digits(double a, char dig[6], int *exp10) {
    char s[40];
    snprintf(s, sizeof s, "%.16e", a); /* "D.DDDDDDDDDDDDDDDDe±XX" */
    char d17[17];
    d17[0] = s[0];
    memcpy(d17 + 1, s + 2, 16);
    int e = atoi(s + 19);
    const char *src = d17;
    char exact[830];
    bool tie_pattern = d17[6] == '5';
    for (int i = 7; i < 17 && tie_pattern; i++) tie_pattern = d17[i] == '0';
    if (tie_pattern) {
        /* the 17 digits cannot tell an exact tie from a value just beside it: every double
         * has a finite decimal expansion of at most 767 significant digits, so look at all
         * of it */
        snprintf(exact, sizeof exact, "%.800e", a);
        exact[1] = exact[0]; /* digits contiguous from exact+1 */
        src = exact + 1;
        e = atoi(strchr(exact, 'e') + 1);
    }
    memcpy(dig, src, 6);
    if (src[6] >= '5') {
        int i = 5;
        while (i >= 0 && dig[i] == '9') dig[i--] = '0';
        if (i >= 0) {
            dig[i]++;
        } else {
            dig[0] = '1'; /* 999999.5 -> 1000000: one more digit before the point */
            e++;
        }
    }
    *exp10 = e;
}

void val_format_num(sbuf *b, double d) {
    if (isnan(d)) {
        sb_puts(b, "nan");
        return;
    }
    if (isinf(d)) {
        sb_puts(b, d < 0 ? "-inf" : "inf");
        return;
    }
    if (d == 0) {
        sb_putc(b, '0'); /* -0 too */
        return;
    }
    char dig[6];
    int e;
    six_digits(fabs(d), dig, &e);
    int nd = 6;
    while (nd > 1 && dig[nd - 1] == '0') nd--;
    char out[40];
    int p = 0;
    if (d < 0) out[p++] = '-';
    if (e < -5 || e > 5) {
        out[p++] = dig[0];
        if (nd > 1) {
            out[p++] = '.';
            for (int i = 1; i < nd; i++) out[p++] = dig[i];
        }
        p += snprintf(out + p, sizeof out - (size_t)p, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    } else if (e >= 0) {
        for (int i = 0; i <= e; i++) out[p++] = dig[i];
        if (nd > e + 1) {
            out[p++] = '.';
            for (int i = e + 1; i < nd; i++) out[p++] = dig[i];
        }
    } else {
        out[p++] = '0';
        out[p++] = '.';
        for (int i = 0; i < -e - 1; i++) out[p++] = '0';
        for (int i = 0; i < nd; i++) out[p++] = dig[i];
    }
    sb_put(b, out, (size_t)p);
}

static void format_obj(facet_ctx *ctx, sbuf *b, const val_obj *o) {
    sb_puts(b, "{ ");
    for (uint32_t i = 0; i < o->n; i++) {
        val k = o->items[2 * i];
        if (k.type == VAL_STR) sb_put(b, k.u.s->data, k.u.s->len);
        sb_puts(b, " = ");
        val_format_nothrow(ctx, b, o->items[2 * i + 1]);
        sb_puts(b, "; ");
    }
    sb_putc(b, '}');
}

/* Everything but vectors, in echo form. */
static void format_scalar(facet_ctx *ctx, sbuf *b, val v) {
    switch (v.type) {
    case VAL_UNDEF: sb_puts(b, "undef"); break;
    case VAL_BOOL: sb_puts(b, v.u.b ? "true" : "false"); break;
    case VAL_NUM: val_format_num(b, v.u.n); break;
    case VAL_STR:
        sb_putc(b, '"');
        sb_put(b, v.u.s->data, v.u.s->len);
        sb_putc(b, '"');
        break;
    case VAL_RANGE:
        sb_putc(b, '[');
        val_format_num(b, v.u.r->begin);
        sb_puts(b, " : ");
        val_format_num(b, v.u.r->step);
        sb_puts(b, " : ");
        val_format_num(b, v.u.r->end);
        sb_putc(b, ']');
        break;
    case VAL_FUNC: ast_print_expr(b, v.u.f->lit); break;
    case VAL_OBJ: format_obj(ctx, b, v.u.o); break;
    default: break;
    }
}

typedef struct fmt_frame {
    const val_vec *v;
    uint32_t i;
} fmt_frame;

/* Prints vector v in echo form; false (with the output cut back to where it started) when
 * it is nested deeper than FORMAT_MAX_DEPTH. */
static bool format_vec(facet_ctx *ctx, sbuf *b, val v) {
    enum { LOCAL = 64 };
    fmt_frame local[LOCAL];
    fmt_frame *st = local;
    int n = 0, cap = LOCAL;
    size_t start = b->len;
    bool ok = true;
    sb_putc(b, '[');
    st[n++] = (fmt_frame){v.u.v, 0};
    while (n > 0) {
        fmt_frame *t = &st[n - 1];
        if (t->i == t->v->n) {
            sb_putc(b, ']');
            n--;
            continue;
        }
        if (t->i > 0) sb_puts(b, ", ");
        val item = t->v->items[t->i++];
        if (item.type != VAL_VEC) {
            format_scalar(ctx, b, item);
            continue;
        }
        if (n >= FORMAT_MAX_DEPTH) {
            ok = false;
            break;
        }
        if (n == cap) {
            fmt_frame *grown = fc_alloc(ctx, (size_t)cap * 2 * sizeof *grown);
            memcpy(grown, st, (size_t)n * sizeof *grown);
            if (st != local) fc_free(ctx, st);
            st = grown;
            cap *= 2;
        }
        sb_putc(b, '[');
        st[n++] = (fmt_frame){item.u.v, 0};
    }
    if (st != local) fc_free(ctx, st);
    if (!ok) {
        b->len = start;
        if (b->data) b->data[start] = '\0';
    }
    return ok;
}

void val_format(facet_ctx *ctx, sbuf *b, val v) {
    if (v.type != VAL_VEC) {
        format_scalar(ctx, b, v);
        return;
    }
    if (!format_vec(ctx, b, v))
        fc_throw(ctx, FACET_ERR_RECURSION_DEPTH, FC_NOLOC,
                 "Stack exhausted while trying to convert a vector to EchoString");
}

void val_format_nothrow(facet_ctx *ctx, sbuf *b, val v) {
    if (v.type != VAL_VEC)
        format_scalar(ctx, b, v);
    else if (!format_vec(ctx, b, v))
        sb_puts(b, "...");
}

void val_format_str(facet_ctx *ctx, sbuf *b, val v) {
    if (v.type == VAL_STR)
        sb_put(b, v.u.s->data, v.u.s->len);
    else
        val_format(ctx, b, v);
}
