"""Dial-code and per-extension features on the simulated box: group and directed call
pickup, do not disturb (dial code and API, busy or forward), call waiting."""

from __future__ import annotations

import copy

import pytest

from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.switch import PbxError
from firmware.sim.phones import CONNECTED, IDLE, RINGING
from tests.unit.pbx_box import OFFICE, Box


@pytest.fixture
def box(tmp_path):
    return Box(tmp_path)


def office(**changes_of_22) -> dict:
    doc = copy.deepcopy(OFFICE)
    doc["extensions"][1].update(changes_of_22)
    return doc


def exchange_state(box: Box, call: int) -> str | None:
    c = box.exchange.line.cc.calls.get(call)
    return c.state.name if c else None


@pytest.mark.parametrize("code", ["*8", "**22"])
def test_pickup_answers_the_call_ringing_at_22(box, code):
    call = box.exchange.call_box("5551022", "0301112222")
    box.run(0.5)
    assert box.phone2.state == RINGING
    box.phone1.dial(code)
    box.run(0.5)
    assert box.phone1.state == CONNECTED and box.phone2.state == IDLE
    assert box.phone2.last_cause == CauseValue.NON_SELECTED_USER_CLEARING
    assert exchange_state(box, call) == "ACTIVE"
    (c,) = box.pbx.calls.values()
    assert (c.state.value, c.dst) == ("connected", "21") and "picked-up" in box.states()
    box.phone1.hangup()
    box.run(1)
    assert box.idle()
    (row,) = box.cdrs()  # the pickup call itself leaves no row
    assert (row["src"], row["dst"], row["disposition"]) == ("0301112222", "21", "ANSWERED")


def test_directed_pickup_by_overlap_digits(box):
    box.exchange.call_box("5551022", "0301112222")
    box.run(0.5)
    box.phone1.dial("**", complete=False)
    box.run(0.2)
    assert box.phone1.state == "calling" and box.phone2.state == RINGING
    box.phone1.more_digits("22")
    box.run(0.5)
    assert box.phone1.state == CONNECTED and box.phone2.state == IDLE


def test_nothing_to_pick_up(box):
    box.phone1.dial("*8")
    box.run(0.5)
    assert box.phone1.state == IDLE
    assert box.phone1.last_cause == CauseValue.NORMAL_UNSPECIFIED
    box.phone1.dial("**29")
    box.run(0.5)
    assert box.phone1.last_cause == CauseValue.NORMAL_UNSPECIFIED
    assert box.cdrs() == [] and box.idle()


def test_dnd_by_dial_code_makes_callers_hear_busy_and_is_saved(box):
    saved = []
    box.pbx.save_config = saved.append
    box.phone2.dial("*26")
    box.run(0.5)
    assert box.phone2.state == IDLE
    assert box.phone2.last_cause == CauseValue.NORMAL_CALL_CLEARING
    assert box.pbx.config.internal("22").dnd and saved[-1].internal("22").dnd
    call = box.exchange.call_box("5551022", "0301112222")
    box.run(7)
    assert box.phone2.state == IDLE
    assert box.exchange.causes[call] == CauseValue.USER_BUSY
    box.phone2.dial("*26")  # off again
    box.run(0.5)
    assert not box.pbx.config.internal("22").dnd
    call = box.exchange.call_box("5551022", "0301112222")
    box.run(0.5)
    assert box.phone2.state == RINGING
    assert [r["disposition"] for r in box.cdrs()] == ["BUSY"]


def test_dnd_through_the_api_forwards_when_the_extension_forwards_on_busy(tmp_path):
    box = Box(tmp_path, office(forward_busy="21"))
    box.pbx.set_dnd("22", True)
    box.exchange.call_box("5551022", "0301112222")
    box.run(0.5)
    assert box.phone2.state == IDLE and box.phone1.state == RINGING
    with pytest.raises(PbxError, match="no extension 29"):
        box.pbx.set_dnd("29", True)


def call_22_then_a_second_caller(box: Box) -> tuple[int, int]:
    first = box.exchange.call_box("5551022", "0301112222")
    box.run(0.5)
    box.phone2.answer()
    box.run(0.5)
    second = box.exchange.call_box("5551022", "0307770000")
    box.run(0.5)
    return first, second


def test_call_waiting_offers_a_second_call_that_can_be_taken_after_hold(tmp_path):
    box = Box(tmp_path, office(call_waiting=True))
    first, second = call_22_then_a_second_caller(box)
    assert box.phone2.state == CONNECTED and box.phone2.waiting is not None
    assert exchange_state(box, second) == "CALL_RECEIVED"  # the caller hears ringing
    box.phone2.hold()
    box.run(0.2)
    assert box.phone2.state == RINGING  # the waiting call is now in hand
    box.phone2.answer()
    box.run(0.5)
    assert exchange_state(box, second) == "ACTIVE" and exchange_state(box, first) == "ACTIVE"
    box.phone2.hangup()
    box.run(0.5)
    box.phone2.retrieve()
    box.run(0.2)
    assert box.phone2.state == CONNECTED and exchange_state(box, first) == "ACTIVE"


def test_without_call_waiting_the_second_caller_hears_busy(box):
    first, second = call_22_then_a_second_caller(box)
    assert box.phone2.waiting is None
    box.run(7)
    assert box.exchange.causes[second] == CauseValue.USER_BUSY


def test_call_waiting_on_a_full_bus_is_offered_without_a_channel(tmp_path):
    doc = office()
    doc["extensions"][0]["call_waiting"] = True  # 21
    box = Box(tmp_path, doc)
    box.phone1.dial("22")  # 21 and 22 talk: both B-channels of the S0 bus are taken
    box.run(0.5)
    box.phone2.answer()
    box.run(0.5)
    assert box.lines["s0int"].free_channels() == 0
    call = box.exchange.call_box("5551021", "0301112222")
    box.run(0.5)
    assert box.phone1.waiting is not None
    waiting = box.phone1.line.cc.calls[box.phone1.waiting]
    assert waiting.channel is None  # offered with "no channel" (EN 300 403-1 5.2.3.1 c)
    assert exchange_state(box, call) == "CALL_RECEIVED"
    box.phone1.hold()  # frees 21's B-channel; the waiting call is now in hand
    box.run(0.2)
    box.phone1.answer()  # CONNECT names the freed channel
    box.run(0.5)
    assert exchange_state(box, call) == "ACTIVE" and box.phone1.state == CONNECTED
    line_calls = box.lines["s0int"].cc.calls.values()
    assert sorted(c.channel for c in line_calls if c.channel) == [1, 2]
