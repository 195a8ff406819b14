"""The daemon's event bus: call and port state changes, fanned out to subscribers.

The control API streams these to clients (`python -m firmware.ctl events`, the web
dashboard). Topics are dotted names; a subscription matches by prefix ("port"
matches "port.l1"). A short history lets a new subscriber see what just happened.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from firmware.clock import Clock
from firmware.log import get_logger

log = get_logger("events")


@dataclass(frozen=True)
class Event:
    seq: int
    time: float  # wall clock, seconds since the epoch
    topic: str
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def topic_matches(topic: str, prefixes: tuple[str, ...]) -> bool:
    return not prefixes or any(topic == p or topic.startswith(p + ".") for p in prefixes)


class Subscription:
    def __init__(self, bus: EventBus, callback: Callable[[Event], None],
                 topics: tuple[str, ...]) -> None:
        self.bus, self.callback, self.topics = bus, callback, topics

    def cancel(self) -> None:
        self.bus._subs.discard(self)


class EventBus:
    def __init__(self, clock: Clock, history: int = 256) -> None:
        self.clock = clock
        self._seq = itertools.count(1)
        self._subs: set[Subscription] = set()
        self._history: deque[Event] = deque(maxlen=history)

    def publish(self, topic: str, **data: Any) -> Event:
        event = Event(next(self._seq), self.clock.wall(), topic, data)
        self._history.append(event)
        for sub in list(self._subs):
            if topic_matches(topic, sub.topics):
                try:
                    sub.callback(event)
                except Exception:
                    # One broken subscriber must not stop the others or the publisher.
                    log.exception("subscriber_failed", topic=topic)
                    sub.cancel()
        return event

    def subscribe(self, callback: Callable[[Event], None], topics: tuple[str, ...] = (),
                  replay: int = 0) -> Subscription:
        sub = Subscription(self, callback, tuple(topics))
        if replay > 0:
            past = [e for e in self._history if topic_matches(e.topic, sub.topics)]
            for event in past[-replay:]:
                callback(event)
        self._subs.add(sub)
        return sub

    @property
    def subscriber_count(self) -> int:
        return len(self._subs)
