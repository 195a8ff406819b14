/*
 * g711_lut.c - the plain table-lookup G.711 A-law loop that REFERENCE.md's
 * speed figures describe (64 K-entry encoder table indexed by the 16-bit
 * sample, 256-entry decoder table), as the reference for
 * tests/bench/bench_g711.py. The tables are filled from spandsp's
 * linear_to_alaw() / alaw_to_linear().
 */
#include <stdint.h>
#include <stddef.h>
#include <spandsp.h>

static uint8_t encode_table[65536];
static int16_t decode_table[256];

void lut_init(void)
{
    int i;

    for (i = 0; i < 65536; i++)
        encode_table[i] = linear_to_alaw((int16_t) (uint16_t) i);
    for (i = 0; i < 256; i++)
        decode_table[i] = alaw_to_linear((uint8_t) i);
}

void lut_alaw_encode(uint8_t *out, const int16_t *in, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        out[i] = encode_table[(uint16_t) in[i]];
}

void lut_alaw_decode(int16_t *out, const uint8_t *in, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        out[i] = decode_table[in[i]];
}
