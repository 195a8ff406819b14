/*
 * dtmf.c - DTMF receiver and generator (ITU-T Q.23 frequencies, Q.24 / ETSI
 * ES 201 235-3 acceptance figures; see dtmf.h for the summary).
 *
 * Receiver: two stages.
 *
 * Stage 1 runs on every block of DTMF_RX_BLOCK (102) samples: eight Goertzel filters
 * at the nominal frequencies and the block energy. It is cheap (the filters run as
 * two independent half-block recurrences in 4-lane vectors, so the loop is bound by
 * the vector unit's throughput, not by the multiply-add latency of one recurrence)
 * and lenient: a block is a "hit" for digit d when d's row and column are the
 * strongest of their groups by 6 dB, both above about -45 dBm0, the twist is within
 * 11 dB normal / 7 dB reverse and the two carry a fair share of the block energy.
 * Quiet blocks skip the filters (by Cauchy-Schwarz no tone can reach the threshold).
 *
 * Stage 2 runs only when the same digit is hit in two consecutive blocks (it is not
 * the digit being received, and the older block's tones are about as strong as the
 * newer one's). It examines those two blocks: 204 samples, which a tone of 40 ms
 * always covers completely whatever the alignment. One 16-lane Goertzel pass over
 * the Hann-windowed window measures everything below; the phase advance of the
 * stage-1 filters from one block to the next gives a first frequency estimate that
 * places the bins.
 *  - frequency: three Hann bins, 8000/204 Hz apart, around each tone. For a Hann
 *    window the magnitudes a, b, c of three adjacent bins put a tone at
 *    2 (c - a) / (a + 2b + c) bins from the middle one (closed form), so each tone's
 *    frequency is known to about 1 Hz. Accepted within 2.5% + 1 Hz of nominal,
 *    halfway between the must-accept +-(1.5% + 2 Hz) and the must-reject +-3.5%
 *    (Q.24). A plain 102-sample Goertzel cannot draw that line.
 *  - level and twist: from the three bins' energy, corrected for the part of the
 *    Hann main lobe they miss at that offset. Per tone >= -42 dBm0; twist accepted up
 *    to 8.5 dB normal and 4.5 dB reverse (Q.24: 8 and 4 dB must be accepted).
 *  - purity: the two tones must hold >= 88% of the window's energy, not counting
 *    a dial tone (350 + 440 Hz or 425 Hz) under the digits; white noise at 15 dB SNR
 *    leaves them ~97%.
 *  - harmonic comb (talk-off): a voiced sound can put two harmonics m F0 and n F0 on
 *    a row and a column frequency, with little else (a high voice has few harmonics
 *    in the band). Its other harmonics then sit at 2f_r - f_c, 2f_c - f_r,
 *    (f_r + f_c) / 2, (3f_r - f_c) / 2, (3f_c - f_r) / 2; a sine there within 19 dB
 *    of the stronger tone rejects the window. White noise at 15 dB SNR stays ~30 dB
 *    below it there.
 *  - duration: a least-squares fit of the two tones over the first and over the last
 *    51 samples must find each at 0.75..1.33 of its amplitude in the whole window.
 *    A tone of 20 ms (160 samples) lacks at least 22 samples at one end, so it shows
 *    at most 0.57 there and is never confirmed; a 40 ms tone covers both blocks and
 *    always is. The fit removes the other tone exactly, which a 51-sample DFT could
 *    not (its sidelobes would let a strong tone mask a weak one).
 *
 * Once confirmed, the digit is reported (once) and followed block by block: it stays
 * on while its row and column remain the strongest and within 16 dB of their energy
 * at confirmation. It ends after two blocks without it. A drop-out of 10 ms (80
 * samples) leaves at least one of the two blocks it touches mostly covered (both
 * below 16% needs a gap of 172 samples), so it never splits a digit; a pause of
 * 40 ms always holds two whole silent blocks, so it always does. A different digit
 * confirmed while one is on ends the first (digits sent back to back).
 *
 * The start of a digit is estimated from the stage-1 energies of the blocks before
 * the confirmed window: a Goertzel amplitude grows with the part of the block the
 * tone covers.
 *
 * Generator: the two sines come from the recurrence y[n+4] = 2cos(4w) y[n] - y[n-4]
 * run in four lanes (samples n..n+3), reseeded from sin() at each tone start and
 * every 8,192 samples, so long tones do not drift.
 */
#include "dtmf.h"

#include <math.h>
#include <string.h>

_Static_assert(DTMF_RX_BLOCK == DTMF_RX_BLOCK_SAMPLES, "block size in two places");
_Static_assert(DTMF_RX_BLOCK % 2 == 0 && (2 * DTMF_RX_BLOCK) % 4 == 0, "halves, groups of 4");

#define DTMF_PI 3.14159265358979323846
#define SAMPLE_RATE 8000.0
#define HALF (DTMF_RX_BLOCK / 2)
#define WINDOW (2 * DTMF_RX_BLOCK)
#define BIN_HZ (SAMPLE_RATE / WINDOW)
#define EDGE 51
/* 0 dBm0: a sine 3.14 dB below full scale (ITU-T G.711 / spandsp convention) */
#define DBM0_AMPLITUDE (32767.0 * 0.69657842888)

