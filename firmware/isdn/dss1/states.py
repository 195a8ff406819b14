"""Call states, numbered as Q.931 2.1 (user side, Ux) and 2.2 (network side, Nx) do.

Both sides share the numbers and most of the names; the call state IE carries the
number, so one enum serves both and `label()` adds the U/N prefix for people.
"""

from __future__ import annotations

from enum import IntEnum


class CallState(IntEnum):
    NULL = 0
    CALL_INITIATED = 1
    OVERLAP_SENDING = 2
    OUTGOING_CALL_PROCEEDING = 3
    CALL_DELIVERED = 4
    CALL_PRESENT = 6
    CALL_RECEIVED = 7
    CONNECT_REQUEST = 8
    INCOMING_CALL_PROCEEDING = 9
    ACTIVE = 10
    DISCONNECT_REQUEST = 11
    DISCONNECT_INDICATION = 12
    SUSPEND_REQUEST = 15
    RESUME_REQUEST = 17
    RELEASE_REQUEST = 19
    CALL_ABORT = 22  # network side, point-to-multipoint only
    OVERLAP_RECEIVING = 25

    def label(self, network_side: bool) -> str:
        return f"{'N' if network_side else 'U'}{self.value} {self.name}"


# Clearing is under way: a new DISCONNECT or a request from above changes nothing.
CLEARING = frozenset({CallState.DISCONNECT_REQUEST, CallState.DISCONNECT_INDICATION,
                      CallState.RELEASE_REQUEST, CallState.CALL_ABORT})
# Stable states: calls in these survive a data-link failure under T309 (Q.931 5.8.9).
STABLE = frozenset({CallState.ACTIVE})
