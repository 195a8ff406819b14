"""Who rings, on the simulated box in virtual time: round-robin starts after the member
who answered last, a group that nobody answers overflows, an external extension (a
mobile phone) is a member that rings out on the trunk, and one ISDN terminal answers to
two MSNs."""

from __future__ import annotations

from firmware.sim.phones import CONNECTED, IDLE, RINGING
from tests.unit.pbx_box import OFFICE, Box

MOBILE = {"number": "24", "name": "Cleo mobile", "kind": "external",
          "external": "0301234567"}  # the virtual PSTN answers it after 1 s


def office(**group) -> dict:
    doc = dict(OFFICE)
    doc["extensions"] = [*OFFICE["extensions"], MOBILE]
    doc["groups"] = [{"number": "30", "name": "Office", "members": ["21", "22"], **group}]
    return doc


def ring_group(box: Box, caller: str = "0301112222") -> int:
    call = box.exchange.call_box("5551000", caller)
    box.run(0.5)
    return call


def trunk_numbers(box: Box) -> list[str]:
    return sorted(c.called for c in box.lines["trunk"].cc.calls.values())


def hang_up_all(box: Box, call: int) -> None:
    box.exchange.line.hangup(call)
    box.run(1)
    assert box.idle()


def test_round_robin_starts_after_the_member_who_answered_last(tmp_path):
    box = Box(tmp_path, office(strategy="round-robin", member_seconds=10))
    first = ring_group(box)
    assert (box.phone1.state, box.phone2.state) == (RINGING, IDLE)
    box.phone1.answer()
    box.run(0.5)
    hang_up_all(box, first)

    second = ring_group(box)
    assert (box.phone1.state, box.phone2.state) == (IDLE, RINGING)  # 22's turn now
    box.run(10)  # 22 does not answer: the hunt wraps round to 21
    assert (box.phone1.state, box.phone2.state) == (RINGING, IDLE)
    box.phone1.answer()
    box.run(0.5)
    hang_up_all(box, second)

    third = ring_group(box)  # 21 answered last again, so 22 leads once more
    assert (box.phone1.state, box.phone2.state) == (IDLE, RINGING)
    hang_up_all(box, third)


def test_an_unanswered_group_overflows_to_the_mobile_on_the_trunk(tmp_path):
    box = Box(tmp_path, office(timeout_seconds=10, overflow="24"))
    call = ring_group(box, caller="0307770000")
    assert (box.phone1.state, box.phone2.state) == (RINGING, RINGING)
    assert trunk_numbers(box) == ["5551000"]
    box.run(10)
    assert (box.phone1.state, box.phone2.state) == (IDLE, IDLE)
    assert trunk_numbers(box) == ["0301234567", "5551000"]  # B1 in, B2 out to the mobile
    box.run(2)  # the mobile answers after 1 s
    assert box.pbx.status()[0]["state"] == "connected"
    hang_up_all(box, call)
    (row,) = box.cdrs()
    assert (row["src"], row["dst"], row["disposition"]) == ("0307770000", "24", "ANSWERED")


def test_a_mobile_member_rings_with_the_desk_phones_and_the_first_answer_wins(tmp_path):
    doc = office()
    doc["groups"][0]["members"] = ["21", "24"]
    box = Box(tmp_path, doc)
    call = ring_group(box)
    assert box.phone1.state == RINGING
    assert trunk_numbers(box) == ["0301234567", "5551000"]
    box.run(2)  # the mobile answers first: the desk phone stops ringing
    assert box.phone1.state == IDLE and box.pbx.status()[0]["state"] == "connected"
    assert trunk_numbers(box) == ["0301234567", "5551000"]
    hang_up_all(box, call)


def test_forward_always_sends_the_call_on_without_ringing_the_desk(tmp_path):
    doc = dict(OFFICE)
    doc["extensions"] = [{**OFFICE["extensions"][0], "forward_always": "22"},
                         OFFICE["extensions"][1]]
    box = Box(tmp_path, doc)
    call = box.exchange.call_box("5551021", "0301112222")
    box.run(0.5)
    assert (box.phone1.state, box.phone2.state) == (IDLE, RINGING)
    box.phone2.answer()
    box.run(0.5)
    assert box.phone2.state == CONNECTED and "forwarded" in box.states()
    hang_up_all(box, call)
    (row,) = box.cdrs()
    assert row["dst"] == "22" and row["disposition"] == "ANSWERED"


def test_a_terminal_with_two_msns_rings_for_either_extension(tmp_path):
    """Phone 1 on the sim bus answers to MSNs 21 and 31 (board more_msns): extension 31
    is a second number on Anna's desk phone; the broadcast SETUP names the MSN."""
    doc = dict(OFFICE)
    doc["extensions"] = [*OFFICE["extensions"],
                         {"number": "31", "name": "Anna (sales line)", "port": "s0int"}]
    doc["routes"] = [*OFFICE["routes"], {"number": "5551031", "target": "31"}]
    box = Box(tmp_path, doc)
    call = box.exchange.call_box("5551031", "0301112222")
    box.run(0.5)
    assert (box.phone1.state, box.phone2.state) == (RINGING, IDLE)
    assert box.phone1.called_msn == "31" and box.phone1.status()["msns"] == ["21", "31"]
    box.phone1.answer()
    box.run(0.5)
    assert box.pbx.status()[0]["state"] == "connected"
    hang_up_all(box, call)
    (row,) = box.cdrs()
    assert (row["dst"], row["msn"]) == ("31", "5551031")
