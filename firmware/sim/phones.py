"""Simulated ISDN phones on the box's internal S0 bus (each one a TE with its own MSN).

A phone rings when a SETUP for its MSN arrives (ALERTING), and a person — the API, a
test, or its auto-answer setting — answers, dials or hangs up. Like a real ISDN
phone it can hold its call (DSS1 HOLD), place a consultation call meanwhile and take
the held call back (RETRIEVE), and a second call offered while it is in one waits
(it alerts; the person holds or ends the first call, then answers). A third call is
refused as busy (cause 17). With one call held and one in hand, ``transfer`` asks the
box for an explicit call transfer (EN 300 369-1: FACILITY, ROSE EctExecute): the two
far ends are joined and the box clears both calls from the phone. Its message-waiting
lamp follows the box's MWI (EN 300 745-1: MWIIndicate with the count of new messages,
MWIDeactivate) in FACILITY on the dummy call reference addressed to its MSN.
"""

from __future__ import annotations

import random
from typing import Any

from firmware.clock import Clock
from firmware.isdn.dss1.primitives import CallEvent, Ind
from firmware.isdn.line import CallError, IsdnLine
from firmware.isdn.q931 import rose
from firmware.isdn.q931.causes import CauseValue
from firmware.media.engine import EngineError
from firmware.ports.sim import SimPort
from firmware.sim.peer import SimPeer

IDLE, RINGING, CALLING, CONNECTED = "idle", "ringing", "calling", "connected"
HANGING_UP = "hanging-up"  # on the hook, the network has not released the call yet
ACTIONS = ("answer", "dial", "digits", "hangup", "hold", "retrieve", "transfer", "dtmf",
           "heard", "status")  # heard, status: only the status (keys heard, the lamp)


class PhoneError(Exception):
    """What a person could not do on the phone now (answer when nothing rings...)."""


