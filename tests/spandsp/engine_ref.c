/*
 * engine_ref.c - the reference for the media engine benchmark: a plain C loop
 * doing an engine tick's work with spandsp, as a spandsp user would write it.
 *
 * Bridges: every channel's A-law bytes are decoded through a 256-entry table
 * built from spandsp's alaw_to_linear(), run through spandsp's dtmf_rx() (one
 * detector per channel) when DTMF is on, and each channel's partner is encoded
 * straight from that linear audio through an 8192-entry table built from
 * spandsp's linear_to_alaw() (A-law depends only on the top 13 bits).
 *
 * Conferences: decode, one 32-bit sum per conference, each party's output is
 * saturate16(sum - own) (spandsp's saturate16()), encode.
 *
 * Set-up allocates; a tick does not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

typedef struct {
    int channels;
    int tick;
    int dtmf;
    int parties;                /* conference size (conference mode) */
    uint8_t *rx;
    uint8_t *tx;
    int16_t *lin;
    int32_t *total;
    dtmf_rx_state_t **det;
    int16_t a2l[256];
    uint8_t l2a[8192];
} ref_t;

static void tables(ref_t *r)
{
    int i;

    for (i = 0; i < 256; i++)
        r->a2l[i] = alaw_to_linear((uint8_t) i);
    for (i = 0; i < 8192; i++)
        r->l2a[i] = linear_to_alaw((int16_t) (uint16_t) (i << 3));
}

/* channels in bridged pairs (0-1, 2-3, ...) or, with parties > 0, in
 * conferences of that many; rx: channels * tick A-law bytes */
ref_t *ref_new(int channels, int tick, int dtmf, int parties, const uint8_t *rx)
{
    ref_t *r = calloc(1, sizeof(*r));
    int i;

    if (!r)
        return NULL;
    r->channels = channels;
    r->tick = tick;
    r->dtmf = dtmf;
    r->parties = parties;
    r->rx = malloc((size_t) channels * tick);
    r->tx = malloc((size_t) channels * tick);
    r->lin = malloc((size_t) channels * tick * sizeof(int16_t));
    r->total = malloc((size_t) tick * sizeof(int32_t));
    r->det = calloc((size_t) channels, sizeof(*r->det));
    memcpy(r->rx, rx, (size_t) channels * tick);
    tables(r);
    for (i = 0; i < channels && dtmf; i++)
        r->det[i] = dtmf_rx_init(NULL, NULL, NULL);
    return r;
}

void ref_free(ref_t *r)
{
    int i;

    for (i = 0; i < r->channels; i++) {
        if (r->det[i])
            dtmf_rx_free(r->det[i]);
    }
    free(r->det);
    free(r->rx);
    free(r->tx);
    free(r->lin);
    free(r->total);
    free(r);
}

const uint8_t *ref_tx(const ref_t *r)
{
    return r->tx;
}

static void decode_and_detect(ref_t *r)
{
    int c;
    int i;
    const int n = r->tick;

    for (c = 0; c < r->channels; c++) {
        const uint8_t *in = r->rx + (size_t) c * n;
        int16_t *lin = r->lin + (size_t) c * n;

        for (i = 0; i < n; i++)
            lin[i] = r->a2l[in[i]];
        if (r->dtmf)
            dtmf_rx(r->det[c], lin, n);
    }
}

void ref_tick(ref_t *r)
{
    int c;
    int i;
    int p;
    const int n = r->tick;

    decode_and_detect(r);
    if (r->parties == 0) {
        /* each channel sends its partner's audio */
        for (c = 0; c < r->channels; c++) {
            const int16_t *heard = r->lin + (size_t) (c ^ 1) * n;
            uint8_t *out = r->tx + (size_t) c * n;

            for (i = 0; i < n; i++)
                out[i] = r->l2a[(uint16_t) heard[i] >> 3];
        }
        return;
    }
    for (c = 0; c + r->parties <= r->channels; c += r->parties) {
        for (i = 0; i < n; i++)
            r->total[i] = 0;
        for (p = c; p < c + r->parties; p++) {
            const int16_t *lin = r->lin + (size_t) p * n;

            for (i = 0; i < n; i++)
                r->total[i] += lin[i];
        }
        for (p = c; p < c + r->parties; p++) {
            const int16_t *lin = r->lin + (size_t) p * n;
            uint8_t *out = r->tx + (size_t) p * n;

            for (i = 0; i < n; i++)
                out[i] = r->l2a[(uint16_t) saturate16(r->total[i] - lin[i]) >> 3];
        }
    }
}
