"""Q.921 between our TE and our NT on a simulated bus, in virtual time."""

from firmware.isdn.lapd.datalink import State
from firmware.isdn.lapd.primitives import Dl
from tests.unit.lapd_pair import make_pair


def established(clock, nt, te):
    te.l2.establish()
    clock.advance(0.5)
    assert te.prims()[-1] is Dl.ESTABLISH_CNF
    assert nt.prims()[-1] is Dl.ESTABLISH_IND
    return te.l2.core.links[None].tei


def test_te_gets_a_tei_and_establishes_multiple_frame_operation():
    clock, bus, nt, (te,) = make_pair()
    tei = established(clock, nt, te)
    assert tei == 64
    assert nt.l2.core.links[64].state is State.MULTIPLE_FRAME_ESTABLISHED
    assert te.l2.core.links[None].state is State.MULTIPLE_FRAME_ESTABLISHED


def test_i_frames_both_ways_in_order_with_window_1():
    clock, bus, nt, (te,) = make_pair()
    tei = established(clock, nt, te)
    for i in range(5):
        te.l2.send(b"up%d" % i)
        nt.l2.send(b"down%d" % i, tei)
    clock.advance(1)
    assert nt.data() == [b"up%d" % i for i in range(5)]
    assert te.data() == [b"down%d" % i for i in range(5)]
    link = te.l2.core.links[None]
    assert link.vs == link.va == 5 and link.vr == 5


def test_idle_link_survives_t203_polling():
    clock, bus, nt, (te,) = make_pair()
    tei = established(clock, nt, te)
    clock.advance(35)  # three T203 periods on each side
    assert te.l2.core.links[None].state is State.MULTIPLE_FRAME_ESTABLISHED
    assert nt.l2.core.links[tei].state is State.MULTIPLE_FRAME_ESTABLISHED
    assert Dl.RELEASE_IND not in te.prims() + nt.prims()
    assert bus.nt.counters["d_tx"] >= 3  # RR polls went out


def test_release_from_either_side():
    clock, bus, nt, (te,) = make_pair()
    tei = established(clock, nt, te)
    te.l2.release()
    clock.advance(0.5)
    assert te.prims()[-1] is Dl.RELEASE_CNF and nt.prims()[-1] is Dl.RELEASE_IND
    te.l2.establish()
    clock.advance(0.5)
    nt.l2.release(tei)
    clock.advance(0.5)
    assert nt.prims()[-1] is Dl.RELEASE_CNF and te.prims()[-1] is Dl.RELEASE_IND


def test_point_to_point_uses_tei_0_without_tei_management():
    clock, bus, nt, (te,) = make_pair(ptp=True)
    te.l2.establish()
    clock.advance(0.5)
    assert te.prims() == [Dl.ESTABLISH_CNF] and nt.prims() == [Dl.ESTABLISH_IND]
    nt.l2.send(b"hello", 0)
    clock.advance(0.5)
    assert te.data() == [b"hello"]


def test_several_terminals_get_different_teis_and_broadcast_reaches_all():
    clock, bus, nt, tes = make_pair(n_te=3)
    teis = []
    for te in tes:
        teis.append(established(clock, nt, te))
    assert teis == [64, 65, 66]
    nt.l2.send_unitdata(b"SETUP")
    clock.advance(0.1)
    for te in tes:
        assert te.got[-1].primitive is Dl.UNITDATA_IND and te.got[-1].data == b"SETUP"


def test_sabme_unanswered_gives_up_after_n200_retries():
    clock, bus, nt, (te,) = make_pair(ptp=True)
    bus.nt.bind(lambda e: None)  # the network side went deaf
    bus.nt.ph_activate_req()
    te.l2.establish()
    clock.advance(10)
    assert te.prims() == [Dl.RELEASE_IND]
    assert bus.tes[0].counters["d_tx"] == 4  # SABME + N200 (3) retries


def test_layer1_loss_releases_the_link_and_keeps_the_tei():
    clock, bus, nt, (te,) = make_pair()
    tei = established(clock, nt, te)
    bus.unplug()
    clock.advance(0.1)
    assert te.prims()[-1] is Dl.RELEASE_IND and nt.prims()[-1] is Dl.RELEASE_IND
    bus.plug()
    te.l2.establish()
    clock.advance(0.5)
    assert te.prims()[-1] is Dl.ESTABLISH_CNF and te.l2.core.links[None].tei == tei
