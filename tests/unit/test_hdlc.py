"""HDLC framer/deframer (ext/hdlc.c via firmware.media.hdlc) against a bit-level model
written here from ISO/IEC 13239 and RFC 1662: FCS, zero-bit insertion, LSB-first order,
flags, aborts, resynchronisation and every way a frame is dropped."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware.media import hdlc

FLAG_BITS = [0, 1, 1, 1, 1, 1, 1, 0]


# --- the model -------------------------------------------------------------------
def crc16_x25(data: bytes) -> int:
    """RFC 1662 §C.2 by hand: reflected x^16 + x^12 + x^5 + 1, preset 0xFFFF, inverted."""
    crc = 0xFFFF
    for octet in data:
        for i in range(8):
            bit = (octet >> i) & 1
            if (crc ^ bit) & 1:
                crc = (crc >> 1) ^ 0x8408
            else:
                crc >>= 1
    return crc ^ 0xFFFF


def bits_of(data: bytes) -> list[int]:
    return [(octet >> i) & 1 for octet in data for i in range(8)]


def stuffed(bits: list[int]) -> list[int]:
    out, ones = [], 0
    for b in bits:
        out.append(b)
        ones = ones + 1 if b else 0
        if ones == 5:
            out.append(0)
            ones = 0
    return out


def frame_bits(payload: bytes, fcs: int | None = None) -> list[int]:
    """One frame between flags as the line carries it (without the flags)."""
    fcs = crc16_x25(payload) if fcs is None else fcs
    return stuffed(bits_of(payload + bytes([fcs & 0xFF, fcs >> 8])))


def pack(bits: list[int]) -> bytes:
    """Line bits to bytes, earliest bit in bit 0; a partial last byte is padded with
    ones (idle mark, which never completes a frame)."""
    bits = bits + [1] * (-len(bits) % 8)
    return bytes(sum(b << i for i, b in enumerate(bits[k:k + 8])) for k in range(0, len(bits), 8))


def line_of(*frames_bits: list[int]) -> bytes:
    bits = list(FLAG_BITS)
    for fb in frames_bits:
        bits += fb + FLAG_BITS
    return pack(bits + FLAG_BITS * 2)


# --- FCS -------------------------------------------------------------------------
def test_fcs_of_the_check_string_is_the_known_value() -> None:
    # "123456789" is the customary check input; 0x906E is CRC-16/X.25's check value
    assert crc16_x25(b"123456789") == 0x906E
    assert hdlc.fcs(b"123456789") == 0x906E


def test_fcs_matches_the_hand_computation_for_random_frames_and_leaves_the_residue():
    rnd = random.Random(1662)
    for _ in range(200):
        data = rnd.randbytes(rnd.randrange(1, 300))
        fcs = hdlc.fcs(data)
        assert fcs == crc16_x25(data)
        # the receiver's register over frame + FCS (not inverted) ends at 0xF0B8
        assert crc16_x25(data + bytes([fcs & 0xFF, fcs >> 8])) ^ 0xFFFF == 0xF0B8


# --- framer ----------------------------------------------------------------------
def test_framer_sends_flag_frame_flag_lsb_first_then_idles_with_flags() -> None:
    framer = hdlc.Framer()
    framer.put(b"\x01\x02\x80")
    line = framer.pull(16)
    assert line[:4] == b"\x7e\x01\x02\x80"  # no stuffing needed: octets pass as they are
    fcs = crc16_x25(b"\x01\x02\x80")
    want = FLAG_BITS + frame_bits(b"\x01\x02\x80") + FLAG_BITS * 20
    assert line == pack(want)[:16]
    assert framer.queued == 0 and framer.frames_sent == 1
    assert fcs == hdlc.fcs(b"\x01\x02\x80")
    assert hdlc.Framer().pull(4) == b"\x7e" * 4


@pytest.mark.parametrize("payload", [b"\x7e\x7e\x7e", b"\x7d\x7d", b"\xff" * 40,
                                     b"\x1f\xf8\x3e\x7c", b"\xfe\xff\x7f\x00\xff"])
def test_zero_bit_insertion_matches_the_model_bit_for_bit(payload: bytes) -> None:
    framer = hdlc.Framer()
    framer.put(payload)
    want = FLAG_BITS + frame_bits(payload) + FLAG_BITS * 4
    n = len(want) // 8
    assert framer.pull(n) == pack(want)[:n]
    inside = frame_bits(payload)
    assert "111111" not in "".join(map(str, inside))


def test_back_to_back_frames_share_a_flag() -> None:
    framer = hdlc.Framer()
    framer.put(b"ab")
    framer.put(b"cd")
    want = FLAG_BITS + frame_bits(b"ab") + FLAG_BITS + frame_bits(b"cd") + FLAG_BITS * 4
    n = len(want) // 8
    assert framer.pull(n) == pack(want)[:n]


def test_framer_refuses_bad_lengths_and_a_full_queue() -> None:
    framer = hdlc.Framer()
    with pytest.raises(hdlc.HdlcError, match="2..2048 octets, got 1"):
        framer.put(b"x")
    with pytest.raises(hdlc.HdlcError, match="got 2049"):
        framer.put(bytes(2049))
    for _ in range(3):
        framer.put(bytes(2048))
    with pytest.raises(hdlc.HdlcError, match="queue is full"):
        framer.put(bytes(2048))
    assert framer.queued == 3


# --- round trips -----------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(frames=st.lists(st.binary(min_size=2, max_size=300), min_size=1, max_size=8),
       cuts=st.lists(st.integers(0, 4000), max_size=12))
def test_random_frames_round_trip_across_any_chunk_splits(frames, cuts) -> None:
    framer, deframer = hdlc.Framer(), hdlc.Deframer()
    for f in frames:
        framer.put(f)
    # the worst case of stuffing is 6/5 of the bits, plus flags
    line = framer.pull(sum(len(f) + 4 for f in frames) * 6 // 5 + 8)
    got: list[bytes] = []
    start = 0
    for cut in sorted({c % (len(line) + 1) for c in cuts}) + [len(line)]:
        got += deframer.feed(line[start:cut])
        start = cut
    assert got == frames
    assert deframer.counters == {"good": len(frames), "bad_fcs": 0, "too_short": 0,
                                 "too_long": 0, "aborts": 0, "misaligned": 0}


def test_a_stream_fed_one_byte_at_a_time_gives_every_frame() -> None:
    rnd = random.Random(13239)
    frames = [rnd.randbytes(rnd.randrange(2, 600)) for _ in range(30)]
    framer, deframer = hdlc.Framer(), hdlc.Deframer()
    got: list[bytes] = []
    for f in frames:
        framer.put(f)
        line = framer.pull(len(f) * 6 // 5 + 10)
        for i in range(len(line)):
            got += deframer.feed(line[i:i + 1])
    assert got == frames


def test_deframer_reads_frames_written_by_the_model() -> None:
    payloads = [b"\x7e\x7d\xff\x00", b"\xff" * 9, b"\x03\x3f"]
    line = line_of(*(frame_bits(p) for p in payloads))
    assert hdlc.Deframer().feed(line) == payloads


# --- bad input -------------------------------------------------------------------
def test_bad_fcs_short_long_and_misaligned_frames_are_dropped_and_counted() -> None:
    good = b"\x01\x03hello"
    broken_fcs = frame_bits(good, crc16_x25(good) ^ 0x0100)
    one_octet = frame_bits(b"\x01")                 # 1 + 2 octets < 32 bits
    too_long = frame_bits(bytes(range(11)))          # over max_payload=10 below
    extra_bit = frame_bits(good)
    extra_bit = extra_bit[:9] + [0] + extra_bit[9:]  # not a whole number of octets
    deframer = hdlc.Deframer(max_payload=10)
    line = line_of(broken_fcs, frame_bits(good), one_octet, too_long, extra_bit,
                   frame_bits(good))
    assert deframer.feed(line) == [good, good]
    assert deframer.counters == {"good": 2, "bad_fcs": 1, "too_short": 1, "too_long": 1,
                                 "aborts": 0, "misaligned": 1}


def test_an_abort_drops_the_frame_and_the_next_one_arrives() -> None:
    framer, deframer = hdlc.Framer(), hdlc.Deframer()
    framer.put(bytes(range(200)))
    framer.put(b"after")
    first = framer.pull(50)
    framer.abort()
    rest = framer.pull(40)
    assert deframer.feed(first + rest) == [b"after"]
    assert deframer.counters["aborts"] == 1 and deframer.counters["good"] == 1
    assert framer.queued == 0


def test_idle_ones_between_frames_are_not_counted_as_aborts() -> None:
    line = pack(FLAG_BITS + [1] * 40 + FLAG_BITS + frame_bits(b"ok") + FLAG_BITS)
    deframer = hdlc.Deframer()
    assert deframer.feed(line) == [b"ok"]
    assert deframer.counters["aborts"] == 0


def test_resynchronises_after_garbage() -> None:
    rnd = random.Random(7)
    deframer = hdlc.Deframer()
    framer = hdlc.Framer()
    frames = [rnd.randbytes(50) for _ in range(5)]
    got: list[bytes] = []
    for f in frames:
        got += deframer.feed(rnd.randbytes(rnd.randrange(1, 100)))  # noise on the line
        got += deframer.feed(framer.pull(2))  # idle flags again: at least one whole
        framer.put(f)
        got += deframer.feed(framer.pull(80))
    # noise may happen to look like anything but a frame with a good FCS is
    # astronomically unlikely; every real frame is recovered
    assert [g for g in got if g in frames] == frames


def test_deframer_limits() -> None:
    with pytest.raises(ValueError):
        hdlc.Deframer(max_payload=1)
    assert hdlc.Deframer().feed(b"") == []
