"""The network side of DSS1 call control (the exchange, or the box on its own S0 bus):
states N0-N25.

On a point-to-multipoint bus a call to the terminals is offered by one SETUP in a
broadcast UI frame (Q.931 5.2.5): every terminal may answer on its own data link. The
call record then keeps each responder's state; the first CONNECT wins, the others get
RELEASE with cause 26, and while T312 runs late responders are turned away the same
way. If nobody takes the call, the best cause the terminals gave (busy first) or 18
goes to the caller.
"""

from __future__ import annotations

from firmware.enums import members
from firmware.isdn.dss1.call import Call
from firmware.isdn.dss1.engine import CallControl, Handler
from firmware.isdn.dss1.primitives import CallEvent, Ind, Out, SendMessage, StartTimer
from firmware.isdn.dss1.states import CLEARING, CallState
from firmware.isdn.dss1.timers import NETWORK_TIMERS, Timers
from firmware.isdn.q931.causes import CauseValue, Location
from firmware.isdn.q931.codec import Decoded
from firmware.isdn.q931.ies import (
    IE,
    BearerCapability,
    CalledPartyNumber,
    CallingPartyNumber,
    Cause,
    ChannelIdentification,
    KeypadFacility,
    SendingComplete,
)
from firmware.isdn.q931.ies import CallState as CallStateIE
from firmware.isdn.q931.messages import Message, MessageType

# Members read per message, bound for speed (firmware/enums.py): S.X is CallState.X.
MT = members(MessageType)
S = members(CallState)
IND = members(Ind)
SPEECH = BearerCapability()
OFFERING = (S.CALL_PRESENT, S.CALL_RECEIVED, S.INCOMING_CALL_PROCEEDING,
            S.OVERLAP_RECEIVING)
# A terminal busy beats one that rejected: the caller should hear busy (5.2.5.3).
CAUSE_PRIORITY = (CauseValue.USER_BUSY, CauseValue.CALL_REJECTED)


