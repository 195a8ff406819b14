"""G.711 A-law: firmware.media.g711 (C via cffi) against audioop (C, CPython 3.11).

The 160,000-sample rows measure throughput through the public Python API (output
allocation and copy included). The 160-sample rows are one 20 ms tick and show the
per-call overhead honestly: audioop has less of it, so they carry no goal. The "raw"
rows call the C function with preallocated buffers, the floor of a cffi call; the
per-tick media engine works that way, for all channels in one call.

The "vs table lookup" rows compare our C with preallocated buffers against the plain C
loop REFERENCE.md's speed figures describe (tests/spandsp/g711_lut.c: a 64 K-entry
encoder table indexed by the raw sample, a 256-entry decoder table), both called through
cffi on the same 160,000 samples (~40-70 us a call, so the call costs stay below 1%).
Goal: ours >= 1.0x.
"""

from __future__ import annotations

import math
import random
import sys
import warnings
from array import array
from collections.abc import Callable

from firmware.media import g711
from tests.bench.core import Bench
from tests.spandsp import refs

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop


def speechlike(n: int, seed: int = 711) -> bytes:
    """Deterministic 16-bit LE test signal: a few tones under a syllable-rate envelope
    plus noise, peaks near -6 dBFS. audioop's encoder speed depends on the levels
    (it searches the segment table), so a realistic level mix matters."""
    rnd = random.Random(seed)
    out = array("h")
    for i in range(n):
        t = i / 8000
        env = 0.15 + 0.85 * abs(math.sin(2 * math.pi * 3.3 * t))
        x = (
            0.5 * math.sin(2 * math.pi * 220 * t)
            + 0.3 * math.sin(2 * math.pi * 1130 * t)
            + 0.1 * math.sin(2 * math.pi * 2700 * t)
        )
        out.append(int(max(-32768, min(32767, 16000 * env * x + rnd.gauss(0, 300)))))
    if sys.byteorder != "little":
        out.byteswap()
    return out.tobytes()


def _vs_audioop(
    name: str,
    ours: Callable[[], object],
    ref: Callable[[], object],
    n: int,
    goal: float | None,
    same: bool,
) -> Bench:
    return Bench(name, ours, ref, n, "samples", goal, ref_name="audioop", same_output=same)


def _benches() -> list[Bench]:
    codec = g711.G711()
    benches: list[Bench] = []
    for n, label, goal in ((160_000, "160000", 1.0), (160, "160 (20 ms tick)", None)):
        pcm = speechlike(n)
        alaw = audioop.lin2alaw(pcm, 2)
        benches += [
            _vs_audioop(
                f"g711.alaw_encode {label}",
                lambda pcm=pcm: codec.alaw_encode(pcm),
                lambda pcm=pcm: audioop.lin2alaw(pcm, 2),
                n,
                goal,
                same=True,
            ),
            _vs_audioop(
                f"g711.alaw_decode {label}",
                lambda alaw=alaw: codec.alaw_decode(alaw),
                lambda alaw=alaw: audioop.alaw2lin(alaw, 2),
                n,
                goal,
                same=True,
            ),
        ]

    # the C functions alone, buffers allocated once: what a per-tick caller pays
    n = 160
    pcm = speechlike(n)
    alaw = audioop.lin2alaw(pcm, 2)
    ffi, lib = g711.ffi, g711.lib
    state = codec.state
    pcm_in = ffi.from_buffer("int16_t[]", pcm)
    alaw_out = ffi.new("uint8_t[]", n)
    pcm_out = ffi.new("int16_t[]", n)
    encode, decode = lib.g711_alaw_encode, lib.g711_alaw_decode
    benches += [
        _vs_audioop(
            "g711.alaw_encode 160 raw C call",
            lambda: encode(state, alaw_out, pcm_in, n),
            lambda: audioop.lin2alaw(pcm, 2),
            n,
            None,
            same=False,
        ),
        _vs_audioop(
            "g711.alaw_decode 160 raw C call",
            lambda: decode(state, pcm_out, alaw, n),
            lambda: audioop.alaw2lin(alaw, 2),
            n,
            None,
            same=False,
        ),
    ]
    return benches + _vs_lookup_table(codec)


def _vs_lookup_table(codec: g711.G711) -> list[Bench]:
    """Our raw C calls against a plain table-lookup loop in C, same buffers and sizes."""
    n = 160_000
    pcm = speechlike(n)
    alaw = codec.alaw_encode(pcm)
    ffi, lib, state = g711.ffi, g711.lib, codec.state
    lut = refs.g711_lut()
    pcm_in = ffi.from_buffer("int16_t[]", pcm)
    alaw_out = ffi.new("uint8_t[]", n)
    pcm_out = ffi.new("int16_t[]", n)
    ref_pcm_in = refs.ffi.from_buffer("int16_t[]", pcm)
    ref_alaw_out = refs.ffi.new("uint8_t[]", n)
    ref_pcm_out = refs.ffi.new("int16_t[]", n)
    encode, decode = lib.g711_alaw_encode, lib.g711_alaw_decode
    lut_encode, lut_decode = lut.lut_alaw_encode, lut.lut_alaw_decode

    def encodes() -> tuple[bytes, bytes]:
        encode(state, alaw_out, pcm_in, n)
        lut_encode(ref_alaw_out, ref_pcm_in, n)
        return bytes(ffi.buffer(alaw_out)), bytes(refs.ffi.buffer(ref_alaw_out))

    ours_codes, lut_codes = encodes()
    if ours_codes != lut_codes:
        raise AssertionError("g711 encode: ours and the lookup table differ")
    return [
        Bench(
            "g711.alaw_encode 160000 raw C vs table lookup",
            lambda: encode(state, alaw_out, pcm_in, n),
            lambda: lut_encode(ref_alaw_out, ref_pcm_in, n),
            n,
            "samples",
            1.0,
            ref_name="C 64K LUT",
        ),
        Bench(
            "g711.alaw_decode 160000 raw C vs table lookup",
            lambda: decode(state, pcm_out, alaw, n),
            lambda: lut_decode(ref_pcm_out, alaw, n),
            n,
            "samples",
            1.0,
            ref_name="C 256 LUT",
        ),
    ]


BENCHMARKS: list[Bench] = _benches()
