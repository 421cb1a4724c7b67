/*
 * include.c — include<> and use<> resolution for the lexer.
 *
 * include<> works on the token stream: the included file is pushed on the lexer's source
 * stack and its tokens flow into the parser in place. As in OpenSCAD, a file that is already
 * open as an include (the file being parsed itself excepted) counts as not found, which is
 * what stops a file from including itself forever: OpenSCAD then warns "Can't find include
 * file" and carries on.
 *
 * Paths in messages are printed relative to the main file's folder, as OpenSCAD prints them.
 */
#include <string.h>

#include "core/resolve.h"
#include "core/sbuf.h"
#include "lang/lex.h"

/* Splits a normalised path into segments (in place in a copy). */
static int split_path(facet_ctx *ctx, const char *path, char ***out) {
    char *copy = fc_strdup(ctx, path);
    char **seg = NULL;
    int n = 0, cap = 0;
    for (char *p = copy; *p;) {
        char *slash = strchr(p, '/');
        if (slash) *slash = '\0';
        if (*p && strcmp(p, ".") != 0) FC_PUSH(ctx, seg, n, cap, p);
        if (!slash) break;
        p = slash + 1;
    }
    *out = seg;
    return n;
}

const char *lex_display_path(facet_ctx *ctx, int main_file, const char *path) {
    const char *main_path = fc_file_path(ctx, main_file);
    char *dir = fc_dirname(ctx, main_path);
    if ((dir[0] == '/') != (path[0] == '/')) return path;
    char **a, **b;
    int na = split_path(ctx, dir, &a);
    int nb = split_path(ctx, path, &b);
    int common = 0;
    while (common < na && common < nb - 1 && strcmp(a[common], b[common]) == 0) common++;
    sbuf out;
    sb_init(&out, ctx);
    for (int i = common; i < na; i++) sb_puts(&out, "../");
    for (int i = common; i < nb; i++) {
        if (i > common) sb_putc(&out, '/');
        sb_puts(&out, b[i]);
    }
    return out.len ? sb_take(&out, NULL) : path;
}

/* Resolves name against the file being lexed. A name ending in '/' is a folder, never a
 * file to include or use. */
static bool resolve_file(lex_state *lx, const char *name, char **path, const char **data,
                         size_t *len) {
    size_t n = strlen(name);
    return n && name[n - 1] != '/' &&
           fc_resolve(lx->ctx, lx->stack[lx->depth - 1].file, name, path, data, len) == 0;
}

void lex_include(lex_state *lx, const char *name, fc_loc loc) {
    facet_ctx *ctx = lx->ctx;
    char *path = NULL;
    const char *data = NULL;
    size_t len = 0;
    bool ok = resolve_file(lx, name, &path, &data, &len);
    for (int i = 1; ok && i < lx->depth; i++) {
        const lex_source *open = &lx->stack[i];
        /* Paths are only normalised textually: with a relative main path, "../misc/x.scad"
         * and "x.scad" may name one file. Identical bytes count as the same file too (a
         * file whose text equals an open include's would include the same names again). */
        if (strcmp(fc_file_path(ctx, open->file), path) == 0 ||
            (open->len == len && (len == 0 || memcmp(open->src, data, len) == 0)))
            ok = false;
    }
    if (!ok) {
        fc_log_at(ctx, FACET_LOG_WARNING, loc, "Can't find include file '%s'.", name);
        return;
    }
    if (lx->depth > LEX_MAX_INCLUDE_DEPTH)
        fc_throw(ctx, FACET_ERR_SYNTAX, loc, "too many nested includes (limit is %d)",
                 LEX_MAX_INCLUDE_DEPTH);
    int file = fc_file_add(ctx, path, lex_display_path(ctx, lx->main_file, path));
    lex_source s = {file, data, len, 0, 1, 1};
    FC_PUSH(ctx, lx->stack, lx->depth, lx->cap, s);
}

bool lex_resolve_use(lex_state *lx, const char *name, fc_loc loc, const char **path) {
    facet_ctx *ctx = lx->ctx;
    char *p = NULL;
    const char *data = NULL;
    size_t len = 0;
    if (!resolve_file(lx, name, &p, &data, &len)) {
        fc_log_at(ctx, FACET_LOG_WARNING, loc, "Can't open library '%s'.", name);
        *path = name;
        return false;
    }
    *path = p;
    return true;
}
