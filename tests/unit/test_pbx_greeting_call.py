"""An extension recording its mailbox greeting, in virtual time: instructions, beep,
recording until # (or hang-up, or the limit), the new greeting played back; # at once
goes back to the standard greeting. And callers then hear the owner's greeting."""

from firmware.clock import VirtualClock
from firmware.media.wav import pcm_of
from firmware.pbx.greeting_call import GreetingCall
from firmware.pbx.recorded_call import BEEP_SECONDS, Step
from firmware.pbx.voicemail import GREETING_SECONDS, Voicemail
from tests.unit.pbx_box import Box
from tests.unit.test_pbx_voicemail_calls import (  # noqa: F401 - box: 21 has a mailbox
    FakeMedia,
    box,
)


class Prompts:
    """Every prompt is a second of silence: its length says it was played."""

    def get(self, name, language="en"):
        return pcm_of([0] * 8000)


def setup(tmp_path):
    clock = VirtualClock()
    store, media, ended = Voicemail(tmp_path, clock), FakeMedia(clock), []
    call = GreetingCall("c1", "21", media, store, Prompts(), clock, lambda: ended.append(1))
    return clock, store, media, call, ended


def test_the_owner_records_a_greeting_hears_it_back_and_callers_get_it(tmp_path):
    clock, store, media, call, ended = setup(tmp_path)
    call.start()
    assert media.asked == [("prompt", "a", 8000)]  # how to do it
    clock.advance(1 + BEEP_SECONDS)
    assert media.asked[1:] == [("tone", "a", "call_waiting"), ("stop", "a", None),
                               ("record", "a", GREETING_SECONDS)]
    clock.advance(3)  # the owner speaks for 3 s
    media.press("#")
    assert call.kept is True and len(store.greeting("21")) == 3 * 16000
    assert media.asked[-1] == ("prompt", "a", 3 * 8000 + 8000)  # the greeting, goodbye
    clock.advance(4.5)
    assert ended == [1] and call.step is Step.DONE


def test_hash_at_once_goes_back_to_the_standard_greeting(tmp_path):
    clock, store, media, call, ended = setup(tmp_path)
    store.save_greeting("21", pcm_of([300] * 16000))
    assert store.greeting("21") is not None
    call.start()
    clock.advance(1 + BEEP_SECONDS + 0.2)
    media.press("#")
    assert call.kept is False and store.greeting("21") is None
    assert not store.greeting_path("21").exists()
    assert media.asked[-1] == ("prompt", "a", 8000)  # goodbye only
    clock.advance(1.5)
    assert ended == [1]


def test_hanging_up_keeps_what_was_said_and_the_limit_cuts_it(tmp_path):
    clock, store, media, call, ended = setup(tmp_path)
    call.start()
    clock.advance(1 + BEEP_SECONDS + 2)
    call.caller_gone()
    assert call.kept is True and len(store.greeting("21")) == 2 * 16000
    assert ended == []  # the caller is gone already: nobody to hang up on

    clock, store, media, call, ended = setup(tmp_path / "b")
    call.start()
    clock.advance(1 + BEEP_SECONDS + GREETING_SECONDS + 0.1)
    assert call.kept is True and len(store.greeting("21")) == GREETING_SECONDS * 16000


def test_the_greeting_code_reaches_the_recorder_and_callers_hear_the_new_greeting(
        box):  # noqa: F811 - the imported fixture
    box.phone1.dial("*97")
    box.run(0.5)
    [call] = box.pbx.status()
    assert call["to"] == "greeting:21" and box.phone1.state == "connected"
    box.run(BEEP_SECONDS + 0.1)  # no prompts on disk here: straight to the beep
    box.run(2)
    box.media.press("#")
    box.run(3.5)  # the new greeting played back (no goodbye prompt here), then hang-up
    assert box.idle() and box.cdrs() == []  # a feature code is not a call
    assert len(box.pbx.voicemail.greeting("21")) >= 2 * 16000

    box.media.asked.clear()
    box.phone2.dial("21")  # 21 does not answer: its mailbox does, with the new greeting
    box.run(6)
    assert ("prompt", "a", len(box.pbx.voicemail.greeting("21")) // 2) in box.media.asked


def test_without_a_mailbox_the_greeting_code_is_refused(tmp_path):
    bare = Box(tmp_path)
    bare.pbx.media = FakeMedia(bare.clock)
    bare.pbx.voicemail = Voicemail(tmp_path / "vm", bare.clock)
    bare.phone1.dial("*97")
    bare.run(0.5)
    assert bare.idle() and bare.phone1.last_cause == 31
