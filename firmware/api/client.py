"""A blocking client for the control API (used by ctl, the web admin and the console).

Standard library only, so `python -m firmware.ctl` works with any Python 3.11.
"""

from __future__ import annotations

import itertools
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from firmware.api.protocol import MAX_LINE, ApiError, decode, encode

UNREACHABLE = "unreachable"
DEVICE_SOCKET = Path("/run/ringback/api.sock")
DEV_SOCKET = Path(__file__).resolve().parents[2] / "var" / "sim" / "run" / "api.sock"


def default_socket() -> Path:
    """$RINGBACK_API_SOCKET, else the box's socket, else the one `make run` makes."""
    if env := os.environ.get("RINGBACK_API_SOCKET"):
        return Path(env)
    return DEVICE_SOCKET if DEVICE_SOCKET.exists() else DEV_SOCKET


class ApiClient:
    def __init__(self, path: Path | str | None = None, timeout: float = 5.0) -> None:
        self.path = Path(path) if path else default_socket()
        self.timeout = timeout
        self._sock: socket.socket | None = None
        self._buf = b""
        self._ids = itertools.count(1)

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> None:
        if self._sock is not None:
            return
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(str(self.path))
        except OSError as e:
            sock.close()
            raise ApiError(UNREACHABLE, f"cannot reach ringbackd at {self.path}: "
                                        f"{e.strerror or e} (is the daemon running?)") from None
        self._sock = sock

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def call(self, cmd: str, **args: Any) -> Any:
        """Send one request and return its result; raises ApiError on an error answer."""
        self.connect()
        req_id = next(self._ids)
        self._send({"id": req_id, "cmd": cmd, "args": args})
        while True:
            message = self._receive()
            if "event" in message:
                continue  # events interleave with answers on a subscribed connection
            if message.get("id") not in (req_id, None):
                continue
            if message.get("ok"):
                return message.get("result")
            error = message.get("error") or {}
            raise ApiError(error.get("code", "unknown"), error.get("message", "error"),
                           error.get("fields"), error.get("reason", ""))

    def events(self, topics: list[str] | None = None, replay: int = 0,
               timeout: float | None = None) -> Iterator[dict[str, Any]]:
        """Subscribe and yield events until the daemon closes the connection."""
        self.call("subscribe", topics=topics or [], replay=replay)
        assert self._sock is not None
        self._sock.settimeout(timeout)
        while True:
            message = self._receive()
            if "event" in message:
                yield message["event"]
            elif not message.get("ok", True):
                error = message.get("error") or {}
                raise ApiError(error.get("code", "unknown"), error.get("message", "error"),
                               error.get("fields"), error.get("reason", ""))

    def _send(self, message: dict[str, Any]) -> None:
        assert self._sock is not None
        try:
            self._sock.sendall(encode(message))
        except OSError as e:
            raise ApiError(UNREACHABLE, f"lost ringbackd at {self.path}: {e}") from None

    def _receive(self) -> dict[str, Any]:
        assert self._sock is not None
        while b"\n" not in self._buf:
            try:
                chunk = self._sock.recv(65536)
            except TimeoutError:
                raise ApiError(UNREACHABLE, f"ringbackd at {self.path} did not answer") from None
            except OSError as e:
                raise ApiError(UNREACHABLE, f"lost ringbackd at {self.path}: {e}") from None
            if not chunk:
                raise ApiError(UNREACHABLE, f"ringbackd at {self.path} closed the connection")
            self._buf += chunk
            if len(self._buf) > MAX_LINE:
                raise ApiError("bad_request", "answer longer than the protocol allows")
        line, _, self._buf = self._buf.partition(b"\n")
        try:
            return decode(line)
        except ValueError as e:
            raise ApiError("bad_request", f"daemon sent a bad line: {e}") from None
