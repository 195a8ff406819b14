"""The analog port in virtual time: FXS hook timing, and the terminal adapter against a
real NT stack (an IsdnLine NT standing in for the switch), with a simulated analog phone
on the copper that really hears and really keys DTMF."""

from __future__ import annotations

from firmware.analog.port import AnalogPort
from firmware.analog.ta import (
    BUSY_TONE,
    CALLING,
    CONNECTED,
    HELD,
    IDLE,
    RECALL,
    RECALL_TIME,
    RINGING,
)
from firmware.clock import VirtualClock
from firmware.isdn.dss1.primitives import CallEvent, Ind
from firmware.isdn.line import IsdnLine
from firmware.isdn.q931 import rose
from firmware.isdn.q931.causes import CauseValue
from firmware.media.engine import MediaEngine
from firmware.media.ticker import MediaTicker
from firmware.ports.fxs import FxsPort, HookEvent
from firmware.sim.analog_phone import SimAnalogPhone, SimFxsCopper
from firmware.system.board import PortSpec

SPEC = PortSpec("fxs1", "fxs", "nt", "ptp", "sim")


class Rig:
    def __init__(self) -> None:
        self.clock = VirtualClock()
        self.media = MediaEngine(16, 160)
        self.far = MediaEngine(4, 160)
        self.ticker = MediaTicker(self.clock, self.media.tick_seconds)
        self.port = AnalogPort(SPEC, self.clock, self.media)
        self.port.set_extension("23")
        self.phone = SimAnalogPhone("analog23", "23", self.far, self.clock)
        self.copper = SimFxsCopper(self.port.fxs, self.phone)
        self.box_events: list = []
        self.ticker.add(self._box_tick)
        self.ticker.add(self._far_tick)
        self.ticker.add(self.port.move_audio)
        self.ticker.add(self.copper.move_audio)
        self.got: list[CallEvent] = []
        self.nt = IsdnLine(self.port.nt, self.clock, on_call=self._on_call)
        self.nt.start()
        self.port.start()
        self.ticker.start()
        self.run(1)

    def _on_call(self, line: IsdnLine, e: CallEvent) -> None:
        """What the switch does at once: accept HOLD and RETRIEVE (DSS1 hold)."""
        self.got.append(e)
        if e.ind is Ind.HOLD_IND:
            line.hold_ack(e.call)
        elif e.ind is Ind.RETRIEVE_IND:
            line.retrieve_ack(e.call)

    def _box_tick(self) -> None:
        events = self.media.tick()
        self.box_events += events
        self.port.media_events(events)

    def _far_tick(self) -> None:
        for event in self.far.tick():
            self.phone.media_event(event)

    def run(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def inds(self) -> list[Ind]:
        return [e.ind for e in self.got]

    def last(self, ind: Ind) -> CallEvent:
        return [e for e in self.got if e.ind is ind][-1]

    @property
    def ta(self):
        return self.port.ta


def test_fxs_hook_timing_flash_versus_on_hook_versus_glitch() -> None:
    clock = VirtualClock()
    port = FxsPort(SPEC, clock, MediaEngine(2, 160))
    seen: list[HookEvent] = []
    port.on_hook_event = seen.append
    port.loop(True)
    assert seen == [HookEvent.OFF_HOOK] and port.off_hook
    for gap, expected in ((0.040, []), (0.150, [HookEvent.HOOK_FLASH])):
        port.loop(False)
        clock.advance(gap)
        port.loop(True)
        assert seen[1:] == expected
    port.loop(False)
    clock.advance(0.299)
    assert port.off_hook
    clock.advance(0.002)
    assert seen[-1] is HookEvent.ON_HOOK and not port.off_hook
    assert port.status()["counters"] == {"off_hook": 1, "on_hook": 1, "flash": 1}


def test_off_hook_gives_dial_tone_and_dtmf_goes_out_as_overlap_digits() -> None:
    rig = Rig()
    rig.phone.offhook()
    rig.run(1.5)
    assert rig.phone.hears() == "dial"
    rig.phone.dial("21")
    rig.run(0.15)
    setup = rig.last(Ind.SETUP_IND)
    rig.nt.more_info(setup.call)  # SETUP ACKNOWLEDGE, as the switch answers overlap
    rig.run(1)
    assert setup.info["called"] == "2" and setup.info["calling"] == "23"
    assert not setup.info.get("sending_complete")
    assert [e.info["digits"] for e in rig.got if e.ind is Ind.INFO_IND] == ["1"]
    assert rig.ta.dialled == "21"
    rig.nt.alert(setup.call)
    rig.run(1.2)
    assert rig.phone.hears() == "ringback"
    rig.nt.answer(setup.call)
    rig.run(0.5)
    assert rig.ta.state == CONNECTED
    rig.media.send_dtmf(rig.nt.b_slot(setup.call), "7#")  # the far party keys
    rig.run(1)
    assert rig.phone.heard == "7#"
    rig.nt.hangup(setup.call, CauseValue.NORMAL_CALL_CLEARING)
    rig.run(1.5)
    assert rig.ta.state == BUSY_TONE and rig.phone.hears() == "busy"


def test_incoming_call_rings_in_the_country_cadence_with_clip_between_rings() -> None:
    rig = Rig()
    call = rig.nt.dial("23", "0301112222")
    rig.run(0.5)
    assert rig.ta.state == RINGING and Ind.ALERTING_IND in rig.inds()
    rig.run(5.5)  # one ring (1 s) and its pause (4 s) with the CLIP burst in it
    assert rig.phone.ring_on_ms == 1000
    assert rig.phone.clip["number"] == "0301112222"
    assert len(rig.phone.clip["date_time"]) == 8
    rig.run(4)
    assert rig.phone.ring_off_ms == 4000 and rig.phone.rings >= 2
    rig.phone.offhook()
    rig.run(0.5)
    assert rig.last(Ind.SETUP_CONF).call == call and rig.ta.state == CONNECTED
    assert not rig.port.fxs.ringing
    rig.media.detect_dtmf(rig.nt.b_slot(call), True)
    rig.phone.dial("5")  # and back: the NT's B-channel hears the phone's key
    rig.run(1)
    assert [e.digit for e in rig.box_events if e.slot == rig.nt.b_slot(call)] == ["5"]
    assert rig.ta.dialled == ""  # keys in a call are not dialled


def test_flash_holds_and_hanging_up_with_held_and_consultation_asks_for_ect() -> None:
    rig = Rig()
    first = rig.nt.dial("23", "0301112222")
    rig.run(1.2)
    rig.phone.offhook()
    rig.run(0.5)
    rig.phone.flash()
    rig.run(0.5)
    hold = rig.last(Ind.HOLD_IND)
    assert hold.call == first
    rig.run(1.5)
    assert rig.ta.state == HELD and rig.phone.hears() == "dial"  # recall dial tone
    rig.phone.dial("22")
    rig.run(1)
    consult = rig.last(Ind.SETUP_IND).call
    rig.nt.more_info(consult)
    assert consult != first
    rig.nt.answer(consult)
    rig.run(0.5)
    assert rig.ta.state == CONNECTED and rig.ta.held == first
    rig.phone.onhook()
    rig.run(1)
    fac = rig.last(Ind.FACILITY_IND)
    assert fac.call == consult
    assert [c.opcode for c in fac.info["components"]
            if isinstance(c, rose.Invoke)] == [rose.ECT_EXECUTE]
    assert rig.ta.state == IDLE


def _hold_the_first_call(rig: Rig) -> int:
    first = rig.nt.dial("23", "0301112222")
    rig.run(1.2)
    rig.phone.offhook()
    rig.run(0.5)
    rig.phone.flash()
    rig.run(2)
    assert rig.ta.state == HELD
    return first


def test_hanging_up_while_the_consultation_rings_transfers_it_ringing() -> None:
    rig = Rig()
    _hold_the_first_call(rig)
    rig.phone.dial("22")
    rig.run(1)
    consult = rig.last(Ind.SETUP_IND).call
    rig.nt.more_info(consult)
    rig.nt.alert(consult)
    rig.run(1.5)
    assert rig.ta.state == CALLING and rig.phone.hears() == "ringback"
    rig.phone.onhook()
    rig.run(1)
    fac = rig.last(Ind.FACILITY_IND)
    assert fac.call == consult
    assert [c.opcode for c in fac.info["components"]
            if isinstance(c, rose.Invoke)] == [rose.ECT_EXECUTE]


def test_hanging_up_with_only_a_held_call_rings_back_and_off_hook_retrieves_it() -> None:
    rig = Rig()
    first = _hold_the_first_call(rig)
    rig.phone.onhook()
    rig.run(1)
    assert rig.ta.state == RECALL and rig.phone.ringing
    assert Ind.DISCONNECT_IND not in rig.inds()  # the held party is kept
    rig.phone.offhook()
    rig.run(0.5)
    assert rig.last(Ind.RETRIEVE_IND).call == first
    assert rig.ta.state == CONNECTED and rig.ta.call == first and not rig.phone.ringing


def test_an_unanswered_recall_clears_the_held_call() -> None:
    rig = Rig()
    first = _hold_the_first_call(rig)
    rig.phone.onhook()
    rig.run(RECALL_TIME + 1)
    assert rig.last(Ind.DISCONNECT_IND).call == first
    assert rig.ta.state == IDLE and not rig.phone.ringing


def test_the_held_party_hanging_up_stops_the_recall() -> None:
    rig = Rig()
    first = _hold_the_first_call(rig)
    rig.phone.onhook()
    rig.run(1)
    rig.nt.hangup(first)
    rig.run(1)
    assert rig.ta.state == IDLE and not rig.phone.ringing


def test_flash_again_retrieves_the_held_call() -> None:
    rig = Rig()
    first = rig.nt.dial("23", "0301112222")
    rig.run(1.2)
    rig.phone.offhook()
    rig.run(0.5)
    rig.phone.flash()
    rig.run(0.5)
    rig.run(0.5)
    rig.phone.flash()
    rig.run(0.5)
    assert rig.last(Ind.RETRIEVE_IND).call == first
    rig.run(0.5)
    assert rig.ta.state == CONNECTED and rig.ta.call == first and rig.ta.held is None


def test_call_waiting_tone_and_flash_takes_the_waiting_call() -> None:
    rig = Rig()
    first = rig.nt.dial("23", "0301112222")
    rig.run(1.2)
    rig.phone.offhook()
    rig.run(0.5)
    second = rig.nt.dial("23", "0307654321", no_channel_ok=True)
    rig.run(0.8)
    assert rig.ta.waiting == second
    assert [e.call for e in rig.got if e.ind is Ind.ALERTING_IND][-1] == second
    assert rig.phone.hears() == "call-waiting"
    rig.phone.flash()
    rig.run(0.5)
    assert rig.last(Ind.HOLD_IND).call == first
    assert rig.last(Ind.SETUP_CONF).call == second
    assert rig.ta.state == CONNECTED and rig.ta.call == second and rig.ta.held == first


def test_the_phone_tells_busy_congestion_and_call_waiting_apart() -> None:
    from firmware.media import tones
    from firmware.sim.hearing import Ear

    for name, expected in (("busy", "busy"), ("congestion", "congestion"),
                           ("ringback", "ringback"), ("dial", "dial")):
        ear = Ear("DE", 20.0)
        pcm = memoryview(tones.generate(tones.tone("DE", name), 8000 * 6)).cast("h")
        for i in range(0, len(pcm), 160):
            ear.block(pcm[i:i + 160])
        assert ear.hears() == expected, name
    ear = Ear("DE", 20.0)
    pcm = memoryview(tones.generate(tones.call_waiting_burst("DE"), 8000)).cast("h")
    for i in range(0, len(pcm), 160):
        ear.block(pcm[i:i + 160])
    assert ear.hears() == "call-waiting"


def test_message_waiting_gives_stutter_dial_tone_and_an_on_hook_fsk_burst() -> None:
    from firmware.media import clip

    rig = Rig()
    rec = rig.media.record(rig.port.fxs.slot, 8000 * 2, "tx")  # what the port sends
    rig.ta.set_message_waiting(True, 3)
    rig.run(2.1)
    msg = clip.decode(rec.samples())
    assert msg is not None and msg.ok and msg.type == clip.MESSAGE_WAITING
    rig.media.record_stop(rig.port.fxs.slot)
    assert msg.fields()["message_count"] == 3 and msg.fields()["message_waiting"] is True
    rig.phone.offhook()
    rig.run(0.7)  # the stutter: three breaks, then steady
    assert [k for k, _ in rig.phone.ear.runs[-6:]].count("tone") == 3
    rig.run(1.2)
    assert rig.phone.hears() == "dial"
