"""The data-link state machine driven directly, transition by transition (Q.921 SDL)."""

from firmware.isdn.lapd.datalink import TRANSITIONS, DataLink, Event, LinkParams, State
from firmware.isdn.lapd.frame import Frame, Kind, decode
from firmware.isdn.lapd.primitives import (
    AckCheck,
    ArmTimer,
    Dl,
    DlIndication,
    MdlError,
    PhDataReq,
)


def sent(outputs):
    """The frames a (user-side) link sent, decoded back from the octets it wrote."""
    return [decode(o.frame, sender_is_network=False)
            for o in outputs if isinstance(o, PhDataReq)]


def ind(outputs):
    return [o.primitive for o in outputs if isinstance(o, DlIndication)]


def errors(outputs):
    return [o.code for o in outputs if isinstance(o, MdlError)]


def up(k: int = 1) -> DataLink:
    link = DataLink(0, 64, LinkParams(k=k))
    link.handle(Event.DL_ESTABLISH_REQ)
    link.receive(Frame(0, 64, False, Kind.UA, pf=True))
    assert link.state is State.MULTIPLE_FRAME_ESTABLISHED
    return link


def i_cmd(ns, nr, info=b"x", pf=False):
    return Frame(0, 64, True, Kind.I, pf=pf, ns=ns, nr=nr, info=info)


def test_every_transition_names_a_handler_that_exists():
    for (state, event), handler in TRANSITIONS.items():
        assert callable(getattr(DataLink, handler)), (state, event, handler)


def test_establishment_sends_sabme_p1_and_confirms_on_ua_f1():
    link = DataLink(0, 64)
    out = link.handle(Event.DL_ESTABLISH_REQ)
    assert sent(out) == [Frame(0, 64, True, Kind.SABME, pf=True)]
    assert link.t200_running and ArmTimer(("lapd", 0, 64, "T200"), 1.0) in out
    assert errors(link.receive(Frame(0, 64, False, Kind.UA, pf=False))) == ["D"]
    assert ind(link.receive(Frame(0, 64, False, Kind.UA, pf=True))) == [Dl.ESTABLISH_CNF]


def test_in_sequence_i_frame_is_delivered_and_acknowledged_with_rr():
    link = up()
    out = link.receive(i_cmd(0, 0, b"hello"))
    assert [o.data for o in out if isinstance(o, DlIndication)] == [b"hello"]
    # the acknowledgement waits until layer 3 has seen the frame ...
    assert sent(out) == [] and AckCheck(64) in out
    # ... and, with nothing to send, is an RR
    assert sent(link.flush_ack()) == [Frame(0, 64, False, Kind.RR, nr=1)]
    assert sent(link.flush_ack()) == []


def test_an_immediate_answer_from_layer_3_carries_the_acknowledgement():
    link = up()
    link.receive(i_cmd(0, 0, b"SETUP"))
    out = link.handle(Event.DL_DATA_REQ, data=b"CALL PROCEEDING")
    assert sent(out) == [Frame(0, 64, True, Kind.I, ns=0, nr=1, info=b"CALL PROCEEDING")]
    assert sent(link.flush_ack()) == []  # no RR: N(R)=1 went with the I frame


def test_poll_is_answered_with_final():
    link = up()
    out = link.receive(Frame(0, 64, True, Kind.RR, pf=True, nr=0))
    assert sent(out) == [Frame(0, 64, False, Kind.RR, pf=True, nr=0)]


def test_out_of_sequence_i_frame_gets_one_rej():
    link = up()
    out = link.receive(i_cmd(1, 0))
    assert sent(out) == [Frame(0, 64, False, Kind.REJ, nr=0)] and ind(out) == []
    assert sent(link.receive(i_cmd(2, 0))) == []  # reject exception: no second REJ
    out = link.receive(i_cmd(0, 0))
    assert ind(out) == [Dl.DATA_IND] and link.vr == 1 and not link.reject_exception


def test_window_holds_frames_until_acknowledged():
    link = up(k=1)
    out = link.handle(Event.DL_DATA_REQ, data=b"a") + link.handle(Event.DL_DATA_REQ, data=b"b")
    assert [f.info for f in sent(out)] == [b"a"]
    out = link.receive(Frame(0, 64, False, Kind.RR, nr=1))
    assert [(f.ns, f.info) for f in sent(out)] == [(1, b"b")]


def test_t200_expiry_retransmits_with_poll_and_recovers_on_final():
    link = up()
    link.handle(Event.DL_DATA_REQ, data=b"a")
    out = link.timer_expiry("T200")
    assert link.state is State.TIMER_RECOVERY
    assert sent(out) == [Frame(0, 64, True, Kind.I, pf=True, ns=0, nr=0, info=b"a")]
    out = link.receive(Frame(0, 64, False, Kind.RR, pf=True, nr=1))
    assert link.state is State.MULTIPLE_FRAME_ESTABLISHED and link.va == 1 and sent(out) == []


def test_recovery_resends_unacknowledged_frames_when_final_does_not_ack_them():
    link = up()
    link.handle(Event.DL_DATA_REQ, data=b"a")
    link.timer_expiry("T200")
    out = link.receive(Frame(0, 64, False, Kind.RR, pf=True, nr=0))
    assert [(f.ns, f.info, f.pf) for f in sent(out)] == [(0, b"a", False)]


