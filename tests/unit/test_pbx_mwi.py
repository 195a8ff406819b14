"""Message waiting indication: the ROSE operations of EN 300 745-1, FACILITY on the dummy
call reference from the box's NT side, and the simulated phones' lamps following their
mailboxes' new messages (virtual time, the sim board's S0 bus)."""

from __future__ import annotations

from firmware.isdn.dss1.engine import DUMMY_CALL
from firmware.isdn.dss1.network import NetworkCallControl
from firmware.isdn.dss1.primitives import Ind, SendMessage
from firmware.isdn.dss1.user import UserCallControl
from firmware.isdn.q931 import rose
from firmware.isdn.q931.codec import encode
from firmware.pbx.mwi import IsdnIndicator, MessageWaiting
from firmware.pbx.voicemail import Mailbox, Voicemail
from tests.unit.pbx_box import OFFICE, Box

PCM = bytes(2 * 8000 * 2)  # two seconds: long enough to be a message


def test_mwi_operations_are_the_global_values_of_en_300_745_1() -> None:
    assert rose.MWI_INDICATE == bytes.fromhex("0400856901" "03")  # 0.4.0.745.1.3
    assert rose.MWI_DEACTIVATE == bytes.fromhex("0400856901" "02")
    arg = rose.mwi_indicate_argument(3)
    # SEQUENCE { basicService [2] ENUMERATED speech, numberOfMessages [3] INTEGER 3 }
    assert arg == bytes.fromhex("300a" "a2030a0101" "a303020103")
    body = rose.facility_body(rose.Invoke(5, rose.MWI_INDICATE, arg))
    (inv,) = rose.decode(body)
    assert (inv.invoke_id, inv.opcode, rose.mwi_count(inv.argument)) == \
        (5, rose.MWI_INDICATE, 3)
    deact = rose.mwi_deactivate_argument("21")
    assert deact == bytes.fromhex("3007" "80023231" "0a0101")  # receivingUserNr, speech
    assert rose.mwi_count(rose.mwi_indicate_argument(None)) is None


def test_the_nt_side_broadcasts_facility_on_the_dummy_call_reference() -> None:
    nt = NetworkCallControl(ptp=False)
    invoke = rose.Invoke(1, rose.MWI_INDICATE, rose.mwi_indicate_argument(1))
    (out,) = nt.connectionless_facility_req(invoke, called="21")
    assert isinstance(out, SendMessage) and out.broadcast and out.tei is None
    frame = encode(out.message)
    assert frame[:3] == bytes((0x08, 0x00, 0x62))  # Q.931, dummy reference, FACILITY
    (event,) = UserCallControl(ptp=False).receive(None, frame, broadcast=True)
    assert (event.ind, event.call, event.info["called"], event.info["connectionless"]) == \
        (Ind.FACILITY_IND, DUMMY_CALL, "21", True)
    assert event.info["components"] == [invoke]
    ptp = NetworkCallControl(ptp=True).connectionless_facility_req(invoke)
    assert (ptp[0].tei, ptp[0].broadcast) == (0, False)
    junk = bytes((0x08, 0x00, 0x62, 0x1C, 0x02, 0x91, 0xA1))  # a torn component
    assert UserCallControl(ptp=False).receive(None, junk, broadcast=True) == []


def mwi_box(tmp_path) -> tuple[Box, Voicemail, MessageWaiting, list[dict]]:
    office = {**OFFICE, "extensions": [dict(e, voicemail=True) for e in OFFICE["extensions"]]}
    box = Box(tmp_path, office)
    store = Voicemail(tmp_path / "vm", box.clock)
    mwi = MessageWaiting(store, lambda: box.pbx.config, box.events)
    mwi.indicators["isdn"] = IsdnIndicator(lambda: box.lines)
    store.on_change = mwi.changed
    seen: list[dict] = []
    box.events.subscribe(lambda e: seen.append(e.data), ("voicemail.mwi",))
    return box, store, mwi, seen


def test_the_lamp_of_the_mailboxs_phone_follows_its_new_messages(tmp_path) -> None:
    box, store, mwi, seen = mwi_box(tmp_path)
    first = store.deposit(Mailbox("21"), "0301112222", PCM)
    box.run(0.2)
    assert (box.phone1.mwi_lamp, box.phone1.mwi_messages) == (True, 1)
    assert not box.phone2.mwi_lamp  # the broadcast names 21's MSN: 22 keeps its lamp off
    second = store.deposit(Mailbox("21"), "0307654321", PCM)
    box.run(0.2)
    assert box.phone1.mwi_messages == 2
    store.mark_heard("21", first.id)
    box.run(0.2)
    assert (box.phone1.mwi_lamp, box.phone1.mwi_messages) == (True, 1)
    store.mark_heard("21", first.id)  # no change in the count: nothing is sent
    store.delete("21", second.id)
    box.run(0.2)
    assert (box.phone1.mwi_lamp, box.phone1.mwi_messages) == (False, 0)
    assert [(e["extension"], e["new"], e["total"]) for e in seen] == \
        [("21", 1, 1), ("21", 2, 2), ("21", 1, 2), ("21", 0, 1)]
    assert box.phone1.status()["mwi"] == {"lamp": False, "messages": 0}


def test_a_refresh_tells_every_mailbox_again_and_other_kinds_use_their_indicator(tmp_path):
    box, store, mwi, seen = mwi_box(tmp_path)
    store.deposit(Mailbox("22"), "", PCM)
    box.run(0.2)
    box.phone2.mwi_lamp = False  # a terminal that was unplugged meanwhile
    mwi.refresh()
    box.run(0.2)
    assert box.phone2.mwi_lamp and not box.phone1.mwi_lamp
    told: list[tuple] = []
    mwi.indicators["isdn"] = lambda port, active, count, msn: told.append(
        (port, active, count, msn))
    store.deposit(Mailbox("22"), "", PCM)
    assert told == [("s0int", True, 2, "22")]
