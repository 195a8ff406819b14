"""Caller cards (HotDesk): what staff see when they answer — earlier contacts with the
number, notes and open tickets.

Notes and tickets live in the store (table "contacts", one document per E.164 number);
earlier contacts come from the callback requests and the CDRs. Staff add notes and
tickets through the API while they talk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tinydb import Query

from firmware.clock import Clock
from firmware.store.database import Store

MAX_NOTE = 2000
MAX_TITLE = 200
TICKET_STATES = ("open", "closed")


class CardError(ValueError):
    """A note or ticket that cannot be stored; the message says why."""


class CallerCards:
    def __init__(self, store: Store, clock: Clock,
                 contacts: Callable[[str], list[dict[str, Any]]]) -> None:
        """``contacts(e164)`` lists earlier contacts (requests, calls), newest first."""
        self._table = store.table("contacts")
        self.clock = clock
        self.contacts = contacts

    def card(self, number: str) -> dict[str, Any]:
        doc = self._doc(number) or {}
        tickets = doc.get("tickets", [])
        return {"number": number, "contacts": self.contacts(number)[:20],
                "notes": doc.get("notes", [])[-20:],
                "tickets": [t for t in tickets if t["state"] == "open"],
                "closed_tickets": sum(1 for t in tickets if t["state"] != "open")}

    def add_note(self, number: str, text: str, author: str = "") -> dict[str, Any]:
        text = text.strip()
        if not text or len(text) > MAX_NOTE:
            raise CardError(f"a note needs 1 to {MAX_NOTE} characters")
        note = {"time": self.clock.wall(), "author": author[:80], "text": text}
        self._update(number, lambda doc: doc.setdefault("notes", []).append(note))
        return note

    def add_ticket(self, number: str, title: str, author: str = "") -> dict[str, Any]:
        title = title.strip()
        if not title or len(title) > MAX_TITLE:
            raise CardError(f"a ticket needs a title of 1 to {MAX_TITLE} characters")
        ticket: dict[str, Any] = {}

        def add(doc: dict[str, Any]) -> None:
            tickets = doc.setdefault("tickets", [])
            ticket.update(id=len(tickets) + 1, time=self.clock.wall(), author=author[:80],
                          title=title, state="open")
            tickets.append(ticket)
        self._update(number, add)
        return ticket

    def set_ticket(self, number: str, ticket_id: int, state: str) -> dict[str, Any]:
        if state not in TICKET_STATES:
            raise CardError(f"a ticket is {' or '.join(TICKET_STATES)}")
        doc = self._doc(number) or {}
        if not any(t["id"] == ticket_id for t in doc.get("tickets", [])):
            raise CardError(f"no ticket {ticket_id} for {number}")

        def change(doc: dict[str, Any]) -> None:
            for t in doc["tickets"]:
                if t["id"] == ticket_id:
                    t["state"] = state
        self._update(number, change)
        return next(t for t in self._doc(number)["tickets"] if t["id"] == ticket_id)

    def _doc(self, number: str) -> dict[str, Any] | None:
        return self._table.get(Query().number == number)

    def _update(self, number: str, change: Callable[[dict[str, Any]], None]) -> None:
        if not number.startswith("+") or not number[1:].isdigit():
            raise CardError("a caller card is kept per number in +CC form")
        doc = dict(self._doc(number) or {"number": number})
        change(doc)
        if self._doc(number) is None:
            self._table.insert(doc)
        else:
            self._table.update(doc, Query().number == number)
