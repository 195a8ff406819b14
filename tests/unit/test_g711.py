"""G.711 codec (ext/g711.c via firmware.media.g711): bit-exact against audioop."""

from __future__ import annotations

import sys
import warnings
from array import array

import pytest

from firmware.media import g711

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    audioop = pytest.importorskip("audioop", reason="audioop is the reference (gone in 3.13)")

ALL_PCM = array("h", range(-32768, 32768))
if sys.byteorder != "little":
    ALL_PCM.byteswap()
ALL_PCM_BYTES = ALL_PCM.tobytes()  # every 16-bit input, little-endian
ALL_CODES = bytes(range(256))

LAWS = ["alaw", "ulaw"]


def ours(name: str):
    return getattr(g711, name)


def samples(pcm: bytes) -> list[int]:
    a = array("h")
    a.frombytes(pcm)
    if sys.byteorder != "little":
        a.byteswap()
    return a.tolist()


@pytest.mark.parametrize("law", LAWS)
def test_encode_matches_audioop_for_every_16_bit_input(law: str) -> None:
    got = ours(f"{law}_encode")(ALL_PCM_BYTES)
    want = getattr(audioop, f"lin2{law}")(ALL_PCM_BYTES, 2)
    assert len(got) == 65536
    if got != want:
        bad = [i - 32768 for i in range(65536) if got[i] != want[i]]
        pytest.fail(f"{law}: {len(bad)} inputs differ, first {bad[:8]}")


@pytest.mark.parametrize("law", LAWS)
def test_decode_matches_audioop_for_every_code(law: str) -> None:
    assert ours(f"{law}_decode")(ALL_CODES) == getattr(audioop, f"{law}2lin")(ALL_CODES, 2)


@pytest.mark.parametrize("law", LAWS)
@pytest.mark.parametrize("n", range(0, 18))
def test_short_blocks_match_audioop(law: str, n: int) -> None:
    # covers the C tail loop after the 8-sample unrolled part
    pcm = ALL_PCM_BYTES[2 * 30000 : 2 * (30000 + n)]
    codes = bytes(range(100, 100 + n))
    assert ours(f"{law}_encode")(pcm) == getattr(audioop, f"lin2{law}")(pcm, 2)
    assert ours(f"{law}_decode")(codes) == getattr(audioop, f"{law}2lin")(codes, 2)


def test_wire_values() -> None:
    # A-law zero is 0xD5 / 0x55 (even bits inverted), µ-law zero is 0xFF
    assert g711.alaw_encode(array("h", [0, -1, 32767, -32768]).tobytes()) == b"\xd5\x55\xaa\x2a"
    assert g711.ulaw_encode(array("h", [0, 32767, -32768]).tobytes()) == b"\xff\x80\x00"
    assert samples(g711.alaw_decode(b"\xd5\x55")) == [8, -8]
    assert samples(g711.ulaw_decode(b"\xff\x7f")) == [0, 0]


def test_alaw_codes_round_trip() -> None:
    assert g711.alaw_encode(g711.alaw_decode(ALL_CODES)) == ALL_CODES


def test_ulaw_codes_round_trip_except_negative_zero() -> None:
    # 0x7F ("-0") decodes to 0 like 0xFF and comes back as 0xFF
    want = ALL_CODES.replace(b"\x7f", b"\xff")
    assert g711.ulaw_encode(g711.ulaw_decode(ALL_CODES)) == want


