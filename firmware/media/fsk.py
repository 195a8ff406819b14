"""1200 bit/s FSK for caller ID: the Python face of ext/fsk.c.

V.23 (mark 1300 Hz, space 2100 Hz, ETSI CLIP) or Bell 202 (mark 1200 Hz, space 2200 Hz,
Telcordia CLASS), 8 kHz 16-bit LE PCM, async bytes (start bit, 8 data bits LSB first,
stop bit). The modulator keeps its phase and bit clock across calls, so the pieces of a
burst (seizure, marks, bytes) join without a seam.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from firmware.media._dsp import ffi, lib

V23 = "v23"
BELL202 = "bell202"
_MODES = {V23: lib.FSK_MODE_V23, BELL202: lib.FSK_MODE_BELL202}


def _mode(mode: str) -> int:
    try:
        return _MODES[mode]
    except KeyError:
        raise ValueError(f"unknown FSK mode {mode!r}; valid: {', '.join(_MODES)}") from None


def _pcm(samples: array) -> bytes:
    if sys.byteorder != "little":
        samples.byteswap()
    return samples.tobytes()


class Modulator:
    """Continuous-phase FSK at ``level_dbm0`` (of the sine)."""

    __slots__ = ("_state",)

    def __init__(self, mode: str = V23, level_dbm0: float = -13.0) -> None:
        self._state = ffi.new("fsk_mod_state_t *")
        lib.fsk_mod_init(self._state, _mode(mode), level_dbm0)

    def _run(self, nbits: int, fn: Any, *args: Any) -> bytes:
        out = array("h", bytes(2 * lib.fsk_mod_samples(self._state, nbits)))
        n = fn(self._state, ffi.from_buffer("int16_t[]", out), *args)
        assert n == len(out)
        return _pcm(out)

    def bits(self, bits: Sequence[int]) -> bytes:
        """One bit per item, 0 = space, anything else = mark."""
        raw = bytes(1 if b else 0 for b in bits)
        return self._run(len(raw), lib.fsk_mod_bits, raw, len(raw))

    def seizure(self, alternating: int, marks: int) -> bytes:
        """``alternating`` bits 0101... then ``marks`` mark bits."""
        return self._run(alternating + marks, lib.fsk_mod_seizure, alternating, marks)

    def async_bytes(self, data: bytes) -> bytes:
        """Each byte framed as start bit, 8 data bits LSB first, stop bit."""
        return self._run(10 * len(data), lib.fsk_mod_async, bytes(data), len(data))


@dataclass(frozen=True)
class RxByte:
    value: int
    stop_ok: bool  # False: framing error
    idle_bits: int  # mark bits before the start bit (since the last byte or carrier up)
    sample: int  # sample index of the start bit edge since the demodulator began


class Demodulator:
    """Bytes out of FSK audio; keeps its state between ``process`` calls."""

    __slots__ = ("_state", "_count")

    def __init__(self, mode: str = V23) -> None:
        self._state = ffi.new("fsk_demod_state_t *")
        lib.fsk_demod_init(self._state, _mode(mode))
        self._count = ffi.new("size_t *")

    def process(self, pcm: bytes) -> list[RxByte]:
        """The bytes completed within ``pcm`` (16-bit LE)."""
        samples = array("h")
        samples.frombytes(bytes(pcm[: len(pcm) & ~1]))
        if sys.byteorder != "little":
            samples.byteswap()
        n = len(samples)
        room = n // 66 + 2
        out = ffi.new("fsk_demod_byte_t[]", room)
        src = ffi.from_buffer("int16_t[]", samples)
        received: list[RxByte] = []
        done = 0
        while done < n:
            done += lib.fsk_demod_process(self._state, src + done, n - done, out, room, self._count)
            received.extend(
                RxByte(o.byte, bool(o.stop_ok), o.idle_bits, o.sample)
                for o in (out[i] for i in range(self._count[0]))
            )
        return received