/* Stage 1 (lenient) */
#define S1_LEVEL_DBM0 (-45.0)
#define S1_NORMAL_TWIST 12.589f  /* 11 dB */
#define S1_REVERSE_TWIST 5.012f  /* 7 dB */
#define S1_RELATIVE_PEAK 4.0f    /* 6 dB */
#define S1_PURITY 0.35f
/* Following a confirmed digit */
#define HOLD_RATIO 0.025f        /* -16 dB: coverage of about 16% of a block */
#define END_BLOCKS 2
/* Stage 2 (Q.24) */
#define S2_PRECHECK 0.5f         /* older block's tone energy vs the newer one's */
#define S2_LEVEL_DBM0 (-42.0)
#define S2_FREQ_REL 0.025
#define S2_FREQ_ABS 1.0
#define S2_NORMAL_TWIST 7.079    /* 8.5 dB */
#define S2_REVERSE_TWIST 2.818   /* 4.5 dB */
#define S2_PURITY 0.88
#define S2_COMB 0.0126           /* -19 dB */
#define S2_EDGE_LOW 0.75
#define S2_EDGE_HIGH 1.33
/* Comb frequencies checked: in the band, and clear of the dial tones (+-2 bins) */
#define COMB_LOW_HZ 150.0
#define COMB_HIGH_HZ 3900.0
#define COMB_DIAL_LOW_HZ 272.0
#define COMB_DIAL_HIGH_HZ 518.0

static const double tone_hz[8] = {697, 770, 852, 941, 1209, 1336, 1477, 1633};
static const double dial_hz[3] = {350, 425, 440};
static const char keypad[16] = "123A456B789C*0#D";

typedef float v4f __attribute__((vector_size(16)));

static inline v4f splat(float x)
{
    return (v4f){x, x, x, x};
}

static inline v4f load4(const float *p)
{
    v4f v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void store4(float *p, v4f v)
{
    memcpy(p, &v, sizeof v);
}

static double dbm0_amplitude(double dbm0)
{
    return DBM0_AMPLITUDE * pow(10.0, dbm0 / 20.0);
}

void dtmf_rx_init(dtmf_rx_state_t *s)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < 8; i++) {
        const double w = 2.0 * DTMF_PI * tone_hz[i] / SAMPLE_RATE;
        s->gcoef[i] = (float) (2.0 * cos(w));
        s->gsin[i] = (float) sin(w);
        s->half_cos[i] = (float) cos(w * HALF);
        s->half_sin[i] = (float) sin(w * HALF);
    }
    /* |X|^2 of a full block holding a sine of amplitude a at a filter's frequency is
       (N a / 2)^2 */
    const double a1 = dbm0_amplitude(S1_LEVEL_DBM0);
    s->level_min = (float) (DTMF_RX_BLOCK * a1 / 2.0 * DTMF_RX_BLOCK * a1 / 2.0);
    /* Cauchy-Schwarz: |X|^2 <= N * energy, so below level_min / N no filter can
       reach level_min */
    s->energy_gate = s->level_min / DTMF_RX_BLOCK;
    s->s2_amp_min = (float) dbm0_amplitude(S2_LEVEL_DBM0);
    s->bin_cos = (float) cos(2.0 * DTMF_PI / WINDOW);
    s->bin_sin = (float) sin(2.0 * DTMF_PI / WINDOW);
    for (int i = 0; i < 3; i++)
        s->dial_coef[i] = (float) (2.0 * cos(2.0 * DTMF_PI * dial_hz[i] / SAMPLE_RATE));
    for (int k = 0; k < 4; k++) {
        s->win_cos[k] = (float) cos(2.0 * DTMF_PI * (k + 0.5) / WINDOW);
        s->win_sin[k] = (float) sin(2.0 * DTMF_PI * (k + 0.5) / WINDOW);
    }
    s->win_rot_cos = (float) cos(2.0 * DTMF_PI * 4 / WINDOW);
    s->win_rot_sin = (float) sin(2.0 * DTMF_PI * 4 / WINDOW);
}

char dtmf_rx_current(const dtmf_rx_state_t *s)
{
    return s->digit;
}

uint32_t dtmf_rx_lost_events(const dtmf_rx_state_t *s)
{
    return s->lost_events;
}

