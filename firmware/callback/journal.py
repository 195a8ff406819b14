"""Durable record of callback requests: every change appended as a snapshot.

Changes made in one turn of the event loop are written together with one fsync (a group
commit), so a burst of 999 requests costs a handful of fsyncs, not 999. ``flush()``
makes everything durable at once; the service calls it before it dials a visitor
(write-ahead: after a crash we know the visitor may have been rung). Loading replays
the file, the last snapshot of each request winning; ``compact()`` rewrites the file
atomically with one line per request once it has grown.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from firmware.callback.model import CallbackRequest
from firmware.clock import Clock, TimerHandle
from firmware.store.atomic import atomic_write_bytes
from firmware.store.journal import JsonLinesLog

COMPACT_FACTOR = 4  # rewrite when the file holds this many lines per live request


class RequestJournal:
    def __init__(self, path: str | os.PathLike[str], clock: Clock) -> None:
        self.path = Path(path)
        self.clock = clock
        self._log = JsonLinesLog(self.path)
        self._pending: dict[str, dict] = {}
        self._flush_handle: TimerHandle | None = None
        self._waiters: list[Callable[[], None]] = []
        self.lines = 0
        self.flushes = 0

    def load(self) -> dict[str, CallbackRequest]:
        requests: dict[str, CallbackRequest] = {}
        if not self.path.exists():
            return requests
        for doc in self._log:
            self.lines += 1
            requests[doc["id"]] = CallbackRequest.from_doc(doc)
        return requests

    def record(self, request: CallbackRequest) -> None:
        """Note a change; it is written with the others of this loop turn."""
        self._pending[request.id] = request.to_doc()  # the latest snapshot is enough
        if self._flush_handle is None:
            self._flush_handle = self.clock.call_later(0, self.flush)

    def when_durable(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once what was recorded so far is on disk."""
        if not self._pending:
            callback()
        else:
            self._waiters.append(callback)

    def flush(self) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        if self._pending:
            docs = list(self._pending.values())
            self._pending.clear()
            self._log.append_many(docs)
            self.lines += len(docs)
            self.flushes += 1
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            waiter()

    def compact(self, requests: dict[str, CallbackRequest]) -> None:
        """Rewrite with one line per request (finished ones too: they are the callers'
        history) when the file has grown well past that."""
        self.flush()
        if self.lines <= COMPACT_FACTOR * max(len(requests), 64):
            return
        blob = b"".join(json.dumps(r.to_doc(), ensure_ascii=False, separators=(",", ":"))
                        .encode("utf-8") + b"\n" for r in requests.values())
        self._log.close()
        atomic_write_bytes(self.path, blob)
        self.lines = len(requests)

    def close(self) -> None:
        self.flush()
        self._log.close()
