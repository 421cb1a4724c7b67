/*
 * scope.c — environments: variable, function and module tables with lexical and dynamic
 * lookup (see scope.h).
 */
#include "eval/scope.h"

#include <stdint.h>
#include <string.h>

enum { INDEX_AT = 12 }; /* tables longer than this get a hash index */

static uint32_t name_hash(const char *name) {
    uintptr_t p = (uintptr_t)name;
    uint64_t h = (uint64_t)p * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32);
}

static void tab_reindex(facet_ctx *ctx, scope_tab *t) {
    int icap = 32;
    while (icap < t->n * 2) icap *= 2;
    fc_free(ctx, t->index);
    t->index = fc_alloc(ctx, (size_t)icap * sizeof *t->index);
    for (int i = 0; i < icap; i++) t->index[i] = -1;
    t->icap = icap;
    for (int i = 0; i < t->n; i++) {
        uint32_t h = name_hash(t->names[i]) & (uint32_t)(icap - 1);
        while (t->index[h] >= 0) h = (h + 1) & (uint32_t)(icap - 1);
        t->index[h] = i;
    }
}

static int tab_find(const scope_tab *t, const char *name) {
    if (t->index) {
        uint32_t mask = (uint32_t)(t->icap - 1);
        for (uint32_t h = name_hash(name) & mask;; h = (h + 1) & mask) {
            int32_t i = t->index[h];
            if (i < 0) return -1;
            if (t->names[i] == name) return i;
        }
    }
    for (int i = t->n - 1; i >= 0; i--)
        if (t->names[i] == name) return i;
    return -1;
}

/* Appends a new entry; returns its slot. */
static int tab_add(facet_ctx *ctx, scope_tab *t, const char *name, void *item) {
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 4;
        t->names = fc_realloc_array(ctx, t->names, (size_t)cap, sizeof *t->names);
        t->items = fc_realloc_array(ctx, t->items, (size_t)cap, sizeof *t->items);
        t->cap = cap;
    }
    int i = t->n++;
    t->names[i] = name;
    t->items[i] = item;
    if (t->index && t->n * 2 <= t->icap) {
        uint32_t mask = (uint32_t)(t->icap - 1);
        uint32_t h = name_hash(name) & mask;
        while (t->index[h] >= 0) h = (h + 1) & mask;
        t->index[h] = i;
    } else if (t->n > INDEX_AT) {
        tab_reindex(ctx, t);
    }
    return i;
}

static void tab_free(facet_ctx *ctx, scope_tab *t) {
    fc_free(ctx, t->names);
    fc_free(ctx, t->items);
    fc_free(ctx, t->index);
}

scope *scope_new(facet_ctx *ctx, scope *parent, scope *dyn) {
    scope *s = fc_calloc(ctx, 1, sizeof *s);
    s->rc = 1;
    s->parent = parent;
    if (parent) scope_retain(parent);
    s->dyn = dyn;
    return s;
}

void scope_retain(scope *s) {
    if (s) s->rc++;
}

void scope_release(facet_ctx *ctx, scope *s) {
    /* a loop instead of recursion: releasing a long chain must not grow the C stack */
    while (s && --s->rc == 0) {
        scope *parent = s->parent;
        for (int i = 0; i < s->vars.n; i++) {
            val *v = s->vars.items[i];
            val_release(ctx, *v);
            fc_free(ctx, v);
        }
        tab_free(ctx, &s->vars);
        tab_free(ctx, &s->funcs);
        tab_free(ctx, &s->mods);
        if (s->inst) {
            scope_release(ctx, s->inst->caller);
            fc_free(ctx, s->inst);
        }
        fc_free(ctx, s);
        s = parent;
    }
}

void scope_set_take(facet_ctx *ctx, scope *s, const char *name, val v) {
    int i = tab_find(&s->vars, name);
    if (i >= 0) {
        val *slot = s->vars.items[i];
        val_release(ctx, *slot);
        *slot = v;
        return;
    }
    val *slot = fc_alloc(ctx, sizeof *slot);
    *slot = v;
    tab_add(ctx, &s->vars, name, slot);
    if (scope_is_special(name)) s->has_special = true;
}

val *scope_get_local(const scope *s, const char *name) {
    int i = tab_find(&s->vars, name);
    return i >= 0 ? (val *)s->vars.items[i] : NULL;
}

val *scope_lookup(const scope *s, const char *name) {
    bool special = scope_is_special(name);
    for (; s; s = special ? s->dyn : s->parent) {
        if (special && !s->has_special) continue;
        int i = tab_find(&s->vars, name);
        if (i >= 0) return s->vars.items[i];
    }
    return NULL;
}

void scope_def_func(facet_ctx *ctx, scope *s, const ast_node *def) {
    int i = tab_find(&s->funcs, def->u.def.name);
    if (i >= 0) s->funcs.items[i] = (void *)def;
    else tab_add(ctx, &s->funcs, def->u.def.name, (void *)def);
}

void scope_def_mod(facet_ctx *ctx, scope *s, const ast_node *def) {
    int i = tab_find(&s->mods, def->u.def.name);
    if (i >= 0) s->mods.items[i] = (void *)def;
    else tab_add(ctx, &s->mods, def->u.def.name, (void *)def);
}

const ast_node *scope_local_func(const scope *s, const char *name) {
    int i = tab_find(&s->funcs, name);
    return i >= 0 ? s->funcs.items[i] : NULL;
}

const ast_node *scope_find_func(const scope *s, const char *name, const scope **where) {
    for (; s; s = s->parent) {
        int i = tab_find(&s->funcs, name);
        if (i >= 0) {
            if (where) *where = s;
            return s->funcs.items[i];
        }
    }
    return NULL;
}

const ast_node *scope_find_mod(const scope *s, const char *name, const scope **where) {
    for (; s; s = s->parent) {
        int i = tab_find(&s->mods, name);
        if (i >= 0) {
            if (where) *where = s;
            return s->mods.items[i];
        }
    }
    return NULL;
}
