"""Store errors: each ends in one clear line naming the file, not a bare traceback."""

from __future__ import annotations

import os


class StoreError(Exception):
    """The store cannot be opened or written as asked (schema, migration, misuse)."""


class StoreCorrupt(StoreError):
    """A store or log file exists but its contents cannot be trusted.

    Raised instead of json's own error so the message tells a technician *which* file
    to look at, and so callers can tell "bad file" apart from "bad code".
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"store file {self.path} is corrupt: {reason}")
