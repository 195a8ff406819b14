"""Hold and retrieve on the simulated box: DSS1 HOLD/RETRIEVE from an ISDN phone, the
far end told with NOTIFY (remote hold 0x79, remote retrieval 0x7A), the media hooks,
a consultation call and an attended transfer, and hold through the API."""

from __future__ import annotations

import pytest

from firmware.isdn.dss1.hold import Notification
from firmware.isdn.q931 import rose
from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.switch import PbxError
from firmware.sim.phones import CONNECTED, IDLE, RINGING
from tests.unit.pbx_box import Box

HOLD, RETRIEVAL = Notification.REMOTE_HOLD, Notification.REMOTE_RETRIEVAL


@pytest.fixture
def box(tmp_path):
    b = Box(tmp_path)
    b.hooks = []
    b.pbx.on_hold = lambda call, leg: b.hooks.append(("hold", call.id, leg.id))
    b.pbx.on_retrieve = lambda call, leg: b.hooks.append(("retrieve", call.id, leg.id))
    return b


def caller_talks_to_21(box: Box) -> tuple[int, str]:
    call = box.exchange.call_box("5551021", "0301112222")
    box.run(0.5)
    box.phone1.answer()
    box.run(0.5)
    (c1,) = box.pbx.calls
    return call, c1


def test_phone_holds_and_retrieves_and_the_caller_is_notified(box):
    call, c1 = caller_talks_to_21(box)
    box.phone1.hold()
    box.run(0.2)
    assert box.phone1.held is not None and box.phone1.state == IDLE
    assert box.exchange.notifications == [(call, HOLD)]
    trunk_leg = box.pbx.calls[c1].a
    assert trunk_leg.held and box.hooks == [("hold", c1, trunk_leg.id)]
    assert box.phone1.line.cc.calls[box.phone1.held].channel is None  # B-channel freed
    box.phone1.retrieve()
    box.run(0.2)
    assert box.phone1.state == CONNECTED and box.phone1.held is None
    assert box.exchange.notifications == [(call, HOLD), (call, RETRIEVAL)]
    assert box.hooks[-1] == ("retrieve", c1, trunk_leg.id) and not trunk_leg.held
    assert box.phone1.line.cc.calls[box.phone1.call].channel in (1, 2)
    assert "held" in box.states() and "retrieved" in box.states()


def test_consultation_then_attended_transfer(box):
    call, c1 = caller_talks_to_21(box)
    box.phone1.hold()
    box.run(0.2)
    box.phone1.dial("22")  # the consultation call, on the B-channel hold freed
    box.run(0.5)
    box.phone2.answer()
    box.run(0.5)
    (c2,) = [c for c in box.pbx.calls if c != c1]
    assert box.pbx.calls[c2].state.value == "connected"
    new = box.pbx.transfer_to_call(c1, c2)
    box.run(0.5)
    assert box.phone1.state == IDLE and box.phone1.held is None
    assert box.phone2.state == CONNECTED
    assert box.exchange.notifications[-1] == (call, RETRIEVAL)  # no longer on hold
    assert list(box.pbx.calls) == [new.id] and new.state.value == "connected"
    assert (new.src, new.dst, new.direction) == ("0301112222", "22", "in")
    box.run(5)
    box.phone2.hangup()
    box.run(1)
    assert box.idle() and box.exchange.causes[call] == CauseValue.NORMAL_CALL_CLEARING
    rows = box.cdrs()
    assert [(r["src"], r["dst"], r["disposition"]) for r in rows] == [
        ("0301112222", "21", "ANSWERED"), ("21", "22", "ANSWERED"),
        ("0301112222", "22", "ANSWERED")]
    assert {r["linkedid"] for r in rows} == {c1}


def test_retrieve_without_a_free_b_channel_is_rejected_with_34(box):
    call, c1 = caller_talks_to_21(box)
    box.phone1.hold()
    box.run(0.2)
    box.phone1.dial("22")
    box.run(0.5)
    box.phone2.answer()
    box.run(0.5)  # the S0 bus: 21's consultation call on one B, 22 on the other
    box.phone1.line.retrieve(box.phone1.held)
    box.run(0.2)
    assert box.phone1.last_cause == CauseValue.NO_CIRCUIT_AVAILABLE
    assert box.phone1.held is not None
    assert box.exchange.notifications == [(call, HOLD)]  # still held


def test_the_held_party_hangs_up(box):
    call, c1 = caller_talks_to_21(box)
    box.phone1.hold()
    box.run(0.2)
    box.exchange.line.hangup(call)
    box.run(1)
    assert box.phone1.held is None and box.idle()


