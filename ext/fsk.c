/*
 * fsk.c - 1200 bit/s FSK modulator and demodulator (see fsk.h).
 *
 * Modulator: one complex phasor, rotated per sample by the frequency of the
 * bit being sent (continuous phase), renormalised once per bit.
 *
 * Demodulator: two complex correlators, at the mark and the space frequency,
 * over a sliding window of about one bit (7 samples at 1200 bit/s: the
 * matched filter of a bit). Each sample gives a soft decision
 * (Em - Es) / (Em + Es) from the two correlators' energies. A start bit is
 * the first sample where space wins after mark; bit k is then read from
 * the soft decisions summed over the 5 samples around (k + 1/2) bit after
 * that edge (the correlator delays the edge and the bit centres equally).
 * With a frequency shift of only 0.67 x the bit rate (V.23) the correlators
 * tell mark from space well only near the middle of a bit, so reading a
 * single sample there fails often from 15 dB SNR down; the 5-sample sum
 * reads bursts cleanly at 12 dB (tests/unit/test_fsk.py). A carrier
 * detector on the window energy, with hysteresis, keeps silence and low
 * noise from making bytes.
 */
#include "fsk.h"

#include <math.h>
#include <string.h>

#define TWO_PI 6.283185307179586476925
#define DBM0_PEAK 22827.0576    /* peak of a 0 dBm0 sine, see tone.h */
#define SAMPLE_RATE 8000
#define BAUD 1200
#define MAX_WINDOW 8
#define RENORM_SAMPLES 128
#define SOFT_SPAN 5             /* soft decisions summed per bit (odd, <= 8) */
/* Carrier detector: on above -43 dBm0, off below -48 dBm0 (mean power) */
#define CARRIER_ON_DBM0 (-43.0)
#define CARRIER_OFF_DBM0 (-48.0)

enum { UART_WAIT_MARK = 0, UART_HUNT = 1, UART_CHAR = 2 };

static void mode_freqs(int mode, double *space_hz, double *mark_hz)
{
    if (mode == FSK_MODE_BELL202) {
        *mark_hz = 1200.0;      /* Bell 202 */
        *space_hz = 2200.0;
    } else {
        *mark_hz = 1300.0;      /* ITU-T V.23 mode 1 forward channel */
        *space_hz = 2100.0;
    }
}

/* ---- modulator ---- */

void fsk_mod_init(fsk_mod_state_t *s, int mode, float level_dbm0)
{
    double f[2];
    int i;

    memset(s, 0, sizeof(*s));
    mode_freqs(mode, &f[0], &f[1]);
    for (i = 0; i < 2; i++) {
        double w = TWO_PI * f[i] / SAMPLE_RATE;

        s->rot_re[i] = cos(w);
        s->rot_im[i] = sin(w);
    }
    s->re = 1.0;
    s->im = 0.0;
    s->gain = (float) (DBM0_PEAK * pow(10.0, (double) level_dbm0 / 20.0));
    s->rate = SAMPLE_RATE;
    s->baud = BAUD;
    s->clock = 0;
}

size_t fsk_mod_samples(const fsk_mod_state_t *s, size_t nbits)
{
    /* the least S with clock + S * baud >= nbits * rate */
    uint64_t need = (uint64_t) nbits * s->rate;

    if (need <= s->clock)
        return 0;
    return (size_t) ((need - s->clock + s->baud - 1) / s->baud);
}

static inline int16_t to_pcm(double x)
{
    double v = floor(x + 0.5);

    if (v > 32767.0)
        v = 32767.0;
    if (v < -32768.0)
        v = -32768.0;
    return (int16_t) v;
}

/* One bit: the samples until the bit clock passes a whole bit. */
static size_t mod_bit(fsk_mod_state_t *s, int16_t *out, int bit)
{
    const double c = s->rot_re[bit];
    const double sn = s->rot_im[bit];
    double re = s->re;
    double im = s->im;
    double scale;
    size_t n = 0;

    do {
        double next_re = re * c - im * sn;

        out[n++] = to_pcm(s->gain * im);
        im = re * sn + im * c;
        re = next_re;
        s->clock += s->baud;
    } while (s->clock < s->rate);
    s->clock -= s->rate;
    /* back to unit magnitude (one Newton step; the drift per bit is ~1e-15) */
    scale = 1.5 - 0.5 * (re * re + im * im);
    s->re = re * scale;
    s->im = im * scale;
    return n;
}

