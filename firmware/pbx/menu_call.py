"""A caller in an IVR menu (auto-attendant): the box has answered; the caller hears
the menu (the office's recording custom/LANG/ivr-NAME.wav, else its text spoken,
else a beep) and presses a key. A listed key sends the call on to its target; a wrong
key hears "not a valid choice" and the menu again; silence hears it again; after the
retries the call goes to the timeout target, or hears goodbye and is cleared.
"""

from __future__ import annotations

from collections.abc import Callable

from firmware.clock import Clock, TimerHandle
from firmware.media.prompts import PromptLibrary
from firmware.pbx.config import Menu
from firmware.pbx.media import CallMedia

CALLER = "a"
BEEP_SECONDS = 0.4
BEEP_TONE = "call_waiting"


class MenuCall:
    def __init__(self, call_id: str, menu: Menu, media: CallMedia,
                 prompts: PromptLibrary | None, clock: Clock,
                 route: Callable[[str], None], hang_up: Callable[[], None],
                 language: str = "en") -> None:
        self.call_id, self.menu, self.media = call_id, menu, media
        self.prompts, self.clock, self.language = prompts, clock, language
        self._route, self._hang_up = route, hang_up
        self._said = 0
        self._timer: TimerHandle | None = None
        self.done = False

    def start(self) -> None:
        self.media.on_digit(self.call_id, CALLER, self._key)
        self._say_menu()

    def caller_gone(self) -> None:
        self._finish()

    # what the caller hears and does --------------------------------------------------
    def _say_menu(self, before: bytes | None = None) -> None:
        self._said += 1
        menu = self._menu_audio()
        if menu is None:  # no speech: a beep asks for a key
            self.media.play_tone(self.call_id, CALLER, BEEP_TONE)
            self._after(BEEP_SECONDS, lambda: self.media.stop_playing(self.call_id, CALLER),
                        then_wait=self.menu.timeout_seconds)
            return
        audio = (before or b"") + menu
        self.media.play_prompt(self.call_id, CALLER, audio)
        self._after(len(audio) / 16000 + self.menu.timeout_seconds, self._silence)

    def _key(self, digit: str) -> None:
        if self.done:
            return
        target = self.menu.options.get(digit)
        if target is not None:
            self._finish()
            self.media.stop_playing(self.call_id, CALLER)
            self._route(target)
        elif self._said <= self.menu.retries:
            invalid = self.prompts.get("invalid-choice", self.language) if self.prompts \
                else None
            self._say_menu(before=invalid)
        else:
            self._give_up()

    def _silence(self) -> None:
        if self._said <= self.menu.retries:
            self._say_menu()
        else:
            self._give_up()

    def _give_up(self) -> None:
        self._finish()
        if self.menu.timeout_target:
            self.media.stop_playing(self.call_id, CALLER)
            self._route(self.menu.timeout_target)
            return
        goodbye = self.prompts.get("goodbye", self.language) if self.prompts else None
        if goodbye:
            self.media.play_prompt(self.call_id, CALLER, goodbye)
        self.clock.call_later(len(goodbye or b"") / 16000 + 0.2, self._hang_up)

    # helpers ---------------------------------------------------------------------------
    def _menu_audio(self) -> bytes | None:
        if self.prompts is None:
            return None
        own = self.prompts.get(f"ivr-{self.menu.name}", self.language)
        return own or self.prompts.said(self.menu.text, self.language)

    def _after(self, seconds: float, action: Callable[[], None],
               then_wait: float | None = None) -> None:
        if self._timer is not None:
            self._timer.cancel()

        def run() -> None:
            action()
            if then_wait is not None:
                self._timer = self.clock.call_later(then_wait, self._silence)

        self._timer = self.clock.call_later(seconds, run)

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.media.on_digit(self.call_id, CALLER, None)
