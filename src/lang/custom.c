/*
 * custom.c — customizer parameters from comments, following OpenSCAD's CommentParser and
 * ParameterObject:
 *
 *  - Candidates are the top-level assignments of the main file whose value is a literal
 *    bool, number, string, or vector of 1 to 4 numbers (after reassignments are merged; an
 *    overwritten assignment is described by the line of its last value).
 *  - Only assignments above the first '{' of the file count (OpenSCAD's scan for it skips
 *    comments but not strings).
 *  - The `//` comment on the assignment's line is the widget spec: `[min:max]`,
 *    `[min:step:max]`, `[max]`, a number (step, or maximum length of a string), `[a, b, c]`
 *    (dropdown) or `[v1:Label, v2:Label]`. Anything that does not parse is no spec.
 *    A line with two statements has no spec.
 *  - The description is the line above when it starts with `//`.
 *  - A block comment `[Group]` on one line starts a group; several brackets join with '-';
 *    "Hidden" hides the parameters after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "lang/parse.h"

/* ---- scanning the source as OpenSCAD's CommentParser does ---- */

typedef struct group_mark {
    char *name;
    int line;
} group_mark;

static bool at(const char *s, size_t len, size_t i, const char *w) {
    size_t n = strlen(w);
    return i + n <= len && memcmp(s + i, w, n) == 0;
}

/* Group name of a one-line block comment: the texts of all [..] joined by '-'. */
static char *group_name(facet_ctx *ctx, const char *c, size_t n) {
    sbuf b;
    sb_init(&b, ctx);
    sb_putc(&b, '\0');
    b.len = 0;
    size_t i = 0;
    while (i < n) {
        const char *open = memchr(c + i, '[', n - i);
        if (!open) break;
        size_t o = (size_t)(open - c) + 1;
        const char *close = memchr(c + o, ']', n - o);
        if (!close) break;
        if (b.len) sb_putc(&b, '-');
        sb_put(&b, c + o, (size_t)(close - c) - o);
        i = (size_t)(close - c) + 1;
    }
    return sb_take(&b, NULL);
}

/* Walks strings and comments; collects one-line block comments and finds the line of the
 * first '{' (parse_till). The index arithmetic mirrors OpenSCAD's loops on purpose. */
static void scan_source(facet_ctx *ctx, const char *s, size_t len, group_mark **groups,
                        int *ngroups, int *parse_till) {
    int cap = 0, line = 1;
    bool in_string = false;
    *parse_till = -1;
    for (size_t i = 0; i < len; ++i) {
        if (s[i] == '\n') {
            line++;
            continue;
        }
        if (in_string && at(s, len, i, "\\\"")) {
            i++;
            continue;
        }
        if (s[i] == '"') {
            in_string = !in_string;
            continue;
        }
        if (!in_string && at(s, len, i, "//")) {
            i++;
            while (i < len && s[i] != '\n') i++;
            line++;
            continue;
        }
        if (!in_string && at(s, len, i, "/*")) {
            i++;
            if (i < len) i++;
            else continue;
            size_t start = i;
            bool one_line = true;
            while (i < len && !at(s, len, i, "*/")) {
                if (s[i] == '\n') {
                    line++;
                    one_line = false;
                }
                i++;
            }
            if (one_line) {
                group_mark g = {group_name(ctx, s + start, i - start), line};
                FC_PUSH(ctx, *groups, *ngroups, cap, g);
            }
        }
        if (*parse_till < 0 && i < len && s[i] == '{' && !(i > 0 && s[i - 1] == '@'))
            *parse_till = line;
    }
    if (*parse_till < 0) *parse_till = line;
}

/* Offsets of the starts of lines, so that finding a line is O(1) (a file may hold
 * thousands of parameters). */
typedef struct line_index {
    size_t *start; /* start[i] = offset of line i + 1 */
    int n;
} line_index;

static line_index index_lines(facet_ctx *ctx, const char *s, size_t len) {
    line_index li = {NULL, 0};
    int cap = 0;
    size_t zero = 0;
    FC_PUSH(ctx, li.start, li.n, cap, zero);
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n') {
            size_t next = i + 1;
            FC_PUSH(ctx, li.start, li.n, cap, next);
        }
    return li;
}

/* Start of 1-based line `line`, or len. */
static size_t line_start(const line_index *li, size_t len, int line) {
    return line >= 1 && line <= li->n ? li->start[line - 1] : len;
}

