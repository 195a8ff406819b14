"""Calls the box answers itself, as a mixin of the Switch: voicemail for now (an
extension forwarding to "voicemail", or a route to "voicemail:21").

The switch answers the caller's leg and hands the call to the application, which talks
to the caller through ``media`` (the daemon's media bridge) and ends by hanging up;
when the caller hangs up first the switch tells it before the call's media go away.
Without media or a mailbox the target cannot answer, and the call goes on as if it
were busy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.media.prompts import PromptLibrary
from firmware.pbx.config import Extension
from firmware.pbx.legs import CallState, PbxCall, PbxError, Role
from firmware.pbx.media import CallMedia
from firmware.pbx.voicemail import Mailbox, Voicemail, VoiceMessage
from firmware.pbx.voicemail_call import VoicemailCall

if TYPE_CHECKING:
    from firmware.pbx.switch import Switch

log = get_logger("pbx")

# the office's language for its prompts, by the box's country
LANGUAGE = {"DE": "de", "AT": "de", "CH": "de", "CZ": "cs", "PL": "pl", "RU": "ru"}


class Applications:
    media: CallMedia | None = None
    voicemail: Voicemail | None = None
    prompts: PromptLibrary | None = None
    company: str = ""

    def _to_voicemail(self: Switch, call: PbxCall, ext: Extension) -> bool:
        """Answer ``call``'s caller for ``ext``'s mailbox; False when it cannot be."""
        a = call.a
        if self.media is None or self.voicemail is None or not ext.voicemail \
                or a is None or a.role is not Role.CALLER or a.released:
            log.info("voicemail_unavailable", call=call.id, extension=ext.number,
                     media=self.media is not None, mailbox=ext.voicemail)
            self._note_failure(call, CauseValue.USER_BUSY)
            return False
        call.cancel_timers()
        call.pending.clear()
        for leg in call.b:
            if not leg.clearing:
                self._drop(leg, CauseValue.NON_SELECTED_USER_CLEARING)
        call.state, call.answered_at = CallState.CONNECTED, self.clock.wall()
        call.dst = f"voicemail:{ext.number}"
        a.answered = True
        self._safely(a.line.answer, a.call_id)
        box = Mailbox(ext.number, email=ext.voicemail_email,
                      max_seconds=ext.voicemail_seconds)
        call.app = VoicemailCall(
            call.id, call.src, box, self.media, self.voicemail, self.prompts, self.clock,
            hang_up=lambda: self._app_hangs_up(call),
            kept=lambda message: self._voicemail_kept(call, message),
            language=LANGUAGE.get(self.config.country, "en"), company=self.company)
        log.info("voicemail", call=call.id, mailbox=ext.number, caller=call.src)
        self._publish(call, "voicemail", mailbox=ext.number)
        call.app.start()
        return True

    def _app_caller_gone(self: Switch, call: PbxCall) -> None:
        app, call.app = call.app, None
        if app is not None:
            app.caller_gone()

    def _app_hangs_up(self: Switch, call: PbxCall) -> None:
        try:
            self.hangup(call.id)
        except PbxError:
            pass  # the caller was quicker

    def _voicemail_kept(self: Switch, call: PbxCall, message: VoiceMessage) -> None:
        if self.events is not None and self.voicemail is not None:
            self.events.publish("pbx.voicemail", mailbox=message.mailbox, id=message.id,
                                caller=message.caller, seconds=message.seconds,
                                waiting=self.voicemail.waiting(message.mailbox))
