/*
 * params.c — the overrides handed to facet_render: -D definitions and customizer
 * parameter sets.
 *
 * OpenSCAD's parameter-set files hold every value as a JSON string; what the string means
 * depends on the parameter's type in the model: for a string parameter it is the text
 * itself, for the others it is OpenSCAD source ("10", "true", "[1,2]"). The model's
 * parameter list from facet_parameters() tells the types. A name the model does not list
 * is taken as source when it looks like a number, boolean, vector or string literal, and
 * as text otherwise. Non-string JSON values (numbers, booleans, arrays) are passed as
 * their JSON text, which is also valid OpenSCAD.
 *
 * -D is applied after the set, and a later override of a name replaces an earlier one, as
 * the last assignment wins in OpenSCAD.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static char *own(cli_params *p, char *s) {
    if (!s) return NULL;
    if (p->nowned == p->capowned) {
        int cap = p->capowned ? 2 * p->capowned : 16;
        char **grown = realloc(p->owned, sizeof *grown * (size_t)cap);
        if (!grown) {
            free(s);
            return NULL;
        }
        p->owned = grown;
        p->capowned = cap;
    }
    p->owned[p->nowned++] = s;
    return s;
}

static char *dup_n(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Adds or replaces name = expr (both already owned). */
static int put(cli_params *p, const char *name, const char *expr) {
    if (!name || !expr) return 1;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->list[i].name, name) == 0) {
            /* keep the order of first mention, the value of the last */
            p->list[i].expr = expr;
            return 0;
        }
    if (p->n == p->cap) {
        int cap = p->cap ? 2 * p->cap : 16;
        facet_param *grown = realloc(p->list, sizeof *grown * (size_t)cap);
        if (!grown) return 1;
        p->list = grown;
        p->cap = cap;
    }
    p->list[p->n].name = name;
    p->list[p->n].expr = expr;
    p->n++;
    return 0;
}

/* OpenSCAD string literal of s. */
static char *quote(const char *s) {
    size_t n = strlen(s);
    char *q = malloc(2 * n + 3), *o = q;
    if (!q) return NULL;
    *o++ = '"';
    for (; *s; s++) {
        switch (*s) {
        case '"': *o++ = '\\', *o++ = '"'; break;
        case '\\': *o++ = '\\', *o++ = '\\'; break;
        case '\n': *o++ = '\\', *o++ = 'n'; break;
        case '\t': *o++ = '\\', *o++ = 't'; break;
        case '\r': *o++ = '\\', *o++ = 'r'; break;
        default: *o++ = *s;
        }
    }
    *o++ = '"';
    *o = '\0';
    return q;
}

static bool looks_like_source(const char *s) {
    while (isspace((unsigned char)*s)) s++;
    if (!*s) return false;
    if (strchr("-+.[\"", *s) || isdigit((unsigned char)*s)) return true;
    return !strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "undef");
}

/* The type the model declares for `name` ("string", "number", ...), or NULL. */
static const char *param_type(const cj_value *list, const char *name) {
    if (!list || list->type != CJ_ARR) return NULL;
    for (const cj_value *p = list->child; p; p = p->next) {
        const cj_value *n = cj_get(p, "name"), *t = cj_get(p, "type");
        if (n && n->type == CJ_STR && !strcmp(n->str, name))
            return t && t->type == CJ_STR ? t->str : "";
    }
    return NULL;
}

int cli_params_add_set(cli_params *p, const char *json, size_t len, const char *file_name,
                       const char *set_name, const char *params_json, char *err,
                       size_t errsize) {
    char jerr[200];
    cj_value *root = cj_parse(json, len, jerr, sizeof jerr);
    if (!root) {
        snprintf(err, errsize, "Cannot parse parameter file '%s': %s", file_name, jerr);
        return 1;
    }
    const cj_value *sets = cj_get(root, "parameterSets");
    const cj_value *set = cj_get(sets, set_name);
    if (!set) {
        snprintf(err, errsize, "Parameter set '%s' not found in '%s'", set_name, file_name);
        cj_free(root);
        return 1;
    }
    cj_value *model = params_json ? cj_parse(params_json, strlen(params_json), jerr, sizeof jerr)
                                  : NULL;
    int rc = 0;
    for (const cj_value *m = set->child; m && !rc; m = m->next) {
        char *name = own(p, dup_n(m->key, strlen(m->key)));
        char *expr;
        if (m->type == CJ_STR) {
            const char *type = param_type(model, m->key);
            bool text = type ? !strcmp(type, "string") : !looks_like_source(m->str);
            expr = own(p, text ? quote(m->str) : dup_n(m->str, strlen(m->str)));
        } else {
            expr = own(p, dup_n(m->raw, m->rawlen));
        }
        rc = put(p, name, expr);
        if (rc) snprintf(err, errsize, "out of memory");
    }
    cj_free(model);
    cj_free(root);
    return rc;
}

int cli_params_add_define(cli_params *p, const char *def, char *err, size_t errsize) {
    const char *eq = strchr(def, '=');
    const char *name_end = eq;
    while (name_end && name_end > def && isspace((unsigned char)name_end[-1])) name_end--;
    const char *name_start = def;
    while (name_start < name_end && isspace((unsigned char)*name_start)) name_start++;
    if (!eq || name_end == name_start) {
        snprintf(err, errsize, "-D expects name=value, got '%s'", def);
        return 1;
    }
    char *name = own(p, dup_n(name_start, (size_t)(name_end - name_start)));
    char *expr = own(p, dup_n(eq + 1, strlen(eq + 1)));
    if (put(p, name, expr)) {
        snprintf(err, errsize, "out of memory");
        return 1;
    }
    return 0;
}

void cli_params_free(cli_params *p) {
    for (int i = 0; i < p->nowned; i++) free(p->owned[i]);
    free(p->owned);
    free(p->list);
    memset(p, 0, sizeof *p);
}
