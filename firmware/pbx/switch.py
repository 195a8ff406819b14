"""The switch: routes calls between the trunk and the extensions, and keeps them joined.

It listens to every ISDN line's call events (IsdnLine.on_call) and acts through the
lines' own requests (proceed, alert, answer, dial, hangup), so each side still speaks
proper DSS1. Flows:

* A call offered on the trunk for a routed MSN/DDI: CALL PROCEEDING at once, then the
  route's target rings (an extension, or a group by its strategy); ALERTING goes back
  when the first B leg alerts; the first B leg to answer wins, the others are cleared
  with cause 26 (non-selected user clearing) and the A leg is answered.
* A call from an internal terminal: its digits go through the dial plan (overlap via
  SETUP ACKNOWLEDGE and INFORMATION, end by '#', a full number or T302), then to an
  extension, a group or the trunk — or are refused with the dial plan's cause.
* ``originate(first, second)``: the box rings the first party (numbers tried in order,
  each an extension, a group or an outside number) and, once someone answers, dials the
  second and joins them — the shape of a callback. Hooks let the callback service hold
  the second stage (a whisper and an accept key) and hear how it ended.

* A route with a schedule rings its night target outside office hours (night.py);
  outside numbers go out on the lines least-cost routing picks (``lcr``), falling back
  on congestion; a line without a free B-channel means cause 34, both ways.

The call features live beside this file as mixins of the Switch: transfer.py (blind,
attended, with return), hold.py (DSS1 HOLD/RETRIEVE, NOTIFY, the phone's ECT),
conference.py (3PTY), features.py (pickup, DND, call waiting), night.py.

Calls for numbers no route knows are left alone, for a client of the API to handle.
Every PBX call ends with one CDR row (a transfer ends a segment: one row each).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from firmware.clock import Clock
from firmware.events import EventBus
from firmware.isdn.dss1.primitives import CallEvent, Ind
from firmware.isdn.line import CallError, IsdnLine
from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.pbx.applications import Applications
from firmware.pbx.cdr import CdrLog, make_cdr
from firmware.pbx.conference import Conferences
from firmware.pbx.config import VOICEMAIL, Extension, Group, PbxConfig
from firmware.pbx.dialplan import Incomplete, Internal, Outside, Refused, resolve
from firmware.pbx.features import Features
from firmware.pbx.hold import Holding
from firmware.pbx.legs import CallState, Leg, OriginateHooks, PbxCall, PbxError, Role
from firmware.pbx.night import NightService
from firmware.pbx.transfer import Transfers

log = get_logger("pbx")

# Which failure cause the caller hears when several B legs failed differently: the
# most telling one wins (busy over no answer over anything else).
# Causes that say "this network path is full", not "the number": LCR tries the next line.
CONGESTION = {CauseValue.NO_CIRCUIT_AVAILABLE, CauseValue.NETWORK_OUT_OF_ORDER,
              CauseValue.TEMPORARY_FAILURE, CauseValue.SWITCHING_EQUIPMENT_CONGESTION,
              CauseValue.REQUESTED_CHANNEL_NOT_AVAILABLE, CauseValue.RESOURCE_UNAVAILABLE}
_CAUSE_RANK = {CauseValue.USER_BUSY: 3, CauseValue.NO_ANSWER: 2,
               CauseValue.NO_USER_RESPONDING: 2}


class Switch(Transfers, Holding, Features, Conferences, NightService, Applications):
    def __init__(self, lines: dict[str, IsdnLine], clock: Clock, config: PbxConfig,
                 events: EventBus | None = None, cdr: CdrLog | None = None) -> None:
        self.lines = lines
        self.clock = clock
        self.config = config
        self.events = events
        self.cdr = cdr
        self.calls: dict[str, PbxCall] = {}
        self._legs: dict[tuple[str, int], tuple[PbxCall, Leg]] = {}
        self._ids = itertools.count(1)
        self._round_robin: dict[str, int] = {}  # group number -> index of the last answerer
        # Hooks for the media engine: bridge a connected call, tear it down, play music
        # on hold to a held leg and stop it, mix a conference (firmware/pbx/hold.py).
        self.on_connect: Callable[[PbxCall], None] | None = None
        self.on_end: Callable[[PbxCall], None] | None = None
        self.on_hold: Callable[[PbxCall, Leg], None] | None = None
        self.on_retrieve: Callable[[PbxCall, Leg], None] | None = None
        self.on_conference: Callable[[PbxCall], None] | None = None
        # Settings changed by the switch itself (DND by dial code) are kept with this.
        self.save_config: Callable[[PbxConfig], None] | None = None
        for line in lines.values():
            line.on_call = self._on_line_event

    @property
    def trunk(self) -> IsdnLine:
        line = self.lines.get(self.config.trunk)
        if line is None:
            raise PbxError(f"no trunk line {self.config.trunk!r}")
        return line

    def reconfigure(self, config: PbxConfig) -> None:
        """New settings apply to the next call; calls in progress keep going."""
        self.config = config

    # requests ------------------------------------------------------------------------
    def originate(self, first: list[str], second: str, caller: str | None = None,
                  linkedid: str = "", ring_seconds: float = 20,
                  hooks: OriginateHooks | None = None,
                  second_ring_seconds: float = 0) -> PbxCall:
        """Ring ``first`` (tried in order, ``ring_seconds`` each); when one answers, dial
        ``second`` and join them. Numbers are dialled as extension ``caller`` would dial
        them (its barring applies; None: unrestricted, for the box's own services)."""
        ext = None
        if caller is not None:
            ext = self.config.internal(caller)
            if not isinstance(ext, Extension):
                raise PbxError(f"no extension {caller}")
        for number in [*first, second]:
            decision = resolve(number, ext, self.config, complete=True)
            if isinstance(decision, Refused):
                raise PbxError(decision.reason)
        outside = isinstance(resolve(second, ext, self.config, complete=True), Outside)
        call = self._new_call("out" if outside else "internal", first[0], second, "")
        call.linkedid, call.hooks, call.stage = linkedid, hooks, 1
        call.second_ring_seconds = second_ring_seconds
        call.state = CallState.RINGING
        call.pending, call.hunt_seconds, call.hunt_caller = list(first), ring_seconds, ext
        self._publish(call, "originating")
        if not self._hunt_next(call):
            self._nothing_rings(call)
        return call

    def check_lines(self, numbers: list[str], caller: str | None = None) -> None:
        """Raise PbxError if an outside number among ``numbers`` (dialled as extension
        ``caller`` would) finds every line it may use full: a person asking the API
        for a call gets cause 34 at once rather than a ringing phone and a failure.
        (The callback service does not ask: its calls fail and are tried again.)"""
        ext = self.config.internal(caller) if caller is not None else None
        for number in numbers:
            decision = resolve(number, ext if isinstance(ext, Extension) else None,
                               self.config, complete=True)
            if isinstance(decision, Outside) and self._outside_blocked(decision.number):
                raise PbxError("both B-channels of the trunk are busy (cause 34, no "
                               "circuit/channel available): no call placed")

    def outside_channels_free(self) -> int:
        """B-channels free on the lines outside calls may use (the trunk, LCR's)."""
        names = {self.config.trunk} | {n for rule in self.config.lcr for n in rule.lines}
        return sum(self.lines[n].free_channels() for n in names if n in self.lines)

    def proceed_originate(self, call_id: str) -> None:
        """Second stage of an originated call whose hook held it: dial the number; it
        rings for ``second_ring_seconds`` (given to originate) at most."""
        call = self.calls.get(call_id)
        if call is None or call.stage != 2 or call.state is not CallState.ROUTING:
            raise PbxError(f"call {call_id} is not waiting to dial its second party")
        call.state = CallState.RINGING
        if not self._ring_number(call, call.dst, call.hunt_caller):
            self._nothing_rings(call)
        elif call.second_ring_seconds:
            call.timers.append(self.clock.call_later(
                call.second_ring_seconds, self._step_timeout, call, list(call.b)))

    def hangup(self, call_id: str, cause: int = CauseValue.NORMAL_CALL_CLEARING) -> None:
        call = self.calls.get(call_id)
        if call is None:
            raise PbxError(f"no call {call_id}")
        self._clear(call, cause)

    def status(self) -> list[dict[str, Any]]:
        return [c.status() for c in self.calls.values()]

    # line events ---------------------------------------------------------------------
    def _on_line_event(self, line: IsdnLine, e: CallEvent) -> None:
        found = self._legs.get((line.port.name, e.call))
        if found is None:
            if e.ind is Ind.SETUP_IND:
                self._offered(line, e)
            return
        call, leg = found
        ind = e.ind
        if ind is Ind.INFO_IND and leg is call.a and call.state is CallState.ROUTING:
            self._collect(call, e.info.get("digits", ""), bool(e.info.get("timeout")))
        elif ind is Ind.ALERTING_IND:
            leg.alerting = True
            a = call.a
            if leg.role is Role.CALLEE and a is not None and a.role is Role.CALLER \
                    and not a.alerting:
                a.alerting = True
                self._safely(a.line.alert, a.call_id)
        elif ind is Ind.SETUP_CONF:
            leg.answered = True
            if leg.role is Role.CALLEE:
                self._callee_answered(call, leg)
        elif ind is Ind.NOTIFY_IND and call.state is CallState.CONNECTED \
                and e.info.get("description") is not None:
            # A far end's notification (its own hold, say) goes on to the other parties,
            # as the network relays it (EN 300 403-1 5.9).
            for party in call.parties():
                if party is not leg:
                    self._safely(party.line.notify, party.call_id, e.info["description"])
        elif ind is Ind.HOLD_IND:
            self._phone_hold(call, leg)
        elif ind is Ind.FACILITY_IND and leg.extension is not None:
            self._phone_facility(call, leg, e.info["components"])
        elif ind is Ind.RETRIEVE_IND:
            self._phone_retrieve(call, leg)
        elif ind is Ind.DISCONNECT_IND or ind is Ind.RELEASE_IND:
            if ind is Ind.RELEASE_IND:
                leg.released = True
                del self._legs[(line.port.name, e.call)]
            if not leg.clearing:
                leg.clearing = True
                leg.cause = e.cause
                self._leg_gone(call, leg, e.cause)
            # Only a call that is being cleared ends: while hunting, the legs tried so
            # far may all be gone with the next one about to ring.
            if call.state is CallState.CLEARING and all(lg.released for lg in call.legs()):
                self._finish(call)

    def _offered(self, line: IsdnLine, e: CallEvent) -> None:
        called, calling = e.info.get("called", ""), e.info.get("calling", "")
        if line.network_side and line.port.name != self.config.trunk:
            caller = self._extension_of(line.port.name, calling)
            if caller is None:
                return  # no extensions on this bus: an API client may take the call
            call = self._new_call("internal", caller.number, called, "")
            call.a = self._track(call, Leg(line, e.call, Role.CALLER, calling, caller))
            call.state = CallState.ROUTING
            self._collect(call, called, bool(e.info.get("sending_complete")), first=True)
            return
        route = self.config.route(called)
        if route is None:
            return  # not ours to route: an API client may take it
        target, night = self.route_target(route)
        call = self._new_call("in", calling, target, called)
        call.a = self._track(call, Leg(line, e.call, Role.CALLER, calling))
        if e.info.get("channel") is None:
            # Offered without a B-channel (both are busy, EN 300 403-1 5.2.3.1 c): the
            # box has none to give it, so it refuses with cause 34 (Q.931 5.2.3.2).
            self._refuse(call, CauseValue.NO_CIRCUIT_AVAILABLE, "both B-channels are busy")
            return
        line.proceed(e.call)
        self._publish(call, "offered", **({"night": True} if night else {}))
        self._ring_target(call, target, None)

    # internal callers: collecting digits -----------------------------------------------
    def _collect(self, call: PbxCall, digits: str, complete: bool, first: bool = False
                 ) -> None:
        call.digits += digits
        if self._feature_code(call, complete, first):
            return
        decision = resolve(call.digits, call.a.extension, self.config, complete=complete)
        line, cid = call.a.line, call.a.call_id
        if isinstance(decision, Incomplete):
            if first:
                line.more_info(cid)  # SETUP ACKNOWLEDGE: dial on; T302 guards the digits
            return
        call.dst = call.digits.rstrip("#")
        if isinstance(decision, Refused):
            self._refuse(call, decision.cause, decision.reason)
            return
        line.proceed(cid)
        if isinstance(decision, Outside):
            call.direction = "out"
            if not self._ring_outside(call, decision.number, call.a.extension):
                self._nothing_rings(call)
        else:
            self._ring_target(call, decision.target.number, call.a.extension)

    def _refuse(self, call: PbxCall, cause: int, reason: str) -> None:
        """Refuse the A leg of a call that was just offered; its CDR says why."""
        log.info("call_refused", call=call.id, digits=call.digits or call.dst, reason=reason,
                 cause=int(cause))
        self._publish(call, "refused", reason=reason, cause=int(cause))
        call.state = CallState.CLEARING
        call.failure_cause = cause
        self._safely(call.a.line.reject, call.a.call_id, cause)
        if all(leg.released for leg in call.legs()):
            self._finish(call)

    # ringing --------------------------------------------------------------------------
    # The _ring_* functions return whether something now rings; failures on the way are
    # noted (the most telling cause is kept) and _nothing_rings decides what next.
    def _ring_target(self, call: PbxCall, target: str, caller: Extension | None) -> bool:
        """Ring a route target for ``call``: an extension, a group, a mailbox, a menu,
        or the callback queue."""
        call.state = CallState.RINGING
        kind, _, number = target.rpartition(":")
        item = self.config.internal(number) if kind in ("", "extension", "group") else None
        if kind == "callback":
            rang = self._to_callback(call, number)
        elif kind == "voicemail" and isinstance(self.config.internal(number), Extension):
            rang = self._to_voicemail(call, self.config.internal(number))
        elif kind == "ivr" and self.config.menu(number) is not None:
            rang = self._to_menu(call, self.config.menu(number))
        elif isinstance(item, Group):
            rang = self._ring_group(call, item)
        elif isinstance(item, Extension):
            rang = self._ring_extension(call, item)
        else:
            self._note_failure(call, CauseValue.NO_ROUTE_TO_DESTINATION)
            rang = False
        if not rang:
            self._nothing_rings(call)
        return rang

    def _ring_extension(self, call: PbxCall, ext: Extension, hunting: bool = False) -> bool:
        if ext.forward_always and not hunting:
            return self._forward(call, ext, ext.forward_always)
        busy = self._busy(ext)
        if ext.dnd or (busy and not self._may_wait(ext)):
            if ext.forward_busy and not hunting:
                return self._forward(call, ext, ext.forward_busy)
            self._note_failure(call, CauseValue.USER_BUSY)
            return False
        leg = self._dial_extension(call, ext, Role.CALLEE, calling=call.src, waiting=busy)
        if leg is None:
            self._note_failure(call, CauseValue.USER_BUSY if busy
                               else CauseValue.NO_CIRCUIT_AVAILABLE)
            return False
        if ext.forward_no_reply and not hunting:
            call.timers.append(self.clock.call_later(
                ext.no_reply_seconds, self._no_reply, call, leg, ext))
        return True

    def _ring_group(self, call: PbxCall, group: Group, nested: bool = False) -> bool:
        """A group rings by its strategy; inside another hunt (``nested``: a callback
        slot naming a group) all its members ring at once for that hunt step."""
        members = list(group.members)
        if group.number not in call.groups:
            call.groups.append(group.number)
        if group.strategy == "ring-all" or nested:
            rang = [self._ring_extension(call, self.config.internal(m), hunting=True)
                    for m in members]
            if not nested:
                self._start_group_timeout(call, group)
            return any(rang)
        if group.strategy == "round-robin":
            start = (self._round_robin.get(group.number, -1) + 1) % len(members)
            members = members[start:] + members[:start]
        self._start_group_timeout(call, group)
        call.pending, call.hunt_seconds = members, group.member_seconds
        return self._hunt_next(call)

    def _start_group_timeout(self, call: PbxCall, group: Group) -> None:
        call.hunt_group = group
        call.timers.append(self.clock.call_later(group.timeout_seconds, self._group_timeout,
                                                 call, group))

    def _ring_number(self, call: PbxCall, number: str, caller: Extension | None) -> bool:
        """Ring any number the dial plan knows: an extension, a group (all at once), or
        an outside number."""
        decision = resolve(number, caller, self.config, complete=True)
        if isinstance(decision, Outside):
            return self._ring_outside(call, decision.number, caller)
        if isinstance(decision, Internal):
            target = decision.target
            if isinstance(target, Group):
                return self._ring_group(call, target, nested=True)
            return self._ring_extension(call, target, hunting=True)
        self._note_failure(call, getattr(decision, "cause", CauseValue.INVALID_NUMBER_FORMAT))
        return False

    def _hunt_next(self, call: PbxCall) -> bool:
        """Linear hunting (groups, callback slots): the next number that can ring rings
        for hunt_seconds."""
        while call.pending and call.state is CallState.RINGING:
            before = len(call.b)
            if self._ring_number(call, call.pending.pop(0), call.hunt_caller):
                step = call.b[before:]
                call.timers.append(self.clock.call_later(
                    call.hunt_seconds, self._step_timeout, call, step))
                return True
        return False

    def _nothing_rings(self, call: PbxCall) -> None:
        """No B leg is ringing any more: hunt on, overflow, or give up."""
        if call.state is not CallState.RINGING or any(not lg.clearing for lg in call.b):
            return
        if call.pending and self._hunt_next(call):
            return
        group = call.hunt_group
        if group is not None and group.overflow:
            call.hunt_group = None
            log.info("group_overflow", call=call.id, group=group.number, to=group.overflow)
            self._ring_target(call, group.overflow, None)
            return
        self._fail(call, call.failure_cause or CauseValue.NORMAL_UNSPECIFIED)

    def _step_timeout(self, call: PbxCall, step: list[Leg]) -> None:
        """A hunt step rang long enough: drop its legs and go on."""
        if call.state is not CallState.RINGING:
            return
        ringing = [leg for leg in step if not leg.answered and not leg.clearing]
        if ringing:
            self._note_failure(call, CauseValue.NO_ANSWER)
            for leg in ringing:
                self._drop(leg, CauseValue.NO_ANSWER)
            self._nothing_rings(call)

    def _group_timeout(self, call: PbxCall, group: Group) -> None:
        if call.state is not CallState.RINGING or call.hunt_group is not group:
            return
        call.pending.clear()
        self._note_failure(call, CauseValue.NO_ANSWER)
        for leg in call.b:
            if not leg.clearing:
                self._drop(leg, CauseValue.NO_ANSWER)
        self._nothing_rings(call)

    def _no_reply(self, call: PbxCall, leg: Leg, ext: Extension) -> None:
        if call.state is CallState.RINGING and not leg.answered and not leg.clearing:
            self._drop(leg, CauseValue.NO_ANSWER)
            if not self._forward(call, ext, ext.forward_no_reply):
                self._nothing_rings(call)

    def _forward(self, call: PbxCall, ext: Extension, number: str) -> bool:
        """Forwarding dials with the forwarding extension's own barring: a forward must
        not reach what the extension could not dial itself."""
        log.info("forward", call=call.id, extension=ext.number, to=number)
        self._publish(call, "forwarded", extension=ext.number, to=number)
        if number == VOICEMAIL:
            return self._to_voicemail(call, ext)
        decision = resolve(number, ext, self.config, complete=True)
        if isinstance(decision, Outside):
            return self._ring_outside(call, decision.number, ext)
        if isinstance(decision, Internal) and decision.target is not ext:
            target = decision.target
            if isinstance(target, Group):
                return self._ring_group(call, target)
            return self._ring_extension(call, target, hunting=True)
        self._note_failure(call, getattr(decision, "cause", CauseValue.NO_ROUTE_TO_DESTINATION))
        return False

    def _ring_outside(self, call: PbxCall, number: str, caller: Extension | None,
                      lines: tuple[str, ...] | None = None) -> bool:
        """Dial an outside number on the first of its lines (least-cost routing,
        PbxConfig.lcr) with a B-channel free; the leg keeps the rest, to fall back on
        if the network refuses the call as congested."""
        call.state = CallState.RINGING
        candidates = self._outside_lines(number) if lines is None else lines
        for i, name in enumerate(candidates):
            line = self.lines[name]
            if line.free_channels() == 0:
                log.info("line_full", call=call.id, line=name, number=number)
                continue
            try:
                cid = line.dial(number, self._presented_msn(caller))
            except CallError as e:
                log.info("line_refused", call=call.id, line=name, error=str(e))
                continue
            leg = self._track(call, Leg(line, cid, Role.CALLEE, number), b=True)
            leg.fallback, leg.dialled_for = candidates[i + 1:], caller
            return True
        self._note_failure(call, CauseValue.NO_CIRCUIT_AVAILABLE)
        return False

    def _outside_lines(self, number: str) -> tuple[str, ...]:
        """The lines an outside number goes out on, in order: the LCR rule with the
        longest matching prefix, else the trunk."""
        rules = [r for r in self.config.lcr if number.startswith(r.prefix)]
        if rules:
            best = max(rules, key=lambda r: len(r.prefix))
            return tuple(name for name in best.lines if name in self.lines)
        return (self.config.trunk,) if self.config.trunk in self.lines else ()

    def _outside_blocked(self, number: str) -> bool:
        """No line ``number`` may go out on has a B-channel free (or there is none)."""
        return all(self.lines[n].free_channels() == 0 for n in self._outside_lines(number))

    def _dial_extension(self, call: PbxCall, ext: Extension, role: Role, calling: str,
                        waiting: bool = False) -> Leg | None:
        """Ring an extension's terminal; a ``waiting`` call (call waiting) is offered
        even when the bus has no B-channel free: the phone frees one by holding."""
        line = self.lines.get(ext.port)
        if ext.kind == "external":
            free = [n for n in self._outside_lines(ext.external)
                    if self.lines[n].free_channels()]
            if not free:
                return None
            line, target = self.lines[free[0]], ext.external
        elif line is None:
            return None
        else:  # isdn, or analog: its FXS port's terminal adapter is a TE on that line
            target = ext.terminal_msn
        try:
            cid = line.dial(target, calling or None,
                            no_channel_ok=waiting and line.network_side)
        except CallError as e:
            log.info("extension_unreachable", extension=ext.number, error=str(e))
            return None
        if cid not in line.cc.calls:  # refused at once: no B-channel free on that bus
            log.info("extension_unreachable", extension=ext.number, error="no B-channel")
            return None
        return self._track(call, Leg(line, cid, role, target, ext), b=role is Role.CALLEE)

    # answers -----------------------------------------------------------------------
    def _first_party_answered(self, call: PbxCall, winner: Leg) -> None:
        """Originate, first stage: who answered becomes the A leg; then the hook may
        hold the second stage, or it starts at once."""
        call.cancel_timers()
        call.pending.clear()
        call.hunt_group = None
        for leg in call.b:
            if leg is not winner and not leg.clearing:
                self._drop(leg, CauseValue.NON_SELECTED_USER_CLEARING)
        call.b.remove(winner)
        winner.role = Role.ORIGIN
        call.a, call.stage, call.state = winner, 2, CallState.ROUTING
        call.failure_cause = None  # what stage 1 met (a busy first number) is history
        call.src = winner.extension.number if winner.extension else winner.number
        self._publish(call, "first-party-answered", channel=winner.id)
        hooks = call.hooks
        if hooks is None or hooks.answered is None or hooks.answered(call):
            self.proceed_originate(call.id)

    def _callee_answered(self, call: PbxCall, winner: Leg) -> None:
        if call.state is not CallState.RINGING:
            self._drop(winner, CauseValue.NON_SELECTED_USER_CLEARING)
            return
        if call.stage == 1:
            self._first_party_answered(call, winner)
            return
        call.cancel_timers()
        call.pending.clear()
        for leg in call.b:
            if leg is not winner and not leg.clearing:
                self._drop(leg, CauseValue.NON_SELECTED_USER_CLEARING)
        call.state = CallState.CONNECTED
        call.connected = winner
        call.answered_at = self.clock.wall()
        if winner.extension is not None:
            call.dst = winner.extension.number
            self._note_answerer(winner.extension)
        a = call.a
        assert a is not None  # a connected call has its A leg
        if a.role is Role.CALLER and not a.answered:
            a.answered = True
            self._safely(a.line.answer, a.call_id)
        self._box_audio_ends(call)
        log.info("call_connected", call=call.id, a=a.id, b=winner.id)
        self._publish(call, "connected", channel=winner.id)
        if self.on_connect is not None:
            self.on_connect(call)
        if call.hooks is not None and call.hooks.connected is not None:
            call.hooks.connected(call)

    def _note_answerer(self, ext: Extension) -> None:
        for group in self.config.groups:
            if group.strategy == "round-robin" and ext.number in group.members:
                self._round_robin[group.number] = group.members.index(ext.number)

    # clearing ------------------------------------------------------------------------
    def _leg_gone(self, call: PbxCall, leg: Leg, cause: int | None) -> None:
        if call.state is CallState.CLEARING:
            return
        if call.extra and leg in (call.a, call.connected, *call.extra) \
                and self._conference_leg_gone(call, leg):
            return
        if leg is call.a or leg is call.connected:
            call.first_gone = leg
            self._clear(call, cause or CauseValue.NORMAL_CALL_CLEARING)
        elif call.state is CallState.RINGING and leg.role is Role.CALLEE:
            if leg.fallback and cause in CONGESTION and not leg.alerting and \
                    self._ring_outside(call, leg.number, leg.dialled_for, leg.fallback):
                log.info("lcr_fallback", call=call.id, failed=leg.id, cause=cause)
                return
            self._note_failure(call, cause or CauseValue.NORMAL_UNSPECIFIED)
            self._nothing_rings(call)

    def _note_failure(self, call: PbxCall, cause: int) -> None:
        if call.failure_cause is None or \
                _CAUSE_RANK.get(cause, 0) > _CAUSE_RANK.get(call.failure_cause, 0):
            call.failure_cause = cause

    def _fail(self, call: PbxCall, cause: int) -> None:
        log.info("call_failed", call=call.id, cause=int(cause))
        self._clear(call, cause)

    def _clear(self, call: PbxCall, cause: int) -> None:
        if call.state is CallState.CLEARING:
            return
        call.state = CallState.CLEARING
        call.cancel_timers()
        call.pending.clear()
        self._app_caller_gone(call)  # before its media go
        if call.failure_cause is None and call.connected is None:
            call.failure_cause = cause
        for leg in call.legs():
            if not leg.clearing:
                self._drop(leg, cause)
        self._publish(call, "clearing", cause=int(cause))
        if all(leg.released for leg in call.legs()):  # nothing was ever dialled
            self._finish(call)

    def _drop(self, leg: Leg, cause: int) -> None:
        leg.clearing = True
        self._safely(leg.line.hangup, leg.call_id, cause)

    def _finish(self, call: PbxCall) -> None:
        if self.calls.pop(call.id, None) is None:
            return  # already finished (a leg can release inside our own hangup)
        call.cancel_timers()
        a, b = call.a, call.connected
        if call.answered_at:  # who hung up first says why the call ended
            cause = next((leg.cause for leg in (b, a) if leg is not None and leg.cause), None)
        else:
            cause = call.failure_cause
        self._record_end(call, cause)

    def _record_end(self, call: PbxCall, cause: int | None) -> None:
        """The call (or one segment of it, up to a transfer) is over: its CDR row, the
        event, the hooks."""
        answered = call.answered_at
        end = self.clock.wall()
        a, b = call.a, call.connected
        if self.cdr is not None and call.record:
            self.cdr.append(make_cdr(
                uniqueid=call.id, src=call.src, dst=call.dst, direction=call.direction,
                channel=a.id if a else "", dstchannel=b.id if b else "", start=call.started,
                answer=answered, end=end, cause=cause, msn=call.msn,
                linkedid=call.linkedid, clid=call.src, userfield=call.userfield))
        log.info("call_end", call=call.id, answered=answered is not None, cause=cause)
        self._publish(call, "ended", cause=cause)
        if self.on_end is not None:
            self.on_end(call)
        if call.hooks is not None and call.hooks.ended is not None:
            call.hooks.ended(call)

    def recording_reason(self, call: PbxCall) -> str | None:
        """Why the call is recorded by the settings (an extension or group in it with
        ``record``), or None."""
        for leg in call.parties():
            ext = self.config.internal(leg.extension.number) if leg.extension else None
            if isinstance(ext, Extension) and ext.record:
                return f"extension {ext.number}"
        for number in call.groups:
            group = self.config.internal(number)
            if isinstance(group, Group) and group.record:
                return f"group {number}"
        return None

    # helpers -------------------------------------------------------------------------
    def _new_call(self, direction: str, src: str, dst: str, msn: str) -> PbxCall:
        call = PbxCall(id=f"c{next(self._ids)}", direction=direction, src=src, dst=dst,
                       msn=msn, started=self.clock.wall())
        self.calls[call.id] = call
        return call

    def _track(self, call: PbxCall, leg: Leg, b: bool = False) -> Leg:
        self._legs[(leg.line.port.name, leg.call_id)] = (call, leg)
        if b:
            call.b.append(leg)
        return leg

    def _busy(self, ext: Extension) -> bool:
        return any(leg.extension is not None and leg.extension.number == ext.number
                   and not leg.released for _, leg in self._legs.values())

    def _extension_of(self, port: str, msn: str) -> Extension | None:
        """The extension of a terminal on ``port`` by the number it sent. A terminal
        that sent none, or one not configured, is the port's first extension: the
        bus's default number, as an exchange screens a calling number (and its
        barring applies, so an unknown terminal cannot dial more than that)."""
        on_port = [e for e in self.config.extensions
                   if e.port == port and e.kind in ("isdn", "analog")]
        return next((e for e in on_port if e.terminal_msn == msn),
                    on_port[0] if on_port else None)

    def _presented_msn(self, ext: Extension | None) -> str | None:
        """The trunk MSN to present for an outgoing call: a route to the extension (or
        to a group it is in); otherwise none, and the exchange presents the default."""
        if ext is None:
            return None
        groups = {g.number for g in self.config.groups if ext.number in g.members}
        direct = [r.number for r in self.config.routes if r.target == ext.number]
        shared = [r.number for r in self.config.routes if r.target in groups]
        return (direct + shared or [None])[0]

    def _safely(self, action: Callable[..., None], call_id: int, *args: Any) -> None:
        """A request on a leg the line may have cleared meanwhile."""
        try:
            action(call_id, *args)
        except CallError:
            pass

    def _publish(self, call: PbxCall, state: str, **extra: Any) -> None:
        if self.events is not None:
            self.events.publish("pbx.call", call=call.id, state=state, src=call.src,
                                dst=call.dst, direction=call.direction, **extra)
