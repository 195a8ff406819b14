"""The abuse and toll-fraud guard in front of the callback service, on by default.

Sliding-window rate limits per visitor IP, per number and per cookie (7 requests in
15 minutes, 9 in an hour, 15 in a day), at most 3 distinct numbers per IP in an hour,
a cap on requests in progress per link and on the link's outgoing minutes per day.
(Blocked number ranges and the country allow-list are checked by visitor.py.)
Refusals are polite and say when trying again makes sense. A request without an IP
(a caller asking by phone, whose number the network presents; the console) is limited
by its number alone.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from firmware.clock import Clock

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0


@dataclass(frozen=True)
class GuardLimits:
    per_15_minutes: int = 7
    per_hour: int = 9
    per_day: int = 15
    numbers_per_ip_hour: int = 3
    max_concurrent: int = 50  # requests in progress per link; at most 999
    daily_minutes: int = 600  # outgoing minutes per link and day

    def windows(self) -> tuple[tuple[float, int], ...]:
        return ((15 * MINUTE, self.per_15_minutes), (HOUR, self.per_hour),
                (DAY, self.per_day))


class Refusal(Exception):
    def __init__(self, code: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


class AbuseGuard:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._numbers_by_ip: dict[str, deque[tuple[float, str]]] = {}

    def check(self, limits: GuardLimits, *, ip: str, number: str, cookie: str,
              in_progress: int, minutes_today: float) -> None:
        """Raise Refusal if this request may not be filed now."""
        now = self.clock.now()
        if in_progress >= limits.max_concurrent:
            raise Refusal("busy", "we are handling many callback requests right now; "
                                  "please try again in a few minutes", 5 * MINUTE)
        if minutes_today >= limits.daily_minutes:
            raise Refusal("minutes", "our callback service has reached today's limit; "
                                     "please try again tomorrow", self._until_tomorrow())
        for key in self._keys(ip, number, cookie):
            hits = self._prune(self._hits.get(key), now)
            for span, limit in limits.windows():
                recent = [t for t in hits if t > now - span]
                if len(recent) >= limit:
                    wait = recent[0] + span - now
                    raise Refusal("rate", "you have asked for several callbacks already; "
                                          f"please try again in {_minutes(wait)}", wait)
        if not ip:
            return
        seen = [(t, n) for t, n in self._numbers_by_ip.get(ip, ()) if t > now - HOUR]
        distinct = {n for _, n in seen}
        if number not in distinct and len(distinct) >= limits.numbers_per_ip_hour:
            wait = min(t for t, _ in seen) + HOUR - now
            raise Refusal("numbers", "too many different numbers from your connection; "
                                     f"please try again in {_minutes(wait)}", wait)

    def note(self, *, ip: str, number: str, cookie: str) -> None:
        """Count an accepted request."""
        now = self.clock.now()
        for key in self._keys(ip, number, cookie):
            self._hits.setdefault(key, deque()).append(now)
        if ip:
            self._numbers_by_ip.setdefault(ip, deque()).append((now, number))
        if len(self._hits) > 10_000:
            self._forget_idle(now)

    @staticmethod
    def _keys(ip: str, number: str, cookie: str) -> list[str]:
        return [key for key, given in ((f"ip:{ip}", ip), (f"number:{number}", number),
                                       (f"cookie:{cookie}", cookie)) if given]

    def _prune(self, hits: deque[float] | None, now: float) -> deque[float]:
        if hits is None:
            return deque()
        while hits and hits[0] <= now - DAY:
            hits.popleft()
        return hits

    def _forget_idle(self, now: float) -> None:
        """Keys whose last hit is a day old carry no information any more."""
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - DAY]:
            del self._hits[key]
        for ip in [i for i, h in self._numbers_by_ip.items() if not h or h[-1][0] <= now - HOUR]:
            del self._numbers_by_ip[ip]

    def _until_tomorrow(self) -> float:
        wall = self.clock.wall()
        return DAY - wall % DAY


def _minutes(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    if minutes >= 120:
        return f"{math.ceil(minutes / 60)} hours"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
