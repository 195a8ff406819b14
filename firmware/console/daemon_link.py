"""The console's line to the daemon: one short connection per command.

A fresh connection each time is what lets the console ride through a daemon restart:
there is no long-lived socket to go stale, and "not reachable" simply clears up on the
next command once the daemon is back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from firmware.api.client import UNREACHABLE, ApiClient
from firmware.api.protocol import ApiError

CALL_TIMEOUT = 3.0  # short: a technician at the prompt should not wait long for a hung daemon


class DaemonLink:
    def __init__(self, socket_path: Path | str | None = None,
                 timeout: float = CALL_TIMEOUT) -> None:
        self.socket_path = socket_path
        self.timeout = timeout

    def call(self, cmd: str, **args: Any) -> Any:
        """One API request on its own connection; raises ApiError like ApiClient.call."""
        with ApiClient(self.socket_path, timeout=self.timeout) as client:
            return client.call(cmd, **args)

    def client(self) -> ApiClient:
        """A new, unconnected client for a long-lived use such as following events."""
        return ApiClient(self.socket_path, timeout=self.timeout)


def describe_error(cmd: str, error: ApiError) -> str:
    """One line for the technician."""
    if error.code == UNREACHABLE:
        return f"daemon not reachable: {error.message}"
    return f"{cmd}: {error.message}"
