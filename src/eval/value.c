/*
 * value.c — construction, reference counting, truthiness, equality and ranges of OpenSCAD
 * values.
 *
 * Heap values (strings, vectors, ranges, functions, objects) are single context blocks that start
 * with a reference count. Releasing the last reference of a vector releases its items, and
 * because nested vectors can be tens of thousands of levels deep (a recursive function that
 * wraps its argument in brackets), releasing and comparing walk an explicit stack instead
 * of recursing on the C stack, which is small under WebAssembly.
 */
#include "eval/value.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- construction */

val val_str_new(facet_ctx *ctx, const char *s, size_t len) {
    val_str *o = fc_alloc(ctx, sizeof *o + len + 1);
    o->rc = 1;
    o->len = len;
    if (len) memcpy(o->data, s, len);
    o->data[len] = '\0';
    o->nchars = val_utf8_count(o->data, len);
    val v;
    v.type = VAL_STR;
    v.u.s = o;
    return v;
}

val val_str_cstr(facet_ctx *ctx, const char *s) { return val_str_new(ctx, s, strlen(s)); }

val val_range_new(facet_ctx *ctx, double begin, double step, double end) {
    val_range *o = fc_alloc(ctx, sizeof *o);
    o->rc = 1;
    o->begin = begin;
    o->step = step;
    o->end = end;
    val v;
    v.type = VAL_RANGE;
    v.u.r = o;
    return v;
}

val val_vec_new(facet_ctx *ctx, uint32_t n) {
    val_vec *o = fc_alloc(ctx, sizeof *o + (size_t)n * sizeof(val));
    o->rc = 1;
    o->n = n;
    for (uint32_t i = 0; i < n; i++) o->items[i] = val_undef();
    val v;
    v.type = VAL_VEC;
    v.u.v = o;
    return v;
}

val val_vec_from(facet_ctx *ctx, const val *items, uint32_t n) {
    val v = val_vec_new(ctx, n);
    for (uint32_t i = 0; i < n; i++) {
        val_retain(items[i]);
        v.u.v->items[i] = items[i];
    }
    return v;
}

val val_vec3(facet_ctx *ctx, double x, double y, double z) {
    val v = val_vec_new(ctx, 3);
    v.u.v->items[0] = val_num(x);
    v.u.v->items[1] = val_num(y);
    v.u.v->items[2] = val_num(z);
    return v;
}

val val_vec_cat(facet_ctx *ctx, const val_vec *a, const val_vec *b) {
    val v = val_vec_new(ctx, a->n + b->n);
    for (uint32_t i = 0; i < a->n; i++) {
        val_retain(a->items[i]);
        v.u.v->items[i] = a->items[i];
    }
    for (uint32_t i = 0; i < b->n; i++) {
        val_retain(b->items[i]);
        v.u.v->items[a->n + i] = b->items[i];
    }
    return v;
}

val val_func_new(facet_ctx *ctx, const struct ast_node *lit, struct scope *env) {
    val_func *o = fc_alloc(ctx, sizeof *o);
    o->rc = 1;
    o->lit = lit;
    o->env = env;
    o->env_release = NULL;
    val v;
    v.type = VAL_FUNC;
    v.u.f = o;
    return v;
}

val val_obj_new(facet_ctx *ctx, uint32_t n) {
    val_obj *o = fc_alloc(ctx, sizeof *o + (size_t)n * 2 * sizeof(val));
    o->rc = 1;
    o->n = n;
    for (uint32_t i = 0; i < 2 * n; i++) o->items[i] = val_undef();
    val v;
    v.type = VAL_OBJ;
    v.u.o = o;
    return v;
}

void val_obj_set_take(facet_ctx *ctx, val obj, uint32_t i, const char *name, val v) {
    val_obj *o = obj.u.o;
    val_release(ctx, o->items[2 * i]);
    val_release(ctx, o->items[2 * i + 1]);
    o->items[2 * i] = val_str_cstr(ctx, name);
    o->items[2 * i + 1] = v;
}

val val_obj_get(val obj, const char *name) {
    if (obj.type != VAL_OBJ) return val_undef();
    const val_obj *o = obj.u.o;
    for (uint32_t i = 0; i < o->n; i++) {
        val k = o->items[2 * i];
        if (k.type == VAL_STR && strcmp(k.u.s->data, name) == 0) return o->items[2 * i + 1];
    }
    return val_undef();
}

/* ---------------------------------------------------------------- builder */

void vb_init(val_builder *b, facet_ctx *ctx) {
    b->ctx = ctx;
    b->items = NULL;
    b->n = b->cap = 0;
}

void vb_push_take(val_builder *b, val v) {
    if (b->n == b->cap) {
        int cap = b->cap ? b->cap : 8;
        while (cap <= b->n) cap *= 2;
        b->items = fc_realloc_array(b->ctx, b->items, (size_t)cap, sizeof *b->items);
        b->cap = cap;
    }
    b->items[b->n++] = v;
}

