"""What voicemail (voicemail_call.py) and the greeting recorder (greeting_call.py) share:
the box has answered one leg; it says something, beeps, and records that leg until #,
hang-up or the time limit. Then the subclass keeps the recording (``_keep``), the leg
hears what ``_closing`` gives, and the box hangs up. A hang-up while recording keeps
what was said.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from firmware.clock import Clock
from firmware.pbx.media import CallMedia
from firmware.pbx.step_timer import StepTimer

LEG = "a"  # the box answered this leg; there is no other
BEEP_SECONDS = 0.4
BEEP_TONE = "call_waiting"  # a short beep in every country plan


class Step(enum.Enum):
    SPEAKING = "speaking"  # the greeting, or the instructions
    RECORDING = "recording"
    CLOSING = "closing"  # goodbye (after the greeting: played back first)
    DONE = "done"


class RecordedCall:
    def __init__(self, call_id: str, media: CallMedia, clock: Clock, max_seconds: float,
                 hang_up: Callable[[], None]) -> None:
        self.call_id, self.media, self.clock = call_id, media, clock
        self.max_seconds, self._hang_up = max_seconds, hang_up
        self.step = Step.SPEAKING
        self._timer = StepTimer(clock)

    # what subclasses give --------------------------------------------------------------
    def _keep(self, pcm: bytes) -> None:
        raise NotImplementedError

    def _closing(self) -> bytes | None:
        """What the leg hears after the recording, before the box hangs up."""
        raise NotImplementedError

    # the steps ---------------------------------------------------------------------------
    def _say_then_record(self, pcm: bytes | None) -> None:
        if pcm:
            self.media.play_prompt(self.call_id, LEG, pcm)
        self._timer.after(len(pcm or b"") / 16000, self._beep)

    def caller_gone(self) -> None:
        if self.step is Step.RECORDING:
            self._keep(self._take_recording())
        self._stop()

    def _beep(self) -> None:
        self.media.play_tone(self.call_id, LEG, BEEP_TONE)
        self._timer.after(BEEP_SECONDS, self._record)

    def _record(self) -> None:
        self.media.stop_playing(self.call_id, LEG)
        self.step = Step.RECORDING
        self.media.record(self.call_id, LEG, self.max_seconds)
        self.media.on_digit(self.call_id, LEG, self._key)
        self._timer.after(self.max_seconds, self._recorded)

    def _key(self, digit: str) -> None:
        if digit == "#" and self.step is Step.RECORDING:
            self._recorded()

    def _recorded(self) -> None:
        """# or the time limit: keep it, say what follows, hang up."""
        self._keep(self._take_recording())
        self.step = Step.CLOSING
        closing = self._closing()
        if closing:
            self.media.play_prompt(self.call_id, LEG, closing)
        self._timer.after(len(closing or b"") / 16000 + 0.2, self._end)

    def _take_recording(self) -> bytes:
        self.media.on_digit(self.call_id, LEG, None)
        return self.media.stop_recording(self.call_id, LEG)

    def _end(self) -> None:
        self._stop()
        self._hang_up()

    def _stop(self) -> None:
        self.step = Step.DONE
        self._timer.cancel()
