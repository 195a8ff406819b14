/*
 * dtmf.h - DTMF (ITU-T Q.23 dual tones) receiver and generator, 8 kHz 16-bit linear.
 *
 * The receiver aims at ITU-T Q.24 / ETSI ES 201 235-3: it accepts each tone within
 * +-(1.5% + 2 Hz) of nominal and rejects beyond +-3.5%, accepts twist up to 8 dB
 * normal (low group stronger) and 4 dB reverse, levels down to about -42 dBm0 per
 * tone, always detects tones of 40 ms or more and never those of 20 ms or less,
 * rides over drop-outs of 10 ms (in practice up to ~20 ms), separates digits by a
 * pause of 40 ms, tolerates a dial tone under the digits and resists talk-off. See
 * dtmf.c for how, tests/unit/test_dtmf_quality.py for the measured figures.
 *
 * Both state structs are owned by the caller (the media engine embeds them in its
 * channel slots); no globals, no allocation, no I/O.
 *
 * cffi sees the structs as opaque `{ ...; }` (it takes their sizes from the C
 * definitions below), then the functions of the second block.
 */
#ifndef RINGBACK_DTMF_H
#define RINGBACK_DTMF_H

#include <stddef.h>
#include <stdint.h>

/* Samples per analysis block (12.75 ms at 8 kHz): short enough that two blocks fit
   in a 40 ms tone at any alignment, long enough that the bins of adjacent rows
   (73 Hz apart) are near each other's first null (8000 / 102 = 78.4 Hz). */
#define DTMF_RX_BLOCK 102
/* Block energies kept for estimating where a digit began. */
#define DTMF_RX_HISTORY 4
#define DTMF_TX_QUEUE 128

typedef struct {
    /* Stage 1: 8 Goertzel filters, rows 697-941 Hz in 0..3, columns 1209-1633 in 4..7.
       gcoef = 2 cos(w), gsin = sin(w); half_cos/half_sin = cos/sin(w N/2), used to
       join the recurrences over the block's two halves, which run side by side. */
    float gcoef[8];
    float gsin[8];
    float half_cos[8];
    float half_sin[8];
    /* Stage 1 thresholds, in Goertzel |X|^2 units for a full block. */
    float level_min;      /* a tone at about -45 dBm0 */
    float energy_gate;    /* below this block energy nothing can be a digit */
    /* Stage 2 constants: the lowest tone amplitude, cos/sin of one bin of the
       204-sample window, 2cos(w) of the dial tones 350, 425, 440 Hz, the Hann
       window's first four cosines and sines and their rotation by four samples. */
    float s2_amp_min;
    float bin_cos, bin_sin;
    float dial_coef[3];
    float win_cos[4], win_sin[4];
    float win_rot_cos, win_rot_sin;
    /* The block being filled and the one before: the window stage 2 examines. */
    int16_t block[2][DTMF_RX_BLOCK];
    int cur;              /* index of the block being filled */
    int pos;              /* samples already in it */
    uint32_t sample;      /* samples since init (wraps after 2^32, ~6 days) */
    /* Stage-1 energies of the last blocks, newest first, and the complex filter
       outputs of the previous block (their phase advance gives frequencies). */
    float history[DTMF_RX_HISTORY][8];
    int history_len;
    float prev_re[8], prev_im[8];
    /* Detection state. */
    char last_hit;        /* stage-1 candidate of the previous block, 0 = none */
    char digit;           /* digit being received, 0 = none */
    uint8_t row, col;     /* its tones */
    uint8_t off_blocks;   /* consecutive blocks without it */
    float ref_row, ref_col; /* its stage-1 energies when it was confirmed */
    uint32_t lost_events; /* events dropped because the caller's array was full */
} dtmf_rx_state_t;

typedef struct {
    /* The two tones of the current digit, 4 samples at a time: the recurrence
       y[n+4] = 2 cos(4w) y[n] - y[n-4] runs in 4 lanes (see dtmf.c). */
    float now[2][4];      /* y[n..n+3] of the low and the high tone */
    float before[2][4];   /* y[n-4..n-1] */
    float coef4[2];       /* 2 cos(4w) */
    double omega[2];      /* w of each tone, radians per sample */
    int lane;             /* samples of now[] already written (0..4) */
    uint32_t tone_pos;    /* samples of the current tone written */
    float amplitude;      /* peak amplitude of each tone */
    uint32_t on_samples, off_samples;
    uint32_t left;        /* samples left in the current digit (tone + pause) */
    char queue[DTMF_TX_QUEUE];
    uint32_t head, count;
} dtmf_tx_state_t;

#if 0 /* cffi's view of the two structs: sizes from the definitions above */
/* cffi:begin */
typedef struct { ...; } dtmf_rx_state_t;
typedef struct { ...; } dtmf_tx_state_t;
/* cffi:end */
#endif

/* cffi:begin */
typedef struct { char digit; uint32_t sample; } dtmf_event_t;

enum { DTMF_RX_BLOCK_SAMPLES = 102 };

void dtmf_rx_init(dtmf_rx_state_t *s);
/* Feed n samples; writes up to max_events digit events (one per digit, reported once
   when the digit is confirmed, with the sample index since init where it began) and
   returns how many. At most one digit is confirmed per block, so max_events >=
   n / DTMF_RX_BLOCK_SAMPLES + 1 never drops one (dropped ones count in lost_events). */
size_t dtmf_rx_process(dtmf_rx_state_t *s, const int16_t *in, size_t n,
                       dtmf_event_t *events, size_t max_events);
/* The digit being received now (confirmed and not yet ended), or 0. */
char dtmf_rx_current(const dtmf_rx_state_t *s);
uint32_t dtmf_rx_lost_events(const dtmf_rx_state_t *s);

/* level_dbm0 per tone (0 dBm0 = a sine 3.14 dB below 16-bit full scale); each digit
   is on_ms of tone then off_ms of silence. */
void dtmf_tx_init(dtmf_tx_state_t *s, int level_dbm0, unsigned on_ms, unsigned off_ms);
/* Queue digits 0-9 * # A-D (a-d too); returns the number queued, or -1 (nothing
   queued) on a bad digit or when the queue cannot take them all. */
int dtmf_tx_put(dtmf_tx_state_t *s, const char *digits);
/* Writes min(n, samples left) samples and returns how many (0 when idle). */
size_t dtmf_tx_process(dtmf_tx_state_t *s, int16_t *out, size_t n);
/* cffi:end */

#endif /* RINGBACK_DTMF_H */