static size_t line_end(const char *s, size_t len, size_t i) {
    while (i < len && s[i] != '\n') i++;
    if (i > 0 && i <= len && s[i - 1] == '\r') i--; /* CRLF files */
    return i;
}

/* The `//` comment on the assignment's line; NULL when there is none or the line holds a
 * second statement. */
static char *line_comment(facet_ctx *ctx, const line_index *li, const char *s, size_t len,
                          int line) {
    size_t a = line_start(li, len, line), e = line_end(s, len, a);
    if (e < a) e = a;
    bool in_string = false;
    int semis = 0;
    for (size_t i = a; i + 1 < e; i++) {
        if (in_string && s[i] == '\\' && s[i + 1] == '"') {
            i++;
            continue;
        }
        if (s[i] == '"') in_string = !in_string;
        if (in_string) continue;
        if (s[i] == '/' && s[i + 1] == '/') return fc_strndup(ctx, s + i + 2, e - i - 2);
        if (s[i] == ';' && semis++ > 0) return NULL;
    }
    return NULL;
}

/* The description: line `line` when it starts with `//` (leading blanks dropped, inner `//`
 * become spaces). */
static char *description(facet_ctx *ctx, const line_index *li, const char *s, size_t len,
                         int line) {
    if (line < 1) return NULL;
    size_t a = line_start(li, len, line), e = line_end(s, len, a);
    if (!at(s, len, a, "//") || a + 2 > e) return NULL;
    a += 2;
    while (a < e && (s[a] == ' ' || s[a] == '\t')) a++;
    sbuf b;
    sb_init(&b, ctx);
    sb_putc(&b, '\0');
    b.len = 0;
    for (size_t i = a; i < e; i++) {
        if (i + 1 < e && s[i] == '/' && s[i + 1] == '/') {
            sb_putc(&b, ' ');
            i++;
        } else {
            sb_putc(&b, s[i]);
        }
    }
    return sb_take(&b, NULL);
}

/* ---- the widget spec: OpenSCAD's comment grammar ---- */

enum { CT_END, CT_NUM, CT_WORD, CT_OPEN, CT_CLOSE, CT_COMMA, CT_COLON };

typedef struct ctok {
    int kind;
    double num;
    const char *text;
    size_t len;
} ctok;

static size_t comment_number(const char *s, size_t n) {
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    size_t d0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    size_t intdig = i - d0;
    if (i < n && s[i] == '.') {
        size_t k = i + 1;
        while (k < n && s[k] >= '0' && s[k] <= '9') k++;
        if (intdig || k > i + 1) i = k;
    }
    if (i == d0) return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t k = i + 1;
        if (k < n && (s[k] == '+' || s[k] == '-')) k++;
        if (k < n && s[k] >= '0' && s[k] <= '9') {
            while (k < n && s[k] >= '0' && s[k] <= '9') k++;
            i = k;
        }
    }
    return i;
}

static bool word_char(char c) { return !strchr("([ ],\":)", c); }

static int comment_tokens(facet_ctx *ctx, const char *s, ctok **out) {
    ctok *t = NULL;
    int n = 0, cap = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        char c = s[i];
        ctok k = {CT_END, 0, NULL, 0};
        size_t numlen = comment_number(s + i, len - i);
        size_t wordlen = 0;
        while (i + wordlen < len && word_char(s[i + wordlen])) wordlen++;
        if (numlen && numlen >= wordlen) {
            char buf[64];
            size_t m = numlen < sizeof buf ? numlen : sizeof buf - 1;
            memcpy(buf, s + i, m);
            buf[m] = '\0';
            k.kind = CT_NUM;
            k.num = strtod(buf, NULL);
            i += numlen;
        } else if (wordlen && (c != '\t' || wordlen > 1)) {
            k.kind = CT_WORD;
            k.text = s + i;
            k.len = wordlen;
            i += wordlen;
        } else if (c == '"') {
            /* a quoted string is a word; escapes as in the main lexer's simple set */
            sbuf b;
            sb_init(&b, ctx);
            sb_putc(&b, '\0');
            b.len = 0;
            i++;
            while (i < len && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < len && strchr("ntr\\\"", s[i + 1])) {
                    char e = s[i + 1];
                    sb_putc(&b, e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
                    i += 2;
                } else {
                    sb_putc(&b, s[i++]);
                }
            }
            if (i < len) i++;
            k.kind = CT_WORD;
            k.len = b.len;
            k.text = sb_take(&b, NULL);
        } else {
            i++;
            if (c == '[') k.kind = CT_OPEN;
            else if (c == ']') k.kind = CT_CLOSE;
            else if (c == ',') k.kind = CT_COMMA;
            else if (c == ':') k.kind = CT_COLON;
            else continue; /* blanks and parentheses are skipped */
        }
        FC_PUSH(ctx, t, n, cap, k);
    }
    ctok end = {CT_END, 0, NULL, 0};
    FC_PUSH(ctx, t, n, cap, end);
    *out = t;
    return n;
}

