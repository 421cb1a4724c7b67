/*
 * sort.h — a stable sort of 64-bit keys carrying an index, in linear time.
 *
 * LSD radix with 8-bit digits below 16k keys and 16-bit ones above (a pass costs n plus the
 * bucket count), skipping the digits that are the same in every key. The halfedge pairing
 * and the boolean's event grouping both sort large arrays of such keys, where a comparison
 * sort showed up in the profiles.
 */
#ifndef FC_SORT_H
#define FC_SORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

/* Sorts key[0..n) ascending, equal keys keeping their order, and applies the same
 * permutation to idx[0..n). */
void fc_sort_keys(facet_ctx *ctx, uint64_t *key, int32_t *idx, size_t n);

#endif
