/* goertzel.c - see goertzel.h */
#include "goertzel.h"

#include <math.h>

#define SAMPLE_RATE 8000.0
#define TWO_PI 6.283185307179586476925

int goertzel_init(goertzel_state_t *s, const float *freqs_hz, int n_freqs)
{
    if (n_freqs < 1 || n_freqs > 8)
        return -1;
    for (int i = 0; i < n_freqs; i++) {
        if (!(freqs_hz[i] > 0.0f && freqs_hz[i] < SAMPLE_RATE / 2))
            return -1;
        s->coef[i] = (float) (2.0 * cos(TWO_PI * freqs_hz[i] / SAMPLE_RATE));
    }
    s->n_freqs = n_freqs;
    return 0;
}

void goertzel_block(const goertzel_state_t *s, const int16_t *in, size_t n, float *power)
{
    float s1[8] = {0}, s2[8] = {0};
    double total = 0.0;
    int k = s->n_freqs;

    for (size_t j = 0; j < n; j++) {
        float x = (float) in[j];
        total += (double) x * x;
        for (int i = 0; i < k; i++) {
            float s0 = x + s->coef[i] * s1[i] - s2[i];
            s2[i] = s1[i];
            s1[i] = s0;
        }
    }
    double scale = n ? 2.0 / ((double) n * (double) n) : 0.0;
    for (int i = 0; i < k; i++) {
        double p = (double) s1[i] * s1[i] + (double) s2[i] * s2[i]
                   - (double) s->coef[i] * s1[i] * s2[i];
        power[i] = (float) (p * scale);
    }
    power[k] = n ? (float) (total / (double) n) : 0.0f;
}