/* The block as floats; returns its energy without the DC part. */
static float block_to_float(const int16_t *x, float *f)
{
    v4f sum = splat(0), sq = splat(0);
    int i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* eight samples at a time: as four int32, each holds an even sample in its low
       half and an odd one in its high half; arithmetic shifts sign-extend them */
    typedef int32_t v4i __attribute__((vector_size(16)));
    for (; i + 8 <= DTMF_RX_BLOCK; i += 8) {
        v4i v;
        memcpy(&v, x + i, sizeof v);
        const v4f even = __builtin_convertvector((v << 16) >> 16, v4f);
        const v4f odd = __builtin_convertvector(v >> 16, v4f);
        store4(f + i, __builtin_shufflevector(even, odd, 0, 4, 1, 5));
        store4(f + i + 4, __builtin_shufflevector(even, odd, 2, 6, 3, 7));
        sum += even + odd;
        sq += even * even + odd * odd;
    }
#endif
    float total = sum[0] + sum[1] + sum[2] + sum[3];
    float energy = sq[0] + sq[1] + sq[2] + sq[3];
    for (; i < DTMF_RX_BLOCK; i++) {
        f[i] = x[i];
        total += f[i];
        energy += f[i] * f[i];
    }
    /* the filters are far from 0 Hz: the DC only needs to leave the energy */
    return energy - total * total / DTMF_RX_BLOCK;
}

/* Stage 1 filters over one block: the complex DFT values z = e^{jw(H-1)} X at the 8
   nominal frequencies (X referred to the block's first sample; the factor is the
   same for every block). One recurrence per frequency and half of the block, the
   two halves side by side, joined at the end: z = y_a + e^{-jwH} y_b, with
   y = s1 - e^{-jw} s2 the Goertzel output of a half of H samples. */
static void goertzel_block(const dtmf_rx_state_t *s, const float *x, float re[8], float im[8])
{
    const v4f c_lo = load4(s->gcoef), c_hi = load4(s->gcoef + 4);
    v4f a1_lo = splat(0), a2_lo = splat(0), a1_hi = splat(0), a2_hi = splat(0);
    v4f b1_lo = splat(0), b2_lo = splat(0), b1_hi = splat(0), b2_hi = splat(0);
    for (int i = 0; i < HALF; i++) {
        const v4f xa = splat(x[i]), xb = splat(x[i + HALF]);
        /* s[n] = 2cos(w) s[n-1] - s[n-2] + x[n] */
        v4f t;
        t = c_lo * a1_lo + (xa - a2_lo);
        a2_lo = a1_lo;
        a1_lo = t;
        t = c_hi * a1_hi + (xa - a2_hi);
        a2_hi = a1_hi;
        a1_hi = t;
        t = c_lo * b1_lo + (xb - b2_lo);
        b2_lo = b1_lo;
        b1_lo = t;
        t = c_hi * b1_hi + (xb - b2_hi);
        b2_hi = b1_hi;
        b1_hi = t;
    }
    for (int h = 0; h < 2; h++) {
        const v4f a1 = h ? a1_hi : a1_lo, a2 = h ? a2_hi : a2_lo;
        const v4f b1 = h ? b1_hi : b1_lo, b2 = h ? b2_hi : b2_lo;
        const v4f half_c = splat(0.5f) * load4(s->gcoef + 4 * h);
        const v4f sn = load4(s->gsin + 4 * h);
        const v4f ch = load4(s->half_cos + 4 * h), sh = load4(s->half_sin + 4 * h);
        const v4f ar = a1 - half_c * a2, ai = sn * a2;
        const v4f br = b1 - half_c * b2, bi = sn * b2;
        store4(re + 4 * h, ar + ch * br + sh * bi);
        store4(im + 4 * h, ai + ch * bi - sh * br);
    }
}

static int strongest(const float *g)
{
    int best = 0;
    for (int i = 1; i < 4; i++)
        if (g[i] > g[best])
            best = i;
    return best;
}

/* Stage 1 decision for a block: the digit it looks like, or 0. */
static char stage1_hit(const dtmf_rx_state_t *s, const float g[8], float energy, int *row,
                       int *col)
{
    const int r = strongest(g), c = strongest(g + 4);
    const float gr = g[r], gc = g[4 + c];
    if (gr < s->level_min || gc < s->level_min)
        return 0;
    if (gr > gc * S1_NORMAL_TWIST || gc > gr * S1_REVERSE_TWIST)
        return 0;
    for (int i = 0; i < 4; i++) {
        if (i != r && g[i] * S1_RELATIVE_PEAK > gr)
            return 0;
        if (i != c && g[4 + i] * S1_RELATIVE_PEAK > gc)
            return 0;
    }
    /* a full-block sine at a filter's frequency has |X|^2 = (N/2) * its energy */
    if (gr + gc < S1_PURITY * (DTMF_RX_BLOCK / 2.0f) * energy)
        return 0;
    *row = r;
    *col = c;
    return keypad[4 * r + c];
}

/* Squared magnitudes of the DFT of y[0..n) at 16 frequencies given as 2cos(w). The
   recurrences are named variables, not arrays, so that they stay in registers; they
   are independent, so they overlap in the pipeline. */
