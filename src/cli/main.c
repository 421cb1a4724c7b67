/*
 * main.c — `facet`: render an OpenSCAD model from the command line.
 *
 *   facet model.scad -o out.stl [-D name=value]... [-p set.json -P name] [--stats] [-q]
 *
 * One context serves every render of the process, so with --watch a re-render only
 * recomputes the CSG subtrees that changed. Log lines (ECHO, WARNING, ERROR, TRACE) go to
 * stderr as the core produces them, which is OpenSCAD's format; -q keeps only errors. The
 * exit status is 0 on success and 1 on any error (bad arguments, unreadable files, a
 * failed render, an unwritable output).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void echo_append(cli_state *s, const char *line) {
    size_t n = strlen(line);
    if (s->echo_len + n + 2 > s->echo_cap) {
        size_t cap = (s->echo_len + n + 2) * 2;
        char *b = realloc(s->echo_buf, cap);
        if (!b) return; /* out of memory: the line is lost, the render goes on */
        s->echo_buf = b;
        s->echo_cap = cap;
    }
    memcpy(s->echo_buf + s->echo_len, line, n);
    s->echo_len += n;
    s->echo_buf[s->echo_len++] = '\n';
    s->echo_buf[s->echo_len] = '\0';
}

static void log_line(void *user, facet_log_level level, const char *line) {
    cli_state *s = user;
    if (s->mute || level == FACET_LOG_INFO) return;
    if (s->echo) {
        if (!s->stopped) echo_append(s, line);
        return;
    }
    if (s->quiet && level != FACET_LOG_ERROR && level != FACET_LOG_TRACE) return;
    fprintf(stderr, "%s\n", line);
}

/* Echo export is not a geometry format: "--export-format echo" or an output named *.echo
 * (OpenSCAD's spelling) asks for the evaluation's log lines only. */
static bool wants_echo(const cli_args *a) {
    if (!a->output) return false;
    if (a->export_format) return strcmp(a->export_format, "echo") == 0;
    const char *slash = strrchr(a->output, '/');
    const char *dot = strrchr(slash ? slash : a->output, '.');
    return dot && (strcmp(dot, ".echo") == 0 || strcmp(dot, ".ECHO") == 0);
}

/* In echo mode the render stops once evaluation is done: OpenSCAD's echo export
 * instantiates the model but renders no geometry (so no geometry warnings either). */
static int progress(void *user, const char *stage, double fraction) {
    (void)fraction;
    cli_state *s = user;
    if (s->echo && strcmp(stage, "geometry") == 0) {
        s->stopped = true;
        return 1;
    }
    return 0;
}

/* The format from --export-format or the output's extension; NONE with a message when
 * neither names one. */
static facet_format pick_format(const cli_args *a, char *err, size_t errsize) {
    if (!a->output) return FACET_FORMAT_NONE;
    if (a->export_format) {
        facet_format f = facet_format_from_name(a->export_format);
        if (f == FACET_FORMAT_NONE)
            snprintf(err, errsize, "Unknown export format '%s'; use binstl, asciistl, off, obj, "
                                   "3mf, svg, dxf, mesh or echo.", a->export_format);
        return f;
    }
    const char *slash = strrchr(a->output, '/');
    const char *dot = strrchr(slash ? slash : a->output, '.');
    char ext[16] = "";
    if (dot && strlen(dot + 1) < sizeof ext)
        for (size_t i = 0; dot[1 + i]; i++) {
            char c = dot[1 + i];
            ext[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
            ext[i + 1] = '\0';
        }
    facet_format f = ext[0] ? facet_format_from_name(ext) : FACET_FORMAT_NONE;
    if (f == FACET_FORMAT_NONE)
        snprintf(err, errsize, "Either add a valid suffix or specify one using the "
                               "--export-format option.");
    return f;
}

static int write_output(const char *path, const uint8_t *data, size_t size) {
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "ERROR: Can't open file \"%s\" for export\n", path);
        return 1;
    }
    bool ok = size == 0 || fwrite(data, 1, size, f) == size;
    ok = (to_stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
    if (!ok) fprintf(stderr, "ERROR: Can't write file \"%s\"\n", path);
    return ok ? 0 : 1;
}

/* The overrides of this run: the parameter set (if any), then the -D definitions. */
static int build_params(facet_ctx *ctx, cli_state *st, const cli_args *a, const char *src,
                        size_t len, cli_params *p) {
    char err[1024];
    if (a->param_file && a->param_set) {
        size_t jlen = 0;
        char *json = cli_slurp(a->param_file, &jlen);
        if (!json) {
            fprintf(stderr, "ERROR: Can't open parameter file '%s'\n", a->param_file);
            return 1;
        }
        cli_track(st, a->param_file);
        /* The model's parameter types decide how the set's strings are read. A model that
         * does not parse is reported by the render itself, so this pass stays silent. */
        facet_result r;
        st->mute = true;
        facet_error_kind k = facet_parameters(ctx, a->input, src, len, &r);
        st->mute = false;
        char *types = k == FACET_ERR_OK && r.params_json ? strdup(r.params_json) : NULL;
        cli_release_buffers(st);
        int rc = cli_params_add_set(p, json, jlen, a->param_file, a->param_set, types, err,
                                    sizeof err);
        free(types);
        free(json);
        if (rc) {
            fprintf(stderr, "ERROR: %s\n", err);
            return 1;
        }
    }
    for (int i = 0; i < a->ndefines; i++)
        if (cli_params_add_define(p, a->defines[i], err, sizeof err)) {
            fprintf(stderr, "ERROR: %s\n", err);
            return 1;
        }
    return 0;
}

