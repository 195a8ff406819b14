"""Where the outbox's blocking sends run: inline (tests) or on worker threads (daemon).

A runner takes a job (one send, blocking I/O) and a `done` callback, and calls
`done(exception or None)` on the owner's thread: the outbox's state is only ever touched
there, so it needs no locks. Jobs of one lane (a channel: "email", "sms") never overlap,
because the outbox submits the next one only after `done`; lanes run side by side, so a
slow SMTP server does not hold up the modem.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from firmware.log import get_logger

log = get_logger("notify.runner")

Done = Callable[[BaseException | None], None]


class Runner(Protocol):
    def submit(self, lane: str, job: Callable[[], Any], done: Done) -> None:
        """Run job(); afterwards call done(None) or done(the exception) on the owner's thread."""

    def close(self) -> None:
        """Wait for running jobs and release threads; outcomes after this may be dropped."""


class InlineRunner:
    """Runs each job at once, on the caller's thread: deterministic, for tests and tools."""

    def submit(self, lane: str, job: Callable[[], Any], done: Done) -> None:
        try:
            job()
        except Exception as e:  # the outbox classifies every failure
            done(e)
        else:
            done(None)

    def close(self) -> None:
        pass


class ThreadRunner:
    """One worker thread per lane; `post(fn, *args)` runs fn on the owner's thread.

    For the daemon, `ThreadRunner.for_loop(loop)` posts with loop.call_soon_threadsafe,
    so sends never block the event loop and their outcomes land back on it.
    """

    def __init__(self, post: Callable[..., Any]) -> None:
        self._post = post
        self._executors: dict[str, ThreadPoolExecutor] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_loop(cls, loop: asyncio.AbstractEventLoop) -> ThreadRunner:
        return cls(loop.call_soon_threadsafe)

    def submit(self, lane: str, job: Callable[[], Any], done: Done) -> None:
        with self._lock:
            executor = self._executors.get(lane)
            if executor is None:
                executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"notify-{lane}")
                self._executors[lane] = executor
        executor.submit(self._run, job, done)

    def _run(self, job: Callable[[], Any], done: Done) -> None:
        outcome: BaseException | None = None
        try:
            job()
        except Exception as e:  # handed to the outbox, which classifies it
            outcome = e
        try:
            self._post(done, outcome)
        except RuntimeError:  # the loop is closed: the daemon is gone
            log.warning("outcome_dropped", error=str(outcome) if outcome else "")

    def close(self) -> None:
        with self._lock:
            executors, self._executors = list(self._executors.values()), {}
        for executor in executors:
            executor.shutdown(wait=True)
