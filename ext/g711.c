/*
 * g711.c - ITU-T G.711 A-law and mu-law, table driven.
 *
 * The tables are computed in g711_init() from the segment definitions of
 * G.711 (Tables 1 and 2); the process functions are plain table lookups.
 *
 * A-law works on 13-bit linear values (16-bit input >> 3): a sign bit and a
 * 12-bit magnitude split into 8 segments. Segments 0 and 1 both have step 2
 * (0..31 and 32..63); segment s >= 1 spans [16 << s, 32 << s) with step
 * 1 << s. A code is sign | segment << 4 | 4-bit mantissa, sign bit set for
 * positive values, then XOR 0x55 (even-bit inversion). Negative inputs use
 * the one's complement magnitude (-1 -> 0), so the decision points are
 * symmetric about -1/2. Decoding yields the middle of the interval.
 *
 * mu-law works on 14-bit linear values (16-bit input >> 2). The magnitude is
 * clipped at the overload point 8159 and biased by 33; the biased value of
 * segment s spans [32 << s, 64 << s) with step 2 << s. A code is
 * sign | segment << 4 | mantissa with all bits but the sign inverted, sign
 * bit set for positive values. Negative inputs use the two's complement
 * magnitude, as audioop does (code taking the one's complement instead puts
 * the negative decision points one 14-bit step lower). Decoding yields the
 * middle of the interval minus the bias, so 0xFF and 0x7F both decode to 0.
 *
 * Transcoding decodes with one law and encodes with the other, the same as
 * audioop's lin2ulaw(alaw2lin(x)); G.711's own A/mu conversion tables may
 * differ from that for some codes.
 */
#include "g711.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define ALAW_AMI_MASK 0x55
#define ULAW_BIAS 33      /* in 14-bit units */
#define ULAW_CLIP 8159    /* overload point, 14-bit units */

/* 13-bit two's complement value -> A-law code */
static uint8_t alaw_compress(int v)
{
    int sign;
    int mag;
    int seg;
    int mant;

    if (v >= 0) {
        sign = 0x80;
        mag = v;
    } else {
        sign = 0x00;
        mag = -v - 1;
    }
    seg = 0;
    while (seg < 7 && mag >= (32 << seg))
        seg++;
    mant = (seg == 0) ? (mag >> 1) : ((mag >> seg) & 0x0F);
    return (uint8_t) ((sign | (seg << 4) | mant) ^ ALAW_AMI_MASK);
}

/* A-law code -> 16-bit linear value */
static int16_t alaw_expand(uint8_t code)
{
    int c = code ^ ALAW_AMI_MASK;
    int seg = (c >> 4) & 0x07;
    int mant = c & 0x0F;
    int mag;

    if (seg == 0)
        mag = (mant << 1) + 1;                  /* 13-bit units */
    else
        mag = ((mant << 1) + 33) << (seg - 1);
    mag <<= 3;                                  /* to 16-bit */
    return (int16_t) ((c & 0x80) ? mag : -mag);
}

/* 14-bit two's complement value -> mu-law code */
static uint8_t ulaw_compress(int v)
{
    int sign;
    int mag;
    int seg;
    int mant;

    if (v < 0) {
        sign = 0x00;
        mag = -v;
    } else {
        sign = 0x80;
        mag = v;
    }
    if (mag > ULAW_CLIP)
        mag = ULAW_CLIP;
    mag += ULAW_BIAS;
    seg = 0;
    while (seg < 8 && mag >= (64 << seg))
        seg++;
    if (seg == 8) {                             /* the overload point itself */
        seg = 7;
        mant = 0x0F;
    } else {
        mant = (mag >> (seg + 1)) & 0x0F;
    }
    return (uint8_t) ((sign | (seg << 4) | mant) ^ 0x7F);
}

/* mu-law code -> 16-bit linear value */
static int16_t ulaw_expand(uint8_t code)
{
    int c = ~code & 0xFF;
    int seg = (c >> 4) & 0x07;
    int mant = c & 0x0F;
    int mag = (((mant << 1) + ULAW_BIAS) << (seg + 2)) - (ULAW_BIAS << 2);

    return (int16_t) ((c & 0x80) ? -mag : mag);
}

