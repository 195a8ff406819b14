/*
 * clip_ref.c - spandsp's caller ID (adsi_tx / adsi_rx) as a reference for
 * firmware/media/clip.py: tests decode spandsp's bursts with ours and ours with
 * spandsp's, and the benchmark times building a burst.
 *
 * standard: 0 = ETSI CLIP (V.23), 1 = CLASS (Bell 202).
 *
 * spandsp 0.0.6's known slips (REFERENCE.md): adsi_add_field() writes the
 * length byte twice for a 16-byte field (its DLE escape, 0x10, applied to
 * every standard), so such messages come out corrupt; and adsi_tx's default
 * mark run is 80 bits where EN 300 659-1 asks for 180, so callers pass 180.
 */
#include <stdint.h>
#include <string.h>
#include <spandsp.h>

static int adsi_standard(int standard)
{
    return standard ? ADSI_STANDARD_CLASS : ADSI_STANDARD_CLIP;
}

/* The burst of a message built the way a spandsp user builds one: type
 * msg_type, then n_fields fields added with adsi_add_field() (field i has
 * type types[i] (0: an SDMF body without a header), lens[i] bytes, taken in
 * turn from bodies). adsi_tx adds the checksum. Seizure of 300 bits,
 * mark_bits marks (-1: spandsp's default, 80), 5 trailing marks. Returns the
 * samples written to out, -1 on error. */
int ref_clip_tx(int standard, int msg_type, int n_fields, const uint8_t *types,
                const int *lens, const uint8_t *bodies, int mark_bits,
                int16_t *out, int max_out)
{
    adsi_tx_state_t *s;
    uint8_t msg[256];
    int len;
    int i;
    int n = 0;
    int got;

    s = adsi_tx_init(NULL, adsi_standard(standard));
    if (s == NULL)
        return -1;
    len = adsi_add_field(s, msg, -1, (uint8_t) msg_type, NULL, 0);
    for (i = 0; i < n_fields; i++) {
        len = adsi_add_field(s, msg, len, types[i], bodies, lens[i]);
        bodies += lens[i];
    }
    adsi_tx_set_preamble(s, 300, mark_bits, 5, 1);
    if (adsi_tx_put_message(s, msg, len) != len) {
        adsi_tx_free(s);
        return -1;
    }
    while (n < max_out && (got = adsi_tx(s, out + n, max_out - n)) > 0)
        n += got;
    adsi_tx_free(s);
    return n;
}

struct rx_result {
    uint8_t *msg;
    int max;
    int len;
};

static void put_msg(void *user_data, const uint8_t *msg, int len)
{
    struct rx_result *r = (struct rx_result *) user_data;

    if (r->len >= 0)        /* keep the first message only */
        return;
    r->len = len < r->max ? len : r->max;
    memcpy(r->msg, msg, (size_t) r->len);
}

/* Runs adsi_rx over the audio; copies the first message with a good checksum
 * (type, length, parameters; adsi_rx drops the checksum) to msg and returns
 * its length, or -1 when none was received. */
int ref_clip_rx(int standard, const int16_t *in, int n, uint8_t *msg, int max)
{
    struct rx_result r = { msg, max, -1 };
    adsi_rx_state_t *s;
    int done = 0;

    s = adsi_rx_init(NULL, adsi_standard(standard), put_msg, &r);
    if (s == NULL)
        return -1;
    while (done < n) {
        int chunk = n - done < 160 ? n - done : 160;

        adsi_rx(s, in + done, chunk);
        done += chunk;
    }
    adsi_rx_free(s);
    return r.len;
}
