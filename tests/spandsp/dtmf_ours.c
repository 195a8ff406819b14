/*
 * dtmf_ours.c - our DTMF receiver (ext/dtmf.c, compiled in) run over a whole buffer
 * in pieces, exactly as dtmf_ref.c runs spandsp's, so the two can be timed per 20 ms
 * tick from C with no Python in between.
 */
#include <stdint.h>

#include "dtmf.h"

int ours_dtmf_rx(const int16_t *amp, int n, int chunk, char *digits, int max)
{
    dtmf_rx_state_t s;
    dtmf_event_t events[64];
    int count = 0;
    dtmf_rx_init(&s);
    for (int i = 0; i < n; i += chunk) {
        const int len = (n - i < chunk) ? n - i : chunk;
        const size_t got = dtmf_rx_process(&s, amp + i, (size_t) len, events, 64);
        for (size_t k = 0; k < got; k++) {
            if (count < max)
                digits[count] = events[k].digit;
            count++;
        }
    }
    return count;
}
