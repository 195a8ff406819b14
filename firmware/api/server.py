"""The control API server: JSON lines over a UNIX socket, requests and event streams.

Only the daemon runs it. A client that sends garbage gets an error answer and keeps
its connection; a subscriber that cannot keep up is told and unsubscribed rather than
letting the daemon's memory grow; nothing a client does blocks the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from pathlib import Path
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.protocol import (
    BAD_ARGS,
    BAD_REQUEST,
    INTERNAL,
    MAX_LINE,
    OVERFLOW,
    ApiError,
    decode,
    encode,
)
from firmware.events import Event, EventBus, Subscription
from firmware.log import get_logger

log = get_logger("api")

UNIX_PATH_MAX = 108  # sun_path size on Linux, including the terminating NUL
EVENT_QUEUE = 1000  # events a subscriber may lag behind before it is cut off
STOP_GRACE = 2.0  # seconds stop() gives open connections to end


class ApiServer:
    def __init__(self, path: Path, commands: CommandTable, events: EventBus) -> None:
        self.path = path
        self.commands = commands
        self.events = events
        self._server: asyncio.AbstractServer | None = None
        self._connections: set[_Connection] = set()
        commands.add("help", self.commands.describe, "list the commands and their arguments")
        # Listed in the table for `help` and argument checks; each connection handles it,
        # because a subscription belongs to the connection that asked.
        commands.add("subscribe", _per_connection,
                     "stream events on this connection (topic prefixes; replay N past events)",
                     Arg("topics", list, False, "topic prefixes, e.g. [\"port\", \"call\"]"),
                     Arg("replay", int, False, "how many recent events to send first"))

    async def start(self) -> None:
        """Listen; raises RuntimeError with a reason fit for a person."""
        if len(os.fsencode(self.path)) >= UNIX_PATH_MAX:
            raise RuntimeError(f"API socket path {self.path} is longer than a UNIX socket "
                               f"allows ({UNIX_PATH_MAX - 1} bytes); choose a shorter run_dir")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_socket(self.path)
        self._server = await asyncio.start_unix_server(self._accept, path=str(self.path),
                                                       limit=MAX_LINE)
        # Owner and group only: the web admin runs in the daemon's group.
        os.chmod(self.path, 0o660)
        log.info("api_listening", socket=self.path)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            serving = [conn.task for conn in self._connections if conn.task is not None]
            for conn in list(self._connections):
                conn.close()
            if serving:  # let each connection see its EOF and end, so the loop's
                # teardown does not cancel it (asyncio 3.11 logs that as an error)
                await asyncio.wait(serving, timeout=STOP_GRACE)
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = _Connection(self, reader, writer)
        conn.task = asyncio.current_task()
        self._connections.add(conn)
        try:
            await conn.serve()
        finally:
            self._connections.discard(conn)


class _Connection:
    def __init__(self, server: ApiServer, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        self.subscription: Subscription | None = None
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(EVENT_QUEUE)
        self.sender: asyncio.Task | None = None
        self.task: asyncio.Task | None = None  # the one serving it

    async def serve(self) -> None:
        self.sender = asyncio.create_task(self._send_loop())
        try:
            while True:
                try:
                    line = await self.reader.readline()
                except (ValueError, asyncio.LimitOverrunError):
                    self._send({"id": None, "ok": False, "error": {
                        "code": BAD_REQUEST, "message": f"line longer than {MAX_LINE} bytes"}})
                    break
                except ConnectionError:
                    break
                if not line:
                    break
                if line.strip():
                    await self._handle(line)
        finally:
            self.close()

    async def _handle(self, line: bytes) -> None:
        try:
            message = decode(line)
        except ValueError as e:
            self._send({"id": None, "ok": False, "error": {"code": BAD_REQUEST,
                                                            "message": str(e)}})
            return
        req_id = message.get("id")
        cmd = message.get("cmd")
        try:
            if not isinstance(cmd, str):
                raise ApiError(BAD_REQUEST, "a request needs \"cmd\": a command name")
            if cmd == "subscribe":
                result = self._subscribe(message.get("args"))
            else:
                result = await self.server.commands.run(cmd, message.get("args"))
            self._send({"id": req_id, "ok": True, "result": result})
        except ApiError as e:
            self._send({"id": req_id, "ok": False, "error": e.as_error()})
        except Exception as e:
            log.exception("api_command_failed", cmd=cmd)
            self._send({"id": req_id, "ok": False, "error": {
                "code": INTERNAL, "message": f"{cmd} failed inside the daemon: {e}"}})

    def _subscribe(self, args: Any) -> dict[str, Any]:
        # Checked by the same table as every other command, then handled here because a
        # subscription belongs to this connection.
        _, args = self.server.commands.check("subscribe", args)
        topics = args.get("topics", [])
        if not all(isinstance(t, str) for t in topics):
            raise ApiError(BAD_ARGS, "subscribe: topics must be strings")
        if self.subscription is not None:
            self.subscription.cancel()
        self.subscription = self.server.events.subscribe(
            self._on_event, tuple(topics), replay=max(0, args.get("replay", 0)))
        return {"topics": topics}

    def _on_event(self, event: Event) -> None:
        if self.queue.full():
            if self.subscription is not None:
                self.subscription.cancel()
                self.subscription = None
            log.warning("api_subscriber_overflow", queued=self.queue.qsize())
            self.writer.write(encode({"id": None, "ok": False, "error": {
                "code": OVERFLOW, "message": "events dropped: client too slow; subscribe again"}}))
            return
        self.queue.put_nowait({"event": event.to_dict()})

    async def _send_loop(self) -> None:
        while True:
            message = await self.queue.get()
            self._send(message)
            with contextlib.suppress(ConnectionError):
                await self.writer.drain()

    def _send(self, message: dict[str, Any]) -> None:
        if not self.writer.is_closing():
            self.writer.write(encode(message))

    def close(self) -> None:
        if self.subscription is not None:
            self.subscription.cancel()
            self.subscription = None
        if self.sender is not None:
            self.sender.cancel()
        self.writer.close()


def _per_connection(**_: Any) -> None:
    raise ApiError(INTERNAL, "handled by the connection")  # never reached


def _remove_stale_socket(path: Path) -> None:
    """Remove a socket left by a daemon that died; refuse if one is still answering."""
    if not path.exists():
        return
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
    except OSError:
        path.unlink()
        return
    finally:
        probe.close()
    raise RuntimeError(f"another daemon is answering on {path}")
