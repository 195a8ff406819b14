"""What both sides of DSS1 call control share: call references, the error rules of
Q.931 5.8, STATUS/STATUS ENQUIRY, clearing (5.3), restart (5.5) and the data-link
failure rules (5.8.9, T309). The user side (user.py) and network side (network.py) add
the establishment procedures.

Sans-I/O: every input returns a list of outputs (primitives.Out). Inputs are the bytes
of DL-DATA-IND / DL-UNITDATA-IND, data-link state changes, timer expiries and requests
from above (setup_req, alerting_req, ...). Calls are named by an id the engine gives.
"""

from __future__ import annotations

from collections.abc import Callable

from firmware.enums import members
from firmware.isdn.dss1.call import Call
from firmware.isdn.dss1.channels import BChannels
from firmware.isdn.dss1.primitives import (
    CallEvent,
    EstablishLink,
    Ind,
    Out,
    SendMessage,
    StartTimer,
    StopTimer,
)
from firmware.isdn.dss1.states import CLEARING, STABLE, CallState
from firmware.isdn.dss1.timers import Timers
from firmware.isdn.q931 import rose
from firmware.isdn.q931.causes import CauseValue, Location
from firmware.isdn.q931.codec import Decoded, decode
from firmware.isdn.q931.ies import (
    IE,
    BearerCapability,
    CalledPartyNumber,
    CallingPartyNumber,
    Cause,
    ChannelIdentification,
    Facility,
    KeypadFacility,
    NotificationIndicator,
    RestartIndicator,
    SendingComplete,
)
from firmware.isdn.q931.ies import CallState as CallStateIE
from firmware.isdn.q931.messages import MESSAGE_NAMES, Message, MessageType
from firmware.isdn.q931.rules import mandatory_ies, missing_mandatory

# Members read per message, bound for speed (firmware/enums.py): S.X is CallState.X.
MT = members(MessageType)
MT_ALL = tuple(MessageType)
S = members(CallState)
IND = members(Ind)
Handler = Callable[[Call, int | None, Message], list[Out]]

# Messages whose own procedures deal with a missing or bad mandatory IE (5.8.6.1).
_CLEARING_MESSAGES = (MT.DISCONNECT, MT.RELEASE, MT.RELEASE_COMPLETE)
MAX_CR = 127  # one-octet call references on a basic access
T322_TRIES = 2


DUMMY_CALL = 0  # the call id of events on the dummy call reference (real ids start at 1)


class NoCallReference(Exception):
    """Every call reference is taken (on a P-MP bus each broadcast offer keeps its own
    for T312 after the call): no new call until one is free."""


