"""The spandsp reference programs of tests/spandsp, built on first use and loaded with
cffi (ABI mode), for the tests and benchmarks of tones, caller ID and G.711.

Each is its own shared library: spandsp also defines ``tone_gen_init`` and
``tone_gen_state_t`` (as our ext/tone.h must, for the media engine), so our C and
spandsp's never share one link.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import cffi

from tests.spandsp.build import build

ffi = cffi.FFI()
ffi.cdef(
    """
    int ref_clip_tx(int standard, int msg_type, int n_fields, const uint8_t *types,
                    const int *lens, const uint8_t *bodies, int mark_bits,
                    int16_t *out, int max_out);
    int ref_clip_rx(int standard, const int16_t *in, int n, uint8_t *msg, int max);
    int ref_dual_tone(int16_t *out, int n, int f1, int l1, int f2, int l2);
    int ref_goertzel_setup(const float *freqs, int k, int n);
    void ref_goertzel_block(const int16_t *in, int n, float *power);
    void lut_init(void);
    void lut_alaw_encode(uint8_t *out, const int16_t *in, size_t n);
    void lut_alaw_decode(int16_t *out, const uint8_t *in, size_t n);
    """
)

CLIP_ETSI = 0  # ref_clip_* standard: ETSI CLIP, V.23
CLIP_BELL = 1  # CLASS, Bell 202


@cache
def clip() -> Any:
    """ref_clip_tx / ref_clip_rx (tests/spandsp/clip_ref.c)."""
    return ffi.dlopen(str(build("clip_ref")))


def clip_tx(
    standard: int, msg_type: int, fields: list[tuple[int, bytes]], mark_bits: int = 180
) -> bytes:
    """spandsp's burst (16-bit LE PCM) of a message of (type, body) fields, each added with
    adsi_add_field (type 0: an SDMF body); it has its known slips (see clip_ref.c)."""
    out = ffi.new("int16_t[]", 40_000)
    types = bytes(t for t, _ in fields)
    lens = ffi.new("int[]", [len(b) for _, b in fields] or [0])
    bodies = b"".join(b for _, b in fields)
    n = clip().ref_clip_tx(standard, msg_type, len(fields), types, lens, bodies, mark_bits,
                           out, 40_000)
    if n < 0:
        raise RuntimeError("spandsp adsi_tx refused the message")
    return bytes(ffi.buffer(out, 2 * n))


def clip_rx(standard: int, pcm: bytes) -> bytes | None:
    """The first message spandsp's adsi_rx gets from ``pcm`` (type, length, parameters;
    it checks and drops the checksum), or None."""
    samples = ffi.from_buffer("int16_t[]", pcm)
    msg = ffi.new("uint8_t[]", 256)
    n = clip().ref_clip_rx(standard, samples, len(pcm) // 2, msg, 256)
    return bytes(ffi.buffer(msg, n)) if n >= 0 else None


@cache
def tone() -> Any:
    """ref_dual_tone (tests/spandsp/tone_ref.c)."""
    return ffi.dlopen(str(build("tone_ref")))


@cache
def goertzel() -> Any:
    """ref_goertzel_setup / ref_goertzel_block (tests/spandsp/goertzel_ref.c)."""
    return ffi.dlopen(str(build("goertzel_ref")))


@cache
def g711_lut() -> Any:
    """lut_alaw_encode / lut_alaw_decode (tests/spandsp/g711_lut.c), tables filled."""
    lib = ffi.dlopen(str(build("g711_lut")))
    lib.lut_init()
    return lib
