"""Transfer: the party an extension talks to goes on to someone else, the extension drops.

* Blind (``transfer(cN, TARGET)``): the kept party's call rings TARGET at once. With
  transfer-with-return (``transfer_return_seconds``) the target rings that long, then
  the transferring extension is rung back.
* Attended (``transfer_to_call(cN, cM)``): the extension talked to one party in cN and
  consulted another in cM (both answered); the two parties are joined, it drops.

A transfer ends the call's segment: its CDR row is written then, and the kept party
goes on in a new PBX call with the same linkedid, so billing sees both segments.
The switch's media hooks see the old segment end (``on_end``) and the new one connect
(``on_connect``), as for any call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.pbx.dialplan import Incomplete, Internal, Outside, Refused, resolve
from firmware.pbx.legs import CallState, Leg, OriginateHooks, PbxCall, PbxError

if TYPE_CHECKING:
    from firmware.pbx.switch import Switch

log = get_logger("pbx")


class TransferError(Exception):
    """Who acts in a call could not be told."""


def party_leg(call: PbxCall, by: str | None) -> Leg:
    """The leg of the extension acting on ``call``: the one named ``by``, else the
    internal one (the answering extension when both are)."""
    legs = [leg for leg in (call.connected, call.a) if leg is not None and not leg.clearing]
    internal = [leg for leg in legs if leg.extension is not None]
    if by is not None:
        internal = [leg for leg in internal if leg.extension.number == by]
        if not internal:
            raise TransferError(f"extension {by} is not in call {call.id}")
    if not internal:
        raise TransferError(f"call {call.id} has no extension in it to act for")
    return internal[0]


def common_party(first: PbxCall, second: PbxCall, by: str | None) -> tuple[Leg, Leg]:
    """The legs of the one extension that is in both calls (named ``by``, if given)."""
    for x1 in (first.connected, first.a):
        if x1 is None or x1.clearing or x1.extension is None:
            continue
        if by is not None and x1.extension.number != by:
            continue
        try:
            return x1, party_leg(second, x1.extension.number)
        except TransferError:
            continue
    raise TransferError(f"no extension is in both {first.id} and {second.id}"
                        + (f" (as {by})" if by else ""))


def other_leg(call: PbxCall, leg: Leg) -> Leg:
    other = call.connected if leg is call.a else call.a
    assert other is not None
    return other


class Transfers:
    """Mixed into the Switch."""

    def transfer(self: Switch, call_id: str, target: str, by: str | None = None,
                 return_seconds: int | None = None) -> PbxCall:
        call = self._answered_call(call_id)
        try:
            mover = party_leg(call, by)
        except TransferError as e:
            raise PbxError(str(e)) from None
        ext = mover.extension
        decision = resolve(target, ext, self.config, complete=True)
        if isinstance(decision, Refused | Incomplete):
            raise PbxError(getattr(decision, "reason", f"incomplete number {target}"))
        if isinstance(decision, Internal) and decision.target.number == ext.number:
            raise PbxError(f"extension {ext.number} cannot transfer to itself")
        if isinstance(decision, Outside) and self._outside_blocked(decision.number) and \
                mover.line.network_side:
            raise PbxError("both B-channels of the trunk are busy (cause 34): "
                           "nothing transferred")
        seconds = self.config.transfer_return_seconds if return_seconds is None \
            else return_seconds
        kept = other_leg(call, mover)
        new = self._continue(kept, [call], [mover], outside=isinstance(decision, Outside),
                             dst=target)
        new.state, new.hunt_caller = CallState.RINGING, ext
        log.info("transfer", call=call.id, to=target, by=ext.number, new=new.id,
                 return_seconds=seconds)
        self._publish(new, "transferring", by=ext.number, to=target, replaces=call.id)
        if seconds:  # a two-step hunt: the target, then the transferring extension
            new.pending, new.hunt_seconds = [target, ext.number], seconds
            rang = self._hunt_next(new)
        elif isinstance(decision, Internal):
            rang = self._ring_target(new, decision.target.number, ext)
        else:
            rang = self._ring_outside(new, decision.number, ext)
        if not rang:
            self._nothing_rings(new)
        return new

    def transfer_to_call(self: Switch, call_id: str, other_id: str, by: str | None = None
                         ) -> PbxCall:
        return self.attended_transfer_plan(call_id, other_id, by)()

    def attended_transfer_plan(self: Switch, call_id: str, other_id: str,
                               by: str | None = None) -> Callable[[], PbxCall]:
        """Check an attended transfer (PbxError says why it cannot be) and return what
        carries it out: a phone's ECT is answered between the two."""
        first = self._answered_call(call_id)
        second = self.calls.get(other_id)
        if second is not None and second.state is CallState.RINGING and second.stage != 1:
            x1, x2 = self._ringing_parties(first, second, by)
            return lambda: self._transfer_to_ringing(first, second, x1, x2)
        second = self._answered_call(other_id)
        if first is second:
            raise PbxError("a call cannot be transferred to itself")
        try:
            x1, x2 = common_party(first, second, by)
        except TransferError as e:
            raise PbxError(str(e)) from None
        return lambda: self._join(first, second, x1, x2)

    def _join(self: Switch, first: PbxCall, second: PbxCall, x1: Leg, x2: Leg) -> PbxCall:
        p, q = other_leg(first, x1), other_leg(second, x2)
        new = self._continue(p, [first, second], [x1, x2], outside=not q.line.network_side,
                             dst=q.extension.number if q.extension else q.number)
        new.b.append(q)
        self._legs[(q.line.port.name, q.call_id)] = (new, q)
        self._unhold(new, q)
        new.connected, new.state = q, CallState.CONNECTED
        new.answered_at = self.clock.wall()
        log.info("transfer", call=first.id, to=second.id, by=x1.extension.number,
                 new=new.id)
        self._publish(new, "connected", channel=q.id, by=x1.extension.number,
                      replaces=f"{first.id},{second.id}")
        if self.on_connect is not None:
            self.on_connect(new)
        return new

    def _ringing_parties(self: Switch, first: PbxCall, second: PbxCall, by: str | None
                         ) -> tuple[Leg, Leg]:
        x2 = second.a
        if x2 is None or x2.extension is None or (by is not None and
                                                  x2.extension.number != by):
            raise PbxError(f"no extension is in both {first.id} and {second.id}"
                           + (f" (as {by})" if by else ""))
        try:
            return party_leg(first, x2.extension.number), x2
        except TransferError as e:
            raise PbxError(str(e)) from None

    def _transfer_to_ringing(self: Switch, first: PbxCall, second: PbxCall, x1: Leg,
                             x2: Leg) -> PbxCall:
        """Transfer while the consultation call still rings: the party of ``first``
        takes the extension's place as the A leg of ``second``, which rings on (its
        timers, hunting and forwarding unchanged) and ends as any call."""
        p = other_leg(first, x1)
        linked = first.linkedid or first.id
        first.linkedid = second.linkedid = linked
        second.a, p.answered = p, True
        second.src = p.extension.number if p.extension else p.number
        second.msn = first.msn if p is first.a else ""
        second.direction = "in" if not p.line.network_side else second.direction
        self._legs[(p.line.port.name, p.call_id)] = (second, p)
        self._unhold(second, p)
        self.calls.pop(first.id, None)
        first.state = CallState.CLEARING
        first.cancel_timers()
        for leg in (x1, x2):
            self._drop(leg, CauseValue.NORMAL_CALL_CLEARING)
        self._publish(first, "transferred", to=second.id)
        self._record_end(first, CauseValue.NORMAL_CALL_CLEARING)
        log.info("transfer", call=first.id, to=second.id, by=x2.extension.number,
                 ringing=True)
        self._publish(second, "transferring", by=x2.extension.number, replaces=first.id)
        return second

    # helpers ------------------------------------------------------------------------
    def _answered_call(self: Switch, call_id: str, conference_ok: bool = False) -> PbxCall:
        call = self.calls.get(call_id)
        if call is None:
            raise PbxError(f"no call {call_id}")
        if call.state is not CallState.CONNECTED:
            raise PbxError(f"call {call_id} is {call.state.value}, not connected")
        if call.extra and not conference_ok:
            raise PbxError(f"call {call_id} is a conference: its parties leave by hanging up")
        return call

    def _continue(self: Switch, kept: Leg, ended: list[PbxCall], drop: list[Leg],
                  outside: bool, dst: str) -> PbxCall:
        """End the segments ``ended`` (CDR rows now, cause 16), drop the transferring
        legs, and go on with ``kept`` as the A leg of a new call."""
        old = ended[0]
        direction = "in" if not kept.line.network_side else "out" if outside else "internal"
        src = kept.extension.number if kept.extension else kept.number
        msn = old.msn if kept is old.a else ""
        new = self._new_call(direction, src, dst, msn)
        new.linkedid = old.linkedid or old.id
        if old.hooks is not None and old.hooks.ended is not None:
            new.hooks = OriginateHooks(ended=old.hooks.ended)  # the owner hears the end
        for call in ended:
            call.linkedid = call.linkedid or new.linkedid
            call.hooks = None
        new.a = kept
        kept.answered = True
        self._legs[(kept.line.port.name, kept.call_id)] = (new, kept)
        self._unhold(new, kept)
        for call in ended:
            self.calls.pop(call.id, None)
            call.state = CallState.CLEARING
            call.cancel_timers()
            call.pending.clear()
        for leg in drop:
            if not leg.clearing:
                self._drop(leg, CauseValue.NORMAL_CALL_CLEARING)
        for call in ended:
            self._publish(call, "transferred", to=new.id)
            self._record_end(call, CauseValue.NORMAL_CALL_CLEARING)
        return new
