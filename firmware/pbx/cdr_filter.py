"""Which CDR rows a reader wants: a number, a direction, answered or missed, a time range.

The call list of the web admin and `cdr` in the API ask the same questions. CDR times
are UTC text ("YYYY-MM-DD HH:MM:SS", see cdr.py), which sorts as it reads, so a range is
two string comparisons once its ends are turned into UTC text. Ends given as a date or a
time without an offset are read in the office's time zone (``timezone``); a bare date as
``until`` means the end of that day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from firmware.pbx.cdr import ANSWERED, BUSY, FAILED, NO_ANSWER
from firmware.pbx.config import FieldError

DIRECTIONS = ("in", "out", "internal")
# "missed" is every leg nobody took; the others are Master.csv's own values.
DISPOSITIONS = {"answered": {ANSWERED}, "missed": {NO_ANSWER, BUSY, FAILED},
                "no-answer": {NO_ANSWER}, "busy": {BUSY}, "failed": {FAILED}}
_TEXT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class CdrFilter:
    number: str = ""  # the row's src or dst is this number
    direction: str = ""
    disposition: str = ""  # a key of DISPOSITIONS
    since: str = ""  # UTC text, inclusive
    until: str = ""  # UTC text, exclusive

    @property
    def empty(self) -> bool:
        return not (self.number or self.direction or self.disposition or self.since
                    or self.until)

    def __call__(self, row: Mapping[str, str]) -> bool:
        if self.number and self.number not in (row.get("src"), row.get("dst")):
            return False
        if self.direction and row.get("direction") != self.direction:
            return False
        if self.disposition and row.get("disposition") not in DISPOSITIONS[self.disposition]:
            return False
        start = row.get("start", "")
        if self.since and start < self.since:
            return False
        return not (self.until and start >= self.until)

    @classmethod
    def parse(cls, number: str = "", direction: str = "", disposition: str = "",
              since: str = "", until: str = "", timezone: str = "UTC") -> CdrFilter:
        """A filter from the API's (or a form's) text; FieldError names each bad one."""
        problems: list[tuple[str, str]] = []
        number = number.strip()
        if number and not number.lstrip("+").isdigit():
            problems.append(("number", "digits only (a leading + is fine)"))
        if direction and direction not in DIRECTIONS:
            problems.append(("direction", f"one of {', '.join(DIRECTIONS)}"))
        if disposition and disposition not in DISPOSITIONS:
            problems.append(("disposition", f"one of {', '.join(DISPOSITIONS)}"))
        try:
            zone = ZoneInfo(timezone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(("timezone", f"unknown time zone {timezone!r} (e.g. Europe/Berlin)"))
            zone = ZoneInfo("UTC")
        ends = {}
        for name, text, end_of_day in (("since", since, False), ("until", until, True)):
            try:
                ends[name] = _utc_text(text.strip(), zone, end_of_day)
            except ValueError:
                problems.append((name, "a date YYYY-MM-DD or a time YYYY-MM-DD HH:MM"))
        if not problems and ends["since"] and ends["until"] and ends["until"] <= ends["since"]:
            problems.append(("until", "must be after the start of the range"))
        if problems:
            raise FieldError(problems)
        return cls(number, direction, disposition, ends["since"], ends["until"])


def filter_args(args: Mapping[str, Any]) -> dict[str, str]:
    """The filter's arguments out of a larger set (the API's, a query string's)."""
    return {k: str(args[k]) for k in ("number", "direction", "disposition", "since",
                                      "until", "timezone") if args.get(k)}


def _utc_text(text: str, zone: ZoneInfo, end_of_day: bool) -> str:
    if not text:
        return ""
    if len(text) == 10:  # a date: the whole day in the office's zone
        day = datetime.fromisoformat(text).replace(tzinfo=zone)
        when = day + timedelta(days=1) if end_of_day else day
    else:
        when = datetime.fromisoformat(text.replace(" ", "T", 1))
        if when.tzinfo is None:
            when = when.replace(tzinfo=zone)
    return when.astimezone(UTC).strftime(_TEXT)
