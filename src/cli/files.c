/*
 * files.c — the CLI's file resolver: what the core reads, read from disk.
 *
 * The core asks for already-resolved paths (relative to the including file, then under
 * the library paths) and for the virtual FACET_FONTS_PATH, which names the font pack
 * facet-fonts.bin. The pack is looked for in $FACET_FONTS, beside the executable
 * (/proc/self/exe, else argv[0]) and one directory up (the sanitized build puts the
 * binary in build/asan/ and the pack in build/). Buffers handed to the core stay alive
 * until the render returns (cli_release_buffers). Library folders are searched as OpenSCAD
 * searches them (OPENSCADPATH, then the user's and the installation's library folders).
 * Every file read successfully is also
 * remembered with its modification time, which is what --watch polls.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

static char *dup_str(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static bool is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directory of the executable, malloc'd ("." when unknown). */
static char *exe_dir(const char *argv0) {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) buf[n] = '\0';
    else snprintf(buf, sizeof buf, "%s", argv0 ? argv0 : "");
    char *slash = strrchr(buf, '/');
    if (!slash) return dup_str(".");
    if (slash == buf) slash++;
    *slash = '\0';
    return dup_str(buf);
}

static char *find_fonts(const char *argv0) {
    const char *env = getenv("FACET_FONTS");
    if (env && *env) return dup_str(env);
    char *dir = exe_dir(argv0);
    if (!dir) return NULL;
    static const char *const rel[] = {"/facet-fonts.bin", "/../facet-fonts.bin"};
    char *found = NULL;
    for (size_t i = 0; i < sizeof rel / sizeof rel[0] && !found; i++) {
        size_t n = strlen(dir) + strlen(rel[i]) + 1;
        char *p = malloc(n);
        if (!p) break;
        snprintf(p, n, "%s%s", dir, rel[i]);
        if (is_file(p)) found = p;
        else free(p);
    }
    free(dir);
    return found;
}

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Appends a copy of dir to the NULL-terminated list *out of *n entries. */
static void push_dir(char ***out, int *n, const char *dir) {
    char **grown = realloc(*out, sizeof **out * (size_t)(*n + 2));
    if (!grown) return;
    *out = grown;
    (*out)[*n] = dup_str(dir);
    if ((*out)[*n]) (*n)++;
    (*out)[*n] = NULL;
}

/* The library search path, in OpenSCAD's order: the entries of OPENSCADPATH, then the
 * user's library folder, then the libraries of an installed OpenSCAD (where MCAD lives),
 * the last two only when they exist. */
static char **library_paths(const char *list) {
    int n = 0;
    char **out = calloc(1, sizeof *out);
    if (!out) return NULL;
    char *copy = list ? dup_str(list) : NULL;
    if (copy)
        for (char *tok = strtok(copy, ":"); tok; tok = strtok(NULL, ":")) push_dir(&out, &n, tok);
    free(copy);
    const char *home = getenv("HOME");
    if (home && *home) {
        char user[4096];
        snprintf(user, sizeof user, "%s/.local/share/OpenSCAD/libraries", home);
        if (is_dir(user)) push_dir(&out, &n, user);
    }
    static const char *const system_dirs[] = {"/usr/local/share/openscad/libraries",
                                              "/usr/share/openscad/libraries"};
    for (size_t i = 0; i < sizeof system_dirs / sizeof system_dirs[0]; i++)
        if (is_dir(system_dirs[i])) push_dir(&out, &n, system_dirs[i]);
    return out;
}

void cli_state_init(cli_state *s, const char *argv0) {
    memset(s, 0, sizeof *s);
    s->fonts_path = find_fonts(argv0);
    s->lib_paths = library_paths(getenv("OPENSCADPATH"));
}

void cli_release_buffers(cli_state *s) {
    for (int i = 0; i < s->nbuffers; i++) free(s->buffers[i]);
    s->nbuffers = 0;
}

void cli_state_free(cli_state *s) {
    cli_release_buffers(s);
    free(s->buffers);
    for (int i = 0; i < s->nseen; i++) free(s->seen[i].path);
    free(s->seen);
    if (s->lib_paths)
        for (char **p = s->lib_paths; *p; p++) free(*p);
    free(s->lib_paths);
    free(s->fonts_path);
    free(s->echo_buf);
    memset(s, 0, sizeof *s);
}

char *cli_slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - 1 - n, f);
        if (n < cap - 1 || feof(f)) break;
        /* the file grew while we read it */
        char *grown = realloc(buf, cap * 2);
        if (!grown) { free(buf); buf = NULL; break; }
        buf = grown;
        cap *= 2;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

static bool mtime_of(const char *path, struct timespec *t) {
    struct stat st;
    if (stat(path, &st) != 0) return false;
    *t = st.st_mtim;
    return true;
}

void cli_track(cli_state *s, const char *path) {
    for (int i = 0; i < s->nseen; i++)
        if (strcmp(s->seen[i].path, path) == 0) return;
    if (s->nseen == s->capseen) {
        int cap = s->capseen ? 2 * s->capseen : 16;
        cli_file *grown = realloc(s->seen, sizeof *grown * (size_t)cap);
        if (!grown) return;
        s->seen = grown;
        s->capseen = cap;
    }
    cli_file *f = &s->seen[s->nseen];
    f->path = dup_str(path);
    if (!f->path) return;
    f->exists = mtime_of(path, &f->mtime);
    s->nseen++;
}

bool cli_files_changed(cli_state *s) {
    bool changed = false;
    for (int i = 0; i < s->nseen; i++) {
        cli_file *f = &s->seen[i];
        struct timespec t = {0, 0};
        bool exists = mtime_of(f->path, &t);
        if (exists != f->exists || t.tv_sec != f->mtime.tv_sec || t.tv_nsec != f->mtime.tv_nsec)
            changed = true;
        f->exists = exists;
        f->mtime = t;
    }
    return changed;
}

int cli_read_file(void *user, const char *path, const char **data, size_t *len) {
    cli_state *s = user;
    const char *real = path;
    if (strcmp(path, FACET_FONTS_PATH) == 0) {
        if (!s->fonts_path) return -1;
        real = s->fonts_path;
    }
    if (s->nbuffers == s->capbuffers) {
        int cap = s->capbuffers ? 2 * s->capbuffers : 16;
        char **grown = realloc(s->buffers, sizeof *grown * (size_t)cap);
        if (!grown) return -1;
        s->buffers = grown;
        s->capbuffers = cap;
    }
    size_t n = 0;
    char *buf = cli_slurp(real, &n);
    if (!buf) return -1;
    s->buffers[s->nbuffers++] = buf;
    if (real == path) cli_track(s, path);
    *data = buf;
    *len = n;
    return 0;
}
