"""What a LAPD core hands back to whoever drives it (sans-I/O outputs).

A core never sends, sleeps or reads the clock: each call returns a list of these and
the driver carries them out (sends the frame on the port, starts the timer on the one
clock, passes the DL indication to layer 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from firmware.isdn.lapd.frame import Frame


class Dl(Enum):
    """Data-link primitives towards layer 3 (Q.921 4.1.1)."""
    # Members are singletons, so identity hashing is exact; Enum's own __hash__ is a
    # Python function that hashes the name, and these are dict keys on every frame.
    __hash__ = object.__hash__


    ESTABLISH_IND = "DL-ESTABLISH-IND"
    ESTABLISH_CNF = "DL-ESTABLISH-CNF"
    RELEASE_IND = "DL-RELEASE-IND"
    RELEASE_CNF = "DL-RELEASE-CNF"
    DATA_IND = "DL-DATA-IND"
    UNITDATA_IND = "DL-UNITDATA-IND"


@dataclass(slots=True)
class SendFrame:
    """A frame for the entity to encode and send (TEI management's UI frames)."""

    frame: Frame


@dataclass(slots=True)
class PhDataReq:
    """A frame for the port, already encoded: a data link knows its address and role,
    so it writes its frames to octets itself."""

    frame: bytes


@dataclass(slots=True)
class StartTimer:
    """Start (or restart) the named timer; `key` tells whose timer it is."""

    key: tuple
    seconds: float


@dataclass(slots=True)
class StopTimer:
    key: tuple


@dataclass(slots=True)
class ArmTimer:
    """Call the core's timer_due(key) after `seconds` (replacing a callback armed for
    `key` before). Data links keep T200/T203 themselves, as their deadlines move on
    nearly every frame, and ask for a callback only when none is armed early enough."""

    key: tuple
    seconds: float


@dataclass(slots=True)
class DlIndication:
    primitive: Dl
    tei: int
    sapi: int
    data: bytes = b""


@dataclass(slots=True)
class MdlError:
    """Management is told of an error (Q.921 table II.1 codes A…O)."""

    code: str
    tei: int
    sapi: int
    text: str


@dataclass(slots=True)
class AckCheck:
    """An I frame was taken in and its acknowledgement is pending (Q.921 5.6.2.1).

    The driver hands it back (Lapd.ack_check) after layer 3 has seen the frame: if
    layer 3 answered at once, its I frame carried N(R) and no RR is needed."""

    tei: int | None


@dataclass(slots=True)
class PhActivateReq:
    """Layer 1 is needed: a frame is waiting for the bus to come up."""


Output = (SendFrame | PhDataReq | StartTimer | StopTimer | ArmTimer | DlIndication
          | MdlError | PhActivateReq | AckCheck)

MDL_ERRORS = {  # Q.921 Appendix II, table II.1
    "A": "supervisory (F=1) received in multiple frame established",
    "B": "DM (F=1) received in multiple frame established",
    "C": "UA (F=1) received unexpectedly",
    "D": "UA (F=0) received",
    "E": "DM (F=0) received: peer asks for re-establishment",
    "F": "SABME received in multiple frame established: peer re-established",
    "G": "SABME unanswered after N200 retries",
    "H": "DISC unanswered after N200 retries",
    "I": "status enquiry unanswered after N200 retries",
    "J": "N(R) sequence error",
    "K": "FRMR received",
    "L": "undefined control field received",
    "M": "information field not permitted received",
    "N": "information field too long received",
    "O": "I frame too long",
}
