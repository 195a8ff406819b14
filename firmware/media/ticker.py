"""The media clock: runs the tick's steps every 10 or 20 ms on the daemon's one clock.

Steps run in the order they were added: the box's engine tick first, then whatever
moves audio to and from the line (port drivers, the simulated copper). Ticks are
scheduled on a fixed grid (start + k * interval), so timer jitter does not add up;
when the loop falls far behind (a stall), the grid restarts from now and the lost
ticks are counted as slips rather than run in a burst.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from firmware.clock import Clock, TimerHandle
from firmware.log import get_logger

MAX_LAG_TICKS = 5  # behind by more than this: skip ahead instead of catching up

log = get_logger("media.ticker")


class MediaTicker:
    def __init__(self, clock: Clock, interval: float) -> None:
        if interval <= 0:
            raise ValueError("a tick interval is a positive number of seconds")
        self.clock = clock
        self.interval = interval
        self.ticks = 0
        self.slips = 0
        self._steps: list[Callable[[], None]] = []
        self._handle: TimerHandle | None = None
        self._next = 0.0

    def add(self, step: Callable[[], None]) -> None:
        """Run ``step()`` on every tick, after the steps added before it."""
        self._steps.append(step)

    @property
    def running(self) -> bool:
        return self._handle is not None

    def start(self) -> None:
        if self._handle is None:
            self._next = self.clock.now() + self.interval
            self._handle = self.clock.call_later(self.interval, self._tick)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _tick(self) -> None:
        now = self.clock.now()
        self._next += self.interval
        if self._next < now - MAX_LAG_TICKS * self.interval:
            lost = int((now - self._next) / self.interval)
            self.slips += lost
            log.warning("media_slip", ticks=lost)
            self._next = now + self.interval
        # rescheduled first: a failing step must not stop the media clock
        self._handle = self.clock.call_later(self._next - now, self._tick)
        self.ticks += 1
        for step in self._steps:
            step()

    def status(self) -> dict[str, Any]:
        return {"interval_ms": round(self.interval * 1000, 3), "ticks": self.ticks,
                "slips": self.slips, "running": self.running}
