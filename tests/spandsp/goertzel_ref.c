/*
 * goertzel_ref.c - spandsp's Goertzel filters as the reference for our tone energy
 * (ext/goertzel.c): the benchmark (tests/bench/bench_goertzel.py) and the cross-check
 * (tests/unit/test_tone_energy.py).
 */
#include <stdint.h>
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

#define MAX_FREQS 8

static goertzel_descriptor_t descs[MAX_FREQS];
static int n_descs;

/* Descriptors for k frequencies over blocks of n samples, once, as a detector would. */
int ref_goertzel_setup(const float *freqs, int k, int n)
{
    if (k < 1 || k > MAX_FREQS)
        return -1;
    for (int i = 0; i < k; i++)
        make_goertzel_descriptor(&descs[i], freqs[i], n);
    n_descs = k;
    return 0;
}

/* One block: spandsp's result per frequency in power[0..k-1] and the block's mean
 * square in power[k] (which spandsp leaves to the caller, so it is summed here). */
void ref_goertzel_block(const int16_t *in, int n, float *power)
{
    goertzel_state_t state;
    double sum = 0.0;

    for (int i = 0; i < n_descs; i++) {
        goertzel_init(&state, &descs[i]);
        goertzel_update(&state, in, n);
        power[i] = goertzel_result(&state);
    }
    for (int j = 0; j < n; j++)
        sum += (double) in[j] * in[j];
    power[n_descs] = (float) (sum / n);
}
