/*
 * eval_ops.c — OpenSCAD's operators on values.
 *
 * Arithmetic follows OpenSCAD's (development version) rules: numbers combine as IEEE
 * doubles; `+`/`-` work element-wise on vectors (truncated to the shorter one); `*` scales
 * vectors by numbers, and between vectors is the dot product, matrix*vector,
 * vector*matrix or matrix*matrix depending on the shapes; `/` divides a vector by a number
 * or a number by each element of a vector. Anything else is undef with the warning
 * "undefined operation (T1 op T2)". Comparisons between values of different types are undef
 * with the same warning; bitwise operators truncate numbers to 64-bit integers.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "eval/eval.h"

static const char *tname(val v) { return val_type_name((val_type)v.type); }

/* Element-wise operators recurse into nested vectors; a value nested deeper than the C stack
 * allows (built by a loop) ends in an error instead of a crash. */
static void guard(eval_state *E, fc_loc loc) {
    char here;
    uintptr_t a = (uintptr_t)&here;
    size_t used = E->stack_base > a ? E->stack_base - a : a - E->stack_base;
    if (used > E->stack_budget) {
        char where[600];
        fc_loc_suffix(E->ctx, loc, where, sizeof where);
        fc_throw(E->ctx, FACET_ERR_RECURSION_DEPTH, loc,
                 "Stack exhausted while evaluating an operator on a deeply nested vector%s", where);
    }
}

static val undefined_op(eval_state *E, fc_loc loc, const char *op, val a, val b) {
    fc_log_at(E->ctx, FACET_LOG_WARNING, loc, "undefined operation (%s %s %s)", tname(a), op,
              tname(b));
    return val_undef();
}

static val neg_value(eval_state *E, val a, bool *ok, fc_loc loc) {
    if (a.type == VAL_NUM) return val_num(-a.u.n);
    if (a.type == VAL_VEC) {
        guard(E, loc);
        uint32_t n = a.u.v->n;
        val r = val_vec_new(E->ctx, n);
        for (uint32_t i = 0; i < n; i++) {
            bool eok = true;
            r.u.v->items[i] = neg_value(E, a.u.v->items[i], &eok, loc);
            if (!eok) {
                val_release(E->ctx, r);
                *ok = false;
                return val_undef();
            }
        }
        return r;
    }
    *ok = false;
    return val_undef();
}

val ops_unary(eval_state *E, ast_op op, val a, fc_loc loc) {
    switch (op) {
    case OP_NOT: return val_bool(!val_truthy(a));
    case OP_POS:
        if (a.type == VAL_NUM || a.type == VAL_VEC) {
            val_retain(a);
            return a;
        }
        fc_log_at(E->ctx, FACET_LOG_WARNING, loc, "undefined operation (+%s)", tname(a));
        return val_undef();
    case OP_NEG: {
        bool ok = true;
        val r = neg_value(E, a, &ok, loc);
        if (!ok) fc_log_at(E->ctx, FACET_LOG_WARNING, loc, "undefined operation (-%s)", tname(a));
        return r;
    }
    case OP_BITNOT:
        if (a.type == VAL_NUM) return val_num((double)~(int64_t)a.u.n);
        fc_log_at(E->ctx, FACET_LOG_WARNING, loc, "undefined operation (~%s)", tname(a));
        return val_undef();
    default: return val_undef();
    }
}

/* Element-wise + and - ; undef elements stay undef (OpenSCAD keeps going). */
static val addsub(eval_state *E, val a, val b, bool sub, bool *ok, fc_loc loc) {
    if (a.type == VAL_NUM && b.type == VAL_NUM) return val_num(sub ? a.u.n - b.u.n : a.u.n + b.u.n);
    if (a.type == VAL_VEC && b.type == VAL_VEC) {
        guard(E, loc);
        uint32_t n = a.u.v->n < b.u.v->n ? a.u.v->n : b.u.v->n;
        val r = val_vec_new(E->ctx, n);
        for (uint32_t i = 0; i < n; i++) {
            bool eok = true;
            r.u.v->items[i] = addsub(E, a.u.v->items[i], b.u.v->items[i], sub, &eok, loc);
        }
        return r;
    }
    *ok = false;
    return val_undef();
}

static val scale_vec(eval_state *E, val v, double k, bool k_first, bool divide, fc_loc loc) {
    guard(E, loc);
    uint32_t n = v.u.v->n;
    val r = val_vec_new(E->ctx, n);
    for (uint32_t i = 0; i < n; i++) {
        val x = v.u.v->items[i];
        if (x.type == VAL_NUM) {
            double y = x.u.n;
            r.u.v->items[i] = val_num(divide ? (k_first ? k / y : y / k) : (k_first ? k * y : y * k));
        } else if (x.type == VAL_VEC) {
            r.u.v->items[i] = scale_vec(E, x, k, k_first, divide, loc);
        } else {
            r.u.v->items[i] = val_undef();
        }
    }
    return r;
}