static void goertzel16(const float *y, int n, const float coef[16], float power[16])
{
    const v4f c0 = load4(coef), c1 = load4(coef + 4), c2 = load4(coef + 8);
    const v4f c3 = load4(coef + 12);
    v4f a1 = splat(0), a2 = splat(0), b1 = splat(0), b2 = splat(0);
    v4f d1 = splat(0), d2 = splat(0), e1 = splat(0), e2 = splat(0);
    for (int i = 0; i < n; i++) {
        const v4f x = splat(y[i]);
        v4f t;
        t = c0 * a1 + (x - a2);
        a2 = a1;
        a1 = t;
        t = c1 * b1 + (x - b2);
        b2 = b1;
        b1 = t;
        t = c2 * d1 + (x - d2);
        d2 = d1;
        d1 = t;
        t = c3 * e1 + (x - e2);
        e2 = e1;
        e1 = t;
    }
    store4(power, a1 * a1 + a2 * a2 - c0 * a1 * a2);
    store4(power + 4, b1 * b1 + b2 * b2 - c1 * b1 * b2);
    store4(power + 8, d1 * d1 + d2 * d2 - c2 * d1 * d2);
    store4(power + 12, e1 * e1 + e2 * e2 - c3 * e1 * e2);
}

/* Offset of a tone, in bins, from the middle of three Hann bins one bin apart
   (exact for a sine, |offset| < 1). */
static double hann_offset(const float p[3])
{
    const double a = sqrt(p[0]), b = sqrt(p[1]), c = sqrt(p[2]);
    const double den = a + 2.0 * b + c;
    return den > 0.0 ? 2.0 * (c - a) / den : 9.0;
}

/* Part of a sine's Hann-window energy that three bins one bin apart catch when it
   sits eps bins from the middle one: sum of W(k - eps)^2 over k = -1..1, over the sum
   over all k (1.5), with W(u) = sin(pi u) / (pi u (1 - u^2)). */
static double hann_caught(double eps)
{
    eps = fabs(eps);
    if (eps < 1e-4)
        return 1.0;
    if (eps > 0.999)
        eps = 0.999;
    const double s = sin(DTMF_PI * eps) / DTMF_PI;
    const double u[3] = {eps, 1.0 - eps, 1.0 + eps};
    double sum = 0.0;
    for (int k = 0; k < 3; k++) {
        const double w = s / (u[k] * (1.0 - u[k] * u[k]));
        sum += w * w;
    }
    return sum / 1.5;
}

/* Dirichlet kernel: sum of cos(theta k) for k = -(n-1)/2 .. (n-1)/2, n odd, from
   sin(n theta / 2) and sin(theta / 2). */
static double dirichlet(double sin_half_n, double sin_half, int n)
{
    return fabs(sin_half) < 1e-12 ? n : sin_half_n / sin_half;
}

/* Amplitudes of the two tones (w[0], w[1] radians/sample) over the first and over
   the last EDGE samples of x, least squares with both tones in the model so neither
   leaks into the other's estimate. With the phase reference in the middle of an odd
   span the cosine and sine parts decouple, and their 2x2 Gram matrices are Dirichlet
   kernels; the projections come from one 4-lane Goertzel run over both spans. */
static void edge_amplitudes(const float *x, const double w[2], double amp[2][2])
{
    double sh[2], ch[2], sl[2], cl[2];
    for (int t = 0; t < 2; t++) {
        sh[t] = sin(0.5 * w[t]);
        ch[t] = cos(0.5 * w[t]);
        sl[t] = sin(0.5 * EDGE * w[t]);
        cl[t] = cos(0.5 * EDGE * w[t]);
    }
    /* D(2 w_t), D(w_0 - w_1), D(w_0 + w_1) */
    const double d2[2] = {dirichlet(2 * sl[0] * cl[0], 2 * sh[0] * ch[0], EDGE),
                          dirichlet(2 * sl[1] * cl[1], 2 * sh[1] * ch[1], EDGE)};
    const double dm =
        dirichlet(sl[0] * cl[1] - cl[0] * sl[1], sh[0] * ch[1] - ch[0] * sh[1], EDGE);
    const double dp =
        dirichlet(sl[0] * cl[1] + cl[0] * sl[1], sh[0] * ch[1] + ch[0] * sh[1], EDGE);
    const double gc00 = 0.5 * (EDGE + d2[0]), gc11 = 0.5 * (EDGE + d2[1]);
    const double gs00 = 0.5 * (EDGE - d2[0]), gs11 = 0.5 * (EDGE - d2[1]);
    const double gc01 = 0.5 * (dm + dp), gs01 = 0.5 * (dm - dp);
    const double det_c = gc00 * gc11 - gc01 * gc01, det_s = gs00 * gs11 - gs01 * gs01;

    double cw[2], sw[2];
    for (int t = 0; t < 2; t++) {
        cw[t] = ch[t] * ch[t] - sh[t] * sh[t];
        sw[t] = 2 * sh[t] * ch[t];
    }
    /* lanes: tone 0 and tone 1 over the first span, then over the last span */
    const v4f coef = {(float) (2 * cw[0]), (float) (2 * cw[1]), (float) (2 * cw[0]),
                      (float) (2 * cw[1])};
    v4f s1 = splat(0), s2 = splat(0);
    const float *late = x + WINDOW - EDGE;
    for (int i = 0; i < EDGE; i++) {
        const v4f in = {x[i], x[i], late[i], late[i]};
        const v4f t = coef * s1 + (in - s2);
        s2 = s1;
        s1 = t;
    }
    for (int e = 0; e < 2; e++) {
        double pc[2], ps[2];
        for (int t = 0; t < 2; t++) {
            const int lane = 2 * e + t;
            /* y = s1 - e^{-jw} s2 = sum x[m] e^{jw(L-1-m)}; times e^{-jwc}, c = (L-1)/2,
               it is sum x[m] e^{-jw(m-c)}: the projections on cos(w(m-c)) (real part)
               and on sin(w(m-c)) (minus the imaginary part) */
            const double yr = s1[lane] - cw[t] * s2[lane], yi = sw[t] * s2[lane];
            const double cc = cl[t] * ch[t] + sl[t] * sh[t]; /* cos(wc) = cos(Lw/2 - w/2) */
            const double sc = sl[t] * ch[t] - cl[t] * sh[t];
            pc[t] = yr * cc + yi * sc;
            ps[t] = -(yi * cc - yr * sc);
        }
        const double a0 = (pc[0] * gc11 - pc[1] * gc01) / det_c;
        const double a1 = (pc[1] * gc00 - pc[0] * gc01) / det_c;
        const double b0 = (ps[0] * gs11 - ps[1] * gs01) / det_s;
        const double b1 = (ps[1] * gs00 - ps[0] * gs01) / det_s;
        amp[e][0] = sqrt(a0 * a0 + b0 * b0);
        amp[e][1] = sqrt(a1 * a1 + b1 * b1);
    }
}

