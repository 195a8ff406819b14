/*
 * tone.c - cadenced call-progress tone generator (see tone.h).
 *
 * Each oscillator is a unit complex phasor z rotated by e^(jw) per sample;
 * the output is gain * Im(z). To break the serial dependency of z(n+1) on
 * z(n), eight lanes hold the phasors of eight consecutive samples and each
 * block of eight samples rotates every lane by e^(8jw): the lanes are
 * independent, so the compiler can keep them in SIMD registers.
 *
 * Float rounding makes the lanes' magnitudes (and, slowly, their relative
 * phases) wander, so at least every 512 samples lane 0 is renormalised and
 * lanes 1..7 are rebuilt from it by one-sample rotations. The frequency
 * error from rounding the rotation to float is below 1e-4 Hz.
 */
#include "tone.h"

#include <math.h>
#include <string.h>

/* peak of a 0 dBm0 sine: 32768 * 10^(-3.14/20), see tone.h */
#define DBM0_PEAK 22827.0576
#define TWO_PI 6.283185307179586476925
#define RENORM_BLOCKS 64        /* blocks of 8 samples between renormalisations */

static uint32_t ms_to_samples(uint32_t ms)
{
    if (ms > TONE_MAX_DURATION_MS)
        ms = TONE_MAX_DURATION_MS;
    return ms * (TONE_SAMPLE_RATE / 1000);
}

static void plan_oscillator(tone_osc_t *o, float freq_hz, float level_dbm0)
{
    double w = TWO_PI * (double) freq_hz / TONE_SAMPLE_RATE;

    o->rot1_re = (float) cos(w);
    o->rot1_im = (float) sin(w);
    o->rot8_re = (float) cos(8.0 * w);
    o->rot8_im = (float) sin(8.0 * w);
    o->gain = (float) (DBM0_PEAK * pow(10.0, (double) level_dbm0 / 20.0));
}

/* Lanes 1..7 of oscillator k from lane 0, lane 0 first brought back to unit
 * magnitude (one Newton step of 1/sqrt, ample for the drift between calls). */
static void rebuild_lanes(tone_gen_state_t *s, const tone_osc_t *o, int k)
{
    float re = s->re[k][0];
    float im = s->im[k][0];
    float scale = 1.5f - 0.5f * (re * re + im * im);
    int j;

    re *= scale;
    im *= scale;
    for (j = 0; j < TONE_LANES; j++) {
        float next_re = re * o->rot1_re - im * o->rot1_im;
        float next_im = re * o->rot1_im + im * o->rot1_re;

        s->re[k][j] = re;
        s->im[k][j] = im;
        re = next_re;
        im = next_im;
    }
}

/* Start segment s->current. Oscillators that were sounding in the segment
 * just left keep their phase; the others start at phase 0. */
static void enter_segment(tone_gen_state_t *s, uint32_t previous_freqs)
{
    const tone_plan_t *p = &s->plan[s->current];
    uint32_t k;

    s->left = p->samples;
    for (k = 0; k < p->n_freqs; k++) {
        if (k >= previous_freqs) {
            s->re[k][0] = 1.0f;
            s->im[k][0] = 0.0f;
        }
        rebuild_lanes(s, &p->osc[k], (int) k);
    }
}

static void next_segment(tone_gen_state_t *s)
{
    uint32_t previous_freqs = s->plan[s->current].n_freqs;

    if (++s->current >= s->n_segments) {
        if (!s->repeat) {
            s->finished = 1;
            return;
        }
        s->current = 0;
    }
    enter_segment(s, previous_freqs);
}

