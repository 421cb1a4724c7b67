/*
 * builtin_list.c — the list built-ins: len concat lookup search.
 *
 * search() has four shapes (OpenSCAD's manual, "search"): a number or a vector of values
 * looked up in a list (optionally in column index_col_num of each entry), or a string whose
 * characters are looked up in a string or in column index_col_num of a list. The number of
 * matches returned per searched value is num_returns_per_match (0 = all); with 1 the result
 * is flat, otherwise a list of index lists per searched value.
 */
#include "eval/builtin.h"

#include <math.h>

val bi_fn_len(bi_call *c) {
    if (c->nargs == 1 && c->args[0].type == VAL_VEC) return val_num((double)c->args[0].u.v->n);
    static const val_type t[1] = {VAL_STR};
    if (!bi_check(c, 1, t)) return val_undef();
    return val_num((double)c->args[0].u.s->nchars);
}

val bi_fn_concat(bi_call *c) {
    val_builder b;
    vb_init(&b, c->ctx);
    for (int i = 0; i < c->nargs; i++) {
        val a = c->args[i];
        if (a.type == VAL_VEC) {
            for (uint32_t k = 0; k < a.u.v->n; k++) vb_push(&b, a.u.v->items[k]);
        } else {
            vb_push(&b, a);
        }
    }
    return vb_finish(&b);
}

/* A [key, value] pair of two numbers (exactly two items). */
static bool pair(val v, double *k, double *x) {
    if (v.type != VAL_VEC || v.u.v->n != 2) return false;
    val a = v.u.v->items[0], b = v.u.v->items[1];
    if (a.type != VAL_NUM || b.type != VAL_NUM) return false;
    *k = a.u.n;
    *x = b.u.n;
    return true;
}

val bi_fn_lookup(bi_call *c) {
    static const val_type t[2] = {VAL_NUM, VAL_VEC};
    if (!bi_check(c, 2, t)) return val_undef();
    double p = c->args[0].u.n;
    if (!isfinite(p)) {
        sbuf s;
        sb_init(&s, c->ctx);
        val_format_num(&s, p);
        sb_putc(&s, '\0');
        bi_warn(c, "lookup(%s, ...) first argument is not a number", s.data);
        sb_free(&s);
        return val_undef();
    }
    const val_vec *tab = c->args[1].u.v;
    double low_p, low_v, high_p, high_v;
    if (tab->n == 0 || !pair(tab->items[0], &low_p, &low_v)) return val_undef();
    high_p = low_p;
    high_v = low_v;
    /* the closest keys at or below and at or above p, in any table order */
    for (uint32_t i = 1; i < tab->n; i++) {
        double k, x;
        if (!pair(tab->items[i], &k, &x)) continue;
        if (k <= p && (k > low_p || low_p > p)) {
            low_p = k;
            low_v = x;
        }
        if (k >= p && (k < high_p || high_p < p)) {
            high_p = k;
            high_v = x;
        }
    }
    if (p <= low_p) return val_num(high_v);
    if (p >= high_p) return val_num(low_v);
    double f = (p - low_p) / (high_p - low_p);
    return val_num(high_v * f + low_v * (1 - f));
}

/* Does table entry e match v (whole entry when col is 0, else its item col)? */
static bool entry_matches(val v, val e, uint32_t col) {
    if (col == 0 && val_equal(v, e)) return true;
    return e.type == VAL_VEC && col < e.u.v->n && val_equal(v, e.u.v->items[col]);
}

static void index_list_push(val_builder *b, uint32_t j) { vb_push_take(b, val_num((double)j)); }

/* The matches of one searched item. With nret == 1 the first match goes straight into the
 * result; otherwise up to nret (0 = all) indices are collected into a list of their own. */
typedef struct search_hits {
    val_builder list;
    uint32_t count, nret;
} search_hits;

static void hits_begin(search_hits *h, bi_call *c, uint32_t nret) {
    vb_init(&h->list, c->ctx);
    h->count = 0;
    h->nret = nret;
}

/* Records match j; true when no more matches are wanted for this item. */
static bool hits_add(search_hits *h, val_builder *out, uint32_t j) {
    h->count++;
    if (h->nret == 1) {
        index_list_push(out, j);
        return true;
    }
    index_list_push(&h->list, j);
    return h->nret > 1 && h->count >= h->nret;
}

/* Appends the item's list to out. With nret == 1 there is none, except that an unmatched
 * item of a vector search still takes a place ([]) when empty_slot is set. */
static void hits_end(search_hits *h, val_builder *out, bool empty_slot) {
    if (h->nret != 1 || (empty_slot && h->count == 0))
        vb_push_take(out, vb_finish(&h->list));
    else
        vb_discard(&h->list);
}

