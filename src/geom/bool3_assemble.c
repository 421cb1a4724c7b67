/*
 * bool3_assemble.c — polygonal output faces built from halfedges created already paired
 * (KERNEL.md §6).
 *
 * Inclusion numbers turn windings and crossings into multiplicities with orientation
 * (§6.1). Every output halfedge is created together with its partner: whole edges copy an
 * uncut input edge, partial edges pair the sorted STARTs and ENDs along a cut input edge,
 * and new edges pair the events of one (P face, Q face) key along their line. Because the
 * event counts obey the exact identities of §3.6, every list has as many STARTs as ENDs.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/sort.h"
#include "geom/bool3_internal.h"

typedef struct b3_event {
    double key;
    int32_t c;     /* record id; INT32_MAX for an input vertex */
    int32_t v;     /* output vertex */
    int32_t start; /* 1 = START */
    int32_t pf, qf; /* new-edge key (P triangle, Q triangle) */
} b3_event;

typedef struct b3_asm {
    facet_ctx *ctx;
    const b3_state *s;
    b3_faces *out;
    int32_t *cursor;
    int32_t *faceP, *faceQ; /* input triangle -> output face, -1 if dropped */
    int32_t *i03, *i30, *vP, *vQ;
    int32_t *first12, *first21; /* first output vertex of each record */
    b3_event *ev;
    int nev, capev;
    b3_event *tmp; /* b3_pair_events' scratch, reused: it runs once per cut edge and key */
    int captmp;
} b3_asm;

static inline int b3_abs(int x) { return x < 0 ? -x : x; }

static void b3_add(b3_asm *a, int fa, int u, int v, int fb) {
    b3_faces *o = a->out;
    int x = a->cursor[fa]++, y = a->cursor[fb]++;
    if (x >= o->off[fa + 1] || y >= o->off[fb + 1])
        fc_throw(a->ctx, FACET_ERR_INTERNAL, FC_NOLOC, "boolean assembly: face overflow");
    o->hs[x] = u;
    o->he[x] = v;
    o->hs[y] = v;
    o->he[y] = u;
    o->hp[x] = y;
    o->hp[y] = x;
}

static int b3_cmp_event(const void *x, const void *y) {
    const b3_event *a = x, *b = y;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    if (a->c != b->c) return a->c < b->c ? -1 : 1;
    return (a->v > b->v) - (a->v < b->v);
}

/* Sorts by b3_cmp_event: insertion sort for the usual handful, qsort beyond. */
static void b3_sort_events(b3_event *e, int n) {
    if (n > 16) {
        qsort(e, (size_t)n, sizeof *e, b3_cmp_event);
        return;
    }
    for (int j = 1; j < n; j++) {
        b3_event x = e[j];
        int i = j - 1;
        while (i >= 0 && b3_cmp_event(&e[i], &x) > 0) {
            e[i + 1] = e[i];
            i--;
        }
        e[i + 1] = x;
    }
}

/* Pairs the k-th START with the k-th END of events[0..n) (each sorted by key) into faces
 * fa (forward) and fb (reverse). */
static void b3_pair_events(b3_asm *a, b3_event *ev, int n, int fa, int fb) {
    int ns = 0;
    for (int i = 0; i < n; i++) ns += ev[i].start;
    if (2 * ns != n)
        fc_throw(a->ctx, FACET_ERR_INTERNAL, FC_NOLOC, "boolean assembly: unbalanced events");
    /* move STARTs first, stably */
    FC_GROW(a->ctx, a->tmp, a->captmp, n);
    b3_event *tmp = a->tmp;
    int js = 0, je = ns;
    for (int i = 0; i < n; i++) tmp[ev[i].start ? js++ : je++] = ev[i];
    b3_sort_events(tmp, ns);
    b3_sort_events(tmp + ns, ns);
    for (int k = 0; k < ns; k++) b3_add(a, fa, tmp[k].v, tmp[ns + k].v, fb);
}

static void b3_push_event(b3_asm *a, double key, int c, int v, int start, int pf, int qf) {
    b3_event e = {key, c, v, start, pf, qf};
    FC_PUSH(a->ctx, a->ev, a->nev, a->capev, e);
}

