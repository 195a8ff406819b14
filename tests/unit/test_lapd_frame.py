"""Q.921 frame codec: every frame type both ways, C/R by role, bad input never raises."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware.isdn.lapd.frame import Frame, InvalidFrame, Kind, decode, encode

CASES = [
    # (frame sent, network_side, expected bytes)
    (Frame(0, 64, True, Kind.SABME, pf=True), False, bytes([0x00, 0x81, 0x7F])),
    (Frame(0, 64, False, Kind.UA, pf=True), True, bytes([0x00, 0x81, 0x73])),
    (Frame(0, 64, True, Kind.I, ns=3, nr=5, info=b"\x08"), False,
     bytes([0x00, 0x81, 0x06, 0x0A, 0x08])),
    (Frame(0, 64, True, Kind.RR, pf=True, nr=2), True, bytes([0x02, 0x81, 0x01, 0x05])),
    (Frame(0, 64, False, Kind.RR, pf=True, nr=2), False, bytes([0x02, 0x81, 0x01, 0x05])),
    (Frame(0, 0, False, Kind.REJ, nr=127), True, bytes([0x00, 0x01, 0x09, 0xFE])),
    (Frame(0, 0, True, Kind.RNR, nr=1), False, bytes([0x00, 0x01, 0x05, 0x02])),
    (Frame(0, 64, True, Kind.DISC, pf=True), True, bytes([0x02, 0x81, 0x53])),
    (Frame(0, 64, False, Kind.DM, pf=False), False, bytes([0x02, 0x81, 0x0F])),
    (Frame(0, 64, False, Kind.FRMR, info=b"\x01\x02\x03\x04\x05"), True,
     bytes([0x00, 0x81, 0x87, 1, 2, 3, 4, 5])),
    (Frame(63, 127, True, Kind.UI, info=b"\x0f\x12\x34\x01\xff"), False,
     bytes([0xFC, 0xFF, 0x03, 0x0F, 0x12, 0x34, 0x01, 0xFF])),
    (Frame(0, 127, True, Kind.UI, info=b"\x08\x01\x01\x05"), True,
     bytes([0x02, 0xFF, 0x03, 0x08, 0x01, 0x01, 0x05])),
    (Frame(0, 64, True, Kind.XID, pf=True), True, bytes([0x02, 0x81, 0xBF])),
]


@pytest.mark.parametrize("frame, network_side, wire", CASES)
def test_encode_and_decode_known_frames(frame, network_side, wire):
    assert encode(frame, network_side=network_side) == wire
    back = decode(wire, sender_is_network=network_side)
    assert (back.sapi, back.tei, back.command, back.kind, back.pf, back.ns, back.nr,
            back.info) == (frame.sapi, frame.tei, frame.command, frame.kind, frame.pf,
                           frame.ns, frame.nr, frame.info)


def test_invalid_frames_are_reported_not_raised():
    assert isinstance(decode(b"\x00\x81", sender_is_network=True), InvalidFrame)
    assert decode(b"\x01\x81\x7f", sender_is_network=True).reason == \
        "address field is not two octets"
    assert isinstance(decode(b"\x00\x81\x00", sender_is_network=True), InvalidFrame)
    assert decode(b"\x00\x81\x0d\x00", sender_is_network=True).kind is Kind.UNDEFINED
    assert decode(b"\x00\x81\x2b", sender_is_network=True).kind is Kind.UNDEFINED


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=300), st.booleans())
def test_any_bytes_decode_without_raising_and_valid_frames_reencode(data, network):
    frame = decode(data, sender_is_network=network)
    if isinstance(frame, Frame) and frame.kind is not Kind.UNDEFINED:
        again = encode(frame, network_side=network)
        assert decode(again, sender_is_network=network) == frame