/* A spec value: a number, a text, or a [value, label] pair. */
typedef struct cval {
    bool is_num;
    double num;
    char *str;
    struct cval *pair; /* two items when this is a labelled option */
} cval;

typedef struct spec {
    enum { SPEC_NONE, SPEC_NUM, SPEC_WORD, SPEC_LIST, SPEC_RANGE } kind;
    cval one;      /* NUM / WORD */
    cval *items;   /* LIST */
    int nitems;
    double range[3]; /* begin, step, end */
    bool has_step;
} spec;

static void fmt_num(char *buf, size_t n, double d) { snprintf(buf, n, "%g", d); }

/* run -> ( NUM | WORD )+ : a single NUM is a number, anything with a WORD is a text whose
 * parts are joined by spaces (OpenSCAD's `word NUM`, `NUM word`, `word WORD` rules). */
static bool parse_run(facet_ctx *ctx, const ctok *t, int *i, cval *out) {
    int k = *i, words = 0;
    memset(out, 0, sizeof *out);
    while (t[k].kind == CT_NUM || t[k].kind == CT_WORD) {
        if (t[k].kind == CT_WORD) words++;
        k++;
    }
    if (k == *i) return false;
    if (!words) {
        if (k - *i != 1) return false;
        out->is_num = true;
        out->num = t[*i].num;
        *i = k;
        return true;
    }
    sbuf b;
    sb_init(&b, ctx);
    for (int j = *i; j < k; j++) {
        if (j > *i) sb_putc(&b, ' ');
        if (t[j].kind == CT_WORD) {
            sb_put(&b, t[j].text, t[j].len);
        } else {
            char buf[32];
            fmt_num(buf, sizeof buf, t[j].num);
            sb_puts(&b, buf);
        }
    }
    sb_putc(&b, '\0');
    out->is_num = false;
    out->str = sb_take(&b, NULL);
    *i = k;
    return true;
}

/* params -> '[' values ']' | '[' num ':' num ( ':' num )? ']' | num | word */
static bool parse_spec(facet_ctx *ctx, const char *text, spec *sp) {
    memset(sp, 0, sizeof *sp);
    ctok *t;
    comment_tokens(ctx, text, &t);
    int i = 0;
    if (t[i].kind != CT_OPEN) {
        if (!parse_run(ctx, t, &i, &sp->one) || t[i].kind != CT_END) return false;
        sp->kind = sp->one.is_num ? SPEC_NUM : SPEC_WORD;
        return true;
    }
    i++;
    cval a, b, c;
    if (!parse_run(ctx, t, &i, &a)) return false;
    if (t[i].kind == CT_COLON) {
        i++;
        if (!parse_run(ctx, t, &i, &b)) return false;
        bool nums = a.is_num && b.is_num;
        if (nums && t[i].kind == CT_COLON) {
            i++;
            if (!parse_run(ctx, t, &i, &c) || !c.is_num || t[i].kind != CT_CLOSE ||
                t[i + 1].kind != CT_END)
                return false;
            sp->kind = SPEC_RANGE;
            sp->range[0] = a.num, sp->range[1] = b.num, sp->range[2] = c.num;
            sp->has_step = true;
            return true;
        }
        if (nums && t[i].kind == CT_CLOSE) {
            if (t[i + 1].kind != CT_END) return false;
            sp->kind = SPEC_RANGE;
            sp->range[0] = a.num, sp->range[2] = b.num;
            return true;
        }
        cval *pair = fc_alloc(ctx, 2 * sizeof *pair);
        pair[0] = a, pair[1] = b;
        a = (cval){false, 0, NULL, pair};
    }
    int cap = 0;
    sp->kind = SPEC_LIST;
    FC_PUSH(ctx, sp->items, sp->nitems, cap, a);
    while (t[i].kind == CT_COMMA) {
        i++;
        if (!parse_run(ctx, t, &i, &a)) return false;
        if (t[i].kind == CT_COLON) {
            i++;
            if (!parse_run(ctx, t, &i, &b)) return false;
            cval *pair = fc_alloc(ctx, 2 * sizeof *pair);
            pair[0] = a, pair[1] = b;
            a = (cval){false, 0, NULL, pair};
        }
        FC_PUSH(ctx, sp->items, sp->nitems, cap, a);
    }
    return t[i].kind == CT_CLOSE && t[i + 1].kind == CT_END;
}

