"""A caller leaving a message: the box has answered; the caller hears the greeting
(the mailbox's own recording, else the spoken one, else nothing), a beep, and is
recorded until they hang up, press #, or the mailbox's time runs out. Then the message
is kept (firmware/pbx/voicemail.py) and, if # ended it, the caller hears goodbye.
Prompts are read as they are on disk: speaking a missing one would stall the event
loop, so the daemon has them made beforehand.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from firmware.clock import Clock, TimerHandle
from firmware.log import get_logger
from firmware.media.prompts import PromptLibrary
from firmware.pbx.media import CallMedia
from firmware.pbx.voicemail import Mailbox, Voicemail, VoicemailError, VoiceMessage

log = get_logger("pbx.voicemail")

BEEP_SECONDS = 0.4
BEEP_TONE = "call_waiting"  # a short beep in every country plan
CALLER = "a"  # the box answered the caller's leg; there is no other


class Step(enum.Enum):
    GREETING = "greeting"
    RECORDING = "recording"
    GOODBYE = "goodbye"
    DONE = "done"


class VoicemailCall:
    def __init__(self, call_id: str, caller: str, box: Mailbox, media: CallMedia,
                 store: Voicemail, prompts: PromptLibrary | None, clock: Clock,
                 hang_up: Callable[[], None],
                 kept: Callable[[VoiceMessage], None] | None = None,
                 language: str = "en", company: str = "") -> None:
        self.call_id, self.caller, self.box = call_id, caller, box
        self.media, self.store, self.prompts, self.clock = media, store, prompts, clock
        self._hang_up, self._kept = hang_up, kept
        self.language, self.company = language, company
        self.step = Step.GREETING
        self._timer: TimerHandle | None = None
        self.message: VoiceMessage | None = None

    def start(self) -> None:
        greeting = self._greeting()
        if greeting:
            self.media.play_prompt(self.call_id, CALLER, greeting)
        self._after(len(greeting or b"") / 16000, self._beep)

    def caller_gone(self) -> None:
        """The caller hung up (or the call was cleared): keep what was said."""
        if self.step is Step.RECORDING:
            self._keep()
        self._stop()

    # steps -------------------------------------------------------------------------
    def _beep(self) -> None:
        self.media.play_tone(self.call_id, CALLER, BEEP_TONE)
        self._after(BEEP_SECONDS, self._record)

    def _record(self) -> None:
        self.media.stop_playing(self.call_id, CALLER)
        self.step = Step.RECORDING
        self.media.record(self.call_id, CALLER, self.box.max_seconds)
        self.media.on_digit(self.call_id, CALLER, self._key)
        self._after(self.box.max_seconds, self._enough)

    def _key(self, digit: str) -> None:
        if digit == "#" and self.step is Step.RECORDING:
            self._enough()

    def _enough(self) -> None:
        """# or the time limit: keep the message, say goodbye, hang up."""
        self._keep()
        self.step = Step.GOODBYE
        goodbye = self.prompts.get("goodbye", self.language) if self.prompts else None
        if goodbye:
            self.media.play_prompt(self.call_id, CALLER, goodbye)
        self._after(len(goodbye or b"") / 16000 + 0.2, self._end)

    def _end(self) -> None:
        self._stop()
        self._hang_up()

    def _keep(self) -> None:
        self.media.on_digit(self.call_id, CALLER, None)
        pcm = self.media.stop_recording(self.call_id, CALLER)
        try:
            self.message = self.store.deposit(self.box, self.caller, pcm, self.company)
        except (VoicemailError, OSError) as e:
            log.error("voicemail_not_kept", mailbox=self.box.number, error=str(e))
            return
        if self.message is not None:
            log.info("voicemail_kept", mailbox=self.box.number, id=self.message.id,
                     caller=self.caller, seconds=self.message.seconds)
            if self._kept is not None:
                self._kept(self.message)

    def _greeting(self) -> bytes | None:
        own = self.store.greeting(self.box.number)
        if own is not None:
            return own
        if self.prompts is None:
            return None
        return self.prompts.get("voicemail-greeting", self.language)

    def _after(self, seconds: float, then: Callable[[], None]) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self.clock.call_later(seconds, then)

    def _stop(self) -> None:
        self.step = Step.DONE
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
