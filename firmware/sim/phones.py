"""Simulated ISDN phones on the box's internal S0 bus (each one a TE with its own MSN).

A phone rings when a SETUP for its MSN arrives (ALERTING), and a person — the API, a
test, or its auto-answer setting — answers, dials or hangs up. A SETUP while it is in
a call is refused as busy (cause 17), as a single-line phone without call waiting does.
"""

from __future__ import annotations

import random
from typing import Any

from firmware.clock import Clock
from firmware.isdn.dss1.primitives import CallEvent, Ind
from firmware.isdn.line import CallError, IsdnLine
from firmware.isdn.q931.causes import CauseValue
from firmware.ports.sim import SimPort
from firmware.sim.peer import SimPeer

IDLE, RINGING, CALLING, CONNECTED = "idle", "ringing", "calling", "connected"


class PhoneError(Exception):
    """What a person could not do on the phone now (answer when nothing rings...)."""


class SimIsdnPhone(SimPeer):
    kind = "isdn-phone"

    def __init__(self, name: str, port: SimPort, clock: Clock, rng: random.Random,
                 msn: str, auto_answer: float | None = None) -> None:
        super().__init__(name, port, clock, rng, msns=(msn,))
        self.msn = msn
        self.clock = clock
        self.auto_answer = auto_answer
        self.state = IDLE
        self.call: int | None = None
        self.peer_number = ""  # the caller's number on the display, or the one we dialled
        self.last_cause: int | None = None
        self.line.on_call = self._on_call

    def power_on(self) -> None:
        """A terminal plugged into the bus brings layer 1 up and gets its TEI."""
        self.line.start()

    # what a person does ------------------------------------------------------------
    def answer(self) -> None:
        if self.state != RINGING or self.call is None:
            raise PhoneError(f"{self.name} is not ringing")
        self.line.answer(self.call)
        self.state = CONNECTED

    def dial(self, number: str, complete: bool = True) -> None:
        """Dial en bloc, or with complete=False the first digits of overlap sending
        (``more_digits`` sends the rest)."""
        if self.state != IDLE:
            raise PhoneError(f"{self.name} is busy ({self.state})")
        try:
            self.call = self.line.dial(number, self.msn, sending_complete=complete)
        except CallError as e:
            raise PhoneError(str(e)) from None
        self.state, self.peer_number = CALLING, number

    def more_digits(self, digits: str, complete: bool = False) -> None:
        if self.state != CALLING or self.call is None:
            raise PhoneError(f"{self.name} is not dialling")
        self.line.send_digits(self.call, digits, complete)
        self.peer_number += digits

    def hangup(self) -> None:
        if self.call is None:
            raise PhoneError(f"{self.name} has no call")
        if self.state == RINGING:
            self.line.reject(self.call, CauseValue.CALL_REJECTED)
        else:
            self.line.hangup(self.call)

    # what the line tells it ----------------------------------------------------------
    def _on_call(self, line: IsdnLine, e: CallEvent) -> None:
        if e.ind is Ind.SETUP_IND:
            if self.call is not None:
                line.reject(e.call, CauseValue.USER_BUSY)
                return
            self.call, self.state = e.call, RINGING
            self.peer_number = e.info.get("calling", "")
            line.alert(e.call)
            if self.auto_answer is not None:
                self.clock.call_later(self.auto_answer, self._auto_answer, e.call)
        elif e.call != self.call:
            return
        elif e.ind is Ind.SETUP_CONF:
            self.state = CONNECTED
        elif e.ind is Ind.RELEASE_IND:
            self.call, self.state, self.last_cause = None, IDLE, e.cause

    def _auto_answer(self, call_id: int) -> None:
        if self.call == call_id and self.state == RINGING:
            self.answer()

    def status(self) -> dict[str, Any]:
        return super().status() | {"msn": self.msn, "state": self.state,
                                   "peer": self.peer_number, "last_cause": self.last_cause}
