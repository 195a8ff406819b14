"""G.711 A-law and µ-law: the Python face of ext/g711.c.

Linear audio is 16-bit signed little-endian PCM in any contiguous bytes-like object;
compressed audio is one byte per sample, A-law even-bit inverted (XOR 0x55) as on the
ISDN wire. Results are bit-exact with audioop's lin2alaw/lin2ulaw/alaw2lin/ulaw2lin,
and are the bytearrays the C code wrote into (equal to bytes; no second copy).

Linear input may be any contiguous buffer (a strided view is copied first). Each call
costs 0.5-0.8 µs of cffi and allocation overhead on top of the per-sample work (see
``python -m tests.bench``), so convert whole prompts or recordings here. The per-tick
media path calls the C functions itself, with ``G711.state`` as the tables.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable
from typing import Any, TypeAlias

from firmware.media._dsp import ffi, lib

BytesLike: TypeAlias = bytes | bytearray | memoryview

_LITTLE_ENDIAN = sys.byteorder == "little"


def _contiguous(data: Any) -> tuple[Any, int]:
    """``data`` as a C-contiguous buffer and its length in bytes."""
    if type(data) is bytes or type(data) is bytearray:
        return data, len(data)
    view = memoryview(data)
    if not view.c_contiguous:
        view = memoryview(view.tobytes())
    return view, view.nbytes


def _pcm_in(pcm: BytesLike) -> tuple[Any, int]:
    """An ``int16_t[]`` over ``pcm`` (copied only if misaligned or big-endian host),
    and the number of samples."""
    buf, nbytes = _contiguous(pcm)
    if nbytes & 1:
        raise ValueError(f"16-bit PCM needs an even number of bytes, got {nbytes} (odd length)")
    if not _LITTLE_ENDIAN:
        samples = array("h")
        samples.frombytes(bytes(buf))
        samples.byteswap()
        return ffi.from_buffer("int16_t[]", samples), nbytes >> 1
    src = ffi.from_buffer("int16_t[]", buf)
    # bytes objects are always 2-aligned; a bytearray or view may start at an odd address.
    if type(buf) is not bytes and int(ffi.cast("uintptr_t", src)) & 1:
        src = ffi.from_buffer("int16_t[]", bytes(buf))
    return src, nbytes >> 1


def _codes_in(data: BytesLike) -> tuple[Any, int]:
    """Something cffi takes as ``const uint8_t *`` for ``data``, and its length."""
    if type(data) is bytes:
        return data, len(data)  # cffi passes a bytes object's own storage, no copy
    buf, n = _contiguous(data)
    return ffi.from_buffer(buf), n


class G711:
    """One set of G.711 tables (a C ``g711_state_t``, about 25 KiB).

    The tables are read-only after construction, so one instance serves any number
    of channels and threads; ``default()`` is the process-wide one.
    """

    __slots__ = ("_state",)

    def __init__(self) -> None:
        self._state = ffi.new("g711_state_t *")
        lib.g711_init(self._state)

    @property
    def state(self) -> Any:
        """The ``g711_state_t *`` for passing to other C functions in ``_dsp``."""
        return self._state

    def alaw_encode(self, pcm: BytesLike) -> bytearray:
        """16-bit LE PCM -> A-law, one byte per sample."""
        return self._encode(lib.g711_alaw_encode, pcm)

    def ulaw_encode(self, pcm: BytesLike) -> bytearray:
        """16-bit LE PCM -> µ-law, one byte per sample."""
        return self._encode(lib.g711_ulaw_encode, pcm)

    def alaw_decode(self, data: BytesLike) -> bytearray:
        """A-law -> 16-bit LE PCM."""
        return self._decode(lib.g711_alaw_decode, data)

    def ulaw_decode(self, data: BytesLike) -> bytearray:
        """µ-law -> 16-bit LE PCM."""
        return self._decode(lib.g711_ulaw_decode, data)

    def alaw_to_ulaw(self, data: BytesLike) -> bytearray:
        """A-law -> µ-law, equal to ulaw_encode(alaw_decode(data))."""
        return self._transcode(lib.g711_alaw_to_ulaw, data)

    def ulaw_to_alaw(self, data: BytesLike) -> bytearray:
        """µ-law -> A-law, equal to alaw_encode(ulaw_decode(data))."""
        return self._transcode(lib.g711_ulaw_to_alaw, data)

    # The results are the bytearrays the C code wrote into: a bytes() copy would be a
    # second allocation and pass over every sample, a third of the cost of a decode.
    def _encode(self, fn: Callable[..., None], pcm: BytesLike) -> bytearray:
        src, n = _pcm_in(pcm)
        out = bytearray(n)
        fn(self._state, ffi.from_buffer(out), src, n)
        return out

    def _decode(self, fn: Callable[..., None], data: BytesLike) -> bytearray:
        src, n = _codes_in(data)
        out = bytearray(2 * n)
        fn(self._state, ffi.from_buffer("int16_t[]", out), src, n)
        if not _LITTLE_ENDIAN:
            samples = array("h")
            samples.frombytes(out)
            samples.byteswap()
            return bytearray(samples.tobytes())
        return out

    def _transcode(self, fn: Callable[..., None], data: BytesLike) -> bytearray:
        src, n = _codes_in(data)
        out = bytearray(n)
        fn(self._state, ffi.from_buffer(out), src, n)
        return out


_default: G711 | None = None


def default() -> G711:
    """The process-wide G711 tables, built on first use."""
    global _default
    if _default is None:
        _default = G711()
    return _default


def alaw_encode(pcm: BytesLike) -> bytearray:
    """16-bit LE PCM -> A-law, one byte per sample."""
    return default().alaw_encode(pcm)


def ulaw_encode(pcm: BytesLike) -> bytearray:
    """16-bit LE PCM -> µ-law, one byte per sample."""
    return default().ulaw_encode(pcm)


def alaw_decode(data: BytesLike) -> bytearray:
    """A-law -> 16-bit LE PCM."""
    return default().alaw_decode(data)


def ulaw_decode(data: BytesLike) -> bytearray:
    """µ-law -> 16-bit LE PCM."""
    return default().ulaw_decode(data)


def alaw_to_ulaw(data: BytesLike) -> bytearray:
    """A-law -> µ-law, equal to ulaw_encode(alaw_decode(data))."""
    return default().alaw_to_ulaw(data)


def ulaw_to_alaw(data: BytesLike) -> bytearray:
    """µ-law -> A-law, equal to alaw_encode(ulaw_decode(data))."""
    return default().ulaw_to_alaw(data)
