/*
 * lex.c — OpenSCAD's tokens, written to match the flex scanner of OpenSCAD's development
 * version rule for rule where it matters to users:
 *
 *  - flex picks the longest match, ties going to the earlier rule. That is why "1e5" is a
 *    number but "1e5x" an identifier (with a deprecation warning), "0x1F" a hexadecimal number
 *    but "0x1G" an identifier, and "1." a number.
 *  - Inside strings a raw newline is dropped (only the line count moves), \r is kept, an
 *    unknown escape warns "Undefined escape sequence" and keeps the escaped text, \x takes
 *    7-bit values only, and a NUL code point becomes a space.
 *  - Outside strings and comments any non-ASCII text is an error, except no-break spaces
 *    (editors insert them), which are whitespace.
 *  - Comments and strings may hold any bytes: OpenSCAD copies string bytes as they are
 *    (its own tests feed Latin-1 text to ord()), so invalid UTF-8 is only an error in code.
 *
 * Every token records where it starts and the line where it ends: OpenSCAD reports a syntax
 * error at the line the scanner has reached, which is the end of the offending token.
 */
#include "lang/lex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/intern.h"
#include "core/sbuf.h"

void lex_init(lex_state *lx, facet_ctx *ctx, int file, const char *src, size_t len,
              int main_file) {
    memset(lx, 0, sizeof *lx);
    lx->ctx = ctx;
    lx->main_file = main_file;
    lex_source s = {file, src, len, 0, 1, 1};
    FC_PUSH(ctx, lx->stack, lx->depth, lx->cap, s);
}

static inline lex_source *top(lex_state *lx) { return &lx->stack[lx->depth - 1]; }

static inline int peekc(const lex_source *s, size_t ahead) {
    return s->pos + ahead < s->len ? (unsigned char)s->src[s->pos + ahead] : -1;
}

/* Consumes one byte, keeping line and column. */
static inline void advance(lex_source *s) {
    if (s->src[s->pos] == '\n') {
        s->line++;
        s->col = 1;
    } else {
        s->col++;
    }
    s->pos++;
}

static inline fc_loc here(const lex_source *s) { return (fc_loc){s->file, s->line, s->col}; }

_Noreturn static void syntax_error_at(lex_state *lx, fc_loc loc, int line) {
    fc_loc l = {loc.file, line, loc.col};
    fc_throw(lx->ctx, FACET_ERR_SYNTAX, l, "Parser error: syntax error in file %s, line %d",
             fc_file_display(lx->ctx, loc.file), line);
}

_Noreturn void lex_syntax_error(lex_state *lx, const lex_token *t) {
    syntax_error_at(lx, t->loc, t->end_line);
}

/* OpenSCAD's scanner reports these itself ("Parser error: Unterminated string") before the
 * generic syntax error; we report the specific one, at the end of the input. */
_Noreturn static void unterminated(lex_state *lx, const char *what) {
    lex_source *s = top(lx);
    fc_loc l = here(s);
    fc_throw(lx->ctx, FACET_ERR_SYNTAX, l, "Parser error: Unterminated %s in file %s, line %d",
             what, fc_file_display(lx->ctx, s->file), s->line);
}

