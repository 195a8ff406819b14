/*
 * goertzel.h - tone energy at a few frequencies over a block (Goertzel filters).
 *
 * For a listener that has to tell call-progress tones apart (dial, busy, ringback...):
 * per block (one media tick) it gives the power at each of up to 8 frequencies and the
 * block's total power, both as mean squares, so their ratio says how much of the block
 * is that tone. Cadences are timed by the caller from block to block.
 *
 * The Goertzel recurrence (G. Goertzel, 1958): s[n] = x[n] + 2cos(w) s[n-1] - s[n-2];
 * power = s1^2 + s2^2 - 2cos(w) s1 s2 after N samples, scaled here by 2/N^2 so a sine
 * of amplitude A at the frequency reads A^2/2, like the mean square of the block.
 * The coefficients are computed once by goertzel_init; no globals, no allocation.
 */
#ifndef RINGBACK_GOERTZEL_H
#define RINGBACK_GOERTZEL_H

#include <stddef.h>
#include <stdint.h>

/* cffi:begin */
typedef struct {
    int n_freqs;
    float coef[8];   /* 2 cos(2 pi f / 8000) per frequency */
} goertzel_state_t;

/* n_freqs 1..8, frequencies in Hz (0 < f < 4000); returns -1 on bad arguments. */
int goertzel_init(goertzel_state_t *s, const float *freqs_hz, int n_freqs);

/* power[0..n_freqs-1]: mean-square power at each frequency; power[n_freqs]: the
 * block's mean square. n samples of 16-bit linear audio. */
void goertzel_block(const goertzel_state_t *s, const int16_t *in, size_t n, float *power);
/* cffi:end */

#endif
