/*
 * resolve.c — path arithmetic and file lookup for include/use/import.
 */
#include "core/resolve.h"

#include <string.h>

#include "core/sbuf.h"

int fc_read(facet_ctx *ctx, const char *path, const char **data, size_t *len) {
    if (!ctx->opt.read_file) return -1;
    return ctx->opt.read_file(ctx->opt.user, path, data, len) == 0 ? 0 : -1;
}

char *fc_dirname(facet_ctx *ctx, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return fc_strdup(ctx, "");
    if (slash == path) return fc_strdup(ctx, "/");
    return fc_strndup(ctx, path, (size_t)(slash - path));
}

char *fc_path_join(facet_ctx *ctx, const char *dir, const char *name) {
    sbuf b;
    sb_init(&b, ctx);
    if (name[0] != '/' && dir[0]) {
        sb_puts(&b, dir);
        if (dir[strlen(dir) - 1] != '/') sb_putc(&b, '/');
    }
    sb_puts(&b, name);
    /* normalise segment by segment: drop "." and fold "x/.." (keeping leading "..") */
    char *s = b.data;
    bool absolute = s[0] == '/';
    char **seg = NULL;
    int nseg = 0, capseg = 0;
    for (char *tok = s; *tok;) {
        char *end = strchr(tok, '/');
        if (end) *end = '\0';
        if (strcmp(tok, ".") == 0 || tok[0] == '\0') {
            /* skip */
        } else if (strcmp(tok, "..") == 0 && nseg > 0 && strcmp(seg[nseg - 1], "..") != 0) {
            nseg--;
        } else {
            FC_PUSH(ctx, seg, nseg, capseg, tok);
        }
        if (!end) break;
        tok = end + 1;
    }
    sbuf out;
    sb_init(&out, ctx);
    if (absolute) sb_putc(&out, '/');
    for (int i = 0; i < nseg; i++) {
        if (i) sb_putc(&out, '/');
        sb_puts(&out, seg[i]);
    }
    if (out.len == 0) sb_puts(&out, ".");
    fc_free(ctx, seg);
    sb_free(&b);
    return sb_take(&out, NULL);
}

int fc_resolve(facet_ctx *ctx, int from, const char *name, char **path, const char **data,
               size_t *len) {
    if (name[0] == '/') {
        if (fc_read(ctx, name, data, len) == 0) {
            *path = fc_strdup(ctx, name);
            return 0;
        }
        return -1;
    }
    char *dir = from >= 0 ? fc_dirname(ctx, fc_file_path(ctx, from)) : fc_strdup(ctx, "");
    char *p = fc_path_join(ctx, dir, name);
    fc_free(ctx, dir);
    if (fc_read(ctx, p, data, len) == 0) {
        *path = p;
        return 0;
    }
    fc_free(ctx, p);
    for (const char *const *lib = ctx->opt.library_paths; lib && *lib; lib++) {
        p = fc_path_join(ctx, *lib, name);
        if (fc_read(ctx, p, data, len) == 0) {
            *path = p;
            return 0;
        }
        fc_free(ctx, p);
    }
    return -1;
}
