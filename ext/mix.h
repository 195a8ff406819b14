/*
 * mix.h - bridge and mix-minus conference of 16-bit linear audio, saturating.
 *
 * A bridge gives each of two parties the other's audio. A conference of N
 * parties gives each party the sum of all the others ("mix-minus": it does not
 * hear itself). The sum of everyone is computed once per block in 32 bits, then
 * each party's own contribution is subtracted from it and the result clipped to
 * the int16_t range, so a conference costs O(N) per sample, not O(N^2).
 *
 * Gains are Q12 fixed point, 0..65535 (MIX_UNITY = 4096 is 0 dB, so at most
 * about +24 dB). A party's gain scales what the others hear of it (its talk
 * level); mix-minus removes exactly the scaled value that went into the sum.
 * A scaled sample fits in 20 bits, so sums of up to MIX_MAX_PARTIES parties
 * cannot overflow 32 bits.
 *
 * The block between the cffi markers is fed verbatim to cffi's cdef().
 */
#ifndef RINGBACK_MIX_H
#define RINGBACK_MIX_H

#include <stddef.h>
#include <stdint.h>

#define MIX_UNITY 4096
#define MIX_MAX_PARTIES 4096

/* cffi:begin */
/* out = in scaled by gain (Q12), saturated */
void mix_scale(int16_t *out, const int16_t *in, uint16_t gain, size_t n);

/* a bridge: a_out hears b_in, b_out hears a_in, each scaled by the talker's gain */
void mix_bridge(int16_t *a_out, int16_t *b_out, const int16_t *a_in, const int16_t *b_in,
                uint16_t a_gain, uint16_t b_gain, size_t n);

/* total = 0 */
void mix_clear(int32_t *total, size_t n);
/* total += in scaled by gain (Q12) */
void mix_add(int32_t *total, const int16_t *in, uint16_t gain, size_t n);
/* out = saturate(total - own scaled by gain): what one party of a conference hears */
void mix_minus(int16_t *out, const int32_t *total, const int16_t *own, uint16_t gain,
               size_t n);
/* out = saturate(total): what a listener outside the conference hears */
void mix_saturate(int16_t *out, const int32_t *total, size_t n);

/* A whole conference: outs[i] = saturate(sum of ins[j] * gains[j], j != i).
 * gains may be NULL (all unity); total is n int32_t of scratch. outs[i] may be
 * ins[i] (in place) but no other party's input.
 * Returns 0, or -1 when parties > 4096 (nothing written). */
int mix_conference(int16_t *const *outs, const int16_t *const *ins, const uint16_t *gains,
                   size_t parties, int32_t *total, size_t n);
/* cffi:end */

#endif /* RINGBACK_MIX_H */