/* Length of the valid UTF-8 sequence at p (OpenSCAD's UNICODE pattern), 0 if none. */
static int utf8_len(const unsigned char *p, size_t avail) {
    int n;
    if (p[0] >= 0xc2 && p[0] <= 0xdf) n = 2;
    else if (p[0] >= 0xe0 && p[0] <= 0xef) n = 3;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4) n = 4;
    else return 0;
    if ((size_t)n > avail) return 0;
    for (int i = 1; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf) return 0;
    return n;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool is_idrest(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static void put_utf8(sbuf *b, unsigned long c) {
    if (c < 0x80) {
        sb_putc(b, (char)c);
    } else if (c < 0x800) {
        sb_putc(b, (char)(0xc0 | (c >> 6)));
        sb_putc(b, (char)(0x80 | (c & 0x3f)));
    } else if (c < 0x10000) {
        sb_putc(b, (char)(0xe0 | (c >> 12)));
        sb_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
        sb_putc(b, (char)(0x80 | (c & 0x3f)));
    } else {
        sb_putc(b, (char)(0xf0 | (c >> 18)));
        sb_putc(b, (char)(0x80 | ((c >> 12) & 0x3f)));
        sb_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
        sb_putc(b, (char)(0x80 | (c & 0x3f)));
    }
}

/* string -> '"' ( char | escape )* '"'   (the opening quote is already consumed) */
static void lex_string(lex_state *lx, lex_token *t) {
    lex_source *s = top(lx);
    sbuf b;
    sb_init(&b, lx->ctx);
    sb_reserve(&b, 16);
    for (;;) {
        int c = peekc(s, 0);
        if (c < 0) unterminated(lx, "string");
        if (c == '"') {
            advance(s);
            break;
        }
        if (c == '\n') { /* dropped, as OpenSCAD's scanner does */
            advance(s);
            continue;
        }
        if (c != '\\') {
            sb_putc(&b, (char)c);
            advance(s);
            continue;
        }
        /* escape */
        fc_loc at = here(s);
        int e = peekc(s, 1);
        const char *simple = NULL;
        switch (e) {
        case 'n': simple = "\n"; break;
        case 't': simple = "\t"; break;
        case 'r': simple = "\r"; break;
        case '\\': simple = "\\"; break;
        case '"': simple = "\""; break;
        case '\'': simple = "'"; break;
        default: break;
        }
        if (simple) {
            sb_putc(&b, simple[0]);
            advance(s);
            advance(s);
            continue;
        }
        if (e == 'x' && peekc(s, 2) >= '0' && peekc(s, 2) <= '7' && hexval(peekc(s, 3)) >= 0) {
            int v = (peekc(s, 2) - '0') * 16 + hexval(peekc(s, 3));
            sb_putc(&b, v == 0 ? ' ' : (char)v);
            for (int i = 0; i < 4; i++) advance(s);
            continue;
        }
        if (e == 'u' || e == 'U') {
            int ndig = e == 'u' ? 4 : 6;
            unsigned long v = 0;
            int i;
            for (i = 0; i < ndig; i++) {
                int h = hexval(peekc(s, 2 + (size_t)i));
                if (h < 0) break;
                v = v * 16 + (unsigned long)h;
            }
            /* Surrogates and values past U+10FFFF have no UTF-8 form: treated as unknown. */
            if (i == ndig && !(v >= 0xd800 && v <= 0xdfff) && v <= 0x10ffff) {
                if (v == 0) sb_putc(&b, ' ');
                else put_utf8(&b, v);
                for (int k = 0; k < 2 + ndig; k++) advance(s);
                continue;
            }
        }
        /* Unknown escape: warn and keep what follows the backslash. */
        fc_log_at(lx->ctx, FACET_LOG_WARNING, at, "Undefined escape sequence");
        advance(s);
    }
    t->kind = TK_STR;
    t->len = b.len;
    if (b.len) {
        t->str = sb_take(&b, NULL);
    } else {
        sb_free(&b);
        t->str = "";
    }
}

/* number -> digits | digits? '.' digits exp? | digits '.' digits? exp? | digits exp
 *         | '0x' hexdigits; an identifier wins when it is strictly longer. */
static size_t number_len(const lex_source *s, bool *hex) {
    size_t i = 0, best = 0;
    *hex = false;
    if (peekc(s, 0) == '0' && peekc(s, 1) == 'x' && hexval(peekc(s, 2)) >= 0) {
        size_t k = 2;
        while (hexval(peekc(s, k)) >= 0) k++;
        best = k;
        *hex = true;
    }
    while (is_digit(peekc(s, i))) i++;
    size_t intdig = i;
    size_t len = intdig;
    if (peekc(s, i) == '.') {
        size_t k = i + 1;
        while (is_digit(peekc(s, k))) k++;
        if (intdig > 0 || k > i + 1) len = k;
    }
    if (len > 0) {
        /* optional exponent (required for a bare integer to become a float, same result) */
        size_t k = len;
        if (peekc(s, k) == 'e' || peekc(s, k) == 'E') {
            k++;
            if (peekc(s, k) == '+' || peekc(s, k) == '-') k++;
            if (is_digit(peekc(s, k))) {
                while (is_digit(peekc(s, k))) k++;
                len = k;
            }
        }
    }
    if (len > best) {
        best = len;
        *hex = false;
    }
    return best;
}

static void lex_number(lex_state *lx, lex_token *t, size_t n, bool hex) {
    lex_source *s = top(lx);
    char small[64];
    char *text = n < sizeof small ? small : fc_alloc(lx->ctx, n + 1);
    memcpy(text, s->src + s->pos, n);
    text[n] = '\0';
    bool integer = hex || strspn(text, "0123456789") == n;
    t->kind = TK_NUM;
    if (integer) {
        errno = 0;
        unsigned long long ull = strtoull(hex ? text + 2 : text, NULL, hex ? 16 : 10);
        bool overflow = errno != 0;
        double d = (double)ull;
        bool exact = d < 18446744073709551616.0 && (unsigned long long)d == ull;
        if (hex && overflow) {
            fc_log_at(lx->ctx, FACET_LOG_WARNING, t->loc, "Hexadecimal constant \"%s\" too large",
                      text);
        } else if (overflow || !exact) {
            fc_log_at(lx->ctx, FACET_LOG_WARNING, t->loc,
                      "Integer \"%s\" cannot be represented precisely", text);
            if (!hex) d = strtod(text, NULL);
        }
        t->num = d;
    } else {
        t->num = strtod(text, NULL);
    }
    if (text != small) fc_free(lx->ctx, text);
    for (size_t i = 0; i < n; i++) advance(s);
}

static const struct {
    const char *word;
    int kind;
} keywords[] = {
    {"module", TK_MODULE}, {"function", TK_FUNCTION}, {"if", TK_IF},       {"else", TK_ELSE},
    {"for", TK_FOR},       {"let", TK_LET},           {"assert", TK_ASSERT}, {"echo", TK_ECHO},
    {"each", TK_EACH},     {"true", TK_TRUE},         {"false", TK_FALSE}, {"undef", TK_UNDEF},
};

/* True when the text at the cursor is `word` followed by optional whitespace and '<'; on
 * success *skip is the length up to and including the '<'. */
static bool directive(const lex_source *s, const char *word, size_t *skip) {
    size_t n = strlen(word);
    if (s->len - s->pos < n || memcmp(s->src + s->pos, word, n) != 0) return false;
    size_t k = n;
    int c;
    while ((c = peekc(s, k)) == ' ' || c == '\t' || c == '\r' || c == '\n') k++;
    if (c != '<') return false;
    *skip = k + 1;
    return true;
}

/* include -> 'include' ws* '<' path '>'. The path is split as flex splits it: at tabs and
 * newlines (each newline warns) the last directory part and the last file part win. */
static void lex_include_directive(lex_state *lx, size_t skip) {
    lex_source *s = top(lx);
    for (size_t i = 0; i < skip; i++) advance(s);
    sbuf dir, name;
    sb_init(&dir, lx->ctx);
    sb_init(&name, lx->ctx);
    for (;;) {
        int c = peekc(s, 0);
        if (c < 0) unterminated(lx, "include statement");
        if (c == '>') break;
        if (c == '\n') {
            advance(s);
            fc_log_at(lx->ctx, FACET_LOG_WARNING, here(s),
                      "new lines in 'include<>'-statement is not defined - behavior may change "
                      "in the future");
            continue;
        }
        if (c == '\t' || c == '\r') {
            advance(s);
            continue;
        }
        /* a segment up to a tab, newline or '>' */
        size_t a = s->pos, e = a;
        while (e < s->len && s->src[e] != '\t' && s->src[e] != '\n' && s->src[e] != '\r' &&
               s->src[e] != '>')
            e++;
        size_t slash = e;
        for (size_t k = e; k > a; k--)
            if (s->src[k - 1] == '/') {
                slash = k;
                break;
            }
        if (slash != e || (e > a && s->src[e - 1] == '/')) {
            dir.len = 0;
            sb_put(&dir, s->src + a, slash - a);
            a = slash;
        }
        if (e > a) {
            name.len = 0;
            sb_put(&name, s->src + a, e - a);
        }
        while (s->pos < e) advance(s);
    }
    fc_loc at = here(s);
    advance(s); /* '>' */
    sb_put(&dir, name.data ? name.data : "", name.len);
    sb_putc(&dir, '\0');
    lex_include(lx, dir.data, at);
}

/* use -> 'use' ws* '<' path '>'; the last segment between tabs/newlines is the path. */
static void lex_use_directive(lex_state *lx, lex_token *t, size_t skip) {
    lex_source *s = top(lx);
    for (size_t i = 0; i < skip; i++) advance(s);
    const char *seg = "";
    size_t seglen = 0;
    for (;;) {
        int c = peekc(s, 0);
        if (c < 0) unterminated(lx, "use statement");
        if (c == '>') break;
        if (c == '\n') {
            advance(s);
            fc_log_at(lx->ctx, FACET_LOG_WARNING, here(s),
                      "new lines 'use<>'-statement is not defined - behavior may change in the "
                      "future");
            continue;
        }
        if (c == '\t' || c == '\r') {
            advance(s);
            continue;
        }
        size_t a = s->pos;
        while (s->pos < s->len && s->src[s->pos] != '\t' && s->src[s->pos] != '\n' &&
               s->src[s->pos] != '\r' && s->src[s->pos] != '>')
            advance(s);
        seg = s->src + a;
        seglen = s->pos - a;
    }
    fc_loc at = here(s);
    advance(s);
    char *name = fc_strndup(lx->ctx, seg, seglen);
    const char *path = name;
    t->found = lex_resolve_use(lx, name, at, &path);
    t->kind = TK_USE;
    t->str = path;
    t->len = strlen(path);
    t->end_line = s->line;
}

/* Skips whitespace and comments; false at the end of the current source. */
static void skip_space(lex_state *lx) {
    lex_source *s = top(lx);
    for (;;) {
        int c = peekc(s, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            advance(s);
        } else if (c == '/' && peekc(s, 1) == '/') {
            while (s->pos < s->len && s->src[s->pos] != '\n') advance(s);
        } else if (c == '/' && peekc(s, 1) == '*') {
            advance(s);
            advance(s);
            for (;;) {
                if (s->pos >= s->len) unterminated(lx, "comment");
                if (s->src[s->pos] == '*' && peekc(s, 1) == '/') {
                    advance(s);
                    advance(s);
                    break;
                }
                advance(s);
            }
        } else if (c == 0xc2 || c == 0xa0) {
            /* no-break spaces; a longer run of real UTF-8 text is an error */
            size_t nb = 0;
            while (peekc(s, nb) == 0xc2 || peekc(s, nb) == 0xa0) nb++;
            size_t u = 0;
            int n;
            while (s->pos + u < s->len &&
                   (n = utf8_len((const unsigned char *)s->src + s->pos + u, s->len - s->pos - u)))
                u += (size_t)n;
            if (u > nb) return;
            for (size_t i = 0; i < nb; i++) advance(s);
        } else {
            return;
        }
    }
}

void lex_next(lex_state *lx, lex_token *t) {
    memset(t, 0, sizeof *t);
    lex_source *s;
    for (;;) {
        skip_space(lx);
        s = top(lx);
        if (s->pos < s->len) {
            size_t skip;
            if (s->src[s->pos] == 'i' && directive(s, "include", &skip)) {
                lex_include_directive(lx, skip);
                continue;
            }
            break;
        }
        if (lx->depth == 1) {
            t->kind = TK_EOF;
            t->loc = here(s);
            t->end_line = s->line;
            return;
        }
        lx->depth--; /* end of an included file: back to the includer */
    }
    t->loc = here(s);
    int c = peekc(s, 0);
    size_t skip;
    if (c == 'u' && directive(s, "use", &skip)) {
        lex_use_directive(lx, t, skip);
        return;
    }
    if (is_digit(c) || (c == '.' && is_digit(peekc(s, 1)))) {
        bool hex;
        size_t n = number_len(s, &hex);
        size_t idn = 0;
        if (is_digit(c))
            while (is_idrest(peekc(s, idn))) idn++;
        if (idn <= n) {
            lex_number(lx, t, n, hex);
            t->end_line = s->line;
            return;
        }
        /* an identifier starting with a digit */
        t->kind = TK_ID;
        t->name = fc_intern(lx->ctx, s->src + s->pos, idn);
        fc_log_at(lx->ctx, FACET_LOG_DEPRECATED, t->loc,
                  "Variable names starting with digits (\"%s\") will be removed in future "
                  "releases.",
                  t->name);
        for (size_t i = 0; i < idn; i++) advance(s);
        t->end_line = s->line;
        return;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$') {
        size_t n = 1;
        while (is_idrest(peekc(s, n))) n++;
        const char *w = s->src + s->pos;
        t->kind = TK_ID;
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
            if (strlen(keywords[k].word) == n && memcmp(keywords[k].word, w, n) == 0) {
                t->kind = keywords[k].kind;
                break;
            }
        t->name = fc_intern(lx->ctx, w, n);
        for (size_t i = 0; i < n; i++) advance(s);
        t->end_line = s->line;
        return;
    }
    if (c == '"') {
        advance(s);
        lex_string(lx, t);
        t->end_line = top(lx)->line;
        return;
    }
    static const struct {
        char a, b;
        int kind;
    } pairs[] = {{'<', '=', TK_LE}, {'>', '=', TK_GE}, {'=', '=', TK_EQ}, {'!', '=', TK_NE},
                 {'&', '&', TK_AND}, {'|', '|', TK_OR}, {'<', '<', TK_SHL}, {'>', '>', TK_SHR}};
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
        if (c == pairs[k].a && peekc(s, 1) == pairs[k].b) {
            t->kind = pairs[k].kind;
            advance(s);
            advance(s);
            t->end_line = s->line;
            return;
        }
    if (c == 3) {
        t->kind = TK_EOT;
    } else if (c > 0 && c < 0x80 && strchr("!#$%&()*+,-./:;<=>?[]^{|}~", c)) {
        t->kind = c;
    } else {
        /* non-ASCII text, control characters and stray symbols can start no rule */
        syntax_error_at(lx, t->loc, s->line);
    }
    advance(s);
    t->end_line = s->line;
}
