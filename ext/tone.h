/*
 * tone.h - cadenced call-progress tone generator (8 kHz, 16-bit linear).
 *
 * A tone is a cadence of up to 8 segments. Each segment sums up to 4 sine
 * frequencies, each at its own level in dBm0, for a whole number of
 * milliseconds (0 ms = the segment lasts for ever). A segment with no
 * frequency is silence. The cadence either repeats or plays once.
 *
 * Levels: 0 dBm0 is the sine whose power is 3.14 dB below the A-law overload
 * sine (ITU-T G.711 section 5: the A-law load capacity is +3.14 dBm0). The
 * A-law overload point is 16-bit full scale (4096 in 13-bit units), so a
 * 0 dBm0 sine has a peak of 32768 * 10^(-3.14/20) = 22,827; that sine A-law
 * encodes to the digital milliwatt of G.711 Table 5.
 *
 * Cadences are counted in samples (8 per ms), so there is no drift however
 * long a tone plays. The oscillators are rotating complex phasors (no sin()
 * per sample), renormalised at least every 512 samples; on-segments that
 * follow silence start at phase 0 (no click), consecutive on-segments carry
 * each oscillator's phase on (continuous phase, e.g. through the special
 * information tone's three frequencies).
 *
 * Python fills a tone_desc_t (firmware/media/tones.py); the media engine
 * embeds tone_gen_state_t in its channel slots, so both are full structs.
 * The block between the cffi markers is fed verbatim to cffi's cdef().
 */
#ifndef RINGBACK_TONE_H
#define RINGBACK_TONE_H

#include <stddef.h>
#include <stdint.h>

#define TONE_MAX_SEGMENTS 8
#define TONE_MAX_FREQS 4
#define TONE_LANES 8
#define TONE_SAMPLE_RATE 8000
/* longest finite segment, so that the sample count fits in 32 bits */
#define TONE_MAX_DURATION_MS 0x1FFFFFFFu

/* cffi:begin */
typedef struct {
    uint32_t duration_ms;       /* 0: the segment lasts for ever */
    uint32_t n_freqs;           /* 0 (silence) ... 4 */
    float freq_hz[4];
    float level_dbm0[4];
} tone_segment_t;

typedef struct {
    tone_segment_t segments[8];
    uint32_t n_segments;        /* 0 ... 8; 0 = no tone at all */
    uint32_t repeat;            /* nonzero: the cadence repeats for ever */
} tone_desc_t;

/* one oscillator of a segment, precomputed by tone_gen_init() */
typedef struct {
    float rot1_re, rot1_im;     /* rotation by one sample */
    float rot8_re, rot8_im;     /* rotation by eight samples (one lane step) */
    float gain;                 /* peak amplitude, 16-bit units */
} tone_osc_t;

typedef struct {
    uint32_t samples;           /* 0: for ever */
    uint32_t n_freqs;
    tone_osc_t osc[4];
} tone_plan_t;

typedef struct {
    tone_plan_t plan[8];
    /* lane j of oscillator k holds the phasor of the next sample + j */
    float re[4][8];
    float im[4][8];
    uint32_t n_segments;
    uint32_t repeat;
    uint32_t current;           /* segment playing */
    uint32_t left;              /* samples left in it (finite segments) */
    uint32_t finished;          /* a play-once cadence has ended */
} tone_gen_state_t;

/* Copies what it needs from d: the descriptor may go away after the call. */
void tone_gen_init(tone_gen_state_t *s, const tone_desc_t *d);
/* Writes min(n, samples left) samples to out and returns how many: n for
 * ever for a repeating cadence, fewer once a play-once cadence ends. */
size_t tone_gen_process(tone_gen_state_t *s, int16_t *out, size_t n);
/* Nonzero once a play-once cadence has played out. */
int tone_gen_finished(const tone_gen_state_t *s);
/* cffi:end */

#endif /* RINGBACK_TONE_H */
