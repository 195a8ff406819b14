/*
 * fsk.h - 1200 bit/s FSK modulator and demodulator for caller ID (8 kHz).
 *
 * Two modes: ITU-T V.23 forward channel (mark 1300 Hz, space 2100 Hz), used
 * by ETSI EN 300 659-1 (CLIP), and Bell 202 (mark 1200 Hz, space 2200 Hz),
 * used by Telcordia GR-30 (CLASS caller ID). The modulator is continuous
 * phase; bit boundaries fall on the sample grid by an integer bit clock, so
 * 3 bits take exactly 20 samples (7, 7, 6) with no drift.
 *
 * Async framing (1 start bit, 8 data bits LSB first, 1 stop bit) is done in C
 * on both sides: fsk_mod_async() sends bytes, fsk_demod_process() returns the
 * bytes it received, each with the number of idle mark bits before it (the
 * caller ID parser uses that to find where a message starts after the
 * channel seizure and mark signal).
 *
 * The names avoid spandsp's fsk_tx_* / fsk_rx_* so both can be linked into
 * one reference program. The block between the cffi markers is fed verbatim
 * to cffi's cdef().
 */
#ifndef RINGBACK_FSK_H
#define RINGBACK_FSK_H

#include <stddef.h>
#include <stdint.h>

/* cffi:begin */
typedef enum {
    FSK_MODE_V23 = 0,           /* mark 1300 Hz, space 2100 Hz */
    FSK_MODE_BELL202 = 1        /* mark 1200 Hz, space 2200 Hz */
} fsk_mode_t;

typedef struct {
    double re, im;              /* carrier phasor; output = gain * im */
    double rot_re[2], rot_im[2];  /* rotation per sample: [0] space, [1] mark */
    float gain;
    uint32_t rate;              /* samples per second */
    uint32_t baud;              /* bits per second */
    uint32_t clock;             /* bit clock: + baud per sample, one bit = rate */
} fsk_mod_state_t;

/* level: of the sine, in dBm0 (0 dBm0 = peak 22,827, see tone.h) */
void fsk_mod_init(fsk_mod_state_t *s, int mode, float level_dbm0);
/* Samples that the next nbits bits will take (it depends on the bit clock). */
size_t fsk_mod_samples(const fsk_mod_state_t *s, size_t nbits);
/* bits: one bit per byte (0 = space, nonzero = mark). Returns samples written,
 * exactly fsk_mod_samples(s, nbits) as computed before the call. */
size_t fsk_mod_bits(fsk_mod_state_t *s, int16_t *out, const uint8_t *bits, size_t nbits);
/* n_alternating bits 0101... (channel seizure) then n_marks mark bits. */
size_t fsk_mod_seizure(fsk_mod_state_t *s, int16_t *out, size_t n_alternating, size_t n_marks);
/* Each byte as start bit, 8 data bits LSB first, stop bit (10 bits a byte). */
size_t fsk_mod_async(fsk_mod_state_t *s, int16_t *out, const uint8_t *bytes, size_t n);

typedef struct {
    uint8_t byte;
    uint8_t stop_ok;            /* 0: framing error (the stop bit was a space) */
    uint16_t idle_bits;         /* mark bits since the previous byte or carrier up (saturates) */
    uint32_t sample;            /* sample index of the start bit's edge, from init (wraps) */
} fsk_demod_byte_t;

typedef struct {
    /* local oscillators e^(-j w n) for [0] space, [1] mark */
    float lo_re[2], lo_im[2];
    float rot_re[2], rot_im[2];
    /* the last `window` products x * lo and x^2, summed each sample */
    float prod_re[2][8], prod_im[2][8];
    float power[8];
    float soft[8];              /* ring of the last soft decisions */
    uint32_t soft_pos;
    uint32_t window;            /* correlation length, about one bit */
    uint32_t pos;               /* ring index */
    float carrier_on;           /* window energy thresholds (hysteresis) */
    float carrier_off;
    uint32_t carrier;
    /* async receiver */
    uint32_t rate, baud;
    uint32_t uart_state;
    uint32_t units;             /* bit clock units since the start edge */
    uint32_t bit_index;         /* next bit to sample: 0 start, 1..8 data, 9 stop */
    uint32_t shift;
    uint32_t idle_samples;
    uint32_t start_sample;
    uint32_t sample_count;
    uint32_t since_renorm;
} fsk_demod_state_t;

void fsk_demod_init(fsk_demod_state_t *s, int mode);
/* Demodulates up to n samples; writes received bytes to out (room for max_out)
 * and their count to *n_out. Stops early only when out is full; returns the
 * number of samples consumed. One byte needs at least 10 bits (~67 samples),
 * so max_out >= n / 66 + 1 never stops early. */
size_t fsk_demod_process(fsk_demod_state_t *s, const int16_t *in, size_t n,
                         fsk_demod_byte_t *out, size_t max_out, size_t *n_out);
/* cffi:end */

#endif /* RINGBACK_FSK_H */
