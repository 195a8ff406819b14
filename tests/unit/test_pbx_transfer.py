"""Transfer on the simulated box: blind, with return when the target does not answer,
attended (after a consultation call), and clear refusals. Each segment leaves its CDR
row, tied by linkedid."""

from __future__ import annotations

import pytest

from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.switch import PbxError
from firmware.sim.phones import CONNECTED, IDLE, RINGING
from tests.unit.pbx_box import Box


@pytest.fixture
def box(tmp_path):
    return Box(tmp_path)


def caller_talks_to_21(box: Box) -> tuple[int, str]:
    call = box.exchange.call_box("5551021", "0301112222")
    box.run(0.5)
    box.phone1.answer()
    box.run(0.5)
    (pbx_call,) = box.pbx.calls
    assert box.pbx.calls[pbx_call].state.value == "connected"
    return call, pbx_call


def exchange_state(box: Box, call: int) -> str | None:
    c = box.exchange.line.cc.calls.get(call)
    return c.state.name if c else None


def test_blind_transfer_rings_the_target_with_the_callers_number(box):
    call, c1 = caller_talks_to_21(box)
    box.run(20)
    new = box.pbx.transfer(c1, "22", return_seconds=0)
    box.run(0.5)
    assert box.phone1.state == IDLE and box.phone1.last_cause == CauseValue.NORMAL_CALL_CLEARING
    assert box.phone2.state == RINGING and box.phone2.peer_number == "0301112222"
    assert exchange_state(box, call) == "ACTIVE"  # the caller never noticed a thing
    box.phone2.answer()
    box.run(0.5)
    assert box.pbx.calls[new.id].state.value == "connected"
    box.run(10)
    box.exchange.line.hangup(call)
    box.run(1)
    assert box.idle()
    first, second = box.cdrs()
    assert (first["src"], first["dst"], first["disposition"], first["billsec"]) == \
        ("0301112222", "21", "ANSWERED", "20")
    assert (second["src"], second["dst"], second["direction"], second["msn"]) == \
        ("0301112222", "22", "in", "5551021")
    assert second["disposition"] == "ANSWERED" and second["billsec"] == "10"
    assert first["linkedid"] == second["linkedid"] == c1
    assert "transferred" in box.states() and "transferring" in box.states()


def test_transfer_with_return_rings_the_transferring_extension_back(box):
    call, c1 = caller_talks_to_21(box)
    new = box.pbx.transfer(c1, "22", return_seconds=10)
    box.run(0.5)
    assert box.phone2.state == RINGING and box.phone1.state == IDLE
    box.run(10)
    assert box.phone2.state == IDLE and box.phone1.state == RINGING
    assert box.phone1.peer_number == "0301112222"
    box.phone1.answer()
    box.run(0.5)
    assert box.pbx.calls[new.id].state.value == "connected"
    assert exchange_state(box, call) == "ACTIVE"


def test_transfer_without_return_to_a_busy_target_clears_with_busy(box):
    call, c1 = caller_talks_to_21(box)
    box.phone2.dial("00307654321")
    box.run(4)
    box.pbx.transfer(c1, "22", return_seconds=0)
    box.run(1)
    assert exchange_state(box, call) in (None, "DISCONNECT_INDICATION", "RELEASE_REQUEST")
    box.run(6)
    assert box.exchange.causes[call] == CauseValue.USER_BUSY


def test_transfer_refusals_are_clear(box):
    with pytest.raises(PbxError, match="no call c9"):
        box.pbx.transfer("c9", "22")
    box.exchange.call_box("5551021", "0301112222")
    box.run(0.5)
    (c1,) = box.pbx.calls
    with pytest.raises(PbxError, match="not connected"):
        box.pbx.transfer(c1, "22")
    box.phone1.answer()
    box.run(0.5)
    with pytest.raises(PbxError, match="premium numbers are barred"):
        box.pbx.transfer(c1, "00900123456")
    with pytest.raises(PbxError, match="cannot transfer to itself"):
        box.pbx.transfer(c1, "21")
    with pytest.raises(PbxError, match="extension 22 is not in call"):
        box.pbx.transfer(c1, "22", by="22")
    assert box.phone1.state == CONNECTED  # nothing changed


def test_blind_transfer_to_an_outside_number(box):
    call, c1 = caller_talks_to_21(box)
    box.pbx.transfer(c1, "00301234567", return_seconds=0)
    box.run(2)  # the subscriber answers after 1 s, on B2
    (new,) = box.pbx.calls.values()
    assert new.state.value == "connected" and new.direction == "in"
    assert sorted(c.called for c in box.lines["trunk"].cc.calls.values()) == \
        ["0301234567", "5551021"]
    assert box.phone1.state == IDLE