void g711_init(g711_state_t *s)
{
    unsigned int i;

    for (i = 0; i < 256; i++) {
        s->alaw_to_linear[i] = alaw_expand((uint8_t) i);
        s->ulaw_to_linear[i] = ulaw_expand((uint8_t) i);
    }
    /* index = top bits of the 16-bit two's complement pattern */
    for (i = 0; i < 8192; i++)
        s->linear_to_alaw[i] = alaw_compress(i < 4096 ? (int) i : (int) i - 8192);
    for (i = 0; i < 16384; i++)
        s->linear_to_ulaw[i] = ulaw_compress(i < 8192 ? (int) i : (int) i - 16384);
    for (i = 0; i < 256; i++) {
        s->alaw_to_ulaw[i] = s->linear_to_ulaw[(uint16_t) s->alaw_to_linear[i] >> 2];
        s->ulaw_to_alaw[i] = s->linear_to_alaw[(uint16_t) s->ulaw_to_linear[i] >> 3];
    }
}

/*
 * The decoding loops are unrolled by 8 with all eight loads ahead of the
 * eight stores. Measured here (gcc 12 -O2, x86-64) that decodes about 1.5-2x
 * faster than the plain loop, whose speed also swung a lot with buffer and
 * code placement. Each output depends only on the input at the same index,
 * so out == in is fine for the byte-to-byte transcoders; other overlaps are
 * not.
 */
static inline void map_codes_to_linear(int16_t *out, const int16_t *t,
                                       const uint8_t *in, size_t n)
{
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        int16_t a = t[in[i]], b = t[in[i + 1]], c = t[in[i + 2]], d = t[in[i + 3]];
        int16_t e = t[in[i + 4]], f = t[in[i + 5]], g = t[in[i + 6]], h = t[in[i + 7]];

        out[i] = a; out[i + 1] = b; out[i + 2] = c; out[i + 3] = d;
        out[i + 4] = e; out[i + 5] = f; out[i + 6] = g; out[i + 7] = h;
    }
    for (; i < n; i++)
        out[i] = t[in[i]];
}

static inline void map_codes_to_codes(uint8_t *out, const uint8_t *t,
                                      const uint8_t *in, size_t n)
{
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        uint8_t a = t[in[i]], b = t[in[i + 1]], c = t[in[i + 2]], d = t[in[i + 3]];
        uint8_t e = t[in[i + 4]], f = t[in[i + 5]], g = t[in[i + 6]], h = t[in[i + 7]];

        out[i] = a; out[i + 1] = b; out[i + 2] = c; out[i + 3] = d;
        out[i + 4] = e; out[i + 5] = f; out[i + 6] = g; out[i + 7] = h;
    }
    for (; i < n; i++)
        out[i] = t[in[i]];
}

/*
 * t is indexed by the top (16 - shift) bits of the two's complement sample.
 * A byte-wise loop is limited by its three memory operations per sample, so
 * on little-endian machines eight samples come in as two 64-bit loads and
 * their eight codes go out as one 64-bit store.
 */
static inline void map_linear_to_codes(uint8_t *out, const uint8_t *t,
                                       const int16_t *in, size_t n, unsigned int shift)
{
    size_t i = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t mask = 0xFFFFu >> shift;

    for (; i + 8 <= n; i += 8) {
        uint64_t lo, hi, codes;

        memcpy(&lo, in + i, 8);
        memcpy(&hi, in + i + 4, 8);
        codes = (uint64_t) t[(lo >> shift) & mask]
            | (uint64_t) t[(lo >> (16 + shift)) & mask] << 8
            | (uint64_t) t[(lo >> (32 + shift)) & mask] << 16
            | (uint64_t) t[lo >> (48 + shift)] << 24
            | (uint64_t) t[(hi >> shift) & mask] << 32
            | (uint64_t) t[(hi >> (16 + shift)) & mask] << 40
            | (uint64_t) t[(hi >> (32 + shift)) & mask] << 48
            | (uint64_t) t[hi >> (48 + shift)] << 56;
        memcpy(out + i, &codes, 8);
    }
#endif
    for (; i < n; i++)
        out[i] = t[(uint16_t) in[i] >> shift];
}

#if defined(__SSE2__)
/*
 * Table-free encoders, eight samples per SSE2 register. Both laws code a
 * magnitude m as segment s and the 4 bits after its leading one, and that is
 * what the IEEE single of m holds: its bits >> 19 are (127 + floor(log2 m))
 * << 4 | those 4 bits. So (bits >> 19) - ((127 + k) << 4) is the 7-bit
 * segment|mantissa for magnitudes whose segment is floor(log2 m) - k.
 * A-law (k = 4, the segments of g711.c's header, one's complement magnitude
 * of the 13-bit value): segment 0 (m < 32, mantissa m >> 1) is coded as
 * m + 32 (segment 1 with the same mantissa) minus one segment. mu-law (k = 5,
 * biased magnitude 33..8192 after the clip at 8159): 8192, the overload
 * point, comes out as segment 8 and is clamped to 0x7F. The results are the
 * tables' bit for bit (tests/unit/test_g711.py runs all 65,536 inputs).
 * Measured here (gcc 12 -O2, 2-core EPYC shared with other work) against a
 * plain loop over a 64 K-entry table indexed by the raw sample: 1.1-1.45x in
 * a C loop, 1.0-1.2x in tests/bench/bench_g711.py; it holds its speed when
 * the other core is busy, where table loops slow down. The 8 K-table loop
 * above does 0.95-1.0x of that plain loop, a byte-wise one 0.65-0.9x.
 */
