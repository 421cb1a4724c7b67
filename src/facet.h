/*
 * facet.h — the public C API of Facet, an OpenSCAD renderer.
 *
 * This is the only header a host (the CLI in src/cli, the wasm glue in wasm/) includes.
 * Everything behind it is plain C11 without I/O: the host hands in source text, a file
 * resolver and options, and gets back bytes plus metadata.
 *
 * Ownership: a facet_ctx owns every byte it hands out. The pointers inside a facet_result
 * (data, meta_json, log lines, params_json) stay valid until the next call on the same
 * context or until facet_free(). A host that wants to keep them copies them.
 *
 * One context renders one model at a time; it is not thread-safe, and it has no global
 * state, so several contexts may live side by side (one per worker, one per test).
 * A context keeps a cache of rendered CSG subtrees between renders so that re-rendering a
 * model after a parameter change only recomputes what changed.
 */
#ifndef FACET_H
#define FACET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FACET_VERSION_STRING "0.1.0"

/* Error kinds: id, wire name, default message. One table, used by the C code, the CLI and
 * the worker protocol (the wire name is the `kind` field of an error reply). */
#define FACET_ERRORS(X)                                                        \
    X(OK, "ok", "no error")                                                    \
    X(SYNTAX, "syntax", "syntax error")                                        \
    X(EVAL, "eval", "evaluation error")                                        \
    X(GEOMETRY, "geometry", "invalid geometry")                                \
    X(MEMORY_LIMIT, "memory_limit", "memory limit exceeded")                   \
    X(STEP_LIMIT, "step_limit", "evaluation step limit exceeded")              \
    X(RECURSION_DEPTH, "recursion_depth", "recursion detected")                \
    X(CANCELLED, "cancelled", "render cancelled")                              \
    X(TIMEOUT, "timeout", "render timed out")                                  \
    X(IO, "io", "file not found or unreadable")                                \
    X(INTERNAL, "internal", "internal error")

typedef enum facet_error_kind {
#define FACET_X_ENUM(id, name, msg) FACET_ERR_##id,
    FACET_ERRORS(FACET_X_ENUM)
#undef FACET_X_ENUM
    FACET_ERR_COUNT
} facet_error_kind;

/* Wire name ("syntax", "memory_limit", …) and default message of an error kind. */
const char *facet_error_name(facet_error_kind kind);
const char *facet_error_message(facet_error_kind kind);

typedef struct facet_error {
    facet_error_kind kind;
    const char *message; /* full text, OpenSCAD's wording where one exists (no "ERROR: ") */
    const char *file;    /* "" when unknown */
    int line;            /* 1-based, 0 when unknown */
    int column;          /* 1-based, 0 when unknown */
    const char *trace;   /* newline-separated "TRACE: ..." lines of the call stack, or "" */
} facet_error;

typedef enum facet_format {
    FACET_FORMAT_NONE = 0, /* evaluate and build geometry, export nothing (stats only) */
    FACET_FORMAT_BINSTL,
    FACET_FORMAT_ASCIISTL,
    FACET_FORMAT_OFF,
    FACET_FORMAT_OBJ,
    FACET_FORMAT_3MF,
    FACET_FORMAT_SVG, /* 2D results */
    FACET_FORMAT_DXF, /* 2D results */
    /* "mesh": the viewer's compact binary form, little-endian:
     *   "FMSH", u32 version (1), u32 nv, u32 nt, f32 pos[3*nv], u32 index[3*nt],
     *   u32 color[nt] (0xRRGGBBAA, 0 = no color)
     * 2D results are sent as their triangulated fill at z = 0. */
    FACET_FORMAT_MESH,
    FACET_FORMAT_COUNT
} facet_format;

/* "binstl" -> FACET_FORMAT_BINSTL, also file extensions ("stl" -> binary STL). Returns
 * FACET_FORMAT_NONE when unknown. */
facet_format facet_format_from_name(const char *name);
const char *facet_format_name(facet_format fmt);

typedef enum facet_log_level {
    FACET_LOG_ECHO,
    FACET_LOG_WARNING,
    FACET_LOG_ERROR,
    FACET_LOG_TRACE,
    FACET_LOG_DEPRECATED,
    FACET_LOG_INFO /* Facet's own notes; never printed as OpenSCAD lines */
} facet_log_level;

/* Reads a file for include<>/use<>/import()/surface()/fonts. `path` is already resolved
 * (relative to the including file, or under a library path). Returns 0 and sets *data and *len
 * to bytes the host owns and keeps valid until facet_render returns (the core copies what it
 * needs); nonzero when the file does not exist or cannot be read. */
typedef int (*facet_read_fn)(void *user, const char *path, const char **data, size_t *len);

