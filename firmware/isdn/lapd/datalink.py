"""Q.921 data-link entity: one (SAPI, TEI) link, from TEI unassigned to timer recovery.

Theory of operation
-------------------
States and their numbers are those of Q.921's SDL (Annex B / figure B.3):

    1 TEI_UNASSIGNED          no TEI; layer 3 asking for the link triggers assignment
    2 ASSIGN_AWAITING_TEI     unit data waits for a TEI
    3 ESTABLISH_AWAITING_TEI  establishment waits for a TEI
    4 TEI_ASSIGNED            TEI known, no multiple-frame operation
    5 AWAITING_ESTABLISHMENT  SABME sent, T200 running
    6 AWAITING_RELEASE        DISC sent, T200 running
    7 MULTIPLE_FRAME_ESTABLISHED
    8 TIMER_RECOVERY          T200 expired (or T203 idle poll); enquiring with P=1

Every input is an Event; TRANSITIONS maps (state, event) to the handler that carries
out the SDL path, and a pair missing from the table is ignored (Q.921 5.8.x: frames
that do not fit the state are discarded). Handlers append outputs (frames, timer
requests, DL indications, MDL errors) to a list that the caller gets back. The link
never touches a socket or a clock. T200 and T203 move on nearly every frame, so the
link keeps their deadlines itself, from the time of the input being handled (`time`,
set by the entity with each input): starting, restarting or stopping one is an
assignment. It asks the driver for a clock callback (ArmTimer) only when none is armed
early enough, and when the callback comes (`timer_due`) the timer expires, or a
callback is asked for the rest if the deadline has moved: the rules of
firmware.isdn.timers.TimerSet, which the other timers go through.

User and network side run the same machine: the only difference inside a link is who
sets the C/R bit how, decided once by role when the link builds its address octets.
Frames leave already encoded (PhDataReq): the address and the timer requests depend
only on the TEI, so they are built once per TEI (_PerTei), not per frame.

Sequence variables are modulo 128: V(S) next N(S) to send, V(A) oldest unacknowledged,
V(R) next N(S) expected. Frames sent but unacknowledged are kept by N(S) for
retransmission; frames not yet sent wait in the I queue.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, IntEnum

from firmware.enums import members
from firmware.isdn.lapd.frame import N201, S_OCTET, Frame, Kind, address, control
from firmware.isdn.lapd.primitives import (
    MDL_ERRORS,
    AckCheck,
    ArmTimer,
    Dl,
    DlIndication,
    MdlError,
    Output,
    PhDataReq,
)
from firmware.isdn.timers import EARLY

MOD = 128


class State(IntEnum):
    TEI_UNASSIGNED = 1
    ASSIGN_AWAITING_TEI = 2
    ESTABLISH_AWAITING_TEI = 3
    TEI_ASSIGNED = 4
    AWAITING_ESTABLISHMENT = 5
    AWAITING_RELEASE = 6
    MULTIPLE_FRAME_ESTABLISHED = 7
    TIMER_RECOVERY = 8


class Event(Enum):
    # Members are singletons, so identity hashing is exact; Enum's own __hash__ is a
    # Python function that hashes the name, and these are dict keys on every frame.
    __hash__ = object.__hash__

    DL_ESTABLISH_REQ = "DL-ESTABLISH-REQ"
    DL_RELEASE_REQ = "DL-RELEASE-REQ"
    DL_DATA_REQ = "DL-DATA-REQ"
    DL_UNITDATA_REQ = "DL-UNITDATA-REQ"
    MDL_ASSIGN_REQ = "MDL-ASSIGN-REQ"
    MDL_REMOVE_REQ = "MDL-REMOVE-REQ"
    MDL_ERROR_RESP = "MDL-ERROR-RESP"  # TEI assignment failed
    PH_DEACTIVATE_IND = "PH-DEACTIVATE-IND"
    T200_EXPIRY = "T200"
    T203_EXPIRY = "T203"
    RX_SABME = "SABME"
    RX_DISC = "DISC"
    RX_UA = "UA"
    RX_DM = "DM"
    RX_FRMR = "FRMR"
    RX_I = "I"
    RX_RR = "RR"
    RX_RNR = "RNR"
    RX_REJ = "REJ"
    RX_UI = "UI"
    RX_XID = "XID"
    RX_UNDEFINED = "UNDEFINED"


RX_EVENT = {Kind.SABME: Event.RX_SABME, Kind.DISC: Event.RX_DISC, Kind.UA: Event.RX_UA,
            Kind.DM: Event.RX_DM, Kind.FRMR: Event.RX_FRMR, Kind.I: Event.RX_I,
            Kind.RR: Event.RX_RR, Kind.RNR: Event.RX_RNR, Kind.REJ: Event.RX_REJ,
            Kind.UI: Event.RX_UI, Kind.XID: Event.RX_XID, Kind.UNDEFINED: Event.RX_UNDEFINED}


@dataclass(frozen=True)
class LinkParams:
    """Q.921 5.9 system parameters. k=1 is the BRI default for SAPI 0 (table 7)."""

    t200: float = 1.0
    n200: int = 3
    t203: float = 10.0
    k: int = 1
    n201: int = N201


# Members read per frame, bound for speed (firmware/enums.py); S.X is State.X.
S = members(State)
E = members(Event)
K = members(Kind)
DL = members(Dl)
_UNASSIGNED = (S.TEI_UNASSIGNED, S.ASSIGN_AWAITING_TEI, S.ESTABLISH_AWAITING_TEI)
_ASSIGNED = (S.TEI_ASSIGNED, S.AWAITING_ESTABLISHMENT, S.AWAITING_RELEASE,
             S.MULTIPLE_FRAME_ESTABLISHED, S.TIMER_RECOVERY)
_ESTABLISHED = (S.MULTIPLE_FRAME_ESTABLISHED, S.TIMER_RECOVERY)


def _table() -> dict[tuple[State, Event], str]:
    t: dict[tuple[State, Event], str] = {}

    def on(states, events, handler: str) -> None:
        for s in states if isinstance(states, tuple) else (states,):
            for e in events if isinstance(events, tuple) else (events,):
                t[(s, e)] = handler

    # TEI assignment (figure B.3, states 1-3; only the user side goes through them)
    on(S.TEI_UNASSIGNED, E.DL_ESTABLISH_REQ, "ask_tei_for_establish")
    on(S.TEI_UNASSIGNED, E.DL_UNITDATA_REQ, "ask_tei_for_unitdata")
    on(S.ASSIGN_AWAITING_TEI, E.DL_ESTABLISH_REQ, "await_tei_for_establish")
    on(S.ASSIGN_AWAITING_TEI, E.DL_UNITDATA_REQ, "queue_unitdata")
    on(S.ESTABLISH_AWAITING_TEI, E.DL_UNITDATA_REQ, "queue_unitdata")
    on(_UNASSIGNED, E.DL_DATA_REQ, "queue_i_awaiting_tei")
    on(_UNASSIGNED, E.MDL_ASSIGN_REQ, "tei_assigned")
    on(_UNASSIGNED, (E.MDL_REMOVE_REQ, E.MDL_ERROR_RESP), "tei_assignment_failed")
    on(_UNASSIGNED, E.DL_RELEASE_REQ, "confirm_release")

    # TEI assigned (state 4)
    on(S.TEI_ASSIGNED, E.DL_ESTABLISH_REQ, "establish")
    on(S.TEI_ASSIGNED, E.DL_RELEASE_REQ, "confirm_release")
    on(S.TEI_ASSIGNED, E.DL_DATA_REQ, "queue_i_and_establish")
    on(S.TEI_ASSIGNED, E.RX_SABME, "accept_establishment")
    on(S.TEI_ASSIGNED, E.RX_DISC, "answer_dm")
    on(S.TEI_ASSIGNED, (E.RX_UA,), "unexpected_ua")
    on(S.TEI_ASSIGNED, (E.RX_I, E.RX_RR, E.RX_RNR, E.RX_REJ), "answer_dm_if_polled")

    # awaiting establishment (state 5)
    on(S.AWAITING_ESTABLISHMENT, E.DL_ESTABLISH_REQ, "discard_i_queue")
    on(S.AWAITING_ESTABLISHMENT, E.DL_RELEASE_REQ, "abandon_establishment")
    on(S.AWAITING_ESTABLISHMENT, E.DL_DATA_REQ, "queue_i_if_l3_initiated")
    on(S.AWAITING_ESTABLISHMENT, E.RX_SABME, "answer_ua")  # collision, 5.5.1.3
    on(S.AWAITING_ESTABLISHMENT, E.RX_DISC, "answer_dm")
    on(S.AWAITING_ESTABLISHMENT, E.RX_UA, "establishment_confirmed")
    on(S.AWAITING_ESTABLISHMENT, E.RX_DM, "establishment_refused")
    on(S.AWAITING_ESTABLISHMENT, E.T200_EXPIRY, "retry_sabme")

    # awaiting release (state 6)
    on(S.AWAITING_RELEASE, E.RX_SABME, "answer_dm")
    on(S.AWAITING_RELEASE, E.RX_DISC, "answer_ua")
    on(S.AWAITING_RELEASE, (E.RX_UA, E.RX_DM), "release_confirmed")
    on(S.AWAITING_RELEASE, E.T200_EXPIRY, "retry_disc")

    # multiple frame established (7) and timer recovery (8)
    on(_ESTABLISHED, E.DL_ESTABLISH_REQ, "reestablish_by_l3")
    on(_ESTABLISHED, E.DL_RELEASE_REQ, "release")
    on(_ESTABLISHED, E.DL_DATA_REQ, "queue_i")
    on(_ESTABLISHED, E.RX_I, "receive_i")
    on(_ESTABLISHED, (E.RX_RR, E.RX_RNR, E.RX_REJ), "receive_supervisory")
    on(_ESTABLISHED, E.RX_SABME, "peer_reestablished")
    on(_ESTABLISHED, E.RX_DISC, "peer_released")
    on(_ESTABLISHED, E.RX_UA, "unexpected_ua")
    on(_ESTABLISHED, E.RX_DM, "dm_while_established")
    on(_ESTABLISHED, E.RX_FRMR, "frmr_received")
    on(_ESTABLISHED, E.RX_UNDEFINED, "undefined_frame")
    on(S.MULTIPLE_FRAME_ESTABLISHED, E.T200_EXPIRY, "enter_timer_recovery")
    on(S.MULTIPLE_FRAME_ESTABLISHED, E.T203_EXPIRY, "poll_idle_link")
    on(S.TIMER_RECOVERY, E.T200_EXPIRY, "recovery_t200")

    # in every state with a TEI
    on(_ASSIGNED, E.DL_UNITDATA_REQ, "send_ui")
    on(_ASSIGNED, E.RX_UI, "deliver_ui")
    on(_ASSIGNED, E.MDL_REMOVE_REQ, "tei_removed")
    on(_ASSIGNED, E.PH_DEACTIVATE_IND, "layer1_lost")
    return t


TRANSITIONS = _table()
_INFO_ALLOWED = frozenset({K.UI, K.FRMR, K.XID, K.UNDEFINED})  # besides I


class InputTime:
    """The time of the input being handled: the entity sets it with each input, its
    links read it to put deadlines on T200 and T203 (sans-I/O: time comes in)."""

    __slots__ = ("now",)

    def __init__(self, now: float = 0.0) -> None:
        self.now = now


class _PerTei:
    """What a link's outputs take from its TEI: the address octets of its commands and
    responses, the clock callbacks it asks for T200 and T203, and its AckCheck (after
    nearly every I frame taken in)."""

    __slots__ = ("tei", "command", "response", "t200_key", "t203_key", "arm_t200",
                 "arm_t203", "ack_check")

    def __init__(self, sapi: int, tei: int | None, params: LinkParams,
                 network_side: bool) -> None:
        self.tei = tei
        if tei is None:  # no frames without a TEI; the timers cannot run either
            self.command = self.response = b""
        else:
            self.command = address(sapi, tei, True, network_side)
            self.response = address(sapi, tei, False, network_side)
        self.t200_key = ("lapd", sapi, tei, "T200")
        self.t203_key = ("lapd", sapi, tei, "T203")
        self.arm_t200 = ArmTimer(self.t200_key, params.t200)  # for a (re)start from now
        self.arm_t203 = ArmTimer(self.t203_key, params.t203)
        self.ack_check = AckCheck(tei)


class DataLink:
    """One data link (SAPI, TEI). `tei=None` starts it in TEI_UNASSIGNED.
    `network_side` says which side we are, for the C/R bit of the frames we send;
    `time` is the entity's InputTime (a link of its own when None: tests move it)."""

    def __init__(self, sapi: int, tei: int | None, params: LinkParams | None = None, *,
                 network_side: bool = False, time: InputTime | None = None) -> None:
        self.sapi = sapi
        self.tei = tei
        self.network_side = network_side
        self.params = params or LinkParams()
        self.state = S.TEI_UNASSIGNED if tei is None else S.TEI_ASSIGNED
        self.vs = self.va = self.vr = 0
        self.rc = 0
        self.l3_initiated = False
        self.own_busy = False
        self.peer_busy = False
        self.reject_exception = False
        self.ack_pending = False
        self.t200_running = False
        self.t203_running = False
        self.time = time if time is not None else InputTime()
        self.t200_at = self.t203_at = 0.0  # deadlines, while running
        # the time of the clock callback armed for each, None when there is none
        self.t200_armed: float | None = None
        self.t203_armed: float | None = None
        self.i_queue: deque[bytes] = deque()
        self.ui_queue: deque[bytes] = deque()
        self.unacked: dict[int, bytes] = {}  # N(S) -> information field
        self._out: list[Output] = []
        self._fixed = _PerTei(sapi, tei, self.params, network_side)

    # inputs ---------------------------------------------------------------------------
    def handle(self, event: Event, frame: Frame | None = None,
               data: bytes = b"") -> list[Output]:
        """Feed one event; returns what the driver must do."""
        self._out = []
        handler = _HANDLERS.get((self.state, event))
        if handler is not None:
            handler(self, frame, data)
        return self._out

    def assign(self, tei: int) -> list[Output]:
        """MDL-ASSIGN-REQ: TEI management has a TEI for this link."""
        self._set_tei(tei)
        return self.handle(E.MDL_ASSIGN_REQ)

    def remove(self) -> list[Output]:
        """MDL-REMOVE-REQ: the TEI was removed (or assignment failed)."""
        return self.handle(E.MDL_REMOVE_REQ)

    def receive(self, frame: Frame) -> list[Output]:
        kind = frame.kind
        if kind is K.I:
            if len(frame.info) > self.params.n201:
                return self._reject_bad_frame("N")
        elif frame.info and kind not in _INFO_ALLOWED:
            return self._reject_bad_frame("M")
        self._out = []  # as handle(RX_EVENT[kind], frame), one call less per frame
        handler = _RX_HANDLERS[self.state].get(kind)
        if handler is not None:
            handler(self, frame, b"")
        return self._out

    def timer_due(self, name: str) -> list[Output]:
        """The clock callback armed for T200 or T203 came (at `time.now`): the timer
        expires if it runs and its deadline is here; if the deadline has moved on, a
        callback is asked for the rest; a stopped timer is left alone."""
        if name == "T200":
            self.t200_armed = None
            if not self.t200_running:
                return []
            left = self.t200_at - self.time.now
            if left > EARLY:
                self.t200_armed = self.t200_at
                return [ArmTimer(self._fixed.t200_key, left)]
        else:
            self.t203_armed = None
            if not self.t203_running:
                return []
            left = self.t203_at - self.time.now
            if left > EARLY:
                self.t203_armed = self.t203_at
                return [ArmTimer(self._fixed.t203_key, left)]
        return self.timer_expiry(name)

    def timer_expiry(self, name: str) -> list[Output]:
        """T200 or T203 expired."""
        if name == "T200":
            self.t200_running = False
            return self.handle(E.T200_EXPIRY)
        self.t203_running = False
        return self.handle(E.T203_EXPIRY)

    @property
    def established(self) -> bool:
        return self.state in _ESTABLISHED

    # outputs --------------------------------------------------------------------------
    def _set_tei(self, tei: int | None) -> None:
        """The TEI changes only here (assignment, removal): what depends on it follows.
        The timers' keys name the TEI, so no callback is armed for the new ones yet."""
        self.tei = tei
        self._fixed = _PerTei(self.sapi, tei, self.params, self.network_side)
        self.t200_armed = self.t203_armed = None

    def _send_i(self, ns: int, info: bytes, pf: bool = False) -> None:
        """An I frame (always a command) carrying V(R) as N(R)."""
        assert self.tei is not None and self._fixed.tei == self.tei
        self._out.append(PhDataReq(self._fixed.command
                                   + bytes((ns << 1, self.vr << 1 | pf)) + info))

    def _send_s(self, kind: Kind, command: bool, pf: bool) -> None:
        """A supervisory frame (RR, RNR, REJ) carrying V(R) as N(R)."""
        assert self.tei is not None and self._fixed.tei == self.tei
        fixed = self._fixed
        self._out.append(PhDataReq((fixed.command if command else fixed.response)
                                   + bytes((S_OCTET[kind], self.vr << 1 | pf))))

    def _send_u(self, kind: Kind, command: bool, pf: bool, info: bytes = b"") -> None:
        """An unnumbered frame (SABME, DISC, UA, DM, UI)."""
        assert self.tei is not None and self._fixed.tei == self.tei
        fixed = self._fixed
        self._out.append(PhDataReq((fixed.command if command else fixed.response)
                                   + control(kind, pf) + info))

    def _indicate(self, primitive: Dl, data: bytes = b"") -> None:
        self._out.append(DlIndication(primitive, self.tei if self.tei is not None else -1,
                                      self.sapi, data))

    def _mdl_error(self, code: str) -> None:
        self._out.append(MdlError(code, self.tei if self.tei is not None else -1, self.sapi,
                                  MDL_ERRORS[code]))

    def _start_t200(self) -> None:
        """Start T200, or restart it if it runs: its deadline moves; a clock callback
        is asked for only if none is armed for that time or earlier."""
        self.t200_running = True
        at = self.t200_at = self.time.now + self.params.t200
        if self.t200_armed is None or self.t200_armed > at:
            self.t200_armed = at
            self._out.append(self._fixed.arm_t200)

    def _stop_t200(self) -> None:
        self.t200_running = False  # an armed callback finds it stopped

    def _start_t203(self) -> None:
        """Start T203, or restart it if it runs (as _start_t200)."""
        self.t203_running = True
        at = self.t203_at = self.time.now + self.params.t203
        if self.t203_armed is None or self.t203_armed > at:
            self.t203_armed = at
            self._out.append(self._fixed.arm_t203)

    def _stop_t203(self) -> None:
        self.t203_running = False

    # procedures shared by several transitions (names as in the SDL's macros) ----------
    def _clear_exception_conditions(self) -> None:
        self.peer_busy = self.reject_exception = self.own_busy = self.ack_pending = False

    def _establish_data_link(self) -> None:
        """SDL 'establish data link': SABME with P=1, T200 running, T203 stopped."""
        self._clear_exception_conditions()
        self.rc = 0
        self._send_u(K.SABME, True, True)
        self._stop_t203()
        self._start_t200()
        self.state = S.AWAITING_ESTABLISHMENT

    def _discard_queues(self) -> None:
        self.i_queue.clear()
        self.unacked.clear()

    def _reset_sequence(self) -> None:
        self.vs = self.va = self.vr = 0
        self.unacked.clear()

    def _transmit_enquiry(self) -> None:
        self._send_s(K.RNR if self.own_busy else K.RR, True, True)
        self.ack_pending = False
        self._start_t200()

    def _enquiry_response(self, final: bool = True) -> None:
        self._send_s(K.RNR if self.own_busy else K.RR, False, final)
        self.ack_pending = False

    def _acknowledge_up_to(self, nr: int) -> None:
        while self.va != nr:
            self.unacked.pop(self.va, None)
            self.va = (self.va + 1) % MOD

    def _nr_error_recovery(self) -> None:
        self._mdl_error("J")
        self._establish_data_link()
        self.l3_initiated = False

    def _invoke_retransmission(self) -> None:
        """Send again every unacknowledged I frame, from V(A) on (Q.921 5.6.4)."""
        resend = [self.unacked[(self.va + i) % MOD] for i in range((self.vs - self.va) % MOD)]
        self.unacked.clear()
        self.vs = self.va
        self.i_queue.extendleft(reversed(resend))

    def _push_i_frames(self) -> None:
        """Send queued I frames while the window and the peer allow (Q.921 5.6.1)."""
        queue = self.i_queue
        if not queue or self.state is not S.MULTIPLE_FRAME_ESTABLISHED:
            return
        k = self.params.k
        while queue and not self.peer_busy and (self.vs - self.va) % MOD < k:
            info = queue.popleft()
            vs = self.vs
            self.unacked[vs] = info
            # _send_i(vs, info), written out: once per I frame
            self._out.append(PhDataReq(self._fixed.command
                                       + bytes((vs << 1, self.vr << 1)) + info))
            self.vs = (vs + 1) % MOD
            self.ack_pending = False
            if not self.t200_running:
                self.t203_running = False  # _stop_t203()
                self._start_t200()

    def flush_ack(self) -> list[Output]:
        """AckCheck came back: send RR if no I frame has acknowledged meanwhile."""
        if not self.ack_pending:
            return []
        self._out = []
        if self.state in _ESTABLISHED:
            self._enquiry_response(final=False)
        return self._out

    def _reject_bad_frame(self, code: str) -> list[Output]:
        """Q.921 5.8.5/5.8.6: report, and re-establish if multiple-frame operation runs."""
        self._out = []
        self._mdl_error(code)
        if self.established:
            self._establish_data_link()
            self.l3_initiated = False
        return self._out

    # handlers: TEI assignment ---------------------------------------------------------
    def ask_tei_for_establish(self, frame, data) -> None:
        self.state = S.ESTABLISH_AWAITING_TEI  # the driver asks TEI management

    def ask_tei_for_unitdata(self, frame, data) -> None:
        self.ui_queue.append(data)
        self.state = S.ASSIGN_AWAITING_TEI

    def await_tei_for_establish(self, frame, data) -> None:
        self.state = S.ESTABLISH_AWAITING_TEI

    def queue_unitdata(self, frame, data) -> None:
        self.ui_queue.append(data)

    def queue_i_awaiting_tei(self, frame, data) -> None:
        self.i_queue.append(data)
        self.state = S.ESTABLISH_AWAITING_TEI

    def tei_assigned(self, frame, data) -> None:
        establish = self.state is S.ESTABLISH_AWAITING_TEI
        self.state = S.TEI_ASSIGNED
        while self.ui_queue:
            self._send_u(K.UI, True, False, self.ui_queue.popleft())
        if establish:
            self._establish_data_link()
            self.l3_initiated = True

    def tei_assignment_failed(self, frame, data) -> None:
        was_establishing = self.state is S.ESTABLISH_AWAITING_TEI
        self.ui_queue.clear()
        self.i_queue.clear()
        self.state = S.TEI_UNASSIGNED
        if was_establishing:
            self._indicate(DL.RELEASE_IND)

    def confirm_release(self, frame, data) -> None:
        self._indicate(DL.RELEASE_CNF)

    # handlers: TEI assigned -----------------------------------------------------------
    def establish(self, frame, data) -> None:
        self._establish_data_link()
        self.l3_initiated = True

    def queue_i_and_establish(self, frame, data) -> None:
        self.i_queue.append(data)
        self.establish(frame, data)

    def accept_establishment(self, frame: Frame, data) -> None:
        self._send_u(K.UA, False, frame.pf)
        self._clear_exception_conditions()
        self._reset_sequence()
        self._indicate(DL.ESTABLISH_IND)
        self._start_t203()
        self.state = S.MULTIPLE_FRAME_ESTABLISHED

    def answer_dm(self, frame: Frame, data) -> None:
        self._send_u(K.DM, False, frame.pf)

    def answer_ua(self, frame: Frame, data) -> None:
        self._send_u(K.UA, False, frame.pf)

    def answer_dm_if_polled(self, frame: Frame, data) -> None:
        if frame.command and frame.pf:
            self._send_u(K.DM, False, True)

    def unexpected_ua(self, frame: Frame, data) -> None:
        self._mdl_error("C" if frame.pf else "D")

    # handlers: awaiting establishment -------------------------------------------------
    def discard_i_queue(self, frame, data) -> None:
        self.i_queue.clear()
        self.l3_initiated = True

    def abandon_establishment(self, frame, data) -> None:
        self.i_queue.clear()
        self._stop_t200()
        self.state = S.TEI_ASSIGNED
        self._indicate(DL.RELEASE_CNF)

    def queue_i_if_l3_initiated(self, frame, data) -> None:
        if self.l3_initiated:
            self.i_queue.append(data)

    def establishment_confirmed(self, frame: Frame, data) -> None:
        if not frame.pf:
            self._mdl_error("D")
            return
        if self.l3_initiated:
            self._indicate(DL.ESTABLISH_CNF)
        else:
            if self.vs != self.va:
                self.i_queue.clear()
            self._indicate(DL.ESTABLISH_IND)
        self._stop_t200()
        self._start_t203()
        self._reset_sequence()
        self.state = S.MULTIPLE_FRAME_ESTABLISHED
        self._push_i_frames()

    def establishment_refused(self, frame: Frame, data) -> None:
        if not frame.pf:
            return  # DM F=0 while we ask: our SABME will be retried
        self.i_queue.clear()
        self._indicate(DL.RELEASE_IND)
        self._stop_t200()
        self.state = S.TEI_ASSIGNED

    def retry_sabme(self, frame, data) -> None:
        if self.rc >= self.params.n200:
            self.i_queue.clear()
            self._mdl_error("G")
            self._indicate(DL.RELEASE_IND)
            self.state = S.TEI_ASSIGNED
            return
        self.rc += 1
        self._send_u(K.SABME, True, True)
        self._start_t200()

    # handlers: awaiting release -------------------------------------------------------
    def release_confirmed(self, frame: Frame, data) -> None:
        if not frame.pf:
            if frame.kind is K.UA:
                self._mdl_error("D")
            return
        self._indicate(DL.RELEASE_CNF)
        self._stop_t200()
        self.state = S.TEI_ASSIGNED

    def retry_disc(self, frame, data) -> None:
        if self.rc >= self.params.n200:
            self._mdl_error("H")
            self._indicate(DL.RELEASE_CNF)
            self.state = S.TEI_ASSIGNED
            return
        self.rc += 1
        self._send_u(K.DISC, True, True)
        self._start_t200()

    # handlers: multiple frame established and timer recovery --------------------------
    def reestablish_by_l3(self, frame, data) -> None:
        self.i_queue.clear()
        self.unacked.clear()
        self._establish_data_link()
        self.l3_initiated = True

    def release(self, frame, data) -> None:
        self._discard_queues()
        self.rc = 0
        self._send_u(K.DISC, True, True)
        self._stop_t203()
        self._stop_t200()
        self._start_t200()
        self.state = S.AWAITING_RELEASE

    def queue_i(self, frame, data) -> None:
        self.i_queue.append(data)
        self._push_i_frames()

    def receive_i(self, frame: Frame, data) -> None:
        if not frame.command:
            return  # an I frame is always a command; a "response" one is invalid
        if self.own_busy:
            if frame.pf:
                self._send_s(K.RNR, False, True)
        elif frame.ns == self.vr:
            self.vr = (self.vr + 1) % MOD
            self.reject_exception = False
            self._out.append(DlIndication(DL.DATA_IND, self.tei, self.sapi, frame.info))
            if frame.pf:
                self._enquiry_response()
            else:
                self.ack_pending = True
        elif self.reject_exception:
            if frame.pf:
                self._enquiry_response()
        else:
            self.reject_exception = True
            self._send_s(K.REJ, False, frame.pf)
            self.ack_pending = False
        if not self._process_nr(frame.nr, False):
            return
        if self.i_queue:
            self._push_i_frames()
        if self.ack_pending:  # leave the RR for later: layer 3's answer may carry the ack
            self._out.append(self._fixed.ack_check)

    def receive_supervisory(self, frame: Frame, data) -> None:
        self.peer_busy = frame.kind is K.RNR
        if frame.command and frame.pf:
            self._enquiry_response()
        elif not frame.command and frame.pf and self.state is S.MULTIPLE_FRAME_ESTABLISHED:
            self._mdl_error("A")
        if not self._process_nr(frame.nr, not frame.command and frame.pf,
                                frame.kind is K.REJ):
            return
        if self.i_queue:
            self._push_i_frames()

    def _process_nr(self, nr: int, poll_answered: bool, reject: bool = False) -> bool:
        """Acknowledge by N(R); False if it was out of range and the link restarted."""
        va = self.va
        if (nr - va) % MOD > (self.vs - va) % MOD:  # not V(A) <= N(R) <= V(S)
            self._nr_error_recovery()
            return False
        if self.state is S.TIMER_RECOVERY:
            self._acknowledge_up_to(nr)
            if poll_answered:  # the answer to our enquiry: recovery is over
                self._stop_t200()
                if self.peer_busy:
                    self._start_t200()  # keep polling the busy peer
                else:
                    self._start_t203()
                self._invoke_retransmission()
                self.state = S.MULTIPLE_FRAME_ESTABLISHED
            return True
        if reject:
            self._acknowledge_up_to(nr)
            self._stop_t200()
            self._start_t203()
            self._invoke_retransmission()
        elif self.peer_busy:
            self._acknowledge_up_to(nr)
            self._stop_t203()
            if not self.t200_running:
                self._start_t200()  # keep polling the busy peer
        elif nr == self.vs:  # all acknowledged: on nearly every frame, so written out
            unacked = self.unacked
            while va != nr:  # _acknowledge_up_to(nr)
                unacked.pop(va, None)
                va = (va + 1) % MOD
            self.va = va
            self.t200_running = False  # _stop_t200()
            self.t203_running = True  # _start_t203(): restarted
            at = self.t203_at = self.time.now + self.params.t203
            if self.t203_armed is None or self.t203_armed > at:
                self.t203_armed = at
                self._out.append(self._fixed.arm_t203)
        elif nr != va:
            self._acknowledge_up_to(nr)
            self._stop_t200()
            self._start_t200()
        return True

    def peer_reestablished(self, frame: Frame, data) -> None:
        self._send_u(K.UA, False, frame.pf)
        self._clear_exception_conditions()
        self._mdl_error("F")
        if self.vs != self.va:
            self.i_queue.clear()
            self._indicate(DL.ESTABLISH_IND)
        self._stop_t200()
        self._stop_t203()
        self._start_t203()
        self._reset_sequence()
        self.state = S.MULTIPLE_FRAME_ESTABLISHED

    def peer_released(self, frame: Frame, data) -> None:
        self._discard_queues()
        self._send_u(K.UA, False, frame.pf)
        self._indicate(DL.RELEASE_IND)
        self._stop_t200()
        self._stop_t203()
        self.state = S.TEI_ASSIGNED

    def dm_while_established(self, frame: Frame, data) -> None:
        if frame.pf:
            self._mdl_error("B")
            return
        self._mdl_error("E")
        self._establish_data_link()
        self.l3_initiated = False

    def frmr_received(self, frame, data) -> None:
        self._mdl_error("K")
        self._establish_data_link()
        self.l3_initiated = False

    def undefined_frame(self, frame, data) -> None:
        self._mdl_error("L")
        self._establish_data_link()
        self.l3_initiated = False

    def enter_timer_recovery(self, frame, data) -> None:
        self.rc = 0
        self._recovery_step()
        self.state = S.TIMER_RECOVERY

    def poll_idle_link(self, frame, data) -> None:
        self.rc = 0
        self._transmit_enquiry()
        self.state = S.TIMER_RECOVERY

    def recovery_t200(self, frame, data) -> None:
        if self.rc >= self.params.n200:
            self._mdl_error("I")
            self._establish_data_link()
            self.l3_initiated = False
            return
        self._recovery_step()
        self.rc += 1

    def _recovery_step(self) -> None:
        """On T200 expiry: retransmit the last I frame with P=1, or enquire (5.6.7)."""
        last = (self.vs - 1) % MOD
        if self.vs != self.va and not self.peer_busy and last in self.unacked:
            self._send_i(last, self.unacked[last], True)
            self.ack_pending = False
            self._start_t200()
        else:
            self._transmit_enquiry()

    # handlers: any state with a TEI ---------------------------------------------------
    def send_ui(self, frame, data) -> None:
        self._send_u(K.UI, True, False, data)

    def deliver_ui(self, frame: Frame, data) -> None:
        self._indicate(DL.UNITDATA_IND, frame.info)

    def tei_removed(self, frame, data) -> None:
        self._drop_link()
        self._set_tei(None)
        self.state = S.TEI_UNASSIGNED

    def layer1_lost(self, frame, data) -> None:
        self._drop_link()  # the TEI stays: Q.921 keeps it over a layer-1 outage
        self.state = S.TEI_ASSIGNED

    def _drop_link(self) -> None:
        self._discard_queues()
        self._stop_t200()
        self._stop_t203()
        if self.state in (S.AWAITING_ESTABLISHMENT, *_ESTABLISHED):
            self._indicate(DL.RELEASE_IND)
        elif self.state is S.AWAITING_RELEASE:
            self._indicate(DL.RELEASE_CNF)


# (state, event) -> the DataLink method TRANSITIONS names, looked up once
_HANDLERS: dict[tuple[State, Event], Callable[[DataLink, Frame | None, bytes], None]] = {
    key: getattr(DataLink, name) for key, name in TRANSITIONS.items()}
# state -> {frame kind -> handler}: a received frame's transition in two plain lookups
_RX_HANDLERS: dict[State, dict[Kind, Callable[[DataLink, Frame | None, bytes], None]]] = {
    state: {kind: _HANDLERS[(state, event)] for kind, event in RX_EVENT.items()
            if (state, event) in _HANDLERS} for state in State}
