"""Calls the box answers itself, as a mixin of the Switch: voicemail (an extension
forwarding to "voicemail", or a route to "voicemail:21"), an extension listening to its
own mailbox (the ``mailbox`` code) or recording its greeting (``greeting``), IVR
menus ("ivr:NAME"), and a caller asking to be called back ("callback:LINK").

The switch answers the caller's leg and hands the call to the application, which talks
to the caller through ``media`` (the daemon's media bridge) and ends by hanging up;
when the caller hangs up first the switch tells it before the call's media go away.
Without media or a mailbox the target cannot answer, and the call goes on as if it
were busy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.media.prompts import PromptLibrary
from firmware.pbx.announcement_call import AnnouncementCall
from firmware.pbx.config import Extension, Menu
from firmware.pbx.greeting_call import GreetingCall
from firmware.pbx.legs import CallState, PbxCall, PbxError, Role
from firmware.pbx.mailbox_call import MailboxCall
from firmware.pbx.media import CallMedia
from firmware.pbx.menu_call import MenuCall
from firmware.pbx.voicemail import Mailbox, Voicemail, VoiceMessage
from firmware.pbx.voicemail_call import VoicemailCall

if TYPE_CHECKING:
    from firmware.pbx.switch import Switch

log = get_logger("pbx")

CALLER_LEG = "a"
# the office's language for its prompts, by the box's country
LANGUAGE = {"DE": "de", "AT": "de", "CH": "de", "CZ": "cs", "PL": "pl", "RU": "ru"}


class Applications:
    media: CallMedia | None = None
    voicemail: Voicemail | None = None
    prompts: PromptLibrary | None = None
    company: str = ""
    # the callback service's door for callers: (link, number, MSN, language) -> queued?
    file_callback: Callable[[str, str, str, str], bool] | None = None

    def _to_voicemail(self: Switch, call: PbxCall, ext: Extension) -> bool:
        """Answer ``call``'s caller for ``ext``'s mailbox; False when it cannot be."""
        if self.voicemail is None or not ext.voicemail or not self._box_may_answer(call):
            log.info("voicemail_unavailable", call=call.id, extension=ext.number,
                     media=self.media is not None, mailbox=ext.voicemail)
            self._note_failure(call, CauseValue.USER_BUSY)
            return False
        self._box_answers(call, f"voicemail:{ext.number}")
        box = Mailbox(ext.number, email=ext.voicemail_email,
                      max_seconds=ext.voicemail_seconds)
        call.app = VoicemailCall(
            call.id, call.src, box, self.media, self.voicemail, self.prompts, self.clock,
            hang_up=lambda: self._app_hangs_up(call),
            kept=lambda message: self._voicemail_kept(call, message),
            language=self._language(), company=self.company)
        log.info("voicemail", call=call.id, mailbox=ext.number, caller=call.src)
        self._publish(call, "voicemail", mailbox=ext.number)
        call.app.start()
        return True

    def _to_own_mailbox(self: Switch, call: PbxCall, ext: Extension) -> None:
        """The extension dialled the mailbox code: the box answers with its messages."""
        if self.voicemail is None or not ext.voicemail or not self._box_may_answer(call):
            self._no_feature(call, f"extension {ext.number} has no mailbox to listen to")
            return
        self._box_answers(call, f"mailbox:{ext.number}")
        call.app = MailboxCall(call.id, ext.number, self.media, self.voicemail, self.prompts,
                               self.clock, hang_up=lambda: self._app_hangs_up(call),
                               language=self._language())
        log.info("mailbox_listen", call=call.id, mailbox=ext.number)
        self._publish(call, "mailbox", mailbox=ext.number)
        call.app.start()

    def _to_own_greeting(self: Switch, call: PbxCall, ext: Extension) -> None:
        """The extension dialled the greeting code: the box answers and records it."""
        if self.voicemail is None or not ext.voicemail or not self._box_may_answer(call):
            self._no_feature(call, f"extension {ext.number} has no mailbox to greet for")
            return
        self._box_answers(call, f"greeting:{ext.number}")
        call.app = GreetingCall(call.id, ext.number, self.media, self.voicemail,
                                self.prompts, self.clock,
                                hang_up=lambda: self._app_hangs_up(call),
                                language=self._language())
        log.info("greeting_record", call=call.id, mailbox=ext.number)
        self._publish(call, "greeting", mailbox=ext.number)
        call.app.start()

    def _to_callback(self: Switch, call: PbxCall, link: str) -> bool:
        """A route to "callback:LINK": the caller's presented number is queued on that
        link as if they had filled in the web form; the box says so, or why not, and
        hangs up. Without media the call is cleared unanswered (free for the caller)
        and the request is queued all the same."""
        if self.file_callback is None:
            log.info("callback_unavailable", call=call.id, link=link)
            self._note_failure(call, CauseValue.NO_ROUTE_TO_DESTINATION)
            return False
        if not call.src:
            outcome = "callback-withheld"
        elif self.file_callback(link, call.src, call.msn, self._language()):
            outcome = "callback-queued"
        else:
            outcome = "callback-refused"
        log.info("callback_by_phone", call=call.id, link=link, caller=call.src,
                 outcome=outcome)
        self._publish(call, "callback", link=link, outcome=outcome.removeprefix("callback-"))
        if not self._box_may_answer(call):
            cause = CauseValue.NORMAL_CALL_CLEARING if outcome == "callback-queued" \
                else CauseValue.CALL_REJECTED
            self._refuse(call, cause, outcome)
            return True
        self._box_answers(call, f"callback:{link}")
        words = self.prompts.get(outcome, self._language()) if self.prompts else None
        call.app = AnnouncementCall(call.id, words, self.media, self.clock,
                                    hang_up=lambda: self._app_hangs_up(call))
        call.app.start()
        return True

    def _to_menu(self: Switch, call: PbxCall, menu: Menu) -> bool:
        """Answer ``call``'s caller with an IVR menu; False when it cannot be."""
        if not self._box_may_answer(call):
            log.info("menu_unavailable", call=call.id, menu=menu.name)
            self._note_failure(call, CauseValue.RESOURCE_UNAVAILABLE)
            return False
        self._box_answers(call, f"ivr:{menu.name}")
        call.app = MenuCall(call.id, menu, self.media, self.prompts, self.clock,
                            route=lambda target: self._menu_chose(call, target),
                            hang_up=lambda: self._app_hangs_up(call),
                            language=self._language())
        log.info("menu", call=call.id, menu=menu.name, caller=call.src)
        self._publish(call, "menu", menu=menu.name)
        call.app.start()
        return True

    def _menu_chose(self: Switch, call: PbxCall, target: str) -> None:
        """The caller's key (or the menu's timeout) sends the call on; they hear
        ringback until the target answers (the switch stops it then)."""
        call.app = None
        log.info("menu_choice", call=call.id, target=target)
        self._publish(call, "menu-choice", target=target)
        if self.media is not None:
            self.media.play_tone(call.id, CALLER_LEG, "ringback")
        self._ring_target(call, target, None)

    def _box_may_answer(self: Switch, call: PbxCall) -> bool:
        a = call.a
        return self.media is not None and a is not None and a.role is Role.CALLER \
            and not a.released and not a.clearing

    def _box_answers(self: Switch, call: PbxCall, dst: str) -> None:
        """The box itself answers the caller: the B legs tried so far are dropped."""
        call.cancel_timers()
        call.pending.clear()
        for leg in call.b:
            if not leg.clearing:
                self._drop(leg, CauseValue.NON_SELECTED_USER_CLEARING)
        call.state, call.dst, call.box_answered = CallState.CONNECTED, dst, True
        if call.answered_at is None:
            call.answered_at = self.clock.wall()
        a = call.a
        if not a.answered:
            a.answered = True
            self._safely(a.line.answer, a.call_id)

    def _box_audio_ends(self: Switch, call: PbxCall) -> None:
        """A party answered a call the box had answered: its tones stop."""
        if call.box_answered and self.media is not None:
            self.media.stop_playing(call.id, CALLER_LEG)

    def _language(self: Switch) -> str:
        return LANGUAGE.get(self.config.country, "en")

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
