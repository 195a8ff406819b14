"""The PBX on the media engine, in virtual time: the sim board's trunk and S0 bus carry
real B-channel audio through engine slots (the box's and the far side's), the media
bridge joins a connected call's legs, and DTMF keyed at one end is heard at the other."""

from __future__ import annotations

import pytest

from firmware.clock import VirtualClock
from firmware.events import EventBus
from firmware.isdn.line import IsdnLine
from firmware.media import dtmf, g711, tones, wav
from firmware.media.engine import MediaEngine
from firmware.media.ticker import MediaTicker
from firmware.pbx.config import PbxConfig
from firmware.pbx.media_bridge import MediaBridge
from firmware.pbx.switch import Switch
from firmware.pbx.voicemail import Voicemail
from firmware.ports.factory import open_ports
from firmware.sim.world import SimWorld
from firmware.system.board import load_board
from tests.unit.pbx_box import OFFICE

CALLER = "0301112222"  # not in the PSTN directory: it sends only what it is told to


class MediaBox:
    """The daemon's wiring in virtual time: engine, ticker, sim world, switch, bridge."""

    def __init__(self, tmp_path, office: dict | None = None) -> None:
        self.clock = VirtualClock()
        self.events = EventBus(self.clock)
        self.media = MediaEngine(64, 160)
        self.ticker = MediaTicker(self.clock, self.media.tick_seconds)
        self.ticker.add(self._tick)
        self.world = SimWorld(self.clock, seed=7, media=self.media, ticker=self.ticker)
        ports = open_ports(load_board("sim"), self.world, self.clock)
        self.lines = {n: IsdnLine(p, self.clock, self.events) for n, p in ports.items()}
        config = PbxConfig.from_doc(office or OFFICE, ports=tuple(ports))
        self.pbx = Switch(self.lines, self.clock, config, self.events)
        self.bridge = MediaBridge(self.media, lambda: self.pbx.calls,
                                  lambda: self.pbx.config.country, self.events)
        for name, hook in self.bridge.hooks().items():
            setattr(self.pbx, name, hook)
        self.pbx.media = self.bridge
        self.digits: list[dict] = []
        self.events.subscribe(lambda e: self.digits.append(e.data), ("media.digit",))
        self.world.start()
        for line in self.lines.values():
            line.start()
        # The FXS port's line slot (and its phone's) stay open for the port's life.
        self.idle_box, self.idle_far = self.media.active, self.world.far_media.active
        self.ticker.start()
        self.run(2)
        self.exchange = self.world.exchange()
        self.phone = self.world.phone("21")

    def _tick(self) -> None:
        self.bridge.dispatch(self.media.tick())

    def calls_slots(self) -> tuple[int, int]:
        """Engine slots open for calls, on the box and on the far side."""
        return (self.media.active - self.idle_box,
                self.world.far_media.active - self.idle_far)

    def run(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def connected_call(self):
        self.exchange.call_box("5551021", CALLER)
        self.run(1)
        assert self.phone.state == "ringing"
        self.phone.answer()
        self.run(0.5)
        (call,) = self.pbx.calls.values()
        assert call.state.value == "connected"
        return call


@pytest.fixture
def box(tmp_path) -> MediaBox:
    return MediaBox(tmp_path)


def test_dtmf_crosses_a_connected_call_both_ways(box: MediaBox) -> None:
    call = box.connected_call()
    assert box.calls_slots() == (2, 2)  # both ends, both sides
    box.exchange.subscriber_dtmf(CALLER, "123")
    box.run(1.5)
    assert box.phone.heard == "123"
    box.phone.send_dtmf("456#")
    box.run(1.5)
    assert box.exchange.subscriber_heard(CALLER) == "456#"
    # the box heard every key on the leg it came in on, and says which call and leg
    assert [(d["call"], d["leg"], d["digit"]) for d in box.digits] == \
        [(call.id, "a", k) for k in "123"] + [(call.id, "b", k) for k in "456#"]


def test_the_call_ending_frees_every_slot(box: MediaBox) -> None:
    box.connected_call()
    box.phone.hangup()
    box.run(2)
    assert not box.pbx.calls
    assert box.calls_slots() == (0, 0)
    assert box.bridge.status() == []


def test_a_country_tone_played_on_a_leg_is_what_the_phone_receives(box: MediaBox) -> None:
    call = box.connected_call()
    slot = box.phone.line.b_slot(box.phone.call)  # the handset's slot
    rec = box.world.far_media.record(slot, 8000, "rx")
    box.bridge.play_tone(call.id, "b", "busy")
    box.run(1.1)
    heard = g711.alaw_encode(rec.samples())
    want = g711.alaw_encode(tones.generate(tones.tone("DE", "busy"), 4000))
    assert heard.find(want) >= 0  # the busy tone, sample for sample
    box.bridge.stop_playing(call.id, "b")


def test_a_recording_on_a_leg_takes_what_its_party_keys(box: MediaBox) -> None:
    call = box.connected_call()
    box.bridge.record(call.id, "a", 2.0)
    box.exchange.subscriber_dtmf(CALLER, "9*")
    box.run(1.0)
    pcm = box.bridge.stop_recording(call.id, "a")
    assert 7000 <= len(pcm) // 2 <= 9000
    assert [d for _, d in dtmf.detect(pcm)] == ["9", "*"]


def test_digit_handlers_get_the_keys_of_their_leg_only(box: MediaBox) -> None:
    call = box.connected_call()
    keys: list[str] = []
    box.bridge.on_digit(call.id, "b", keys.append)
    box.exchange.subscriber_dtmf(CALLER, "5")  # the A leg's key: not for this handler
    box.run(0.5)
    box.phone.send_dtmf("1")
    box.run(0.5)
    assert keys == ["1"]
    box.bridge.on_digit(call.id, "b", None)
    box.phone.send_dtmf("2")
    box.run(0.5)
    assert keys == ["1"]


def test_a_held_party_hears_silence_until_retrieved(box: MediaBox) -> None:
    call = box.connected_call()
    box.pbx.hold(call.id)
    box.run(0.5)
    box.exchange.subscriber_dtmf(CALLER, "7")
    box.run(0.5)
    assert box.phone.heard == ""
    box.pbx.retrieve(call.id)
    box.run(0.5)
    box.exchange.subscriber_dtmf(CALLER, "8")
    box.run(0.5)
    assert box.phone.heard == "8"


def test_a_blind_transfer_hands_the_callers_audio_to_the_new_party(box: MediaBox) -> None:
    call = box.connected_call()
    phone2 = box.world.phone("22")
    box.pbx.transfer(call.id, "22")
    box.run(1)
    assert phone2.state == "ringing"
    phone2.answer()
    box.run(0.5)
    box.exchange.subscriber_dtmf(CALLER, "42")
    box.run(1)
    assert phone2.heard == "42"
    assert box.calls_slots()[0] == 2  # the caller's trunk slot and phone 22's
    phone2.hangup()
    box.run(2)
    assert not box.pbx.calls and box.calls_slots()[0] == 0 and box.bridge.status() == []


def test_three_parties_in_a_conference_hear_each_other(box: MediaBox) -> None:
    first = box.connected_call()
    phone2 = box.world.phone("22")
    box.phone.hold()  # DSS1 HOLD from the phone, then a consultation call to 22
    box.run(0.5)
    box.phone.dial("22")
    box.run(1)
    phone2.answer()
    box.run(0.5)
    second = next(c for c in box.pbx.calls.values() if c is not first)
    box.pbx.conference(first.id, second.id)
    box.run(0.5)
    box.exchange.subscriber_dtmf(CALLER, "3")
    box.run(0.6)
    phone2.send_dtmf("6")
    box.run(0.6)
    assert box.phone.heard == "36"  # the controller hears both others
    assert phone2.heard == "3"
    assert box.exchange.subscriber_heard(CALLER) == "6"


def test_voicemail_records_what_the_caller_sends_down_the_line(tmp_path) -> None:
    office = {**OFFICE, "extensions": [dict(OFFICE["extensions"][0], voicemail=True),
                                       OFFICE["extensions"][1]],
              "routes": [{"number": "5551021", "target": "voicemail:21"}]}
    box = MediaBox(tmp_path, office)
    box.pbx.voicemail = Voicemail(tmp_path / "vm", box.clock)
    # the owner's greeting: key 2 (the caller hears it from the moment the box answers,
    # before the network's CONNECT ACKNOWLEDGE)
    greeting = dtmf.generate("2") + bytes(1600)
    (tmp_path / "vm" / "21").mkdir(parents=True)
    wav.write(tmp_path / "vm" / "21" / "greeting.wav", greeting, wav.PCM16)
    box.exchange.call_box("5551021", CALLER)
    box.run(2.5)  # answered by the box: the greeting, the beep, then recording
    assert box.exchange.subscriber_heard(CALLER) == "2"
    box.exchange.subscriber_dtmf(CALLER, "5")
    box.run(2)
    box.exchange.subscriber_dtmf(CALLER, "#")  # ends the message; the box hangs up
    box.run(2)
    assert not box.pbx.calls and box.calls_slots()[0] == 0
    (message,) = box.pbx.voicemail.messages("21")
    pcm = wav.read_mono_8k(box.pbx.voicemail.wav_path("21", message.id))
    assert [d for _, d in dtmf.detect(pcm)][:1] == ["5"]
