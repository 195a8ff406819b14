"""The virtual exchange: the network (NT) side of the simulated trunk.

It runs the network-side stack (the same code as the box's own S0 port) on its end of
the bus and routes the box's calls into the virtual PSTN, where scripted subscribers
answer, ring out, are busy or reject. A subscriber can also call the box (`call_box`).
Once a call is answered, the exchange opens the call's B-channel on its end of the bus
(an engine slot of the far side, when there is one) and the subscriber's audio script
drives it: "echo" sends back what the box sends, "silence" sends nothing.
"""

from __future__ import annotations

import random
from typing import Any

from firmware.clock import Clock
from firmware.isdn.dss1.primitives import CallEvent, Ind
from firmware.isdn.line import IsdnLine
from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.ports.sim import SimPort
from firmware.sim.peer import SimPeer
from firmware.sim.pstn import Pstn, Subscriber

log = get_logger("sim.exchange")


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

    def call_box(self, called: str, calling: str) -> int:
        """A PSTN subscriber dials the box's number: SETUP towards the box. With both
        B-channels busy the exchange still offers it, as a waiting call without a
        channel (EN 300 403-1 5.2.3.1 c): the box then refuses it, or takes it."""
        call_id = self.line.dial(called, calling, no_channel_ok=True)
        self._callers[call_id] = calling
        return call_id

    def _on_call(self, line: IsdnLine, e: CallEvent) -> None:
        if e.ind is Ind.SETUP_IND:
            self._route(e.call, e.info.get("called", ""))
        elif e.ind is Ind.SETUP_CONF:  # the box answered a subscriber's call
            self._start_audio(e.call, self.pstn.lookup(self._callers.get(e.call, "")))
        elif e.ind is Ind.RELEASE_IND:
            self.causes[e.call] = e.cause
            self._callers.pop(e.call, None)
        elif e.ind is Ind.NOTIFY_IND and e.info.get("description") is not None:
            self.notifications.append((e.call, e.info["description"]))

    def b_slot(self, call_id: int) -> int | None:
        """The far-side engine slot carrying a call's audio (None: no audio path)."""
        return self.line.b_slot(call_id)

    def _start_audio(self, call_id: int, sub: Subscriber | None) -> None:
        """The subscriber's audio script, once the call is active (the line has opened
        its B-channel on our end of the bus)."""
        slot, media = self.line.b_slot(call_id), self.port.media
        if slot is not None and media is not None and (sub is None or sub.audio == "echo"):
            media.listen(slot, slot)

    def _press(self, call_id: int, keys: str) -> None:
        slot, media = self.line.b_slot(call_id), self.port.media
        if slot is not None and media is not None:
            media.send_dtmf(slot, keys)

    def _route(self, call_id: int, called: str) -> None:
        sub = self.pstn.lookup(called)
        self.routed += 1
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