/* ---- parameters ---- */

typedef struct option {
    bool is_num;
    double num;
    const char *str;
    const char *label;
} option;

/* Dropdown options from a list spec (ParameterObject's parseEnumItems); 0 when the spec is
 * not a dropdown. The default value is put first when it is not among the options. */
static int enum_options(facet_ctx *ctx, const spec *sp, const ast_node *def, option **out) {
    if (sp->kind != SPEC_LIST) return 0;
    option *o = fc_calloc(ctx, (size_t)sp->nitems + 1, sizeof *o);
    int n = 0;
    char buf[32];
    for (int i = 0; i < sp->nitems; i++) {
        const cval *v = &sp->items[i];
        option x = {0};
        if (v->pair) {
            const cval *val = &v->pair[0], *key = &v->pair[1];
            if (key->is_num) {
                fmt_num(buf, sizeof buf, key->num);
                x.label = fc_strdup(ctx, buf);
            } else {
                x.label = key->str;
            }
            x.is_num = val->is_num;
            x.num = val->num;
            x.str = val->str;
        } else if (v->is_num) {
            if (sp->nitems == 1) return 0; /* `[max]` is a limit, not a dropdown */
            x.is_num = true;
            x.num = v->num;
            fmt_num(buf, sizeof buf, v->num);
            x.label = fc_strdup(ctx, buf);
        } else {
            x.str = v->str;
            x.label = v->str;
        }
        o[n++] = x;
    }
    bool num = def->kind == AST_NUM;
    for (int i = 0; i < n; i++) {
        if (num ? o[i].is_num && o[i].num == def->u.num
                : !o[i].is_num && strlen(o[i].str) == def->u.str.len &&
                      memcmp(o[i].str, def->u.str.s, def->u.str.len) == 0) {
            *out = o;
            return n;
        }
    }
    memmove(o + 1, o, (size_t)n * sizeof *o);
    o[0] = (option){num, num ? def->u.num : 0, num ? NULL : def->u.str.s, NULL};
    if (num) {
        fmt_num(buf, sizeof buf, def->u.num);
        o[0].label = fc_strdup(ctx, buf);
    } else {
        o[0].label = def->u.str.s;
    }
    *out = o;
    return n + 1;
}

/* min/max/step of a number or vector parameter (ParameterObject's parseNumericLimits). */
static void numeric_limits(const spec *sp, const ast_node *def, sbuf *out) {
    bool has_min = false, has_max = false, has_step = false;
    double min = 0, max = 0, step = 1;
    if (sp->kind == SPEC_NUM) {
        has_step = true;
        step = sp->one.num;
    } else if (sp->kind == SPEC_LIST && sp->nitems == 1 && !sp->items[0].pair &&
               sp->items[0].is_num) {
        has_max = true;
        max = sp->items[0].num;
    } else if (sp->kind == SPEC_RANGE) {
        has_min = has_max = true;
        min = sp->range[0];
        max = sp->range[2];
        if (sp->has_step) {
            has_step = true;
            step = sp->range[1];
        }
    }
    /* the limits widen to include the default value */
    int n = def->kind == AST_VECTOR ? def->u.list.n : 1;
    for (int i = 0; i < n; i++) {
        double v = def->kind == AST_VECTOR ? def->u.list.items[i]->u.num : def->u.num;
        if (has_min && v < min) min = v;
        if (has_max && v > max) max = v;
    }
    if (has_max) {
        sb_puts(out, ",\"min\":");
        sb_json_num(out, has_min ? min : 0.0);
        sb_puts(out, ",\"max\":");
        sb_json_num(out, max);
        sb_puts(out, ",\"step\":");
        sb_json_num(out, has_step ? step : 1.0);
    } else if (has_step) {
        sb_puts(out, ",\"step\":");
        sb_json_num(out, step);
    }
}

