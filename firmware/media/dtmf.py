"""DTMF receiver and generator: the Python face of ext/dtmf.c, and a tool.

    python -m firmware.media.dtmf FILE

reads an 8 kHz mono WAV (16-bit linear, A-law or µ-law) and prints one line per
detected digit: its start time in ms, a space, the digit. A file it cannot read gives
a one-line error and exit status 2.

Audio is 16-bit signed little-endian PCM at 8 kHz. The receiver meets ITU-T Q.24 /
ETSI ES 201 235-3 (see ext/dtmf.c); the per-tick media engine calls the C functions
itself, this class is for tools, tests and whole recordings.
"""

from __future__ import annotations

import argparse
import sys
from array import array
from typing import Any

from firmware.media import wav
from firmware.media._dsp import ffi, lib
from firmware.media.g711 import BytesLike, _pcm_in

SAMPLE_RATE = 8000
DIGITS = "0123456789*#ABCD"
BLOCK = lib.DTMF_RX_BLOCK_SAMPLES  # the receiver decides once per block


class DtmfReceiver:
    """Detects digits in a stream fed in pieces of any size."""

    __slots__ = ("_state", "_events", "_room")

    def __init__(self) -> None:
        self._state = ffi.new("dtmf_rx_state_t *")
        lib.dtmf_rx_init(self._state)
        self._room = 0
        self._events: Any = None

    def feed(self, pcm: BytesLike) -> list[tuple[int, str]]:
        """Digits confirmed in this piece, as (start in ms since the first sample fed,
        digit). A digit is reported once, 25-40 ms after it began."""
        return [(_ms(sample), digit) for sample, digit in self.feed_samples(pcm)]

    def feed_samples(self, pcm: BytesLike) -> list[tuple[int, str]]:
        """Like ``feed``, with the start as a sample index (mod 2^32) instead of ms."""
        src, n = _pcm_in(pcm)
        room = n // BLOCK + 2
        if room > self._room:
            self._events = ffi.new("dtmf_event_t[]", room)
            self._room = room
        events = self._events
        count = lib.dtmf_rx_process(self._state, src, n, events, room)
        return [(events[i].sample, events[i].digit.decode("ascii")) for i in range(count)]

    @property
    def current(self) -> str:
        """The digit being received now, '' when none."""
        digit = lib.dtmf_rx_current(self._state)
        return digit.decode("ascii") if digit != b"\0" else ""


def _ms(sample: int) -> int:
    return (sample * 1000 + SAMPLE_RATE // 2) // SAMPLE_RATE


def detect(pcm: BytesLike) -> list[tuple[int, str]]:
    """All digits in a recording: (start ms, digit)."""
    return DtmfReceiver().feed(pcm)


class DtmfGenerator:
    """Queues digits and plays them as tone bursts (16-bit LE PCM)."""

    __slots__ = ("_state",)

    def __init__(self, level_dbm0: int = -10, on_ms: int = 70, off_ms: int = 70) -> None:
        """``level_dbm0`` is per tone; each digit is ``on_ms`` of tone, ``off_ms`` of
        silence."""
        if not (-90 <= level_dbm0 <= 3):
            raise ValueError(f"level {level_dbm0} dBm0 out of range (-90..3)")
        if on_ms < 0 or off_ms < 0:
            raise ValueError("on_ms and off_ms must not be negative")
        self._state = ffi.new("dtmf_tx_state_t *")
        lib.dtmf_tx_init(self._state, level_dbm0, on_ms, off_ms)

    def put(self, digits: str) -> int:
        """Queue ``digits`` (0-9 * # A-D); ValueError on a bad digit or a full queue."""
        queued = lib.dtmf_tx_put(self._state, digits.encode("ascii", "replace"))
        if queued < 0:
            raise ValueError(f"cannot queue {digits!r}: a bad digit or the queue is full")
        return queued

    def read(self, samples: int) -> bytes:
        """Up to ``samples`` samples of what is queued (b'' when idle)."""
        out = bytearray(2 * samples)
        done = lib.dtmf_tx_process(self._state, ffi.from_buffer("int16_t[]", out), samples)
        if sys.byteorder != "little":  # the C side wrote host order
            samples = array("h")
            samples.frombytes(bytes(out[: 2 * done]))
            samples.byteswap()
            return samples.tobytes()
        return bytes(out[: 2 * done])

    def read_all(self) -> bytes:
        """Everything queued, to the end of the last pause."""
        chunks = []
        while chunk := self.read(8000):
            chunks.append(chunk)
        return b"".join(chunks)


def generate(digits: str, level_dbm0: int = -10, on_ms: int = 70, off_ms: int = 70) -> bytes:
    """PCM of ``digits`` played one after another (tone, then pause, for each)."""
    gen = DtmfGenerator(level_dbm0, on_ms, off_ms)
    out = []
    for i in range(0, len(digits), 64):  # the C queue holds 128
        gen.put(digits[i : i + 64])
        out.append(gen.read_all())
    return b"".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m firmware.media.dtmf",
        description="Print the DTMF digits in an 8 kHz mono WAV: start ms, a space, the digit.",
    )
    parser.add_argument("file", help="WAV file: 8 kHz mono, 16-bit linear, A-law or µ-law")
    args = parser.parse_args(argv)
    try:
        pcm = wav.read_mono_8k(args.file)
    except wav.WavError as e:
        print(f"dtmf: {e}", file=sys.stderr)
        return 2
    for ms, digit in detect(pcm):
        print(f"{ms} {digit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
