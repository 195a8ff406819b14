"""A caller leaving a message: the box has answered; the caller hears the greeting
(the mailbox's own recording, else the spoken one, else nothing), a beep, and is
recorded until they hang up, press #, or the mailbox's time runs out (recorded_call.py).
Then the message is kept (firmware/pbx/voicemail.py) and, if # ended it, the caller
hears goodbye. Prompts are read as they are on disk: speaking a missing one would stall
the event loop, so the daemon has them made beforehand.
"""

from __future__ import annotations

from collections.abc import Callable

from firmware.clock import Clock
from firmware.log import get_logger
from firmware.media.prompts import PromptLibrary
from firmware.pbx.media import CallMedia
from firmware.pbx.recorded_call import RecordedCall
from firmware.pbx.voicemail import Mailbox, Voicemail, VoicemailError, VoiceMessage

log = get_logger("pbx.voicemail")


class VoicemailCall(RecordedCall):
    def __init__(self, call_id: str, caller: str, box: Mailbox, media: CallMedia,
                 store: Voicemail, prompts: PromptLibrary | None, clock: Clock,
                 hang_up: Callable[[], None],
                 kept: Callable[[VoiceMessage], None] | None = None,
                 language: str = "en", company: str = "") -> None:
        super().__init__(call_id, media, clock, box.max_seconds, hang_up)
        self.caller, self.box, self.store, self.prompts = caller, box, store, prompts
        self._kept, self.language, self.company = kept, language, company
        self.message: VoiceMessage | None = None

    def start(self) -> None:
        self._say_then_record(self._greeting())

    def _keep(self, pcm: bytes) -> None:
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

    def _closing(self) -> bytes | None:
        return self.prompts.get("goodbye", self.language) if self.prompts else None

    def _greeting(self) -> bytes | None:
        own = self.store.greeting(self.box.number)
        if own is not None:
            return own
        if self.prompts is None:
            return None
        return self.prompts.get("voicemail-greeting", self.language)
