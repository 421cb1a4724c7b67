/*
 * value.h — OpenSCAD values: undef, bool, number, string, vector, range, function.
 *
 * A `val` is 16 bytes passed by value. Strings, vectors, ranges and functions point to
 * immutable, reference-counted heap objects (context allocator): val_retain() when you
 * store a copy, val_release() when you drop one. Values built during a render that are still
 * referenced when the render ends (cycles through closures, or after an error unwound the
 * evaluator) are reclaimed with the render pool, so reference counting only has to keep the
 * *live* memory small during evaluation; it never has to be perfect to be leak-free.
 *
 * Ownership convention: functions returning a `val` return a new reference (the caller
 * owns it); functions taking `const val *` or `val` arguments borrow them unless the name
 * says `_take`.
 */
#ifndef FC_VALUE_H
#define FC_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/sbuf.h"

typedef enum val_type {
    VAL_UNDEF = 0,
    VAL_BOOL,
    VAL_NUM,
    VAL_STR,
    VAL_VEC,
    VAL_RANGE,
    VAL_FUNC
} val_type;

typedef struct val_str val_str;
typedef struct val_vec val_vec;
typedef struct val_range val_range;
typedef struct val_func val_func;

typedef struct val {
    uint8_t type; /* val_type */
    union {
        bool b;
        double n;
        val_str *s;
        val_vec *v;
        val_range *r;
        val_func *f;
    } u;
} val;

struct val_str {
    uint32_t rc;
    uint32_t nchars; /* number of UTF-8 code points (what len() and indexing count) */
    size_t len;      /* bytes, excluding the terminating NUL */
    char data[];     /* UTF-8, NUL-terminated */
};

struct val_vec {
    uint32_t rc;
    uint32_t n;
    val items[];
};

struct val_range {
    uint32_t rc;
    double begin, step, end;
};

struct ast_node;
struct scope;
struct val_func {
    uint32_t rc;
    const struct ast_node *lit; /* the AST_FUNCLIT node */
    struct scope *env;          /* captured scope (retained) */
};

/* ---- construction ---- */
static inline val val_undef(void) { val v; v.type = VAL_UNDEF; v.u.n = 0; return v; }
static inline val val_bool(bool b) { val v; v.type = VAL_BOOL; v.u.b = b; return v; }
static inline val val_num(double n) { val v; v.type = VAL_NUM; v.u.n = n; return v; }
val val_str_new(facet_ctx *ctx, const char *s, size_t len); /* copies; counts code points */
val val_str_cstr(facet_ctx *ctx, const char *s);
val val_range_new(facet_ctx *ctx, double begin, double step, double end);
/* A vector of n items, all undef, to be filled before it is shared (items are owned). */
val val_vec_new(facet_ctx *ctx, uint32_t n);
/* Vector from borrowed items (each retained). */
val val_vec_from(facet_ctx *ctx, const val *items, uint32_t n);
val val_vec3(facet_ctx *ctx, double x, double y, double z);
val val_func_new(facet_ctx *ctx, const struct ast_node *lit, struct scope *env);

/* A growable list used while building vectors (list comprehensions, concat, ...). */
typedef struct val_builder {
    facet_ctx *ctx;
    val *items;
    int n, cap;
} val_builder;
void vb_init(val_builder *b, facet_ctx *ctx);
void vb_push_take(val_builder *b, val v); /* takes ownership of v */
void vb_push(val_builder *b, val v);      /* retains v */
val vb_finish(val_builder *b);            /* the vector; the builder is emptied */
void vb_discard(val_builder *b);

/* ---- reference counting ---- */
void val_retain(val v);
void val_release(facet_ctx *ctx, val v);

/* ---- inspection ---- */
static inline bool val_is_num(val v) { return v.type == VAL_NUM; }
static inline bool val_is_vec(val v) { return v.type == VAL_VEC; }
static inline uint32_t val_len(val v) { return v.type == VAL_VEC ? v.u.v->n : 0; }
const char *val_type_name(val_type t); /* OpenSCAD's names: "undefined", "bool", "number", "string", "vector", "range", "function" */
bool val_truthy(val v);                /* OpenSCAD truthiness */
bool val_equal(val a, val b);          /* OpenSCAD `==` */
/* Number of elements a range yields (saturating at UINT64_MAX for absurd ranges), and
 * OpenSCAD's element i of it. */
uint64_t val_range_count(const val_range *r);
double val_range_at(const val_range *r, uint64_t i);
/* Helpers for builtin modules: read a number / a vector of k numbers. Return false (and
 * leave *out untouched) when v is not of that shape or contains a non-number. */
bool val_get_num(val v, double *out);
bool val_get_vec(val v, double *out, int k);

/* ---- formatting, exactly as OpenSCAD prints ---- */
/* Number as str()/echo prints it: %g-like with 6 significant digits ("0.333333", "1e-06",
 * "-0" as "-0"? see value.c), "inf", "-inf", "nan". */
void val_format_num(sbuf *b, double d);
/* A value as echo() prints it: strings quoted with escapes, vectors "[1, 2, 3]", ranges
 * "[0 : 1 : 10]", functions as their source form, undef as "undef". */
void val_format(facet_ctx *ctx, sbuf *b, val v);
/* A value as str() concatenates it: strings unquoted, everything else as val_format. */
void val_format_str(facet_ctx *ctx, sbuf *b, val v);

#endif
