/*
 * args.c — the command line, spelled as OpenSCAD spells it.
 *
 * OpenSCAD (boost::program_options) accepts "-o file", "-ofile", "--o file" and
 * "--o=file" alike, and the same for -D, -p, -P; long options also take "--name=value".
 * Unknown options and a missing input file are errors with OpenSCAD's messages; the caller
 * prints the usage after them.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void cli_usage(FILE *f) {
    fputs("Usage: facet [options] file.scad\n"
          "Renders an OpenSCAD model. Options (OpenSCAD-compatible where OpenSCAD has them):\n"
          "  -o FILE              write the result to FILE; the extension gives the format\n"
          "                       (stl, off, obj, 3mf, svg, dxf, echo); '-' writes to stdout;\n"
          "                       echo writes the evaluation's messages, with $preview true\n"
          "  --export-format FMT  binstl | asciistl | off | obj | 3mf | svg | dxf | mesh | echo\n"
          "  -D name=value        override a top-level variable (repeatable); the value is\n"
          "                       OpenSCAD source: -D 'r=10' -D 'label=\"hi\"'\n"
          "  -p FILE -P SET       apply parameter set SET of customizer file FILE (JSON)\n"
          "  --stats              print the result's statistics as one JSON object on stdout\n"
          "                       (on stderr when the model itself goes to stdout)\n"
          "  --params             print the model's customizer parameters as JSON and exit\n"
          "  -q, --quiet          print nothing but errors\n"
          "  --watch              re-render whenever the model or a file it reads changes\n"
          "  -h, --help           this help\n"
          "  -v, --version        print the version\n"
          "Environment: OPENSCADPATH (library directories, ':'-separated), FACET_FONTS\n"
          "(font pack; default facet-fonts.bin beside the executable).\n",
          f);
}

/* Options that take a value: their short/long spellings. */
typedef struct opt_def {
    const char *name; /* without dashes */
    int id;
} opt_def;

enum { OPT_O, OPT_FORMAT, OPT_D, OPT_P_FILE, OPT_P_SET };

static const opt_def value_opts[] = {
    {"o", OPT_O}, {"export-format", OPT_FORMAT}, {"D", OPT_D}, {"p", OPT_P_FILE}, {"P", OPT_P_SET},
};

static int set_value(cli_args *a, int id, const char *v, char *err, size_t errsize) {
    switch (id) {
    case OPT_O: a->output = v; break;
    case OPT_FORMAT: a->export_format = v; break;
    case OPT_D: {
        const char **d = realloc(a->defines, sizeof *d * (size_t)(a->ndefines + 1));
        if (!d) {
            snprintf(err, errsize, "out of memory");
            return 1;
        }
        a->defines = d;
        a->defines[a->ndefines++] = v;
        break;
    }
    case OPT_P_FILE: a->param_file = v; break;
    case OPT_P_SET: a->param_set = v; break;
    }
    return 0;
}

/* Matches argv[*i] against the value options; returns 1 when it was one (value consumed),
 * 0 when not, -1 on error. */
static int value_option(int argc, char **argv, int *i, cli_args *a, char *err, size_t errsize) {
    const char *arg = argv[*i];
    const char *body = arg[1] == '-' ? arg + 2 : arg + 1;
    bool dashdash = arg[1] == '-';
    for (size_t k = 0; k < sizeof value_opts / sizeof value_opts[0]; k++) {
        const char *name = value_opts[k].name;
        size_t n = strlen(name);
        if (strncmp(body, name, n) != 0) continue;
        const char *rest = body + n;
        const char *val = NULL;
        if (*rest == '=') val = rest + 1;
        else if (*rest && !dashdash && n == 1) val = rest; /* -ofile, -Dx=1 */
        else if (*rest) continue;                          /* a longer option name */
        else if (*i + 1 < argc) val = argv[++*i];
        else {
            snprintf(err, errsize, "the required argument for option '--%s' is missing", name);
            return -1;
        }
        return set_value(a, value_opts[k].id, val, err, errsize) ? -1 : 1;
    }
    return 0;
}

int cli_parse_args(int argc, char **argv, cli_args *a, char *err, size_t errsize) {
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] == '\0') {
            if (a->input) {
                snprintf(err, errsize, "too many input files ('%s' and '%s')", a->input, arg);
                return 1;
            }
            a->input = arg;
            continue;
        }
        int r = value_option(argc, argv, &i, a, err, errsize);
        if (r < 0) return 1;
        if (r > 0) continue;
        if (!strcmp(arg, "--stats")) a->stats = true;
        else if (!strcmp(arg, "--params")) a->params = true;
        else if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet")) a->quiet = true;
        else if (!strcmp(arg, "--watch")) a->watch = true;
        else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) a->help = true;
        else if (!strcmp(arg, "-v") || !strcmp(arg, "--version")) a->version = true;
        else {
            snprintf(err, errsize, "unrecognised option '%s'", arg);
            return 1;
        }
    }
    return 0;
}

void cli_args_free(cli_args *a) {
    free(a->defines);
    a->defines = NULL;
    a->ndefines = 0;
}
