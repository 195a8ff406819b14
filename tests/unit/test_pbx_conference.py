"""Three-party conference signalling on the simulated box: an extension holds a caller,
consults a colleague and joins both; NOTIFY tells the parties; a party leaving turns it
back into a two-party call, the controller leaving ends it."""

from __future__ import annotations

import pytest

from firmware.isdn.dss1.hold import Notification
from firmware.pbx.switch import PbxError
from firmware.sim.phones import CONNECTED, IDLE
from tests.unit.pbx_box import Box


@pytest.fixture
def box(tmp_path):
    b = Box(tmp_path)
    b.mixes = []
    b.pbx.on_conference = lambda call: b.mixes.append(sorted(p.id for p in call.parties()))
    return b


def three_parties(box: Box) -> tuple[int, str, str]:
    """The caller talks to 21, 21 holds and consults 22."""
    call = box.exchange.call_box("5551021", "0301112222")
    box.run(0.5)
    box.phone1.answer()
    box.run(0.5)
    (c1,) = box.pbx.calls
    box.phone1.hold()
    box.run(0.2)
    box.phone1.dial("22")
    box.run(0.5)
    box.phone2.answer()
    box.run(0.5)
    (c2,) = [c for c in box.pbx.calls if c != c1]
    return call, c1, c2


def test_conference_joins_the_held_caller_and_the_consulted_colleague(box):
    call, c1, c2 = three_parties(box)
    conf = box.pbx.conference(c1, c2)
    box.run(0.5)
    assert conf.id == c2  # the call where 21 still has its B-channel
    assert list(box.pbx.calls) == [c2]
    assert box.phone1.state == CONNECTED and box.phone1.held is None
    assert box.phone2.state == CONNECTED
    assert [d for c, d in box.exchange.notifications if c == call] == [
        Notification.REMOTE_HOLD, Notification.REMOTE_RETRIEVAL,
        Notification.CONFERENCE_ESTABLISHED]
    assert box.phone2.notifications == [Notification.CONFERENCE_ESTABLISHED]
    assert len(box.mixes[0]) == 3 and box.pbx.status()[0]["conference"]
    # 22 leaves: the caller and 21 go on
    box.phone2.hangup()
    box.run(0.5)
    assert box.phone1.state == CONNECTED and len(box.mixes[-1]) == 2
    assert box.exchange.notifications[-1] == (call, Notification.CONFERENCE_DISCONNECTED)
    assert box.pbx.calls[c2].state.value == "connected"
    box.phone1.hangup()
    box.run(1)
    assert box.idle()
    rows = box.cdrs()
    assert [(r["uniqueid"], r["disposition"]) for r in rows] == [(c1, "ANSWERED"),
                                                                   (c2, "ANSWERED")]
    assert {r["linkedid"] for r in rows} == {c1}


def test_the_controller_hanging_up_ends_the_conference_for_all(box):
    call, c1, c2 = three_parties(box)
    box.pbx.conference(c1, c2)
    box.run(0.5)
    box.phone1.hangup()
    box.run(1)
    assert box.phone2.state == IDLE and box.idle()
    assert box.exchange.causes[call] == 16


def test_conference_refusals(box):
    call, c1, c2 = three_parties(box)
    with pytest.raises(PbxError, match="two different calls"):
        box.pbx.conference(c1, c1)
    with pytest.raises(PbxError, match="no extension is in both"):
        box.pbx.conference(c1, c2, by="22")
    conf = box.pbx.conference(c1, c2)
    with pytest.raises(PbxError, match="is a conference"):
        box.pbx.transfer(conf.id, "00301234567")