void vb_push(val_builder *b, val v) {
    val_retain(v);
    vb_push_take(b, v);
}

val vb_finish(val_builder *b) {
    val v = val_vec_new(b->ctx, (uint32_t)b->n);
    if (b->n) memcpy(v.u.v->items, b->items, (size_t)b->n * sizeof(val));
    fc_free(b->ctx, b->items);
    b->items = NULL;
    b->n = b->cap = 0;
    return v;
}

void vb_discard(val_builder *b) {
    for (int i = 0; i < b->n; i++) val_release(b->ctx, b->items[i]);
    fc_free(b->ctx, b->items);
    b->items = NULL;
    b->n = b->cap = 0;
}

/* ---------------------------------------------------------------- reference counting */

void val_retain(val v) {
    switch (v.type) {
    case VAL_STR: v.u.s->rc++; break;
    case VAL_VEC: v.u.v->rc++; break;
    case VAL_RANGE: v.u.r->rc++; break;
    case VAL_FUNC: v.u.f->rc++; break;
    case VAL_OBJ: v.u.o->rc++; break;
    default: break;
    }
}

/* A dead vector whose items still have to be released, and how far we got. */
typedef struct rel_frame {
    val_vec *v;
    uint32_t i;
} rel_frame;

enum { REL_LOCAL = 32 };

/* Drops one reference of a non-vector value; returns a vector that just died (its items
 * are still to be released) or NULL. */
static val_vec *drop_one(facet_ctx *ctx, val v) {
    switch (v.type) {
    case VAL_STR:
        if (--v.u.s->rc == 0) fc_free(ctx, v.u.s);
        return NULL;
    case VAL_RANGE:
        if (--v.u.r->rc == 0) fc_free(ctx, v.u.r);
        return NULL;
    case VAL_FUNC:
        if (--v.u.f->rc == 0) {
            val_func *f = v.u.f;
            if (f->env_release && f->env) f->env_release(ctx, f->env);
            fc_free(ctx, f);
        }
        return NULL;
    case VAL_OBJ:
        if (--v.u.o->rc == 0) {
            /* objects nest only a few levels (see value.h): plain recursion */
            val_obj *o = v.u.o;
            for (uint32_t i = 0; i < 2 * o->n; i++) val_release(ctx, o->items[i]);
            fc_free(ctx, o);
        }
        return NULL;
    case VAL_VEC:
        return --v.u.v->rc == 0 ? v.u.v : NULL;
    default:
        return NULL;
    }
}

void val_release(facet_ctx *ctx, val v) {
    val_vec *dead = drop_one(ctx, v);
    if (!dead) return;
    rel_frame local[REL_LOCAL];
    rel_frame *stack = local;
    int n = 0, cap = REL_LOCAL;
    stack[n++] = (rel_frame){dead, 0};
    while (n > 0) {
        rel_frame *top = &stack[n - 1];
        if (top->i == top->v->n) {
            fc_free(ctx, top->v);
            n--;
            continue;
        }
        val item = top->v->items[top->i++];
        val_vec *child = drop_one(ctx, item);
        if (!child) continue;
        if (n == cap) {
            /* deeper than the local frames: continue on the heap */
            rel_frame *grown = fc_alloc(ctx, (size_t)cap * 2 * sizeof *grown);
            memcpy(grown, stack, (size_t)n * sizeof *grown);
            if (stack != local) fc_free(ctx, stack);
            stack = grown;
            cap *= 2;
        }
        stack[n++] = (rel_frame){child, 0};
    }
    if (stack != local) fc_free(ctx, stack);
}

/* ---------------------------------------------------------------- inspection */

const char *val_type_name(val_type t) {
    switch (t) {
    case VAL_UNDEF: return "undefined";
    case VAL_BOOL: return "bool";
    case VAL_NUM: return "number";
    case VAL_STR: return "string";
    case VAL_VEC: return "vector";
    case VAL_RANGE: return "range";
    case VAL_FUNC: return "function";
    case VAL_OBJ: return "object";
    }
    return "undefined";
}

bool val_truthy(val v) {
    switch (v.type) {
    case VAL_BOOL: return v.u.b;
    case VAL_NUM: return v.u.n != 0; /* NaN is true, as in OpenSCAD */
    case VAL_STR: return v.u.s->len != 0;
    case VAL_VEC: return v.u.v->n != 0;
    case VAL_RANGE:
    case VAL_FUNC:
    case VAL_OBJ: return true;
    default: return false;
    }
}

static bool range_equal(const val_range *a, const val_range *b) {
    uint64_t n1 = val_range_count(a), n2 = val_range_count(b);
    if (n1 == 0) return n2 == 0;
    if (n2 == 0) return false;
    /* the end value does not matter, only the values the range produces */
    return a == b || (a->begin == b->begin && a->step == b->step && n1 == n2);
}

