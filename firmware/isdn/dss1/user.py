"""The user side of DSS1 call control (the box as TE towards the telco): states U0-U25.

Establishment follows Q.931 5.1 (our calls) and 5.2 (calls offered to us) with the
ETSI profile of EN 300 403-1; clearing, errors and restart come from engine.py.
"""

from __future__ import annotations

from firmware.enums import members
from firmware.isdn.dss1.call import Call
from firmware.isdn.dss1.engine import CallControl, Handler
from firmware.isdn.dss1.primitives import CallEvent, Ind, Out, SendMessage
from firmware.isdn.dss1.states import CallState
from firmware.isdn.dss1.timers import USER_TIMERS, Timers
from firmware.isdn.q931.causes import CauseValue, Location
from firmware.isdn.q931.codec import Decoded
from firmware.isdn.q931.ies import (
    IE,
    BearerCapability,
    CalledPartyNumber,
    CallingPartyNumber,
    ChannelIdentification,
    KeypadFacility,
    SendingComplete,
)
from firmware.isdn.q931.messages import Message, MessageType

# Members read per message, bound for speed (firmware/enums.py): S.X is CallState.X.
MT = members(MessageType)
S = members(CallState)
IND = members(Ind)
SPEECH = BearerCapability()  # speech, circuit mode, 64 kbit/s, G.711 A-law


