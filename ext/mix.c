/*
 * mix.c - bridge and mix-minus conference, saturating (see mix.h).
 *
 * Scaling: v = (x * gain + 2048) >> 12, rounded to nearest; with the unity gain
 * this is x itself, and the loops take a plain path without the multiply.
 * |x * gain| < 2^31 for every int16_t x and 16-bit gain, so the product never
 * overflows; |v| <= 524280 < 2^19, and MIX_MAX_PARTIES such values sum to less
 * than 2^31.
 */
#include <string.h>

#include "mix.h"

static inline int32_t scaled(int16_t x, uint16_t gain)
{
    /* arithmetic shift of a negative value: what gcc and clang do (C11 6.5.7
     * leaves it implementation-defined) */
    return ((int32_t) x * gain + (MIX_UNITY >> 1)) >> 12;
}

static inline int16_t saturate(int32_t v)
{
    if (v > INT16_MAX)
        return INT16_MAX;
    if (v < INT16_MIN)
        return INT16_MIN;
    return (int16_t) v;
}

/* The same arithmetic four samples at a time in vector registers (GCC/clang vector
 * extensions; the build's -O2 does not vectorise the plain loops by itself). In place
 * is fine: a group of four is read before it is written. */
typedef int32_t v4i __attribute__((vector_size(16)));
typedef int16_t v4s __attribute__((vector_size(8)));

static inline v4i load4s(const int16_t *p)
{
    v4s s;

    memcpy(&s, p, sizeof s);
    return __builtin_convertvector(s, v4i);
}

static inline v4i load4i(const int32_t *p)
{
    v4i v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline void store4i(int32_t *p, v4i v)
{
    memcpy(p, &v, sizeof v);
}

static inline v4i scaled4(v4i x, uint16_t gain)
{
    const int32_t g = gain, half = MIX_UNITY >> 1;

    return (x * (v4i){g, g, g, g} + (v4i){half, half, half, half}) >> 12;
}

static inline void store4_saturated(int16_t *p, v4i v)
{
    const v4i hi = v > (v4i){INT16_MAX, INT16_MAX, INT16_MAX, INT16_MAX};
    const v4i lo = v < (v4i){INT16_MIN, INT16_MIN, INT16_MIN, INT16_MIN};
    v4s s;

    v = (v & ~(hi | lo)) | (hi & INT16_MAX) | (lo & INT16_MIN);
    s = __builtin_convertvector(v, v4s);
    memcpy(p, &s, sizeof s);
}

void mix_scale(int16_t *out, const int16_t *in, uint16_t gain, size_t n)
{
    size_t i;

    if (gain == MIX_UNITY) {
        if (out != in) {
            for (i = 0; i < n; i++)
                out[i] = in[i];
        }
        return;
    }
    for (i = 0; i + 4 <= n; i += 4)
        store4_saturated(out + i, scaled4(load4s(in + i), gain));
    for (; i < n; i++)
        out[i] = saturate(scaled(in[i], gain));
}

void mix_bridge(int16_t *a_out, int16_t *b_out, const int16_t *a_in, const int16_t *b_in,
                uint16_t a_gain, uint16_t b_gain, size_t n)
{
    /* a hears b at b's talk level, b hears a at a's */
    mix_scale(a_out, b_in, b_gain, n);
    mix_scale(b_out, a_in, a_gain, n);
}

void mix_clear(int32_t *total, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        total[i] = 0;
}

void mix_add(int32_t *restrict total, const int16_t *restrict in, uint16_t gain, size_t n)
{
    size_t i;

    if (gain == MIX_UNITY) {
        for (i = 0; i < n; i++)
            total[i] += in[i];
        return;
    }
    for (i = 0; i + 4 <= n; i += 4)
        store4i(total + i, load4i(total + i) + scaled4(load4s(in + i), gain));
    for (; i < n; i++)
        total[i] += scaled(in[i], gain);
}

void mix_minus(int16_t *out, const int32_t *total, const int16_t *own, uint16_t gain,
               size_t n)
{
    size_t i;

    /* out may be own: each sample is read before it is written */
    if (gain == MIX_UNITY) {
        for (i = 0; i + 4 <= n; i += 4)
            store4_saturated(out + i, load4i(total + i) - load4s(own + i));
        for (; i < n; i++)
            out[i] = saturate(total[i] - own[i]);
        return;
    }
    for (i = 0; i + 4 <= n; i += 4)
        store4_saturated(out + i, load4i(total + i) - scaled4(load4s(own + i), gain));
    for (; i < n; i++)
        out[i] = saturate(total[i] - scaled(own[i], gain));
}

void mix_saturate(int16_t *out, const int32_t *total, size_t n)
{
    size_t i;

    for (i = 0; i + 4 <= n; i += 4)
        store4_saturated(out + i, load4i(total + i));
    for (; i < n; i++)
        out[i] = saturate(total[i]);
}

int mix_conference(int16_t *const *outs, const int16_t *const *ins, const uint16_t *gains,
                   size_t parties, int32_t *total, size_t n)
{
    size_t p;

    if (parties > MIX_MAX_PARTIES)
        return -1;
    mix_clear(total, n);
    for (p = 0; p < parties; p++)
        mix_add(total, ins[p], gains ? gains[p] : MIX_UNITY, n);
    for (p = 0; p < parties; p++)
        mix_minus(outs[p], total, ins[p], gains ? gains[p] : MIX_UNITY, n);
    return 0;
}
