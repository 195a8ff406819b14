"""The control API's wire format, shared by the daemon and every client.

JSON over a UNIX stream socket, one object per line (UTF-8, at most MAX_LINE bytes):
  request   {"id": 7, "cmd": "status", "args": {}}
  response  {"id": 7, "ok": true, "result": {...}}
            {"id": 7, "ok": false, "error": {"code": "bad_args", "message": "..."}}
  event     {"event": {"seq": 42, "time": 1790000000.5, "topic": "port.l1", "data": {...}}}
Events flow on a connection after a `subscribe` request. Standard library only: the
client must run on a technician's laptop without the firmware's dependencies.
"""

from __future__ import annotations

import json
from typing import Any

MAX_LINE = 1 << 20

# error codes
BAD_REQUEST = "bad_request"          # not JSON, not an object, no cmd
UNKNOWN_COMMAND = "unknown_command"
BAD_ARGS = "bad_args"
NOT_AVAILABLE = "not_available"      # a command the firmware cannot do (yet, or here)
NOT_FOUND = "not_found"
INTERNAL = "internal"
OVERFLOW = "overflow"                # a subscriber fell too far behind


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    """Parse one line; raises ValueError with a message fit for the peer."""
    try:
        message = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"not JSON: {e}") from None
    if not isinstance(message, dict):
        raise ValueError("a message must be a JSON object")
    return message


class ApiError(Exception):
    """An error answer from the daemon (or a failure to reach it)."""

    def __init__(self, code: str, message: str,
                 fields: dict[str, str] | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}  # per-field messages, for forms: {"groups[0].members": ...}
        self.reason = reason  # a word a client translates ("premium"); the message is English

    def as_error(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        if self.reason:
            error["reason"] = self.reason
        return error
