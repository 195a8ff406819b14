"""Named protocol timers (T200, T203, T303, ...) on the one clock.

A restart must be cheap: a running timer that is restarted later only has its
deadline moved; when its clock callback comes early it re-arms itself for the rest.
Stopping cancels the callback, so the clock can drop it (asyncio purges cancelled
handles): most of these timers (Q.931's, one key per call) are not started again.
LAPD's T200/T203, which stop and start on nearly every frame, keep their deadlines in
the data link by the same rules (lapd/datalink.py).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from firmware.clock import Clock, TimerHandle

EARLY = 1e-9  # a callback this close to its deadline counts as on time


class TimerSet:
    def __init__(self, clock: Clock, on_expiry: Callable[[Hashable], None]) -> None:
        self._clock = clock
        self._now = clock.now  # bound once: read on every start
        self._on_expiry = on_expiry
        self._deadline: dict[Hashable, float] = {}
        self._armed: dict[Hashable, tuple[TimerHandle, float]] = {}

    def start(self, key: Hashable, seconds: float) -> None:
        """Start, or restart from now, the timer `key`."""
        when = self._now() + seconds
        self._deadline[key] = when
        armed = self._armed.get(key)
        if armed is not None:
            if armed[1] <= when:
                return  # the armed callback comes first and re-arms for the rest
            armed[0].cancel()
        self._armed[key] = (self._clock.call_later(seconds, self._fire, key), when)

    def stop(self, key: Hashable) -> None:
        self._deadline.pop(key, None)
        armed = self._armed.pop(key, None)
        if armed is not None:
            armed[0].cancel()

    def running(self, key: Hashable) -> bool:
        return key in self._deadline

    def cancel_all(self) -> None:
        for handle, _ in self._armed.values():
            handle.cancel()
        self._armed.clear()
        self._deadline.clear()

    def _fire(self, key: Hashable) -> None:
        self._armed.pop(key, None)
        when = self._deadline.get(key)
        if when is None:
            return
        left = when - self._clock.now()
        if left > EARLY:
            self._armed[key] = (self._clock.call_later(left, self._fire, key), when)
            return
        del self._deadline[key]
        self._on_expiry(key)
