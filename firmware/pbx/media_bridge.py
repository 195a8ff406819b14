"""The switch's calls on the media engine.

A call's legs are B-channels; the port that carries each one feeds an engine slot
(IsdnLine.b_slot). When a call connects, its two slots are bridged (each hears the
other, bit-exact for A-law to A-law); when the channels close, the slots go with them.
The switch's own services (voicemail, menus) and the callback's questions play,
listen for keys and record through the CallMedia face here, by call id and leg.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from firmware.log import get_logger
from firmware.media import tones
from firmware.media.engine import EngineError, EventKind, MediaEngine, MediaEvent, Recording
from firmware.pbx.legs import Leg, PbxCall
from firmware.pbx.switch import Switch

log = get_logger("pbx.media")

SAMPLE_RATE = 8000


class MediaBridge:
    def __init__(self, engine: MediaEngine, switch: Switch, country: str) -> None:
        self.engine, self.switch, self.country = engine, switch, country
        self._keys: dict[int, Callable[[str], None]] = {}  # slot -> who hears its keys
        self._recordings: dict[tuple[str, str], Recording] = {}
        switch.media = self
        switch.on_connect = self.connected
        switch.on_end = self.ended

    # the switch's hooks ---------------------------------------------------------------
    def connected(self, call: PbxCall) -> None:
        a, b = self._slot_of(call.a), self._slot_of(call.connected)
        if a is None or b is None:
            log.info("no_bridge", call=call.id, a=a, b=b)
            return
        self.engine.stop_play(a)  # a tone the box played to the caller ends
        self.engine.connect(a, b)

    def ended(self, call: PbxCall) -> None:
        for leg in ("a", "b"):
            self._recordings.pop((call.id, leg), None)
        for leg in (call.a, call.connected):
            slot = self._slot_of(leg)
            if slot is not None:
                self._keys.pop(slot, None)

    def events(self, events: Iterable[MediaEvent]) -> None:
        """A tick's events: keys go to whoever listens on that slot."""
        for e in events:
            if e.kind is EventKind.DIGIT:
                handler = self._keys.get(e.slot)
                if handler is not None:
                    handler(e.digit)

    # CallMedia ------------------------------------------------------------------------
    def play_prompt(self, call_id: str, leg: str, pcm: bytes) -> None:
        slot = self._slot(call_id, leg)
        if slot is not None:
            self.engine.play_prompt(slot, pcm)

    def play_tone(self, call_id: str, leg: str, tone: str) -> None:
        slot = self._slot(call_id, leg)
        if slot is not None:
            self.engine.play_tone(slot, tones.country_descriptor(self.country, tone))

    def stop_playing(self, call_id: str, leg: str) -> None:
        slot = self._slot(call_id, leg)
        if slot is not None:
            self.engine.stop_play(slot)

    def on_digit(self, call_id: str, leg: str,
                 handler: Callable[[str], None] | None) -> None:
        slot = self._slot(call_id, leg)
        if slot is None:
            return
        if handler is None:
            self._keys.pop(slot, None)
        else:
            self._keys[slot] = handler
        self.engine.detect_dtmf(slot, handler is not None)

    def record(self, call_id: str, leg: str, max_seconds: float) -> None:
        slot = self._slot(call_id, leg)
        if slot is not None:
            self._recordings[(call_id, leg)] = self.engine.record(
                slot, max(2, int(max_seconds * SAMPLE_RATE)), "rx")

    def stop_recording(self, call_id: str, leg: str) -> bytes:
        rec = self._recordings.pop((call_id, leg), None)
        if rec is None:
            return b""
        if not rec.done:
            try:
                self.engine.record_stop(rec.slot)
            except EngineError:
                pass  # the slot closed with its channel: the tap ended there
        return rec.samples()

    # helpers ----------------------------------------------------------------------------
    def _slot(self, call_id: str, leg: str) -> int | None:
        call = self.switch.calls.get(call_id)
        if call is None:
            return None
        return self._slot_of(call.a if leg == "a" else call.connected)

    @staticmethod
    def _slot_of(leg: Leg | None) -> int | None:
        if leg is None or leg.released:
            return None
        return leg.line.b_slot(leg.call_id)