class UserCallControl(CallControl):
    network_side = False

    def __init__(self, *, ptp: bool, timers: Timers = USER_TIMERS, **kw) -> None:
        super().__init__(ptp=ptp, timers=timers, location=Location.USER, **kw)

    def side_handlers(self) -> dict[int, Handler]:
        return {
            MT.SETUP_ACKNOWLEDGE: self._on_setup_acknowledge,
            MT.CALL_PROCEEDING: self._on_call_proceeding,
            MT.ALERTING: self._on_alerting,
            MT.CONNECT: self._on_connect,
            MT.CONNECT_ACKNOWLEDGE: self._on_connect_acknowledge,
            MT.PROGRESS: self._on_progress,
        }

    # our calls (Q.931 5.1) ----------------------------------------------------------
    def setup_req(self, called: str, calling: str | None = None, *,
                  bearer: BearerCapability = SPEECH, channel: int | None = None,
                  exclusive: bool = False, sending_complete: bool = True
                  ) -> tuple[int, list[Out]]:
        """Place a call; returns its id. Without `channel` the network picks one."""
        call = self._new_call(self._allocate_cr(), True, None)
        call.called, call.calling = called, calling or ""
        ies: list[IE] = [bearer, ChannelIdentification(channel=channel, exclusive=exclusive,
                                                       any_channel=channel is None)]
        if calling:
            ies.append(CallingPartyNumber(calling))
        if called:
            ies.append(CalledPartyNumber(called))
        if sending_complete:
            ies.append(SendingComplete())
        call.setup = Message(MT.SETUP, call.cr, False, 1, ies)  # kept: T303 may repeat it
        call.state = S.CALL_INITIATED
        return call.id, [SendMessage(call.setup, call.tei)] + self._start(call, "T303")

    def info_req(self, call_id: int, digits: str = "", sending_complete: bool = False
                 ) -> list[Out]:
        """More called-number digits in overlap sending (U2), or keypad digits later."""
        call = self.calls.get(call_id)
        if call is None or call.state in (S.NULL, S.CALL_INITIATED):
            return []
        if call.state == S.OVERLAP_SENDING:
            ies: list[IE] = [CalledPartyNumber(digits)] if digits else []
            if sending_complete:
                ies.append(SendingComplete())
            call.called += digits
            return self._send(call, MT.INFORMATION, ies) + self._start(call, "T304")
        return self._send(call, MT.INFORMATION, [KeypadFacility(digits)])

    def _on_setup_acknowledge(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.state != S.CALL_INITIATED:
            return self._wrong_state(call)
        self._take_channel(call, m)
        call.state = S.OVERLAP_SENDING
        return (self._stop(call, "T303") + self._start(call, "T304")
                + [CallEvent(IND.MORE_INFO_IND, call.id, info={"channel": call.channel})])

    def _on_call_proceeding(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.state not in (S.CALL_INITIATED, S.OVERLAP_SENDING):
            return self._wrong_state(call)
        self._take_channel(call, m)
        call.state = S.OUTGOING_CALL_PROCEEDING
        return (self._stop(call, "T303", "T304") + self._start(call, "T310")
                + [CallEvent(IND.PROCEEDING_IND, call.id, info={"channel": call.channel})])

    def _on_alerting(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.state not in (S.CALL_INITIATED, S.OVERLAP_SENDING,
                              S.OUTGOING_CALL_PROCEEDING):
            return self._wrong_state(call)
        self._take_channel(call, m)
        call.state = S.CALL_DELIVERED
        return (self._stop(call, "T303", "T304", "T310")
                + [CallEvent(IND.ALERTING_IND, call.id, info={"channel": call.channel})])

    def _on_connect(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.state not in (S.CALL_INITIATED, S.OVERLAP_SENDING,
                              S.OUTGOING_CALL_PROCEEDING, S.CALL_DELIVERED):
            return self._wrong_state(call)
        self._take_channel(call, m)
        call.state = S.ACTIVE
        out = self._stop(call, "T303", "T304", "T310")
        out += self._send(call, MT.CONNECT_ACKNOWLEDGE, [])
        return out + [CallEvent(IND.SETUP_CONF, call.id, info={"channel": call.channel})]

    def _on_progress(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.state not in (S.OVERLAP_SENDING, S.OUTGOING_CALL_PROCEEDING,
                              S.CALL_DELIVERED, S.CALL_INITIATED):
            return self._wrong_state(call)
        return self._stop(call, "T304", "T310") + [
            CallEvent(IND.PROGRESS_IND, call.id, info={"message": str(m)})]

    def _t303_expiry(self, call: Call) -> list[Out]:
        call.t303_expiries += 1
        if call.t303_expiries == 1 and call.setup is not None:
            return self._send(call, MT.SETUP, call.setup.ies) + self._start(call, "T303")
        cause = CauseValue.RECOVERY_ON_TIMER_EXPIRY
        return self._send(call, MT.RELEASE_COMPLETE, [self._cause(cause)]) + self._free(
            call, cause)

    def _t304_expiry(self, call: Call) -> list[Out]:
        return self._clear_on_timeout(call)

    def _t310_expiry(self, call: Call) -> list[Out]:
        return self._clear_on_timeout(call)

    # calls offered to us (Q.931 5.2) ------------------------------------------------
    def on_setup(self, tei: int | None, m: Message, d: Decoded) -> list[Out]:
        wanted = m.get(ChannelIdentification)
        if wanted is not None and wanted.channel is None and not wanted.any_channel:
            channel: int | None = None  # "no channel": a waiting call
        else:
            chosen = self.channels.select(wanted)
            if isinstance(chosen, CauseValue):
                return [self._reply(tei, m, MT.RELEASE_COMPLETE, [self._cause(chosen)])]
            channel = chosen
        call = self._new_call(m.call_ref, False, None)
        call.state = S.CALL_PRESENT
        call.channel = channel
        self.channels.take(channel, call.id)
        return [self._setup_ind(call, m)]

    def setup_ack_req(self, call_id: int) -> list[Out]:
        """Ask for more digits (overlap receiving, U25)."""
        return self._respond(call_id, (S.CALL_PRESENT,), S.OVERLAP_RECEIVING,
                             MT.SETUP_ACKNOWLEDGE, start="T302")

    def proceeding_req(self, call_id: int) -> list[Out]:
        return self._respond(call_id, (S.CALL_PRESENT, S.OVERLAP_RECEIVING),
                             S.INCOMING_CALL_PROCEEDING, MT.CALL_PROCEEDING)

    def alerting_req(self, call_id: int) -> list[Out]:
        return self._respond(call_id, (S.CALL_PRESENT, S.OVERLAP_RECEIVING,
                                       S.INCOMING_CALL_PROCEEDING),
                             S.CALL_RECEIVED, MT.ALERTING)

    def setup_rsp(self, call_id: int) -> list[Out]:
        """Answer: CONNECT, then wait for CONNECT ACK under T313 (U8)."""
        return self._respond(call_id, (S.CALL_PRESENT, S.OVERLAP_RECEIVING,
                                       S.INCOMING_CALL_PROCEEDING, S.CALL_RECEIVED),
                             S.CONNECT_REQUEST, MT.CONNECT, start="T313")

    def _on_connect_acknowledge(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.state == S.ACTIVE:
            return []
        if call.state != S.CONNECT_REQUEST:
            return self._wrong_state(call)
        call.state = S.ACTIVE
        return self._stop(call, "T313") + [CallEvent(IND.SETUP_COMPLETE_IND, call.id)]

    def _t313_expiry(self, call: Call) -> list[Out]:
        return self._clear_on_timeout(call)

    # helpers ------------------------------------------------------------------------
    def _take_channel(self, call: Call, m: Message) -> None:
        ident = m.get(ChannelIdentification)
        if ident is not None and ident.channel is not None and call.channel is None:
            call.channel = ident.channel
            self.channels.take(ident.channel, call.id)
