"""The callback service on the simulated box in virtual time: staff first, then the
visitor; busy staff, visitor retries, restarts, the guard, working hours, the queue."""

from __future__ import annotations

import pytest

from firmware.callback.guard import Refusal
from firmware.callback.journal import RequestJournal
from firmware.callback.model import State
from firmware.callback.profiles import DAYS
from firmware.callback.service import CallbackService, RequestRejected
from firmware.callback.settings import CallbackSettings
from firmware.sim.phones import CONNECTED, IDLE, RINGING
from tests.unit.pbx_box import Box

SETTINGS = {
    "profiles": [{"name": "office", "timezone": "Europe/Berlin",
                  "week": {d: [{"start": "00:00", "end": "24:00", "numbers": ["21", "22"]}]
                           for d in DAYS}}],
    "links": [{"id": "office", "company": "Example GmbH", "ring_seconds": 10,
               "visitor_retries": 1, "retry_minutes": 2, "staff_retry_seconds": 30}],
}


class CallbackBox(Box):
    def __init__(self, tmp_path, settings=None, notices=None, start=0.0):
        super().__init__(tmp_path, start=start)
        self.tmp_path = tmp_path
        self.notices = [] if notices is None else notices
        self.settings = CallbackSettings.from_doc(settings or SETTINGS)
        self.service = self._service()
        self.service.start()
        self.callback_events = []
        self.events.subscribe(self.callback_events.append, ("callback",))

    def _service(self):
        return CallbackService(self.pbx, self.clock,
                               RequestJournal(self.tmp_path / "callbacks.jsonl", self.clock),
                               self.settings, events=self.events, notify=self.notices.append)

    def restarted(self):
        """The daemon restarts: a new box on the same files, its clock going on."""
        self.service.journal.close()
        self.cdr.close()
        return CallbackBox(self.tmp_path, notices=self.notices, start=self.clock.now())

    def file(self, number="030 1234567", **form):
        req = self.service.file("office", {"number": number, "ip": "198.51.100.7", **form})
        self.run(0.01)  # the journal's group commit
        return req


@pytest.fixture
def box(tmp_path):
    return CallbackBox(tmp_path)


def test_happy_path_staff_first_then_the_visitor(box):
    req = box.file(name="Jana", page_url="https://example.com/prices")
    box.run(0.5)
    assert box.phone1.state == RINGING and req.state is State.RINGING_STAFF
    assert box.lines["trunk"].cc.calls == {}  # the visitor is not dialled yet
    box.phone1.answer()
    box.run(0.5)
    assert req.state is State.RINGING_VISITOR
    assert [c.called for c in box.lines["trunk"].cc.calls.values()] == ["0301234567"]
    box.run(1.5)  # the subscriber answers after 1 s
    assert req.state is State.CONNECTED and box.phone1.state == CONNECTED
    box.run(60)
    box.phone1.hangup()
    box.run(1)
    assert req.state is State.DONE and box.idle()
    (row,) = box.cdrs()
    assert (row["linkedid"], row["src"], row["dst"], row["billsec"]) == \
        (req.id, "21", "00301234567", "61")
    pops = [e for e in box.callback_events if e.topic == "callback.staff-answered"]
    assert pops[0].data["page_url"] == "https://example.com/prices"
    assert pops[0].data["card"]["number"] == "+49301234567"
    contacts = box.service.card("+49301234567")["contacts"]
    by_kind = {c["kind"]: c for c in contacts}
    assert by_kind.keys() == {"call", "callback"}
    assert (by_kind["call"]["disposition"], by_kind["call"]["seconds"]) == ("ANSWERED", 61)
    assert by_kind["callback"]["page_url"] == "https://example.com/prices"


def test_first_staff_busy_second_answers(box):
    box.phone1.dial("00301234567")  # 21 is on the phone
    box.run(2)
    req = box.file("0307654321")
    box.run(0.5)
    assert box.phone2.state == RINGING
    box.phone2.answer()
    box.run(4)
    assert req.state is State.CONNECTED and req.staff == "22"


def test_staff_not_answering_keeps_the_request_queued_and_tries_again(box):
    req = box.file()
    box.run(21)  # 21 rings 10 s, 22 rings 10 s
    assert req.state is State.QUEUED and req.reason == "staff did not answer"
    assert box.service.status(req.id)["position"] == 1
    box.run(30)  # staff_retry_seconds
    assert req.state is State.RINGING_STAFF and req.staff_attempts == 2


def test_visitor_busy_is_retried_then_reported(box):
    req = box.file("030 9999999")  # always busy
    box.run(0.5)
    box.phone1.answer()
    box.run(1)
    assert req.state is State.QUEUED and req.reason == "visitor busy"
    assert box.phone1.state == IDLE  # staff's leg is cleared too
    box.run(120.5)  # retry_minutes = 2
    assert req.state is State.RINGING_STAFF
    box.phone1.answer()
    box.run(1)
    assert req.state is State.FAILED and req.reason == "visitor busy"
    assert [n.request.id for n in box.notices] == [req.id]
    assert [r["disposition"] for r in box.cdrs()] == ["BUSY", "BUSY"]