/* Whole and partial edges of one operand. */
static void b3_edges(b3_asm *a, bool isP) {
    const b3_state *s = a->s;
    const b3_mesh *A = isP ? s->P : s->Q;
    const b3_rec *rec = isP ? s->r12 : s->r21;
    int nrec = isP ? s->n12 : s->n21;
    const int32_t *incl = isP ? a->i03 : a->i30, *vout = isP ? a->vP : a->vQ;
    const int32_t *face = isP ? a->faceP : a->faceQ;
    const int32_t *first = isP ? a->first12 : a->first21;
    int cbase = isP ? 0 : s->n12;
    int sgn = s->op == BOOL_INTERSECTION ? 1 : -1;
    const double *pos = a->out->pos;
    int r = 0;
    for (int e = 0; e < A->ne; e++) {
        fc_tick(a->ctx);
        int h = A->edge[e];
        int vs = A->tri[h], vt = A->tri[b3_next(h)];
        int fl = face[h / 3], fr = face[A->pair[h] / 3];
        int r0 = r;
        while (r < nrec && rec[r].edge == e) r++;
        if (r == r0) {
            int i = incl[vs];
            for (int k = 0; k < b3_abs(i); k++) {
                if (i > 0) b3_add(a, fl, vout[vs] + k, vout[vt] + k, fr);
                else b3_add(a, fl, vout[vt] + k, vout[vs] + k, fr);
            }
            continue;
        }
        a->nev = 0;
        const double *ps = A->pos + 3 * vs, *pt = A->pos + 3 * vt;
        double d[3] = {pt[0] - ps[0], pt[1] - ps[1], pt[2] - ps[2]};
        for (int k = 0; k < b3_abs(incl[vs]); k++)
            b3_push_event(a, ps[0] * d[0] + ps[1] * d[1] + ps[2] * d[2], INT32_MAX,
                          vout[vs] + k, incl[vs] > 0, 0, 0);
        for (int k = 0; k < b3_abs(incl[vt]); k++)
            b3_push_event(a, pt[0] * d[0] + pt[1] * d[1] + pt[2] * d[2], INT32_MAX,
                          vout[vt] + k, incl[vt] < 0, 0, 0);
        for (int j = r0; j < r; j++) {
            int i = sgn * rec[j].x;
            for (int k = 0; k < b3_abs(i); k++) {
                const double *p = pos + 3 * (first[j] + k);
                b3_push_event(a, p[0] * d[0] + p[1] * d[1] + p[2] * d[2], cbase + j,
                              first[j] + k, i < 0, 0, 0);
            }
        }
        b3_pair_events(a, a->ev, a->nev, fl, fr);
    }
}

/* Groups events[0..n) by (P face, Q face), ascending, with a stable linear-time sort of
 * the 64-bit key (fc_sort_keys) and one move. The order inside a group is the order of
 * insertion, which is deterministic, and b3_pair_events sorts each group by its own total
 * order anyway. A comparison sort of all the events of a boolean cost 5% of the menger
 * benchmark. */
static void b3_group_events(b3_asm *a) {
    int n = a->nev;
    if (n < 2) return;
    facet_ctx *ctx = a->ctx;
    uint64_t *key = fc_alloc(ctx, sizeof *key * (size_t)n);
    int32_t *idx = fc_alloc(ctx, sizeof *idx * (size_t)n);
    for (int i = 0; i < n; i++) {
        key[i] = (uint64_t)(uint32_t)a->ev[i].pf << 32 | (uint32_t)a->ev[i].qf;
        idx[i] = i;
    }
    fc_sort_keys(ctx, key, idx, (size_t)n);
    b3_event *sorted = fc_alloc(ctx, sizeof *sorted * (size_t)n);
    for (int i = 0; i < n; i++) sorted[i] = a->ev[idx[i]];
    memcpy(a->ev, sorted, sizeof *sorted * (size_t)n);
    fc_free(ctx, sorted);
    fc_free(ctx, idx);
    fc_free(ctx, key);
}

