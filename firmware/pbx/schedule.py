"""Office hours for night service: weekday slots in the office's time zone, holidays.

A slot reads "mon-fri 08:00-17:30" or "sat 09:00-12:00" (days: mon..sun, a range or a
comma list; times 24 h, the end may be 24:00). A holiday is "2026-12-24" (that day) or
"12-25" (every year). Inside a slot and not on a holiday it is day, otherwise night.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MODES = ("auto", "day", "night")
_SLOT = re.compile(r"^([a-z,\-]+)\s+(\d\d):(\d\d)-(\d\d):(\d\d)$")
_HOLIDAY = re.compile(r"^(?:(\d{4})-)?(\d\d)-(\d\d)$")


@dataclass(frozen=True)
class Slot:
    days: frozenset[int]  # 0 = Monday
    start: int  # minutes after midnight
    end: int

    def covers(self, weekday: int, minute: int) -> bool:
        return weekday in self.days and self.start <= minute < self.end


def parse_slot(text: str) -> Slot:
    """A slot, or ValueError saying what is wrong with it."""
    m = _SLOT.match(text.strip().lower())
    if not m:
        raise ValueError(f"{text!r}: write days and hours, e.g. 'mon-fri 08:00-17:30'")
    days: set[int] = set()
    for part in m.group(1).split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"{text!r}: days are {', '.join(DAYS)}")
        a, b = DAYS.index(first), DAYS.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    h1, m1, h2, m2 = (int(g) for g in m.groups()[1:])
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60 or end <= start:
        raise ValueError(f"{text!r}: times are 00:00-24:00 and the slot must end after "
                         f"it starts")
    return Slot(frozenset(days), start, end)


def parse_holiday(text: str) -> tuple[int | None, int, int]:
    """(year or None for every year, month, day), or ValueError."""
    m = _HOLIDAY.match(text.strip())
    if not m:
        raise ValueError(f"{text!r}: a date YYYY-MM-DD, or MM-DD for every year")
    year = int(m.group(1)) if m.group(1) else None
    month, day = int(m.group(2)), int(m.group(3))
    try:
        dt.date(year or 2024, month, day)  # 2024: a leap year, so 02-29 is allowed
    except ValueError:
        raise ValueError(f"{text!r}: no such date") from None
    return year, month, day


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (e.g. Europe/Berlin)") from None


def is_day(slots: tuple[str, ...], holidays: tuple[str, ...], timezone: str,
           when: float) -> bool:
    """Is it office hours at the epoch time ``when``?"""
    local = dt.datetime.fromtimestamp(when, zone(timezone))
    for text in holidays:
        year, month, day = parse_holiday(text)
        if (month, day) == (local.month, local.day) and year in (None, local.year):
            return False
    minute = local.hour * 60 + local.minute
    return any(parse_slot(s).covers(local.weekday(), minute) for s in slots)
