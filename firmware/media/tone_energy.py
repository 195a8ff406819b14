"""Tone energy at a few frequencies per block: the Python face of ext/goertzel.c.

A listener that tells call-progress tones apart (the simulated analog phone's ear)
asks, once a tick, how much of the block's power sits at each frequency of a plan.
"""

from __future__ import annotations

from typing import Any

from firmware.media._dsp import ffi, lib

MAX_FREQS = 8


class ToneEnergy:
    def __init__(self, freqs_hz: tuple[float, ...]) -> None:
        if not 1 <= len(freqs_hz) <= MAX_FREQS:
            raise ValueError(f"1..{MAX_FREQS} frequencies, got {len(freqs_hz)}")
        self.freqs = tuple(float(f) for f in freqs_hz)
        self._s = ffi.new("goertzel_state_t *")
        if lib.goertzel_init(self._s, self.freqs, len(self.freqs)) != 0:
            raise ValueError(f"frequencies must be inside 0..4000 Hz: {self.freqs}")
        self._power = ffi.new("float[]", len(self.freqs) + 1)

    def block(self, samples: Any) -> tuple[list[float], float]:
        """(mean-square power at each frequency, the block's mean square) of 16-bit
        samples (an int16 memoryview/array or bytes)."""
        view = memoryview(samples)
        if view.format != "h":
            view = view.cast("B").cast("h")
        data = ffi.from_buffer("int16_t[]", view)
        lib.goertzel_block(self._s, data, len(view), self._power)
        n = len(self.freqs)
        return [self._power[i] for i in range(n)], self._power[n]
