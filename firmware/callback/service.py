"""The web callback service: staff first, then the visitor.

A request is validated (visitor.py), passed by the guard (guard.py), recorded durably
(journal.py) and queued. When it is due and someone is on duty (profiles.py), the switch
originates: the slot's numbers ring in order; whoever answers hears who the callback is
for, then the visitor is dialled and joined. Staff busy: the request keeps its place and
is tried again shortly. Visitor busy or not answering: retried by the link's policy,
then reported. Outside working hours: queued for the next slot, and the visitor's status
says when.

Restart rule: requests queued or ringing staff resume; a request whose visitor may
already have rung (ringing-visitor, connected) is never dialled again — it is closed as
failed with that reason, and staff are told so a person can follow up.
"""

from __future__ import annotations

import calendar
import itertools
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from firmware.callback.cards import CallerCards
from firmware.callback.conversation import Conversation
from firmware.callback.guard import AbuseGuard, Refusal
from firmware.callback.journal import RequestJournal
from firmware.callback.model import VISITOR_DIALLED, CallbackRequest, State
from firmware.callback.prepaid import PrepaidAccounts, PrepaidError
from firmware.callback.question import Answer
from firmware.callback.settings import CallbackSettings, Link
from firmware.callback.visitor import NumberRejected, parse_visitor_number, region_of
from firmware.clock import Clock, TimerHandle
from firmware.events import EventBus
from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.pbx.config import Extension, Group
from firmware.pbx.legs import OriginateHooks, PbxCall
from firmware.pbx.switch import PbxError, Switch

log = get_logger("callback")

PREPAID_WARNING = 60  # seconds before a prepaid call's end: the visitor hears a tone
WARNING_TONE_SECONDS = 1.0
VISITOR_LEG = "b"

WHEN_CHOICES = ("now", "2m", "5m")
MAX_AHEAD_DAYS = 14
DEFAULT_HANDLING = 120.0  # seconds per callback until real ones were measured
_TEXT_LIMITS = {"name": 80, "email": 120, "note": 500, "page_url": 500, "page_title": 200,
                "referrer": 500, "language": 8, "cookie": 64, "ip": 64}


