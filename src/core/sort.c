/*
 * sort.c — see sort.h.
 */
#include "core/sort.h"

#include <string.h>

void fc_sort_keys(facet_ctx *ctx, uint64_t *key, int32_t *idx, size_t n) {
    if (n < 2) return;
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        all_or |= key[i];
        all_and &= key[i];
    }
    const int bits = n < 16384 ? 8 : 16;
    const size_t buckets = (size_t)1 << bits, mask = buckets - 1;
    uint64_t *k1 = key, *k2 = fc_realloc_array(ctx, NULL, n, sizeof *k2);
    int32_t *i1 = idx, *i2 = fc_realloc_array(ctx, NULL, n, sizeof *i2);
    size_t *count = fc_alloc(ctx, buckets * sizeof *count);
    for (int shift = 0; shift < 64; shift += bits) {
        if ((((all_or ^ all_and) >> shift) & mask) == 0) continue; /* digit is constant */
        memset(count, 0, buckets * sizeof *count);
        for (size_t i = 0; i < n; i++) count[(k1[i] >> shift) & mask]++;
        size_t sum = 0;
        for (size_t d = 0; d < buckets; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = count[(k1[i] >> shift) & mask]++;
            k2[at] = k1[i];
            i2[at] = i1[i];
        }
        uint64_t *tk = k1;
        k1 = k2;
        k2 = tk;
        int32_t *ti = i1;
        i1 = i2;
        i2 = ti;
        fc_tick(ctx);
    }
    if (k1 != key) { /* an odd number of passes left the result in the scratch arrays */
        memcpy(key, k1, n * sizeof *key);
        memcpy(idx, i1, n * sizeof *idx);
        k2 = k1;
        i2 = i1;
    }
    fc_free(ctx, count);
    fc_free(ctx, k2);
    fc_free(ctx, i2);
}
