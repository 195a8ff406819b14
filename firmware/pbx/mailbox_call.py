"""An extension listens to its own mailbox (the ``mailbox`` feature code, ``*98``).

The box has answered the extension's call. It plays the new messages oldest first, each
followed by a beep; after a message the listener presses 9 to keep it, 7 to delete it,
# to go on, * to hear it again (silence for KEY_SECONDS keeps it too). A message played
to its end or passed over with a key counts as heard, so message waiting goes off with
the last one. With nothing new: the goodbye prompt, and the box hangs up.
"""

from __future__ import annotations

from collections.abc import Callable

from firmware.clock import Clock
from firmware.log import get_logger
from firmware.media import wav
from firmware.media.prompts import PromptLibrary
from firmware.pbx.media import CallMedia
from firmware.pbx.step_timer import StepTimer
from firmware.pbx.voicemail import Voicemail, VoicemailError, VoiceMessage

log = get_logger("pbx.voicemail")

LISTENER = "a"  # the box answered the extension's own leg
BEEP_TONE = "call_waiting"  # a short beep in every country plan
KEY_SECONDS = 6.0  # after the beep: time for a key before the next message


class MailboxCall:
    def __init__(self, call_id: str, mailbox: str, media: CallMedia, store: Voicemail,
                 prompts: PromptLibrary | None, clock: Clock, hang_up: Callable[[], None],
                 language: str = "en") -> None:
        self.call_id, self.mailbox = call_id, mailbox
        self.media, self.store, self.prompts, self.clock = media, store, prompts, clock
        self._hang_up, self.language = hang_up, language
        self.queue: list[VoiceMessage] = []
        self.current: VoiceMessage | None = None
        self.played: list[str] = []  # ids in the order they were played
        self._timer = StepTimer(clock)
        self._done = False

    def start(self) -> None:
        self.queue = [m for m in self.store.messages(self.mailbox) if not m.heard]
        self.media.on_digit(self.call_id, LISTENER, self._key)
        self._next()

    def caller_gone(self) -> None:
        self._stop()

    # steps -------------------------------------------------------------------------
    def _next(self) -> None:
        if not self.queue:
            self.current = None
            goodbye = self.prompts.get("goodbye", self.language) if self.prompts else None
            if goodbye:
                self.media.play_prompt(self.call_id, LISTENER, goodbye)
            self._timer.after(len(goodbye or b"") / 16000 + 0.3, self._end)
            return
        self.current = self.queue.pop(0)
        try:
            pcm = wav.read_mono_8k(self.store.wav_path(self.mailbox, self.current.id))
        except (OSError, wav.WavError) as e:
            log.error("voicemail_unreadable", mailbox=self.mailbox, id=self.current.id,
                      error=str(e))
            self._next()
            return
        self.played.append(self.current.id)
        self.media.play_prompt(self.call_id, LISTENER, pcm)
        self._timer.after(len(pcm) / 16000, self._beep)

    def _beep(self) -> None:
        self._mark_heard()  # played to its end
        self.media.play_tone(self.call_id, LISTENER, BEEP_TONE)
        self._timer.after(0.4, self._wait_for_key)

    def _wait_for_key(self) -> None:
        self.media.stop_playing(self.call_id, LISTENER)
        self._timer.after(KEY_SECONDS, self._next)

    def _key(self, digit: str) -> None:
        if self._done or self.current is None:
            return
        if digit == "*":
            self.queue.insert(0, self.current)
        elif digit == "7":
            try:
                self.store.delete(self.mailbox, self.current.id)
            except (VoicemailError, OSError) as e:
                log.error("voicemail_not_deleted", mailbox=self.mailbox, error=str(e))
        elif digit in "9#":
            self._mark_heard()
        else:
            return
        self.media.stop_playing(self.call_id, LISTENER)
        self._next()

    def _mark_heard(self) -> None:
        if self.current is None:
            return
        try:
            self.store.mark_heard(self.mailbox, self.current.id)
        except (VoicemailError, OSError):
            pass  # deleted meanwhile from the API

    def _end(self) -> None:
        self._stop()
        self._hang_up()

    def _stop(self) -> None:
        self._done = True
        self._timer.cancel()
        self.media.on_digit(self.call_id, LISTENER, None)
