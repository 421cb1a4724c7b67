/*
 * json.c — a small JSON reader for the CLI: customizer parameter-set files and the core's
 * parameter list. Recursive descent over the text, values as a tree of cj_value nodes
 * (malloc'd), each remembering its source text so that a number or an array can be handed
 * to the core as an OpenSCAD expression unchanged. Strings are decoded to UTF-8
 * (\uXXXX escapes with surrogate pairs). Nesting is limited so hostile files cannot
 * exhaust the stack.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define CJ_MAX_DEPTH 64

typedef struct cj_reader {
    const char *s;
    size_t len, pos;
    char *err;
    size_t errsize;
    bool failed;
} cj_reader;

static void cj_fail(cj_reader *r, const char *what) {
    if (!r->failed) snprintf(r->err, r->errsize, "%s at offset %zu", what, r->pos);
    r->failed = true;
}

static void skip_ws(cj_reader *r) {
    while (r->pos < r->len && strchr(" \t\r\n", r->s[r->pos]) && r->s[r->pos]) r->pos++;
}

static bool lit(cj_reader *r, const char *word) {
    size_t n = strlen(word);
    if (r->len - r->pos >= n && memcmp(r->s + r->pos, word, n) == 0) {
        r->pos += n;
        return true;
    }
    return false;
}

static int hex4(cj_reader *r) {
    if (r->len - r->pos < 4) return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = r->s[r->pos + (size_t)i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    r->pos += 4;
    return v;
}

static size_t put_utf8(char *o, unsigned long cp) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* string -> '"' chars '"'; the reader is just past the opening quote. The decoded text is
 * never longer than the source, so one buffer of the remaining length suffices. */
static char *read_string(cj_reader *r) {
    char *out = malloc(r->len - r->pos + 1);
    if (!out) { cj_fail(r, "out of memory"); return NULL; }
    size_t n = 0;
    while (r->pos < r->len) {
        unsigned char c = (unsigned char)r->s[r->pos++];
        if (c == '"') { out[n] = '\0'; return out; }
        if (c < 0x20) break;
        if (c != '\\') { out[n++] = (char)c; continue; }
        if (r->pos >= r->len) break;
        char e = r->s[r->pos++];
        switch (e) {
        case '"': out[n++] = '"'; break;
        case '\\': out[n++] = '\\'; break;
        case '/': out[n++] = '/'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            int hi = hex4(r);
            if (hi < 0) goto bad;
            unsigned long cp = (unsigned long)hi;
            if (hi >= 0xD800 && hi < 0xDC00 && lit(r, "\\u")) {
                int lo = hex4(r);
                if (lo < 0xDC00 || lo >= 0xE000) goto bad;
                cp = 0x10000 + (((unsigned long)hi - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
            }
            n += put_utf8(out + n, cp); /* 6 source bytes give at most 4 */
            break;
        }
        default: goto bad;
        }
    }
bad:
    free(out);
    cj_fail(r, "invalid string");
    return NULL;
}

static cj_value *parse_value(cj_reader *r, int depth);

static cj_value *new_value(cj_reader *r, cj_type type, size_t start) {
    cj_value *v = calloc(1, sizeof *v);
    if (!v) { cj_fail(r, "out of memory"); return NULL; }
    v->type = type;
    v->raw = r->s + start;
    return v;
}

/* array -> '[' (value (',' value)*)? ']'; object -> '{' (string ':' value ...)? '}' */
static cj_value *parse_container(cj_reader *r, int depth, bool object) {
    size_t start = r->pos - 1;
    cj_value *v = new_value(r, object ? CJ_OBJ : CJ_ARR, start);
    if (!v) return NULL;
    cj_value **tail = &v->child;
    skip_ws(r);
    if (lit(r, object ? "}" : "]")) goto done;
    for (;;) {
        char *key = NULL;
        skip_ws(r);
        if (object) {
            if (!lit(r, "\"")) { cj_fail(r, "expected a member name"); break; }
            key = read_string(r);
            if (!key) break;
            skip_ws(r);
            if (!lit(r, ":")) { free(key); cj_fail(r, "expected ':'"); break; }
        }
        cj_value *item = parse_value(r, depth + 1);
        if (!item) { free(key); break; }
        item->key = key;
        *tail = item;
        tail = &item->next;
        skip_ws(r);
        if (lit(r, ",")) continue;
        if (lit(r, object ? "}" : "]")) goto done;
        cj_fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
        break;
    }
    cj_free(v);
    return NULL;
done:
    v->rawlen = r->pos - start;
    return v;
}

static cj_value *parse_number(cj_reader *r) {
    size_t start = r->pos;
    const char *p = r->s + r->pos;
    size_t i = 0, n = r->len - r->pos;
    if (i < n && p[i] == '-') i++;
    size_t digits = i;
    while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    if (i == digits) { cj_fail(r, "unexpected character"); return NULL; }
    if (i < n && p[i] == '.') {
        i++;
        while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) i++;
        while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    }
    char buf[64];
    if (i >= sizeof buf) { cj_fail(r, "number too long"); return NULL; }
    memcpy(buf, p, i);
    buf[i] = '\0';
    r->pos += i;
    cj_value *v = new_value(r, CJ_NUM, start);
    if (!v) return NULL;
    v->num = strtod(buf, NULL);
    v->rawlen = i;
    return v;
}

static cj_value *parse_value(cj_reader *r, int depth) {
    if (depth > CJ_MAX_DEPTH) { cj_fail(r, "nesting too deep"); return NULL; }
    skip_ws(r);
    if (r->pos >= r->len) { cj_fail(r, "unexpected end of input"); return NULL; }
    size_t start = r->pos;
    cj_value *v;
    if (lit(r, "{")) return parse_container(r, depth, true);
    if (lit(r, "[")) return parse_container(r, depth, false);
    if (lit(r, "\"")) {
        char *s = read_string(r);
        if (!s) return NULL;
        v = new_value(r, CJ_STR, start);
        if (!v) { free(s); return NULL; }
        v->str = s;
    } else if (lit(r, "true") || lit(r, "false")) {
        v = new_value(r, CJ_BOOL, start);
        if (!v) return NULL;
        v->b = r->s[start] == 't';
    } else if (lit(r, "null")) {
        v = new_value(r, CJ_NULL, start);
        if (!v) return NULL;
    } else {
        return parse_number(r);
    }
    v->rawlen = r->pos - start;
    return v;
}

cj_value *cj_parse(const char *text, size_t len, char *err, size_t errsize) {
    cj_reader r = {text, len, 0, err, errsize, false};
    cj_value *v = parse_value(&r, 0);
    if (v) {
        skip_ws(&r);
        if (r.pos != r.len) {
            cj_fail(&r, "trailing characters");
            cj_free(v);
            v = NULL;
        }
    }
    return v;
}

void cj_free(cj_value *v) {
    while (v) {
        cj_value *next = v->next;
        cj_free(v->child);
        free(v->str);
        free(v->key);
        free(v);
        v = next;
    }
}

const cj_value *cj_get(const cj_value *obj, const char *key) {
    if (!obj || obj->type != CJ_OBJ) return NULL;
    const cj_value *found = NULL;
    for (const cj_value *m = obj->child; m; m = m->next)
        if (m->key && strcmp(m->key, key) == 0) found = m; /* the last duplicate wins */
    return found;
}