static bool numeric_vector(const ast_node *e) {
    if (e->kind != AST_VECTOR || e->u.list.n < 1 || e->u.list.n > 4) return false;
    for (int i = 0; i < e->u.list.n; i++)
        if (e->u.list.items[i]->kind != AST_NUM) return false;
    return true;
}

static void json_value(sbuf *b, const ast_node *e) {
    switch (e->kind) {
    case AST_BOOL: sb_puts(b, e->u.b ? "true" : "false"); break;
    case AST_NUM: sb_json_num(b, e->u.num); break;
    case AST_STR: sb_json_str(b, e->u.str.s, e->u.str.len); break;
    default:
        sb_putc(b, '[');
        for (int i = 0; i < e->u.list.n; i++) {
            if (i) sb_putc(b, ',');
            sb_json_num(b, e->u.list.items[i]->u.num);
        }
        sb_putc(b, ']');
        break;
    }
}

static void json_cstr(sbuf *b, const char *s) { sb_json_str(b, s ? s : "", s ? strlen(s) : 0); }

void custom_params_json(facet_ctx *ctx, const ast_program *prog, const char *src, size_t len,
                        sbuf *out) {
    group_mark *groups = NULL;
    int ngroups = 0, parse_till;
    scan_source(ctx, src, len, &groups, &ngroups, &parse_till);
    line_index lines = index_lines(ctx, src, len);
    sb_putc(out, '[');
    bool first = true;
    for (int i = 0; prog && i < prog->stmts.n; i++) {
        const ast_node *a = prog->stmts.items[i];
        if (a->kind != AST_ASSIGN) continue;
        const ast_node *e = a->u.assign.expr;
        fc_loc loc = a->u.assign.overwrite_loc.line > 0 ? a->u.assign.overwrite_loc : a->loc;
        if (loc.file != prog->file || loc.line >= parse_till) continue;
        const char *type;
        switch (e->kind) {
        case AST_BOOL: type = "boolean"; break;
        case AST_NUM: type = "number"; break;
        case AST_STR: type = "string"; break;
        default: type = numeric_vector(e) ? "vector" : NULL; break;
        }
        if (!type) continue;

        /* the last group comment above the line (groups are in line order) */
        const char *group = "Parameters";
        int lo = 0, hi = ngroups;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (groups[mid].line < loc.line) lo = mid + 1;
            else hi = mid;
        }
        if (lo > 0) {
            /* trimmed, as OpenSCAD trims group names */
            const char *s = groups[lo - 1].name;
            while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
            size_t n = strlen(s);
            while (n && strchr(" \t\r\n", s[n - 1])) n--;
            group = fc_strndup(ctx, s, n);
        }
        if (strcmp(group, "Hidden") == 0) continue;

        spec sp = {0};
        char *comment = line_comment(ctx, &lines, src, len, loc.line);
        if (!comment || !comment[0] || !parse_spec(ctx, comment, &sp)) sp.kind = SPEC_NONE;
        char *desc = description(ctx, &lines, src, len, loc.line - 1);

        option *opts = NULL;
        int nopts = 0;
        if (e->kind == AST_NUM || e->kind == AST_STR) nopts = enum_options(ctx, &sp, e, &opts);

        if (!first) sb_putc(out, ',');
        first = false;
        sb_puts(out, "{\"name\":");
        json_cstr(out, a->u.assign.name);
        sb_puts(out, ",\"default\":");
        json_value(out, e);
        sb_printf(out, ",\"type\":\"%s\"", type);
        if (nopts) {
            sb_puts(out, ",\"options\":[");
            for (int k = 0; k < nopts; k++) {
                sb_puts(out, k ? ",{\"value\":" : "{\"value\":");
                if (opts[k].is_num) sb_json_num(out, opts[k].num);
                else json_cstr(out, opts[k].str);
                sb_puts(out, ",\"label\":");
                json_cstr(out, opts[k].label);
                sb_putc(out, '}');
            }
            sb_putc(out, ']');
        } else if (e->kind == AST_NUM || e->kind == AST_VECTOR) {
            numeric_limits(&sp, e, out);
        }
        sb_puts(out, ",\"group\":");
        json_cstr(out, group);
        sb_puts(out, ",\"description\":");
        json_cstr(out, desc);
        sb_printf(out, ",\"line\":%d}", loc.line);
    }
    sb_putc(out, ']');
}
