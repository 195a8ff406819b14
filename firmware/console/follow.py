"""`events`: follow the daemon's events on the serial line until a key is pressed.

ApiClient.events() blocks in recv and ends for good on a socket timeout, so a reader
thread iterates it and hands events over a queue; the serial loop polls the keyboard and
the queue. Stopping shuts the socket down, which wakes the blocked recv at once.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
from typing import Any, Protocol

from firmware.api.client import UNREACHABLE, ApiClient
from firmware.api.protocol import ApiError
from firmware.console.daemon_link import DaemonLink, describe_error
from firmware.ctl import show_event
from firmware.log import get_logger

log = get_logger("console.events")

REPLAY = 20       # recent events shown first, as `ringback-ctl events` does
BACKLOG = 256     # events held for the serial line; beyond that the reader waits
POLL = 0.2


class Session(Protocol):
    """What follow_events needs from the console (see cli.Console)."""

    daemon: DaemonLink

    @property
    def stopping(self) -> bool: ...

    def say(self, text: str) -> None: ...

    def read_input(self) -> bytes: ...


class EventFollower:
    def __init__(self, client: ApiClient, topics: list[str], replay: int = REPLAY) -> None:
        self._client = client
        self._topics = topics
        self._replay = replay
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=BACKLOG)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="console-events", daemon=True)

    def start(self) -> None:
        """Connect (raising ApiError right here if the daemon is down), then read."""
        self._client.connect()
        self._thread.start()

    def drain(self) -> list[tuple[str, Any]]:
        """("event", dict) and ("error", ApiError) items received so far."""
        items = []
        while True:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                return items

    def stop(self) -> None:
        self._stopping.set()
        sock = getattr(self._client, "_sock", None)  # ApiClient cannot interrupt a read
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=2)
        self._client.close()

    def _run(self) -> None:
        try:
            for event in self._client.events(self._topics, replay=self._replay):
                if not self._put(("event", event)):
                    return
            error = ApiError(UNREACHABLE, "the daemon ended the subscription")
        except ApiError as e:
            error = e
        except Exception as e:  # a reader thread must report, not vanish silently
            if not self._stopping.is_set():
                log.exception("follow_failed")
            error = ApiError("internal", f"event reader failed: {e}")
        if not self._stopping.is_set():
            self._put(("error", error))

    def _put(self, item: tuple[str, Any]) -> bool:
        while not self._stopping.is_set():
            try:
                self._queue.put(item, timeout=POLL)
                return True
            except queue.Full:
                continue
        return False


def format_event(event: dict[str, Any]) -> str:
    try:
        return show_event(event)
    except (KeyError, TypeError, ValueError, OverflowError):
        return json.dumps(event)  # an event shape ctl does not know yet: show it raw


def follow_events(session: Session, topics: list[str]) -> None:
    """Print events until any key, the daemon going away, or the console stopping."""
    follower = EventFollower(session.daemon.client(), topics)
    try:
        follower.start()
    except ApiError as e:
        session.say(describe_error("events", e))
        return
    which = " ".join(topics) if topics else "all topics"
    session.say(f"following events ({which}); press any key to stop")
    try:
        while not session.stopping:
            if session.read_input():
                break
            for kind, item in follower.drain():
                if kind == "error":
                    session.say(describe_error("events", item))
                    return
                session.say(format_event(item))
    finally:
        follower.stop()
    session.say("stopped following events")
