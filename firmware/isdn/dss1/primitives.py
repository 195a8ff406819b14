"""What call control hands back (sans-I/O outputs) and what it tells the layer above.

The indications are Q.931's primitives between call control and its user (Q.931
figure 5-1 / table 4), e.g. SETUP-IND for an offered call, SETUP-CONF when our call is
answered, RELEASE-IND when a call is gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from firmware.isdn.lapd.primitives import StartTimer, StopTimer
from firmware.isdn.q931.messages import Message


class Ind(Enum):
    # Members are singletons, so identity hashing is exact; Enum's own __hash__ is a
    # Python function that hashes the name, and these are dict keys on every frame.
    __hash__ = object.__hash__

    SETUP_IND = "SETUP-IND"                    # a call is offered to us
    MORE_INFO_IND = "MORE-INFO-IND"            # peer sent SETUP ACK: send more digits
    PROCEEDING_IND = "PROCEEDING-IND"
    ALERTING_IND = "ALERTING-IND"
    SETUP_CONF = "SETUP-CONF"                  # our call was answered
    SETUP_COMPLETE_IND = "SETUP-COMPLETE-IND"  # our answer was acknowledged
    INFO_IND = "INFO-IND"                      # digits (overlap or keypad)
    PROGRESS_IND = "PROGRESS-IND"
    NOTIFY_IND = "NOTIFY-IND"
    HOLD_IND = "HOLD-IND"                      # the terminal asks to hold (network side)
    HOLD_ACK_IND = "HOLD-ACK-IND"              # our HOLD was acknowledged (user side)
    HOLD_REJECT_IND = "HOLD-REJECT-IND"
    RETRIEVE_IND = "RETRIEVE-IND"              # the terminal wants the held call back
    RETRIEVE_ACK_IND = "RETRIEVE-ACK-IND"
    RETRIEVE_REJECT_IND = "RETRIEVE-REJECT-IND"
    FACILITY_IND = "FACILITY-IND"              # ROSE components (q931/rose.py)
    DISCONNECT_IND = "DISCONNECT-IND"          # clearing started (by the peer or a timer)
    RELEASE_IND = "RELEASE-IND"                # the call is gone; its channel is free
    RESTART_IND = "RESTART-IND"


@dataclass(slots=True)
class CallEvent:
    ind: Ind
    call: int
    cause: int | None = None
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SendMessage:
    """Send on the data link of `tei`; `broadcast` means a UI frame to every terminal."""

    message: Message
    tei: int | None
    broadcast: bool = False


@dataclass(slots=True)
class EstablishLink:
    """Call control wants the data link of `tei` up (after a failure, under T309)."""

    tei: int | None


Out = SendMessage | StartTimer | StopTimer | CallEvent | EstablishLink

__all__ = ["CallEvent", "EstablishLink", "Ind", "Out", "SendMessage", "StartTimer",
           "StopTimer"]
