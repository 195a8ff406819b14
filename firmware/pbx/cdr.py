"""Call detail records: one row per call leg, appended durably to a CSV file.

Columns follow Asterisk's Master.csv order (so billing tools that read it need no new
mapping), then four of ours: direction, msn (the MSN/DDI the call was for or from),
cause (Q.850 cause value of the clearing) and linkedid (ties the legs of one callback
or transfer together). Unlike Master.csv the file has a header line. Times are UTC,
"YYYY-MM-DD HH:MM:SS"; the web and the API convert to the office's time zone.

A year of an office's calls is some 10^5 rows. The questions asked while calls are
being set up — a caller's earlier contacts for the staff screen — go through an index
of row offsets by number (built by one pass on first use, then kept up on append), so
they read a few rows, not the file.
"""

from __future__ import annotations

import csv
import io
import os
import threading
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields

from firmware.store.journal import CsvLog

ANSWERED = "ANSWERED"
NO_ANSWER = "NO ANSWER"
BUSY = "BUSY"
FAILED = "FAILED"

# Q.850 causes that mean "nobody took it" rather than "it could not be placed".
_NO_ANSWER_CAUSES = {16, 18, 19, 31}
_BUSY_CAUSES = {17}


def disposition(answered: bool, cause: int | None) -> str:
    """Master.csv's disposition of a leg from whether it was answered and its cause."""
    if answered:
        return ANSWERED
    if cause in _BUSY_CAUSES:
        return BUSY
    if cause in _NO_ANSWER_CAUSES or cause is None:
        return NO_ANSWER
    return FAILED


