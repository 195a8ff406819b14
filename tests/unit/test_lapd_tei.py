"""TEI management (Q.921 5.3), user and network side."""

import random

from firmware.isdn.lapd.primitives import SendFrame, StartTimer, StopTimer
from firmware.isdn.lapd.tei import (
    TeiAssigned,
    TeiFailed,
    TeiMessage,
    TeiMgmt,
    TeiNetwork,
    TeiRemoved,
    TeiUser,
    decode_tei,
)


def messages(outputs):
    return [decode_tei(o.frame.info) for o in outputs if isinstance(o, SendFrame)]


def test_message_codec_round_trip_and_rejects_garbage():
    m = TeiMgmt(TeiMessage.IDENTITY_ASSIGNED, 0x1234, 64)
    assert m.encode() == bytes([0x0F, 0x12, 0x34, 0x02, 0x81])
    assert decode_tei(m.encode()) == m
    multi = TeiMgmt(TeiMessage.IDENTITY_CHECK_RESPONSE, 7, 64, (65, 66))
    assert decode_tei(multi.encode()) == multi
    assert decode_tei(b"\x0e\x00\x00\x01\xff") is None
    assert decode_tei(b"\x0f\x00\x00\x09\xff") is None
    assert decode_tei(b"\x0f") is None


def test_user_asks_until_assigned_with_matching_ri():
    user = TeiUser(random.Random(5))
    out = user.request()
    (req,) = messages(out)
    assert req.message is TeiMessage.IDENTITY_REQUEST and req.ai == 127
    assert any(isinstance(o, StartTimer) for o in out)
    assert user.receive(TeiMgmt(TeiMessage.IDENTITY_ASSIGNED, req.ri ^ 1, 70)) == []
    out = user.receive(TeiMgmt(TeiMessage.IDENTITY_ASSIGNED, req.ri, 70))
    assert out == [StopTimer(TeiUser.KEY), TeiAssigned(70)] and user.tei == 70


def test_user_gives_up_after_n202_requests():
    user = TeiUser(random.Random(5))
    sent = messages(user.request())
    sent += messages(user.timer_expiry())
    sent += messages(user.timer_expiry())
    assert len(sent) == 3 and len({m.ri for m in sent}) == 3
    assert user.timer_expiry() == [TeiFailed()]


def test_user_answers_checks_and_obeys_removal():
    user = TeiUser(random.Random(5))
    req = messages(user.request())[0]
    user.receive(TeiMgmt(TeiMessage.IDENTITY_ASSIGNED, req.ri, 64))
    (resp,) = messages(user.receive(TeiMgmt(TeiMessage.IDENTITY_CHECK_REQUEST, 0, 127)))
    assert resp.message is TeiMessage.IDENTITY_CHECK_RESPONSE and resp.ai == 64
    assert user.receive(TeiMgmt(TeiMessage.IDENTITY_REMOVE, 0, 65)) == []
    assert user.receive(TeiMgmt(TeiMessage.IDENTITY_REMOVE, 0, 64)) == [TeiRemoved(64)]
    assert user.tei is None


def test_network_assigns_distinct_teis_and_denies_when_full():
    net = TeiNetwork()
    teis = []
    for ri in range(63):
        out = net.receive(TeiMgmt(TeiMessage.IDENTITY_REQUEST, ri, 127))
        (m,) = messages(out)
        assert m.message is TeiMessage.IDENTITY_ASSIGNED and m.ri == ri
        teis.append(m.ai)
    assert sorted(teis) == list(range(64, 127))
    (m,) = messages(net.receive(TeiMgmt(TeiMessage.IDENTITY_REQUEST, 99, 127)))
    assert m.message is TeiMessage.IDENTITY_DENIED


def test_network_removes_a_duplicated_or_silent_tei_after_check():
    net = TeiNetwork()
    net.receive(TeiMgmt(TeiMessage.IDENTITY_REQUEST, 1, 127))
    net.receive(TeiMgmt(TeiMessage.IDENTITY_VERIFY, 0, 64))
    for _ in range(2):
        net.receive(TeiMgmt(TeiMessage.IDENTITY_CHECK_RESPONSE, 5, 64))
    out = net.timer_expiry(64)
    assert [m.message for m in messages(out)] == [TeiMessage.IDENTITY_REMOVE] * 2
    assert TeiRemoved(64) in out and 64 not in net.assigned
    net.receive(TeiMgmt(TeiMessage.IDENTITY_REQUEST, 2, 127))  # gets 65
    net.check(65)
    assert [m.message for m in messages(net.timer_expiry(65))] == \
        [TeiMessage.IDENTITY_CHECK_REQUEST]
    assert TeiRemoved(65) in net.timer_expiry(65)