static bool all_nums(val v) {
    for (uint32_t i = 0; i < v.u.v->n; i++)
        if (v.u.v->items[i].type != VAL_NUM) return false;
    return true;
}

/* row . col where `b` is a matrix given by rows: sum_i a[i] * b[i][j]. */
static val vec_times_mat(eval_state *E, val a, val b, bool *ok) {
    uint32_t n = a.u.v->n;
    if (n != b.u.v->n || !all_nums(a)) goto bad;
    uint32_t cols = 0;
    for (uint32_t i = 0; i < n; i++) {
        val row = b.u.v->items[i];
        if (row.type != VAL_VEC || !all_nums(row)) goto bad;
        if (i == 0) cols = row.u.v->n;
        else if (row.u.v->n != cols) goto bad;
    }
    val r = val_vec_new(E->ctx, cols);
    for (uint32_t j = 0; j < cols; j++) {
        double s = 0;
        for (uint32_t i = 0; i < n; i++) s += a.u.v->items[i].u.n * b.u.v->items[i].u.v->items[j].u.n;
        r.u.v->items[j] = val_num(s);
    }
    return r;
bad:
    *ok = false;
    return val_undef();
}

static val mul(eval_state *E, val a, val b, bool *ok, fc_loc loc) {
    if (a.type == VAL_NUM && b.type == VAL_NUM) return val_num(a.u.n * b.u.n);
    if (a.type == VAL_VEC && b.type == VAL_NUM) return scale_vec(E, a, b.u.n, false, false, loc);
    if (a.type == VAL_NUM && b.type == VAL_VEC) return scale_vec(E, b, a.u.n, true, false, loc);
    if (a.type == VAL_VEC && b.type == VAL_VEC) {
        uint32_t na = a.u.v->n, nb = b.u.v->n;
        if (na == 0 || nb == 0) goto bad;
        val a0 = a.u.v->items[0], b0 = b.u.v->items[0];
        if (a0.type == VAL_NUM && b0.type == VAL_NUM) {
            /* dot product */
            if (na != nb || !all_nums(a) || !all_nums(b)) goto bad;
            double s = 0;
            for (uint32_t i = 0; i < na; i++) s += a.u.v->items[i].u.n * b.u.v->items[i].u.n;
            return val_num(s);
        }
        if (a0.type == VAL_VEC && b0.type == VAL_NUM) {
            /* matrix * column vector */
            if (!all_nums(b)) goto bad;
            for (uint32_t i = 0; i < na; i++) {
                val row = a.u.v->items[i];
                if (row.type != VAL_VEC || row.u.v->n != nb || !all_nums(row)) goto bad;
            }
            val r = val_vec_new(E->ctx, na);
            for (uint32_t i = 0; i < na; i++) {
                val row = a.u.v->items[i];
                double s = 0;
                for (uint32_t j = 0; j < nb; j++) s += row.u.v->items[j].u.n * b.u.v->items[j].u.n;
                r.u.v->items[i] = val_num(s);
            }
            return r;
        }
        if (a0.type == VAL_NUM && b0.type == VAL_VEC) return vec_times_mat(E, a, b, ok);
        if (a0.type == VAL_VEC && b0.type == VAL_VEC) {
            val r = val_vec_new(E->ctx, na);
            for (uint32_t i = 0; i < na; i++) {
                val row = a.u.v->items[i];
                bool rok = true;
                val p = row.type == VAL_VEC ? vec_times_mat(E, row, b, &rok) : val_undef();
                if (row.type != VAL_VEC || !rok) {
                    val_release(E->ctx, r);
                    goto bad;
                }
                r.u.v->items[i] = p;
            }
            return r;
        }
    }
bad:
    *ok = false;
    return val_undef();
}

static int cmp3(double x, double y) { return x < y ? -1 : x > y ? 1 : 0; }

/* Ordering of two values of the same type: -1/0/1, or 2 when unordered (NaN) and 3 when the
 * types do not compare. */
