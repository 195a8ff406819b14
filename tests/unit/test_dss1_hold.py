"""DSS1 hold and retrieve (Q.932 / EN 300 139-1) and NOTIFY between our user side and
our network side, whole stacks in virtual time."""

from __future__ import annotations

from firmware.isdn.dss1.hold import Notification
from firmware.isdn.dss1.primitives import CallEvent, Ind
from firmware.isdn.q931.causes import CauseValue
from tests.unit.isdn_pair import make_lines


def active_call(accept_hold: bool = True):
    """A call from the TE, answered by the NT, whose owner acks HOLD and RETRIEVE."""
    clock, bus, nt, (te,) = make_lines()
    seen = nt.got

    def owner(line, e: CallEvent) -> None:
        seen.append(e)
        if accept_hold and e.ind is Ind.HOLD_IND:
            line.hold_ack(e.call)
        elif accept_hold and e.ind is Ind.RETRIEVE_IND:
            line.retrieve_ack(e.call)

    nt.line.on_call = owner
    call = te.line.dial("22", "21")
    clock.advance(0.2)
    offered = nt.offered()
    nt.line.answer(offered)
    clock.advance(0.2)
    return clock, nt, te, call, offered


def test_hold_frees_the_b_channel_and_retrieve_gives_one_back():
    clock, nt, te, call, offered = active_call()
    channel = te.line.cc.calls[call].channel
    te.line.hold(call)
    clock.advance(0.2)
    assert Ind.HOLD_IND in nt.inds(offered) and Ind.HOLD_ACK_IND in te.inds(call)
    assert te.line.cc.calls[call].hold == nt.line.cc.calls[offered].hold == "held"
    assert te.line.cc.calls[call].channel is None and not nt.line.cc.channels.holder
    assert te.line.free_channels() == 2
    te.line.retrieve(call)
    clock.advance(0.2)
    assert te.last(Ind.RETRIEVE_ACK_IND).info["channel"] == channel
    assert nt.line.cc.calls[offered].channel == channel
    assert te.line.cc.calls[call].hold == "idle" and te.state(call) == 10
    te.line.hangup(call)  # a retrieved call clears as usual
    clock.advance(0.5)
    assert not te.line.cc.calls and not nt.line.cc.calls


def test_hold_nobody_takes_up_is_rejected_with_29():
    clock, nt, te, call, offered = active_call(accept_hold=False)
    te.line.hold(call)
    clock.advance(0.2)
    assert te.last(Ind.HOLD_REJECT_IND).cause == CauseValue.FACILITY_REJECTED
    assert te.line.cc.calls[call].hold == "idle" and te.line.cc.calls[call].channel


def test_t_hold_expiry_gives_up_with_102():
    clock, nt, te, call, offered = active_call()
    te.line.cc.hold_req(call)  # the HOLD is lost on the way (its outputs are dropped)
    (event,) = te.line.cc.timer_expiry(("q931", "THOLD", call))
    assert (event.ind, event.cause) == (Ind.HOLD_REJECT_IND,
                                        CauseValue.RECOVERY_ON_TIMER_EXPIRY)
    assert te.line.cc.calls[call].hold == "idle"


def test_retrieve_without_a_free_b_channel_is_rejected_with_34():
    clock, nt, te, call, offered = active_call()
    te.line.hold(call)
    clock.advance(0.2)
    others = [te.line.dial("23", "21"), te.line.dial("24", "21")]
    clock.advance(0.2)
    assert len(nt.line.cc.channels.holder) == 2
    te.line.retrieve(call)
    clock.advance(0.2)
    assert te.last(Ind.RETRIEVE_REJECT_IND).cause == CauseValue.NO_CIRCUIT_AVAILABLE
    assert te.line.cc.calls[call].hold == "held" and others


def test_hold_outside_the_active_state_is_rejected_by_the_network():
    clock, nt, te, call, offered = active_call()
    te.line.hold(call)
    clock.advance(0.2)
    te.line.cc.calls[call].hold = "idle"  # a confused terminal holds the held call again
    te.line.hold(call)
    clock.advance(0.2)
    assert te.last(Ind.HOLD_REJECT_IND).cause == CauseValue.WRONG_MESSAGE_FOR_STATE


def test_notify_both_ways_carries_the_description():
    clock, nt, te, call, offered = active_call()
    nt.line.notify(offered, Notification.REMOTE_HOLD)
    te.line.notify(call, Notification.CONFERENCE_ESTABLISHED)
    clock.advance(0.2)
    assert te.last(Ind.NOTIFY_IND).info["description"] == 0x79
    assert nt.last(Ind.NOTIFY_IND).info["description"] == 0x42


def test_a_waiting_call_answered_on_a_channel_still_busy_is_cleared_with_44():
    clock, bus, nt, (te0, te1) = make_lines(n_te=2)
    nt.line.on_call = lambda line, e: (nt.got.append(e), e.ind is Ind.SETUP_IND
                                       and line.answer(e.call))
    te0.line.dial("22", "21")
    te0.line.dial("23", "21")
    clock.advance(0.5)
    assert nt.line.free_channels() == 0
    offer = nt.line.dial("24", "0301234567", no_channel_ok=True)
    clock.advance(0.2)
    (setup,) = [e for e in te1.got if e.ind is Ind.SETUP_IND]
    assert setup.info["channel"] is None  # "no channel": a waiting call
    te1.line.answer(setup.call)  # te1 knows no busy channel and names B1, which is not free
    clock.advance(0.5)
    assert te1.last(Ind.RELEASE_IND).cause == CauseValue.REQUESTED_CHANNEL_NOT_AVAILABLE
    assert offer not in nt.line.cc.calls or nt.line.cc.calls[offer].state != 10
