"""The virtual exchange: the network (NT) side of the simulated trunk.

It runs the network-side stack (the same code as the box's own S0 port) on its end of
the bus and routes the box's calls into the virtual PSTN, where scripted subscribers
answer, ring out, are busy or reject. A subscriber can also call the box (`call_box`).
Once a call is answered, the exchange opens the call's B-channel on its end of the bus
(an engine slot of the far side, when there is one) and the subscriber's audio script
drives it: "echo" sends back what the box sends, "silence" sends nothing (callers
placed through the API are silent). Either way the subscriber hears DTMF and can key
digits (``subscriber_dtmf``, ``subscriber_heard``), as a person on the phone would.
"""

from __future__ import annotations

import random
from typing import Any

from firmware.clock import Clock
from firmware.isdn.dss1.primitives import CallEvent, Ind
from firmware.isdn.line import IsdnLine
from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.media.engine import EngineError
from firmware.ports.sim import SimPort
from firmware.sim.peer import SimPeer
from firmware.sim.pstn import Pstn, Subscriber

log = get_logger("sim.exchange")

KEEP_HEARD = 64  # subscribers whose last call's DTMF stays readable after it ended


class SubscriberError(Exception):
    """What a subscriber cannot do now (keys without a call with audio)."""


class VirtualExchange(SimPeer):
    kind = "exchange"

    def __init__(self, name: str, port: SimPort, clock: Clock, rng: random.Random,
                 pstn: Pstn | None = None) -> None:
        super().__init__(name, port, clock, rng)
        self.pstn = pstn or Pstn()
        self.clock = clock
        self.line.on_call = self._on_call
        self.routed = 0
        self.causes: dict[int, int | None] = {}  # call id -> the cause it ended with
        self.notifications: list[tuple[int, int]] = []  # (call id, NOTIFY description)
        self._callers: dict[int, str] = {}  # the exchange's own calls -> calling number
        self._numbers: dict[int, str] = {}  # call id -> the subscriber in it, while it lasts
        self._heard: dict[int, str] = {}  # call id -> DTMF the subscriber heard in it
        # subscriber -> DTMF it heard in its last call that ended (the newest few)
        self._last_heard: dict[str, str] = {}

    def call_box(self, called: str, calling: str) -> int:
        """A PSTN subscriber dials the box's number: SETUP towards the box. With both
        B-channels busy the exchange still offers it, as a waiting call without a
        channel (EN 300 403-1 5.2.3.1 c): the box then refuses it, or takes it."""
        call_id = self.line.dial(called, calling, no_channel_ok=True)
        self._callers[call_id] = calling
        self._numbers[call_id] = calling
        return call_id

    def _on_call(self, line: IsdnLine, e: CallEvent) -> None:
        if e.ind is Ind.SETUP_IND:
            self._route(e.call, e.info.get("called", ""))
        elif e.ind is Ind.SETUP_CONF:  # the box answered a subscriber's call
            self._start_audio(e.call, self.pstn.lookup(self._callers.get(e.call, "")))
        elif e.ind is Ind.RELEASE_IND:
            self.causes[e.call] = e.cause
            self._callers.pop(e.call, None)
            self._call_over(e.call)
        elif e.ind is Ind.NOTIFY_IND and e.info.get("description") is not None:
            self.notifications.append((e.call, e.info["description"]))

    def b_slot(self, call_id: int) -> int | None:
        """The far-side engine slot carrying a call's audio (None: no audio path)."""
        return self.line.b_slot(call_id)

    # a subscriber in a call with the box ------------------------------------------------
    def subscriber_call(self, number: str) -> int:
        """The call (id) the subscriber ``number`` is in with the box; KeyError if none."""
        for call_id, other in self._numbers.items():
            if other == number:
                return call_id
        raise KeyError(f"subscriber {number} is in no call with the box")

    def subscriber_dtmf(self, number: str, digits: str) -> None:
        """The subscriber presses keys: DTMF tones in the call's audio (in-band)."""
        slot = self.line.b_slot(self.subscriber_call(number))
        if slot is None or self.port.media is None:
            raise SubscriberError(f"subscriber {number} has no call with audio to key "
                                  f"digits into")
        try:
            self.port.media.send_dtmf(slot, digits)
        except EngineError as e:
            raise SubscriberError(str(e)) from None

    def subscriber_heard(self, number: str) -> str:
        """DTMF digits the subscriber hears in its call (or heard in its last one)."""
        try:
            return self._heard.get(self.subscriber_call(number), "")
        except KeyError:
            if number in self._last_heard:
                return self._last_heard[number]
            raise KeyError(f"subscriber {number} had no call with the box") from None

    def subscriber_hangup(self, number: str) -> None:
        self.line.hangup(self.subscriber_call(number))

    def heard_digit(self, slot: int, digit: str) -> None:
        """The far side's engine decoded a key in some slot's audio: one of our calls?"""
        for call_id in self._numbers:
            if self.line.b_slot(call_id) == slot:
                self._heard[call_id] = self._heard.get(call_id, "") + digit
                return

    def _start_audio(self, call_id: int, sub: Subscriber | None) -> None:
        """The subscriber's audio script, once the call is active (the line has opened
        its B-channel on our end of the bus). A directory subscriber follows its
        script; a caller placed through the API sends only the keys it is told to."""
        slot, media = self.line.b_slot(call_id), self.port.media
        if slot is None or media is None:
            return
        media.detect_dtmf(slot)
        self._heard[call_id] = ""
        if sub is not None and sub.audio == "echo":
            media.listen(slot, slot)

    def _call_over(self, call_id: int) -> None:
        number = self._numbers.pop(call_id, None)
        heard = self._heard.pop(call_id, None)
        if number is None or heard is None:
            return
        self._last_heard.pop(number, None)
        self._last_heard[number] = heard
        while len(self._last_heard) > KEEP_HEARD:
            del self._last_heard[next(iter(self._last_heard))]

    def _press(self, call_id: int, keys: str) -> None:
        slot, media = self.line.b_slot(call_id), self.port.media
        if slot is not None and media is not None:
            media.send_dtmf(slot, keys)

    def _route(self, call_id: int, called: str) -> None:
        sub = self.pstn.lookup(called)
        self.routed += 1
        self._numbers[call_id] = called
        if sub is None:
            self.line.reject(call_id, CauseValue.UNALLOCATED_NUMBER)
            return
        if sub.refusal is not None:
            self.line.reject(call_id, sub.refusal)
            return
        self.line.proceed(call_id)
        self.clock.call_later(0.1, self._safely, self.line.alert, call_id)
        if sub.behaviour == "answer":
            self.clock.call_later(sub.ring_seconds, self._safely, self._answer, call_id, sub)

    def _answer(self, call_id: int, sub: Subscriber) -> None:
        self.line.answer(call_id)
        self._start_audio(call_id, sub)
        if sub.keys:
            self.clock.call_later(sub.keys_after, self._safely, self._press, call_id, sub.keys)
        if sub.hangup_after is not None:
            self.clock.call_later(sub.hangup_after, self._safely, self.line.hangup, call_id)

    def _safely(self, action, *args) -> None:
        """Scripted steps run later; the call may have been cleared meanwhile."""
        if args and args[0] in self.line.cc.calls:
            action(*args)

    def status(self) -> dict[str, Any]:
        return super().status() | {"subscribers": len(self.pstn.subscribers),
                                   "calls": len(self.line.cc.calls)}
