"""Hold and retrieve, from an ISDN phone (DSS1 HOLD/RETRIEVE) or through the API.

When an extension holds, the party it talks to is "held": it is told with NOTIFY
remote hold (and remote retrieval when taken back, EN 300 139-1 / EN 300 403-1) and
``Switch.on_hold(call, leg)`` / ``on_retrieve(call, leg)`` let the media engine play
music on hold to that leg and stop it. A phone that holds gets its B-channel freed, so
it can place a consultation call (and then transfer or conference the two).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firmware.isdn.dss1.hold import CALL_HELD, Notification
from firmware.isdn.line import CallError
from firmware.isdn.q931 import rose
from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.pbx.legs import CallState, Leg, PbxCall, PbxError
from firmware.pbx.transfer import TransferError, other_leg, party_leg

if TYPE_CHECKING:
    from firmware.pbx.switch import Switch

log = get_logger("pbx")


class Holding:
    """Mixed into the Switch."""

    # requests from the API ----------------------------------------------------------
    def hold(self: Switch, call_id: str, by: str | None = None) -> Leg:
        """Extension ``by`` (default: the call's extension) holds the other party."""
        call, holder = self._acting(call_id, by)
        held = other_leg(call, holder)
        if held.held:
            raise PbxError(f"call {call_id} is already on hold")
        self._put_on_hold(call, holder, held)
        return held

    def retrieve(self: Switch, call_id: str, by: str | None = None) -> Leg:
        call, holder = self._acting(call_id, by)
        held = other_leg(call, holder)
        if not held.held:
            raise PbxError(f"call {call_id} is not on hold")
        if self._phone_holds(holder):
            raise PbxError(f"extension {holder.extension.number} holds the call on its "
                           f"phone: take it back there")
        self._unhold(call, held)
        return held

    # DSS1 from the phones -------------------------------------------------------------
    def _phone_hold(self: Switch, call: PbxCall, leg: Leg) -> None:
        """HOLD from the phone of ``leg``: acknowledge it while the call is connected."""
        if call.state is not CallState.CONNECTED or leg.extension is None or call.extra \
                or other_leg(call, leg).held:
            self._safely(leg.line.hold_reject, leg.call_id, CauseValue.FACILITY_REJECTED)
            return
        self._safely(leg.line.hold_ack, leg.call_id)
        self._put_on_hold(call, leg, other_leg(call, leg))

    def _phone_retrieve(self: Switch, call: PbxCall, leg: Leg) -> None:
        try:
            back = leg.line.retrieve_ack(leg.call_id)
        except CallError:  # the call went meanwhile
            return
        if back and call.state is CallState.CONNECTED:
            self._unhold(call, other_leg(call, leg))

    def _phone_facility(self: Switch, call: PbxCall, leg: Leg, components: list) -> None:
        """Operations a phone invokes: explicit call transfer (EN 300 369-1): the
        phone's held call and the one in hand are joined; the box answers with the
        result and then clears both calls from the phone (cause 16)."""
        for c in components:
            if not isinstance(c, rose.Invoke) or c.opcode != rose.ECT_EXECUTE:
                continue  # the line rejects what nobody answered
            held = self._held_partner(leg)
            try:
                if held is None:
                    raise PbxError("no held call")
                carry_out = self.attended_transfer_plan(held.id, call.id,
                                                        by=leg.extension.number)
            except PbxError:
                self._safely(leg.line.facility, leg.call_id,
                             rose.ReturnError(c.invoke_id, rose.INVALID_CALL_STATE))
                continue
            self._safely(leg.line.facility, leg.call_id, rose.ReturnResult(c.invoke_id))
            carry_out()

    def _held_partner(self: Switch, leg: Leg) -> PbxCall | None:
        """The connected call in which the same terminal holds a call on its phone."""
        for other, candidate in list(self._legs.values()):
            if candidate is not leg and candidate.line is leg.line \
                    and candidate.extension is not None and leg.extension is not None \
                    and candidate.extension.number == leg.extension.number \
                    and self._phone_holds(candidate) and other.state is CallState.CONNECTED \
                    and not other.extra:
                return other
        return None

    # both ---------------------------------------------------------------------------
    def _put_on_hold(self: Switch, call: PbxCall, holder: Leg, held: Leg) -> None:
        held.held = True
        self._safely(held.line.notify, held.call_id, Notification.REMOTE_HOLD)
        log.info("hold", call=call.id, by=holder.id, held=held.id)
        self._publish(call, "held", by=holder.extension.number if holder.extension else "",
                      channel=held.id)
        if self.on_hold is not None:
            self.on_hold(call, held)

    def _unhold(self: Switch, call: PbxCall, held: Leg) -> None:
        if not held.held:
            return
        held.held = False
        self._safely(held.line.notify, held.call_id, Notification.REMOTE_RETRIEVAL)
        log.info("retrieve", call=call.id, held=held.id)
        self._publish(call, "retrieved", channel=held.id)
        if self.on_retrieve is not None:
            self.on_retrieve(call, held)

    def _phone_holds(self: Switch, leg: Leg) -> bool:
        line_call = leg.line.cc.calls.get(leg.call_id)
        return line_call is not None and line_call.hold == CALL_HELD

    def _acting(self: Switch, call_id: str, by: str | None) -> tuple[PbxCall, Leg]:
        call = self._answered_call(call_id)
        try:
            return call, party_leg(call, by)
        except TransferError as e:
            raise PbxError(str(e)) from None