/* Ranges order by their first value, then step, then count; an empty range is below every
 * non-empty one (OpenSCAD's RangeType operators). */
bool val_range_less(const val_range *a, const val_range *b) {
    uint64_t n1 = val_range_count(a), n2 = val_range_count(b);
    if (n1 == 0) return n2 > 0;
    if (n2 == 0) return false;
    return a->begin < b->begin ||
           (a->begin == b->begin && (a->step < b->step || (a->step == b->step && n1 < n2)));
}

bool val_range_less_eq(const val_range *a, const val_range *b) {
    uint64_t n1 = val_range_count(a), n2 = val_range_count(b);
    if (n1 == 0) return true;
    if (n2 == 0) return false;
    return a->begin < b->begin ||
           (a->begin == b->begin && (a->step < b->step || (a->step == b->step && n1 <= n2)));
}

/* Equality of two non-vector values, or of two vectors by identity only. */
static bool scalar_equal(val a, val b) {
    if (a.type != b.type) return false;
    switch (a.type) {
    case VAL_UNDEF: return true;
    case VAL_BOOL: return a.u.b == b.u.b;
    case VAL_NUM: return a.u.n == b.u.n;
    case VAL_STR:
        return a.u.s == b.u.s ||
               (a.u.s->len == b.u.s->len && memcmp(a.u.s->data, b.u.s->data, a.u.s->len) == 0);
    case VAL_RANGE: return range_equal(a.u.r, b.u.r);
    case VAL_FUNC: return a.u.f == b.u.f;
    case VAL_OBJ: return false; /* undefined in OpenSCAD, see value.h */
    default: return false;
    }
}

typedef struct eq_frame {
    const val_vec *a, *b;
    uint32_t i;
} eq_frame;

bool val_equal(val a, val b) {
    if (a.type != VAL_VEC || b.type != VAL_VEC) return scalar_equal(a, b);
    /* vectors: elementwise, walking nested vectors with an explicit stack; the depth is
     * bounded by a fixed array because equality has no context to allocate from, and
     * vectors nested deeper than that are compared by identity below it */
    enum { EQ_DEPTH = 256 };
    eq_frame st[EQ_DEPTH];
    int n = 0;
    if (a.u.v->n != b.u.v->n) return false;
    st[n++] = (eq_frame){a.u.v, b.u.v, 0};
    while (n > 0) {
        eq_frame *t = &st[n - 1];
        if (t->i == t->a->n) {
            n--;
            continue;
        }
        val x = t->a->items[t->i], y = t->b->items[t->i];
        t->i++;
        if (x.type == VAL_VEC && y.type == VAL_VEC) {
            /* no shortcut for a shared vector: one holding NaN is unequal even to itself */
            if (x.u.v->n != y.u.v->n) return false;
            if (n == EQ_DEPTH) {
                if (!val_equal(x, y)) return false; /* a fresh stack for the deep part */
                continue;
            }
            st[n++] = (eq_frame){x.u.v, y.u.v, 0};
        } else if (!scalar_equal(x, y)) {
            return false;
        }
    }
    return true;
}

uint64_t val_range_count(const val_range *r) {
    const double b = r->begin, s = r->step, e = r->end;
    const uint64_t max = UINT32_MAX;
    if (isnan(b) || isnan(e) || isnan(s)) return 0;
    if (s < 0) {
        if (b < e) return 0;
    } else if (b > e) {
        return 0;
    }
    if (b == e || isinf(s)) return 1;
    if (isinf(b) || isinf(e) || s == 0) return max;
    /* nudged up by one ulp so that a quotient landing just below a whole number (0.1
     * steps) still counts its last element, as OpenSCAD does */
    double q = nextafter((e - b) / s, (double)max);
    if (!(q < (double)max)) return max;
    uint64_t steps = (uint64_t)q;
    return steps >= max ? max : steps + 1;
}

uint64_t val_range_iter_count(const val_range *r) {
    if (r->step == 0 || isnan(r->step) || isnan(r->begin) || isnan(r->end)) return 0;
    return val_range_count(r);
}

double val_range_at(const val_range *r, uint64_t i) {
    /* the first element is begin itself, not begin + step * 0, which is NaN for an
     * infinite step ([0:1/0:0] yields 0) */
    return i == 0 ? r->begin : r->begin + r->step * (double)i;
}

bool val_get_num(val v, double *out) {
    if (v.type != VAL_NUM) return false;
    *out = v.u.n;
    return true;
}

bool val_get_vec(val v, double *out, int k) {
    if (v.type != VAL_VEC || v.u.v->n != (uint32_t)k) return false;
    for (int i = 0; i < k; i++)
        if (v.u.v->items[i].type != VAL_NUM) return false;
    for (int i = 0; i < k; i++) out[i] = v.u.v->items[i].u.n;
    return true;
}