def utc_text(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


@dataclass(frozen=True)
class Cdr:
    accountcode: str = ""
    src: str = ""
    dst: str = ""
    dcontext: str = ""
    clid: str = ""
    channel: str = ""
    dstchannel: str = ""
    lastapp: str = ""
    lastdata: str = ""
    start: str = ""
    answer: str = ""
    end: str = ""
    duration: int = 0
    billsec: int = 0
    disposition: str = ""
    amaflags: str = "DOCUMENTATION"
    uniqueid: str = ""
    userfield: str = ""
    direction: str = ""  # "in", "out" or "internal"
    msn: str = ""
    cause: str = ""
    linkedid: str = ""


COLUMNS = [f.name for f in fields(Cdr)]


def make_cdr(*, uniqueid: str, src: str, dst: str, direction: str, channel: str,
             start: float, answer: float | None, end: float, cause: int | None,
             **extra: str) -> Cdr:
    """A finished leg's record; duration and billsec in whole seconds, as Asterisk
    counts them (billsec from answer to end, 0 when not answered)."""
    return Cdr(
        uniqueid=uniqueid, src=src, dst=dst, direction=direction, channel=channel,
        start=utc_text(start), answer=utc_text(answer), end=utc_text(end),
        duration=int(round(end - start)),
        billsec=int(round(end - answer)) if answer is not None else 0,
        disposition=disposition(answer is not None, cause),
        cause="" if cause is None else str(cause),
        **extra,
    )


class CdrLog:
    """The CDR file: append is durable on return; reading filters and pages."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._log = CsvLog(path, COLUMNS)
        self.path = os.fspath(path)
        self._index: dict[str, array] | None = None  # number -> offsets of its rows
        self._lock = threading.Lock()  # queries may run in a worker thread

    def append(self, cdr: Cdr) -> None:
        row = asdict(cdr)
        with self._lock:
            offset = os.path.getsize(self.path) if os.path.exists(self.path) else 0
            self._log.append(row)
            if self._index is not None:
                if offset == 0:  # the header went out with this row
                    offset = len(_HEADER)
                self._note(self._index, offset, row["src"], row["dst"])

    def rows(self) -> Iterable[dict[str, str]]:
        if not os.path.exists(self.path):
            return []
        return iter(self._log)

    def query(self, match: Callable[[dict[str, str]], bool] | None = None,
              offset: int = 0, limit: int = 100, newest_first: bool = True
              ) -> tuple[int, list[dict[str, str]]]:
        """(total matching, one page of rows). Reads the whole file: for the API and
        the web's call list, not for call set-up."""
        found = [r for r in self.rows() if match is None or match(r)]
        if newest_first:
            found.reverse()
        return len(found), found[offset:offset + limit]

    def for_numbers(self, numbers: Iterable[str], offset: int = 0, limit: int = 20
                    ) -> tuple[int, list[dict[str, str]]]:
        """(total, one page of rows newest first) of calls from or to any of
        ``numbers``, as the trunk or an extension saw them, through the index."""
        with self._lock:
            if self._index is None:
                self._index = self._build_index()
            offsets = sorted({o for n in set(numbers) for o in self._index.get(n, ())},
                             reverse=True)
            if not os.path.exists(self.path):
                return 0, []
            with open(self.path, "rb") as f:
                rows = [_parse(f, o) for o in offsets[offset:offset + limit]]
        return len(offsets), rows

    def select(self, match: Callable[[dict[str, str]], bool], number: str = "",
               offset: int = 0, limit: int = 100) -> tuple[int, list[dict[str, str]]]:
        """(total, one page newest first) of the rows ``match`` keeps; with a
        ``number`` only that number's rows are read, through the index."""
        if not number:
            return self.query(match, offset, limit)
        total, rows = self.for_numbers([number], 0, 1 << 62)
        found = [r for r in rows if match(r)]
        return len(found), found[offset:offset + limit]

    def export(self, match: Callable[[dict[str, str]], bool] | None, cursor: int = 0,
               max_bytes: int = 1 << 19) -> tuple[str, int, int | None]:
        """The rows ``match`` keeps as CSV in file order (oldest first, as Master.csv),
        read from byte ``cursor`` on: (text, rows, the next cursor or None at the end).
        Cursor 0 starts at the top and puts the header line first. A chunk stops after
        about ``max_bytes`` of file, so a year of calls crosses the API in pieces."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        if cursor == 0:
            writer.writerow(COLUMNS)
        if not os.path.exists(self.path):
            return out.getvalue(), 0, None
        count = 0
        with open(self.path, "rb") as f:
            if cursor <= 0:
                f.readline()  # the header
            else:
                f.seek(cursor)
            position = f.tell()
            for line in f:
                if not line.endswith(b"\n"):
                    break  # a row still being written is no row yet
                position += len(line)
                values = next(csv.reader([line.decode("utf-8", "replace")]), [])
                if len(values) == len(COLUMNS):
                    row = dict(zip(COLUMNS, values, strict=True))
                    if match is None or match(row):
                        writer.writerow(values)
                        count += 1
                if out.tell() >= max_bytes or position - cursor >= 8 * max_bytes:
                    return out.getvalue(), count, position
        return out.getvalue(), count, None

    def close(self) -> None:
        self._log.close()

    def _build_index(self) -> dict[str, array]:
        index: dict[str, array] = {}
        if not os.path.exists(self.path):
            return index
        src, dst = COLUMNS.index("src"), COLUMNS.index("dst")
        with open(self.path, "rb") as f:
            position = len(f.readline())  # the header
            for line in f:
                if line.endswith(b"\n"):  # a torn tail is no row
                    fields_ = next(csv.reader([line.decode("utf-8", "replace")]))
                    if len(fields_) == len(COLUMNS):
                        self._note(index, position, fields_[src], fields_[dst])
                position += len(line)
        return index

    @staticmethod
    def _note(index: dict[str, array], offset: int, *numbers: str) -> None:
        for number in dict.fromkeys(numbers):
            if number:
                index.setdefault(number, array("q")).append(offset)


_HEADER = (",".join(COLUMNS) + "\n").encode()


def _parse(f, offset: int) -> dict[str, str]:
    f.seek(offset)
    values = next(csv.reader([f.readline().decode("utf-8", "replace")]))
    return dict(zip(COLUMNS, values, strict=True))