size_t fsk_mod_bits(fsk_mod_state_t *s, int16_t *out, const uint8_t *bits, size_t nbits)
{
    size_t n = 0;
    size_t i;

    for (i = 0; i < nbits; i++)
        n += mod_bit(s, out + n, bits[i] ? 1 : 0);
    return n;
}

size_t fsk_mod_seizure(fsk_mod_state_t *s, int16_t *out, size_t n_alternating, size_t n_marks)
{
    size_t n = 0;
    size_t i;

    /* ETSI EN 300 659-1: the channel seizure starts with a space: 0101... */
    for (i = 0; i < n_alternating; i++)
        n += mod_bit(s, out + n, (int) (i & 1));
    for (i = 0; i < n_marks; i++)
        n += mod_bit(s, out + n, 1);
    return n;
}

size_t fsk_mod_async(fsk_mod_state_t *s, int16_t *out, const uint8_t *bytes, size_t count)
{
    size_t n = 0;
    size_t i;
    int b;

    for (i = 0; i < count; i++) {
        n += mod_bit(s, out + n, 0);                    /* start bit */
        for (b = 0; b < 8; b++)
            n += mod_bit(s, out + n, (bytes[i] >> b) & 1);  /* LSB first */
        n += mod_bit(s, out + n, 1);                    /* stop bit */
    }
    return n;
}

/* ---- demodulator ---- */

void fsk_demod_init(fsk_demod_state_t *s, int mode)
{
    double f[2];
    double peak2;
    int i;

    memset(s, 0, sizeof(*s));
    mode_freqs(mode, &f[0], &f[1]);
    for (i = 0; i < 2; i++) {
        double w = TWO_PI * f[i] / SAMPLE_RATE;

        s->lo_re[i] = 1.0f;
        s->lo_im[i] = 0.0f;
        s->rot_re[i] = (float) cos(w);
        s->rot_im[i] = (float) -sin(w);
    }
    s->rate = SAMPLE_RATE;
    s->baud = BAUD;
    s->window = (SAMPLE_RATE + BAUD - 1) / BAUD;
    if (s->window > MAX_WINDOW)
        s->window = MAX_WINDOW;
    /* energy over the window of a sine at the threshold: window * peak^2 / 2 */
    peak2 = DBM0_PEAK * DBM0_PEAK;
    s->carrier_on = (float) (s->window * peak2 / 2.0 * pow(10.0, CARRIER_ON_DBM0 / 10.0));
    s->carrier_off = (float) (s->window * peak2 / 2.0 * pow(10.0, CARRIER_OFF_DBM0 / 10.0));
    s->uart_state = UART_WAIT_MARK;
}

static void renorm_lo(fsk_demod_state_t *s)
{
    int i;

    for (i = 0; i < 2; i++) {
        float m = s->lo_re[i] * s->lo_re[i] + s->lo_im[i] * s->lo_im[i];
        float scale = 1.5f - 0.5f * m;

        s->lo_re[i] *= scale;
        s->lo_im[i] *= scale;
    }
}

static float soft_sum(const fsk_demod_state_t *s)
{
    float sum = 0.0f;
    int i;

    for (i = 0; i < SOFT_SPAN; i++)
        sum += s->soft[i];
    return sum;
}

/* Feed the newest decision (bit: the hard one; s->soft: the soft ones) to the
 * async receiver; returns 1 when a byte is done. */
