"""The PBX's calls on the media engine: bridges, conferences, tones, prompts, recordings
and DTMF, for the switch's media hooks and its own services (``CallMedia``).

A leg's audio is its B-channel: the line opens it raw on its port while the call talks
(``IsdnLine.b_slot``), and the port's driver feeds an engine slot every tick. The
bridge only wires slots: two parties are bridged (bit-exact for A-law to A-law), three
or more mixed (mix-minus); a held party hears music on hold (``moh``: one shared PCM
buffer, each held leg started at the loop's current point and restarted at its
PROMPT_END) and its holder silence or its consultation, until the retrieve.
DTMF detection is on for every leg it wires or plays to; a key is published as
``media.digit`` with the call id and the leg ("a", "b", or the channel of a conference
party), and goes to the handler a service set with ``on_digit``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from firmware.events import EventBus
from firmware.log import get_logger
from firmware.media import tones
from firmware.media.engine import EngineError, EventKind, MediaEngine, MediaEvent, Recording
from firmware.pbx.legs import Leg, PbxCall, PbxError
from firmware.pbx.recording import CallRecorder, CallRecording, RecordingError

log = get_logger("pbx.media")

SAMPLE_RATE = 8000


@dataclass
class _LegAudio:
    slot: int
    call_id: str  # the call the leg is in now
    leg: Leg


class MediaBridge:
    def __init__(self, engine: MediaEngine, calls: Callable[[], dict[str, PbxCall]],
                 country: Callable[[], str], events: EventBus | None = None) -> None:
        self.engine = engine
        self._calls = calls  # the switch's live calls, by id
        self._country = country  # the PBX's country, for its tone plan
        self.events = events
        self._by_slot: dict[int, _LegAudio] = {}  # the slots it has wired or played to
        self._digit_handlers: dict[int, Callable[[str], None]] = {}  # slot -> handler
        self._recordings: dict[tuple[str, str], Recording] = {}
        # music on hold: the PCM to loop (None: held parties hear silence)
        self.moh: Callable[[], bytes | None] | None = None
        self._moh: dict[int, bytes] = {}  # slot -> the buffer it loops now
        # call recording (recording.py): why a call is recorded by the settings, or None
        self.recorder: CallRecorder | None = None
        self.recording_reason: Callable[[PbxCall], str | None] | None = None

    # the switch's hooks -------------------------------------------------------------------
    def connect(self, call: PbxCall) -> None:
        """``Switch.on_connect``: the parties hear each other, not tones or prompts."""
        for leg in call.parties():
            audio = self._open(call, leg)
            if audio is not None:
                self.engine.stop_play(audio.slot)
                self._moh.pop(audio.slot, None)
        self.rewire(call)
        reason = self.recording_reason(call) if self.recording_reason else None
        if reason is not None and self.recorder is not None \
                and self.recorder.active(call.id) is None:
            try:
                self.record_call(call.id, reason)
            except PbxError as e:
                log.error("recording_not_started", call=call.id, error=str(e))

    def rewire(self, call: PbxCall, _leg: Leg | None = None) -> None:
        """Bridge two parties, mix more; held ones (and a lone holder) hear silence.
        Also ``on_hold``, ``on_retrieve`` and ``on_conference``."""
        parties = [(leg, self._open(call, leg)) for leg in call.parties()]
        slots = [a.slot for _, a in parties if a is not None]
        for slot in slots:  # out of any conference and bridge: silence
            self.engine.leave(slot)
            self.engine.disconnect(slot)
        talking = [a.slot for leg, a in parties if a is not None and not leg.held]
        for leg, audio in parties:
            if audio is None:
                continue
            if leg.held:
                self._play_moh(audio.slot)
            elif audio.slot in self._moh:
                self._stop_moh(audio.slot)
        try:
            if len(talking) == 2:
                self.engine.connect(*talking)
            elif len(talking) > 2:
                self.engine.conference(talking)
        except EngineError as e:  # the call goes on without audio rather than fail
            log.error("media_not_wired", call=call.id, slots=talking, error=str(e))
            return
        log.debug("media_wired", call=call.id, slots=talking)
        if self.recorder is not None:  # the A leg's channel may have gone and come back
            self.recorder.follow(call.id, _slot_of(call.a))

    def end(self, call: PbxCall) -> None:
        """``Switch.on_end``: forget the call's slots (the lines close the channels) —
        unless a live call (a transfer's new segment) has taken the leg on."""
        if self.recorder is not None:
            self.recorder.stop(call.id, "call ended")
        live = self._calls()
        for audio in list(self._by_slot.values()):
            if audio.call_id != call.id:
                continue
            other = self._call_of(audio.leg, live, exclude=call)
            if other is not None and self._current(audio):
                audio.call_id = other.id
            else:
                self._forget(audio)
        for key in [k for k in self._recordings if k[0] == call.id]:
            del self._recordings[key]

    def hooks(self) -> dict[str, Callable[..., None]]:
        """The switch attributes this bridge serves."""
        return {"on_connect": self.connect, "on_end": self.end, "on_hold": self.rewire,
                "on_retrieve": self.rewire, "on_conference": self.rewire}

    # CallMedia (firmware/pbx/media.py) ---------------------------------------------------
    def play_prompt(self, call_id: str, leg: str, pcm: bytes) -> None:
        audio = self._leg_audio(call_id, leg)
        if audio is not None:
            self._moh.pop(audio.slot, None)
            self.engine.play_prompt(audio.slot, pcm)

    def play_tone(self, call_id: str, leg: str, tone: str) -> None:
        """One of the PBX country's tones (tones.py), e.g. "ringback", "busy"."""
        desc = tones.descriptor(tones.tone(self._country(), tone))
        audio = self._leg_audio(call_id, leg)
        if audio is not None:
            self._moh.pop(audio.slot, None)
            self.engine.play_tone(audio.slot, desc)

    def stop_playing(self, call_id: str, leg: str) -> None:
        audio = self._leg_audio(call_id, leg, open_it=False)
        if audio is not None:
            self._moh.pop(audio.slot, None)
            self.engine.stop_play(audio.slot)

    def send_dtmf(self, call_id: str, leg: str, digits: str) -> None:
        """Key DTMF digits to the leg (in-band), e.g. to reach an extension behind an IVR."""
        audio = self._leg_audio(call_id, leg)
        if audio is not None:
            self.engine.send_dtmf(audio.slot, digits)

    def on_digit(self, call_id: str, leg: str, handler: Callable[[str], None] | None
                 ) -> None:
        audio = self._leg_audio(call_id, leg, open_it=handler is not None)
        if audio is None:
            return
        if handler is None:
            self._digit_handlers.pop(audio.slot, None)
        else:
            self._digit_handlers[audio.slot] = handler

    def record(self, call_id: str, leg: str, max_seconds: float) -> None:
        audio = self._leg_audio(call_id, leg)
        if audio is not None:
            samples = max(2, round(max_seconds * SAMPLE_RATE))
            self._recordings[(call_id, leg)] = self.engine.record(audio.slot, samples, "rx")

    def stop_recording(self, call_id: str, leg: str) -> bytes:
        rec = self._recordings.pop((call_id, leg), None)
        if rec is None:
            return b""
        if not rec.done and self.engine.is_open(rec.slot):
            self.engine.record_stop(rec.slot)
        return rec.samples()

    # the tick's events ------------------------------------------------------------------
    def dispatch(self, events: list[MediaEvent]) -> list[MediaEvent]:
        """Publish the events of the PBX's slots (with their call and leg) and hand
        digits to their handlers; returns the events of slots the PBX does not hold."""
        others = []
        for event in events:
            if event.kind is EventKind.PROMPT_END and event.slot in self._moh:
                self._loop_moh(event.slot)
                continue
            if event.kind is EventKind.RECORD_FULL and self.recorder is not None \
                    and self.recorder.half_filled(event.slot, event.value):
                continue
            audio = self._by_slot.get(event.slot)
            if audio is not None and not self._current(audio):
                self._forget(audio)  # the leg's channel closed; the slot went to another
                audio = None
            if audio is None:
                others.append(event)
                continue
            leg = self._leg_name(audio)
            if self.events is not None:
                data: dict[str, Any] = {"call": audio.call_id, "leg": leg,
                                        "channel": audio.leg.id, "slot": event.slot,
                                        "time": round(event.seconds, 4)}
                if event.kind is EventKind.DIGIT:
                    data["digit"] = event.digit
                self.events.publish(f"media.{event.kind.name.lower()}", **data)
            handler = self._digit_handlers.get(event.slot)
            if event.kind is EventKind.DIGIT and handler is not None:
                try:
                    handler(event.digit)
                except Exception:  # a service's bug must not stop the media clock
                    log.exception("digit_handler_failed", call=audio.call_id, leg=leg)
        return others

    def status(self) -> list[dict[str, Any]]:
        return [{"call": a.call_id, "leg": self._leg_name(a), "channel": a.leg.id,
                 "slot": a.slot} for a in self._by_slot.values() if self._current(a)]

    # call recording ---------------------------------------------------------------------
    def record_call(self, call_id: str, reason: str = "api") -> CallRecording:
        """Start recording a talking call (its A leg's slot, stereo); PbxError if not."""
        call = self._calls().get(call_id)
        if call is None:
            raise PbxError(f"no call {call_id}")
        if self.recorder is None:
            raise PbxError("this box keeps no recordings")
        audio = self._open(call, call.a) if call.a is not None else None
        if call.connected is None or audio is None:
            raise PbxError(f"call {call_id} is not talking: nothing to record")
        try:
            rec = self.recorder.start(call_id, (call.src, call.dst), audio.slot, reason)
        except RecordingError as e:
            raise PbxError(str(e)) from None
        if len(call.userfield) + len(rec.path.name) < 255:  # Asterisk's userfield size
            call.userfield = ";".join(filter(None, (call.userfield, rec.path.name)))
        return rec

    def stop_call_recording(self, call_id: str) -> CallRecording:
        rec = self.recorder.stop(call_id, "api") if self.recorder is not None else None
        if rec is None:
            raise PbxError(f"call {call_id} is not being recorded")
        return rec

    # music on hold ----------------------------------------------------------------------
    def _play_moh(self, slot: int) -> None:
        pcm = self.moh() if self.moh is not None else None
        if not pcm or self._moh.get(slot) is pcm:
            return
        samples = len(pcm) // 2
        try:  # where the loop is now: every held party hears the same point of it
            self.engine.play_prompt(slot, pcm, self.engine.time % samples)
        except EngineError as e:
            log.error("moh_not_played", slot=slot, error=str(e))
            return
        self._moh[slot] = pcm

    def _loop_moh(self, slot: int) -> None:
        pcm = self._moh[slot]
        try:
            self.engine.play_prompt(slot, pcm, 0)
        except EngineError:  # the slot closed meanwhile
            del self._moh[slot]

    def _stop_moh(self, slot: int) -> None:
        del self._moh[slot]
        if self.engine.is_open(slot):
            self.engine.stop_play(slot)

    def moh_status(self) -> dict[str, Any]:
        return {"playing": sorted(self._moh)}

    # helpers ----------------------------------------------------------------------------
    def _leg_audio(self, call_id: str, name: str, open_it: bool = True) -> _LegAudio | None:
        call = self._calls().get(call_id)
        leg = _leg_named(call, name) if call is not None else None
        if call is None or leg is None:
            log.info("media_no_leg", call=call_id, leg=name)
            return None
        if not open_it:
            slot = _slot_of(leg)
            audio = self._by_slot.get(slot) if slot is not None else None
            return audio if audio is not None and audio.leg is leg else None
        return self._open(call, leg)

    def _open(self, call: PbxCall, leg: Leg) -> _LegAudio | None:
        """The leg's slot, with DTMF detection on (None: no audio path — the call does
        not talk yet, or its port's driver does not feed the engine)."""
        slot = _slot_of(leg)
        if slot is None:
            return None
        audio = self._by_slot.get(slot)
        if audio is not None and audio.leg is leg:
            audio.call_id = call.id
            return audio
        if audio is not None:  # a slot number reused since: the old leg is gone
            self._forget(audio)
        try:
            self.engine.detect_dtmf(slot)
        except EngineError as e:
            log.error("media_slot_refused", call=call.id, channel=leg.id, error=str(e))
            return None
        audio = _LegAudio(slot, call.id, leg)
        self._by_slot[slot] = audio
        return audio

    def _forget(self, audio: _LegAudio) -> None:
        if self._by_slot.get(audio.slot) is audio:
            del self._by_slot[audio.slot]
            self._digit_handlers.pop(audio.slot, None)
            self._moh.pop(audio.slot, None)

    @staticmethod
    def _current(audio: _LegAudio) -> bool:
        """The leg still talks on that slot (its channel was not closed and reused)."""
        return _slot_of(audio.leg) == audio.slot

    def _leg_name(self, audio: _LegAudio) -> str:
        call = self._calls().get(audio.call_id)
        if call is not None and audio.leg is call.a:
            return "a"
        if call is not None and audio.leg is call.connected:
            return "b"
        return audio.leg.id

    @staticmethod
    def _call_of(leg: Leg, calls: dict[str, PbxCall], exclude: PbxCall) -> PbxCall | None:
        return next((c for c in calls.values() if c is not exclude and leg in c.legs()),
                    None)


def _slot_of(leg: Leg | None) -> int | None:
    if leg is None or leg.released:
        return None
    return leg.line.b_slot(leg.call_id)


def _leg_named(call: PbxCall, name: str) -> Leg | None:
    """ "a": the A leg; "b": the connected leg; otherwise a leg's channel ("PORT:ID")."""
    if name == "a":
        return call.a
    if name == "b":
        return call.connected
    return next((leg for leg in call.legs() if leg.id == name), None)