@pytest.mark.parametrize("law", LAWS)
def test_linear_round_trip_is_monotonic_with_bounded_error(law: str) -> None:
    back = samples(ours(f"{law}_decode")(ours(f"{law}_encode")(ALL_PCM_BYTES)))
    assert back == sorted(back)
    for x, y in zip(range(-32768, 32768), back, strict=True):
        assert abs(x - y) <= max(32, abs(x) // 16 + 16), (law, x, y)


@pytest.mark.parametrize("law", LAWS)
def test_decoded_values_are_fixed_points(law: str) -> None:
    dec = ours(f"{law}_decode")(ALL_CODES)
    assert ours(f"{law}_decode")(ours(f"{law}_encode")(dec)) == dec


def test_transcoding_equals_decode_then_encode() -> None:
    assert g711.alaw_to_ulaw(ALL_CODES) == g711.ulaw_encode(g711.alaw_decode(ALL_CODES))
    assert g711.ulaw_to_alaw(ALL_CODES) == g711.alaw_encode(g711.ulaw_decode(ALL_CODES))
    assert g711.alaw_to_ulaw(ALL_CODES) == audioop.lin2ulaw(audioop.alaw2lin(ALL_CODES, 2), 2)
    assert g711.ulaw_to_alaw(ALL_CODES) == audioop.lin2alaw(audioop.ulaw2lin(ALL_CODES, 2), 2)


def test_transcoding_a_to_u_to_a_is_near_identity() -> None:
    back = g711.ulaw_to_alaw(g711.alaw_to_ulaw(ALL_CODES))
    a = samples(g711.alaw_decode(ALL_CODES))
    b = samples(g711.alaw_decode(back))
    for code, x, y in zip(ALL_CODES, a, b, strict=True):
        # one A-law step at most (µ-law is coarser at the top and finer at the bottom)
        assert abs(x - y) <= max(16, abs(x) // 16), (hex(code), x, y)


@pytest.mark.parametrize(
    "name",
    ["alaw_encode", "ulaw_encode", "alaw_decode", "ulaw_decode", "alaw_to_ulaw", "ulaw_to_alaw"],
)
def test_empty_input(name: str) -> None:
    assert ours(name)(b"") == b""
    assert ours(name)(bytearray()) == b""
    assert ours(name)(memoryview(b"")) == b""


@pytest.mark.parametrize("law", LAWS)
@pytest.mark.parametrize("pcm", [b"\x00", b"\x00\x01\x02", bytearray(321)])
def test_odd_pcm_length_is_rejected(law: str, pcm: bytes) -> None:
    with pytest.raises(ValueError, match=r"even number of bytes, got \d+ \(odd length\)"):
        ours(f"{law}_encode")(pcm)


@pytest.mark.parametrize("law", LAWS)
def test_other_buffer_types(law: str) -> None:
    pcm = ALL_PCM_BYTES[: 2 * 1001]
    want = ours(f"{law}_encode")(pcm)
    assert ours(f"{law}_encode")(bytearray(pcm)) == want
    assert ours(f"{law}_encode")(memoryview(pcm)) == want
    assert ours(f"{law}_encode")(array("h", ALL_PCM[:1001])) == want
    odd_start = bytearray(b"x" + pcm)
    assert ours(f"{law}_encode")(memoryview(odd_start)[1:]) == want  # misaligned
    del odd_start[:1]
    assert ours(f"{law}_encode")(odd_start) == want  # bytearray with a moved start
    strided = memoryview(array("h", ALL_PCM[:2002]))[::2]
    assert ours(f"{law}_encode")(strided) == ours(f"{law}_encode")(strided.tobytes())
    codes = ALL_CODES * 3
    want = ours(f"{law}_decode")(codes)
    assert ours(f"{law}_decode")(bytearray(codes)) == want
    assert ours(f"{law}_decode")(memoryview(codes)[:]) == want
    assert ours(f"{law}_decode")(memoryview(b"?" + codes)[1:]) == want


def test_instances_are_independent_and_equivalent() -> None:
    a, b = g711.G711(), g711.G711()
    assert a.state != b.state
    assert a.alaw_encode(ALL_PCM_BYTES) == b.alaw_encode(ALL_PCM_BYTES)
    assert g711.default() is g711.default()


def test_input_is_not_modified() -> None:
    codes = bytearray(ALL_CODES)
    g711.alaw_to_ulaw(codes)
    g711.alaw_decode(codes)
    assert codes == ALL_CODES
