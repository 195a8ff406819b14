"""Rational-ratio resampling of 16-bit PCM to the line's 8 kHz, for prompts made off the
hot path (espeak-ng speaks at 22,050 Hz; a WAV an office uploads may be 16 or 44.1 kHz).

A windowed-sinc polyphase filter: output sample n sits at input position n·down/up;
its ``up`` possible fractional phases each get their own tap set, computed once. The
cut-off sits below the lower Nyquist frequency so nothing above 4 kHz folds back into
the telephone band as aliasing.
"""

from __future__ import annotations

import math
from array import array
from functools import lru_cache
from math import gcd

from firmware.media.wav import pcm_of, samples

HALF_TAPS = 16  # filter half-width in (lower-rate) samples: > 60 dB stop band
CUTOFF = 0.90  # of the lower Nyquist frequency: 3.6 kHz at 8 kHz, what G.711 keeps


@lru_cache(maxsize=8)
def _phases(up: int, down: int) -> tuple[int, tuple[tuple[float, ...], ...]]:
    """(half-width in input samples, one tap tuple per output phase)."""
    # Relative to the input rate: the band edge is the lower of the two Nyquists.
    edge = CUTOFF * min(1.0, up / down) * 0.5
    half = math.ceil(HALF_TAPS * max(1.0, down / up))
    phases = []
    for p in range(up):
        frac = p / up  # output position's fraction of an input sample
        taps = []
        for k in range(-half + 1, half + 1):
            x = k - frac
            sinc = 2 * edge if x == 0 else math.sin(2 * math.pi * edge * x) / (math.pi * x)
            window = 0.42 + 0.5 * math.cos(math.pi * x / half) + 0.08 * math.cos(
                2 * math.pi * x / half)  # Blackman
            taps.append(sinc * window if abs(x) < half else 0.0)
        phases.append(tuple(taps))
    return half, tuple(phases)


def resample(pcm: bytes, rate_in: int, rate_out: int = 8000) -> bytes:
    """``pcm`` (16-bit LE mono at ``rate_in``) at ``rate_out``."""
    if rate_in <= 0 or rate_out <= 0:
        raise ValueError(f"sample rates must be positive, not {rate_in} -> {rate_out}")
    if rate_in == rate_out:
        return bytes(pcm)
    g = gcd(rate_in, rate_out)
    up, down = rate_out // g, rate_in // g
    half, phases = _phases(up, down)
    src = samples(pcm)
    padded = array("d", [0.0] * half) + array("d", src) + array("d", [0.0] * half)
    out_len = len(src) * up // down
    out = []
    for n in range(out_len):
        base, phase = divmod(n * down, up)
        start = base + 1  # the first tap's index in ``padded`` (k = -half + 1)
        window = padded[start:start + 2 * half]
        out.append(sum(t * s for t, s in zip(phases[phase], window, strict=True)))
    return pcm_of([round(v) for v in out])
