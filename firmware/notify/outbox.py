"""A durable outbox: notices wait here until their email or SMS has gone out.

    outbox = Outbox(data_dir / "outbox.jsonl", {"email": EmailChannel(...),
                    "sms": SmsChannel(...)}, LoopClock(loop), ThreadRunner.for_loop(loop))
    outbox.start()                         # replays the journal, resumes what is pending
    outbox.enqueue("sms", "+420601234567", "Missed callback", "Visitor +49 30 1234 ...")
    ...
    await outbox.aclose()

Theory of operation. Every state change of a notice is one line appended (fsynced) to a
JSON lines journal before the outbox acts on it:

    queued          the whole notice                        (enqueue)
    attempt         attempts                                (a send is about to start)
    attempt_failed  attempts, next_try, error, progress     (retry at next_try)
    sent            attempts                                (done)
    given_up        attempts, error                         (done: permanent error or too
                                                             many attempts)

`start()` folds the journal into the pending notices and schedules each at its next_try
(wall-clock seconds, so they mean the same after a restart). An `attempt` without an
outcome means the daemon stopped mid-send: the notice is retried at once and the attempt
still counts, so a notice that crashes the daemon cannot loop forever. Delivery is at
least once: a send that succeeded just before a power cut, before `sent` was written,
goes again.

Failures back off by RetryPolicy (1 min, 5 min, 15 min, then hourly; 8 attempts); a
permanent NotifyError (refused recipient, wrong SIM PIN) gives up at once. When the
journal has grown past `compact_after` lines and is mostly finished notices, it is
rewritten atomically with only the pending ones.

Threads: every method runs on the owner's thread (the daemon's event loop). Sends run on
the runner (worker threads in the daemon, inline in tests), one at a time per channel,
and their outcomes come back to the owner's thread. Timers come from the injected Clock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from firmware.clock import Clock, TimerHandle
from firmware.log import get_logger
from firmware.store.atomic import atomic_write_bytes
from firmware.store.journal import JsonLinesLog

from .channels import Channel
from .errors import NotifyError
from .runners import InlineRunner, Runner

log = get_logger("notify.outbox")

PENDING, SENDING = "pending", "sending"


@dataclass
class Notice:
    """One message to one recipient over one channel, and how its delivery is going."""

    id: str
    channel: str  # "email" or "sms"
    recipient: str
    subject: str
    body: str
    created: float  # wall-clock seconds
    attachments: list[str] = field(default_factory=list)
    tag: str = ""  # the caller's reference, e.g. the callback request id
    attempts: int = 0
    next_try: float = 0.0  # wall-clock seconds
    last_error: str = ""
    progress: int = 0  # SMS parts already delivered
    state: str = PENDING

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Notice:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in record.items() if k in names})


@dataclass(frozen=True)
class RetryPolicy:
    """Waits after the 1st, 2nd ... failed attempt (the last one repeats), and how many
    attempts in all before giving up."""

    delays: tuple[float, ...] = (60.0, 300.0, 900.0, 3600.0)
    max_attempts: int = 8

    def __post_init__(self) -> None:
        if not self.delays or any(d < 0 for d in self.delays):
            raise ValueError("retry delays must be a non-empty list of seconds >= 0")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def delay(self, failures: int) -> float:
        return self.delays[min(failures, len(self.delays)) - 1]


class Outbox:
    def __init__(
        self,
        path: str | os.PathLike[str],
        channels: Mapping[str, Channel],
        clock: Clock,
        runner: Runner | None = None,
        retry: RetryPolicy | None = None,
        compact_after: int = 1000,
        on_change: Callable[[Notice, str], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.channels = dict(channels)
        self.clock = clock
        self.runner = runner if runner is not None else InlineRunner()
        self.retry = retry or RetryPolicy()
        self.compact_after = compact_after
        self.on_change = on_change
        self.sent = 0  # since start
        self.given_up = 0
        self._journal = JsonLinesLog(self.path)
        self._records = 0  # lines in the journal
        self._notices: dict[str, Notice] = {}  # pending and sending, by id
        self._timers: dict[str, TimerHandle] = {}
        self._ready: dict[str, deque[str]] = {name: deque() for name in self.channels}
        self._busy: set[str] = set()  # channels with a send in flight
        self._started = False
        self._closed = False

    # --- life cycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Replay the journal and schedule every pending notice."""
        if self._started:
            raise RuntimeError("outbox already started")
        self._started = True
        self._replay()
        now = self.clock.wall()
        for notice in sorted(self._notices.values(), key=lambda n: n.created):
            if notice.state == SENDING:
                notice.state = PENDING
                notice.last_error = "interrupted: the daemon stopped during the attempt"
                notice.next_try = now
                if notice.attempts >= self.retry.max_attempts:
                    self._give_up(notice, notice.last_error)
                    continue
            if notice.channel not in self.channels:
                # Kept in the journal: once the channel is configured again, it goes.
                log.warning("notice_channel_missing", id=notice.id, channel=notice.channel)
                continue
            self._schedule(notice)
        self._maybe_compact()
        log.info("outbox_started", path=str(self.path), pending=len(self._notices),
                 journal_records=self._records)

    def close(self) -> None:
        """Stop scheduling; wait for sends in flight (their outcomes may be lost: a notice
        whose outcome was not journaled goes again after a restart). Use aclose() on a
        running loop to keep them."""
        self._closed = True
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self.runner.close()
        self._journal.close()

    async def aclose(self, timeout: float = 60.0) -> None:
        """Stop scheduling, let sends in flight finish and journal their outcomes, close."""
        self._closed = True
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._busy and loop.time() < deadline:
            await asyncio.sleep(0.02)
        await asyncio.to_thread(self.runner.close)
        self._journal.close()

    # --- the callers' side ----------------------------------------------------------------

    def enqueue(self, channel: str, recipient: str, subject: str, body: str, *,
                attachments: Iterable[str | os.PathLike[str]] = (), tag: str = "") -> Notice:
        """Queue a notice (durable when this returns); returns a copy of it.

        Raises ValueError for an unknown channel and NotifyError for a recipient the
        channel cannot use: both are the caller's to report, not to retry.
        """
        if self._closed or not self._started:
            raise RuntimeError("the outbox is not running")
        if channel not in self.channels:
            raise ValueError(f"unknown notification channel {channel!r} "
                             f"(configured: {', '.join(sorted(self.channels)) or 'none'})")
        now = self.clock.wall()
        notice = Notice(
            id=uuid.uuid4().hex, channel=channel,
            recipient=self.channels[channel].check_recipient(recipient),
            subject=subject, body=body, created=now,
            attachments=[os.fspath(a) for a in attachments], tag=tag, next_try=now)
        self._append({"event": "queued", **dataclasses.asdict(notice)})
        self._notices[notice.id] = notice
        log.info("notice_queued", id=notice.id, channel=channel, tag=tag)
        self._notify(notice, "queued")
        self._schedule(notice)
        return dataclasses.replace(notice)

    def pending(self) -> list[Notice]:
        """Copies of the notices not yet sent or given up, oldest first."""
        return [dataclasses.replace(n)
                for n in sorted(self._notices.values(), key=lambda n: n.created)]

    def get(self, notice_id: str) -> Notice | None:
        notice = self._notices.get(notice_id)
        return dataclasses.replace(notice) if notice else None

    @property
    def busy(self) -> bool:
        """True while a send is in flight."""
        return bool(self._busy)

    def stats(self) -> dict[str, int]:
        sending = sum(1 for n in self._notices.values() if n.state == SENDING)
        return {"pending": len(self._notices) - sending, "sending": sending, "sent": self.sent,
                "given_up": self.given_up, "journal_records": self._records}

    # --- sending ----------------------------------------------------------------------------

    def _schedule(self, notice: Notice) -> None:
        if self._closed:
            return
        delay = max(0.0, notice.next_try - self.clock.wall())
        self._timers[notice.id] = self.clock.call_later(delay, self._due, notice.id)

    def _due(self, notice_id: str) -> None:
        self._timers.pop(notice_id, None)
        notice = self._notices.get(notice_id)
        if notice is None or self._closed:
            return
        self._ready[notice.channel].append(notice_id)
        self._pump(notice.channel)

    def _pump(self, channel: str) -> None:
        """Start the next ready send of `channel` unless one is in flight."""
        if channel in self._busy or self._closed or not self._ready[channel]:
            return
        notice = self._notices[self._ready[channel].popleft()]
        notice.attempts += 1
        notice.state = SENDING
        self._append({"event": "attempt", "id": notice.id, "at": self.clock.wall(),
                      "attempts": notice.attempts})
        self._busy.add(channel)
        snapshot = dataclasses.replace(notice)  # the worker thread gets its own copy
        log.debug("notice_sending", id=notice.id, channel=channel, attempt=notice.attempts)
        self.runner.submit(channel, lambda: self.channels[channel].send(snapshot),
                           lambda outcome: self._finished(notice.id, outcome))

    def _finished(self, notice_id: str, outcome: BaseException | None) -> None:
        notice = self._notices[notice_id]
        self._busy.discard(notice.channel)
        if outcome is None:
            self._append({"event": "sent", "id": notice.id, "at": self.clock.wall(),
                          "attempts": notice.attempts})
            del self._notices[notice.id]
            self.sent += 1
            log.info("notice_sent", id=notice.id, channel=notice.channel,
                     attempts=notice.attempts, tag=notice.tag)
            self._notify(notice, "sent")
        else:
            error, permanent, progress = self._classify(outcome)
            notice.progress = max(notice.progress, progress)
            notice.last_error = error
            notice.state = PENDING
            if permanent or notice.attempts >= self.retry.max_attempts:
                self._give_up(notice, error)
            else:
                notice.next_try = self.clock.wall() + self.retry.delay(notice.attempts)
                self._append({"event": "attempt_failed", "id": notice.id,
                              "at": self.clock.wall(), "attempts": notice.attempts,
                              "next_try": notice.next_try, "error": error,
                              "progress": notice.progress})
                log.warning("notice_failed", id=notice.id, channel=notice.channel,
                            attempts=notice.attempts, retry_in=notice.next_try - self.clock.wall(),
                            error=error)
                self._notify(notice, "failed")
                self._schedule(notice)
        self._maybe_compact()
        if self._closed and not self._busy:
            self._journal.close()  # an outcome after close() reopened it
        # Through the clock, not a direct call: with an inline runner a long queue would
        # otherwise recurse once per notice.
        self.clock.call_later(0.0, self._pump, notice.channel)

    def _give_up(self, notice: Notice, error: str) -> None:
        self._append({"event": "given_up", "id": notice.id, "at": self.clock.wall(),
                      "attempts": notice.attempts, "error": error})
        del self._notices[notice.id]
        self.given_up += 1
        log.error("notice_given_up", id=notice.id, channel=notice.channel,
                  recipient=notice.recipient, attempts=notice.attempts, error=error,
                  tag=notice.tag)
        self._notify(notice, "given_up")

    @staticmethod
    def _classify(outcome: BaseException) -> tuple[str, bool, int]:
        """(error text, permanent, parts delivered) for a failed send."""
        if isinstance(outcome, NotifyError):
            return str(outcome), outcome.permanent, outcome.progress
        if isinstance(outcome, OSError):
            return f"{type(outcome).__name__}: {outcome}", False, 0
        # A bug in a channel would fail the same way every time: do not retry it.
        log.error("notice_send_crashed", error=repr(outcome))
        return f"internal error: {outcome!r}", True, 0

    def _notify(self, notice: Notice, event: str) -> None:
        if self.on_change is None:
            return
        try:
            self.on_change(dataclasses.replace(notice), event)
        except Exception:
            log.exception("outbox_listener_failed", id=notice.id, change=event)

    # --- the journal --------------------------------------------------------------------------

    def _append(self, record: dict[str, Any]) -> None:
        self._journal.append(record)
        self._records += 1

    def _replay(self) -> None:
        for record in self._journal:
            self._records += 1
            event, notice_id = record.get("event"), record.get("id")
            if event == "queued":
                try:
                    notice = Notice.from_record(record)
                except TypeError as e:
                    log.warning("outbox_record_skipped", line=self._records, reason=str(e))
                    continue
                self._notices[notice.id] = notice
                continue
            notice = self._notices.get(notice_id)  # type: ignore[arg-type]
            if notice is None:
                log.warning("outbox_record_orphan", line=self._records, event=event,
                            id=notice_id)
            elif event == "attempt":
                notice.attempts = record["attempts"]
                notice.state = SENDING
            elif event == "attempt_failed":
                notice.attempts = record["attempts"]
                notice.next_try = record["next_try"]
                notice.last_error = record["error"]
                notice.progress = record.get("progress", notice.progress)
                notice.state = PENDING
            elif event in ("sent", "given_up"):
                del self._notices[notice.id]
            else:
                log.warning("outbox_record_unknown", line=self._records, event=event)

    def _maybe_compact(self) -> None:
        """Rewrite the journal with only the live notices once it is mostly history."""
        live = len(self._notices)
        if self._records < self.compact_after or self._records < 2 * live + 1:
            return
        lines = []
        for notice in sorted(self._notices.values(), key=lambda n: n.created):
            state = dataclasses.asdict(notice)
            lines.append(_line({"event": "queued", **state, "state": PENDING}))
            if notice.state == SENDING:  # keep "mid-send" visible to a replay
                lines.append(_line({"event": "attempt", "id": notice.id,
                                    "at": self.clock.wall(), "attempts": notice.attempts}))
        self._journal.close()  # its fd would point at the replaced file
        atomic_write_bytes(self.path, b"".join(lines))
        log.info("outbox_compacted", path=str(self.path), records_before=self._records,
                 records_after=len(lines))
        self._records = len(lines)


def _line(record: Mapping[str, Any]) -> bytes:
    """One journal line, byte for byte as JsonLinesLog.append writes it."""
    text = json.dumps(dict(record), ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8") + b"\n"