/* One render of the model with everything the arguments ask for. */
static int run(facet_ctx *ctx, cli_state *st, const cli_args *a, facet_format fmt) {
    size_t len = 0;
    cli_track(st, a->input);
    char *src = cli_slurp(a->input, &len);
    if (!src) {
        fprintf(stderr, "Can't open input file '%s'!\n", a->input);
        return 1;
    }
    facet_result r;
    int rc = 0;
    if (a->params) {
        facet_error_kind k = facet_parameters(ctx, a->input, src, len, &r);
        if (k == FACET_ERR_OK) printf("%s\n", r.params_json);
        rc = k == FACET_ERR_OK ? 0 : 1;
    } else {
        cli_params p;
        memset(&p, 0, sizeof p);
        rc = build_params(ctx, st, a, src, len, &p);
        if (rc == 0 && st->echo) {
            st->echo_len = 0;
            st->stopped = false;
            facet_error_kind k = facet_render(ctx, a->input, src, len, p.list, p.n, FACET_FORMAT_NONE, &r);
            /* like OpenSCAD, an error during evaluation is part of the echo output, not a
             * failure of the export; only a model that does not parse fails */
            if (k == FACET_ERR_SYNTAX) {
                fprintf(stderr, "Can't parse file '%s'!\n", a->input);
                rc = 1;
            } else {
                rc = write_output(a->output, (const uint8_t *)(st->echo_buf ? st->echo_buf : ""), st->echo_len);
            }
        } else if (rc == 0) {
            facet_error_kind k = facet_render(ctx, a->input, src, len, p.list, p.n, fmt, &r);
            if (k == FACET_ERR_SYNTAX) fprintf(stderr, "Can't parse file '%s'!\n", a->input);
            if (k == FACET_ERR_OK && a->output) rc = write_output(a->output, r.data, r.size);
            if (k != FACET_ERR_OK) rc = 1;
            if (a->stats) {
                bool out_is_stdout = a->output && strcmp(a->output, "-") == 0;
                fprintf(out_is_stdout ? stderr : stdout, "%s\n", r.meta_json);
                fflush(out_is_stdout ? stderr : stdout);
            }
        }
        cli_params_free(&p);
    }
    cli_release_buffers(st);
    free(src);
    return rc;
}

int main(int argc, char **argv) {
    cli_args a;
    char err[1024];
    if (cli_parse_args(argc, argv, &a, err, sizeof err)) {
        fprintf(stderr, "%s\n\n", err);
        cli_usage(stderr);
        cli_args_free(&a);
        return 1;
    }
    int rc = 0;
    facet_format fmt = FACET_FORMAT_NONE;
    if (a.help) {
        cli_usage(stdout);
    } else if (a.version) {
        printf("facet version %s\n", FACET_VERSION_STRING);
    } else if (!a.input) {
        fprintf(stderr, "No input file given.\n\n");
        cli_usage(stderr);
        rc = 1;
    } else if (!a.output && !a.stats && !a.params) {
        fprintf(stderr, "Nothing to do: give -o FILE, --stats or --params.\n\n");
        cli_usage(stderr);
        rc = 1;
    } else if (a.param_set && !a.param_file) {
        fprintf(stderr, "ERROR: -P needs a parameter file (-p FILE).\n");
        rc = 1;
    } else if (!a.params && !wants_echo(&a) && (fmt = pick_format(&a, err, sizeof err)) == FACET_FORMAT_NONE &&
               a.output) {
        fprintf(stderr, "%s\n", err);
        rc = 1;
    } else {
        cli_state st;
        cli_state_init(&st, argv[0]);
        st.quiet = a.quiet;
        st.echo = !a.params && wants_echo(&a);
        facet_options opt;
        memset(&opt, 0, sizeof opt);
        /* OpenSCAD's echo export evaluates as its preview does: $preview is true */
        opt.preview = st.echo;
        opt.progress = progress;
        opt.read_file = cli_read_file;
        opt.log = log_line;
        opt.library_paths = (const char *const *)st.lib_paths;
        opt.user = &st;
        facet_ctx *ctx = facet_new(&opt);
        if (!ctx) {
            fprintf(stderr, "ERROR: out of memory\n");
            rc = 1;
        } else {
            rc = run(ctx, &st, &a, fmt);
            while (a.watch) {
                cli_watch_wait(&st, 250);
                rc = run(ctx, &st, &a, fmt);
                if (!a.quiet) fprintf(stderr, "facet: %s rendered (%s)\n", a.input, rc ? "failed" : "ok");
            }
            facet_free(ctx);
        }
        cli_state_free(&st);
    }
    cli_args_free(&a);
    return rc;
}