class SimIsdnPhone(SimPeer):
    kind = "isdn-phone"

    def __init__(self, name: str, port: SimPort, clock: Clock, rng: random.Random,
                 msn: str, auto_answer: float | None = None,
                 more_msns: tuple[str, ...] = ()) -> None:
        # its layer 3 takes offers for any of its MSNs; ``msn`` is the one it calls with
        super().__init__(name, port, clock, rng, msns=(msn, *more_msns))
        self.msn, self.msns = msn, (msn, *more_msns)
        self.called_msn = ""
        self.clock = clock
        self.auto_answer = auto_answer
        self.state = IDLE
        self.call: int | None = None  # the call in hand: ringing, dialling or talking
        self.held: int | None = None  # a call on hold
        self.waiting: int | None = None  # a second call offered while in one
        self.peer_number = ""  # the caller's number on the display, or the one we dialled
        self.last_cause: int | None = None
        self.notifications: list[int] = []  # NOTIFY descriptions from the box
        self.last_error: str = ""  # the box's answer to a refused operation (transfer)
        self.heard = ""  # DTMF digits heard on the call in hand (its audio, decoded)
        self.mwi_lamp = False  # message waiting: the lamp the box switches (MWI)
        self.mwi_messages = 0  # the count of new messages it shows
        self._invoke_ids = iter(range(1, 1 << 15))
        self.line.on_call = self._on_call

    def power_on(self) -> None:
        """A terminal plugged into the bus brings layer 1 up and gets its TEI."""
        self.line.start()

    # what a person does ------------------------------------------------------------
    def answer(self) -> None:
        if self.call is None and self.waiting is not None:  # the waiting call
            self.call, self.waiting, self.state = self.waiting, None, RINGING
        if self.state != RINGING or self.call is None:
            raise PhoneError(f"{self.name} is not ringing" if self.waiting is None else
                             f"{self.name}: hold or hang up the call first")
        self.line.answer(self.call)
        self.state = CONNECTED
        self._listen()  # the network may acknowledge later: SETUP_COMPLETE_IND listens then

    def send_dtmf(self, digits: str) -> None:
        """Press keys during a call: DTMF tones in the call's audio (not signalling)."""
        slot = self._slot()
        if self.state != CONNECTED or slot is None:
            raise PhoneError(f"{self.name} has no call with audio to send keys in")
        try:
            self.port.media.send_dtmf(slot, digits)
        except EngineError as e:
            raise PhoneError(str(e)) from None

    def heard_digit(self, slot: int, digit: str) -> None:
        """The far side's engine decoded a key in some slot's audio: ours?"""
        if slot is not None and slot == self._slot():
            self.heard += digit

    def _slot(self) -> int | None:
        if self.call is None or self.port.media is None:
            return None
        return self.line.b_slot(self.call)

    def _listen(self) -> None:
        """A call starts talking: what it hears is searched for DTMF."""
        self.heard = ""
        slot = self._slot()
        if slot is not None:
            self.port.media.detect_dtmf(slot, True)

    def hold(self) -> None:
        if self.state != CONNECTED or self.call is None:
            raise PhoneError(f"{self.name} has no call to hold")
        if self.held is not None:
            raise PhoneError(f"{self.name} already holds a call")
        self.line.hold(self.call)

    def retrieve(self) -> None:
        if self.held is None:
            raise PhoneError(f"{self.name} holds no call")
        if self.call is not None:
            raise PhoneError(f"{self.name}: hang up the call in hand first")
        self.line.retrieve(self.held)

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
        if self.call is None and self.held is not None:
            self.line.hangup(self.held)  # nothing in hand: end the held call
            return
        if self.call is None or self.state == HANGING_UP:
            raise PhoneError(f"{self.name} has no call")
        if self.state == RINGING:
            self.line.reject(self.call, CauseValue.CALL_REJECTED)
        else:
            self.line.hangup(self.call)
        if self.call is not None:  # the release may already be through
            self.state = HANGING_UP

    def transfer(self) -> None:
        if self.held is None or self.call is None or self.state != CONNECTED:
            raise PhoneError(f"{self.name}: transfer needs a held call and one in hand")
        self.line.facility(self.call, rose.Invoke(next(self._invoke_ids), rose.ECT_EXECUTE))

    # what the line tells it ----------------------------------------------------------
    def _on_call(self, line: IsdnLine, e: CallEvent) -> None:
        ind = e.ind
        if ind is Ind.SETUP_IND:
            if self.call is None:
                self.call, self.state = e.call, RINGING
            elif self.waiting is None and self.state == CONNECTED:
                self.waiting = e.call  # call waiting: it alerts beside the call in hand
            else:
                line.reject(e.call, CauseValue.USER_BUSY)
                return
            self.peer_number = e.info.get("calling", "")
            self.called_msn = e.info.get("called", "")  # which of its numbers rings
            line.alert(e.call)
            if self.auto_answer is not None and self.call == e.call:
                self.clock.call_later(self.auto_answer, self._auto_answer, e.call)
        elif ind is Ind.NOTIFY_IND and e.info.get("description") is not None:
            self.notifications.append(e.info["description"])
        elif ind is Ind.FACILITY_IND and e.info.get("connectionless"):
            if e.info.get("called") in ("", *self.msns):  # for us (or the whole bus)
                self._message_waiting(e.info["components"])
        elif ind is Ind.FACILITY_IND:
            for c in e.info["components"]:
                if isinstance(c, rose.ReturnError):
                    self.last_error = f"error {c.error}"
                elif isinstance(c, rose.Reject):
                    self.last_error = f"rejected (problem {c.problem_tag}.{c.problem})"
        elif ind is Ind.RELEASE_IND:
            self._released(e.call, e.cause)
        elif e.call != self.call and e.call != self.held:
            return
        elif ind is Ind.SETUP_CONF:
            self.state = CONNECTED
            self._listen()
        elif ind is Ind.SETUP_COMPLETE_IND:  # our CONNECT acknowledged: now it talks
            self._listen()
        elif ind is Ind.HOLD_ACK_IND:
            self.held, self.call = self.call, None
            self._next_in_hand()
        elif ind is Ind.HOLD_REJECT_IND or ind is Ind.RETRIEVE_REJECT_IND:
            self.last_cause = e.cause
        elif ind is Ind.RETRIEVE_ACK_IND and self.call is None:
            self.call, self.held, self.state = self.held, None, CONNECTED
            self._listen()

    def _message_waiting(self, components: list) -> None:
        for c in components:
            if not isinstance(c, rose.Invoke):
                continue
            if c.opcode == rose.MWI_INDICATE:
                try:
                    count = rose.mwi_count(c.argument)
                except rose.RoseError:
                    continue
                self.mwi_lamp = True
                self.mwi_messages = count if count is not None else max(1, self.mwi_messages)
            elif c.opcode == rose.MWI_DEACTIVATE:
                self.mwi_lamp, self.mwi_messages = False, 0

    def _released(self, call: int, cause: int | None) -> None:
        if call == self.call:
            self.call, self.last_cause = None, cause
            self._next_in_hand()
        elif call == self.held:
            self.held = None
        elif call == self.waiting:
            self.waiting = None

    def _next_in_hand(self) -> None:
        """The call in hand is gone (or held): a waiting call now rings in its place."""
        if self.waiting is not None:
            self.call, self.waiting, self.state = self.waiting, None, RINGING
        else:
            self.state = IDLE

    def _auto_answer(self, call_id: int) -> None:
        if self.call == call_id and self.state == RINGING:
            self.answer()

    def status(self) -> dict[str, Any]:
        return super().status() | {"msn": self.msn, "msns": list(self.msns),
                                   "called_msn": self.called_msn, "state": self.state,
                                   "peer": self.peer_number, "last_cause": self.last_cause,
                                   "held": self.held is not None,
                                   "waiting": self.waiting is not None,
                                   "notifications": list(self.notifications),
                                   "last_error": self.last_error, "heard": self.heard,
                                   "mwi": {"lamp": self.mwi_lamp,
                                           "messages": self.mwi_messages}}
