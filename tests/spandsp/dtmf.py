"""spandsp's DTMF receiver and generator (tests/spandsp/dtmf_ref.c) and ours run the
same way from C (dtmf_ours.c), through ctypes: references for the benchmark and the
quality tests."""

from __future__ import annotations

import ctypes
import functools

from tests.spandsp.build import build

TICK = 160  # 20 ms: how the media engine feeds a channel


@functools.cache
def _ref() -> ctypes.CDLL:
    lib = ctypes.CDLL(str(build("dtmf_ref")))
    lib.ref_dtmf_rx.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_char_p,
                                ctypes.c_int]
    lib.ref_dtmf_tx.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                                ctypes.c_int, ctypes.c_int]
    return lib


@functools.cache
def _ours() -> ctypes.CDLL:
    lib = ctypes.CDLL(str(build("dtmf_ours", ("ext/dtmf.c",))))
    lib.ours_dtmf_rx.argtypes = _ref().ref_dtmf_rx.argtypes
    return lib


def _detect(fn: ctypes._CFuncPtr, pcm: bytes, chunk: int) -> str:
    n = len(pcm) // 2
    out = ctypes.create_string_buffer(4096)
    count = fn(pcm, n, chunk, out, len(out))
    if count < 0:
        raise RuntimeError("dtmf receiver init failed")
    return out.raw[: min(count, len(out))].decode("ascii")


def spandsp_detect(pcm: bytes, chunk: int = TICK) -> str:
    """Digits spandsp's dtmf_rx finds in 16-bit native-order PCM, fed ``chunk`` samples
    at a time."""
    return _detect(_ref().ref_dtmf_rx, pcm, chunk)


def ours_detect(pcm: bytes, chunk: int = TICK) -> str:
    """Digits our receiver finds, run from C the same way as ``spandsp_detect``."""
    return _detect(_ours().ours_dtmf_rx, pcm, chunk)


def spandsp_generate(digits: str, level_dbm0: int = -10, on_ms: int = 50,
                     off_ms: int = 50) -> bytes:
    """spandsp's dtmf_tx output for ``digits`` (at most 128), native-order PCM."""
    max_samples = len(digits) * (on_ms + off_ms) * 8 + 8000
    out = ctypes.create_string_buffer(2 * max_samples)
    n = _ref().ref_dtmf_tx(out, max_samples, digits.encode("ascii"), level_dbm0, on_ms, off_ms)
    if n < 0:
        raise RuntimeError("spandsp dtmf_tx_init failed")
    return out.raw[: 2 * n]
