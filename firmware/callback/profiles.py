"""Working-day profiles: who is on duty when.

A profile gives each weekday a list of time slots in the office's time zone; a slot
names up to two numbers to ring in order (an extension, a group, or an outside number
as an extension would dial it). Holidays are closed all day. ``slot_at`` answers "who
now?", ``next_opening`` "when next?" — for a visitor who asks outside working hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LOOKAHEAD_DAYS = 21  # holidays and weekends can close an office for a while, not longer


@dataclass(frozen=True)
class Slot:
    start: time
    end: time  # exclusive; time(0) as end means midnight (end of the day)
    numbers: tuple[str, ...]

    def covers(self, t: time) -> bool:
        return self.start <= t and (t < self.end or self.end == time(0))


@dataclass(frozen=True)
class Profile:
    name: str
    timezone: str = "Europe/Berlin"
    week: dict[str, tuple[Slot, ...]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def slot_at(self, when: datetime) -> Slot | None:
        """The slot on duty at ``when`` (an aware datetime), or None when closed."""
        local = when.astimezone(self.zone)
        if local.date() in self.holidays:
            return None
        day = DAYS[local.weekday()]
        return next((s for s in self.week.get(day, ()) if s.covers(local.time())), None)

    def next_opening(self, when: datetime) -> datetime | None:
        """The first moment at or after ``when`` with someone on duty (UTC)."""
        if self.slot_at(when) is not None:
            return when
        local = when.astimezone(self.zone)
        for offset in range(LOOKAHEAD_DAYS + 1):
            day = local.date() + timedelta(days=offset)
            if day in self.holidays:
                continue
            for slot in sorted(self.week.get(DAYS[day.weekday()], ()), key=lambda s: s.start):
                start = datetime.combine(day, slot.start, self.zone)
                if start >= local:
                    return start.astimezone(UTC)
        return None

    def to_doc(self) -> dict[str, Any]:
        return {"name": self.name, "timezone": self.timezone,
                "week": {d: [{"start": s.start.strftime("%H:%M"),
                              "end": s.end.strftime("%H:%M") if s.end != time(0) else "24:00",
                              "numbers": list(s.numbers)} for s in slots]
                         for d, slots in self.week.items()},
                "holidays": sorted(d.isoformat() for d in self.holidays)}


def always_open(name: str, numbers: tuple[str, ...], tz: str = "Europe/Berlin") -> Profile:
    slot = Slot(time(0), time(0), numbers)
    return Profile(name, tz, {d: (slot,) for d in DAYS})


def parse_profile(doc: Mapping[str, Any], where: str, problems: list[tuple[str, str]]
                  ) -> Profile | None:
    """A profile from its stored document; problems go to ``problems`` by field."""
    name = str(doc.get("name", "")).strip()
    if not name:
        problems.append((f"{where}.name", "a profile needs a name"))
    tz = str(doc.get("timezone", "Europe/Berlin"))
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append((f"{where}.timezone", f"unknown time zone {tz!r} "
                                              "(e.g. Europe/Berlin)"))
        tz = "UTC"
    week: dict[str, tuple[Slot, ...]] = {}
    for day, slots in (doc.get("week") or {}).items():
        if day not in DAYS:
            problems.append((f"{where}.week.{day}", f"unknown day (one of {', '.join(DAYS)})"))
            continue
        parsed = [_slot(s, f"{where}.week.{day}[{i}]", problems) for i, s in enumerate(slots)]
        good = sorted((s for s in parsed if s is not None), key=lambda s: s.start)
        for a, b in zip(good, good[1:], strict=False):
            if a.end == time(0) or b.start < a.end:
                problems.append((f"{where}.week.{day}", f"slots overlap at "
                                                        f"{b.start.strftime('%H:%M')}"))
        week[day] = tuple(good)
    holidays = set()
    for i, text in enumerate(doc.get("holidays") or ()):
        try:
            holidays.add(date.fromisoformat(str(text)))
        except ValueError:
            problems.append((f"{where}.holidays[{i}]", "a date as YYYY-MM-DD"))
    return Profile(name, tz, week, frozenset(holidays))


def _slot(doc: Any, where: str, problems: list[tuple[str, str]]) -> Slot | None:
    if not isinstance(doc, Mapping):
        problems.append((where, "a slot needs start, end and numbers"))
        return None
    start, end = _time(doc.get("start"), f"{where}.start", problems), \
        _time(doc.get("end"), f"{where}.end", problems)
    numbers = tuple(str(n) for n in doc.get("numbers") or ())
    if not 1 <= len(numbers) <= 2:
        problems.append((f"{where}.numbers", "one or two numbers to ring, in order"))
    for j, n in enumerate(numbers):
        if not n.isdigit():
            problems.append((f"{where}.numbers[{j}]", "digits only"))
    if start is None or end is None:
        return None
    if end != time(0) and end <= start:
        problems.append((f"{where}.end", "must be after the start"))
        return None
    return Slot(start, end, numbers)


def _time(text: Any, where: str, problems: list[tuple[str, str]]) -> time | None:
    if text == "24:00":
        return time(0)
    try:
        return time.fromisoformat(str(text))
    except ValueError:
        problems.append((where, "a time as HH:MM"))
        return None
