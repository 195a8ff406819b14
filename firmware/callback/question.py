"""A spoken yes/no question on one leg of a call, answered with a DTMF key: the staff
whisper ("callback for … press 1 to accept, 2 to decline") and the visitor's
introduction ("… press 1 to be connected").

The prompt plays on the leg; a key counts from the moment it starts (people press
before the end). Silence past the answer window repeats the prompt, then gives up
with ``Answer.TIMEOUT``; other keys are ignored. Without speech (no espeak-ng, no
recording) the leg hears a short beep tone instead and the keys work the same.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from firmware.clock import Clock, TimerHandle
from firmware.pbx.media import CallMedia

SAMPLE_RATE = 8000


class Answer(enum.Enum):
    YES = "yes"
    NO = "no"
    TIMEOUT = "timeout"
    GONE = "gone"  # the leg hung up or the call ended first


@dataclass(frozen=True)
class Wording:
    prompt: bytes | None  # 16-bit PCM at 8 kHz, or None: beep instead
    yes: str = "1"
    no: str | None = "2"  # None: only yes or silence
    answer_seconds: float = 8.0  # after the prompt's end
    repeats: int = 1
    fallback_tone: str = "call_waiting"  # a tone every country plan has


class Question:
    def __init__(self, media: CallMedia, clock: Clock, call_id: str, leg: str,
                 wording: Wording, done: Callable[[Answer, str], None]) -> None:
        self.media, self.clock = media, clock
        self.call_id, self.leg, self.wording = call_id, leg, wording
        self._done = done
        self._asked = 0
        self._timer: TimerHandle | None = None
        self.answer: Answer | None = None

    def ask(self) -> None:
        self.media.on_digit(self.call_id, self.leg, self._digit)
        self._play()

    def cancel(self) -> None:
        """The call ended: no more keys, no more timers."""
        self._finish(Answer.GONE, "")

    def _play(self) -> None:
        self._asked += 1
        w = self.wording
        if w.prompt:
            self.media.play_prompt(self.call_id, self.leg, w.prompt)
            length = len(w.prompt) / 2 / SAMPLE_RATE
        else:
            self.media.play_tone(self.call_id, self.leg, w.fallback_tone)
            length = 1.0
        self._timer = self.clock.call_later(length + w.answer_seconds, self._silence)

    def _silence(self) -> None:
        self._timer = None
        if self.answer is not None:
            return
        if self._asked <= self.wording.repeats:
            self._play()
        else:
            self._finish(Answer.TIMEOUT, "")

    def _digit(self, digit: str) -> None:
        if digit == self.wording.yes:
            self._finish(Answer.YES, digit)
        elif self.wording.no is not None and digit == self.wording.no:
            self._finish(Answer.NO, digit)

    def _finish(self, answer: Answer, digit: str) -> None:
        if self.answer is not None:
            return
        self.answer = answer
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.media.on_digit(self.call_id, self.leg, None)
        if answer is not Answer.GONE:
            self.media.stop_playing(self.call_id, self.leg)
        self._done(answer, digit)
