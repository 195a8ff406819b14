"""ROSE components of the Facility IE (Q.932, EN 300 196-1): encoding, decoding, and
bad octets rejected with RoseError only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firmware.isdn.q931 import rose


def test_ect_execute_invoke_octets():
    # A1 len { 02 01 05 (invokeId 5), 02 01 06 (EctExecute) }, after profile 0x91
    body = rose.facility_body(rose.Invoke(5, rose.ECT_EXECUTE))
    assert body == bytes.fromhex("91 a1 06 02 01 05 02 01 06")
    assert rose.decode(body) == [rose.Invoke(5, 6)]


@pytest.mark.parametrize("component", [
    rose.Invoke(-3, 6, bytes.fromhex("0201ff")),
    rose.Invoke(300, bytes.fromhex("04000881 2301"), b""),
    rose.ReturnResult(7),
    rose.ReturnResult(7, 6, bytes.fromhex("0a0101")),
    rose.ReturnError(128, rose.INVALID_CALL_STATE),
    rose.Reject(9, rose.INVOKE_PROBLEM, rose.UNRECOGNISED_OPERATION),
    rose.Reject(None, 0, 2),
])
def test_components_round_trip(component):
    assert rose.decode(rose.facility_body(component)) == [component]


def test_several_components_and_a_linked_id():
    body = bytes.fromhex("91 a1 09 02 01 01 80 01 00 02 01 06") + \
        rose.encode(rose.ReturnError(2, 3))
    assert rose.decode(body) == [rose.Invoke(1, 6), rose.ReturnError(2, 3)]


@pytest.mark.parametrize("bad", ["", "90a1020100", "91a10602010502", "91a5020201",
                                 "91a1030201", "91a4040201050201", "91a18502"])
def test_bad_contents_are_rose_errors(bad):
    with pytest.raises(rose.RoseError):
        rose.decode(bytes.fromhex(bad))


@given(st.binary(max_size=40))
def test_any_octets_decode_or_raise_rose_error(data):
    try:
        rose.decode(b"\x91" + data)
    except rose.RoseError:
        pass
