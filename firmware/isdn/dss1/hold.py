"""Call hold and retrieve (Q.932's HOLD/RETRIEVE procedures as profiled by ETSI
EN 300 139-1, the HOLD supplementary service) and NOTIFY to the far end
(EN 300 403-1; notification descriptions of Q.932 / EN 300 196-1).

Hold runs beside the call state, which stays Active: an auxiliary state per call
(Q.932: Idle, Hold Request, Call Held, Retrieve Request). The user asks
with HOLD; the network answers HOLD ACKNOWLEDGE and frees the B-channel (so the
terminal may place a consultation call on it) or HOLD REJECT. RETRIEVE asks for the
call back: the network picks a B-channel (the one the RETRIEVE names, if free) and
answers RETRIEVE ACKNOWLEDGE with it, or RETRIEVE REJECT with cause 34 when none
is free. T-HOLD and T-RETRIEVE (4 s) guard the user's requests.

The network side only reports HOLD-IND / RETRIEVE-IND; whoever owns the call (the PBX)
answers with hold_ack_req / hold_reject_req / retrieve_ack_req.
"""

from __future__ import annotations

from enum import IntEnum

from firmware.enums import members
from firmware.isdn.dss1.call import Call
from firmware.isdn.dss1.primitives import CallEvent, Ind, Out
from firmware.isdn.dss1.states import CallState
from firmware.isdn.q931.causes import CauseValue
from firmware.isdn.q931.ies import Cause, ChannelIdentification, NotificationIndicator
from firmware.isdn.q931.messages import Message, MessageType

MT = members(MessageType)
IND = members(Ind)

IDLE, HOLD_REQUEST, CALL_HELD, RETRIEVE_REQUEST = "idle", "hold-request", "held", \
    "retrieve-request"


class Notification(IntEnum):
    """Notification descriptions (Q.931 4.5.22 octet 3, extended by Q.932)."""

    USER_SUSPENDED = 0x00
    USER_RESUMED = 0x01
    CONFERENCE_ESTABLISHED = 0x42
    CONFERENCE_DISCONNECTED = 0x43
    OTHER_PARTY_ADDED = 0x44
    REMOTE_HOLD = 0x79
    REMOTE_RETRIEVAL = 0x7A
    CALL_IS_DIVERTING = 0x7B


class HoldCommon:
    """Both sides: NOTIFY to the far end of an active call."""

    def notify_req(self, call_id: int, description: int) -> list[Out]:
        call = self.calls.get(call_id)
        if call is None or call.state != CallState.ACTIVE:
            return []
        return self._send(call, MT.NOTIFY, [NotificationIndicator(int(description))])