/* cos and sin of w + d for |d| <= ~0.05 rad, from those of w (Taylor terms of d). */
static void rotate_small(double c, double s, double d, double *cd, double *sd)
{
    const double d2 = d * d;
    const double cos_d = 1.0 - d2 / 2.0 + d2 * d2 / 24.0;
    const double sin_d = d * (1.0 - d2 / 6.0 + d2 * d2 / 120.0);
    *cd = c * cos_d - s * sin_d;
    *sd = s * cos_d + c * sin_d;
}

/* Stage 2: is the window of the last two blocks a Q.24 digit with these tones?
   newer: the newer block as floats; re/im: its stage-1 values (those of the older
   block are in s). */
static int stage2(const dtmf_rx_state_t *s, int row, int col, const float *newer,
                  const float *re, const float *im)
{
    const int f[2] = {row, 4 + col};

    /* first frequency estimates: the phase advance of each tone's stage-1 filter from
       one block to the next, less the advance at its nominal frequency (unambiguous
       within +-39 Hz; further out a tone lands off the bins below and is refused) */
    double off[2], cw[2], sw[2];
    for (int t = 0; t < 2; t++) {
        const int i = f[t];
        const double pr = (double) re[i] * s->prev_re[i] + (double) im[i] * s->prev_im[i];
        const double pi = (double) im[i] * s->prev_re[i] - (double) re[i] * s->prev_im[i];
        const double cn = 2.0 * s->half_cos[i] * s->half_cos[i] - 1.0; /* cos(wN) */
        const double sn = 2.0 * s->half_sin[i] * s->half_cos[i];
        const double adv = atan2(pi * cn - pr * sn, pr * cn + pi * sn);
        off[t] = adv / (2.0 * DTMF_PI * DTMF_RX_BLOCK) * SAMPLE_RATE;
        rotate_small(0.5 * s->gcoef[i], s->gsin[i], 2.0 * DTMF_PI * off[t] / SAMPLE_RATE,
                     &cw[t], &sw[t]);
    }

    /* the window, DC removed, and its Hann-windowed copy
       w[n] = 0.5 - 0.5 cos(2 pi (n + 1/2) / N), the cosines by rotation, 4 at a time */
    float x[WINDOW], y[WINDOW];
    block_to_float(s->block[s->cur ^ 1], x);
    memcpy(x + DTMF_RX_BLOCK, newer, sizeof(float) * DTMF_RX_BLOCK);
    v4f sum4 = splat(0);
    for (int i = 0; i < WINDOW; i += 4)
        sum4 += load4(x + i);
    const float sum = sum4[0] + sum4[1] + sum4[2] + sum4[3];
    const v4f mean = splat((float) sum / WINDOW);
    v4f wc = load4(s->win_cos), ws = load4(s->win_sin), e4 = splat(0);
    const v4f rc = splat(s->win_rot_cos), rs = splat(s->win_rot_sin);
    for (int i = 0; i < WINDOW; i += 4) {
        const v4f xi = load4(x + i) - mean;
        store4(x + i, xi);
        const v4f yi = (splat(0.5f) - splat(0.5f) * wc) * xi;
        store4(y + i, yi);
        e4 += yi * yi;
        const v4f t = wc * rc - ws * rs;
        ws = wc * rs + ws * rc;
        wc = t;
    }
    const double energy = (double) e4[0] + e4[1] + e4[2] + e4[3];

    /* 16 bins: each tone at -1, 0, +1 bin from its first estimate; the dial tones;
       the comb */
    float coef[16] = {0}, power[16];
    for (int t = 0; t < 2; t++) {
        coef[3 * t] = (float) (2.0 * (cw[t] * s->bin_cos + sw[t] * s->bin_sin));
        coef[3 * t + 1] = (float) (2.0 * cw[t]);
        coef[3 * t + 2] = (float) (2.0 * (cw[t] * s->bin_cos - sw[t] * s->bin_sin));
    }
    memcpy(coef + 6, s->dial_coef, sizeof s->dial_coef);
    /* comb angles from the tones' (a, b) cosines and sines and their halves */
    const double fa = tone_hz[f[0]] + off[0], fb = tone_hz[f[1]] + off[1];
    const double ca = cw[0], sa = sw[0], cb = cw[1], sb = sw[1];
    const double cha = sqrt(0.5 * (1 + ca)), sha = sqrt(0.5 * (1 - ca));
    const double chb = sqrt(0.5 * (1 + cb)), shb = sqrt(0.5 * (1 - cb));
    const double c2a = 2 * ca * ca - 1, s2a = 2 * sa * ca, c2b = 2 * cb * cb - 1, s2b = 2 * sb * cb;
    const double c_half_diff = cha * chb + sha * shb, s_half_diff = sha * chb - cha * shb;
    const double spot_hz[5] = {2 * fa - fb, 2 * fb - fa, 0.5 * (fa + fb), 1.5 * fa - 0.5 * fb,
                               1.5 * fb - 0.5 * fa};
    const double spot_cos[5] = {
        c2a * cb + s2a * sb,                     /* 2a - b */
        c2b * ca + s2b * sa,                     /* 2b - a */
        cha * chb - sha * shb,                   /* (a + b) / 2 */
        ca * c_half_diff - sa * s_half_diff,     /* a + (a - b) / 2 */
        cb * c_half_diff + sb * s_half_diff,     /* b + (b - a) / 2 */
    };
    int spots = 0;
    for (int i = 0; i < 5; i++) {
        if (spot_hz[i] < COMB_LOW_HZ || spot_hz[i] > COMB_HIGH_HZ
            || (spot_hz[i] > COMB_DIAL_LOW_HZ && spot_hz[i] < COMB_DIAL_HIGH_HZ))
            continue;
        coef[9 + spots++] = (float) (2.0 * spot_cos[i]);
    }
    goertzel16(y, WINDOW, coef, power);

    /* frequencies */
    double eps[2], p[2];
    for (int t = 0; t < 2; t++) {
        eps[t] = hann_offset(power + 3 * t);
        if (fabs(eps[t]) > 0.95)
            return 0; /* not where the first estimate put it */
        const double nominal = tone_hz[f[t]];
        if (fabs(off[t] + eps[t] * BIN_HZ) > S2_FREQ_REL * nominal + S2_FREQ_ABS)
            return 0;
        p[t] = ((double) power[3 * t] + power[3 * t + 1] + power[3 * t + 2])
               / hann_caught(eps[t]);
    }

    /* level and twist: P = N A^2 sum(w^2) / 4 for a sine, sum(w^2) = 3N/8 */
    const double to_amp2 = 32.0 / (3.0 * WINDOW * WINDOW);
    const double amp_r = sqrt(p[0] * to_amp2), amp_c = sqrt(p[1] * to_amp2);
    if (amp_r < s->s2_amp_min || amp_c < s->s2_amp_min)
        return 0;
    if (p[0] > p[1] * S2_NORMAL_TWIST || p[1] > p[0] * S2_REVERSE_TWIST)
        return 0;

    /* purity: the one-sided energy is N sum(y^2) / 2 (Parseval); a sine on a bin has
       2/3 of its energy there. The dial tone is one of 425 Hz or 350 + 440 Hz. */
    double dial = 1.5 * ((double) power[6] + power[8]);
    if (1.5 * power[7] > dial)
        dial = 1.5 * power[7];
    if (p[0] + p[1] < S2_PURITY * (WINDOW * energy / 2.0 - dial))
        return 0;

    /* comb */
    const double limit = S2_COMB * (p[0] > p[1] ? p[0] : p[1]) / 1.5;
    for (int i = 0; i < spots; i++)
        if (power[9 + i] > limit)
            return 0;

    /* duration: both tones present at both ends of the window */
    const double w[2] = {2.0 * DTMF_PI * (fa + eps[0] * BIN_HZ) / SAMPLE_RATE,
                         2.0 * DTMF_PI * (fb + eps[1] * BIN_HZ) / SAMPLE_RATE};
    double amp[2][2];
    edge_amplitudes(x, w, amp);
    for (int e = 0; e < 2; e++) {
        const double q_r = amp[e][0] / amp_r, q_c = amp[e][1] / amp_c;
        if (q_r < S2_EDGE_LOW || q_r > S2_EDGE_HIGH || q_c < S2_EDGE_LOW || q_c > S2_EDGE_HIGH)
            return 0;
    }
    return 1;
}

