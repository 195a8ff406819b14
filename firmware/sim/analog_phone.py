"""A simulated analog phone on one of the box's FXS ports, and the copper between them.

The phone has a slot in the far side's media engine (its handset). The copper
(`SimFxsCopper`) does what the two wires do: the loop state goes to the box's FXS port,
ringing voltage comes back, and once per media tick the audio crosses both ways
between the phone's slot and the port's slot, like SimBus.move_b_audio.

The phone really listens: DTMF it hears is decoded by the far engine; everything it
receives goes through a recording tap to its ear (firmware/sim/hearing.py) tick by
tick, and the audio received on-hook between rings is searched for a CLIP burst
(clip.decode). It dials DTMF in-band, which the box must detect on its FXS slot.
"""

from __future__ import annotations

from typing import Any

from firmware.clock import Clock
from firmware.media import clip
from firmware.media.engine import EngineError, EventKind, MediaEngine, MediaEvent
from firmware.ports.fxs import FLASH_MAX, FLASH_MIN, FxsPort
from firmware.sim.hearing import Ear

ACTIONS = ("offhook", "onhook", "flash", "dial", "dtmf", "heard", "hears", "status")
CLIP_WINDOW = 3.5  # seconds of on-hook audio after a ring kept for CLIP
FLASH_TIME = (FLASH_MIN + FLASH_MAX) / 2  # how long the phone's recall key breaks the loop


class PhoneError(Exception):
    """What a person could not do on the phone now (dial on-hook...)."""


class SimFxsCopper:
    """The two wires: loop state to the port, ringing voltage and audio both ways."""

    def __init__(self, port: FxsPort, phone: SimAnalogPhone) -> None:
        self.port, self.phone = port, phone
        port.copper = self
        phone.copper = self
        self._port_rx = port.media.rx(port.slot)
        self._port_tx = port.media.tx(port.slot)

    def ring(self, on: bool) -> None:
        self.phone.ring_signal(on)

    def loop(self, closed: bool) -> None:
        self.port.loop(closed)

    def move_audio(self) -> None:
        """One media tick on the copper, after both engines have ticked."""
        self._port_rx[:] = self.phone.tx
        self.phone.rx[:] = self._port_tx


class SimAnalogPhone:
    kind = "analog-phone"

    def __init__(self, name: str, number: str, media: MediaEngine, clock: Clock,
                 country: str = "DE") -> None:
        self.name = name
        self.number = number
        self.media = media
        self.clock = clock
        self.copper: SimFxsCopper | None = None
        self.slot = media.open()
        self.rx = media.rx(self.slot)
        self.tx = media.tx(self.slot)
        media.detect_dtmf(self.slot, True)
        self._tap = media.record(self.slot, 2 * media.tick_samples, "rx", ring=True)
        self.ear = Ear(country, media.tick_seconds * 1000)
        self.off_hook = False
        self.ringing = False
        self.rings = 0
        self.ring_on_ms: float | None = None  # the last complete ring burst
        self.ring_off_ms: float | None = None  # the last complete pause between rings
        self._ring_edge = 0.0
        self.clip: dict[str, Any] = {}  # the last CLIP message decoded
        self._clip_audio: bytearray | None = None
        self._clip_until = 0.0
        self.heard = ""

    # what a person does --------------------------------------------------------------
    def offhook(self) -> None:
        if self.off_hook:
            raise PhoneError(f"{self.name} is already off-hook")
        self.off_hook = True
        self.heard = ""
        self.ear.reset()
        self._end_clip()
        self._copper().loop(True)

    def onhook(self) -> None:
        if not self.off_hook:
            raise PhoneError(f"{self.name} is already on-hook")
        self.off_hook = False
        self.ear.reset()
        self.media.stop_play(self.slot)
        self._copper().loop(False)

    def flash(self) -> None:
        """The recall key: a timed loop break the port reads as a hook flash."""
        if not self.off_hook:
            raise PhoneError(f"{self.name} is on-hook: nothing to flash")
        self._copper().loop(False)
        self.clock.call_later(FLASH_TIME, self._flash_end)
        self.ear.reset()

    def _flash_end(self) -> None:
        if self.off_hook:
            self._copper().loop(True)

    def dial(self, digits: str) -> None:
        """Keys pressed off-hook: DTMF tones on the line (the box detects them)."""
        if not self.off_hook:
            raise PhoneError(f"{self.name} is on-hook: lift the handset to dial")
        try:
            self.media.send_dtmf(self.slot, digits)
        except EngineError as e:
            raise PhoneError(str(e)) from None

    def _copper(self) -> SimFxsCopper:
        if self.copper is None:
            raise PhoneError(f"{self.name} is not plugged into a port")
        return self.copper

    # what the line does to it -----------------------------------------------------------
    def ring_signal(self, on: bool) -> None:
        now = self.clock.now()
        if on == self.ringing:
            return
        if self.off_hook:  # ring trip: the port stopped ringing because we answered
            self.ringing = False
            return
        span = (now - self._ring_edge) * 1000
        if self.ringing:
            self.ring_on_ms = span
            # the CLIP burst comes after the first ring (EN 300 659-1): listen for it
            self._clip_audio = bytearray()
            self._clip_until = now + CLIP_WINDOW
        elif self.rings:
            self.ring_off_ms = span
        if on:
            self.rings += 1
            self._end_clip()
            if self.rings == 1:
                self.clip = {}
        self.ringing, self._ring_edge = on, now

    def media_event(self, event: MediaEvent) -> None:
        """The far engine's events: our tap's halves (what we hear), keys we heard."""
        if event.slot != self.slot:
            return
        if event.kind is EventKind.DIGIT:
            if self.off_hook:
                self.heard += event.digit
            return
        if event.kind is not EventKind.RECORD_FULL:
            return
        half = self._tap.data[event.value:event.value + self.media.tick_samples]
        if self.off_hook:
            self.ear.block(half)
        elif self._clip_audio is not None:
            self._clip_audio += half.tobytes()
            if self.clock.now() >= self._clip_until:
                self._end_clip()

    def _end_clip(self) -> None:
        audio, self._clip_audio = self._clip_audio, None
        if not audio or self.clip:
            return
        msg = clip.decode(bytes(audio))
        if msg is not None and msg.ok and msg.is_mdmf:
            try:
                self.clip = msg.fields() | {"type": f"0x{msg.type:02x}"}
            except ValueError:
                self.clip = {"error": "bad parameters"}

    def hears(self) -> str:
        if not self.off_hook:
            return "ringing" if self.ringing else "on-hook"
        return self.ear.hears()

    def status(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "number": self.number,
                "hook": "off" if self.off_hook else "on", "ringing": self.ringing,
                "rings": self.rings,
                "ring_cadence_ms": [None if v is None else round(v)
                                    for v in (self.ring_on_ms, self.ring_off_ms)],
                "clip": dict(self.clip), "hears": self.hears(), "heard": self.heard}
