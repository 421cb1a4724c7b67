/*
 * value.h — OpenSCAD values: undef, bool, number, string, vector, range, function, object.
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
    VAL_FUNC,
    VAL_OBJ
} val_type;

typedef struct val_str val_str;
typedef struct val_vec val_vec;
typedef struct val_range val_range;
typedef struct val_func val_func;
typedef struct val_obj val_obj;

typedef struct val {
    uint8_t type; /* val_type */
    union {
        bool b;
        double n;
        val_str *s;
        val_vec *v;
        val_range *r;
        val_func *f;
        val_obj *o;
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
/* The function object owns one reference to `env`, handed over by the caller of
 * val_func_new (retain the scope first if you keep using it). Values do not know how scopes
 * are counted, so the evaluator sets `env_release` right after creating the function (before
 * sharing it); when the function dies that reference is dropped through it. With
 * env_release left NULL the scope is simply left to the render pool. */
struct val_func {
    uint32_t rc;
    const struct ast_node *lit; /* the AST_FUNCLIT node */
    struct scope *env;          /* captured scope (one reference owned, see above) */
    void (*env_release)(facet_ctx *ctx, struct scope *env);
};

/* An object (OpenSCAD's development-version "object" values, what textmetrics() and
 * fontmetrics() return): named members in the order they were added, printed as
 * `{ name = value; ... }`, read with `.name` or `["name"]`. Objects are only built by
 * built-in functions, so they nest a few levels at most and are released and compared
 * recursively. */
struct val_obj {
    uint32_t rc;
    uint32_t n;
    val items[]; /* 2n values: member i's name (a string) at 2i, its value at 2i + 1 */
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
/* An object with room for n members, all unset (name and value undef): fill them with
 * val_obj_set before sharing it. */
val val_obj_new(facet_ctx *ctx, uint32_t n);
/* Sets member i (< n) to name = v, taking ownership of v. */
void val_obj_set_take(facet_ctx *ctx, val obj, uint32_t i, const char *name, val v);
/* The value of member `name` (borrowed), or undef when there is none. */
val val_obj_get(val obj, const char *name);

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
/* OpenSCAD's names: "undefined", "bool", "number", "string", "vector", "range", "function",
 * "object" */
const char *val_type_name(val_type t);
bool val_truthy(val v); /* OpenSCAD truthiness (an object is true) */
/* OpenSCAD `==` as a truth value. Comparing two objects is undefined in OpenSCAD (the
 * evaluator warns "operation undefined (object == object)"); as a truth value that is false,
 * so an object equals nothing, not even itself. */
bool val_equal(val a, val b);
/* OpenSCAD's element count of a range (RangeType::numValues): 0 when empty (begin past end
 * in the step's direction, or any NaN), 1 when begin == end or the step is infinite, and
 * saturating at 4294967295 (UINT32_MAX) for unbounded ranges (step 0, infinite bounds) or
 * absurdly long ones. That saturated number is what OpenSCAD prints in "Bad range parameter
 * in for statement: too many elements (4294967295)". */
uint64_t val_range_count(const val_range *r);
/* Number of values iterating the range produces: val_range_count, except that a step of 0
 * (or a NaN anywhere) produces nothing, as in OpenSCAD ([1:0:1] iterates zero times). */
uint64_t val_range_iter_count(const val_range *r);
/* OpenSCAD's range comparisons (ranges compare with ranges only): by first value, then
 * step, then element count, every empty range equal to every other and below any
 * non-empty one. a > b is val_range_less(b, a), a >= b is val_range_less_eq(b, a). */
bool val_range_less(const val_range *a, const val_range *b);
bool val_range_less_eq(const val_range *a, const val_range *b);
/* Element i: begin for i = 0, else begin + step * i (computed afresh for each i, as
 * OpenSCAD does, so there is no accumulated rounding). */
double val_range_at(const val_range *r, uint64_t i);
/* Helpers for builtin modules: read a number / a vector of k numbers. Return false (and
 * leave *out untouched) when v is not of that shape or contains a non-number. */
bool val_get_num(val v, double *out);
bool val_get_vec(val v, double *out, int k);

/* ---- strings (UTF-8, with glib's lenient decoding as OpenSCAD uses it) ---- */
/* Byte length of the character starting with byte c (1 for stray continuation bytes). */
int val_utf8_skip(unsigned char c);
/* Characters in s[0..len): a truncated final sequence is not counted. */
uint32_t val_utf8_count(const char *s, size_t len);
/* Code point of the character at s (len bytes available), lenient like g_utf8_get_char. */
uint32_t val_utf8_decode(const char *s, size_t len);
/* Strict validation (g_utf8_validate): no overlongs, surrogates, or values > 0x10FFFF. */
bool val_utf8_valid(const char *s, size_t len);
/* Appends the UTF-8 encoding of code point cp (cp <= 0x10FFFF). */
void val_utf8_put(sbuf *b, uint32_t cp);
/* s[i] as OpenSCAD indexes a string: a new one-character string, or undef when i is past
 * the end (i counts characters, not bytes). */
val val_str_char_at(facet_ctx *ctx, const val_str *s, uint64_t i);
/* The character of s starting at byte *off (a lead byte and the continuation bytes after
 * it, as indexing counts characters) as a new string; *off moves past it. Walking a string
 * this way is linear, where indexing each character from the start is quadratic. */
val val_str_char_next(facet_ctx *ctx, const val_str *s, size_t *off);
/* Byte offset of the start of character i in s (s->len when i >= nchars). */
size_t val_str_offset(const val_str *s, uint64_t i);

/* ---- vectors ---- */
/* Concatenation of two vectors (new reference; items retained). */
val val_vec_cat(facet_ctx *ctx, const val_vec *a, const val_vec *b);
/* Item i of a vector, borrowed (undef past the end). */
static inline val val_vec_at(val v, uint32_t i) {
    return v.type == VAL_VEC && i < v.u.v->n ? v.u.v->items[i] : val_undef();
}

/* ---- formatting, exactly as OpenSCAD prints ---- */
/* Number as str()/echo prints it: 6 significant digits, trailing zeros trimmed, plain
 * decimal for 1e-5 <= |d| < 1e6 and exponent form otherwise ("0.333333", "1e-6", "1e+6",
 * "100000", "1.23457e+8"); ties round away from zero; -0 prints as "0"; "inf", "-inf",
 * "nan". */
void val_format_num(sbuf *b, double d);
/* A value as echo() prints it: strings in double quotes (OpenSCAD does not escape their
 * contents), vectors "[1, 2, 3]", ranges "[0 : 1 : 10]", functions as their source form,
 * objects "{ a = 1; b = "x"; }" (an empty one "{ }"), undef as "undef". A vector nested more than 10000 deep throws FACET_ERR_RECURSION_DEPTH
 * with OpenSCAD's "Stack exhausted while trying to convert a vector to EchoString". */
void val_format(facet_ctx *ctx, sbuf *b, val v);
/* val_format for messages (OpenSCAD's toEchoStringNoThrow): a vector too deeply nested to
 * print comes out as "..." instead of throwing. */
void val_format_nothrow(facet_ctx *ctx, sbuf *b, val v);
/* A value as str() concatenates it: strings unquoted, everything else as val_format. */
void val_format_str(facet_ctx *ctx, sbuf *b, val v);

#endif