static inline __m128i segment_mantissa(__m128i m, int k)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i lo = _mm_castps_si128(_mm_cvtepi32_ps(_mm_unpacklo_epi16(m, zero)));
    __m128i hi = _mm_castps_si128(_mm_cvtepi32_ps(_mm_unpackhi_epi16(m, zero)));

    return _mm_sub_epi16(_mm_packs_epi32(_mm_srli_epi32(lo, 19), _mm_srli_epi32(hi, 19)),
                         _mm_set1_epi16((short) ((127 + k) << 4)));
}

static inline __m128i alaw_encode8(__m128i x)
{
    __m128i v = _mm_srai_epi16(x, 3);
    __m128i neg = _mm_srai_epi16(v, 15);
    __m128i mag = _mm_xor_si128(v, neg);                       /* -v - 1 if negative */
    __m128i seg0 = _mm_cmplt_epi16(mag, _mm_set1_epi16(32));
    __m128i code = segment_mantissa(_mm_add_epi16(mag, _mm_and_si128(seg0, _mm_set1_epi16(32))), 4);

    code = _mm_sub_epi16(code, _mm_and_si128(seg0, _mm_set1_epi16(16)));
    code = _mm_or_si128(code, _mm_andnot_si128(neg, _mm_set1_epi16(0x80)));
    return _mm_xor_si128(code, _mm_set1_epi16(ALAW_AMI_MASK));
}

static inline __m128i ulaw_encode8(__m128i x)
{
    __m128i v = _mm_srai_epi16(x, 2);
    __m128i neg = _mm_srai_epi16(v, 15);
    __m128i mag = _mm_sub_epi16(_mm_xor_si128(v, neg), neg);   /* |v|, 8192 fits */
    __m128i code;

    mag = _mm_add_epi16(_mm_min_epi16(mag, _mm_set1_epi16(ULAW_CLIP)), _mm_set1_epi16(ULAW_BIAS));
    code = _mm_min_epi16(segment_mantissa(mag, 5), _mm_set1_epi16(0x7F));
    code = _mm_or_si128(code, _mm_andnot_si128(neg, _mm_set1_epi16(0x80)));
    return _mm_xor_si128(code, _mm_set1_epi16(0x7F));
}
#endif

void g711_alaw_encode(const g711_state_t *s, uint8_t *out, const int16_t *in, size_t n)
{
    size_t i = 0;

#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
        __m128i a = alaw_encode8(_mm_loadu_si128((const __m128i *) (in + i)));
        __m128i b = alaw_encode8(_mm_loadu_si128((const __m128i *) (in + i + 8)));

        _mm_storeu_si128((__m128i *) (out + i), _mm_packus_epi16(a, b));
    }
#endif
    map_linear_to_codes(out + i, s->linear_to_alaw, in + i, n - i, 3);
}

void g711_alaw_decode(const g711_state_t *s, int16_t *out, const uint8_t *in, size_t n)
{
    map_codes_to_linear(out, s->alaw_to_linear, in, n);
}

void g711_ulaw_encode(const g711_state_t *s, uint8_t *out, const int16_t *in, size_t n)
{
    size_t i = 0;

#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
        __m128i a = ulaw_encode8(_mm_loadu_si128((const __m128i *) (in + i)));
        __m128i b = ulaw_encode8(_mm_loadu_si128((const __m128i *) (in + i + 8)));

        _mm_storeu_si128((__m128i *) (out + i), _mm_packus_epi16(a, b));
    }
#endif
    map_linear_to_codes(out + i, s->linear_to_ulaw, in + i, n - i, 2);
}

void g711_ulaw_decode(const g711_state_t *s, int16_t *out, const uint8_t *in, size_t n)
{
    map_codes_to_linear(out, s->ulaw_to_linear, in, n);
}

void g711_alaw_to_ulaw(const g711_state_t *s, uint8_t *out, const uint8_t *in, size_t n)
{
    map_codes_to_codes(out, s->alaw_to_ulaw, in, n);
}

void g711_ulaw_to_alaw(const g711_state_t *s, uint8_t *out, const uint8_t *in, size_t n)
{
    map_codes_to_codes(out, s->ulaw_to_alaw, in, n);
}
