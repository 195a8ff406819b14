"""Call detail records: one row per call leg, appended durably to a CSV file.

Columns follow Asterisk's Master.csv order (so billing tools that read it need no new
mapping), then four of ours: direction, msn (the MSN/DDI the call was for or from),
cause (Q.850 cause value of the clearing) and linkedid (ties the legs of one callback
or transfer together). Unlike Master.csv the file has a header line. Times are UTC,
"YYYY-MM-DD HH:MM:SS"; the web and the API convert to the office's time zone.
"""

from __future__ import annotations

import os
import time
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

    def append(self, cdr: Cdr) -> None:
        self._log.append(asdict(cdr))

    def rows(self) -> Iterable[dict[str, str]]:
        if not os.path.exists(self.path):
            return []
        return iter(self._log)

    def query(self, match: Callable[[dict[str, str]], bool] | None = None,
              offset: int = 0, limit: int = 100, newest_first: bool = True
              ) -> tuple[int, list[dict[str, str]]]:
        """(total matching, one page of rows)."""
        found = [r for r in self.rows() if match is None or match(r)]
        if newest_first:
            found.reverse()
        return len(found), found[offset:offset + limit]

    def close(self) -> None:
        self._log.close()
