"""The one pending step of a call the box answered itself (voicemail, the mailbox, a
greeting, an announcement): setting the next step cancels the one before, so a key
pressed early never leaves a stale timer behind."""

from __future__ import annotations

from collections.abc import Callable

from firmware.clock import Clock, TimerHandle


class StepTimer:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._handle: TimerHandle | None = None

    def after(self, seconds: float, then: Callable[[], None]) -> None:
        self.cancel()
        self._handle = self.clock.call_later(seconds, then)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
