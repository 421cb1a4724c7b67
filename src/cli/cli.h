/*
 * cli.h — the `facet` command's pieces: arguments, a small JSON reader (parameter-set files
 * and the core's parameter list), the file resolver the core reads through, parameter
 * overrides and the watch loop.
 *
 * The CLI is a host: it includes only facet.h from the core and owns its memory with
 * malloc/free (the core's context allocator is for what happens inside a render). Nothing
 * here is global: main() keeps one cli_state and hands it to every callback as `user`.
 */
#ifndef FC_CLI_H
#define FC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "facet.h"

/* ---- arguments (args.c) ---- */
typedef struct cli_args {
    const char *input;         /* the .scad file */
    const char *output;        /* -o; "-" = stdout; NULL = none */
    const char *export_format; /* --export-format */
    const char **defines;      /* -D "name=expr", in order */
    int ndefines;
    const char *param_file; /* -p */
    const char *param_set;  /* -P */
    bool stats, params, quiet, watch, help, version;
} cli_args;

/* Parses argv. Returns 0, or 1 after writing a message (OpenSCAD's wording) to `err`. The
 * defines array is malloc'd; cli_args_free releases it. */
int cli_parse_args(int argc, char **argv, cli_args *a, char *err, size_t errsize);
void cli_args_free(cli_args *a);
void cli_usage(FILE *f);

/* ---- JSON (json.c) ---- */
typedef enum cj_type { CJ_NULL, CJ_BOOL, CJ_NUM, CJ_STR, CJ_ARR, CJ_OBJ } cj_type;

typedef struct cj_value {
    cj_type type;
    const char *raw; /* the value's source text (not NUL-terminated) */
    size_t rawlen;
    char *str;       /* CJ_STR: decoded UTF-8 */
    double num;      /* CJ_NUM */
    bool b;          /* CJ_BOOL */
    char *key;       /* member name when inside an object */
    struct cj_value *child, *next;
} cj_value;

/* Parses a whole JSON text (nesting limited to 64). NULL on error, with a message. */
cj_value *cj_parse(const char *text, size_t len, char *err, size_t errsize);
void cj_free(cj_value *v);
/* The member `key` of an object, NULL when absent or not an object. */
const cj_value *cj_get(const cj_value *obj, const char *key);

/* ---- files (files.c) ---- */
typedef struct cli_file {
    char *path;
    struct timespec mtime;
    bool exists;
} cli_file;

typedef struct cli_state {
    bool quiet;         /* -q: only errors reach stderr */
    bool mute;          /* nothing reaches stderr (a preliminary pass over the model) */
    char *fonts_path;   /* facet-fonts.bin beside the executable */
    char **lib_paths;   /* OPENSCADPATH, then OpenSCAD's library folders; NULL-terminated */
    char **buffers;     /* contents handed to the core during the current render */
    int nbuffers, capbuffers;
    cli_file *seen;     /* every file the renders read (for --watch) */
    int nseen, capseen;
    /* echo export (-o x.echo): the log lines go to echo_buf instead of stderr, and the
     * render stops (cancelled) when evaluation is done, as OpenSCAD builds no geometry */
    bool echo;
    bool stopped;       /* the render was cancelled at the geometry stage on purpose */
    char *echo_buf;
    size_t echo_len, echo_cap;
} cli_state;

void cli_state_init(cli_state *s, const char *argv0);
void cli_state_free(cli_state *s);
/* Frees the buffers of the last render (call after facet_render returned). */
void cli_release_buffers(cli_state *s);
/* facet_read_fn: reads from disk; FACET_FONTS_PATH maps to s->fonts_path. */
int cli_read_file(void *user, const char *path, const char **data, size_t *len);
/* Reads a whole file with malloc (NUL-terminated); NULL when unreadable. */
char *cli_slurp(const char *path, size_t *len);
/* Remembers `path` for --watch (with its current modification time). */
void cli_track(cli_state *s, const char *path);
/* true when some tracked file's modification time (or existence) changed since it was
 * tracked or last checked; the new times are remembered. */
bool cli_files_changed(cli_state *s);

/* ---- parameter overrides (params.c) ---- */
typedef struct cli_params {
    facet_param *list;
    int n, cap;
    char **owned; /* strings the list points into */
    int nowned, capowned;
} cli_params;

/* Adds the set `set_name` of the parameter file `json` (OpenSCAD's customizer format:
 * {"parameterSets":{"name":{"x":"10",...}}}); `params_json` is the core's parameter list
 * of the model (facet_parameters), used to know which values are strings. Returns 0 or 1
 * after writing a message to err. */
int cli_params_add_set(cli_params *p, const char *json, size_t len, const char *file_name,
                       const char *set_name, const char *params_json, char *err,
                       size_t errsize);
/* Adds "-D name=expr"; returns 0 or 1 (no '=' or no name). */
int cli_params_add_define(cli_params *p, const char *def, char *err, size_t errsize);
void cli_params_free(cli_params *p);

/* ---- watching (watch.c) ---- */
/* Blocks until a tracked file changes, polling modification times every `ms` ms. */
void cli_watch_wait(cli_state *s, int ms);

#endif
