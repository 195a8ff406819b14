"""An MSN routed to "callback:LINK", in virtual time: an outside caller is queued to be
called back on the number they call from, staff first as for a web request. With media
the box answers and says so; without, it clears the call unanswered (free for the
caller). A withheld number or a refused request is said (or cleared with cause 21)."""

from __future__ import annotations

import pytest

from firmware.callback.model import State
from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.config import FieldError, PbxConfig
from firmware.sim.phones import CONNECTED, RINGING
from tests.unit.pbx_box import OFFICE
from tests.unit.test_callback_service import CallbackBox
from tests.unit.test_pbx_voicemail_calls import FakeMedia

CALLBACK_MSN = "5551099"
CALLER = "0301234567"  # the virtual PSTN answers this number after 1 s


def office(target: str = "callback:office") -> dict:
    return {**OFFICE, "routes": [*OFFICE["routes"], {"number": CALLBACK_MSN,
                                                     "target": target}]}


def callback_box(tmp_path, target: str = "callback:office", media: bool = False):
    box = CallbackBox(tmp_path)
    box.pbx.reconfigure(PbxConfig.from_doc(office(target), ports=tuple(box.lines)))
    if media:
        box.media = box.pbx.media = FakeMedia(box.clock)
    return box


def call_the_callback_number(box, caller: str = CALLER) -> int:
    call = box.exchange.call_box(CALLBACK_MSN, caller)
    box.run(0.5)
    return call


def test_without_media_the_call_is_cleared_unanswered_and_staff_ring_first(tmp_path):
    box = callback_box(tmp_path)
    call = call_the_callback_number(box)
    box.run(6)  # P-MP: the exchange waits T312 for other terminals' answers
    assert box.exchange.causes[call] == CauseValue.NORMAL_CALL_CLEARING
    [req] = box.service.requests.values()
    assert (req.number, req.link, req.language) == ("+49301234567", "office", "de")
    assert (req.note, req.referrer) == (f"asked by phone, calling {CALLBACK_MSN}",
                                        f"tel:{CALLBACK_MSN}")
    assert box.phone1.state == RINGING  # the callback: staff first
    box.phone1.answer()
    box.run(2)  # then the caller, who answers after 1 s
    assert req.state is State.CONNECTED and box.phone1.state == CONNECTED
    cdr = box.cdrs()[0]
    assert (cdr["src"], cdr["msn"], cdr["disposition"]) == (CALLER, CALLBACK_MSN, "NO ANSWER")


def test_with_media_the_box_answers_says_it_and_hangs_up(tmp_path):
    box = callback_box(tmp_path, media=True)
    call = call_the_callback_number(box)
    assert box.exchange.line.cc.calls[call].state.name == "ACTIVE"  # answered
    assert box.media.asked[0] == ("tone", "a", "call_waiting")  # no prompt files here
    box.run(2)
    assert call not in box.exchange.line.cc.calls  # the box hung up after saying it
    assert box.exchange.causes[call] == CauseValue.NORMAL_CALL_CLEARING
    assert [r.number for r in box.service.requests.values()] == ["+49301234567"]
    answered = box.cdrs()[0]
    assert (answered["dst"], answered["disposition"]) == ("callback:office", "ANSWERED")
    assert [e["outcome"] for e in box.pbx_events if e["state"] == "callback"] == ["queued"]


def test_a_withheld_number_cannot_be_called_back(tmp_path):
    box = callback_box(tmp_path)
    call = call_the_callback_number(box, caller="")
    box.run(6)
    assert box.exchange.causes[call] == CauseValue.CALL_REJECTED
    assert box.service.requests == {}
    assert [e["outcome"] for e in box.pbx_events if e["state"] == "callback"] == ["withheld"]


def test_a_refused_request_is_rejected_and_nothing_is_queued(tmp_path):
    box = callback_box(tmp_path, target="callback:gone")  # a link deleted since
    call = call_the_callback_number(box)
    box.run(6)
    assert box.exchange.causes[call] == CauseValue.CALL_REJECTED
    assert box.service.requests == {}
    assert [e["outcome"] for e in box.pbx_events if e["state"] == "callback"] == ["refused"]


def test_callback_targets_name_an_existing_link_when_settings_are_changed():
    PbxConfig.from_doc(office("callback:gone"))  # stored settings stay loadable
    with pytest.raises(FieldError) as e:
        PbxConfig.from_doc(office("callback:gone"), links=("office",))
    assert dict(e.value.problems) == {
        "routes[3].target": "no callback link 'gone' (links: office)"}
    with pytest.raises(FieldError) as e:
        PbxConfig.from_doc(office("callback:"))
    assert "callback:office" in dict(e.value.problems)["routes[3].target"]
