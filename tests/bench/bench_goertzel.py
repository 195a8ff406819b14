"""Tone energy per media tick: ours (ext/goertzel.c through firmware.media.tone_energy,
the path the simulated phones' ears take) against spandsp 0.0.6's Goertzel filters
(goertzel_init/update/result per frequency, tests/spandsp/goertzel_ref.c).

Work: one second of audio (50 blocks of 160 samples), the six frequencies a German
ear listens for, one call per block on both sides, so each pays one foreign call per
block (ours through cffi's API mode, spandsp's through ABI mode). Goal: ours >= 1.0x.
"""

from __future__ import annotations

import math
from array import array
from typing import Any

from firmware.media.tone_energy import ToneEnergy
from tests.bench.core import Bench
from tests.spandsp import refs

FREQS = (350.0, 400.0, 425.0, 440.0, 480.0, 620.0)
BLOCK = 160
BLOCKS = 50


def _tone_energy() -> Bench:
    pcm = array("h", (int(6000 * math.sin(2 * math.pi * 425 * i / 8000))
                      for i in range(BLOCK * BLOCKS)))
    blocks = [memoryview(pcm)[i * BLOCK:(i + 1) * BLOCK] for i in range(BLOCKS)]
    energy = ToneEnergy(FREQS)
    lib = refs.goertzel()
    lib.ref_goertzel_setup(refs.ffi.new("float[]", FREQS), len(FREQS), BLOCK)
    ref_blocks = [refs.ffi.from_buffer("int16_t[]", b) for b in blocks]
    out = refs.ffi.new("float[]", len(FREQS) + 1)
    ref_block = lib.ref_goertzel_block

    def ours() -> Any:
        for b in blocks:
            energy.block(b)

    def ref() -> Any:
        for b in ref_blocks:
            ref_block(b, BLOCK, out)

    return Bench("tone energy, 6 freqs, 50 blocks of 160", ours, ref, BLOCK * BLOCKS,
                 "samples", 1.0, ref_name="spandsp")


BENCHMARKS: list[Bench] = [_tone_energy()]
