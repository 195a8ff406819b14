"""What the dashboard counts through the control API: the callback queue, and today's
calls per hour in the office's zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from firmware.pbx.cdr_filter import DISPOSITIONS
from webadmin.pages import Web

PAGE = 1000  # CDR rows per API call (its maximum)
MAX_PAGES = 20  # a busy day; beyond this the chart says it counted only part
MISSED = DISPOSITIONS["missed"]  # what the call list's "missed" filter means


@dataclass
class Today:
    """Today's calls (local midnight to now) as hourly answered/missed counts."""

    date: str
    answered: list[int] = field(default_factory=lambda: [0] * 24)
    missed: list[int] = field(default_factory=lambda: [0] * 24)
    inbound: int = 0
    outbound: int = 0
    internal: int = 0
    counted: int = 0
    total: int = 0

    @property
    def peak(self) -> int:
        return max((a + m for a, m in zip(self.answered, self.missed, strict=True)),
                   default=0)

    def add(self, row: dict[str, Any], zone: ZoneInfo) -> None:
        start = dt.datetime.strptime(row["start"], "%Y-%m-%d %H:%M:%S").replace(
            tzinfo=dt.UTC).astimezone(zone)
        counts = self.missed if row.get("disposition") in MISSED else self.answered
        counts[start.hour] += 1
        direction = row.get("direction")
        if direction == "in":
            self.inbound += 1
        elif direction == "out":
            self.outbound += 1
        else:
            self.internal += 1
        self.counted += 1


def today(web: Web, zone_name: str, now: dt.datetime | None = None) -> Today:
    zone = ZoneInfo(zone_name)
    date = (now or dt.datetime.now(zone)).astimezone(zone).date().isoformat()
    counts = Today(date)
    for page in range(MAX_PAGES):
        answer = web.api("cdr", since=date, timezone=zone_name, offset=page * PAGE,
                         limit=PAGE)
        counts.total = answer["total"]
        for row in answer["rows"]:
            if row.get("start"):
                counts.add(row, zone)
        if (page + 1) * PAGE >= answer["total"]:
            break
    return counts


def queue(web: Web) -> list[dict[str, Any]]:
    """Open callback requests, those due first."""
    return sorted(web.api("callbacks", open_only=True), key=lambda r: r["due"])


