"""DSS1 basic calls between our user side and our network side, whole stacks in
virtual time: establishment, clearing from either end, P-MP offering, refusals."""

from __future__ import annotations

import pytest

from firmware.isdn.dss1.primitives import Ind
from firmware.isdn.q931.causes import CauseValue
from tests.unit.isdn_pair import make_lines

ACTIVE, NULL = 10, None


def test_outgoing_call_from_te_connects_and_clears_from_the_te():
    clock, _, nt, (te,) = make_lines()
    call = te.line.dial("0301234567", "21")
    clock.advance(0.2)
    offered = nt.offered()
    assert nt.last(Ind.SETUP_IND).info["called"] == "0301234567"
    assert nt.last(Ind.SETUP_IND).info["calling"] == "21"
    nt.line.proceed(offered)
    nt.line.alert(offered)
    clock.advance(0.2)
    nt.line.answer(offered)
    clock.advance(0.2)
    assert te.inds(call) == [Ind.PROCEEDING_IND, Ind.ALERTING_IND, Ind.SETUP_CONF]
    assert te.state(call) == ACTIVE and nt.state(offered) == ACTIVE
    channel = te.line.cc.calls[call].channel
    assert channel in (1, 2) and nt.line.cc.calls[offered].channel == channel
    te.line.hangup(call)
    clock.advance(0.5)
    assert te.last(Ind.RELEASE_IND).cause == CauseValue.NORMAL_CALL_CLEARING
    assert nt.last(Ind.DISCONNECT_IND).cause == CauseValue.NORMAL_CALL_CLEARING
    assert not te.line.cc.calls and not nt.line.cc.calls
    assert not nt.line.cc.channels.holder and not te.line.cc.channels.holder


def test_call_cleared_by_the_network_side():
    clock, _, nt, (te,) = make_lines(ptp=True)
    call = te.line.dial("123")
    clock.advance(0.2)
    nt.line.answer(nt.offered())
    clock.advance(0.2)
    nt.line.hangup(nt.offered(), CauseValue.NORMAL_CALL_CLEARING)
    clock.advance(0.5)
    assert te.last(Ind.DISCONNECT_IND).call == call
    assert te.last(Ind.RELEASE_IND).cause == CauseValue.NORMAL_CALL_CLEARING
    assert not te.line.cc.calls and not nt.line.cc.calls


def test_broadcast_setup_first_connect_wins_and_the_other_terminal_gets_cause_26():
    clock, _, nt, (te0, te1) = make_lines(n_te=2)
    call = nt.line.dial("555", "0301234567")
    clock.advance(0.2)
    a, b = te0.offered(), te1.offered()
    te0.line.alert(a)
    clock.advance(0.2)
    te1.line.answer(b)
    clock.advance(0.5)
    assert nt.inds(call) == [Ind.ALERTING_IND, Ind.SETUP_CONF]
    assert te1.state(b) == ACTIVE and te1.last(Ind.SETUP_COMPLETE_IND).call == b
    assert te0.last(Ind.RELEASE_IND).cause == CauseValue.NON_SELECTED_USER_CLEARING
    clock.advance(10)  # T312 closes the offer; nothing is left but the answered call
    assert list(nt.line.cc.calls) == [call] and nt.state(call) == ACTIVE
    assert not te0.line.cc.calls


def test_a_ringing_terminal_that_hangs_up_after_t312_clears_the_broadcast_offer():
    # The offer stays filed under no TEI while only ALERTING came back; a DISCONNECT
    # from that terminal long after T312 must still find it (not cause 81).
    clock, _, nt, (te,) = make_lines()
    nt.line.dial("555")
    clock.advance(0.2)
    te.line.alert(te.offered())
    clock.advance(30)
    te.line.hangup(te.offered(), CauseValue.CALL_REJECTED)
    clock.advance(1)
    assert nt.last(Ind.RELEASE_IND).cause == CauseValue.CALL_REJECTED
    assert not nt.line.cc.calls and not te.line.cc.calls


