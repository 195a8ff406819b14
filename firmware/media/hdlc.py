"""HDLC framing for transparent B-channels: the Python face of ext/hdlc.c.

For data calls (PPP) on hardware that passes the 64 kbit/s B-channel through as raw
bytes: a ``Framer`` turns frames into the byte stream to send (flags, zero-bit
insertion, CRC-16 FCS, idle flags), a ``Deframer`` turns received bytes back into
checked frames. Frames are the octets between the flags without the FCS (at least
2, at most ``MAX_PAYLOAD``). Bits are sent least significant first, as HDLC on ISDN
B-channels. All per-bit work is in C; Python is called once per chunk of bytes.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from firmware.media._dsp import ffi, lib

BytesLike: TypeAlias = bytes | bytearray | memoryview

MAX_PAYLOAD = 2048
MIN_PAYLOAD = 2

_RX_COUNTERS = ("good", "bad_fcs", "too_short", "too_long", "aborts", "misaligned")


class HdlcError(Exception):
    """A frame the framer cannot take (length out of range, queue full)."""


def fcs(frame: BytesLike) -> int:
    """The 16-bit FCS of ``frame`` as it goes on the line (low octet first)."""
    data = bytes(frame)
    return lib.hdlc_fcs(data, len(data))


class Framer:
    """Frames in, line bytes out; idle flags when nothing is queued."""

    __slots__ = ("_state",)

    def __init__(self) -> None:
        self._state = ffi.new("hdlc_tx_state_t *")
        lib.hdlc_tx_init(self._state)

    def put(self, frame: BytesLike) -> None:
        """Queue one frame (the queue holds about 8 KiB)."""
        data = bytes(frame)
        if not MIN_PAYLOAD <= len(data) <= MAX_PAYLOAD:
            raise HdlcError(f"an HDLC frame is {MIN_PAYLOAD}..{MAX_PAYLOAD} octets, "
                            f"got {len(data)}")
        if lib.hdlc_tx_put(self._state, data, len(data)) != 0:
            raise HdlcError("the HDLC transmit queue is full: pull more bytes first")

    def pull(self, n: int) -> bytes:
        """The next ``n`` line bytes."""
        out = bytearray(n)
        self.pull_into(out)
        return bytes(out)

    def pull_into(self, buf: Any) -> None:
        """Fill a writable buffer (e.g. an engine slot's tx view) with line bytes."""
        view = memoryview(buf)
        lib.hdlc_tx_process(self._state, ffi.from_buffer(view), view.nbytes)

    def abort(self) -> None:
        """Cut the frame being sent with an abort sequence (seven or more ones)."""
        lib.hdlc_tx_abort(self._state)

    @property
    def queued(self) -> int:
        """Frames not yet completely sent."""
        return int(lib.hdlc_tx_queued(self._state))

    @property
    def frames_sent(self) -> int:
        return int(self._state.frames_sent)


class Deframer:
    """Line bytes in, good frames out; bad ones are dropped and counted."""

    __slots__ = ("_state",)

    def __init__(self, max_payload: int = MAX_PAYLOAD) -> None:
        if not MIN_PAYLOAD <= max_payload <= MAX_PAYLOAD:
            raise ValueError(f"max_payload must be {MIN_PAYLOAD}..{MAX_PAYLOAD}")
        self._state = ffi.new("hdlc_rx_state_t *")
        lib.hdlc_rx_init(self._state, max_payload)

    def feed(self, data: BytesLike) -> list[bytes]:
        """The frames that ``data`` completes (a frame may span any number of calls)."""
        view = memoryview(data)
        if not view.c_contiguous:
            view = memoryview(view.tobytes())
        src = ffi.from_buffer(view)
        state = self._state
        total = view.nbytes
        frames: list[bytes] = []
        done = 0
        while done < total:
            done += lib.hdlc_rx_process(state, src + done, total - done)
            if state.frame_len:
                frames.append(ffi.buffer(state.frame, state.frame_len)[:])
        return frames

    @property
    def counters(self) -> dict[str, int]:
        """Frames delivered and dropped, by reason."""
        return {name: int(getattr(self._state, name)) for name in _RX_COUNTERS}