static int compare(eval_state *E, val a, val b, fc_loc loc) {
    if (a.type != b.type) return 3;
    switch (a.type) {
    case VAL_NUM:
        if (isnan(a.u.n) || isnan(b.u.n)) return 2;
        return cmp3(a.u.n, b.u.n);
    case VAL_BOOL: return cmp3(a.u.b, b.u.b);
    case VAL_STR: {
        size_t n = a.u.s->len < b.u.s->len ? a.u.s->len : b.u.s->len;
        int c = memcmp(a.u.s->data, b.u.s->data, n);
        if (c) return c < 0 ? -1 : 1;
        return cmp3((double)a.u.s->len, (double)b.u.s->len);
    }
    case VAL_VEC: {
        guard(E, loc);
        uint32_t n = a.u.v->n < b.u.v->n ? a.u.v->n : b.u.v->n;
        for (uint32_t i = 0; i < n; i++) {
            int c = compare(E, a.u.v->items[i], b.u.v->items[i], loc);
            if (c != 0) return c;
        }
        return cmp3(a.u.v->n, b.u.v->n);
    }
    case VAL_RANGE:
        if (val_range_less(a.u.r, b.u.r)) return -1;
        if (val_range_less(b.u.r, a.u.r)) return 1;
        return 0;
    default: return 3;
    }
}

static const char *op_text(ast_op op) { return ast_op_name(op); }

static val bitwise(eval_state *E, ast_op op, val a, val b, fc_loc loc) {
    if (a.type != VAL_NUM || b.type != VAL_NUM) return undefined_op(E, loc, op_text(op), a, b);
    int64_t x = (int64_t)a.u.n, y = (int64_t)b.u.n;
    switch (op) {
    case OP_BITAND: return val_num((double)(x & y));
    case OP_BITOR: return val_num((double)(x | y));
    case OP_SHL:
    case OP_SHR:
        if (y < 0) {
            fc_log_at(E->ctx, FACET_LOG_WARNING, loc, "negative shift");
            return val_undef();
        }
        if (y >= 64) {
            fc_log_at(E->ctx, FACET_LOG_WARNING, loc, "shift too large");
            return val_undef();
        }
        if (op == OP_SHL) return val_num((double)(int64_t)((uint64_t)x << y));
        return val_num((double)(x >> y));
    default: return val_undef();
    }
}

val ops_binary(eval_state *E, ast_op op, val a, val b, fc_loc loc) {
    bool ok = true;
    val r;
    switch (op) {
    case OP_ADD:
    case OP_SUB:
        r = addsub(E, a, b, op == OP_SUB, &ok, loc);
        break;
    case OP_MUL:
        if (a.type == VAL_VEC && b.type == VAL_VEC && (a.u.v->n == 0 || b.u.v->n == 0)) {
            fc_log_at(E->ctx, FACET_LOG_WARNING, loc, "Multiplication is undefined on empty vectors");
            return val_undef();
        }
        r = mul(E, a, b, &ok, loc);
        break;
    case OP_DIV:
        if (a.type == VAL_NUM && b.type == VAL_NUM) r = val_num(a.u.n / b.u.n);
        else if (a.type == VAL_VEC && b.type == VAL_NUM) r = scale_vec(E, a, b.u.n, false, true, loc);
        else if (a.type == VAL_NUM && b.type == VAL_VEC) r = scale_vec(E, b, a.u.n, true, true, loc);
        else ok = false, r = val_undef();
        break;
    case OP_MOD:
        if (a.type == VAL_NUM && b.type == VAL_NUM) r = val_num(fmod(a.u.n, b.u.n));
        else ok = false, r = val_undef();
        break;
    case OP_POW:
        if (a.type == VAL_NUM && b.type == VAL_NUM) r = val_num(pow(a.u.n, b.u.n));
        else ok = false, r = val_undef();
        break;
    case OP_EQ:
    case OP_NE:
        if (a.type == VAL_OBJ && b.type == VAL_OBJ) {
            /* OpenSCAD defines no equality between objects */
            fc_log_at(E->ctx, FACET_LOG_WARNING, loc, "operation undefined (object %s object)", op_text(op));
            return val_undef();
        }
        return val_bool(op == OP_EQ ? val_equal(a, b) : !val_equal(a, b));
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE: {
        int c = compare(E, a, b, loc);
        if (c == 3 && a.type == b.type && (a.type == VAL_UNDEF || a.type == VAL_OBJ)) {
            /* OpenSCAD words these cases (two undefs, two objects) differently */
            fc_log_at(E->ctx, FACET_LOG_WARNING, loc, "operation undefined (%s %s %s)", tname(a), op_text(op),
                      tname(b));
            return val_undef();
        }
        if (c == 3) return undefined_op(E, loc, op_text(op), a, b);
        if (c == 2) return val_bool(false);
        bool res = op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0;
        return val_bool(res);
    }
    case OP_BITAND:
    case OP_BITOR:
    case OP_SHL:
    case OP_SHR: return bitwise(E, op, a, b, loc);
    default: return val_undef();
    }
    if (!ok) return undefined_op(E, loc, op_text(op), a, b);
    return r;
}