/* The characters of `find` looked up in the characters of `table`. */
static val search_str_in_str(bi_call *c, const val_str *find, const val_str *table,
                             uint32_t nret) {
    val_builder out;
    vb_init(&out, c->ctx);
    size_t fp = 0;
    for (uint32_t i = 0; i < find->nchars; i++) {
        uint32_t fc = val_utf8_decode(find->data + fp, find->len - fp);
        fp += (size_t)val_utf8_skip((unsigned char)find->data[fp]);
        search_hits hits;
        hits_begin(&hits, c, nret);
        size_t tp = 0;
        for (uint32_t j = 0; j < table->nchars; j++) {
            uint32_t tc = val_utf8_decode(table->data + tp, table->len - tp);
            tp += (size_t)val_utf8_skip((unsigned char)table->data[tp]);
            if (fc == tc && hits_add(&hits, &out, j)) break;
        }
        hits_end(&hits, &out, false);
        fc_step(c->ctx);
    }
    return vb_finish(&out);
}

/* The characters of `find` looked up in column col of a list of entries. */
static val search_str_in_list(bi_call *c, const val_str *find, const val_vec *table,
                              uint32_t nret, uint32_t col) {
    val_builder out;
    vb_init(&out, c->ctx);
    size_t fp = 0;
    for (uint32_t i = 0; i < find->nchars; i++) {
        uint32_t fc = val_utf8_decode(find->data + fp, find->len - fp);
        fp += (size_t)val_utf8_skip((unsigned char)find->data[fp]);
        search_hits hits;
        hits_begin(&hits, c, nret);
        for (uint32_t j = 0; j < table->n; j++) {
            val e = table->items[j];
            if (e.type != VAL_VEC || e.u.v->n <= col) {
                sbuf s;
                sb_init(&s, c->ctx);
                val_format_nothrow(c->ctx, &s, e);
                sb_putc(&s, '\0');
                bi_warn(c,
                        "Invalid entry in search vector at index %u, required number of values "
                        "in the entry: %u. Invalid entry: %s",
                        (unsigned)j, (unsigned)col + 1, s.data);
                sb_free(&s);
                vb_discard(&hits.list);
                vb_discard(&out);
                return val_vec_new(c->ctx, 0);
            }
            val key = e.u.v->items[col];
            /* only strings can match a character: their first character is compared */
            if (key.type != VAL_STR) continue;
            uint32_t kc = key.u.s->len ? val_utf8_decode(key.u.s->data, key.u.s->len) : 0;
            if (fc == kc && hits_add(&hits, &out, j)) break;
        }
        hits_end(&hits, &out, false);
        fc_step(c->ctx);
    }
    return vb_finish(&out);
}

val bi_fn_search(bi_call *c) {
    if (c->nargs < 2 || c->nargs > 4) {
        bi_warn_count(c, "between 2 and 4");
        return val_undef();
    }
    val find = c->args[0], table = c->args[1];
    /* a non-number count or column reads as 0, as OpenSCAD's toDouble() does */
    uint32_t nret = 1, col = 0;
    if (c->nargs > 2) nret = bi_to_u32(c->args[2].type == VAL_NUM ? c->args[2].u.n : 0);
    if (c->nargs > 3) col = bi_to_u32(c->args[3].type == VAL_NUM ? c->args[3].u.n : 0);
    const val_vec *tab = table.type == VAL_VEC ? table.u.v : NULL;
    uint32_t tn = tab ? tab->n : 0;

    if (find.type == VAL_NUM) {
        val_builder out;
        vb_init(&out, c->ctx);
        uint32_t count = 0;
        for (uint32_t j = 0; j < tn; j++) {
            if (!entry_matches(find, tab->items[j], col)) continue;
            index_list_push(&out, j);
            count++;
            if (nret != 0 && count >= nret) break;
        }
        return vb_finish(&out);
    }
    if (find.type == VAL_STR) {
        if (table.type == VAL_STR) return search_str_in_str(c, find.u.s, table.u.s, nret);
        static const val_vec empty = {0, 0};
        return search_str_in_list(c, find.u.s, tab ? tab : &empty, nret, col);
    }
    if (find.type == VAL_VEC) {
        val_builder out;
        vb_init(&out, c->ctx);
        for (uint32_t i = 0; i < find.u.v->n; i++) {
            val v = find.u.v->items[i];
            search_hits hits;
            hits_begin(&hits, c, nret);
            for (uint32_t j = 0; j < tn; j++)
                if (entry_matches(v, tab->items[j], col) && hits_add(&hits, &out, j)) break;
            hits_end(&hits, &out, true);
            fc_step(c->ctx);
        }
        return vb_finish(&out);
    }
    return val_undef();
}
