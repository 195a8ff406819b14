/*
 * g711.h - ITU-T G.711 A-law and mu-law, table driven.
 *
 * Linear samples are int16_t (16-bit full scale). Compressed samples are one
 * byte each, A-law with even-bit inversion (XOR 0x55) as on the ISDN wire.
 * The rounding and clipping of the 16-bit range follow the classic Sun g711.c
 * behaviour that CPython's audioop module uses, so results are bit-exact with
 * audioop.lin2alaw/lin2ulaw/alaw2lin/ulaw2lin.
 *
 * No globals: the tables live in a g711_state_t owned by the caller, filled
 * once by g711_init(). The process functions only read the state, so one state
 * may be shared by any number of channels and threads.
 *
 * The block between the cffi markers is fed verbatim to cffi's cdef(): keep it
 * free of preprocessor directives and use literal array sizes there.
 */
#ifndef RINGBACK_G711_H
#define RINGBACK_G711_H

#include <stddef.h>
#include <stdint.h>

/* cffi:begin */
typedef struct {
    /* code -> linear (16-bit) */
    int16_t alaw_to_linear[256];
    int16_t ulaw_to_linear[256];
    /* A-law encoder indexed by the 13 top bits: (uint16_t) x >> 3 */
    uint8_t linear_to_alaw[8192];
    /* mu-law encoder indexed by the 14 top bits: (uint16_t) x >> 2 */
    uint8_t linear_to_ulaw[16384];
    /* transcoding: decode with one law, encode with the other (see g711.c) */
    uint8_t alaw_to_ulaw[256];
    uint8_t ulaw_to_alaw[256];
} g711_state_t;

void g711_init(g711_state_t *s);

void g711_alaw_encode(const g711_state_t *s, uint8_t *out, const int16_t *in, size_t n);
void g711_alaw_decode(const g711_state_t *s, int16_t *out, const uint8_t *in, size_t n);
void g711_ulaw_encode(const g711_state_t *s, uint8_t *out, const int16_t *in, size_t n);
void g711_ulaw_decode(const g711_state_t *s, int16_t *out, const uint8_t *in, size_t n);
void g711_alaw_to_ulaw(const g711_state_t *s, uint8_t *out, const uint8_t *in, size_t n);
void g711_ulaw_to_alaw(const g711_state_t *s, uint8_t *out, const uint8_t *in, size_t n);
/* cffi:end */

#endif /* RINGBACK_G711_H */
