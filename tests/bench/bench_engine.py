"""The whole media engine against a plain C loop doing the same work with spandsp.

Bridges: 2,000 open A-law channels in 1,000 bridged pairs, one 20 ms tick (160 samples)
per call; with DTMF detection on every channel (the issue's target) and without it. The
reference (tests/spandsp/engine_ref.c) decodes every channel through a table built from
spandsp's alaw_to_linear(), runs spandsp's dtmf_rx() per channel, and encodes each
partner's audio through a table built from linear_to_alaw(). Ours is one
``MediaEngine.tick()`` from Python, cffi call included; a same-law bridge at unity gain
copies the bytes (bit-exact, checked below) instead of re-encoding them.

Figures are CPU time (process clock). The unit "audio-s" is one second of audio on all
2,000 channels: ``audio-s/s`` is how many times faster than real time the box runs them,
and the ms/call figure is the CPU one 20 ms tick costs (x 50 = CPU per second of audio).
Goal: ours costs at most 1.3x the reference's CPU, i.e. a speed ratio >= 0.77.

A third row (information) forces the linear path on every bridge (a talk gain of
+0.002 dB), so the engine decodes, scales and encodes as the reference does.

Conferences (information): 1,000 channels in 100 mix-minus conferences of 10, one tick,
against the same loop with spandsp's saturate16(); REFERENCE.md measured 7-9 ns per
party-sample for mix-minus. ns per party-sample = 1000 / (M party-samples/s).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import cffi

from firmware.media import g711
from firmware.media.engine import MediaEngine
from tests.bench.bench_g711 import speechlike
from tests.bench.core import Bench
from tests.spandsp.build import build

TICK = 160
CHANNELS = 2000
CONFERENCES, PARTIES = 100, 10
GOAL = 1 / 1.3  # ours may cost 1.3x the reference's CPU time

_ffi = cffi.FFI()
_ffi.cdef("""
    typedef struct ref_s ref_t;
    ref_t *ref_new(int channels, int tick, int dtmf, int parties, const uint8_t *rx);
    void ref_tick(ref_t *r);
    const uint8_t *ref_tx(const ref_t *r);
    void ref_free(ref_t *r);
""")


@cache
def _ref_lib() -> Any:
    return _ffi.dlopen(str(build("engine_ref")))


@cache
def _line_audio(channels: int) -> bytes:
    """One tick of A-law per channel, each a different stretch of speech-like audio."""
    speech = g711.alaw_encode(speechlike(16000))
    return b"".join(speech[(c * 397) % (len(speech) - TICK):][:TICK] for c in range(channels))


def _check_same_tx(engine: MediaEngine, slots: list[int], ref: Any, channels: int,
                   what: str) -> None:
    ours = b"".join(bytes(engine.tx(s)) for s in slots)
    theirs = bytes(_ffi.buffer(_ref_lib().ref_tx(ref), channels * TICK))
    if ours != theirs:
        raise AssertionError(f"{what}: the engine and the reference send different bytes")


def _bridges(dtmf: bool, linear: bool = False) -> Bench:
    """linear: a talk gain a hair above unity on every slot, so the engine decodes,
    scales and encodes like the reference instead of copying bytes (information)."""
    rx = _line_audio(CHANNELS)
    engine = MediaEngine(capacity=2048, tick=TICK)
    slots = [engine.open() for _ in range(CHANNELS)]
    for a, b in zip(slots[::2], slots[1::2], strict=True):
        engine.connect(a, b)
    for s in slots:
        engine.rx(s)[:] = rx[s * TICK:(s + 1) * TICK]
        if dtmf:
            engine.detect_dtmf(s)
        if linear:
            engine.set_gain(s, 0.002)  # Q12 4097
    lib = _ref_lib()
    ref = _ffi.gc(lib.ref_new(CHANNELS, TICK, int(dtmf), 0, rx), lib.ref_free)
    engine.tick()
    lib.ref_tick(ref)
    if not linear:
        _check_same_tx(engine, slots, ref, CHANNELS, "bridges")
    label = "+ DTMF on all" if dtmf else "no DTMF"
    if linear:
        label += ", linear path"
    return Bench(f"engine 2000 ch, 1000 A-law bridges, {label}", engine.tick,
                 lambda: lib.ref_tick(ref), TICK / 8000, "audio-s", None if linear else GOAL,
                 ref_name="spandsp loop", cpu_time=True)


def _conferences() -> Bench:
    n = CONFERENCES * PARTIES
    rx = _line_audio(n)
    engine = MediaEngine(capacity=n, tick=TICK, conferences=CONFERENCES)
    slots = [engine.open() for _ in range(n)]
    for c in range(CONFERENCES):
        engine.conference(slots[c * PARTIES:(c + 1) * PARTIES])
    for s in slots:
        engine.rx(s)[:] = rx[s * TICK:(s + 1) * TICK]
    lib = _ref_lib()
    ref = _ffi.gc(lib.ref_new(n, TICK, 0, PARTIES, rx), lib.ref_free)
    engine.tick()
    lib.ref_tick(ref)
    _check_same_tx(engine, slots, ref, n, "conferences")
    return Bench("engine mix-minus 100 x 10 parties (REFERENCE.md 7-9 ns/party-sample)",
                 engine.tick, lambda: lib.ref_tick(ref), n * TICK, "party-samples", None,
                 ref_name="spandsp loop", cpu_time=True)


BENCHMARKS: list[Bench] = [_bridges(dtmf=True), _bridges(dtmf=False),
                           _bridges(dtmf=False, linear=True), _conferences()]