class HoldNetwork(HoldCommon):
    def hold_handlers(self) -> dict:
        return {MT.HOLD: self._on_hold, MT.RETRIEVE: self._on_retrieve}

    def _on_hold(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.state != CallState.ACTIVE or call.hold != IDLE:
            return self._send(call, MT.HOLD_REJECT, [self._cause(
                CauseValue.WRONG_MESSAGE_FOR_STATE)])
        call.hold = HOLD_REQUEST
        return [CallEvent(IND.HOLD_IND, call.id)]

    def hold_ack_req(self, call_id: int) -> list[Out]:
        call = self.calls.get(call_id)
        if call is None or call.hold != HOLD_REQUEST:
            return []
        call.hold = CALL_HELD
        self.channels.release(call.id)
        call.channel = None
        return self._send(call, MT.HOLD_ACKNOWLEDGE, [])

    def hold_reject_req(self, call_id: int, cause: int = CauseValue.FACILITY_REJECTED
                        ) -> list[Out]:
        call = self.calls.get(call_id)
        if call is None or call.hold != HOLD_REQUEST:
            return []
        call.hold = IDLE
        return self._send(call, MT.HOLD_REJECT, [self._cause(cause)])

    def _on_retrieve(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.hold != CALL_HELD:
            return self._send(call, MT.RETRIEVE_REJECT, [self._cause(
                CauseValue.WRONG_MESSAGE_FOR_STATE)])
        call.hold = RETRIEVE_REQUEST
        wanted = m.get(ChannelIdentification)
        call.wanted_channel = wanted.channel if wanted is not None else None
        return [CallEvent(IND.RETRIEVE_IND, call.id)]

    def retrieve_ack_req(self, call_id: int) -> list[Out]:
        """Give the call a B-channel back, or refuse with 34 if none is free."""
        call = self.calls.get(call_id)
        if call is None or call.hold != RETRIEVE_REQUEST:
            return []
        chosen = self.channels.select(ChannelIdentification(channel=call.wanted_channel))
        if isinstance(chosen, CauseValue):
            call.hold = CALL_HELD
            return self._send(call, MT.RETRIEVE_REJECT, [self._cause(chosen)])
        call.hold, call.channel = IDLE, chosen
        self.channels.take(chosen, call.id)
        return self._send(call, MT.RETRIEVE_ACKNOWLEDGE,
                          [ChannelIdentification(channel=chosen, exclusive=True)])

    def retrieve_reject_req(self, call_id: int, cause: int = CauseValue.FACILITY_REJECTED
                            ) -> list[Out]:
        call = self.calls.get(call_id)
        if call is None or call.hold != RETRIEVE_REQUEST:
            return []
        call.hold = CALL_HELD
        return self._send(call, MT.RETRIEVE_REJECT, [self._cause(cause)])


class HoldUser(HoldCommon):
    def hold_handlers(self) -> dict:
        return {MT.HOLD_ACKNOWLEDGE: self._on_hold_acknowledge,
                MT.HOLD_REJECT: self._on_hold_reject,
                MT.RETRIEVE_ACKNOWLEDGE: self._on_retrieve_acknowledge,
                MT.RETRIEVE_REJECT: self._on_retrieve_reject}

    def hold_req(self, call_id: int) -> list[Out]:
        call = self.calls.get(call_id)
        if call is None or call.state != CallState.ACTIVE or call.hold != IDLE:
            return []
        call.hold = HOLD_REQUEST
        return self._send(call, MT.HOLD, []) + self._start(call, "THOLD")

    def retrieve_req(self, call_id: int, channel: int | None = None) -> list[Out]:
        call = self.calls.get(call_id)
        if call is None or call.hold != CALL_HELD:
            return []
        call.hold = RETRIEVE_REQUEST
        ies = [ChannelIdentification(channel=channel)] if channel else []
        return self._send(call, MT.RETRIEVE, ies) + self._start(call, "TRETRIEVE")

    def _on_hold_acknowledge(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.hold != HOLD_REQUEST:
            return self._wrong_state(call)
        call.hold = CALL_HELD
        self.channels.release(call.id)
        self.freed_channel, call.channel = call.channel, None
        return self._stop(call, "THOLD") + [CallEvent(IND.HOLD_ACK_IND, call.id)]

    def _on_hold_reject(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.hold != HOLD_REQUEST:
            return self._wrong_state(call)
        call.hold = IDLE
        cause = m.get(Cause)
        return self._stop(call, "THOLD") + [CallEvent(
            IND.HOLD_REJECT_IND, call.id, cause.value if cause else None)]

    def _on_retrieve_acknowledge(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.hold != RETRIEVE_REQUEST:
            return self._wrong_state(call)
        call.hold = IDLE
        ident = m.get(ChannelIdentification)
        if ident is not None and ident.channel is not None:
            call.channel = ident.channel
            self.channels.take(ident.channel, call.id)
        return self._stop(call, "TRETRIEVE") + [CallEvent(
            IND.RETRIEVE_ACK_IND, call.id, info={"channel": call.channel})]

    def _on_retrieve_reject(self, call: Call, tei: int | None, m: Message) -> list[Out]:
        if call.hold != RETRIEVE_REQUEST:
            return self._wrong_state(call)
        call.hold = CALL_HELD
        cause = m.get(Cause)
        return self._stop(call, "TRETRIEVE") + [CallEvent(
            IND.RETRIEVE_REJECT_IND, call.id, cause.value if cause else None)]

    def _thold_expiry(self, call: Call) -> list[Out]:
        call.hold = IDLE
        return [CallEvent(IND.HOLD_REJECT_IND, call.id, CauseValue.RECOVERY_ON_TIMER_EXPIRY)]

    def _tretrieve_expiry(self, call: Call) -> list[Out]:
        call.hold = CALL_HELD
        return [CallEvent(IND.RETRIEVE_REJECT_IND, call.id,
                          CauseValue.RECOVERY_ON_TIMER_EXPIRY)]
