"""Voicemail in the switch: a caller nobody answers is answered by the box, hears the
greeting and a beep, is recorded until # or hang-up, and the message is kept. The
media here is a recorder of what the switch asks (the audio itself is the media
engine's; tests/system proves it end to end)."""

import pytest

from firmware.media.wav import pcm_of
from firmware.pbx.config import FieldError, PbxConfig
from firmware.pbx.voicemail import Voicemail
from tests.unit.pbx_box import OFFICE, Box


class FakeMedia:
    """Records what is asked; a recording holds one sample per 1/8000 s it ran."""

    def __init__(self, clock):
        self.clock = clock
        self.asked = []
        self.keys = {}
        self._recording = {}

    def play_prompt(self, call_id, leg, pcm):
        self.asked.append(("prompt", leg, len(pcm) // 2))

    def play_tone(self, call_id, leg, tone):
        self.asked.append(("tone", leg, tone))

    def stop_playing(self, call_id, leg):
        self.asked.append(("stop", leg, None))

    def on_digit(self, call_id, leg, handler):
        self.keys[(call_id, leg)] = handler

    def record(self, call_id, leg, max_seconds):
        self.asked.append(("record", leg, max_seconds))
        self._recording[(call_id, leg)] = self.clock.now()

    def stop_recording(self, call_id, leg):
        began = self._recording.pop((call_id, leg))
        return pcm_of([500] * int((self.clock.now() - began) * 8000))

    def press(self, digit):
        [handler] = [h for h in self.keys.values() if h]
        handler(digit)


def until_recording(box):
    for _ in range(1000):
        if box.media.asked and box.media.asked[-1][0] == "record":
            return
        box.run(0.01)
    raise AssertionError(f"no recording: {box.media.asked}")


def office(**ext21):
    doc = {**OFFICE, "extensions": [dict(OFFICE["extensions"][0], voicemail=True,
                                         forward_no_reply="voicemail", no_reply_seconds=5,
                                         **ext21), OFFICE["extensions"][1]]}
    return doc


@pytest.fixture
def box(tmp_path):
    box = Box(tmp_path, office())
    box.media = FakeMedia(box.clock)
    box.pbx.media = box.media
    box.pbx.voicemail = Voicemail(tmp_path / "vm", box.clock)
    box.kept = []
    box.events.subscribe(lambda e: box.kept.append(e.data), ("pbx.voicemail",))
    return box


def test_no_reply_goes_to_voicemail_and_hang_up_keeps_the_message(box):
    caller = box.exchange.call_box("5551021", "0301112222")
    box.run(1)
    assert box.phone1.state == "ringing"
    until_recording(box)  # after no_reply_seconds, the greeting (none here) and a beep
    assert box.phone1.state == "idle"  # the phone stopped ringing
    (call,) = box.pbx.calls.values()
    assert (call.state.value, call.dst) == ("connected", "voicemail:21")
    assert box.media.asked == [("tone", "a", "call_waiting"), ("stop", "a", None),
                               ("record", "a", 120)]  # no prompts made: a beep only
    box.run(4)  # the caller speaks for four seconds, then hangs up
    box.exchange.line.hangup(caller)
    box.run(1)
    [msg] = box.pbx.voicemail.messages("21")
    assert (msg.caller, msg.seconds) == ("0301112222", pytest.approx(4.0, abs=0.02))
    assert box.kept == [{"mailbox": "21", "id": "0001", "caller": "0301112222",
                         "seconds": msg.seconds, "waiting": 1}]
    [row] = [r for r in box.cdrs() if r["dst"] == "voicemail:21"]
    assert row["disposition"] == "ANSWERED" and int(row["billsec"]) >= 4
    assert box.idle()


def test_hash_ends_the_message_and_the_box_hangs_up(box):
    box.exchange.call_box("5551021", "0301112222")
    until_recording(box)
    box.run(2)
    box.media.press("#")
    box.run(2)
    [msg] = box.pbx.voicemail.messages("21")
    assert msg.seconds == pytest.approx(2.0, abs=0.02)
    assert box.idle()  # the box cleared the call


def test_a_route_straight_to_a_mailbox_and_busy_forwarding(tmp_path):
    doc = office(forward_busy="voicemail")
    doc["routes"] = [*doc["routes"], {"number": "5551099", "target": "voicemail:21"}]
    box = Box(tmp_path, doc)
    box.pbx.media, box.pbx.voicemail = FakeMedia(box.clock), Voicemail(tmp_path, box.clock)
    box.exchange.call_box("5551099", "0301112222")
    box.run(1)
    assert box.phone1.state == "idle"  # never rang
    assert [c.dst for c in box.pbx.calls.values()] == ["voicemail:21"]


def test_without_media_voicemail_is_as_busy(tmp_path):
    box = Box(tmp_path, office())  # no media engine, no mailbox store
    box.exchange.call_box("5551021", "0301112222")
    box.run(7)
    assert box.idle()
    [row] = box.cdrs()
    assert (row["disposition"], row["cause"]) == ("BUSY", "17")


def test_settings_say_what_is_wrong_with_a_mailbox():
    doc = office()
    doc["extensions"][1] = dict(doc["extensions"][1], forward_busy="voicemail",
                                voicemail_email="not an address", voicemail_seconds=5)
    doc["routes"] = [{"number": "5551099", "target": "voicemail:22"}]
    with pytest.raises(FieldError) as e:
        PbxConfig.from_doc(doc, ports=("trunk", "s0int"))
    problems = dict(e.value.problems)
    assert problems["extensions[1].forward_busy"] == "the extension has no mailbox (voicemail)"
    assert "not a valid email address" in problems["extensions[1].voicemail_email"]
    assert problems["extensions[1].voicemail_seconds"] == "between 10 and 600"
    assert problems["routes[0].target"] == "no extension 22 with a mailbox"
