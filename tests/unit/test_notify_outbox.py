"""The durable outbox, with real channels: an aiosmtpd server on loopback and the GSM modem
simulator on a pty. Virtual time drives the retries; a second Outbox on the same journal
plays the daemon after a restart."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from firmware.clock import LoopClock, VirtualClock
from firmware.media import wav
from firmware.notify import (
    EmailChannel,
    EmailSettings,
    NotifyError,
    Outbox,
    RetryPolicy,
    SmsChannel,
    SmsSettings,
    ThreadRunner,
)
from firmware.sim.gsm_modem import GsmModemSim
from firmware.store import JsonLinesLog
from tests.unit.smtp_sink import SmtpSink, free_port

JANA = "jana@office.example"
MOBILE = "+420601234567"


def email_channel(port: int) -> EmailChannel:
    return EmailChannel(EmailSettings(host="127.0.0.1", port=port, timeout=5,
                                      sender="Ringback <box@office.example>",
                                      helo_name="box.office.example"))


def sms_channel(device: str) -> SmsChannel:
    return SmsChannel(SmsSettings(device=device, timeout=2, send_timeout=2, register_timeout=1))


class Recorder:
    """on_change listener: (virtual time, change, notice id, attempts)."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.changes: list[tuple[float, str, str, int]] = []

    def __call__(self, notice, change: str) -> None:
        self.changes.append((self.clock.now(), change, notice.id, notice.attempts))

    def of(self, change: str) -> list[tuple[float, str, str, int]]:
        return [c for c in self.changes if c[1] == change]


class StalledRunner:
    """Starts nothing and never reports: the daemon died while a send was under way."""

    def __init__(self) -> None:
        self.jobs = 0

    def submit(self, lane, job, done) -> None:
        self.jobs += 1

    def close(self) -> None:
        pass


@pytest.fixture
def clock():
    return VirtualClock()


@pytest.fixture
def journal(tmp_path):
    return tmp_path / "outbox.jsonl"


@pytest.fixture
def port():
    return free_port()


@pytest.fixture
def modem():
    with GsmModemSim() as m:
        yield m


def make_outbox(journal, clock, port, modem=None, **kw) -> Outbox:
    channels = {"email": email_channel(port)}
    if modem is not None:
        channels["sms"] = sms_channel(modem.device)
    outbox = Outbox(journal, channels, clock, **kw)
    outbox.start()
    return outbox


def events(journal) -> list[str]:
    return [r["event"] for r in JsonLinesLog(journal).read()]


def test_an_email_notice_goes_out_and_every_step_is_journaled(journal, clock, port, tmp_path):
    voicemail = tmp_path / "vm.wav"
    wav.write(voicemail, wav.pcm_of([0, 1000, -1000, 0] * 400))
    with SmtpSink(port) as sink:
        outbox = make_outbox(journal, clock, port)
        notice = outbox.enqueue("email", JANA, "Zmeškaný hovor", "Visitor: +49 30 1234\nПривет",
                                attachments=[voicemail], tag="req-7")
        assert [n.id for n in outbox.pending()] == [notice.id]
        assert sink.messages == []  # nothing is sent on the caller's stack
        clock.run_pending()
        msg = sink.wait_for(1)[0].message
    assert msg["Subject"] == "Zmeškaný hovor"
    assert msg["Message-ID"] == f"<notice-{notice.id}@office.example>"
    assert msg.get_body().get_content() == "Visitor: +49 30 1234\nПривет\n"
    assert [a.get_filename() for a in msg.iter_attachments()] == ["vm.wav"]
    assert outbox.pending() == []
    assert outbox.stats() == {"pending": 0, "sending": 0, "sent": 1, "given_up": 0,
                              "journal_records": 3}
    assert events(journal) == ["queued", "attempt", "sent"]
    queued = JsonLinesLog(journal).read()[0]
    assert (queued["recipient"], queued["tag"], queued["body"]) == (
        JANA, "req-7", "Visitor: +49 30 1234\nПривет")
    outbox.close()


def test_smtp_down_is_retried_after_the_backoff_and_delivered_once_up(journal, clock, port):
    rec = Recorder(clock)
    outbox = make_outbox(journal, clock, port, on_change=rec)
    notice = outbox.enqueue("email", JANA, "Missed callback", "body")
    clock.run_pending()
    (failed,) = outbox.pending()
    assert failed.attempts == 1
    assert "connection refused" in failed.last_error
    assert failed.next_try == pytest.approx(clock.wall() + 60)
    clock.advance(59)
    assert outbox.get(notice.id).attempts == 1  # not before its time
    with SmtpSink(port) as sink:
        clock.advance(1)
        assert len(sink.wait_for(1)) == 1
        clock.advance(3600)
        assert len(sink.messages) == 1
    assert [c[:2] for c in rec.changes] == [(0, "queued"), (0, "failed"), (60, "sent")]
    assert events(journal) == ["queued", "attempt", "attempt_failed", "attempt", "sent"]
    outbox.close()


