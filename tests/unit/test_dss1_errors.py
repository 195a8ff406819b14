"""Q.931 5.8 error procedures and the T309 rule, on the sans-I/O engines directly."""

from __future__ import annotations

from firmware.isdn.dss1.network import NetworkCallControl
from firmware.isdn.dss1.primitives import CallEvent, EstablishLink, Ind, SendMessage
from firmware.isdn.dss1.user import UserCallControl
from firmware.isdn.lapd.primitives import StartTimer, StopTimer
from firmware.isdn.q931 import decode, encode
from firmware.isdn.q931.causes import CauseValue
from firmware.isdn.q931.ies import BearerCapability, CallState, Cause, ChannelIdentification
from firmware.isdn.q931.messages import Message
from firmware.isdn.q931.messages import MessageType as MT

# SETUP, call reference 5 from the network: speech A-law, channel B1 exclusive
SETUP = bytes.fromhex("08 01 05 05 04 03 80 90 a3 18 01 89")


def sent(outs) -> list[Message]:
    return [o.message for o in outs if isinstance(o, SendMessage)]


def cause_of(m: Message) -> int:
    return m.get(Cause).value


def offered_user():
    """A user side with one call offered by the network (call reference 5)."""
    cc = UserCallControl(ptp=True)
    outs = cc.receive(None, SETUP)
    (event,) = [o for o in outs if isinstance(o, CallEvent)]
    assert event.ind is Ind.SETUP_IND and event.info["channel"] == 1
    return cc, event.call


def test_unknown_call_reference_gets_release_complete_81():
    cc = UserCallControl(ptp=True)
    alerting = encode(Message(MT.ALERTING, 9, True, 1, []))
    (reply,) = sent(cc.receive(None, alerting))
    assert reply.type == MT.RELEASE_COMPLETE and cause_of(reply) == 81
    assert reply.call_ref == 9 and reply.flag is False


def test_release_complete_for_an_unknown_reference_is_ignored():
    cc = NetworkCallControl(ptp=True)
    assert cc.receive(0, encode(Message(MT.RELEASE_COMPLETE, 9, False, 1, []))) == []


def test_status_enquiry_for_an_unknown_reference_answers_status_null():
    cc = UserCallControl(ptp=True)
    (reply,) = sent(cc.receive(None, encode(Message(MT.STATUS_ENQUIRY, 9, False, 1, []))))
    assert reply.type == MT.STATUS and cause_of(reply) == 30
    assert reply.get(CallState).value == 0


def test_truly_nonexistent_message_type_is_97():
    cc, call = offered_user()
    (reply,) = sent(cc.receive(None, bytes.fromhex("08 01 05 13")))  # 0x13: no such type
    assert reply.type == MT.STATUS and cause_of(reply) == CauseValue.MESSAGE_TYPE_NONEXISTENT


def test_setup_without_bearer_capability_is_refused_with_96():
    cc = UserCallControl(ptp=True)
    (reply,) = sent(cc.receive(None, bytes.fromhex("08 01 05 05 18 01 89")))
    assert reply.type == MT.RELEASE_COMPLETE and cause_of(reply) == 96
    assert not cc.calls


def test_setup_with_a_broken_bearer_capability_is_refused_with_100():
    cc = UserCallControl(ptp=True)
    # bearer capability of one octet: the transfer rate octet is missing
    (reply,) = sent(cc.receive(None, bytes.fromhex("08 01 05 05 04 01 80 18 01 89")))
    assert reply.type == MT.RELEASE_COMPLETE and cause_of(reply) == 100


def test_disconnect_without_cause_still_clears_the_call():
    cc, call = offered_user()
    cc.setup_rsp(call)
    outs = cc.receive(None, encode(Message(MT.CONNECT_ACKNOWLEDGE, 5, False, 1, [])))
    outs = cc.receive(None, encode(Message(MT.DISCONNECT, 5, False, 1, [])))
    (release,) = sent(outs)
    assert release.type == MT.RELEASE
    events = [o for o in outs if isinstance(o, CallEvent)]
    assert events[0].ind is Ind.DISCONNECT_IND and events[0].cause == 96


