/*
 * tone_ref.c - spandsp's tone_gen as the reference for the tone generator
 * benchmark (tests/bench/bench_tone.py).
 */
#include <stdint.h>
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

/* n samples of a continuous f1 + f2 tone (levels in dBm0), from a fresh
 * generator, like one call of the media engine's tone playout per block. */
int ref_dual_tone(int16_t *out, int n, int f1, int l1, int f2, int l2)
{
    tone_gen_descriptor_t desc;
    tone_gen_state_t state;
    int done = 0;
    int got;

    /* one section longer than the request, not repeated: continuous here */
    tone_gen_descriptor_init(&desc, f1, l1, f2, l2, n / 8 + 1000, 0, 0, 0, 0);
    tone_gen_init(&state, &desc);
    while (done < n && (got = tone_gen(&state, out + done, n - done)) > 0)
        done += got;
    return done;
}
