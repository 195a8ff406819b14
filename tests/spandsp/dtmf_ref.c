/*
 * dtmf_ref.c - spandsp's DTMF receiver and generator run over whole buffers, as the
 * reference for tests/bench/bench_dtmf.py and the quality tests. dtmf_ours.c runs
 * ours the same way; it is a separate library because ext/dtmf.h uses spandsp's
 * names (dtmf_rx_init, dtmf_tx_put...) with other signatures.
 */
#include <stdint.h>
#include <string.h>

#include <spandsp.h>

typedef struct {
    char *out;
    int max;
    int n;
} collected_t;

static void collect(void *user_data, const char *digits, int len)
{
    collected_t *c = user_data;
    for (int i = 0; i < len; i++) {
        if (c->n < c->max)
            c->out[c->n] = digits[i];
        c->n++;
    }
}

/* spandsp's dtmf_rx over amp[0..n) in pieces of `chunk` samples; the digits go to
   digits[] (up to max) and the count is returned. */
int ref_dtmf_rx(const int16_t *amp, int n, int chunk, char *digits, int max)
{
    collected_t c = {digits, max, 0};
    dtmf_rx_state_t *s = dtmf_rx_init(NULL, collect, &c);
    if (s == NULL)
        return -1;
    for (int i = 0; i < n; i += chunk)
        dtmf_rx(s, amp + i, (n - i < chunk) ? n - i : chunk);
    dtmf_rx_free(s);
    return c.n;
}

/* spandsp's dtmf_tx: `digits` at `level` dBm0 per tone, on/off ms, into out[0..max).
   Returns the samples written. */
int ref_dtmf_tx(int16_t *out, int max, const char *digits, int level, int on_ms, int off_ms)
{
    dtmf_tx_state_t *s = dtmf_tx_init(NULL);
    if (s == NULL)
        return -1;
    dtmf_tx_set_level(s, level, 0);
    dtmf_tx_set_timing(s, on_ms, off_ms);
    dtmf_tx_put(s, digits, -1);
    int done = 0;
    while (done < max) {
        int got = dtmf_tx(s, out + done, max - done);
        if (got <= 0)
            break;
        done += got;
    }
    dtmf_tx_free(s);
    return done;
}
