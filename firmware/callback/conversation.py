"""What a callback says on the line: the whisper to the staff member who answered
("callback for Jana from Prices; press 1 to accept, 2 to decline") and the introduction
to the visitor ("Acme is calling you back as you asked; press 1 to be connected").

Speech is made off the event loop (``offload``), then the question is asked on the
leg. If the call ends while the speech is being made, nothing is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from firmware.callback.model import CallbackRequest
from firmware.callback.question import Answer, Question, Wording
from firmware.callback.settings import Link
from firmware.clock import Clock
from firmware.media.prompts import LANGUAGES, PromptLibrary
from firmware.pbx.media import CallMedia

# Runs work() somewhere it may block, then done(result) back on the event loop.
Offload = Callable[[Callable[[], Any], Callable[[Any], None]], None]

STAFF_LEG, VISITOR_LEG = "a", "b"  # originate rings staff first (leg a), then the visitor

# the office's language for the staff whisper, by the box's country
OFFICE_LANGUAGE = {"DE": "de", "AT": "de", "CH": "de", "CZ": "cs", "PL": "pl", "RU": "ru"}


def inline(work: Callable[[], Any], done: Callable[[Any], None]) -> None:
    """An ``Offload`` that does the work at once: for tests on a virtual clock."""
    done(work())


class Conversation:
    def __init__(self, media: CallMedia, prompts: PromptLibrary, clock: Clock,
                 offload: Offload = inline, country: str | Callable[[], str] = "DE") -> None:
        self.media, self.prompts, self.clock = media, prompts, clock
        self.offload = offload
        # a callable follows the PBX settings: the setup may change the country live
        self._country = country if callable(country) else (lambda: country)
        self._asking: dict[str, Question | None] = {}  # call id -> its question (None: speaking)

    @property
    def office_language(self) -> str:
        return OFFICE_LANGUAGE.get(self._country().upper(), "en")

    def ask_staff(self, call_id: str, req: CallbackRequest,
                  done: Callable[[Answer], None]) -> None:
        lang = self.office_language
        name = req.name or req.number
        page = _where_from(req)

        def speak() -> bytes | None:
            whisper = self.prompts.render("staff-whisper", lang, name=name, page=page)
            accept = self.prompts.get("staff-accept", lang, make=True)
            return whisper + accept if whisper and accept else accept

        self._ask(call_id, STAFF_LEG, speak, Wording(None, yes="1", no="2"), done)

    def ask_visitor(self, call_id: str, req: CallbackRequest, link: Link,
                    done: Callable[[Answer], None]) -> None:
        lang = req.language if req.language in LANGUAGES else "en"

        def speak() -> bytes | None:
            return self.prompts.render("visitor-intro", lang, company=link.company)

        # A machine that answers never presses 1: no key means not reached.
        self._ask(call_id, VISITOR_LEG, speak, Wording(None, yes="1", no=None), done)

    def ended(self, call_id: str) -> None:
        """The call is over: drop its question, if any, without an answer."""
        question = self._asking.pop(call_id, None)
        if question is not None:
            question.cancel()

    def _ask(self, call_id: str, leg: str, speak: Callable[[], bytes | None],
             wording: Wording, done: Callable[[Answer], None]) -> None:
        self._asking[call_id] = None

        def answered(answer: Answer, digit: str) -> None:
            self._asking.pop(call_id, None)
            if answer is not Answer.GONE:
                done(answer)

        def spoken(pcm: bytes | None) -> None:
            if call_id not in self._asking:
                return  # hung up while the speech was being made
            question = Question(self.media, self.clock, call_id, leg,
                                Wording(pcm, wording.yes, wording.no), answered)
            self._asking[call_id] = question
            question.ask()

        self.offload(speak, spoken)


def _where_from(req: CallbackRequest) -> str:
    """What the whisper names as the request's origin: the page, or for a request asked
    by phone (referrer "tel:MSN") the number the caller dialled."""
    if req.referrer.startswith("tel:") and not req.page_url:
        return req.referrer.removeprefix("tel:")
    return req.page_title or _host(req.page_url) or "the website"


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""
