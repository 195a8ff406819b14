"""Three-party conference (the signalling; the mix is the media engine's).

``conference(cN, cM)``: an extension that is in two connected calls (typically one
held on its phone and a consultation) joins them. The call in which the extension
still has its B-channel becomes the conference; the other party of the second call
moves into it and that call's segment ends (its CDR row, same linkedid), the
extension's leg in it is dropped. Held parties are taken off hold; every other party
is told with NOTIFY "conference established" (Q.932 notification 0x42), and
``Switch.on_conference(call)`` lets the media engine mix ``call.parties()``.

As in ETSI 3PTY (EN 300 188-1): when the controlling extension hangs up, the
conference ends for all; when another party leaves, the remaining two go on as an
ordinary call (NOTIFY "conference disconnected", on_conference again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firmware.isdn.dss1.hold import Notification
from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.pbx.legs import CallState, Leg, PbxCall, PbxError
from firmware.pbx.transfer import TransferError, common_party, other_leg

if TYPE_CHECKING:
    from firmware.pbx.switch import Switch

log = get_logger("pbx")


class Conferences:
    """Mixed into the Switch."""

    def conference(self: Switch, call_id: str, other_id: str, by: str | None = None
                   ) -> PbxCall:
        first, second = self._answered_call(call_id), self._answered_call(other_id)
        if first is second:
            raise PbxError("a conference needs two different calls")
        if first.extra or second.extra:
            raise PbxError("one of the calls is a conference already")
        try:
            x1, x2 = common_party(first, second, by)
        except TransferError as e:
            raise PbxError(str(e)) from None
        if self._phone_holds(x1) and not self._phone_holds(x2):  # keep the live leg
            first, second, x1, x2 = second, first, x2, x1
        newcomer = other_leg(second, x2)
        # The second call's segment ends; its other party joins the first call.
        older = min(first, second, key=lambda c: (c.started, int(c.id[1:])))
        first.linkedid = second.linkedid = first.linkedid or second.linkedid or older.id
        self.calls.pop(second.id, None)
        second.state = CallState.CLEARING
        second.cancel_timers()
        first.b.append(newcomer)
        first.extra.append(newcomer)
        first.controller = x1
        self._legs[(newcomer.line.port.name, newcomer.call_id)] = (first, newcomer)
        self._drop(x2, CauseValue.NORMAL_CALL_CLEARING)
        self._publish(second, "transferred", to=first.id)
        self._record_end(second, CauseValue.NORMAL_CALL_CLEARING)
        for leg in first.parties():
            self._unhold(first, leg)
            if leg is not x1:
                self._safely(leg.line.notify, leg.call_id, Notification.CONFERENCE_ESTABLISHED)
        log.info("conference", call=first.id, by=x1.extension.number,
                 parties=",".join(leg.id for leg in first.parties()))
        self._publish(first, "conference", by=x1.extension.number,
                      parties=[leg.id for leg in first.parties()])
        if self.on_conference is not None:
            self.on_conference(first)
        return first

    def _conference_leg_gone(self: Switch, call: PbxCall, leg: Leg) -> bool:
        """A party of a conference left; True when the call goes on without it."""
        controller = call.controller
        if leg is controller:
            return False  # the controller hung up: the conference ends for all
        remaining = [p for p in call.parties() if p is not leg]
        if leg is call.a:
            call.a = call.extra.pop(0)
        elif leg is call.connected:
            call.connected = call.extra.pop(0)
        else:
            call.extra.remove(leg)
        call.controller = None
        for party in remaining:
            if party is not controller:
                self._safely(party.line.notify, party.call_id,
                             Notification.CONFERENCE_DISCONNECTED)
        log.info("conference_party_left", call=call.id, leg=leg.id)
        self._publish(call, "conference-ended", channel=leg.id)
        if self.on_conference is not None:
            self.on_conference(call)
        return True
