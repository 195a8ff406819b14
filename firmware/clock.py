"""The one clock every timer comes from.

Protocol cores and services never read the time or sleep on their own: they get a
Clock. The daemon passes a LoopClock (asyncio's monotonic time); tests pass a
VirtualClock and advance it, so a 30-second timer expires in microseconds.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Any, Protocol


class TimerHandle(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds; only differences mean anything."""

    def wall(self) -> float:
        """Seconds since the epoch (UTC), for records people read."""

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> TimerHandle:
        """Run callback(*args) after delay seconds; the handle cancels it."""


class LoopClock:
    """The daemon's clock: asyncio's loop time and timers."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def now(self) -> float:
        return self._loop.time()

    def wall(self) -> float:
        return time.time()

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> TimerHandle:
        return self._loop.call_later(max(0.0, delay), callback, *args)


CANCELLED_TO_PURGE = 100  # asyncio's _MIN_SCHEDULED_TIMER_HANDLES


class _VirtualTimer:
    __slots__ = ("when", "callback", "args", "cancelled", "clock")

    def __init__(self, when: float, callback: Callable[..., Any], args: tuple,
                 clock: VirtualClock) -> None:
        self.when, self.callback, self.args = when, callback, args
        self.cancelled = False
        self.clock: VirtualClock | None = clock  # None once out of the clock's heap

    def cancel(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            if self.clock is not None:
                self.clock._cancelled += 1


class VirtualClock:
    """A clock that moves only when told to: for tests and simulations in virtual time.

    Timers due at the same instant run in the order they were set, as asyncio does;
    and as asyncio does, cancelled timers are dropped once they are most of the heap.
    """

    def __init__(self, start: float = 0.0, epoch: float = 1_790_000_000.0) -> None:
        self._now = start
        self._epoch_offset = epoch - start
        # (when, seq, timer): tuples compare in C, and seq keeps same-instant order
        self._timers: list[tuple[float, int, _VirtualTimer]] = []
        self._seq = itertools.count()
        self._cancelled = 0  # cancelled timers still in the heap

    def now(self) -> float:
        return self._now

    def wall(self) -> float:
        return self._now + self._epoch_offset

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> TimerHandle:
        timer = _VirtualTimer(self._now + (delay if delay > 0.0 else 0.0), callback, args, self)
        heapq.heappush(self._timers, (timer.when, next(self._seq), timer))
        if self._cancelled > CANCELLED_TO_PURGE and self._cancelled * 2 > len(self._timers):
            self._purge()
        return timer

    def _purge(self) -> None:
        """Drop the cancelled timers (the order of the others does not change)."""
        for _, _, timer in self._timers:
            if timer.cancelled:
                timer.clock = None
        self._timers = [entry for entry in self._timers if not entry[2].cancelled]
        heapq.heapify(self._timers)
        self._cancelled = 0

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> TimerHandle:
        return self.call_later(0.0, callback, *args)

    def advance(self, seconds: float) -> None:
        """Move time forward, running every timer that falls due on the way."""
        deadline = self._now + seconds
        while self._timers and self._timers[0][0] <= deadline:
            timer = heapq.heappop(self._timers)[2]
            timer.clock = None
            if timer.cancelled:
                self._cancelled -= 1
                continue
            self._now = timer.when
            timer.callback(*timer.args)
        self._now = deadline

    def run_pending(self) -> None:
        """Run what is due now (including what those callbacks schedule for now)."""
        self.advance(0.0)

    def pending(self) -> int:
        return sum(1 for _, _, t in self._timers if not t.cancelled)