/* Where the digit confirmed on the window ending now began: the window's start,
   moved back by the part of each earlier block its tones covered. */
static uint32_t digit_start(const dtmf_rx_state_t *s, int row, int col)
{
    uint32_t start = s->sample - WINDOW;
    const float ref_r = s->history[0][row], ref_c = s->history[0][4 + col];
    for (int j = 2; j < s->history_len; j++) {
        const float *h = s->history[j];
        double cov = 0.5 * (sqrt(h[row] / ref_r) + sqrt(h[4 + col] / ref_c));
        if (!(cov > 0.0))
            break;
        if (cov > 1.0)
            cov = 1.0;
        start -= (uint32_t) lrint(cov * DTMF_RX_BLOCK);
        if (cov < 0.9)
            break;
    }
    return start;
}

/* Runs at the end of each block (s->block[s->cur] full, s->sample past it). */
static size_t block_end(dtmf_rx_state_t *s, dtmf_event_t *events, size_t room)
{
    float x[DTMF_RX_BLOCK], re[8] = {0}, im[8] = {0}, g[8];
    const float energy = block_to_float(s->block[s->cur], x);
    const int gated = !s->digit && energy < s->energy_gate;
    if (!gated)
        goertzel_block(s, x, re, im);
    for (int i = 0; i < 8; i++)
        g[i] = re[i] * re[i] + im[i] * im[i];
    memmove(s->history[1], s->history[0], sizeof s->history[0] * (DTMF_RX_HISTORY - 1));
    memcpy(s->history[0], g, sizeof g);
    if (s->history_len < DTMF_RX_HISTORY)
        s->history_len++;

    int row = 0, col = 0;
    const char hit = gated ? 0 : stage1_hit(s, g, energy, &row, &col);

    if (s->digit) {
        const int on = g[s->row] >= HOLD_RATIO * s->ref_row
                       && g[4 + s->col] >= HOLD_RATIO * s->ref_col
                       && strongest(g) == s->row && strongest(g + 4) == s->col;
        if (on)
            s->off_blocks = 0;
        else if (++s->off_blocks >= END_BLOCKS)
            s->digit = 0;
    }

    size_t written = 0;
    /* stage 2 only when the older block looks as full of the tones as the newer
       one: when it is not, the window's edge test fails anyway */
    if (hit && hit == s->last_hit && hit != s->digit
        && s->history[1][row] >= S2_PRECHECK * g[row]
        && s->history[1][4 + col] >= S2_PRECHECK * g[4 + col]
        && stage2(s, row, col, x, re, im)) {
        s->digit = hit;
        s->row = (uint8_t) row;
        s->col = (uint8_t) col;
        s->off_blocks = 0;
        s->ref_row = g[row];
        s->ref_col = g[4 + col];
        if (room) {
            events[0].digit = hit;
            events[0].sample = digit_start(s, row, col);
            written = 1;
        } else {
            s->lost_events++;
        }
    }
    s->last_hit = hit;
    memcpy(s->prev_re, re, sizeof s->prev_re);
    memcpy(s->prev_im, im, sizeof s->prev_im);
    return written;
}

