"""The daemon's events for a web response that streams (server-sent events).

An ApiClient subscription read with a deadline, so a streaming response can send a
heartbeat (and notice a browser that left) when nothing happens for a while.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from firmware.api.client import ApiClient
from firmware.api.protocol import ApiError


class EventFeed(ApiClient):
    def __init__(self, path: Path | str | None, topics: list[str]) -> None:
        super().__init__(path, timeout=3.0)
        self.call("subscribe", topics=topics, replay=0)

    def next_event(self, timeout: float) -> dict[str, Any] | None:
        """The next event, or None when none came within ``timeout`` seconds."""
        assert self._sock is not None
        if b"\n" not in self._buf:
            self._sock.settimeout(timeout)
            try:
                chunk = self._sock.recv(65536)
            except TimeoutError:
                return None
            except OSError as e:
                raise ApiError("unreachable", f"lost ringbackd: {e}") from None
            if not chunk:
                raise ApiError("unreachable", "ringbackd closed the event stream")
            self._buf += chunk
            if b"\n" not in self._buf:
                return None
        message = self._receive()
        return message.get("event")


def sse(event: str, data: Any) -> str:
    """One server-sent event (data as JSON on one line)."""
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


SSE_HEADERS = {"Content-Type": "text/event-stream; charset=utf-8",
               "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
