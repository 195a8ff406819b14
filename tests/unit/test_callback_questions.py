"""The callback's spoken questions in the service: staff accept with 1 or decline with 2
(a colleague is asked next), the visitor is joined only after pressing 1. Media here
records what is asked and lets the test press keys (the real audio path is proved in
tests/system/test_callback.py)."""

from __future__ import annotations

import pytest

from firmware.callback.conversation import Conversation
from firmware.callback.model import State
from firmware.media.prompts import PromptLibrary
from firmware.media.wav import pcm_of
from firmware.sim.phones import RINGING
from tests.unit.test_callback_service import CallbackBox
from tests.unit.test_pbx_voicemail_calls import FakeMedia


class AskingBox(CallbackBox):
    def __init__(self, tmp_path):
        super().__init__(tmp_path)
        self.media = FakeMedia(self.clock)
        prompts = PromptLibrary(tmp_path / "prompts",
                                speak=lambda text, lang: pcm_of([1] * 8000))
        self.service.conversation = Conversation(self.media, prompts, self.clock)

    def press(self, leg, digit):
        [(key, handler)] = [(k, h) for k, h in self.media.keys.items() if h and k[1] == leg]
        handler(digit)


@pytest.fixture
def box(tmp_path):
    return AskingBox(tmp_path)


def test_staff_accept_then_the_visitor_confirms(box):
    req = box.file(name="Jana", page_title="Prices")
    box.run(0.5)
    box.phone1.answer()
    box.run(0.5)
    assert req.state is State.STAFF_ANSWERED
    assert box.lines["trunk"].cc.calls == {}  # not before staff say yes
    box.press("a", "1")
    box.run(0.1)
    assert req.state is State.RINGING_VISITOR
    box.run(1.5)  # the subscriber answers: asked to press 1
    assert req.state is State.RINGING_VISITOR
    box.press("b", "1")
    assert req.state is State.CONNECTED


def test_staff_decline_and_a_colleague_is_rung_first_next_time(box):
    req = box.file()
    box.run(0.5)
    box.phone1.answer()
    box.run(0.5)
    box.press("a", "2")
    box.run(0.5)
    assert req.state in (State.QUEUED, State.RINGING_STAFF)
    assert any(e.data.get("reason") == "staff declined" for e in box.callback_events
               if e.topic == "callback.requeued")
    box.run(0.5)
    assert box.phone2.state == RINGING and box.phone1.state != RINGING


def test_a_visitor_who_never_presses_1_is_not_reached(box):
    req = box.file()
    box.run(0.5)
    box.phone1.answer()
    box.run(0.5)
    box.press("a", "1")
    box.run(60)  # the subscriber answers and says nothing: asked twice, then given up
    assert req.state is State.QUEUED and req.visitor_attempts == 1
    assert req.reason == "the visitor did not press 1"