def test_busy_terminal_on_p_mp_gives_the_caller_cause_17_after_t303():
    clock, _, nt, (te,) = make_lines()
    call = nt.line.dial("555")
    clock.advance(0.2)
    te.line.reject(te.offered(), CauseValue.USER_BUSY)
    clock.advance(0.5)
    assert Ind.RELEASE_IND not in nt.inds(call)  # other terminals may still answer
    clock.advance(10)
    assert nt.last(Ind.DISCONNECT_IND).cause == CauseValue.USER_BUSY
    assert nt.last(Ind.RELEASE_IND).cause == CauseValue.USER_BUSY
    assert not nt.line.cc.calls and not nt.line.cc.channels.holder


def test_busy_on_point_to_point_is_reported_at_once():
    clock, _, nt, (te,) = make_lines(ptp=True)
    call = nt.line.dial("555")
    clock.advance(0.2)
    te.line.reject(te.offered(), CauseValue.USER_BUSY)
    clock.advance(0.2)
    assert nt.last(Ind.RELEASE_IND).call == call
    assert nt.last(Ind.RELEASE_IND).cause == CauseValue.USER_BUSY


def test_a_number_the_te_does_not_serve_is_refused_with_a_proper_cause():
    clock, _, nt, (te,) = make_lines(ptp=True, msns=("21", "22"))
    nt.line.dial("99")
    clock.advance(0.2)
    assert nt.last(Ind.RELEASE_IND).cause == CauseValue.UNALLOCATED_NUMBER
    assert not te.got and not te.line.cc.calls
    clock, _, nt, (te,) = make_lines(msns=("21",))
    nt.line.dial("99")
    clock.advance(10)
    assert nt.last(Ind.RELEASE_IND).cause == CauseValue.INCOMPATIBLE_DESTINATION


def test_unanswered_broadcast_setup_is_repeated_once_then_cause_18():
    clock, bus, nt, (te,) = make_lines()
    sent = []
    bus.lose_d = lambda frame: sent.append(frame) or frame[2] == 0x03  # lose UI frames
    call = nt.line.dial("555")
    clock.advance(20)
    setups = [f for f in sent if f[2] == 0x03 and len(f) > 6 and f[6] == 0x05]
    assert len(setups) == 2  # T303 expired once: SETUP repeated
    assert nt.last(Ind.RELEASE_IND).cause == CauseValue.NO_USER_RESPONDING
    assert call not in nt.line.cc.calls


def test_answered_call_is_confirmed_by_connect_acknowledge():
    clock, _, nt, (te,) = make_lines()
    call = nt.line.dial("555")
    clock.advance(0.2)
    te.line.answer(te.offered())
    clock.advance(0.2)
    assert te.inds(te.offered()) == [Ind.SETUP_IND, Ind.SETUP_COMPLETE_IND]
    assert "T313" not in te.line.cc.calls[te.offered()].timers
    assert nt.state(call) == ACTIVE


def test_calls_on_both_b_channels_then_a_third_is_refused_with_cause_34():
    clock, _, nt, (te,) = make_lines(ptp=True)
    for _ in range(2):
        te.line.dial("123")
        clock.advance(0.2)
        nt.line.answer(nt.offered())
        clock.advance(0.2)
    third = te.line.dial("123")
    clock.advance(0.2)
    assert te.last(Ind.RELEASE_IND).call == third
    assert te.last(Ind.RELEASE_IND).cause == CauseValue.NO_CIRCUIT_AVAILABLE
    assert sorted(c.channel for c in te.line.cc.calls.values()) == [1, 2]


def test_ten_percent_frame_loss_calls_still_connect_and_clear_nothing_stuck():
    import random

    rnd = random.Random(42)
    clock, bus, nt, (te0, te1) = make_lines(n_te=2)
    bus.lose_d = lambda frame: rnd.random() < 0.10
    connected = 0
    for i in range(20):
        caller, callee = (te0, nt) if i % 2 == 0 else (nt, te1)
        call = caller.line.dial("555")
        clock.advance(2)
        offered = [e for e in callee.got if e.ind is Ind.SETUP_IND]
        if offered and offered[-1].call in callee.line.cc.calls:
            callee.line.answer(offered[-1].call)
        clock.advance(3)
        if caller.state(call) == ACTIVE:
            connected += 1
        if call in caller.line.cc.calls:
            caller.line.hangup(call)
        clock.advance(40)
    bus.lose_d = None
    clock.advance(200)
    assert connected >= 15, connected
    for end in (nt, te0, te1):
        assert not end.line.cc.calls, end.line.cc.status()
        assert not end.line.cc.channels.holder
    assert len(nt.line.status()["links"]) == 2