def test_backoff_grows_then_gives_up_after_the_last_attempt(journal, clock, port):
    rec = Recorder(clock)
    with SmtpSink(port) as sink:
        sink.refuse[JANA] = "451 4.3.0 try again later"
        outbox = make_outbox(journal, clock, port, on_change=rec)
        outbox.enqueue("email", JANA, "s", "b")
        clock.advance(6 * 3600)
    tries = [c[0] for c in rec.changes if c[1] in ("failed", "given_up")]
    # 1 min, 5 min, 15 min, then hourly; the 8th attempt is the last.
    assert tries == [0, 60, 360, 1260, 4860, 8460, 12060, 15660]
    assert rec.changes[-1][1:2] == ("given_up",) and rec.changes[-1][3] == 8
    assert outbox.pending() == [] and outbox.given_up == 1
    assert JsonLinesLog(journal).read()[-1]["error"].endswith("451 4.3.0 try again later)")
    outbox.close()


def test_a_permanent_refusal_gives_up_at_once(journal, clock, port):
    rec = Recorder(clock)
    with SmtpSink(port) as sink:
        sink.refuse["gone@office.example"] = "550 5.1.1 no such mailbox"
        outbox = make_outbox(journal, clock, port, on_change=rec)
        outbox.enqueue("email", "gone@office.example", "s", "b")
        clock.advance(3600)
    assert [c[1] for c in rec.changes] == ["queued", "given_up"]
    assert events(journal) == ["queued", "attempt", "given_up"]
    outbox.close()


def test_bad_input_is_refused_when_queued(journal, clock, port):
    outbox = Outbox(journal, {"email": email_channel(port)}, clock)
    with pytest.raises(RuntimeError, match="not running"):
        outbox.enqueue("email", JANA, "s", "b")
    outbox.start()
    with pytest.raises(NotifyError, match="not a valid email address") as err:
        outbox.enqueue("email", "jana@", "s", "b")
    assert err.value.permanent
    with pytest.raises(ValueError, match="unknown notification channel 'sms'"):
        outbox.enqueue("sms", MOBILE, "s", "b")
    assert outbox.pending() == [] and not journal.exists()
    outbox.close()


def test_a_network_error_from_the_modem_is_retried(journal, clock, port, modem):
    rec = Recorder(clock)
    modem.fail_next(38)
    outbox = make_outbox(journal, clock, port, modem, on_change=rec)
    outbox.enqueue("sms", "+420 601 234 567", "Zmeškaný hovor", "Jana Nováková, 10:30")
    clock.run_pending()
    assert "+CMS ERROR: 38 (network out of order)" in outbox.pending()[0].last_error
    assert modem.messages == []
    clock.advance(60)
    (sms,) = modem.wait_for_messages(1)
    assert (sms.number, sms.text, sms.coding) == (MOBILE, "Zmeškaný hovor\nJana Nováková, 10:30",
                                                  "UCS2")
    assert [c[:2] for c in rec.changes] == [(0, "queued"), (0, "failed"), (60, "sent")]
    outbox.close()


def test_a_retry_after_a_partial_sms_sends_only_the_missing_parts(journal, clock, port, modem):
    modem.fail_next(42, after=1)
    outbox = make_outbox(journal, clock, port, modem)
    body = " ".join(f"word{n:03d}" for n in range(45))
    outbox.enqueue("sms", MOBILE, "", body)
    clock.run_pending()
    assert outbox.pending()[0].progress == 1
    assert JsonLinesLog(journal).read()[-1]["progress"] == 1
    clock.advance(60)
    got = modem.wait_for_messages(3)
    assert [m.text[:6] for m in got] == ["(1/3) ", "(2/3) ", "(3/3) "]
    outbox.close()


def test_a_restart_resumes_pending_notices_and_sends_nothing_twice(journal, clock, port, modem):
    modem.fail_next(38)
    first = make_outbox(journal, clock, port, modem)
    mail = first.enqueue("email", JANA, "Missed callback", "from before the restart")
    sms = first.enqueue("sms", MOBILE, "Missed callback", "from before the restart")
    clock.run_pending()
    assert {n.id: n.attempts for n in first.pending()} == {mail.id: 1, sms.id: 1}
    first.close()

    # The daemon comes back two minutes later (a new process: a new clock).
    later = VirtualClock(epoch=clock.wall() + 120)
    with SmtpSink(port) as sink:
        second = make_outbox(journal, later, port, modem)
        assert {n.id for n in second.pending()} == {mail.id, sms.id}
        later.run_pending()
        assert sink.wait_for(1)[0].message["Message-ID"] == f"<notice-{mail.id}@office.example>"
        assert [m.text for m in modem.wait_for_messages(1)] == [
            "Missed callback\nfrom before the restart"]
        assert second.pending() == []
        second.close()

        third = make_outbox(journal, VirtualClock(epoch=later.wall() + 60), port, modem)
        assert third.pending() == []
        third.clock.advance(7200)
        assert len(sink.messages) == 1 and len(modem.messages) == 1
        third.close()