class CallControl:
    network_side = False
    # The state in which the peer's INFORMATION carries more called-number digits:
    # U25 overlap receiving on the user side, N2 overlap sending on the network side.
    DIGITS_STATE = CallState.OVERLAP_RECEIVING

    def __init__(self, *, ptp: bool, timers: Timers, channels: BChannels | None = None,
                 location: Location = Location.USER) -> None:
        self.ptp = ptp
        self.timers = timers
        self.channels = channels or BChannels()
        self.location = location
        self.calls: dict[int, Call] = {}
        self._by_key: dict[tuple[int | None, int, bool], Call] = {}
        self._next_id = 1
        self._next_cr = 1
        self._restart_tries = 0
        self._handlers: dict[int, Handler] = {
            MT.DISCONNECT: self._on_disconnect,
            MT.RELEASE: self._on_release,
            MT.RELEASE_COMPLETE: self._on_release_complete,
            MT.STATUS: self._on_status,
            MT.STATUS_ENQUIRY: self._on_status_enquiry,
            MT.NOTIFY: self._on_notify,
            MT.FACILITY: self._on_facility,
            MT.INFORMATION: self._on_information,
        }
        self._handlers.update(self.side_handlers())
        # message types that must carry some IE in the direction we receive (rules.py)
        self._mandatory = frozenset(
            t for t in MT_ALL if mandatory_ies(t, network_to_user=not self.network_side))

    # to be filled by each side --------------------------------------------------------
    def side_handlers(self) -> dict[int, Handler]:
        raise NotImplementedError

    def on_setup(self, tei: int | None, m: Message, d: Decoded) -> list[Out]:
        raise NotImplementedError

    # inputs -------------------------------------------------------------------------
    def receive(self, tei: int | None, data: bytes, broadcast: bool = False) -> list[Out]:
        """A layer-3 message from DL-DATA-IND (or DL-UNITDATA-IND when `broadcast`)."""
        d = decode(data)
        m = d.message
        if m is None:
            return []  # not Q.931
        if m.cr_len == 0:
            return self._dummy_message(m)
        if m.call_ref == 0:
            return self._global_message(tei, m)
        if m.type == MT.SETUP:
            if m.flag or self._find(tei, m) is not None:
                return []  # 5.8.3.2 d/e: a SETUP must name a new reference of the sender
            return self._checked_setup(tei, m, d)
        if broadcast:
            return []  # only SETUP is broadcast
        call = self._find(tei, m)
        if call is None:
            return self._unknown_reference(tei, m)
        return self._dispatch(call, tei, m, d)

    def timer_expiry(self, key: tuple) -> list[Out]:
        _, name, call_id = key
        if name == "T316":
            return self._t316_expiry()
        call = self.calls.get(call_id)
        if call is None or name not in call.timers:
            return []
        call.timers.discard(name)
        method = getattr(self, f"_{name.lower()}_expiry", None)
        return method(call) if method else []

    def dl_established(self, tei: int | None) -> list[Out]:
        """The data link is (again) up: ask the peer where every surviving call stands."""
        out: list[Out] = []
        for call in self._calls_on(tei):
            if call.dl_lost:
                call.dl_lost = False
                out += self._stop(call, "T309")
            out += self._status_enquiry(call)
        return out

    def dl_released(self, tei: int | None) -> list[Out]:
        """The data link failed: active calls wait under T309 while we keep asking for
        the link again (each attempt ends in another release if it fails); the other
        calls are cleared."""
        out: list[Out] = []
        waiting = False
        for call in self._calls_on(tei):
            if call.state in STABLE:
                waiting = True
                if not call.dl_lost:
                    call.dl_lost = True
                    out += self._start(call, "T309")
            else:
                out += self._free(call, CauseValue.TEMPORARY_FAILURE)
        if waiting:
            out.append(EstablishLink(tei))
        return out

    # requests from above shared by both sides -----------------------------------------
    def disconnect_req(self, call_id: int, cause: int = CauseValue.NORMAL_CALL_CLEARING
                       ) -> list[Out]:
        """Clear a call (Q.931 5.3.2). In CALL PRESENT it becomes a rejection."""
        call = self.calls.get(call_id)
        if call is None or call.state in CLEARING:
            return []
        if call.state == S.CALL_PRESENT and not call.ours:
            return self.reject_req(call_id, cause)
        return self._disconnect(call, cause)

    def reject_req(self, call_id: int, cause: int = CauseValue.CALL_REJECTED) -> list[Out]:
        """Refuse an offered call with RELEASE COMPLETE (Q.931 5.2.5.1 / 5.8)."""
        call = self.calls.get(call_id)
        if call is None:
            return []
        if call.state not in (S.CALL_PRESENT, S.CALL_INITIATED):
            return self.disconnect_req(call_id, cause)
        out = self._send(call, MT.RELEASE_COMPLETE, [self._cause(cause)])
        return out + self._free(call, cause)

    def info_req(self, call_id: int, digits: str = "", sending_complete: bool = False
                 ) -> list[Out]:
        raise NotImplementedError

    def status_enquiry_req(self, call_id: int) -> list[Out]:
        call = self.calls.get(call_id)
        return self._status_enquiry(call) if call else []

    def restart_req(self) -> list[Out]:
        """RESTART of the whole interface (Q.931 5.5.1): every call is cleared here."""
        out: list[Out] = []
        for call in list(self.calls.values()):
            out += self._free(call, CauseValue.TEMPORARY_FAILURE)
        self._restart_tries = 0
        return out + self._send_restart()

    # status -------------------------------------------------------------------------
    def status(self) -> list[dict]:
        return [{"call": c.id, "cr": c.cr, "ours": c.ours, "tei": c.tei,
                 "state": c.state.label(self.network_side), "channel": c.channel,
                 "called": c.called, "calling": c.calling, "hold": c.hold}
                for c in self.calls.values()]

    # dispatch and the error rules (Q.931 5.8) ---------------------------------------
    def _checked_setup(self, tei: int | None, m: Message, d: Decoded) -> list[Out]:
        problem = self._mandatory_problem(m, d) if m.type in self._mandatory else None
        if problem is not None:
            # 5.8.6.1 / 5.8.7.1: a SETUP we cannot take is refused at once
            return [self._reply(tei, m, MT.RELEASE_COMPLETE, [self._cause(problem)])]
        return self.on_setup(tei, m, d)

    def _dispatch(self, call: Call, tei: int | None, m: Message, d: Decoded) -> list[Out]:
        if m.type not in MESSAGE_NAMES:  # is_known(), per message
            return self._status(call, CauseValue.MESSAGE_TYPE_NONEXISTENT)
        problem = self._mandatory_problem(m, d) if m.type in self._mandatory else None
        if problem is not None:
            if m.type == MT.DISCONNECT:  # cleared all the same, with the error's cause
                m = Message(m.type, m.call_ref, m.flag, m.cr_len, [self._cause(problem)])
            elif m.type == MT.RELEASE:
                m = Message(m.type, m.call_ref, m.flag, m.cr_len, [self._cause(problem)])
            elif m.type != MT.RELEASE_COMPLETE:
                return self._status(call, problem)
        handler = self._handlers.get(m.type)
        if handler is None:
            return self._wrong_state(call)
        out = handler(call, tei, m)
        if d.errors and m.type not in _CLEARING_MESSAGES and call.state != S.NULL:
            if any(e.kind == "unrecognized" and e.codeset == 0 for e in d.errors):
                out += self._status(call, CauseValue.IE_NONEXISTENT)
            elif any(e.kind == "content" for e in d.errors):
                out += self._status(call, CauseValue.INVALID_IE_CONTENTS)
        return out

    def _mandatory_problem(self, m: Message, d: Decoded) -> CauseValue | None:
        needed = missing_mandatory(m, network_to_user=not self.network_side)
        if not needed:
            return None
        broken = {(e.codeset, e.ident) for e in d.errors if e.kind in ("content", "truncated")}
        if any((cls.CODESET, cls.ID) in broken for cls in needed):
            return CauseValue.INVALID_IE_CONTENTS
        return CauseValue.MANDATORY_IE_MISSING

    def _unknown_reference(self, tei: int | None, m: Message) -> list[Out]:
        """5.8.3.2: a message for a call reference we do not know."""
        if m.type == MT.RELEASE_COMPLETE:
            return []
        if m.type == MT.STATUS:
            state = _state_of(m)
            if state is None or state == S.NULL:
                return []
        if m.type == MT.STATUS_ENQUIRY:
            return [self._reply(tei, m, MT.STATUS, [
                self._cause(CauseValue.RESPONSE_TO_STATUS_ENQUIRY), CallStateIE(0)])]
        return [self._reply(tei, m, MT.RELEASE_COMPLETE,
                            [self._cause(CauseValue.INVALID_CALL_REFERENCE)])]

    def _global_message(self, tei: int | None, m: Message) -> list[Out]:
        if m.type == MT.RESTART:
            return self._on_restart(tei, m)
        if m.type == MT.RESTART_ACKNOWLEDGE:
            return [StopTimer(("q931", "T316", 0))]
        if m.type == MT.STATUS:
            return []
        # 5.8.3.1: any other message on the global call reference
        return [self._reply(tei, m, MT.STATUS, [
            self._cause(CauseValue.INVALID_CALL_REFERENCE), CallStateIE(0)])]

    # shared message handlers --------------------------------------------------------
    def _on_disconnect(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.state in (S.RELEASE_REQUEST, S.CALL_ABORT):
            return []
        cause = _cause_of(m)
        out = self._stop_all(call)
        if call.state not in CLEARING:
            out.append(CallEvent(IND.DISCONNECT_IND, call.id, cause))
        call.cause = cause
        # We answer with RELEASE at once: the box has no in-band announcement to wait for.
        out += self._send(call, MT.RELEASE, [])
        call.state = S.RELEASE_REQUEST
        return out + self._start(call, "T308")

    def _on_release(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.state == S.RELEASE_REQUEST:  # clear collision (5.3.5): no answer
            return self._free(call, call.cause or _cause_of(m))
        out = self._send(call, MT.RELEASE_COMPLETE, [])
        return out + self._free(call, call.cause if call.cause is not None else _cause_of(m))

    def _on_release_complete(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        return self._free(call, _cause_of(m) if call.cause is None else call.cause)

    def _on_status_enquiry(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        return self._status(call, CauseValue.RESPONSE_TO_STATUS_ENQUIRY)

    def _on_status(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        out = self._stop(call, "T322")
        call.t322_expiries = 0
        peer = _state_of(m)
        if peer == S.NULL:  # 5.8.11: the peer has no call: nor do we
            return out + self._free(call, CauseValue.WRONG_MESSAGE_FOR_STATE)
        return out

    def _on_notify(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        ie = m.get(NotificationIndicator)
        return [CallEvent(IND.NOTIFY_IND, call.id, info={
            "description": ie.description if ie is not None else None, "message": str(m)})]

    def _on_facility(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        """Supplementary-service operations (Q.932 ROSE) go up; unreadable ones are
        dropped (EN 300 196-1: a component that cannot be parsed is discarded)."""
        ie = m.get(Facility)
        try:
            components = rose.decode(ie.data) if ie is not None else []
        except rose.RoseError:
            return []
        if not components:
            return []
        return [CallEvent(IND.FACILITY_IND, call.id, info={"components": components})]

    def _dummy_message(self, m: Message) -> list[Out]:
        """The dummy call reference (Q.931 4.3, EN 300 196-1 8.3.2.2): FACILITY of a
        supplementary service outside any call (message waiting). Everything else on
        it belongs to services we do not offer and is ignored, as 8.3.2.2 allows."""
        if m.type != MT.FACILITY:
            return []
        ie, called = m.get(Facility), m.get(CalledPartyNumber)
        try:
            components = rose.decode(ie.data) if ie is not None else []
        except rose.RoseError:
            return []
        if not components:
            return []
        return [CallEvent(IND.FACILITY_IND, DUMMY_CALL, info={
            "components": components, "called": called.digits if called else "",
            "connectionless": True})]

    def connectionless_facility_req(self, *components: rose.Component, called: str = "",
                                    tei: int | None = None) -> list[Out]:
        """FACILITY on the dummy call reference: on a P-MP bus's network side a
        broadcast (UI frame) unless ``tei`` names one terminal; ``called`` addresses the
        served user (its MSN) as libpri's NT side does for MWI."""
        ies: list = [Facility(rose.facility_body(*components))]
        if called:
            ies.append(CalledPartyNumber(called))
        msg = Message(MT.FACILITY, 0, False, 0, ies)
        if self.network_side and self.ptp:
            tei = 0 if tei is None else tei
        broadcast = self.network_side and not self.ptp and tei is None
        return [SendMessage(msg, tei, broadcast=broadcast)]

    def facility_req(self, call_id: int, *components: rose.Component) -> list[Out]:
        call = self.calls.get(call_id)
        if call is None or call.state == S.NULL:
            return []
        return self._send(call, MT.FACILITY, [Facility(rose.facility_body(*components))])

    def _on_restart(self, tei: int | None, m: Message) -> list[Out]:
        """5.5.2: clear the calls on the restarted channels, then acknowledge."""
        indicator = m.get(RestartIndicator)
        channel = m.get(ChannelIdentification)
        out: list[Out] = []
        for call in list(self.calls.values()):
            if indicator is not None and indicator.restart_class == 0 and channel is not None \
                    and channel.channel != call.channel:
                continue
            out += self._free(call, CauseValue.TEMPORARY_FAILURE)
        out.append(CallEvent(IND.RESTART_IND, 0))
        ack = Message(MT.RESTART_ACKNOWLEDGE, 0, True, m.cr_len or 1, list(m.ies))
        return out + [SendMessage(ack, tei)]

    def _t316_expiry(self) -> list[Out]:
        self._restart_tries += 1
        if self._restart_tries >= 2:
            return []  # 5.5.1: give up and leave it to maintenance (logged by the line)
        return self._send_restart()

    def _send_restart(self) -> list[Out]:
        """RESTART of all interfaces (class 7) on the global call reference, under T316."""
        msg = Message(MT.RESTART, 0, False, 1, [RestartIndicator(7)])
        tei = 0 if self.network_side and self.ptp else None
        return [SendMessage(msg, tei, broadcast=self.network_side and not self.ptp),
                StartTimer(("q931", "T316", 0), self.timers.T316)]

    def _on_information(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        called, keypad = m.get(CalledPartyNumber), m.get(KeypadFacility)
        digits = (called.digits if called else "") + (keypad.digits if keypad else "")
        out: list[Out] = []
        if call.state == self.DIGITS_STATE:
            call.called += called.digits if called else ""
            out += self._start(call, "T302")
        return out + [CallEvent(IND.INFO_IND, call.id, info={
            "digits": digits, "sending_complete": m.get(SendingComplete) is not None})]

    # answering an offered call: both sides do it the same way -------------------------
    def _setup_ind(self, call: Call, m: Message, **info: object) -> CallEvent:
        """SETUP-IND for a call the peer offers, with what the SETUP says."""
        called, calling = m.get(CalledPartyNumber), m.get(CallingPartyNumber)
        call.called = called.digits if called else ""
        call.calling = calling.digits if calling else ""
        bearer = m.get(BearerCapability)
        return CallEvent(IND.SETUP_IND, call.id, info={
            "called": call.called, "calling": call.calling, "channel": call.channel, **info,
            "bearer": bearer.capability if bearer else None,
            "sending_complete": m.get(SendingComplete) is not None})

    def _offered(self, call_id: int, states: tuple[CallState, ...]) -> Call | None:
        """The call `call_id` if the peer offered it and it is in one of `states`."""
        call = self.calls.get(call_id)
        return call if call is not None and not call.ours and call.state in states else None

    def _respond(self, call_id: int, states: tuple[CallState, ...], new_state: CallState,
                 mtype: MessageType, start: str | None = None) -> list[Out]:
        """Answer an offered call with `mtype` (SETUP ACK, CALL PROCEEDING, ALERTING,
        CONNECT) carrying the channel, if it is in one of `states`."""
        call = self._offered(call_id, states)
        if call is None:
            return []
        call.state = new_state
        out = self._stop(call, "T302") + self._send(call, mtype, self._channel_ies(call))
        return out + self._start(call, start) if start else out

    def _channel_ies(self, call: Call) -> list[IE]:
        return [ChannelIdentification(channel=call.channel, exclusive=True)] \
            if call.channel is not None else []

    # shared timers ------------------------------------------------------------------
    def _t302_expiry(self, call: Call) -> list[Out]:
        return [CallEvent(IND.INFO_IND, call.id, info={"digits": "", "timeout": True})]

    def _t305_expiry(self, call: Call) -> list[Out]:
        out = self._send(call, MT.RELEASE, [self._cause(call.cause or 16)])
        call.state = S.RELEASE_REQUEST
        return out + self._start(call, "T308")

    def _t308_expiry(self, call: Call) -> list[Out]:
        call.t308_expiries += 1
        if call.t308_expiries == 1:
            out = self._send(call, MT.RELEASE, [self._cause(call.cause or 16)])
            return out + self._start(call, "T308")
        return self._free(call, call.cause or CauseValue.RECOVERY_ON_TIMER_EXPIRY)

    def _t309_expiry(self, call: Call) -> list[Out]:
        return self._free(call, CauseValue.TEMPORARY_FAILURE)

    def _t322_expiry(self, call: Call) -> list[Out]:
        call.t322_expiries += 1
        if call.t322_expiries < T322_TRIES:
            return self._status_enquiry(call)
        return self._clear_on_timeout(call)

    def _clear_on_timeout(self, call: Call) -> list[Out]:
        """A timer ran out where Q.931 says to clear with cause 102."""
        out: list[Out] = [
            CallEvent(IND.DISCONNECT_IND, call.id, CauseValue.RECOVERY_ON_TIMER_EXPIRY)]
        return out + self._disconnect(call, CauseValue.RECOVERY_ON_TIMER_EXPIRY)

    def _disconnect(self, call: Call, cause: int) -> list[Out]:
        """Start clearing from our side (5.3.3 user / 5.3.4 network): DISCONNECT, T305."""
        call.cause = cause
        out = self._stop_all(call)
        out += self._send(call, MT.DISCONNECT, [self._cause(cause)])
        call.state = S.DISCONNECT_INDICATION if self.network_side else S.DISCONNECT_REQUEST
        return out + self._start(call, "T305")

    # building blocks ----------------------------------------------------------------
    def _new_call(self, cr: int, ours: bool, tei: int | None) -> Call:
        call = Call(self._next_id, cr, ours, tei)
        self._next_id += 1
        self.calls[call.id] = call
        self._by_key[self._key(tei, cr, ours)] = call
        return call

    def _crs_in_use(self) -> set[int]:
        return {c.cr for c in self.calls.values() if c.ours}

    def _allocate_cr(self) -> int:
        in_use = self._crs_in_use()
        for _ in range(MAX_CR):
            cr = self._next_cr
            self._next_cr = cr % MAX_CR + 1
            if cr not in in_use:
                return cr
        raise NoCallReference(f"all {MAX_CR} call references are in use")

    def _key(self, tei: int | None, cr: int, ours: bool) -> tuple[int | None, int, bool]:
        return (tei if self.network_side else None, cr, ours)

    def _find(self, tei: int | None, m: Message) -> Call | None:
        # flag set: the message goes to the side that allocated the reference, i.e. us
        return self._by_key.get((tei if self.network_side else None, m.call_ref, m.flag))

    def _rekey(self, call: Call, tei: int | None) -> None:
        self._by_key.pop(self._key(call.tei, call.cr, call.ours), None)
        call.tei = tei
        self._by_key[self._key(tei, call.cr, call.ours)] = call

    def _calls_on(self, tei: int | None) -> list[Call]:
        if not self.network_side or self.ptp:
            return list(self.calls.values())
        return [c for c in self.calls.values() if c.tei == tei]

    def _free(self, call: Call, cause: int | None) -> list[Out]:
        out = self._stop_all(call)
        self.channels.release(call.id)
        self.calls.pop(call.id, None)
        key = self._key(call.tei, call.cr, call.ours)
        if self._by_key.get(key) is call:
            del self._by_key[key]
        call.state = S.NULL
        if not call.reported:
            call.reported = True
            out.append(CallEvent(IND.RELEASE_IND, call.id, cause))
        return out

    def _send(self, call: Call, mtype: MessageType, ies: list[IE],
              tei: int | None = None) -> list[Out]:
        msg = Message(mtype, call.cr, not call.ours, 1, ies)
        return [SendMessage(msg, call.tei if tei is None else tei)]

    def _reply(self, tei: int | None, m: Message, mtype: MessageType, ies: list[IE]
               ) -> SendMessage:
        return SendMessage(Message(mtype, m.call_ref, not m.flag, m.cr_len or 1, ies), tei)

    def _cause(self, value: int) -> Cause:
        return Cause(int(value), int(self.location))

    def _status(self, call: Call, cause: int) -> list[Out]:
        return self._send(call, MT.STATUS, [self._cause(cause), CallStateIE(int(call.state))])

    def _wrong_state(self, call: Call) -> list[Out]:
        """5.8.4: a known message that does not fit the call's state."""
        return self._status(call, CauseValue.WRONG_MESSAGE_FOR_STATE)

    def _status_enquiry(self, call: Call) -> list[Out]:
        return self._send(call, MT.STATUS_ENQUIRY, []) + self._start(call, "T322")

    def _start(self, call: Call, name: str) -> list[Out]:
        call.timers.add(name)
        return [StartTimer(("q931", name, call.id), getattr(self.timers, name))]

    def _stop(self, call: Call, *names: str) -> list[Out]:
        out: list[Out] = []
        for name in names:
            if name in call.timers:
                call.timers.discard(name)
                out.append(StopTimer(("q931", name, call.id)))
        return out

    def _stop_all(self, call: Call) -> list[Out]:
        return self._stop(call, *sorted(call.timers)) if call.timers else []


def _cause_of(m: Message) -> int | None:
    cause = m.get(Cause)
    return cause.value if cause is not None else None


def _state_of(m: Message) -> CallState | None:
    ie = m.get(CallStateIE)
    if ie is None:
        return None
    try:
        return CallState(ie.value)
    except ValueError:
        return None