static int uart_step(fsk_demod_state_t *s, int bit, fsk_demod_byte_t *byte)
{
    switch (s->uart_state) {
    case UART_WAIT_MARK:
        if (bit) {
            s->uart_state = UART_HUNT;
            s->idle_samples = 1;
        }
        return 0;
    case UART_HUNT:
        if (bit) {
            if (s->idle_samples < 0xFFFFFFu)
                s->idle_samples++;
            return 0;
        }
        s->uart_state = UART_CHAR;
        s->units = 0;
        s->bit_index = 0;
        s->shift = 0;
        s->start_sample = s->sample_count;
        return 0;
    default:
        break;
    }
    /* UART_CHAR: read bit k from the SOFT_SPAN soft decisions centred on the
     * sample nearest (k + 1/2) bit after the edge, i.e. SOFT_SPAN / 2 samples
     * after that sample. */
    s->units += s->baud;
    if (2 * s->units + s->baud < (2 * s->bit_index + 1) * s->rate + (SOFT_SPAN - 1) * s->baud)
        return 0;
    bit = soft_sum(s) > 0.0f;
    if (s->bit_index == 0) {
        if (bit) {
            /* a glitch, not a start bit: back to the idle mark */
            s->uart_state = UART_HUNT;
            s->idle_samples += s->units / s->baud;
            return 0;
        }
    } else if (s->bit_index <= 8) {
        s->shift |= (uint32_t) (bit & 1) << (s->bit_index - 1);
    } else {
        uint32_t idle_bits = (uint32_t) (((uint64_t) s->idle_samples * s->baud) / s->rate);

        byte->byte = (uint8_t) s->shift;
        byte->stop_ok = (uint8_t) (bit ? 1 : 0);
        byte->idle_bits = (uint16_t) (idle_bits > 0xFFFF ? 0xFFFF : idle_bits);
        byte->sample = s->start_sample;
        s->idle_samples = 0;
        /* after a framing error wait for the line to return to mark */
        s->uart_state = bit ? UART_HUNT : UART_WAIT_MARK;
        return 1;
    }
    s->bit_index++;
    return 0;
}

size_t fsk_demod_process(fsk_demod_state_t *s, const int16_t *in, size_t n,
                         fsk_demod_byte_t *out, size_t max_out, size_t *n_out)
{
    const uint32_t w = s->window;
    size_t got = 0;
    size_t i;

    *n_out = 0;
    if (max_out == 0)
        return 0;
    for (i = 0; i < n; i++) {
        float x = (float) in[i];
        float sum_re[2] = { 0.0f, 0.0f };
        float sum_im[2] = { 0.0f, 0.0f };
        float energy = 0.0f;
        float mark;
        float space;
        uint32_t j;
        int f;

        for (f = 0; f < 2; f++) {
            float re = s->lo_re[f];
            float im = s->lo_im[f];

            s->prod_re[f][s->pos] = x * re;
            s->prod_im[f][s->pos] = x * im;
            s->lo_re[f] = re * s->rot_re[f] - im * s->rot_im[f];
            s->lo_im[f] = re * s->rot_im[f] + im * s->rot_re[f];
        }
        s->power[s->pos] = x * x;
        if (++s->pos >= w)
            s->pos = 0;
        for (j = 0; j < w; j++) {
            sum_re[0] += s->prod_re[0][j];
            sum_im[0] += s->prod_im[0][j];
            sum_re[1] += s->prod_re[1][j];
            sum_im[1] += s->prod_im[1][j];
            energy += s->power[j];
        }
        if (++s->since_renorm >= RENORM_SAMPLES) {
            s->since_renorm = 0;
            renorm_lo(s);
        }

        if (s->carrier ? energy < s->carrier_off : energy >= s->carrier_on) {
            s->carrier = !s->carrier;
            if (!s->carrier)
                s->uart_state = UART_WAIT_MARK;   /* a character cut off is lost */
        }
        mark = sum_re[1] * sum_re[1] + sum_im[1] * sum_im[1];
        space = sum_re[0] * sum_re[0] + sum_im[0] * sum_im[0];
        s->soft[s->soft_pos] = (mark - space) / (mark + space + 1.0f);
        if (++s->soft_pos >= SOFT_SPAN)
            s->soft_pos = 0;
        if (s->carrier) {
            if (uart_step(s, mark > space, &out[got]))
                got++;
        }
        s->sample_count++;
        if (got == max_out) {
            i++;
            break;
        }
    }
    *n_out = got;
    return i;
}