def test_t200_exhausted_in_recovery_reestablishes():
    link = up()
    link.handle(Event.DL_DATA_REQ, data=b"a")
    link.timer_expiry("T200")
    for _ in range(3):
        link.timer_expiry("T200")
    out = link.timer_expiry("T200")
    assert errors(out) == ["I"] and link.state is State.AWAITING_ESTABLISHMENT


def test_nr_out_of_range_is_a_sequence_error():
    link = up()
    out = link.receive(Frame(0, 64, False, Kind.RR, nr=5))
    assert errors(out) == ["J"] and sent(out)[0].kind is Kind.SABME


def test_rnr_stops_sending_and_rr_resumes():
    link = up()
    link.receive(Frame(0, 64, False, Kind.RNR, nr=0))
    assert sent(link.handle(Event.DL_DATA_REQ, data=b"a")) == []
    out = link.receive(Frame(0, 64, False, Kind.RR, nr=0))
    assert [f.info for f in sent(out)] == [b"a"]


def test_rej_makes_us_retransmit_from_its_nr():
    link = up(k=3)
    for d in (b"a", b"b", b"c"):
        link.handle(Event.DL_DATA_REQ, data=d)
    out = link.receive(Frame(0, 64, False, Kind.REJ, nr=1))
    assert [(f.ns, f.info) for f in sent(out)] == [(1, b"b"), (2, b"c")]


def test_peer_disc_releases_and_sabme_reestablishes():
    link = up()
    out = link.receive(Frame(0, 64, True, Kind.SABME, pf=True))
    assert errors(out) == ["F"] and sent(out) == [Frame(0, 64, False, Kind.UA, pf=True)]
    out = link.receive(Frame(0, 64, True, Kind.DISC, pf=True))
    assert ind(out) == [Dl.RELEASE_IND] and link.state is State.TEI_ASSIGNED


def test_dm_f0_and_frmr_ask_for_reestablishment():
    link = up()
    assert errors(link.receive(Frame(0, 64, False, Kind.DM))) == ["E"]
    assert link.state is State.AWAITING_ESTABLISHMENT
    link = up()
    assert errors(link.receive(Frame(0, 64, False, Kind.FRMR, info=b"12345"))) == ["K"]


def test_undefined_and_oversized_frames_reestablish():
    link = up()
    assert errors(link.receive(Frame(0, 64, True, Kind.UNDEFINED))) == ["L"]
    link = up()
    assert errors(link.receive(i_cmd(0, 0, b"x" * 261))) == ["N"]
    link = up()
    assert errors(link.receive(Frame(0, 64, True, Kind.RR, nr=0, info=b"zz"))) == ["M"]


def test_tei_assigned_state_answers_polls_with_dm():
    link = DataLink(0, 64)
    out = link.receive(Frame(0, 64, True, Kind.RR, pf=True, nr=0))
    assert sent(out) == [Frame(0, 64, False, Kind.DM, pf=True)]


def test_user_side_link_waits_for_its_tei():
    link = DataLink(0, None)
    link.handle(Event.DL_ESTABLISH_REQ)
    assert link.state is State.ESTABLISH_AWAITING_TEI
    out = link.assign(66)
    assert sent(out) == [Frame(0, 66, True, Kind.SABME, pf=True)]
    link2 = DataLink(0, None)
    link2.handle(Event.DL_ESTABLISH_REQ)
    assert ind(link2.remove()) == [Dl.RELEASE_IND] and link2.state is State.TEI_UNASSIGNED


def test_t203_restarts_move_its_deadline_without_a_new_callback():
    link = up()  # T203 runs, one callback armed for t=10
    link.time.now = 4.0
    out = link.receive(Frame(0, 64, True, Kind.RR, nr=0))  # activity: T203 restarted
    assert link.t203_running and link.t203_at == 14.0
    assert not any(isinstance(o, ArmTimer) for o in out)
    link.time.now = 10.0
    out = link.timer_due("T203")  # the callback armed at first comes early: again later
    assert out == [ArmTimer(("lapd", 0, 64, "T203"), 4.0)] and link.state is State(7)
    link.time.now = 14.0
    out = link.timer_due("T203")  # now it expires: the idle link is polled
    assert link.state is State.TIMER_RECOVERY and not link.t203_running
    assert sent(out) == [Frame(0, 64, True, Kind.RR, pf=True, nr=0)]


def test_a_stopped_timer_callback_does_nothing_and_a_later_start_arms_again():
    link = up()
    link.handle(Event.DL_DATA_REQ, data=b"a")  # T200 runs (deadline 1.0), T203 stopped
    link.receive(Frame(0, 64, False, Kind.RR, nr=1))  # acknowledged: T200 stopped
    assert not link.t200_running
    link.time.now = 1.0
    assert link.timer_due("T200") == [] and link.t200_armed is None
    out = link.handle(Event.DL_DATA_REQ, data=b"b")
    assert ArmTimer(("lapd", 0, 64, "T200"), 1.0) in out and link.t200_at == 2.0
