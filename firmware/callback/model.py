"""A callback request and the states it moves through.

    queued ─► ringing-staff ─► staff-answered ─► ringing-visitor ─► connected ─► done
       ▲            │                                  │
       └────────────┴──── staff busy / visitor retry ──┘      (any) ─► failed | cancelled

"rescheduled" is not a state of its own: a rescheduled request is queued with a new due
time, and its history says so.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class State(enum.StrEnum):
    QUEUED = "queued"
    RINGING_STAFF = "ringing-staff"
    STAFF_ANSWERED = "staff-answered"
    RINGING_VISITOR = "ringing-visitor"
    CONNECTED = "connected"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL = frozenset({State.DONE, State.FAILED, State.CANCELLED})
# In these the visitor's phone may have rung: after a restart they are never dialled again.
VISITOR_DIALLED = frozenset({State.RINGING_VISITOR, State.CONNECTED})


@dataclass
class CallbackRequest:
    id: str
    link: str
    number: str  # E.164, validated
    dial: str  # digits for the trunk (no line access), derived from number
    region: str
    created: float  # wall clock (UTC epoch)
    due: float  # when to start (again)
    state: State = State.QUEUED
    name: str = ""
    email: str = ""
    note: str = ""
    consent: bool = False
    page_url: str = ""
    page_title: str = ""
    referrer: str = ""
    language: str = "en"
    ip: str = ""
    cookie: str = ""
    staff_attempts: int = 0
    visitor_attempts: int = 0
    staff: str = ""  # who answered last (number)
    reason: str = ""  # why it failed or why it waits ("staff busy", "office closed")
    answered_at: float | None = None
    ended_at: float | None = None
    history: list[tuple[float, str, str]] = field(default_factory=list)

    @property
    def final(self) -> bool:
        return self.state in FINAL

    def move(self, state: State, when: float, detail: str = "") -> None:
        self.state = state
        self.history.append((when, str(state), detail))

    def to_doc(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["state"] = str(self.state)
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> CallbackRequest:
        known = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        known["state"] = State(known.get("state", "queued"))
        known["history"] = [tuple(h) for h in known.get("history", [])]
        return cls(**known)

    def public(self) -> dict[str, Any]:
        """What the visitor's status view may see (no IP, cookie or staff numbers)."""
        return {"id": self.id, "state": str(self.state), "due": self.due,
                "reason": self.reason, "number": self.number, "name": self.name}
