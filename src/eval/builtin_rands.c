/*
 * builtin_rands.c — rands(min, max, count [, seed]) with OpenSCAD's exact numbers.
 *
 * OpenSCAD (2021.01, Linux build) draws from a 32-bit Mersenne Twister (std::mt19937)
 * through std::uniform_real_distribution<double> as libstdc++ implements it: two 32-bit
 * outputs g1, g2 make the fraction (g1 + g2 * 2^32) / 2^64 (clamped below 1), scaled to
 * [min, max). A seed is first hashed with Python's numeric hash of floats reduced modulo
 * 2^31 - 1 (OpenSCAD's hash_floating_point), so integer seeds seed with themselves. We
 * reproduce all three steps, which is what makes seeded rands() calls give OpenSCAD's
 * values.
 *
 * Unseeded calls: OpenSCAD keeps one generator for the whole process (seeded from the
 * clock), so an unseeded call continues where the last seeded one left off. We keep the
 * generator in the context for the length of a render (ctx->rng): seeded calls reseed it,
 * unseeded ones continue it, and the first call of a render, if unseeded, seeds it from the
 * clock.
 */
#include "eval/builtin.h"

#include <float.h>
#include <math.h>

enum { MT_N = 624, MT_M = 397 };

typedef struct mt19937 {
    uint32_t s[MT_N];
    int i;
} mt19937;

static void mt_seed(mt19937 *mt, uint32_t seed) {
    mt->s[0] = seed;
    for (int i = 1; i < MT_N; i++)
        mt->s[i] = 1812433253u * (mt->s[i - 1] ^ (mt->s[i - 1] >> 30)) + (uint32_t)i;
    mt->i = MT_N;
}

static uint32_t mt_next(mt19937 *mt) {
    if (mt->i >= MT_N) {
        for (int k = 0; k < MT_N; k++) {
            uint32_t y = (mt->s[k] & 0x80000000u) | (mt->s[(k + 1) % MT_N] & 0x7fffffffu);
            uint32_t v = mt->s[(k + MT_M) % MT_N] ^ (y >> 1);
            if (y & 1u) v ^= 0x9908b0dfu;
            mt->s[k] = v;
        }
        mt->i = 0;
    }
    uint32_t y = mt->s[mt->i++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

/* libstdc++'s generate_canonical<double, 53> over a 32-bit engine. */
static double mt_canonical(mt19937 *mt) {
    double sum = (double)mt_next(mt);
    sum += (double)mt_next(mt) * 4294967296.0;
    double r = sum / 18446744073709551616.0;
    return r >= 1.0 ? nextafter(1.0, 0.0) : r;
}

/* Python's hash of a float modulo 2^31 - 1 (OpenSCAD's hash_floating_point). */
static int32_t hash_double(double v) {
    const int bits = 31;
    const uint32_t modulus = (1u << bits) - 1;
    if (!isfinite(v)) {
        if (isinf(v)) return v > 0 ? 314159 : -314159;
        return 0;
    }
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint32_t x = 0;
    while (m != 0) {
        /* 28 bits of mantissa at a time, rotated into a 31-bit accumulator */
        x = ((x << 28) & modulus) | x >> (bits - 28);
        m *= 268435456.0;
        e -= 28;
        uint32_t y = (uint32_t)m;
        m -= y;
        x += y;
        if (x >= modulus) x -= modulus;
    }
    e = e >= 0 ? e % bits : bits - 1 - ((-1 - e) % bits);
    x = ((x << e) & modulus) | x >> (bits - e);
    x = x * (uint32_t)sign;
    return (int32_t)x;
}

static const val_type num3[3] = {VAL_NUM, VAL_NUM, VAL_NUM};
static const val_type num4[4] = {VAL_NUM, VAL_NUM, VAL_NUM, VAL_NUM};

val bi_fn_rands(bi_call *c) {
    facet_ctx *ctx = c->ctx;
    if (c->nargs < 3 || c->nargs > 4) {
        bi_warn_count(c, "3 or 4");
        return val_undef();
    }
    if (!bi_check(c, c->nargs, c->nargs == 3 ? num3 : num4)) return val_undef();

    double min = c->args[0].u.n, max = c->args[1].u.n;
    if (!isfinite(min)) {
        bi_warn(c, "rands() range min cannot be infinite");
        min = -DBL_MAX / 2;
        fc_log(ctx, FACET_LOG_WARNING, "resetting to %f", min);
    }
    if (!isfinite(max)) {
        bi_warn(c, "rands() range max cannot be infinite");
        max = DBL_MAX / 2;
        fc_log(ctx, FACET_LOG_WARNING, "resetting to %f", max);
    }
    if (max < min) {
        double t = min;
        min = max;
        max = t;
    }
    double count = fabs(c->args[2].u.n);
    if (!isfinite(count)) {
        bi_warn(c, "rands() cannot create an infinite number of results");
        fc_log(ctx, FACET_LOG_WARNING, "resetting number of results to 1");
        count = 1;
    }
    if (count >= 4294967296.0)
        fc_throw(ctx, FACET_ERR_MEMORY_LIMIT, c->loc, "rands() cannot create %.0f results", count);
    uint32_t n = (uint32_t)count;

    mt19937 *mt = ctx->rng;
    if (c->nargs > 3) {
        if (!mt) ctx->rng = mt = fc_alloc(ctx, sizeof *mt);
        mt_seed(mt, (uint32_t)hash_double(c->args[3].u.n));
    } else if (!mt) {
        ctx->rng = mt = fc_alloc(ctx, sizeof *mt);
        double t = fc_now_ms(ctx);
        mt_seed(mt, (uint32_t)(uint64_t)fmod(fabs(t) * 1000.0, 4294967296.0));
    }
    val out = val_vec_new(ctx, n);
    for (uint32_t i = 0; i < n; i++) {
        /* uniform_real_distribution refuses an empty interval; OpenSCAD repeats min */
        out.u.v->items[i] = val_num(min >= max ? min : mt_canonical(mt) * (max - min) + min);
        if ((i & 1023) == 1023) fc_step(ctx);
    }
    return out;
}
