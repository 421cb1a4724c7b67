/*
 * bvh.h — bounding-volume hierarchy over axis-aligned boxes (the boolean's broad phase).
 *
 * Items are boxes given as 6 doubles (lo xyz, hi xyz). The tree is built once from the items
 * sorted by the Morton code of their box centres, splitting each range in the middle, so the
 * build is O(n log n), deterministic and allocation-light. Queries are exact and inclusive
 * (touching boxes overlap), because the boolean's symbolic perturbation needs every pair whose
 * unperturbed boxes at least touch.
 */
#ifndef FC_BVH_H
#define FC_BVH_H

#include <stdint.h>

#include "core/ctx.h"

typedef struct bvh {
    int n;          /* items */
    int nnodes;
    double *box;    /* 6 per node */
    int32_t *child; /* 2 per node: inner = (left, right); leaf = (-1 - first, count) */
    int32_t *item;  /* item ids in leaf order */
} bvh;

/* Builds the tree over n boxes (6 doubles each). The boxes are copied. */
void bvh_build(facet_ctx *ctx, bvh *t, const double *boxes, int n);
void bvh_free(facet_ctx *ctx, bvh *t);

/* Appends to *out (growable, capacity *cap) the ids of every item whose box overlaps
 * [lo, hi] on the first `dims` axes (3 = full box, 2 = x and y only, for a vertical ray);
 * returns the number of ids written. The ids come back sorted ascending. */
int bvh_query(facet_ctx *ctx, const bvh *t, const double lo[3], const double hi[3], int dims,
              int32_t **out, int *cap);

/* The same ids in no particular order (tree order), for callers that do not need them
 * sorted: sorting long hit lists cost as much as finding them. */
int bvh_query_any(facet_ctx *ctx, const bvh *t, const double lo[3], const double hi[3], int dims,
                  int32_t **out, int *cap);

/* The leaf slots of the items overlapping [lo, hi] on all three axes, in tree order: slot s
 * holds item t->item[s] with box t->box + 6 * (t->nnodes + s). For callers that test the
 * hits again against smaller boxes (a group of edges queried at once). */
int bvh_query_slots(facet_ctx *ctx, const bvh *t, const double lo[3], const double hi[3],
                    int32_t **out, int *cap);

#endif
