/*
 * hash.h — 64-bit hashing for the interner, value hashing and the subtree cache keys.
 * A small wyhash-style mixer: fast, good avalanche, identical on every target (the cache
 * key must not depend on the host).
 */
#ifndef FC_HASH_H
#define FC_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t fc_mix64(uint64_t a, uint64_t b) {
    /* 64x64 -> 128 multiply folded; portable without __int128 */
    uint64_t ha = a >> 32, la = a & 0xffffffffu, hb = b >> 32, lb = b & 0xffffffffu;
    uint64_t rh = ha * hb, rm0 = ha * lb, rm1 = hb * la, rl = la * lb;
    uint64_t t = rl + (rm0 << 32);
    uint64_t c = t < rl;
    uint64_t lo = t + (rm1 << 32);
    c += lo < t;
    uint64_t hi = rh + (rm0 >> 32) + (rm1 >> 32) + c;
    return lo ^ hi;
}

static inline uint64_t fc_hash_u64(uint64_t h, uint64_t v) {
    return fc_mix64(h ^ 0xa0761d6478bd642full, v ^ 0xe7037ed1a0b428dbull);
}

static inline uint64_t fc_hash_double(uint64_t h, double d) {
    uint64_t u;
    if (d == 0) d = 0; /* -0 and +0 hash alike */
    memcpy(&u, &d, 8);
    return fc_hash_u64(h, u);
}

static inline uint64_t fc_hash_bytes(uint64_t h, const void *data, size_t n) {
    const unsigned char *p = data;
    h = fc_hash_u64(h, n);
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        h = fc_hash_u64(h, v);
        p += 8;
        n -= 8;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    return fc_hash_u64(h, v);
}

#endif
