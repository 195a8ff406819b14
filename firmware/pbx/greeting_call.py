"""An extension records its mailbox greeting (the ``greeting`` feature code, ``*97``).

The box has answered the extension's call. It says how (the ``greeting-record`` prompt),
beeps, and records until # , hang-up or GREETING_SECONDS. The recording becomes the
greeting callers hear (firmware/pbx/voicemail_call.py) and is played back once so the
owner hears what callers will; # straight after the beep goes back to the standard
greeting. Then goodbye, and the box hangs up.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from firmware.clock import Clock, TimerHandle
from firmware.log import get_logger
from firmware.media.prompts import PromptLibrary
from firmware.pbx.media import CallMedia
from firmware.pbx.voicemail import GREETING_SECONDS, Voicemail, VoicemailError

log = get_logger("pbx.voicemail")

OWNER = "a"  # the box answered the extension's own leg
BEEP_TONE = "call_waiting"  # a short beep in every country plan
BEEP_SECONDS = 0.4


class Step(enum.Enum):
    INSTRUCTIONS = "instructions"
    RECORDING = "recording"
    PLAYBACK = "playback"
    DONE = "done"


class GreetingCall:
    def __init__(self, call_id: str, mailbox: str, media: CallMedia, store: Voicemail,
                 prompts: PromptLibrary | None, clock: Clock, hang_up: Callable[[], None],
                 language: str = "en") -> None:
        self.call_id, self.mailbox = call_id, mailbox
        self.media, self.store, self.prompts, self.clock = media, store, prompts, clock
        self._hang_up, self.language = hang_up, language
        self.step = Step.INSTRUCTIONS
        self.kept: bool | None = None  # after the recording: own greeting or standard
        self._timer: TimerHandle | None = None

    def start(self) -> None:
        how = self._prompt("greeting-record")
        if how:
            self.media.play_prompt(self.call_id, OWNER, how)
        self._after(len(how or b"") / 16000, self._beep)

    def caller_gone(self) -> None:
        """Hanging up ends the greeting as # does."""
        if self.step is Step.RECORDING:
            self._keep()
        self._stop()

    # steps -------------------------------------------------------------------------
    def _beep(self) -> None:
        self.media.play_tone(self.call_id, OWNER, BEEP_TONE)
        self._after(BEEP_SECONDS, self._record)

    def _record(self) -> None:
        self.media.stop_playing(self.call_id, OWNER)
        self.step = Step.RECORDING
        self.media.record(self.call_id, OWNER, GREETING_SECONDS)
        self.media.on_digit(self.call_id, OWNER, self._key)
        self._after(GREETING_SECONDS, self._recorded)

    def _key(self, digit: str) -> None:
        if digit == "#" and self.step is Step.RECORDING:
            self._recorded()

    def _recorded(self) -> None:
        """# or the time limit: keep it, play it back, say goodbye, hang up."""
        self._keep()
        self.step = Step.PLAYBACK
        own = self.store.greeting(self.mailbox) if self.kept else None
        goodbye = self._prompt("goodbye")
        audio = (own or b"") + (goodbye or b"")
        if audio:
            self.media.play_prompt(self.call_id, OWNER, audio)
        self._after(len(audio) / 16000 + 0.2, self._end)

    def _keep(self) -> None:
        self.media.on_digit(self.call_id, OWNER, None)
        pcm = self.media.stop_recording(self.call_id, OWNER)
        try:
            self.kept = self.store.save_greeting(self.mailbox, pcm)
        except (VoicemailError, OSError) as e:
            log.error("greeting_not_kept", mailbox=self.mailbox, error=str(e))
            return
        log.info("greeting_recorded" if self.kept else "greeting_standard",
                 mailbox=self.mailbox, seconds=round(len(pcm) / 16000, 2))

    def _prompt(self, name: str) -> bytes | None:
        return self.prompts.get(name, self.language) if self.prompts else None

    def _end(self) -> None:
        self._stop()
        self._hang_up()

    def _after(self, seconds: float, then: Callable[[], None]) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self.clock.call_later(seconds, then)

    def _stop(self) -> None:
        self.step = Step.DONE
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