size_t dtmf_rx_process(dtmf_rx_state_t *s, const int16_t *in, size_t n,
                       dtmf_event_t *events, size_t max_events)
{
    size_t count = 0;
    while (n) {
        size_t m = (size_t) (DTMF_RX_BLOCK - s->pos);
        if (m > n)
            m = n;
        memcpy(s->block[s->cur] + s->pos, in, m * sizeof *in);
        s->pos += (int) m;
        s->sample += (uint32_t) m;
        in += m;
        n -= m;
        if (s->pos == DTMF_RX_BLOCK) {
            count += block_end(s, events + count, max_events - count);
            s->pos = 0;
            s->cur ^= 1;
        }
    }
    return count;
}

/* ---------------------------------------------------------------- generator */

static int keypad_index(char c)
{
    if (c >= 'a' && c <= 'd')
        c = (char) (c - 'a' + 'A');
    const char *p = c ? memchr(keypad, c, sizeof keypad) : NULL;
    return p ? (int) (p - keypad) : -1;
}

void dtmf_tx_init(dtmf_tx_state_t *s, int level_dbm0, unsigned on_ms, unsigned off_ms)
{
    memset(s, 0, sizeof *s);
    s->amplitude = (float) dbm0_amplitude(level_dbm0);
    s->on_samples = on_ms * 8u;
    s->off_samples = off_ms * 8u;
}

int dtmf_tx_put(dtmf_tx_state_t *s, const char *digits)
{
    size_t n = strlen(digits);
    for (size_t i = 0; i < n; i++)
        if (keypad_index(digits[i]) < 0)
            return -1;
    if (n > DTMF_TX_QUEUE - s->count)
        return -1;
    for (size_t i = 0; i < n; i++) {
        s->queue[(s->head + s->count) % DTMF_TX_QUEUE] = digits[i];
        s->count++;
    }
    return (int) n;
}

