"""The virtual PSTN behind the simulated exchange: scripted subscribers.

Each subscriber number has a script saying what happens when the box calls it (answer
after N seconds, busy, no answer, reject, hang up after M seconds) and what the box
hears once it answers ("echo": its own audio back, "silence"). Any other number is
unallocated (cause 1), as a real exchange would say.
"""

from __future__ import annotations

from dataclasses import dataclass

from firmware.isdn.q931.causes import CauseValue


@dataclass(frozen=True)
class Subscriber:
    number: str
    name: str
    behaviour: str              # "answer", "busy", "no-answer", "reject", "congested"
    ring_seconds: float = 1.0   # alerting before answering
    hangup_after: float | None = None  # the subscriber hangs up this long after answering
    audio: str = "echo"         # what the subscriber's B-channel sends: see AUDIO
    keys: str = ""              # DTMF keys the subscriber presses after answering
    keys_after: float = 2.5     # ... this long after answering (a prompt is under way)

    @property
    def refusal(self) -> CauseValue | None:
        return {"busy": CauseValue.USER_BUSY, "reject": CauseValue.CALL_REJECTED,
                "congested": CauseValue.SWITCHING_EQUIPMENT_CONGESTION}.get(self.behaviour)


BEHAVIOURS = ("answer", "busy", "no-answer", "reject", "congested")
AUDIO = ("echo", "silence")

DIRECTORY = (
    Subscriber("0301234567", "answers after 1 s", "answer", 1.0),
    Subscriber("0307654321", "answers after 3 s, hangs up after 10 s", "answer", 3.0, 10.0),
    Subscriber("0309999999", "always busy", "busy"),
    Subscriber("0305555555", "never answers", "no-answer"),
    Subscriber("0304444444", "rejects the call", "reject"),
    Subscriber("0301230001", "answers after 1 s and presses 1 (a visitor confirming a "
               "callback)", "answer", 1.0, keys="1"),
)


class Pstn:
    def __init__(self, subscribers: tuple[Subscriber, ...] = DIRECTORY) -> None:
        self.subscribers = {s.number: s for s in subscribers}

    def lookup(self, number: str) -> Subscriber | None:
        return self.subscribers.get(number)
