"""DTMF: our receiver and generator (ext/dtmf.c) against spandsp's dtmf_rx / dtmf_tx.

The receiver rows run both over the same 10 s signal, ten repeats of one second:
four digits (50 ms on, 50 ms off), 0.4 s of speech-like sound (tones under a
syllable envelope, plus noise), 0.2 s of silence. Both must find the same digits.

* "one call": ours through the real extension (cffi, the whole buffer in one call),
  spandsp through ctypes (tests/spandsp/dtmf_ref.c, the whole buffer in one call).
* "20 ms ticks": both from C, fed 160 samples at a time as the media engine does
  (tests/spandsp/dtmf_ours.c compiles ext/dtmf.c for that; same compiler flags as
  the reference).

The generator rows write 128 digits (150 ms on, 50 ms off, -10 dBm0 per tone) into
buffers allocated once.
"""

from __future__ import annotations

import ctypes

from firmware.media import dtmf
from tests.bench.bench_g711 import speechlike
from tests.bench.core import Bench
from tests.spandsp import dtmf as ref

SECOND = 8000
ffi, lib = dtmf.ffi, dtmf.lib
DIGITS = "0123456789*#ABCD"


def mixed_signal(seconds: int = 10) -> bytes:
    """PCM (native byte order on little-endian hosts) of the benchmark mix."""
    parts = []
    for i in range(seconds):
        keys = "".join(DIGITS[(4 * i + k) % len(DIGITS)] for k in range(4))
        parts.append(dtmf.generate(keys, -10, 50, 50))
        parts.append(speechlike(SECOND * 4 // 10, seed=i))
        parts.append(bytes(2 * SECOND // 5))
    return b"".join(parts)


def _receiver_benches() -> list[Bench]:
    pcm = mixed_signal()
    n = len(pcm) // 2
    samples = ffi.from_buffer("int16_t[]", pcm)
    state = ffi.new("dtmf_rx_state_t *")
    room = n // dtmf.BLOCK + 2
    events = ffi.new("dtmf_event_t[]", room)

    def ours_one_call() -> str:
        lib.dtmf_rx_init(state)
        count = lib.dtmf_rx_process(state, samples, n, events, room)
        return "".join(events[i].digit.decode() for i in range(count))

    def spandsp_one_call() -> str:
        return ref.spandsp_detect(pcm, chunk=n)

    want = ours_one_call()
    if len(want) != 40:
        raise AssertionError(f"our receiver found {want!r} in the benchmark signal")
    return [
        Bench("dtmf_rx 10 s mix, one call", ours_one_call, spandsp_one_call, n, "samples", 1.0,
              ref_name="spandsp", same_output=True),
        Bench("dtmf_rx 10 s mix, 20 ms ticks (C loop)", lambda: ref.ours_detect(pcm, ref.TICK),
              lambda: ref.spandsp_detect(pcm, ref.TICK), n, "samples", 1.0, ref_name="spandsp",
              same_output=True),
    ]


def _generator_benches() -> list[Bench]:
    digits = (DIGITS * 8).encode()
    on_ms, off_ms, level = 150, 50, -10
    n = len(digits) * (on_ms + off_ms) * 8
    ours_out = ffi.new("int16_t[]", n)
    state = ffi.new("dtmf_tx_state_t *")
    ref_out = ctypes.create_string_buffer(2 * n)
    ref_tx = ref._ref().ref_dtmf_tx

    def ours() -> int:
        lib.dtmf_tx_init(state, level, on_ms, off_ms)
        lib.dtmf_tx_put(state, digits)
        return lib.dtmf_tx_process(state, ours_out, n)

    def spandsp() -> int:
        return ref_tx(ref_out, n, digits, level, on_ms, off_ms)

    return [
        Bench("dtmf_tx 128 digits (25.6 s)", ours, spandsp, n, "samples", 1.0,
              ref_name="spandsp", same_output=True),
    ]


BENCHMARKS: list[Bench] = _receiver_benches() + _generator_benches()