class NetworkCallControl(CallControl):
    network_side = True
    DIGITS_STATE = CallState.OVERLAP_SENDING

    def __init__(self, *, ptp: bool, timers: Timers = NETWORK_TIMERS,
                 location: Location = Location.PUBLIC_NETWORK_LOCAL_USER, **kw) -> None:
        super().__init__(ptp=ptp, timers=timers, location=location, **kw)
        self._offers: dict[int, Call] = {}  # call reference -> broadcast call

    def side_handlers(self) -> dict[int, Handler]:
        return {
            MT.SETUP_ACKNOWLEDGE: self._on_setup_acknowledge,
            MT.CALL_PROCEEDING: self._on_call_proceeding,
            MT.ALERTING: self._on_alerting,
            MT.CONNECT: self._on_connect,
            MT.CONNECT_ACKNOWLEDGE: self._on_connect_acknowledge,
            MT.PROGRESS: lambda call, tei, m: [
                CallEvent(IND.PROGRESS_IND, call.id, info={"message": str(m)})],
            MT.SUSPEND: self._refuse(MT.SUSPEND_REJECT),
            MT.RESUME: self._refuse(MT.RESUME_REJECT),
            MT.HOLD: self._refuse(MT.HOLD_REJECT),
            MT.RETRIEVE: self._refuse(MT.RETRIEVE_REJECT),
        }

    # calls from the terminals (Q.931 5.1, network side) -----------------------------
    def on_setup(self, tei: int | None, m: Message, d: Decoded) -> list[Out]:
        chosen = self.channels.select(m.get(ChannelIdentification))
        if isinstance(chosen, CauseValue):
            return [self._reply(tei, m, MT.RELEASE_COMPLETE, [self._cause(chosen)])]
        call = self._new_call(m.call_ref, False, tei)
        call.state = S.CALL_INITIATED
        call.channel = chosen
        self.channels.take(chosen, call.id)
        return [self._setup_ind(call, m, tei=tei)]

    def setup_ack_req(self, call_id: int) -> list[Out]:
        """Ask the terminal for more digits (overlap sending, N2)."""
        return self._respond(call_id, (S.CALL_INITIATED,), S.OVERLAP_SENDING,
                             MT.SETUP_ACKNOWLEDGE, start="T302")

    def proceeding_req(self, call_id: int) -> list[Out]:
        return self._respond(call_id, (S.CALL_INITIATED, S.OVERLAP_SENDING),
                             S.OUTGOING_CALL_PROCEEDING, MT.CALL_PROCEEDING)

    def alerting_req(self, call_id: int) -> list[Out]:
        return self._respond(call_id, (S.CALL_INITIATED, S.OVERLAP_SENDING,
                                       S.OUTGOING_CALL_PROCEEDING),
                             S.CALL_DELIVERED, MT.ALERTING)

    def setup_rsp(self, call_id: int) -> list[Out]:
        """The far end answered: CONNECT to the calling terminal (N10)."""
        return self._respond(call_id, (S.CALL_INITIATED, S.OVERLAP_SENDING,
                                       S.OUTGOING_CALL_PROCEEDING, S.CALL_DELIVERED),
                             S.ACTIVE, MT.CONNECT)

    def _on_connect_acknowledge(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        return []  # the calling user's optional acknowledgement of our CONNECT

    # calls to the terminals (Q.931 5.2, network side) -------------------------------
    def setup_req(self, called: str, calling: str | None = None, *,
                  bearer: BearerCapability = SPEECH, channel: int | None = None,
                  sending_complete: bool = True, tei: int | None = None
                  ) -> tuple[int, list[Out]]:
        """Offer a call to the terminals (broadcast on P-MP, or to `tei`)."""
        chosen = self.channels.select(
            ChannelIdentification(channel=channel, exclusive=channel is not None))
        broadcast = not self.ptp and tei is None
        call = self._new_call(self._allocate_cr(), True, 0 if self.ptp else tei)
        call.called, call.calling = called, calling or ""
        if isinstance(chosen, CauseValue):
            return call.id, self._free(call, chosen)
        call.channel = chosen
        self.channels.take(chosen, call.id)
        ies: list[IE] = [bearer, ChannelIdentification(channel=chosen, exclusive=True)]
        if calling:
            ies.append(CallingPartyNumber(calling, presentation=0, screening=3))
        if called:
            ies.append(CalledPartyNumber(called))
        if sending_complete:
            ies.append(SendingComplete())
        call.setup = Message(MT.SETUP, call.cr, False, 1, ies)
        call.state = S.CALL_PRESENT
        out = self._start(call, "T303")
        if broadcast:
            call.broadcast = call.offer_open = True
            self._offers[call.cr] = call
            # T312 is not one of the call's timers: clearing the call must not stop it.
            out.append(StartTimer(("q931", "T312", call.id), self.timers.T312))
        return call.id, [SendMessage(call.setup, call.tei, broadcast)] + out

    def info_req(self, call_id: int, digits: str = "", sending_complete: bool = False
                 ) -> list[Out]:
        call = self.calls.get(call_id)
        if call is None or call.state in CLEARING or call.state == S.NULL:
            return []
        if call.state == S.OVERLAP_RECEIVING:
            ies: list[IE] = [CalledPartyNumber(digits)] if digits else []
            if sending_complete:
                ies.append(SendingComplete())
            return self._send(call, MT.INFORMATION, ies) + self._start(call, "T304")
        return self._send(call, MT.INFORMATION, [KeypadFacility(digits)])

    def _on_setup_acknowledge(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if not call.ours or call.state != S.CALL_PRESENT:
            return self._wrong_state(call)
        self._responded(call, tei, S.OVERLAP_RECEIVING)
        call.state = S.OVERLAP_RECEIVING
        return self._stop(call, "T303") + [CallEvent(IND.MORE_INFO_IND, call.id)]

    def _on_call_proceeding(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if not call.ours or call.state not in OFFERING:
            return self._wrong_state(call)
        self._responded(call, tei, S.INCOMING_CALL_PROCEEDING)
        out = self._stop(call, "T303", "T304")
        if call.state in (S.CALL_PRESENT, S.OVERLAP_RECEIVING):
            call.state = S.INCOMING_CALL_PROCEEDING
            out += self._start(call, "T310")
            out.append(CallEvent(IND.PROCEEDING_IND, call.id))
        return out

    def _on_alerting(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if not call.ours or call.state not in OFFERING:
            return self._wrong_state(call)
        self._responded(call, tei, S.CALL_RECEIVED)
        out = self._stop(call, "T303", "T304", "T310")
        if call.state != S.CALL_RECEIVED:
            call.state = S.CALL_RECEIVED
            out += self._start(call, "T301")
            out.append(CallEvent(IND.ALERTING_IND, call.id))
        return out

    def _on_connect(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if not call.ours or call.state not in OFFERING:
            return self._wrong_state(call)
        out = self._stop(call, "T303", "T304", "T310", "T301")
        if call.broadcast:
            self._rekey(call, tei)
            for other in call.responders:
                if other != tei:
                    out += self._send(call, MT.RELEASE, [
                        self._cause(CauseValue.NON_SELECTED_USER_CLEARING)], tei=other)
                    call.losers.add(other)
            call.responders.clear()
        call.state = S.ACTIVE
        out += self._send(call, MT.CONNECT_ACKNOWLEDGE, [])
        return out + [CallEvent(IND.SETUP_CONF, call.id, info={"tei": tei})]

    def _t303_expiry(self, call: Call) -> list[Out]:
        call.t303_expiries += 1
        if call.responders:
            return []
        if not call.rejections and call.t303_expiries == 1 and call.setup is not None:
            return [SendMessage(call.setup, call.tei, call.broadcast)] + \
                self._start(call, "T303")
        if not call.broadcast:
            cause = CauseValue.RECOVERY_ON_TIMER_EXPIRY
            out = self._send(call, MT.RELEASE_COMPLETE, [self._cause(cause)])
            return out + [CallEvent(IND.DISCONNECT_IND, call.id,
                                    CauseValue.NO_USER_RESPONDING)] + self._free(
                call, CauseValue.NO_USER_RESPONDING)
        return self._offer_failed(call)

    def timer_expiry(self, key: tuple) -> list[Out]:
        if key[1] == "T312":
            call = next((c for c in self._offers.values() if c.id == key[2]), None)
            return self._t312_expiry(call) if call is not None else []
        return super().timer_expiry(key)

    def _t312_expiry(self, call: Call) -> list[Out]:
        call.offer_open = False
        if call.state == S.CALL_ABORT:  # only the guard was left
            del self._offers[call.cr]
            return []
        if call.tei is None and not call.responders and "T303" not in call.timers:
            return self._offer_failed(call)
        if self._offers.get(call.cr) is call:
            del self._offers[call.cr]
        return []

    def _t301_expiry(self, call: Call) -> list[Out]:
        return self._give_up(call, CauseValue.NO_ANSWER)

    def _t310_expiry(self, call: Call) -> list[Out]:
        return self._give_up(call, CauseValue.NO_USER_RESPONDING)

    def _t304_expiry(self, call: Call) -> list[Out]:
        return self._clear_on_timeout(call)

    def _give_up(self, call: Call, cause_to_caller: int) -> list[Out]:
        """No answer in time: the caller hears `cause_to_caller`, the terminals 102."""
        out: list[Out] = [CallEvent(IND.DISCONNECT_IND, call.id, cause_to_caller)]
        if call.broadcast and call.tei is None:
            return out + self._abort_offer(call, CauseValue.RECOVERY_ON_TIMER_EXPIRY)
        return out + self._disconnect(call, CauseValue.RECOVERY_ON_TIMER_EXPIRY)

    # clearing a broadcast offer -----------------------------------------------------
    def disconnect_req(self, call_id: int, cause: int = CauseValue.NORMAL_CALL_CLEARING
                       ) -> list[Out]:
        call = self.calls.get(call_id)
        if call is not None and call.broadcast and call.tei is None \
                and call.state not in CLEARING:
            return self._abort_offer(call, cause)
        return super().disconnect_req(call_id, cause)

    def _abort_offer(self, call: Call, cause: int) -> list[Out]:
        """Withdraw an offer nobody has taken: RELEASE to each terminal that responded."""
        call.cause = cause
        out = self._stop(call, "T303", "T304", "T310", "T301")
        for tei in call.responders:
            out += self._send(call, MT.RELEASE, [self._cause(cause)], tei=tei)
            call.losers.add(tei)
        call.responders.clear()
        return out + self._free(call, cause)

    def _offer_failed(self, call: Call) -> list[Out]:
        cause = next((c for c in CAUSE_PRIORITY if c in call.rejections),
                     call.rejections[0] if call.rejections else CauseValue.NO_USER_RESPONDING)
        return [CallEvent(IND.DISCONNECT_IND, call.id, cause)] + self._abort_offer(call, cause)

    # responses from several terminals -----------------------------------------------
    def _find(self, tei: int | None, m: Message) -> Call | None:
        call = super()._find(tei, m)
        if call is None and m.flag:
            call = self._offers.get(m.call_ref)
            if call is None:
                # A responder of a broadcast offer nobody has answered yet, after T312:
                # the call is still filed under no TEI (e.g. a ringing phone hangs up).
                offer = self._by_key.get((None, m.call_ref, True))
                if offer is not None and offer.broadcast and offer.tei is None:
                    call = offer
        return call

    def _dispatch(self, call: Call, tei: int | None, m: Message, d: Decoded) -> list[Out]:
        if call.state == S.CALL_ABORT and tei == call.tei:
            return self._unknown_reference(tei, m)  # the answering terminal, call is gone
        if call.broadcast and tei != call.tei:
            handled = self._responder_message(call, tei, m)
            if handled is not None:
                return handled
        return super()._dispatch(call, tei, m, d)

    def _responder_message(self, call: Call, tei: int | None, m: Message) -> list[Out] | None:
        """A terminal's message about a broadcast offer; None: handle at call level."""
        cause = m.get(Cause)
        if tei in call.losers or call.tei is not None or call.state == S.CALL_ABORT:
            return self._turn_away(call, tei, m)
        if m.type == MT.STATUS_ENQUIRY:
            state = call.responders.get(tei, S.CALL_PRESENT)
            return self._send(call, MT.STATUS, [
                self._cause(CauseValue.RESPONSE_TO_STATUS_ENQUIRY),
                CallStateIE(int(state))], tei=tei)
        if m.type not in (MT.RELEASE_COMPLETE, MT.RELEASE, MT.DISCONNECT):
            return None
        out: list[Out] = []
        if m.type == MT.RELEASE:
            out += self._send(call, MT.RELEASE_COMPLETE, [], tei=tei)
        elif m.type == MT.DISCONNECT:
            out += self._send(call, MT.RELEASE, [], tei=tei)
            call.losers.add(tei)
        call.responders.pop(tei, None)
        call.rejections.append(cause.value if cause else CauseValue.CALL_REJECTED)
        if not call.responders and "T303" not in call.timers and not call.offer_open:
            out += self._offer_failed(call)
        return out

    def _turn_away(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        """A terminal that lost the race, or came too late."""
        if m.type == MT.RELEASE_COMPLETE:
            call.losers.discard(tei)
            return []
        if m.type == MT.RELEASE:
            call.losers.discard(tei)
            return self._send(call, MT.RELEASE_COMPLETE, [], tei=tei)
        if tei in call.losers:
            return []  # our RELEASE is on its way
        call.losers.add(tei)
        return self._send(call, MT.RELEASE, [
            self._cause(CauseValue.NON_SELECTED_USER_CLEARING)], tei=tei)

    def _responded(self, call: Call, tei: int | None, state: CallState) -> None:
        if call.broadcast and call.tei is None:
            call.responders[tei] = state

    def _free(self, call: Call, cause: int | None) -> list[Out]:
        out = super()._free(call, cause)
        if call.offer_open:
            # The call is gone, but until T312 expires its reference stays reserved
            # and late responders are turned away (N22).
            call.state = S.CALL_ABORT
        elif self._offers.get(call.cr) is call:
            del self._offers[call.cr]
        return out

    def _crs_in_use(self) -> set[int]:
        return super()._crs_in_use() | set(self._offers)

    # helpers ------------------------------------------------------------------------
    def _refuse(self, reject: MessageType) -> Handler:
        def handler(call: Call, tei: int | None, m: Message) -> list[Out]:
            return self._send(call, reject, [self._cause(CauseValue.FACILITY_REJECTED)])
        return handler


