"""Bad input is normal: decode() never raises, whatever the line sends, and whatever it
returns encodes again, to a fixed point (decode o encode is the identity on what decode
produces)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware.isdn.q931 import Message, decode, encode
from firmware.isdn.q931.ies import KNOWN_IES, IeContentError
from tests.unit.test_q931_codec import VECTORS, messages

FUZZ = settings(max_examples=2000, deadline=None)


def check(data: bytes) -> None:
    decoded = decode(data)
    if decoded.message is None:
        assert decoded.reason
        return
    assert decoded.reason is None
    once = encode(decoded.message)
    again = decode(once)
    assert again.message is not None
    assert encode(again.message) == once
    # a message that decoded cleanly keeps its header and IE count through the cycle
    if not decoded.errors:
        assert len(again.message.ies) == len(decoded.message.ies)


@FUZZ
@given(st.binary(max_size=64))
def test_arbitrary_bytes(data):
    check(data)


@FUZZ
@given(st.binary(max_size=40))
def test_arbitrary_ies_after_a_valid_header(tail):
    check(bytes.fromhex("08 01 05 05") + tail)


@st.composite
def mutated(draw):
    if draw(st.booleans()):
        data = bytearray(bytes.fromhex(draw(st.sampled_from([v[1] for v in VECTORS]))))
    else:
        data = bytearray(encode(draw(messages())))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=3))
        elif op == "delete":
            del data[at]
        else:
            del data[at:]
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_valid_messages(data):
    check(data)


@pytest.mark.parametrize("cls", KNOWN_IES, ids=lambda c: c.__name__)
def test_ie_decoders_raise_only_content_errors_on_short_bodies(cls):
    # every body of 0, 1 and 2 octets, exhaustively
    bodies = [b""] + [bytes((a,)) for a in range(256)]
    bodies += [bytes((a, b)) for a in range(256) for b in range(256)]
    for body in bodies:
        try:
            ie = cls.decode_body(body)
        except IeContentError:
            continue
        assert cls.decode_body(ie.encode_body()) == ie


@FUZZ
@given(st.sampled_from(KNOWN_IES), st.binary(max_size=12))
def test_ie_decoders_raise_only_content_errors(cls, body):
    try:
        ie = cls.decode_body(body)
    except IeContentError:
        return
    assert cls.decode_body(ie.encode_body()) == ie


def test_decoded_message_is_a_message():
    assert isinstance(decode(bytes.fromhex("08 01 05 05")).message, Message)
