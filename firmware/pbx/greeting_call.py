"""An extension records its mailbox greeting (the ``greeting`` feature code, ``*97``).

The box has answered the extension's call. It says how (the ``greeting-record`` prompt),
beeps, and records until # , hang-up or GREETING_SECONDS (recorded_call.py). The
recording becomes the greeting callers hear (firmware/pbx/voicemail_call.py) and is
played back once so the owner hears what callers will; # straight after the beep goes
back to the standard greeting. Then goodbye, and the box hangs up.
"""

from __future__ import annotations

from collections.abc import Callable

from firmware.clock import Clock
from firmware.log import get_logger
from firmware.media.prompts import PromptLibrary
from firmware.pbx.media import CallMedia
from firmware.pbx.recorded_call import RecordedCall
from firmware.pbx.voicemail import GREETING_SECONDS, Voicemail, VoicemailError

log = get_logger("pbx.voicemail")


class GreetingCall(RecordedCall):
    def __init__(self, call_id: str, mailbox: str, media: CallMedia, store: Voicemail,
                 prompts: PromptLibrary | None, clock: Clock, hang_up: Callable[[], None],
                 language: str = "en") -> None:
        super().__init__(call_id, media, clock, GREETING_SECONDS, hang_up)
        self.mailbox, self.store, self.prompts, self.language = mailbox, store, prompts, language
        self.kept: bool | None = None  # after the recording: own greeting or standard

    def start(self) -> None:
        self._say_then_record(self._prompt("greeting-record"))

    def _keep(self, pcm: bytes) -> None:
        try:
            self.kept = self.store.save_greeting(self.mailbox, pcm)
        except (VoicemailError, OSError) as e:
            log.error("greeting_not_kept", mailbox=self.mailbox, error=str(e))
            return
        log.info("greeting_recorded" if self.kept else "greeting_standard",
                 mailbox=self.mailbox, seconds=round(len(pcm) / 16000, 2))

    def _closing(self) -> bytes | None:
        """The new greeting played back, then goodbye."""
        own = self.store.greeting(self.mailbox) if self.kept else None
        return (own or b"") + (self._prompt("goodbye") or b"") or None

    def _prompt(self, name: str) -> bytes | None:
        return self.prompts.get(name, self.language) if self.prompts else None
