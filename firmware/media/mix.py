"""Bridge and mix-minus conference of 16-bit linear audio: the Python face of ext/mix.c.

The media engine mixes every tick in C by itself; these functions are for whole
buffers (tests, tools, offline mixing of recordings). Audio is 16-bit signed
native-endian PCM (little-endian on every board we build for). Gains are in dB and
become the C side's Q12 factors (0 dB = 4096, at most about +24 dB); a party's gain
sets how loud the others hear it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeAlias

from firmware.media._dsp import ffi, lib

BytesLike: TypeAlias = bytes | bytearray | memoryview

UNITY = 4096
MAX_PARTIES = 4096
MUTE = float("-inf")


def gain_q12(db: float) -> int:
    """A gain in dB as the Q12 factor the C side takes (clipped to 0..65535)."""
    if db == MUTE:
        return 0
    return max(0, min(0xFFFF, round(UNITY * 10 ** (db / 20))))


def _samples(pcm: BytesLike) -> int:
    n = memoryview(pcm).nbytes
    if n & 1:
        raise ValueError(f"16-bit PCM needs an even number of bytes, got {n}")
    return n >> 1


def conference(parties: Sequence[BytesLike], gains_db: Sequence[float] | None = None
               ) -> list[bytes]:
    """What each party hears: the saturated sum of all the others (mix-minus)."""
    if not parties:
        return []
    if len(parties) > MAX_PARTIES:
        raise ValueError(f"at most {MAX_PARTIES} parties in one conference")
    n = _samples(parties[0])
    if any(_samples(p) != n for p in parties):
        raise ValueError("every party needs the same number of samples")
    if gains_db is not None and len(gains_db) != len(parties):
        raise ValueError("one gain per party")
    ins = [ffi.from_buffer("int16_t[]", bytes(p)) for p in parties]
    outs = [ffi.new("int16_t[]", n) for _ in parties]
    gains = ffi.new("uint16_t[]", [gain_q12(g) for g in gains_db]) if gains_db else ffi.NULL
    total = ffi.new("int32_t[]", n)
    lib.mix_conference(ffi.new("int16_t *[]", outs), ffi.new("int16_t *[]", ins), gains,
                       len(parties), total, n)
    return [ffi.buffer(o)[:] for o in outs]


def bridge(a: BytesLike, b: BytesLike, a_gain_db: float = 0.0, b_gain_db: float = 0.0
           ) -> tuple[bytes, bytes]:
    """(what a hears, what b hears): each the other's audio at the talker's gain."""
    n = _samples(a)
    if _samples(b) != n:
        raise ValueError("both parties need the same number of samples")
    a_out, b_out = ffi.new("int16_t[]", n), ffi.new("int16_t[]", n)
    lib.mix_bridge(a_out, b_out, ffi.from_buffer("int16_t[]", bytes(a)),
                   ffi.from_buffer("int16_t[]", bytes(b)), gain_q12(a_gain_db),
                   gain_q12(b_gain_db), n)
    return ffi.buffer(a_out)[:], ffi.buffer(b_out)[:]


def db_of(q12: int) -> float:
    """The dB value of a Q12 factor (for showing a gain back to people)."""
    return MUTE if q12 <= 0 else 20 * math.log10(q12 / UNITY)
