"""Legs and calls: the switch's records of who is connected to whom.

A leg is one call on one line (the trunk, or the box's own S0 bus), seen from the box.
A PBX call joins an A leg (the party that started it) with B legs: while ringing there
may be several (a group), once answered there is one. Each PBX call leaves one CDR.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from firmware.clock import TimerHandle
from firmware.isdn.line import IsdnLine
from firmware.pbx.config import Extension


class PbxError(Exception):
    """A request the switch cannot carry out; the message says why."""


class Role(enum.Enum):
    CALLER = "caller"  # the A leg of a call offered to the box
    ORIGIN = "origin"  # the A leg of a call the box places itself (originate, callback)
    CALLEE = "callee"  # a B leg: a party the box rings for the A leg


class CallState(enum.Enum):
    ROUTING = "routing"  # digits being collected or the origin leg ringing
    RINGING = "ringing"  # B legs are being offered
    CONNECTED = "connected"
    CLEARING = "clearing"


@dataclass(eq=False)
class Leg:
    line: IsdnLine
    call_id: int
    role: Role
    number: str  # the party at the far end of this leg (an MSN, an outside number)
    extension: Extension | None = None  # the internal extension behind this leg, if any
    alerting: bool = False
    answered: bool = False
    clearing: bool = False
    released: bool = False
    cause: int | None = None
    held: bool = False  # this party is on hold (it hears music on hold, if any)
    fallback: tuple[str, ...] = ()  # outside calls: the next lines if this one is congested
    dialled_for: Extension | None = None  # outside calls: whose number they present

    @property
    def id(self) -> str:
        return f"{self.line.port.name}:{self.call_id}"

    @property
    def channel(self) -> int | None:
        call = self.line.cc.calls.get(self.call_id)
        return call.channel if call is not None else None

    def status(self) -> dict[str, Any]:
        return {"channel": self.id, "role": self.role.value, "number": self.number,
                "extension": self.extension.number if self.extension else None,
                "b_channel": self.channel, "answered": self.answered,
                "alerting": self.alerting, "clearing": self.clearing, "held": self.held}


@dataclass
class OriginateHooks:
    """What the owner of an originated call (the callback service) hears.

    ``answered(call)``: the first party answered; return False to hold the second stage
    (then ``Switch.proceed_originate``). ``connected(call)``: the second party answered.
    ``ended(call)``: the call is over; ``call.stage`` says how far it got (1: the first
    party never answered; 2: it did) and ``call.failure_cause`` why it failed."""

    answered: Callable[[PbxCall], bool] | None = None
    connected: Callable[[PbxCall], None] | None = None
    ended: Callable[[PbxCall], None] | None = None


@dataclass(eq=False)
class PbxCall:
    id: str
    direction: str  # "in" (from the trunk), "out" (to the trunk) or "internal"
    src: str
    dst: str
    msn: str
    started: float
    a: Leg | None = None  # None while an originated call rings its first party
    state: CallState = CallState.ROUTING
    b: list[Leg] = field(default_factory=list)
    connected: Leg | None = None
    answered_at: float | None = None
    pending: list[str] = field(default_factory=list)  # hunt: numbers still to try
    hunt_group: Any = None  # the Group being hunted (None once it overflowed)
    hunt_seconds: float = 15  # how long each hunt step rings
    hunt_caller: Extension | None = None  # whose barring an originated call dials with
    stage: int = 0  # originated calls: 1 ringing the first party, 2 then the second
    first_gone: Leg | None = None  # the leg whose clearing ended the call
    hooks: OriginateHooks | None = None
    timers: list[TimerHandle] = field(default_factory=list)
    failure_cause: int | None = None  # the best cause seen from B legs that failed
    linkedid: str = ""
    digits: str = ""  # overlap: what the A leg has dialled so far
    record: bool = True  # False: a feature-code call, which leaves no CDR row
    extra: list[Leg] = field(default_factory=list)  # conference parties beyond a, connected
    controller: Leg | None = None  # the extension that made the conference
    app: Any = None  # a service of the box's own that answered (voicemail_call.py)
    second_ring_seconds: float = 0  # originate: how long the second party rings (0: no limit)
    box_answered: bool = False  # the box answered the caller itself (voicemail, menu)
    groups: list[str] = field(default_factory=list)  # the groups it rang (their settings apply)
    userfield: str = ""  # the CDR's userfield: the recordings' file names

    def parties(self) -> list[Leg]:
        """Who talks in the call: the A leg, the answering leg, conference parties."""
        return [leg for leg in (self.a, self.connected, *self.extra)
                if leg is not None and not leg.clearing]

    def legs(self) -> list[Leg]:
        return [self.a, *self.b] if self.a is not None else list(self.b)

    def cancel_timers(self) -> None:
        for handle in self.timers:
            handle.cancel()
        self.timers.clear()

    def status(self) -> dict[str, Any]:
        return {"call": self.id, "state": self.state.value, "direction": self.direction,
                "from": self.src, "to": self.dst, "msn": self.msn,
                "started": self.started, "answered": self.answered_at,
                "legs": [leg.status() for leg in self.legs() if not leg.released],
                "linkedid": self.linkedid, "conference": bool(self.extra),
                "app_step": self._app_step()}

    def _app_step(self) -> str | None:
        """Where a box-answered call is (voicemail, greeting: "recording"...)."""
        step = getattr(self.app, "step", None)
        return getattr(step, "value", None)