class RequestRejected(ValueError):
    """The form cannot be accepted; ``field`` says which input is wrong, ``reason`` (if
    any) is a word the widget translates."""

    def __init__(self, field: str, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.reason = reason or ("when" if field == "when" else "")


@dataclass
class Notice:
    """A missed contact to report: to the visitor (email) or to staff (email, SMS)."""

    kind: str  # "visitor-unreachable", "interrupted", "no-duty"
    request: CallbackRequest
    link: Link
    text: str


class CallbackService:
    def __init__(self, switch: Switch, clock: Clock, journal: RequestJournal,
                 settings: CallbackSettings, *, events: EventBus | None = None,
                 notify: Callable[[Notice], None] | None = None,
                 cards: CallerCards | None = None) -> None:
        self.switch = switch
        self.clock = clock
        self.journal = journal
        self.settings = settings
        self.events = events
        self.notify = notify
        self.cards = cards
        self.guard = AbuseGuard(clock)
        self.requests: dict[str, CallbackRequest] = {}
        self._timers: dict[str, TimerHandle] = {}
        self._in_progress: dict[str, set[str]] = {}  # link -> request ids with a call
        self._handling: deque[float] = deque(maxlen=20)  # recent handling times
        self._ids = itertools.count(1)
        self.started = False
        # The spoken questions (whisper, introduction) need the media engine; without
        # it staff accept by answering and the visitor is joined on answer.
        self.conversation: Conversation | None = None
        self._loaded: set[str] = set()
        self.prepaid: PrepaidAccounts | None = None  # the daemon's accounts (store)
        self._talk_limits: dict[str, list[TimerHandle]] = {}
        self._declined: dict[str, set[str]] = {}  # request -> staff who declined it
        self._why: dict[str, str] = {}  # request -> how its call was ended by a question
        switch.file_callback = self.file_by_phone  # routes to "callback:LINK"

    @property
    def country(self) -> str:
        return self.switch.config.country

    # lifecycle ----------------------------------------------------------------------
    def start(self) -> None:
        self.load()
        self.resume()

    def load(self) -> None:
        """Read the journal: requests are visible, and new ones can be filed."""
        self.requests = self.journal.load()
        self._loaded = set(self.requests)  # what resume() takes up; later ones run already
        numbers = [int(r.id.removeprefix("cb")) for r in self.requests.values()
                   if r.id.removeprefix("cb").isdigit()]
        self._ids = itertools.count(max(numbers, default=0) + 1)
        self.started = True

    def resume(self) -> None:
        """Take up the pending requests: nothing lost, no visitor dialled twice."""
        now = self.clock.wall()
        for req in [self.requests[i] for i in sorted(self._loaded) if i in self.requests]:
            if req.final or req.id in self._timers:
                continue
            if req.state in VISITOR_DIALLED:
                self._fail(req, "interrupted by a restart after the visitor was dialled")
                continue
            if req.state is not State.QUEUED:
                req.move(State.QUEUED, now, "resumed after a restart")
                self.journal.record(req)
            self._schedule(req)
        self.journal.compact(self.requests)
        log.info("callbacks_resumed", pending=sum(not r.final for r in self.requests.values()))

    def reconfigure(self, settings: CallbackSettings) -> None:
        self.settings = settings

    def close(self) -> None:
        for handle in self._timers.values():
            handle.cancel()
        self.journal.close()

    # requests from the widget or the API ---------------------------------------------
    def file(self, link_id: str, form: dict[str, Any]) -> CallbackRequest:
        """Validate and accept a request; RequestRejected or Refusal when not."""
        if not self.started:
            raise Refusal("starting", "the callback service is starting; please try again "
                                      "in a few seconds", 5)
        link = self.settings.link(link_id)
        if link is None:
            raise RequestRejected("link", f"no callback link {link_id!r}")
        text = {k: str(form.get(k, "") or "")[:limit] for k, limit in _TEXT_LIMITS.items()}
        if not form.get("consent", True):
            raise RequestRejected("consent", "please agree to be called back")
        try:
            number = parse_visitor_number(str(form.get("number", "")),
                                          str(form.get("country", "") or self.country),
                                          self.country, link.allowed_regions)
        except NumberRejected as e:
            raise RequestRejected("number", str(e), e.reason) from None
        if link.prepaid:
            if self.prepaid is None:
                raise RequestRejected("link", "prepaid accounts are not available")
            try:
                self.prepaid.check(number.e164, str(form.get("pin", "") or ""))
            except PrepaidError as e:
                raise RequestRejected(e.field, str(e)) from None
        due = self._due(str(form.get("when", "now") or "now"))
        self.guard.check(link.limits, ip=text["ip"], number=number.e164,
                         cookie=text["cookie"], in_progress=self._open_on(link.id),
                         minutes_today=self._minutes_today(link.id))
        now = self.clock.wall()
        req = CallbackRequest(id=f"cb{next(self._ids)}", link=link.id, number=number.e164,
                              dial=number.dial, region=number.region, created=now, due=due,
                              consent=bool(form.get("consent", True)),
                              language=text["language"] or "en",
                              **{k: v for k, v in text.items() if k != "language"})
        req.move(State.QUEUED, now, "filed")
        self.guard.note(ip=req.ip, number=req.number, cookie=req.cookie)
        self.requests[req.id] = req
        self.journal.record(req)
        log.info("callback_filed", id=req.id, link=link.id, due=round(due - now, 1))
        self._publish(req, "filed")
        self._schedule(req)
        return req

    def file_by_phone(self, link_id: str, caller: str, msn: str, language: str) -> bool:
        """A caller reached an MSN routed to "callback:LINK": their presented number is
        queued for now, as if they had filled in the form (the guard applies by
        number), in the office's ``language``; False, logged with the reason, when it
        cannot be."""
        try:
            self.file(link_id, {"number": caller, "when": "now", "language": language,
                                "note": f"asked by phone, calling {msn}",
                                "referrer": f"tel:{msn}"})
        except (RequestRejected, Refusal) as e:
            log.info("callback_by_phone_refused", link=link_id, number=caller, why=str(e))
            return False
        return True

    def cancel(self, request_id: str) -> CallbackRequest:
        req = self._open(request_id)
        self._unschedule(req)
        call_id = self._call_of(req)
        if call_id is not None:
            try:
                self.switch.hangup(call_id)
            except PbxError:
                pass
        req.move(State.CANCELLED, self.clock.wall(), "cancelled by the visitor")
        req.reason = "cancelled"
        self.journal.record(req)
        self._publish(req, "cancelled")
        return req

    def reschedule(self, request_id: str, when: str) -> CallbackRequest:
        req = self._open(request_id)
        if req.state is not State.QUEUED:
            raise RequestRejected("when", "the call is already under way")
        req.due = self._due(when)
        req.reason = ""
        req.move(State.QUEUED, self.clock.wall(), f"rescheduled to {when}")
        self.journal.record(req)
        self._schedule(req)
        return req

    def status(self, request_id: str) -> dict[str, Any]:
        req = self.requests.get(request_id)
        if req is None:
            raise KeyError(request_id)
        out = req.public()
        if req.state is State.QUEUED:
            position, eta = self._queue_place(req)
            out |= {"position": position, "expected": eta}
        return out

    def list(self, open_only: bool = False) -> list[dict[str, Any]]:
        return [r.to_doc() | ({"position": self._queue_place(r)[0]}
                              if r.state is State.QUEUED else {})
                for r in self.requests.values() if not (open_only and r.final)]

    # scheduling ----------------------------------------------------------------------
    def _schedule(self, req: CallbackRequest) -> None:
        self._unschedule(req)
        delay = max(0.0, req.due - self.clock.wall())
        self._timers[req.id] = self.clock.call_later(delay, self._due_now, req.id)

    def _unschedule(self, req: CallbackRequest) -> None:
        handle = self._timers.pop(req.id, None)
        if handle is not None:
            handle.cancel()

    def _due_now(self, request_id: str) -> None:
        self._timers.pop(request_id, None)
        req = self.requests.get(request_id)
        if req is not None and req.state is State.QUEUED:
            self._dispatch(req.link)

    def _dispatch(self, link_id: str) -> None:
        """Start as many due requests of a link as its staff can take, oldest first."""
        link = self.settings.link(link_id)
        if link is None:
            return
        profile = self.settings.profile(link.profile)
        now = self.clock.wall()
        waiting = sorted((r for r in self.requests.values() if r.link == link_id
                          and r.state is State.QUEUED and r.due <= now
                          and r.id not in self._timers), key=lambda r: r.created)
        slot = profile.slot_at(datetime.fromtimestamp(now, UTC)) if profile else None
        if slot is None:
            opening = profile.next_opening(datetime.fromtimestamp(now, UTC)) if profile \
                else None
            for req in waiting:
                self._wait_for_opening(req, link, opening)
            return
        busy = self._in_progress.setdefault(link_id, set())
        room = min(self._capacity(slot.numbers, link) - len(busy),
                   self._lines_for_more(slot.numbers))
        for req in waiting[:max(0, room)]:
            self._ring_staff(req, link, slot.numbers)

    def _wait_for_opening(self, req: CallbackRequest, link: Link,
                          opening: datetime | None) -> None:
        if opening is None:
            self._fail(req, "nobody is on duty in the coming weeks")
            return
        req.due = opening.timestamp()
        req.reason = f"office closed until {opening.isoformat(timespec='minutes')}"
        self.journal.record(req)
        self._schedule(req)
        self._publish(req, "waiting-for-opening")

    def _ring_staff(self, req: CallbackRequest, link: Link, numbers: tuple[str, ...]) -> None:
        # whoever declined this request is asked last: a colleague may take it
        declined = self._declined.get(req.id, set())
        numbers = tuple(n for n in numbers if n not in declined) + \
            tuple(n for n in numbers if n in declined)
        req.staff_attempts += 1
        req.reason = ""
        req.move(State.RINGING_STAFF, self.clock.wall(), ",".join(numbers))
        self.journal.record(req)
        self._in_progress.setdefault(link.id, set()).add(req.id)
        hooks = OriginateHooks(answered=lambda call: self._staff_answered(req, call),
                               connected=lambda call: self._visitor_answered(req, call),
                               ended=lambda call: self._ended(req, link, call))
        try:
            self.switch.originate(list(numbers), self.switch.config.line_access + req.dial,
                                  linkedid=req.id, ring_seconds=link.ring_seconds,
                                  hooks=hooks,
                                  second_ring_seconds=link.visitor_ring_seconds)
        except PbxError as e:
            self._in_progress[link.id].discard(req.id)
            self._fail(req, f"cannot place the call: {e}")
            return
        self._publish(req, "ringing-staff")

    # the call's progress -------------------------------------------------------------
    def _staff_answered(self, req: CallbackRequest, call: PbxCall) -> bool:
        now = self.clock.wall()
        req.staff = call.src
        req.move(State.STAFF_ANSWERED, now, call.src)
        self._publish(req, "staff-answered", staff=call.src, card=self.card(req.number))
        link = self.settings.link(req.link)
        if self.conversation is not None and link is not None and link.whisper:
            self.journal.record(req)
            self.conversation.ask_staff(call.id, req,
                                        lambda answer: self._staff_said(req, call, answer))
            return False  # the visitor is dialled once staff press 1
        self._dial_visitor(req)
        return True

    def _staff_said(self, req: CallbackRequest, call: PbxCall, answer: Answer) -> None:
        if answer is Answer.YES:
            self._dial_visitor(req)
            try:
                self.switch.proceed_originate(call.id)
            except PbxError:
                pass  # the call ended meanwhile: _ended sorts it out
            return
        if answer is Answer.NO:
            self._declined.setdefault(req.id, set()).add(req.staff)
        self._why[req.id] = "staff declined" if answer is Answer.NO else \
            "staff did not accept"
        self._publish(req, "staff-declined" if answer is Answer.NO else "staff-silent",
                      staff=req.staff)
        self._hang_up(call)

    def _dial_visitor(self, req: CallbackRequest) -> None:
        # Write-ahead: the visitor is on record as dialled before the SETUP.
        req.move(State.RINGING_VISITOR, self.clock.wall())
        self.journal.record(req)
        self.journal.flush()

    def _visitor_answered(self, req: CallbackRequest, call: PbxCall) -> None:
        link = self.settings.link(req.link)
        if self.conversation is not None and link is not None and link.announce:
            self._publish(req, "visitor-answered")
            self.conversation.ask_visitor(
                call.id, req, link, lambda answer: self._visitor_said(req, call, answer))
            return
        self._connected(req, call)

    def _visitor_said(self, req: CallbackRequest, call: PbxCall, answer: Answer) -> None:
        if answer is Answer.YES:
            self._connected(req, call)
            return
        self._why[req.id] = "the visitor did not press 1"
        self._hang_up(call)

    def _connected(self, req: CallbackRequest, call: PbxCall) -> None:
        req.answered_at = self.clock.wall()
        req.move(State.CONNECTED, req.answered_at)
        self.journal.record(req)
        self._publish(req, "connected", staff=req.staff)
        link = self.settings.link(req.link)
        if link is not None and link.prepaid and self.prepaid is not None:
            self._limit_talk(req, call, self.prepaid.balance(req.number))

    # prepaid minutes ------------------------------------------------------------------
    def _limit_talk(self, req: CallbackRequest, call: PbxCall, seconds: int) -> None:
        """The call ends when the balance does; a tone to the visitor a minute before."""
        timers = [self.clock.call_later(seconds, self._hang_up, call)]
        if seconds > PREPAID_WARNING:
            timers.append(self.clock.call_later(seconds - PREPAID_WARNING,
                                                self._prepaid_warning, req, call))
        self._talk_limits[req.id] = timers

    def _prepaid_warning(self, req: CallbackRequest, call: PbxCall) -> None:
        self._publish(req, "prepaid-warning", seconds_left=PREPAID_WARNING)
        media = self.switch.media
        if media is not None:
            media.play_tone(call.id, VISITOR_LEG, "call_waiting")
            self.clock.call_later(WARNING_TONE_SECONDS, media.stop_playing, call.id,
                                  VISITOR_LEG)

    def _charge(self, req: CallbackRequest, call: PbxCall, link: Link) -> None:
        for timer in self._talk_limits.pop(req.id, []):
            timer.cancel()
        if link.prepaid and self.prepaid is not None and call.answered_at is not None:
            # per second, as the CDR's billsec counts the visitor's leg
            billsec = int(round(self.clock.wall() - call.answered_at))
            account = self.prepaid.charge(req.number, billsec)
            log.info("prepaid_charged", id=req.id, seconds=billsec, left=account.seconds)

    def _hang_up(self, call: PbxCall) -> None:
        try:
            self.switch.hangup(call.id)
        except PbxError:
            pass  # already gone

    def _ended(self, req: CallbackRequest, link: Link, call: PbxCall) -> None:
        self._in_progress.get(link.id, set()).discard(req.id)
        if self.conversation is not None:
            self.conversation.ended(call.id)
        asked = self._why.pop(req.id, "")
        now = self.clock.wall()
        if req.final:
            pass  # cancelled meanwhile
        elif req.state is State.CONNECTED:
            self._charge(req, call, link)
            req.ended_at = now
            req.move(State.DONE, now, f"talked {round(now - (req.answered_at or now))} s")
            rung = next((t for t, state, _ in reversed(req.history)
                         if state == State.RINGING_STAFF), now)
            self._handling.append(now - rung)
            self.journal.record(req)
            self._publish(req, "done")
        elif req.state is State.STAFF_ANSWERED and asked:
            # staff declined (a colleague is asked first next time) or stayed silent
            self._requeue(req, now + (0 if asked == "staff declined" and
                                      len(self._declined.get(req.id, ())) < 2
                                      else link.staff_retry_seconds), asked)
        elif call.stage == 1 or call.first_gone is call.a or req.state is State.STAFF_ANSWERED:
            # Nobody on duty answered, or staff hung up before the visitor did: the
            # request keeps its place (created time) and is tried again soon.
            why = "staff busy" if call.failure_cause == CauseValue.USER_BUSY else \
                "staff did not answer" if call.stage == 1 else "staff hung up"
            self._requeue(req, now + link.staff_retry_seconds, why)
        else:
            req.visitor_attempts += 1
            why = asked or _visitor_reason(call.failure_cause)
            if req.visitor_attempts <= link.visitor_retries:
                self._requeue(req, now + 60 * link.retry_minutes, why)
            else:
                self._fail(req, why)
        # next turn: the ended call's B-channels are free once the lines are done with it
        self.clock.call_later(0, self._dispatch, link.id)

    def _requeue(self, req: CallbackRequest, due: float, why: str) -> None:
        req.due, req.reason = due, why
        req.move(State.QUEUED, self.clock.wall(), why)
        self.journal.record(req)
        self._schedule(req)
        self._publish(req, "requeued", reason=why)

    def _fail(self, req: CallbackRequest, why: str) -> None:
        self._unschedule(req)
        req.reason = why
        req.move(State.FAILED, self.clock.wall(), why)
        self.journal.record(req)
        log.info("callback_failed", id=req.id, reason=why)
        self._publish(req, "failed", reason=why)
        link = self.settings.link(req.link)
        if self.notify is not None and link is not None:
            self.notify(Notice("missed", req, link, why))

    # queue facts ----------------------------------------------------------------------
    def _queue_place(self, req: CallbackRequest) -> tuple[int, float]:
        now = self.clock.wall()
        ahead = [r for r in self.requests.values() if r.link == req.link
                 and r.state is State.QUEUED and r.created < req.created]
        position = len(ahead) + 1
        link = self.settings.link(req.link)
        handling = (sorted(self._handling)[len(self._handling) // 2] if self._handling
                    else DEFAULT_HANDLING)
        capacity = 1
        profile = self.settings.profile(link.profile) if link else None
        slot = profile.slot_at(datetime.fromtimestamp(max(now, req.due), UTC)) \
            if profile else None
        if slot is not None and link is not None:
            capacity = max(1, self._capacity(slot.numbers, link))
        start = max(now, req.due)
        return position, start + math.floor((position - 1) / capacity) * handling

    def _capacity(self, numbers: tuple[str, ...], link: Link) -> int:
        """How many callbacks a slot's numbers can take at once: one per extension,
        a group's members, and the link's cap for an outside number."""
        total = 0
        for number in numbers:
            item = self.switch.config.internal(number)
            if isinstance(item, Extension):
                total += 1
            elif isinstance(item, Group):
                total += len(item.members)
            else:
                total += link.limits.max_concurrent
        return min(total, link.limits.max_concurrent)

    def _lines_for_more(self, numbers: tuple[str, ...]) -> int:
        """How many more callbacks the outside lines can carry now: each needs a
        B-channel for the visitor, and one more for staff on an outside number; callbacks
        still ringing staff will want their visitor's. Starting more would only meet
        cause 34 and churn."""
        outside_staff = any(self.switch.config.internal(n) is None for n in numbers)
        waiting = sum(1 for r in self.requests.values()
                      if r.state in (State.RINGING_STAFF, State.STAFF_ANSWERED))
        free = self.switch.outside_channels_free() - waiting
        return max(0, free // (2 if outside_staff else 1))

    def _open_on(self, link_id: str) -> int:
        return sum(1 for r in self.requests.values() if r.link == link_id and not r.final)

    def _minutes_today(self, link_id: str) -> float:
        start_of_day = self.clock.wall() // 86400 * 86400
        return sum((r.ended_at or 0) - (r.answered_at or 0) for r in self.requests.values()
                   if r.link == link_id and r.answered_at and r.ended_at
                   and r.ended_at >= start_of_day) / 60

    def card(self, number: str) -> dict[str, Any]:
        """What staff see about a caller: earlier contacts, notes, open tickets."""
        if self.cards is not None:
            return self.cards.card(number)
        return {"number": number, "contacts": self.contacts(number)[:20], "notes": [],
                "tickets": [], "closed_tickets": 0}

    def contacts(self, number: str) -> list[dict[str, Any]]:
        """Earlier contacts with an E.164 number, newest first: its callback requests
        and the calls in the CDRs (which hold numbers as the trunk saw them)."""
        found = [{"kind": "callback", "time": r.created, "id": r.id, "state": str(r.state),
                  "page_url": r.page_url, "note": r.note, "name": r.name}
                 for r in self.requests.values() if r.number == number]
        cdr = self.switch.cdr
        if cdr is not None:
            try:
                dial = parse_visitor_number(number, "", self.country,
                                            (region_of(number),)).dial
            except NumberRejected:
                dial = ""
            forms = {dial, self.switch.config.line_access + dial} - {""}
            _, rows = cdr.for_numbers(forms, limit=20)
            found += [{"kind": "call", "time": _epoch(r["start"]), "direction": r["direction"],
                       "disposition": r["disposition"], "seconds": int(r["billsec"] or 0)}
                      for r in rows]
        return sorted(found, key=lambda c: c["time"], reverse=True)

    # helpers -------------------------------------------------------------------------
    def _due(self, when: str) -> float:
        now = self.clock.wall()
        when = when.strip().lower()
        if when in ("", "now"):
            return now
        if when.endswith("m") and when[:-1].isdigit():
            minutes = int(when[:-1])
            if not 1 <= minutes <= 24 * 60:
                raise RequestRejected("when", "in 1 minute to 24 hours")
            return now + 60 * minutes
        try:
            moment = datetime.fromisoformat(when)
        except ValueError:
            raise RequestRejected("when", "now, 2m, 5m, N minutes as Nm, or a time "
                                          "like 2026-11-23T14:30+01:00") from None
        if moment.tzinfo is None:
            raise RequestRejected("when", "a time needs its UTC offset, e.g. +01:00")
        due = moment.timestamp()
        if due < now - 60 or due > now + MAX_AHEAD_DAYS * 86400:
            raise RequestRejected("when", f"a time within the next {MAX_AHEAD_DAYS} days")
        return max(due, now)

    def _open(self, request_id: str) -> CallbackRequest:
        req = self.requests.get(request_id)
        if req is None:
            raise KeyError(request_id)
        if req.final:
            raise RequestRejected("id", f"the request is already {req.state}")
        return req

    def _call_of(self, req: CallbackRequest) -> str | None:
        return next((c.id for c in self.switch.calls.values() if c.linkedid == req.id), None)

    def _publish(self, req: CallbackRequest, what: str, **extra: Any) -> None:
        if self.events is not None:
            self.events.publish(f"callback.{what}", id=req.id, link=req.link,
                                state=str(req.state), number=req.number, name=req.name,
                                page_url=req.page_url, page_title=req.page_title, **extra)


def _epoch(utc_text: str) -> float:
    """A CDR time ("YYYY-MM-DD HH:MM:SS", UTC) as seconds since the epoch."""
    return calendar.timegm(time.strptime(utc_text, "%Y-%m-%d %H:%M:%S"))


def _visitor_reason(cause: int | None) -> str:
    if cause == CauseValue.USER_BUSY:
        return "visitor busy"
    if cause in (CauseValue.NO_ANSWER, CauseValue.NO_USER_RESPONDING):
        return "visitor did not answer"
    if cause == CauseValue.CALL_REJECTED:
        return "visitor rejected the call"
    return f"visitor not reachable (cause {cause})"


__all__ = ["CallbackService", "Notice", "Refusal", "RequestRejected"]