void tone_gen_init(tone_gen_state_t *s, const tone_desc_t *d)
{
    uint32_t i;
    uint32_t k;

    memset(s, 0, sizeof(*s));
    s->n_segments = d->n_segments > TONE_MAX_SEGMENTS ? TONE_MAX_SEGMENTS : d->n_segments;
    s->repeat = d->repeat ? 1 : 0;
    for (i = 0; i < s->n_segments; i++) {
        const tone_segment_t *seg = &d->segments[i];
        tone_plan_t *p = &s->plan[i];

        p->samples = ms_to_samples(seg->duration_ms);
        p->n_freqs = seg->n_freqs > TONE_MAX_FREQS ? TONE_MAX_FREQS : seg->n_freqs;
        for (k = 0; k < p->n_freqs; k++)
            plan_oscillator(&p->osc[k], seg->freq_hz[k], seg->level_dbm0[k]);
    }
    if (s->n_segments == 0) {
        s->finished = 1;
        return;
    }
    s->current = 0;
    enter_segment(s, 0);
}

int tone_gen_finished(const tone_gen_state_t *s)
{
    return s->finished != 0;
}

/* float sample -> int16, rounded to nearest, saturated */
static inline int16_t to_pcm(float x)
{
    float v = x + 32768.5f;

    if (v < 0.0f)
        v = 0.0f;
    if (v > 65535.0f)
        v = 65535.0f;
    return (int16_t) ((int32_t) v - 32768);
}

/* n blocks of 8 samples of the oscillators of p */
static void synth_blocks(tone_gen_state_t *s, const tone_plan_t *p, int16_t *out, size_t blocks)
{
    const uint32_t nf = p->n_freqs;
    size_t b;
    uint32_t k;
    int j;

    for (b = 0; b < blocks; b++) {
        float acc[TONE_LANES] = { 0 };

        for (k = 0; k < nf; k++) {
            const float g = p->osc[k].gain;
            const float c = p->osc[k].rot8_re;
            const float sn = p->osc[k].rot8_im;
            float *re = s->re[k];
            float *im = s->im[k];

            for (j = 0; j < TONE_LANES; j++) {
                float r = re[j];
                float i = im[j];

                acc[j] += g * i;
                re[j] = r * c - i * sn;
                im[j] = r * sn + i * c;
            }
        }
        for (j = 0; j < TONE_LANES; j++)
            out[j] = to_pcm(acc[j]);
        out += TONE_LANES;
    }
}

/* n samples of the on-segment p */
static void synth(tone_gen_state_t *s, const tone_plan_t *p, int16_t *out, size_t n)
{
    uint32_t k;

    while (n >= TONE_LANES) {
        size_t blocks = n / TONE_LANES;

        if (blocks > RENORM_BLOCKS)
            blocks = RENORM_BLOCKS;
        synth_blocks(s, p, out, blocks);
        out += blocks * TONE_LANES;
        n -= blocks * TONE_LANES;
        for (k = 0; k < p->n_freqs; k++)
            rebuild_lanes(s, &p->osc[k], (int) k);
    }
    if (n > 0) {
        /* a partial block: use the first n lanes, then lane n is the next sample */
        size_t j;

        for (j = 0; j < n; j++) {
            float acc = 0.0f;

            for (k = 0; k < p->n_freqs; k++)
                acc += p->osc[k].gain * s->im[k][j];
            out[j] = to_pcm(acc);
        }
        for (k = 0; k < p->n_freqs; k++) {
            s->re[k][0] = s->re[k][n];
            s->im[k][0] = s->im[k][n];
            rebuild_lanes(s, &p->osc[k], (int) k);
        }
    }
}

size_t tone_gen_process(tone_gen_state_t *s, int16_t *out, size_t n)
{
    size_t done = 0;

    while (done < n && !s->finished) {
        const tone_plan_t *p = &s->plan[s->current];
        size_t chunk = n - done;

        if (p->samples != 0 && chunk > s->left)
            chunk = s->left;
        if (p->n_freqs == 0)
            memset(out + done, 0, chunk * sizeof(*out));
        else
            synth(s, p, out + done, chunk);
        done += chunk;
        if (p->samples != 0) {
            s->left -= (uint32_t) chunk;
            if (s->left == 0)
                next_segment(s);
        }
    }
    return done;
}