/* New edges: the events of every record on its (P face, Q face) keys. */
static void b3_new_edges(b3_asm *a) {
    const b3_state *s = a->s;
    int sgn = s->op == BOOL_INTERSECTION ? 1 : -1;
    a->nev = 0;
    for (int pass = 0; pass < 2; pass++) {
        bool isP = pass == 0;
        const b3_mesh *A = isP ? s->P : s->Q;
        const b3_rec *rec = isP ? s->r12 : s->r21;
        int nrec = isP ? s->n12 : s->n21;
        const int32_t *first = isP ? a->first12 : a->first21;
        int cbase = isP ? 0 : s->n12;
        for (int j = 0; j < nrec; j++) {
            int i = sgn * rec[j].x;
            int h = A->edge[rec[j].edge];
            int L = h / 3, R = A->pair[h] / 3, T = rec[j].tri;
            for (int k = 0; k < b3_abs(i); k++) {
                int v = first[j] + k;
                if (isP) {
                    b3_push_event(a, 0, cbase + j, v, i < 0, R, T);
                    b3_push_event(a, 0, cbase + j, v, i > 0, L, T);
                } else {
                    b3_push_event(a, 0, cbase + j, v, i > 0, T, R);
                    b3_push_event(a, 0, cbase + j, v, i < 0, T, L);
                }
            }
        }
    }
    b3_group_events(a);
    const double *pos = a->out->pos;
    for (int i = 0; i < a->nev;) {
        fc_tick(a->ctx);
        int j = i;
        while (j < a->nev && a->ev[j].pf == a->ev[i].pf && a->ev[j].qf == a->ev[i].qf) j++;
        double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
        for (int k = i; k < j; k++)
            for (int c = 0; c < 3; c++) {
                double x = pos[3 * a->ev[k].v + c];
                if (x < lo[c]) lo[c] = x;
                if (x > hi[c]) hi[c] = x;
            }
        double ex = hi[0] - lo[0], ey = hi[1] - lo[1], ez = hi[2] - lo[2];
        int axis = (ex > ey && ex > ez) ? 0 : ey > ez ? 1 : 2;
        for (int k = i; k < j; k++) a->ev[k].key = pos[3 * a->ev[k].v + axis];
        b3_pair_events(a, a->ev + i, j - i, a->faceP[a->ev[i].pf], a->faceQ[a->ev[i].qf]);
        i = j;
    }
}