def test_a_send_cut_off_by_a_crash_is_retried_at_once_and_still_counts(journal, clock, port):
    stalled = StalledRunner()
    first = make_outbox(journal, clock, port, runner=stalled)
    notice = first.enqueue("email", JANA, "s", "b")
    clock.run_pending()
    assert stalled.jobs == 1
    first.close()
    assert events(journal) == ["queued", "attempt"]

    with SmtpSink(port) as sink:
        second = make_outbox(journal, VirtualClock(epoch=clock.wall() + 5), port)
        (resumed,) = second.pending()
        assert (resumed.id, resumed.attempts) == (notice.id, 1)
        assert resumed.last_error.startswith("interrupted")
        second.clock.run_pending()
        assert len(sink.wait_for(1)) == 1
    assert JsonLinesLog(journal).read()[-1] == {
        "event": "sent", "id": notice.id, "at": pytest.approx(clock.wall() + 5), "attempts": 2}
    second.close()


def test_a_notice_that_keeps_crashing_the_daemon_is_given_up(journal, clock, port):
    retry = RetryPolicy(max_attempts=2)
    for _ in range(2):
        outbox = make_outbox(journal, clock, port, runner=StalledRunner(), retry=retry)
        if not outbox.pending():
            outbox.enqueue("email", JANA, "s", "b")
        clock.run_pending()
        outbox.close()
    last = make_outbox(journal, clock, port, retry=retry)
    assert last.pending() == [] and last.given_up == 1
    assert events(journal)[-1] == "given_up"
    last.close()


def test_the_journal_is_compacted_to_the_pending_notices(journal, clock, port):
    with SmtpSink(port) as sink:
        sink.refuse["later@office.example"] = "452 4.2.2 mailbox full"
        outbox = make_outbox(journal, clock, port, compact_after=20)
        waiting = outbox.enqueue("email", "later@office.example", "waits", "b")
        for n in range(10):
            outbox.enqueue("email", JANA, f"n={n}", "b")
        clock.run_pending()
        assert len(sink.wait_for(10)) == 10
    lines = journal.read_bytes().splitlines()
    assert len(lines) < 20  # 1 + 3 per notice = 34 without compaction
    assert outbox.stats()["journal_records"] == len(lines)
    records = JsonLinesLog(journal).read()
    assert records[0]["event"] == "queued" and records[0]["id"] == waiting.id
    assert records[0]["attempts"] == 1 and "452 4.2.2" in records[0]["last_error"]
    outbox.close()

    again = make_outbox(journal, clock, port)
    (pending,) = again.pending()
    assert (pending.id, pending.attempts, pending.next_try) == (
        waiting.id, 1, pytest.approx(clock.wall() + 60))
    again.close()


def test_a_torn_last_line_from_a_power_cut_is_skipped(journal, clock, port):
    outbox = make_outbox(journal, clock, port)
    kept = outbox.enqueue("email", JANA, "kept", "b")
    outbox.close()
    with open(journal, "ab") as f:
        f.write(b'{"event":"queued","id":"torn","chan')
    again = make_outbox(journal, clock, port)
    assert [n.id for n in again.pending()] == [kept.id]
    again.enqueue("email", JANA, "after the cut", "b")
    again.close()
    assert [json.loads(x)["event"] for x in journal.read_bytes().splitlines()] == [
        "queued", "queued"]


def test_on_the_daemon_loop_sends_run_off_the_loop(journal, port, modem):
    """The real wiring: LoopClock, worker threads; a slow SMTP server must not stall the
    loop, and the SMS lane runs beside the email lane, one SMS at a time."""

    async def scenario() -> float:
        loop = asyncio.get_running_loop()
        outbox = Outbox(journal, {"email": email_channel(port), "sms": sms_channel(modem.device)},
                        LoopClock(loop), ThreadRunner.for_loop(loop))
        outbox.start()
        worst_gap = 0.0
        with SmtpSink(port) as sink:
            sink.delay = 0.5
            outbox.enqueue("email", JANA, "slow server", "b")
            for n in range(3):
                outbox.enqueue("sms", MOBILE, "", f"sms {n}")
            last = time.monotonic()
            deadline = last + 10
            while (outbox.pending() or outbox.busy) and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
                now = time.monotonic()
                worst_gap, last = max(worst_gap, now - last), now
            assert len(sink.wait_for(1)) == 1
        await outbox.aclose()
        assert sorted(m.text for m in modem.messages) == ["sms 0", "sms 1", "sms 2"]
        assert events(journal).count("sent") == 4
        return worst_gap

    worst_gap = asyncio.run(scenario())
    assert worst_gap < 0.25  # the 0.5 s SMTP answer never held the loop
