"""Tone generation and caller ID bursts: ours (ext/tone.c, firmware.media.clip) against
spandsp 0.0.6 (tone_gen, adsi_tx) through the C programs of tests/spandsp.

Dual tone: 350 + 440 Hz at -13 dBm0 each (US dial tone), 80,000 samples (10 s) per call
into a preallocated buffer: ours is one tone_gen_process() call through cffi, spandsp one
C function that sets up a tone_gen and runs it (the set-up is a few hundred ns of the
~0.3 ms). Goal: ours >= 1.0x.

CLIP burst: a call set-up message (date, number, name) made into PCM with the 300-bit
seizure and 180 marks; ours is the whole Python path (message bytes, modulator calls),
spandsp's adsi_add_field + adsi_tx in C. For information only.
"""

from __future__ import annotations

from typing import Any

from firmware.media._dsp import ffi, lib

from firmware.media import clip, tones
from tests.bench.core import Bench
from tests.spandsp import refs

N = 80_000


def _dual_tone() -> Bench:
    state = ffi.new("tone_gen_state_t *")
    desc = tones.country_descriptor("US", "dial")  # 350 + 440 Hz, -13 dBm0 each, continuous
    lib.tone_gen_init(state, desc)
    ours_out = ffi.new("int16_t[]", N)
    ref_out = refs.ffi.new("int16_t[]", N)
    ref_lib = refs.tone()
    process = lib.tone_gen_process
    dual = ref_lib.ref_dual_tone

    def ours() -> Any:
        return process(state, ours_out, N)

    def ref() -> Any:
        return dual(ref_out, N, 350, -13, 440, -13)

    return Bench(
        "tone dual 350+440 Hz, 80000 samples", ours, ref, N, "samples", 1.0, ref_name="spandsp"
    )


def _clip_burst() -> Bench:
    fields = {"when": "01011200", "number": "0301234567", "name": "Anna Schmidt"}
    params = clip.Message(clip.CALL_SETUP, clip.call_setup(**fields)[2:-1]).params()
    types = bytes(t for t, _ in params)
    bodies = b"".join(v for _, v in params)
    ref_lib = refs.clip()
    lens = refs.ffi.new("int[]", [len(v) for _, v in params])
    out = refs.ffi.new("int16_t[]", 20_000)

    def ours() -> Any:
        return clip.burst(clip.call_setup(**fields))

    def ref() -> Any:
        return ref_lib.ref_clip_tx(
            refs.CLIP_ETSI, clip.CALL_SETUP, len(params), types, lens, bodies, 180, out, 20_000
        )

    return Bench("clip burst, call set-up", ours, ref, 1, "bursts", None, ref_name="spandsp")


BENCHMARKS: list[Bench] = [_dual_tone(), _clip_burst()]