void b3_assemble(const b3_state *s, b3_faces *out) {
    facet_ctx *ctx = s->ctx;
    const b3_mesh *P = s->P, *Q = s->Q;
    memset(out, 0, sizeof *out);
    b3_asm a;
    memset(&a, 0, sizeof a);
    a.ctx = ctx;
    a.s = s;
    a.out = out;

    /* inclusion numbers */
    int c1 = 1, c2 = 1, c3 = -1;
    if (s->op == BOOL_DIFFERENCE) c2 = 0;
    if (s->op == BOOL_INTERSECTION) { c1 = 0; c2 = 0; c3 = 1; }
    size_t nvp = (size_t)P->nv + 1, nvq = (size_t)Q->nv + 1;
    a.i03 = fc_alloc(ctx, sizeof *a.i03 * nvp);
    a.i30 = fc_alloc(ctx, sizeof *a.i30 * nvq);
    a.vP = fc_alloc(ctx, sizeof *a.vP * nvp);
    a.vQ = fc_alloc(ctx, sizeof *a.vQ * nvq);
    a.first12 = fc_alloc(ctx, sizeof *a.first12 * ((size_t)s->n12 + 1));
    a.first21 = fc_alloc(ctx, sizeof *a.first21 * ((size_t)s->n21 + 1));
    int nv = 0;
    for (int v = 0; v < P->nv; v++) {
        a.i03[v] = c1 + c3 * s->w03[v];
        a.vP[v] = nv;
        nv += b3_abs(a.i03[v]);
    }
    for (int v = 0; v < Q->nv; v++) {
        a.i30[v] = c2 + c3 * s->w30[v];
        a.vQ[v] = nv;
        nv += b3_abs(a.i30[v]);
    }
    out->first_new = nv;
    for (int j = 0; j < s->n12; j++) { a.first12[j] = nv; nv += b3_abs(s->r12[j].x); }
    for (int j = 0; j < s->n21; j++) { a.first21[j] = nv; nv += b3_abs(s->r21[j].x); }
    out->nv = nv;
    out->pos = fc_alloc(ctx, sizeof *out->pos * 3 * (size_t)(nv ? nv : 1));
    for (int v = 0; v < P->nv; v++)
        for (int k = 0; k < b3_abs(a.i03[v]); k++)
            memcpy(out->pos + 3 * (a.vP[v] + k), P->pos + 3 * v, sizeof(double) * 3);
    for (int v = 0; v < Q->nv; v++)
        for (int k = 0; k < b3_abs(a.i30[v]); k++)
            memcpy(out->pos + 3 * (a.vQ[v] + k), Q->pos + 3 * v, sizeof(double) * 3);
    for (int j = 0; j < s->n12; j++)
        for (int k = 0; k < b3_abs(s->r12[j].x); k++)
            memcpy(out->pos + 3 * (a.first12[j] + k), s->r12[j].p, sizeof(double) * 3);
    for (int j = 0; j < s->n21; j++)
        for (int k = 0; k < b3_abs(s->r21[j].x); k++)
            memcpy(out->pos + 3 * (a.first21[j] + k), s->r21[j].p, sizeof(double) * 3);
    if (nv == 0) return;

    /* halfedge count of every input triangle */
    int32_t *cntP = fc_calloc(ctx, (size_t)P->nt + 1, sizeof *cntP);
    int32_t *cntQ = fc_calloc(ctx, (size_t)Q->nt + 1, sizeof *cntQ);
    for (int h = 0; h < 3 * P->nt; h++) cntP[h / 3] += b3_abs(a.i03[P->tri[h]]);
    for (int h = 0; h < 3 * Q->nt; h++) cntQ[h / 3] += b3_abs(a.i30[Q->tri[h]]);
    for (int j = 0; j < s->n12; j++) {
        int i = b3_abs(s->r12[j].x), h = P->edge[s->r12[j].edge];
        cntP[h / 3] += i;
        cntP[P->pair[h] / 3] += i;
        cntQ[s->r12[j].tri] += i;
    }
    for (int j = 0; j < s->n21; j++) {
        int i = b3_abs(s->r21[j].x), h = Q->edge[s->r21[j].edge];
        cntQ[h / 3] += i;
        cntQ[Q->pair[h] / 3] += i;
        cntP[s->r21[j].tri] += i;
    }
    a.faceP = fc_alloc(ctx, sizeof *a.faceP * ((size_t)P->nt + 1));
    a.faceQ = fc_alloc(ctx, sizeof *a.faceQ * ((size_t)Q->nt + 1));
    int nf = 0, nh = 0;
    for (int t = 0; t < P->nt; t++) a.faceP[t] = cntP[t] > 0 ? nf++ : -1;
    for (int t = 0; t < Q->nt; t++) a.faceQ[t] = cntQ[t] > 0 ? nf++ : -1;
    out->nf = nf;
    out->off = fc_alloc(ctx, sizeof *out->off * ((size_t)nf + 1));
    out->src = fc_alloc(ctx, sizeof *out->src * ((size_t)nf + 1));
    out->normal = fc_alloc(ctx, sizeof *out->normal * 3 * ((size_t)nf + 1));
    double qs = s->op == BOOL_DIFFERENCE ? -1 : 1;
    for (int t = 0; t < P->nt; t++) {
        int f = a.faceP[t];
        if (f < 0) continue;
        out->off[f] = nh;
        nh += cntP[t];
        out->src[f] = t;
        for (int k = 0; k < 3; k++) out->normal[3 * f + k] = P->fn[3 * t + k];
    }
    for (int t = 0; t < Q->nt; t++) {
        int f = a.faceQ[t];
        if (f < 0) continue;
        out->off[f] = nh;
        nh += cntQ[t];
        out->src[f] = P->nt + t;
        for (int k = 0; k < 3; k++) out->normal[3 * f + k] = qs * Q->fn[3 * t + k];
    }
    out->off[nf] = nh;
    out->nh = nh;
    out->hs = fc_alloc(ctx, sizeof *out->hs * ((size_t)nh + 1));
    out->he = fc_alloc(ctx, sizeof *out->he * ((size_t)nh + 1));
    out->hp = fc_alloc(ctx, sizeof *out->hp * ((size_t)nh + 1));
    a.cursor = fc_alloc(ctx, sizeof *a.cursor * ((size_t)nf + 1));
    memcpy(a.cursor, out->off, sizeof *a.cursor * (size_t)nf);

    b3_edges(&a, true);
    b3_edges(&a, false);
    b3_new_edges(&a);
    for (int f = 0; f < nf; f++)
        if (a.cursor[f] != out->off[f + 1]) {
            fc_throw(ctx, FACET_ERR_INTERNAL, FC_NOLOC, "boolean assembly: face underflow");
        }

    fc_free(ctx, a.ev);
    fc_free(ctx, a.tmp);
    fc_free(ctx, a.cursor);
    fc_free(ctx, cntP);
    fc_free(ctx, cntQ);
    fc_free(ctx, a.faceP);
    fc_free(ctx, a.faceQ);
    fc_free(ctx, a.i03);
    fc_free(ctx, a.i30);
    fc_free(ctx, a.vP);
    fc_free(ctx, a.vQ);
    fc_free(ctx, a.first12);
    fc_free(ctx, a.first21);
}
