"""Append-only logs for high-volume records (CDRs): JSON lines and CSV.

Rewriting a tinydb file per call record would cost O(n) per record; an append costs
O(1). Each record is one line, written with one os.write on an O_APPEND fd and then
fsynced, so `append()` returning means the record survives a power cut.

A crash can still tear the record being written: the file then ends in a partial
line. Readers skip such a tail and report it in `torn_tail`; the writer cuts it off
before its next append, so later records never get glued onto the fragment.

One writer per file (the daemon); any number of readers. Readers never open the
file for writing, so they can't disturb the writer.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

from firmware.log import get_logger

from .atomic import fsync_dir, write_all
from .errors import StoreCorrupt, StoreError

log = get_logger("store")

_CHUNK = 64 * 1024


def _trim_torn_tail(fd: int, path: str) -> bool:
    """Truncate the file to just after its last newline; True if anything was dropped.

    Costs an fstat and a one-byte read when the end is clean, which is nothing next to
    the fsync of every append, so the writer checks before each record.
    """
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return False
    end = size
    while end > 0:
        start = max(0, end - _CHUNK)
        newline = os.pread(fd, end - start, start).rfind(b"\n")
        if newline >= 0:
            end = start + newline + 1
            break
        end = start
    log.warning("log_torn_tail_trimmed", path=path, dropped_bytes=size - end)
    os.ftruncate(fd, end)
    os.fsync(fd)
    return True


def _lines(path: str) -> Iterator[tuple[int, bytes, bool]]:
    """Yield (line number from 1, line bytes with their newline, is_last) per line.

    A final fragment without a newline is yielded too, with is_last; callers decide it
    is torn. Binary mode splits on LF only: JSON may carry U+2028 inside strings, which
    str.splitlines would treat as a line break.
    """
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return
    with f:
        prev: bytes | None = None
        number = 0
        for line in f:
            if prev is not None:
                yield number, prev, False
            number += 1
            prev = line
        if prev is not None:
            yield number, prev, True


class _AppendOnlyLog:
    """The write side shared by both formats: lazy open, tail repair, fsync per record."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.torn_tail: bytes | None = None  # set by read(): a partial last record
        self._fd: int | None = None
        self._dir_synced = False

    def _open_for_append(self) -> int:
        """The append fd, opened on first use so that read-only users never hold one.

        Before every record the tail is checked: a crash (or a failed write) may have
        left a partial line, and the next record must not be glued onto it.
        """
        if self._fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                _trim_torn_tail(fd, self.path)
                self._on_open(fd)
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
        elif _trim_torn_tail(self._fd, self.path):
            self._on_open(self._fd)
        return self._fd

    def _on_open(self, fd: int) -> None:
        """Format-specific look at the file once its tail is clean (CSV: the header)."""

    def _append_line(self, line: bytes, fd: int) -> None:
        write_all(fd, line)  # one os.write in practice; loops only on a short write
        os.fsync(fd)
        if not self._dir_synced:
            # The file may be new: its directory entry must be durable too, once.
            fsync_dir(os.path.dirname(self.path) or ".")
            self._dir_synced = True

    def _note_torn(self, number: int, fragment: bytes, why: str) -> None:
        self.torn_tail = fragment
        log.warning("log_torn_tail", path=self.path, line=number, reason=why, bytes=len(fragment))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> _AppendOnlyLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class JsonLinesLog(_AppendOnlyLog):
    """One JSON object per line."""

    def __enter__(self) -> JsonLinesLog:
        return self

    def append(self, record: Mapping[str, Any]) -> None:
        """Append one record; durable when this returns."""
        # json.dumps escapes control characters, so the only b"\n" is our terminator.
        text = json.dumps(dict(record), ensure_ascii=False, separators=(",", ":"))
        line = text.encode("utf-8") + b"\n"  # encoded before any I/O: a bad record writes nothing
        self._append_line(line, self._open_for_append())

    def append_many(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Append several records with one write and one fsync (a group commit);
        durable when this returns. A crash may keep a prefix of them, never a mix."""
        if not records:
            return
        lines = b"".join(json.dumps(dict(r), ensure_ascii=False, separators=(",", ":"))
                         .encode("utf-8") + b"\n" for r in records)
        self._append_line(lines, self._open_for_append())

    def read(self) -> list[dict[str, Any]]:
        return list(self)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Yield every complete record; a torn last line is skipped into `torn_tail`.

        A bad line anywhere else is not a crash artefact, so it raises StoreCorrupt.
        """
        self.torn_tail = None
        for number, line, is_last in _lines(self.path):
            if is_last and not line.endswith(b"\n"):
                self._note_torn(number, line, "no trailing newline")
                return
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
            except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError too
                if is_last:
                    self._note_torn(number, line, f"unparsable: {exc}")
                    return
                raise StoreCorrupt(self.path, f"line {number}: {exc}") from exc
            yield record


class CsvLog(_AppendOnlyLog):
    """CSV rows with a header line, one physical line per record.

    Values may not contain CR or LF: the csv module would quote them across lines, and
    then a torn tail could no longer be told from a complete record. Use JsonLinesLog
    for free text.
    """

    def __init__(self, path: str | os.PathLike[str], fieldnames: Sequence[str]) -> None:
        super().__init__(path)
        self.fieldnames = list(fieldnames)
        if not self.fieldnames:
            raise ValueError("a CsvLog needs at least one field")
        self._needs_header = False

    def __enter__(self) -> CsvLog:
        return self

    def _format(self, row: Mapping[str, Any] | None) -> bytes:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, self.fieldnames, lineterminator="\n")
        if row is None:
            writer.writeheader()
        else:
            writer.writerow(row)
        return buf.getvalue().encode("utf-8")

    def _on_open(self, fd: int) -> None:
        # New, or emptied by tail repair: the header goes out with the next row.
        self._needs_header = os.fstat(fd).st_size == 0
        if self._needs_header:
            return
        first = os.pread(fd, _CHUNK, 0).split(b"\n", 1)[0] + b"\n"
        if first != self._format(None):
            raise StoreError(
                f"{self.path} has columns {first.decode('utf-8', 'replace').strip()!r}, "
                f"expected {','.join(self.fieldnames)!r}; refusing to append"
            )

    def append(self, row: Mapping[str, Any]) -> None:
        """Append one row (missing fields are empty); durable when this returns."""
        for key, value in row.items():
            if isinstance(value, str) and ("\n" in value or "\r" in value):
                raise ValueError(f"CSV field {key!r} contains a line break")
        line = self._format(row)  # before any I/O: a bad row writes nothing
        fd = self._open_for_append()
        if self._needs_header:
            # Header and first row in one write: a file that has a header has a row.
            line = self._format(None) + line
        self._append_line(line, fd)
        self._needs_header = False

    def read(self) -> list[dict[str, str]]:
        return list(self)

    def __iter__(self) -> Iterator[dict[str, str]]:
        """Yield every complete row as a dict; a torn last line goes to `torn_tail`."""
        self.torn_tail = None
        seen = {"number": 0, "line": b"", "is_last": False}

        def complete_lines() -> Iterator[str]:
            for number, line, is_last in _lines(self.path):
                if is_last and not line.endswith(b"\n"):
                    self._note_torn(number, line, "no trailing newline")
                    return
                try:
                    text = line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    if is_last:
                        self._note_torn(number, line, f"undecodable: {exc}")
                        return
                    raise StoreCorrupt(self.path, f"line {number}: {exc}") from exc
                seen.update(number=number, line=line, is_last=is_last)
                yield text

        # No value spans lines (see append), so DictReader takes exactly one line per
        # row and `seen` describes the line the current row came from.
        for row in csv.DictReader(complete_lines()):
            if None in row or None in row.values():  # wrong number of fields
                if seen["is_last"]:
                    self._note_torn(seen["number"], seen["line"], "wrong field count")
                    return
                raise StoreCorrupt(self.path, f"line {seen['number']}: wrong field count")
            yield row
