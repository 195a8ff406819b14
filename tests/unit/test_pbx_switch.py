"""The switch on the simulated box, in virtual time: calls from the virtual PSTN to a
group and to extensions, internal calls, outside calls through the trunk, barring,
forwarding, hunting, originate, and one CDR row per call."""

from __future__ import annotations

import pytest

from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.switch import PbxError
from firmware.sim.phones import CONNECTED, IDLE, RINGING
from tests.unit.pbx_box import OFFICE, Box


@pytest.fixture
def box(tmp_path):
    return Box(tmp_path)


def exchange_calls(box: Box, msn: str, caller: str = "0301112222") -> int:
    call = box.exchange.call_box(msn, caller)
    box.run(0.5)
    return call


def exchange_state(box: Box, call: int):
    c = box.exchange.line.cc.calls.get(call)
    return c.state.name if c else None


def test_group_call_rings_both_phones_first_answer_wins(box):
    call = exchange_calls(box, "5551000")
    assert (box.phone1.state, box.phone2.state) == (RINGING, RINGING)
    assert box.phone1.peer_number == "0301112222"
    assert exchange_state(box, call) == "CALL_RECEIVED"  # N7: our ALERTING arrived
    box.phone2.answer()
    box.run(0.5)
    assert box.phone2.state == CONNECTED and box.phone1.state == IDLE
    assert box.phone1.last_cause == CauseValue.NON_SELECTED_USER_CLEARING
    assert exchange_state(box, call) == "ACTIVE"
    box.run(30)
    box.exchange.line.hangup(call)
    box.run(1)
    assert box.idle() and box.phone2.state == IDLE
    (row,) = box.cdrs()
    assert (row["src"], row["dst"], row["msn"], row["direction"]) == \
        ("0301112222", "22", "5551000", "in")
    assert (row["disposition"], row["billsec"], row["cause"]) == ("ANSWERED", "30", "16")
    assert row["channel"].startswith("trunk:") and row["dstchannel"].startswith("s0int:")
    assert box.states() == ["offered", "connected", "clearing", "ended"]


def test_unanswered_group_times_out_with_no_answer(box):
    call = exchange_calls(box, "5551000")
    box.run(61)
    assert exchange_state(box, call) is None and box.idle()
    assert box.exchange.line.cc.calls == {}
    (row,) = box.cdrs()
    assert (row["disposition"], row["cause"], row["billsec"]) == ("NO ANSWER", "19", "0")


def test_internal_call_and_busy(box):
    box.phone1.dial("22")
    box.run(0.5)
    assert box.phone2.state == RINGING and box.phone2.peer_number == "21"
    box.phone2.answer()
    box.run(0.5)
    assert box.phone1.state == CONNECTED
    call = exchange_calls(box, "5551022")  # Ben is on the phone: busy
    box.run(6)  # P-MP: the exchange waits for other terminals until T312 ends the offer
    assert exchange_state(box, call) is None
    assert box.exchange.line.stats["calls_out"] == 1
    box.phone1.hangup()
    box.run(1)
    assert box.idle()
    rows = box.cdrs()
    assert [(r["direction"], r["src"], r["dst"], r["disposition"]) for r in rows] == [
        ("in", "0301112222", "22", "BUSY"), ("internal", "21", "22", "ANSWERED")]


def test_outside_call_through_the_trunk(box):
    box.phone1.dial("00301234567")  # line access 0, then a subscriber who answers after 1 s
    box.run(0.5)
    assert box.phone1.state == "calling"
    box.run(1.5)
    assert box.phone1.state == CONNECTED
    trunk_calls = list(box.lines["trunk"].cc.calls.values())
    assert [c.called for c in trunk_calls] == ["0301234567"]
    assert trunk_calls[0].calling == "5551021"  # the route of extension 21 is presented
    box.phone1.hangup()
    box.run(1)
    assert box.idle()
    (row,) = box.cdrs()
    assert (row["direction"], row["dst"], row["disposition"]) == ("out", "00301234567",
                                                                   "ANSWERED")


def test_busy_outside_number_and_premium_number(box):
    box.phone1.dial("00309999999")
    box.run(1)
    assert box.phone1.state == IDLE and box.phone1.last_cause == CauseValue.USER_BUSY
    box.phone1.dial("00900123456")
    box.run(1)
    assert box.phone1.state == IDLE
    assert box.phone1.last_cause == CauseValue.OUTGOING_CALLS_BARRED
    assert box.exchange.routed == 1  # the premium number never reached the exchange
    assert [r["disposition"] for r in box.cdrs()] == ["BUSY", "FAILED"]


def test_overlap_dialling_from_a_phone(box):
    box.phone1.dial("2", complete=False)
    box.run(0.5)
    assert box.phone2.state == IDLE and box.phone1.state == "calling"
    box.phone1.more_digits("2")
    box.run(0.5)
    assert box.phone2.state == RINGING