def test_restart_resumes_queued_requests_and_never_redials_a_visitor(box):
    waiting = box.file(when="5m")
    dialled = box.file("0307654321")
    box.run(0.5)
    box.phone1.answer()
    box.run(0.5)
    assert dialled.state is State.RINGING_VISITOR
    box = box.restarted()
    again = box.service.requests
    assert again[dialled.id].state is State.FAILED
    assert "after the visitor was dialled" in again[dialled.id].reason
    assert [n.request.id for n in box.notices] == [dialled.id]  # staff follow up by hand
    assert again[waiting.id].state is State.QUEUED
    box.run(300)
    assert again[waiting.id].state is State.RINGING_STAFF  # resumed on time
    assert box.exchange.line.stats["calls_in"] == 0  # `dialled` was not dialled again


def test_bad_numbers_are_rejected_by_field(box):
    for number, message in [("hello", "not a phone number"),
                            ("0900 1234567", "premium-rate"),
                            ("+44 20 7946 0958", "only call back numbers in DE"),
                            ("112", "emergency numbers"),
                            ("01019 0900 1234567", "without a carrier-selection prefix"),
                            ("01019 030 1234567", "without a carrier-selection prefix")]:
        with pytest.raises(RequestRejected, match=message) as info:
            box.file(number)
        assert info.value.field == "number"
    with pytest.raises(RequestRejected, match="in 1 minute to 24 hours"):
        box.file(when="9999m")
    assert box.service.requests == {}


def test_the_guard_refuses_a_burst_politely(box):
    for i in range(7):
        box.file(f"030 123456{i % 3}", cookie="abc")
    with pytest.raises(Refusal, match="please try again in") as info:
        box.file("030 1234560", cookie="abc")
    assert info.value.code == "rate"
    with pytest.raises(Refusal, match="too many different numbers"):
        box.service.file("office", {"number": "030 7777777", "ip": "198.51.100.9"})
        for n in ("030 7777778", "030 7777779", "030 7777770"):
            box.service.file("office", {"number": n, "ip": "198.51.100.9"})


def test_without_an_ip_only_the_number_is_limited(box):
    """Callers asking by phone (and the console) have no IP: distinct numbers do not
    add up against each other, but one number still cannot ask in a burst."""
    for n in range(6):
        box.service.file("office", {"number": f"030 555000{n}", "when": "30m"})
    for _ in range(7):  # 7 in 15 minutes, then no more
        box.service.file("office", {"number": "030 5550009", "when": "30m"})
    with pytest.raises(Refusal, match="please try again in"):
        box.service.file("office", {"number": "030 5550009", "when": "30m"})


def test_outside_working_hours_the_request_waits_for_the_next_slot(tmp_path):
    settings = dict(SETTINGS)
    settings["profiles"] = [{"name": "office", "timezone": "Europe/Berlin",
                             "week": {"tue": [{"start": "09:00", "end": "17:00",
                                               "numbers": ["21"]}]}}]
    box = CallbackBox(tmp_path, settings)  # virtual time starts Monday 16:13 Berlin
    req = box.file()
    box.run(1)
    assert req.state is State.QUEUED
    assert req.reason == "office closed until 2026-09-22T07:00+00:00"
    box.run(req.due - box.clock.wall() + 1)
    assert req.state is State.RINGING_STAFF and box.phone1.state == RINGING


def test_queue_positions_and_cancel(box):
    first, second, third = box.file(), box.file("030 7654321"), box.file("030 5555555")
    box.run(0.5)
    assert {first.state, second.state} == {State.RINGING_STAFF}  # two extensions on duty
    assert third.state is State.QUEUED
    assert box.service.status(third.id)["position"] == 1
    cancelled = box.service.cancel(third.id)
    assert cancelled.state is State.CANCELLED
    box.service.cancel(first.id)
    box.run(1)
    assert box.phone1.state == IDLE or box.phone2.state == IDLE


def test_a_visitor_who_never_answers_rings_out_then_is_reported(tmp_path):
    doc = {**SETTINGS, "links": [dict(SETTINGS["links"][0], visitor_retries=0,
                                      visitor_ring_seconds=30)]}
    box = CallbackBox(tmp_path, doc)
    req = box.file("030 5555555")  # the virtual PSTN's subscriber who never answers
    box.run(0.5)
    box.phone1.answer()
    box.run(29)
    assert req.state is State.RINGING_VISITOR
    box.run(2)
    assert req.state is State.FAILED and req.reason == "visitor did not answer"
    assert [n.request.id for n in box.notices] == [req.id]
    assert box.idle()


def test_a_request_filed_before_resume_runs_is_not_taken_for_an_interrupted_one(tmp_path):
    box = CallbackBox(tmp_path)
    again = box.restarted()  # the daemon files new requests before it resumes old ones
    again.service.requests.clear()
    again.service.load()
    req = again.file()
    again.run(0.5)
    again.phone1.answer()
    again.run(0.5)
    assert req.state is State.RINGING_VISITOR
    again.service.resume()  # two seconds after start, in the daemon
    assert req.state is State.RINGING_VISITOR