def test_message_wrong_for_the_state_gets_status_with_the_call_state():
    cc, call = offered_user()
    (reply,) = sent(cc.receive(None, encode(Message(MT.CONNECT_ACKNOWLEDGE, 5, False, 1, []))))
    assert reply.type == MT.STATUS and cause_of(reply) == 101
    assert reply.get(CallState).value == 6


def test_status_saying_null_clears_our_call_without_a_message():
    cc, call = offered_user()
    outs = cc.receive(None, encode(Message(MT.STATUS, 5, False, 1, [
        Cause(30), CallState(0)])))
    assert sent(outs) == []
    assert [o.ind for o in outs if isinstance(o, CallEvent)] == [Ind.RELEASE_IND]
    assert not cc.calls


def test_a_setup_repeated_by_t303_is_not_a_second_call():
    cc, call = offered_user()
    assert cc.receive(None, SETUP) == []
    assert list(cc.calls) == [call]


def test_global_restart_clears_every_call_and_is_acknowledged():
    cc, call = offered_user()
    restart = bytes.fromhex("08 01 00 46 79 01 87")  # global CR, restart all interfaces
    outs = cc.receive(None, restart)
    (ack,) = sent(outs)
    assert ack.type == MT.RESTART_ACKNOWLEDGE and ack.call_ref == 0
    assert not cc.calls


def test_active_call_survives_a_data_link_failure_under_t309():
    cc, call = offered_user()
    cc.setup_rsp(call)
    cc.receive(None, encode(Message(MT.CONNECT_ACKNOWLEDGE, 5, False, 1, [])))
    outs = cc.dl_released(None)
    assert StartTimer(("q931", "T309", call), 90.0) in outs
    assert any(isinstance(o, EstablishLink) for o in outs)
    assert cc.calls[call].state == 10
    outs = cc.dl_established(None)
    assert StopTimer(("q931", "T309", call)) in outs
    assert [m.type for m in sent(outs)] == [MT.STATUS_ENQUIRY]


def test_t309_expiry_clears_the_call_with_cause_41():
    cc, call = offered_user()
    cc.setup_rsp(call)
    cc.receive(None, encode(Message(MT.CONNECT_ACKNOWLEDGE, 5, False, 1, [])))
    cc.dl_released(None)
    outs = cc.timer_expiry(("q931", "T309", call))
    assert [(o.ind, o.cause) for o in outs if isinstance(o, CallEvent)] == [
        (Ind.RELEASE_IND, CauseValue.TEMPORARY_FAILURE)]


def test_a_call_being_set_up_is_cleared_at_once_when_the_link_fails():
    cc = UserCallControl(ptp=True)
    call, _ = cc.setup_req("123")
    outs = cc.dl_released(None)
    assert [o.ind for o in outs if isinstance(o, CallEvent)] == [Ind.RELEASE_IND]


def test_t303_repeats_setup_once_then_gives_up_with_102():
    cc = UserCallControl(ptp=True)
    call, outs = cc.setup_req("123")
    first = sent(outs)[0]
    assert first.type == MT.SETUP and first.get(BearerCapability) is not None
    assert first.get(ChannelIdentification).any_channel
    outs = cc.timer_expiry(("q931", "T303", call))
    assert [m.type for m in sent(outs)] == [MT.SETUP]
    outs = cc.timer_expiry(("q931", "T303", call))
    assert [m.type for m in sent(outs)] == [MT.RELEASE_COMPLETE]
    assert decode(encode(sent(outs)[0])).message.get(Cause).value == 102
    assert not cc.calls


def test_network_reports_hold_and_the_owner_of_the_call_may_refuse_it():
    cc = NetworkCallControl(ptp=True)
    outs = cc.receive(0, SETUP.replace(b"\x08\x01\x05", b"\x08\x01\x07"))
    call = [o for o in outs if isinstance(o, CallEvent)][0].call
    cc.setup_rsp(call)
    outs = cc.receive(0, encode(Message(MT.HOLD, 7, False, 1, [])))
    assert [o.ind.value for o in outs if isinstance(o, CallEvent)] == ["HOLD-IND"]
    (reply,) = sent(cc.hold_reject_req(call, 29))
    assert reply.type == MT.HOLD_REJECT and cause_of(reply) == 29
    assert cc.calls[call].hold == "idle" and cc.calls[call].channel is not None