/* The virtual path under which the core asks read_file for its font pack (Liberation Sans,
 * Serif and Mono in four styles; the file facet-fonts.bin that `make` builds). It is read
 * once per context, the first time text() needs a font, and never otherwise: the CLI maps it
 * to facet-fonts.bin beside its executable, the wasm worker fetches facet-fonts.bin from its
 * base URL only when asked. A host without it answers nonzero: text() then warns and draws
 * nothing (fonts given with `use <file.ttf>` still work). */
#define FACET_FONTS_PATH "facet:fonts"

/* Called for every log line as soon as it is produced; `line` is the full text as OpenSCAD
 * prints it ("ECHO: 1", "WARNING: ...", ...), without a newline. */
typedef void (*facet_log_fn)(void *user, facet_log_level level, const char *line);

/* Called between stages and periodically during long stages. Return nonzero to cancel the
 * render (it then fails with FACET_ERR_CANCELLED). `stage` is "parse", "eval", "geometry"
 * or "export"; fraction is in [0, 1] or negative when unknown. */
typedef int (*facet_progress_fn)(void *user, const char *stage, double fraction);

/* Monotonic clock in milliseconds, used for timings and timeouts. NULL = the core's own
 * (clock_gettime). */
typedef double (*facet_clock_fn)(void *user);

/* Zero means "default" for every field (sokol style); facet_options_resolve() shows the
 * resolved values. */
typedef struct facet_options {
    size_t memory_limit;       /* bytes the context may hold; default 2 GiB - 64 MiB */
    uint64_t step_limit;       /* evaluation steps per render; default 2e9 */
    int recursion_limit;       /* nested user calls; default 100000 (tail calls are free) */
    size_t cache_limit;        /* bytes of cached subtree geometry; default 256 MiB */
    double timeout_ms;         /* 0 = none */
    int preview;               /* value of $preview: OpenSCAD sets it only when previewing
                                  (F5) or exporting echo output, never for a mesh export */
    const char *const *library_paths; /* NULL-terminated, searched after the including dir */
    facet_read_fn read_file;
    facet_log_fn log;
    facet_progress_fn progress;
    facet_clock_fn clock;
    void *user; /* passed to every callback */
} facet_options;

facet_options facet_options_resolve(const facet_options *opt);

/* A command-line style override: `name` = `expr`, where expr is OpenSCAD source ("10",
 * "\"text\"", "[1,2,3]", "true"). Like OpenSCAD's -D, it replaces the file's top-level
 * assignment of that name. */
typedef struct facet_param {
    const char *name;
    const char *expr;
} facet_param;

typedef struct facet_stats {
    int dim;                  /* 3 for a mesh, 2 for a 2D result, 0 when empty */
    long triangles, vertices; /* 3D; for 2D: triangles of the fill, vertices of outlines */
    long contours;            /* 2D: number of outlines */
    double bbox_min[3], bbox_max[3];
    double volume, area;      /* 3D: volume and surface area; 2D: volume 0, area = area */
    int manifold;             /* 1 when the mesh is a closed oriented 2-manifold */
    long genus;
    int outward;              /* 3D, manifold, and every connected component encloses a
                                 positive volume (its faces wind outward) */
    double ms_parse, ms_eval, ms_geometry, ms_export;
    long cache_hits, cache_misses;
    size_t peak_memory;       /* bytes held at most during the render */
} facet_stats;

typedef struct facet_result {
    const uint8_t *data; /* exported bytes (NULL/0 for FACET_FORMAT_NONE) */
    size_t size;
    facet_stats stats;
    const char *meta_json; /* stats + log + timings as one JSON object */
    const char *params_json; /* the customizer parameters as a JSON array */
    int nlog;
    const char *const *log; /* every log line of the render, in order */
} facet_result;

typedef struct facet_ctx facet_ctx;

/* NULL only when the context itself cannot be allocated. */
facet_ctx *facet_new(const facet_options *opt);
void facet_free(facet_ctx *ctx);

/* Renders `src` (named `path` for messages and for resolving relative includes) with the
 * overrides `params`, exporting `fmt`. Returns FACET_ERR_OK or the kind of the error;
 * facet_last_error() then tells more, and the log in *out still holds what was printed. */
facet_error_kind facet_render(facet_ctx *ctx, const char *path, const char *src, size_t len,
                              const facet_param *params, int nparams, facet_format fmt,
                              facet_result *out);

/* Parses `src` and reports only its customizer parameters (out->params_json). */
facet_error_kind facet_parameters(facet_ctx *ctx, const char *path, const char *src,
                                  size_t len, facet_result *out);

const facet_error *facet_last_error(const facet_ctx *ctx);

/* Drops the subtree cache (the next render starts cold). */
void facet_clear_cache(facet_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
