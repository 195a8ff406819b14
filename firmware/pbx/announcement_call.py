"""The box answers, says one thing, and hangs up: what a caller to a "callback:LINK"
route hears (their request is queued, or why it cannot be). Without the prompt on disk
the caller hears a short beep instead, so the call never hangs in silence."""

from __future__ import annotations

from collections.abc import Callable

from firmware.clock import Clock
from firmware.pbx.media import CallMedia
from firmware.pbx.step_timer import StepTimer

CALLER = "a"
BEEP_TONE = "call_waiting"  # a short beep in every country plan
BEEP_SECONDS = 0.6
AFTER_SECONDS = 0.3  # a breath after the words before the line goes


class AnnouncementCall:
    def __init__(self, call_id: str, pcm: bytes | None, media: CallMedia, clock: Clock,
                 hang_up: Callable[[], None]) -> None:
        self.call_id, self.pcm, self.media, self.clock = call_id, pcm, media, clock
        self._hang_up = hang_up
        self._timer = StepTimer(clock)

    def start(self) -> None:
        if self.pcm:
            self.media.play_prompt(self.call_id, CALLER, self.pcm)
            seconds = len(self.pcm) / 16000
        else:
            self.media.play_tone(self.call_id, CALLER, BEEP_TONE)
            seconds = BEEP_SECONDS
        self._timer.after(seconds + AFTER_SECONDS, self._hang_up)

    def caller_gone(self) -> None:
        self._timer.cancel()