/* Fills now[] and before[] for tone_pos, from sin() (exact phase, no drift). */
static void tx_seed(dtmf_tx_state_t *s)
{
    for (int t = 0; t < 2; t++) {
        for (int k = 0; k < 4; k++) {
            s->now[t][k] = s->amplitude * (float) sin(s->omega[t] * ((double) s->tone_pos + k));
            s->before[t][k] =
                s->amplitude * (float) sin(s->omega[t] * ((double) s->tone_pos + k - 4));
        }
    }
    s->lane = 0;
}

static void tx_start_digit(dtmf_tx_state_t *s)
{
    const int idx = keypad_index(s->queue[s->head]);
    s->head = (s->head + 1) % DTMF_TX_QUEUE;
    s->count--;
    for (int t = 0; t < 2; t++) {
        s->omega[t] = 2.0 * DTMF_PI * tone_hz[t ? 4 + idx % 4 : idx / 4] / SAMPLE_RATE;
        s->coef4[t] = (float) (2.0 * cos(4.0 * s->omega[t]));
    }
    s->tone_pos = 0;
    s->left = s->on_samples + s->off_samples;
    tx_seed(s);
}

static inline int16_t to_pcm(float v)
{
    v += v >= 0.0f ? 0.5f : -0.5f;
    if (v > 32767.0f)
        v = 32767.0f;
    if (v < -32768.0f)
        v = -32768.0f;
    return (int16_t) v;
}

/* Four samples rounded to the nearest integer and clipped to 16 bits, all in
   vector registers (compare masks select the clipped values). */
static inline void to_pcm4(int16_t *o, v4f v)
{
    typedef int32_t v4i __attribute__((vector_size(16)));
    typedef int16_t v4s __attribute__((vector_size(8)));
    const v4i sign = (v4i) v & (v4i){INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN};
    v += (v4f) ((v4i) splat(0.5f) | sign); /* +-0.5, then truncate: round half away */
    const v4i high = v > splat(32767.0f), low = v < splat(-32768.0f);
    v4i i = __builtin_convertvector(v, v4i);
    i = (i & ~(high | low)) | (high & 32767) | (low & -32768);
    const v4s pcm = __builtin_convertvector(i, v4s);
    memcpy(o, &pcm, sizeof pcm);
}

/* Advance both tones by four samples. */
static inline void tx_step(dtmf_tx_state_t *s)
{
    for (int t = 0; t < 2; t++) {
        const v4f now = load4(s->now[t]);
        const v4f next = splat(s->coef4[t]) * now - load4(s->before[t]);
        store4(s->before[t], now);
        store4(s->now[t], next);
    }
    s->lane = 0;
}

/* Writes m samples of tone (m <= what is left of the tone). now[] is the group of
   four starting at tone_pos - lane, of which lane samples are already written. */
static void tx_tone(dtmf_tx_state_t *s, int16_t *out, size_t m)
{
    size_t i = 0;
    while (i < m) {
        if (s->lane == 4) {
            if ((s->tone_pos & 8191u) == 0)
                tx_seed(s);
            else
                tx_step(s);
        }
        if (s->lane == 0 && m - i >= 4) {
            /* whole groups of four, the recurrence kept in registers, up to the next
               reseed */
            v4f lo = load4(s->now[0]), lo_b = load4(s->before[0]);
            v4f hi = load4(s->now[1]), hi_b = load4(s->before[1]);
            const v4f c_lo = splat(s->coef4[0]), c_hi = splat(s->coef4[1]);
            size_t groups = (m - i) / 4;
            const uint32_t to_reseed = 8192u - (s->tone_pos & 8191u);
            if (groups > to_reseed / 4)
                groups = to_reseed / 4;
            int16_t *o = out + i;
            for (size_t g = 0; g < groups; g++, o += 4) {
                to_pcm4(o, lo + hi);
                const v4f next_lo = c_lo * lo - lo_b, next_hi = c_hi * hi - hi_b;
                lo_b = lo;
                lo = next_lo;
                hi_b = hi;
                hi = next_hi;
            }
            store4(s->now[0], lo);
            store4(s->before[0], lo_b);
            store4(s->now[1], hi);
            store4(s->before[1], hi_b);
            i += 4 * groups;
            s->tone_pos += 4u * (uint32_t) groups;
            if ((s->tone_pos & 8191u) == 0)
                tx_seed(s);
            continue;
        }
        out[i++] = to_pcm(s->now[0][s->lane] + s->now[1][s->lane]);
        s->lane++;
        s->tone_pos++;
    }
}

size_t dtmf_tx_process(dtmf_tx_state_t *s, int16_t *out, size_t n)
{
    size_t done = 0;
    while (done < n) {
        if (s->left == 0) {
            if (s->count == 0)
                break;
            tx_start_digit(s);
        }
        const uint32_t total = s->on_samples + s->off_samples;
        const uint32_t into = total - s->left;
        size_t m = n - done;
        if (into < s->on_samples) {
            if (m > s->on_samples - into)
                m = s->on_samples - into;
            tx_tone(s, out + done, m);
        } else {
            if (m > s->left)
                m = s->left;
            memset(out + done, 0, m * sizeof *out);
        }
        s->left -= (uint32_t) m;
        done += m;
    }
    return done;
}
