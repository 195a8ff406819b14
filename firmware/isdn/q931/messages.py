"""Q.931 messages as data: the message type code points (Q.931 table 4-2, ETSI EN 300 403-1
4.4, Q.932 for HOLD/RETRIEVE) and the Message dataclass the codec reads and writes."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from enum import IntEnum
from typing import TypeVar

from firmware.isdn.q931.ies import IE

PROTOCOL_DISCRIMINATOR = 0x08  # Q.931 user-network call control messages

_T = TypeVar("_T", bound=IE)


class MessageType(IntEnum):
    # call establishment
    ALERTING = 0x01
    CALL_PROCEEDING = 0x02
    PROGRESS = 0x03
    SETUP = 0x05
    CONNECT = 0x07
    SETUP_ACKNOWLEDGE = 0x0D
    CONNECT_ACKNOWLEDGE = 0x0F
    # call information phase
    USER_INFORMATION = 0x20
    SUSPEND_REJECT = 0x21
    RESUME_REJECT = 0x22
    HOLD = 0x24
    SUSPEND = 0x25
    RESUME = 0x26
    HOLD_ACKNOWLEDGE = 0x28
    SUSPEND_ACKNOWLEDGE = 0x2D
    RESUME_ACKNOWLEDGE = 0x2E
    HOLD_REJECT = 0x30
    RETRIEVE = 0x31
    RETRIEVE_ACKNOWLEDGE = 0x33
    RETRIEVE_REJECT = 0x37
    # call clearing
    DISCONNECT = 0x45
    RESTART = 0x46
    RELEASE = 0x4D
    RESTART_ACKNOWLEDGE = 0x4E
    RELEASE_COMPLETE = 0x5A
    # miscellaneous
    FACILITY = 0x62
    NOTIFY = 0x6E
    STATUS_ENQUIRY = 0x75
    CONGESTION_CONTROL = 0x79
    INFORMATION = 0x7B
    STATUS = 0x7D


# int -> name without building an enum member on the logging path
MESSAGE_NAMES: dict[int, str] = {m.value: m.name for m in MessageType}


def message_name(msg_type: int) -> str:
    return MESSAGE_NAMES.get(msg_type) or f"MESSAGE_0x{msg_type:02X}"


def brief(ie: IE) -> str:
    """An IE for a log line: its fields, leaving out the empty and absent ones."""
    if not is_dataclass(ie):
        return repr(ie)
    shown = (f"{f.name}={v!r}" for f in fields(ie)
             if (v := getattr(ie, f.name)) is not None and v != b"")
    return f"{type(ie).__name__}({', '.join(shown)})"


@dataclass(slots=True)
class Message:
    type: int                 # a MessageType, or any int for a type we do not know
    call_ref: int             # call reference value without the flag
    flag: bool = False        # False: sent by the side that allocated the call reference
    cr_len: int = 1           # call reference length: 0 dummy, 1 BRI, 2 PRI-style
    ies: list[IE] = field(default_factory=list)

    def get(self, cls: type[_T]) -> _T | None:
        """The first IE of class `cls`, or None."""
        for ie in self.ies:
            if isinstance(ie, cls):
                return ie
        return None

    def get_all(self, cls: type[_T]) -> list[_T]:
        return [ie for ie in self.ies if isinstance(ie, cls)]

    @property
    def is_global(self) -> bool:
        """The global call reference (value 0) addresses every call on the interface."""
        return self.call_ref == 0 and self.cr_len > 0

    def __str__(self) -> str:
        cr = "dummy" if self.cr_len == 0 else str(self.call_ref)
        ies = ", ".join(brief(ie) for ie in self.ies)
        return f"{message_name(self.type)} cr={cr} flag={int(self.flag)} [{ies}]"
