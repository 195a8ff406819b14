"""An independent model of what ext/tone.c must produce, in double precision numpy, for
the tone tests: the cadence laid out sample by sample from a ``tones.Tone``, each
oscillator starting at phase 0 after silence and carrying its phase into the next
segment when that segment sounds too (ext/tone.h)."""

from __future__ import annotations

import numpy as np

from firmware.media import tones

PEAK_0DBM0 = 32768 * 10 ** (-3.14 / 20)  # G.711 §5: A-law load capacity +3.14 dBm0


def segments_in_order(t: tones.Tone, total: int) -> list[tuple[int, int, tones.Segment]]:
    """(start, end, segment) covering [0, total) as the generator plays ``t``; a play-once
    tone ends early (the rest is silence)."""
    out: list[tuple[int, int, tones.Segment]] = []
    pos = 0
    while pos < total:
        for seg in t.segments:
            end = total if seg.ms == 0 else min(total, pos + seg.samples)
            out.append((pos, end, seg))
            pos = end
            if pos >= total:
                break
        if not t.repeat:
            break
    return out


def expected(t: tones.Tone, total: int) -> np.ndarray:
    """The ideal (unrounded) samples of ``t``; zeros after a play-once tone ends."""
    y = np.zeros(total)
    phase = [0.0] * tones.MAX_FREQS
    previous = 0
    for start, end, seg in segments_in_order(t, total):
        n = np.arange(end - start, dtype=np.float64)
        for k, (f, level) in enumerate(zip(seg.freqs, seg.levels, strict=True)):
            if k >= previous:
                phase[k] = 0.0
            w = 2 * np.pi * f / tones.SAMPLE_RATE
            gain = PEAK_0DBM0 * 10 ** (level / 20)
            y[start:end] += gain * np.sin(phase[k] + w * n)
            phase[k] = (phase[k] + w * (end - start)) % (2 * np.pi)
        previous = len(seg.freqs)
    return y


def fit_sines(x: np.ndarray, freqs: tuple[float, ...], n0: int = 0) -> tuple[list[float], float]:
    """Least-squares amplitudes of sines at ``freqs`` in ``x`` (sample 0 is index n0), and
    the RMS of what they leave."""
    n = np.arange(n0, n0 + len(x), dtype=np.float64)
    cols = []
    for f in freqs:
        w = 2 * np.pi * f / tones.SAMPLE_RATE
        cols += [np.sin(w * n), np.cos(w * n)]
    a = np.stack(cols, axis=1)
    c, *_ = np.linalg.lstsq(a, x.astype(np.float64), rcond=None)
    residual = x - a @ c
    amps = [float(np.hypot(c[2 * i], c[2 * i + 1])) for i in range(len(freqs))]
    return amps, float(np.sqrt(np.mean(residual**2)))