def test_overlap_sending_digits_follow_the_setup_acknowledge():
    clock, _, nt, (te,) = make_lines()
    call = te.line.dial("03", sending_complete=False)
    clock.advance(0.2)
    offer = nt.last(Ind.SETUP_IND)
    assert offer.info["called"] == "03" and offer.info["sending_complete"] is False
    nt.line.more_info(offer.call)
    clock.advance(0.2)
    assert te.last(Ind.MORE_INFO_IND).call == call and te.state(call) == 2  # U2
    te.line.send_digits(call, "0123", sending_complete=True)
    clock.advance(0.2)
    info = nt.last(Ind.INFO_IND)
    assert info.info == {"digits": "0123", "sending_complete": True}
    assert nt.line.cc.calls[offer.call].called == "030123"
    nt.line.proceed(offer.call)
    clock.advance(0.2)
    assert te.state(call) == 3  # U3: T304 stopped, T310 running
    assert te.line.cc.calls[call].timers == {"T310"}


def test_exclusive_channel_in_use_is_refused_with_cause_44():
    clock, _, nt, (te,) = make_lines(ptp=True)
    te.line.dial("1")
    clock.advance(0.2)
    nt.line.answer(nt.offered())
    clock.advance(0.2)
    busy = nt.line.cc.calls[nt.offered()].channel
    call = te.line.dial("2", channel=busy, exclusive=True)
    clock.advance(0.2)
    assert te.last(Ind.RELEASE_IND).call == call
    assert te.last(Ind.RELEASE_IND).cause == CauseValue.REQUESTED_CHANNEL_NOT_AVAILABLE


@pytest.mark.parametrize("ptp", [False, True], ids=["ptmp", "ptp"])
def test_restart_clears_calls_at_both_ends_and_is_acknowledged(ptp):
    clock, bus, nt, (te,) = make_lines(ptp=ptp)
    call = te.line.dial("1")
    clock.advance(0.2)
    nt.line.answer(nt.offered())
    clock.advance(0.2)
    frames = []
    bus.lose_d = lambda f: frames.append(f) or False
    nt.line.restart()
    clock.advance(130)  # past T316: an unacknowledged RESTART would be sent again
    restarts = [f for f in frames if f[-4:-1] == b"\x46\x79\x01"]  # RESTART, class IE
    assert len(restarts) == 1
    assert any(f[-4:-1] == b"\x4e\x79\x01" for f in frames)  # RESTART ACKNOWLEDGE
    assert te.last(Ind.RELEASE_IND).call == call
    assert not te.line.cc.calls and not nt.line.cc.calls


def test_active_call_survives_a_layer2_outage_under_t309():
    clock, bus, nt, (te,) = make_lines(ptp=True)
    call = te.line.dial("1")
    clock.advance(0.2)
    nt.line.answer(nt.offered())
    clock.advance(0.2)
    assert te.state(call) == ACTIVE
    bus.lose_d = lambda frame: True  # the copper goes silent
    clock.advance(25)  # T203, then T200 x N200: the data link is released
    assert te.line.status()["links"][0]["state"] != "MULTIPLE_FRAME_ESTABLISHED"
    assert te.state(call) == ACTIVE and te.line.cc.calls[call].dl_lost
    bus.lose_d = None
    clock.advance(10)  # re-established; STATUS ENQUIRY / STATUS confirm the call
    assert te.line.status()["links"][0]["state"] == "MULTIPLE_FRAME_ESTABLISHED"
    assert te.state(call) == ACTIVE and not te.line.cc.calls[call].dl_lost
    assert nt.state(nt.offered()) == ACTIVE


def test_a_layer2_outage_longer_than_t309_clears_the_call_with_cause_41():
    clock, bus, nt, (te,) = make_lines(ptp=True)
    call = te.line.dial("1")
    clock.advance(0.2)
    nt.line.answer(nt.offered())
    clock.advance(0.2)
    bus.lose_d = lambda frame: True
    clock.advance(130)
    assert te.last(Ind.RELEASE_IND).call == call
    assert te.last(Ind.RELEASE_IND).cause == CauseValue.TEMPORARY_FAILURE
    assert not te.line.cc.calls and not nt.line.cc.calls