def test_hold_and_retrieve_through_the_api(box):
    box.phone1.dial("22")
    box.run(0.5)
    box.phone2.answer()
    box.run(0.5)
    (c1,) = box.pbx.calls
    held = box.pbx.hold(c1, by="21")
    box.run(0.2)
    assert held.extension.number == "22" and box.phone2.notifications == [HOLD]
    with pytest.raises(PbxError, match="already on hold"):
        box.pbx.hold(c1, by="21")
    box.pbx.retrieve(c1, by="21")
    box.run(0.2)
    assert box.phone2.notifications == [HOLD, RETRIEVAL]
    with pytest.raises(PbxError, match="not on hold"):
        box.pbx.retrieve(c1, by="21")


def test_api_cannot_retrieve_what_a_phone_holds_and_hold_needs_a_connected_call(box):
    call, c1 = caller_talks_to_21(box)
    box.phone1.hold()
    box.run(0.2)
    with pytest.raises(PbxError, match="take it back there"):
        box.pbx.retrieve(c1)
    box.exchange.call_box("5551022", "0307770000")
    box.run(0.5)
    assert box.phone2.state == RINGING
    (c2,) = [c for c in box.pbx.calls if c != c1]
    with pytest.raises(PbxError, match="not connected"):
        box.pbx.hold(c2)


def test_a_notification_from_the_far_end_is_relayed_to_the_phone(box):
    call, c1 = caller_talks_to_21(box)
    box.exchange.line.notify(call, HOLD)  # the PSTN caller holds on its side
    box.run(0.2)
    assert box.phone1.notifications == [HOLD]


def test_explicit_call_transfer_from_the_phone(box):
    call, c1 = caller_talks_to_21(box)
    box.phone1.hold()
    box.run(0.2)
    box.phone1.dial("22")
    box.run(0.5)
    box.phone2.answer()
    box.run(0.5)
    box.phone1.transfer()  # FACILITY: ROSE EctExecute on the call in hand
    box.run(0.5)
    assert box.phone1.state == IDLE and box.phone1.held is None
    assert box.phone1.last_cause == CauseValue.NORMAL_CALL_CLEARING
    assert box.phone1.last_error == ""
    (new,) = box.pbx.calls.values()
    assert (new.src, new.dst, new.state.value) == ("0301112222", "22", "connected")
    assert box.phone2.state == CONNECTED


def test_explicit_call_transfer_refused_and_unknown_operations_rejected(box):
    call, c1 = caller_talks_to_21(box)
    box.phone1.line.facility(box.phone1.call, rose.Invoke(1, rose.ECT_EXECUTE))
    box.run(0.2)
    assert box.phone1.last_error == f"error {rose.INVALID_CALL_STATE}"  # nothing held
    box.phone1.line.facility(box.phone1.call, rose.Invoke(2, 99))
    box.run(0.2)
    assert box.phone1.last_error == "rejected (problem 1.1)"
    assert box.phone1.state == CONNECTED


def test_attended_transfer_finds_the_extension_in_both_calls(box):
    box.phone1.dial("22")  # c1: 21 (A) talks to 22 (answering extension)
    box.run(0.5)
    box.phone2.answer()
    box.run(0.5)
    box.phone1.hold()
    box.run(0.2)
    box.phone1.dial("00301234567")  # c2: 21 consults a PSTN subscriber (answers in 1 s)
    box.run(2)
    c1, c2 = sorted(box.pbx.calls)
    new = box.pbx.transfer_to_call(c1, c2)  # no --by: 21 is the one in both
    box.run(0.5)
    assert (new.src, new.dst, new.direction) == ("22", "0301234567", "out")
    assert box.phone1.state == IDLE and box.phone2.state == CONNECTED


@pytest.mark.parametrize("from_the_phone", [False, True])
def test_transfer_while_the_consultation_still_rings(box, from_the_phone):
    call, c1 = caller_talks_to_21(box)
    box.phone1.hold()
    box.run(0.2)
    box.phone1.dial("22")
    box.run(0.5)
    assert box.phone2.state == RINGING
    (c2,) = [c for c in box.pbx.calls if c != c1]
    if from_the_phone:
        box.phone1.line.facility(box.phone1.call, rose.Invoke(1, rose.ECT_EXECUTE))
    else:
        box.pbx.transfer_to_call(c1, c2)
    box.run(0.5)
    assert box.phone1.state == IDLE and box.phone1.held is None
    assert box.phone2.state == RINGING and list(box.pbx.calls) == [c2]
    assert (box.pbx.calls[c2].src, box.pbx.calls[c2].direction) == ("0301112222", "in")
    box.phone2.answer()
    box.run(0.5)
    assert box.pbx.calls[c2].state.value == "connected"
    assert exchange_state_of(box, call) == "ACTIVE"
    box.phone2.hangup()
    box.run(1)
    assert box.idle()
    rows = box.cdrs()
    assert [(r["uniqueid"], r["src"], r["dst"]) for r in rows] == [
        (c1, "0301112222", "21"), (c2, "0301112222", "22")]
    assert {r["linkedid"] for r in rows} == {c1}


def exchange_state_of(box: Box, call: int) -> str | None:
    c = box.exchange.line.cc.calls.get(call)
    return c.state.name if c else None