def test_forward_on_no_reply(tmp_path):
    office = dict(OFFICE)
    office["extensions"] = [
        {"number": "21", "name": "Anna", "port": "s0int", "forward_no_reply": "22",
         "no_reply_seconds": 10},
        {"number": "22", "name": "Ben", "port": "s0int"},
    ]
    box = Box(tmp_path, office)
    call = exchange_calls(box, "5551021")
    assert box.phone1.state == RINGING
    box.run(10)
    assert box.phone1.state == IDLE and box.phone2.state == RINGING
    box.phone2.answer()
    box.run(0.5)
    assert exchange_state(box, call) == "ACTIVE"
    assert "forwarded" in box.states()


def test_forward_on_busy_to_an_outside_number(tmp_path):
    office = dict(OFFICE)
    office["extensions"] = [
        {"number": "21", "name": "Anna", "port": "s0int"},
        {"number": "22", "name": "Ben", "port": "s0int", "forward_busy": "00301234567"},
    ]
    box = Box(tmp_path, office)
    box.phone2.dial("21")  # Ben is busy on an internal call
    box.run(0.5)
    box.phone1.answer()
    box.run(0.5)
    call = exchange_calls(box, "5551022", caller="0307770000")  # B1 in, B2 out
    box.run(2)  # the PSTN subscriber answers after 1 s
    assert exchange_state(box, call) == "ACTIVE"
    trunk = sorted((c.called, c.channel) for c in box.lines["trunk"].cc.calls.values())
    assert trunk == [("0301234567", 2), ("5551022", 1)]


def test_linear_group_hunts_member_by_member(tmp_path):
    office = dict(OFFICE)
    office["groups"] = [{"number": "30", "strategy": "linear", "members": ["21", "22"],
                         "member_seconds": 10, "overflow": ""}]
    box = Box(tmp_path, office)
    exchange_calls(box, "5551000")
    assert (box.phone1.state, box.phone2.state) == (RINGING, IDLE)
    box.run(10)
    assert (box.phone1.state, box.phone2.state) == (IDLE, RINGING)
    box.phone2.answer()
    box.run(0.5)
    assert box.pbx.status()[0]["state"] == "connected"


def test_originate_rings_the_extension_first_then_the_number(box):
    call = box.pbx.originate(["21"], "00301234567", caller="21", linkedid="cb-1")
    box.run(0.5)
    assert box.phone1.state == RINGING and box.lines["trunk"].cc.calls == {}
    box.phone1.answer()
    box.run(0.5)
    assert [c.called for c in box.lines["trunk"].cc.calls.values()] == ["0301234567"]
    box.run(1.5)
    assert box.pbx.calls[call.id].state.value == "connected"
    box.pbx.hangup(call.id)
    box.run(1)
    assert box.idle()
    (row,) = box.cdrs()
    assert (row["linkedid"], row["disposition"], row["direction"]) == ("cb-1", "ANSWERED",
                                                                       "out")


def test_originate_refuses_clearly(box):
    with pytest.raises(PbxError, match="no extension 29"):
        box.pbx.originate(["21"], "22", caller="29")
    with pytest.raises(PbxError, match="premium numbers are barred for extension 21"):
        box.pbx.originate(["21"], "00900123456", caller="21")
    with pytest.raises(PbxError, match="no extension 29"):
        box.pbx.originate(["29"], "22")


def test_originate_tries_the_first_numbers_in_order_and_hooks_hold_the_second_stage(box):
    from firmware.pbx.legs import OriginateHooks
    seen = []
    hooks = OriginateHooks(answered=lambda c: seen.append(("answered", c.src)) or False,
                           connected=lambda c: seen.append(("connected", c.dst)),
                           ended=lambda c: seen.append(("ended", c.stage, c.failure_cause)))
    box.phone1.dial("22")  # 21 and 22 busy with each other...
    box.run(0.5)
    box.phone2.answer()
    box.run(0.5)
    # ...so the first number (21, busy) is skipped and the outside staff number rings.
    call = box.pbx.originate(["21", "00307654321"], "00301234567", ring_seconds=10,
                             hooks=hooks)
    box.run(3.5)  # 0307654321 answers after 3 s
    assert seen == [("answered", "0307654321")]  # as the trunk dialled it
    assert box.pbx.calls[call.id].state.value == "routing"  # held by the hook
    box.pbx.proceed_originate(call.id)
    box.run(1.5)  # second number: B2 of the trunk, it answers after 1 s
    assert seen[-1] == ("connected", "00301234567")
    box.run(10)  # 0307654321 hangs up 10 s after answering: the call ends
    assert seen[-1] == ("ended", 2, None) and call.id not in box.pbx.calls


def test_originate_first_party_never_answers(box):
    from firmware.pbx.legs import OriginateHooks
    ended = []
    call = box.pbx.originate(["21", "22"], "00301234567", ring_seconds=5,
                             hooks=OriginateHooks(ended=ended.append))
    box.run(0.5)
    assert (box.phone1.state, box.phone2.state) == (RINGING, IDLE)
    box.run(5)
    assert (box.phone1.state, box.phone2.state) == (IDLE, RINGING)
    box.run(5)
    assert ended == [call] and call.stage == 1
    assert call.failure_cause == CauseValue.NO_ANSWER
    assert box.lines["trunk"].cc.calls == {} and box.idle()


def test_unrouted_msn_is_left_to_the_api(box):
    call = exchange_calls(box, "5559999")
    assert box.pbx.calls == {}
    assert exchange_state(box, call) is not None  # still offered, waiting for a client
