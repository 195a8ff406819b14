"""A tinydb Storage whose every write is atomic and durable (see atomic.py)."""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any

from tinydb import Storage

from firmware.log import get_logger

from .atomic import atomic_write_bytes, temp_pid
from .errors import StoreCorrupt

log = get_logger("store")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def remove_stale_temps(path: str | os.PathLike[str]) -> list[str]:
    """Delete temp files a crashed writer left beside `path`; return their names.

    A temp file is only ever a *candidate* new version that was never renamed into
    place, so it holds nothing acknowledged and is safe to drop. A temp file whose pid
    is alive is left alone: that process may be mid-write, and pulling the file from
    under it would make its rename fail.
    """
    path = os.fspath(path)
    directory = os.path.dirname(path) or "."
    removed = []
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return removed
    for name in names:
        pid = temp_pid(path, name)
        if pid is None or (pid != os.getpid() and _pid_alive(pid)):
            continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(directory, name))
            removed.append(name)
    if removed:
        log.warning("store_stale_temp_removed", path=path, files=",".join(sorted(removed)))
    return removed


class AtomicJSONStorage(Storage):
    """JSON file storage for tinydb that never leaves a half-written file.

    tinydb rewrites the whole document on every change; here each rewrite goes through
    atomic_write_bytes, so `db.insert()` returning means the data is on disk. No caching
    middleware on top: a write that is acknowledged must already be durable.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = os.fspath(path)
        remove_stale_temps(self.path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            with open(self.path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None  # tinydb's convention for "no database yet"
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StoreCorrupt(self.path, f"not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise StoreCorrupt(self.path, "top level is not an object of tables")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # Compact separators: the file is rewritten on every change, bytes are time.
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        atomic_write_bytes(self.path, payload.encode("utf-8"))
