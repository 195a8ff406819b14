"""TEI management (Q.921 5.3): the user side asks for a TEI, the network side hands
them out from 64-126, checks them and removes duplicates.

Messages travel in UI frames on SAPI 63, TEI 127 (table 8):
    management entity identifier 0x0F | Ri (2 octets) | message type | Ai<<1 | 1
Sans-I/O like the data link: methods return outputs, timers expire through
`timer_expiry`. Ri values come from an injected random generator so tests repeat.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import IntEnum

from firmware.isdn.lapd.frame import SAPI_TEI_MANAGEMENT, TEI_GROUP, Frame, Kind
from firmware.isdn.lapd.primitives import SendFrame, StartTimer, StopTimer

MEI = 0x0F
FIRST_AUTOMATIC_TEI = 64
LAST_AUTOMATIC_TEI = 126


class TeiMessage(IntEnum):
    IDENTITY_REQUEST = 1
    IDENTITY_ASSIGNED = 2
    IDENTITY_DENIED = 3
    IDENTITY_CHECK_REQUEST = 4
    IDENTITY_CHECK_RESPONSE = 5
    IDENTITY_REMOVE = 6
    IDENTITY_VERIFY = 7


@dataclass(frozen=True)
class TeiMgmt:
    message: TeiMessage
    ri: int
    ai: int
    more_ai: tuple[int, ...] = ()  # a check response may list several TEIs

    def encode(self) -> bytes:
        ais = (self.ai, *self.more_ai)
        tail = bytes((a << 1) | (0 if i < len(ais) - 1 else 1) for i, a in enumerate(ais))
        return bytes([MEI, self.ri >> 8, self.ri & 0xFF, self.message]) + tail


def decode_tei(info: bytes) -> TeiMgmt | None:
    """None for anything that is not a TEI management message we know (discarded)."""
    if len(info) < 5 or info[0] != MEI or info[3] not in TeiMessage._value2member_map_:
        return None
    ais = []
    for octet in info[4:]:
        ais.append(octet >> 1)
        if octet & 1:
            break
    return TeiMgmt(TeiMessage(info[3]), (info[1] << 8) | info[2], ais[0], tuple(ais[1:]))


def tei_frame(message: TeiMgmt) -> SendFrame:
    return SendFrame(Frame(SAPI_TEI_MANAGEMENT, TEI_GROUP, True, Kind.UI,
                           info=message.encode()))


@dataclass(frozen=True)
class TeiAssigned:
    tei: int


@dataclass(frozen=True)
class TeiRemoved:
    tei: int


@dataclass(frozen=True)
class TeiFailed:
    """N202 identity requests went unanswered or were denied."""


TeiOutput = SendFrame | StartTimer | StopTimer | TeiAssigned | TeiRemoved | TeiFailed


class TeiUser:
    """User side (TE, point-to-multipoint): one automatic TEI for this terminal."""

    T202 = 2.0
    N202 = 3
    KEY = ("tei", "T202")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tei: int | None = None
        self.ri: int | None = None  # the Ri of the request in progress
        self.tries = 0

    @property
    def requesting(self) -> bool:
        return self.ri is not None

    def request(self) -> list[TeiOutput]:
        """Ask for a TEI (MDL-ASSIGN-IND from a data link that needs one)."""
        if self.tei is not None or self.requesting:
            return []
        self.tries = 0
        return self._send_request()

    def _send_request(self) -> list[TeiOutput]:
        self.tries += 1
        self.ri = self.rng.randrange(0x10000)
        return [tei_frame(TeiMgmt(TeiMessage.IDENTITY_REQUEST, self.ri, TEI_GROUP)),
                StartTimer(self.KEY, self.T202)]

    def timer_expiry(self) -> list[TeiOutput]:
        if not self.requesting:
            return []
        if self.tries >= self.N202:
            self.ri = None
            return [TeiFailed()]
        return self._send_request()

    def receive(self, m: TeiMgmt) -> list[TeiOutput]:
        t = TeiMessage
        if m.message is t.IDENTITY_ASSIGNED:
            if self.requesting and m.ri == self.ri:
                if not FIRST_AUTOMATIC_TEI <= m.ai <= LAST_AUTOMATIC_TEI:
                    return []  # not an automatic TEI: keep waiting (T202 runs)
                self.ri = None
                self.tei = m.ai
                return [StopTimer(self.KEY), TeiAssigned(m.ai)]
            if self.tei is not None and m.ai == self.tei:
                # Our TEI handed to someone else: a duplicate (5.3.4.1). Give it up.
                return self._removed()
            return []
        if m.message is t.IDENTITY_DENIED and self.requesting and m.ri == self.ri:
            return []  # T202 will ask again, up to N202 times (5.3.2)
        if m.message is t.IDENTITY_CHECK_REQUEST and self.tei is not None \
                and m.ai in (self.tei, TEI_GROUP):
            return [tei_frame(TeiMgmt(t.IDENTITY_CHECK_RESPONSE, self.rng.randrange(0x10000),
                                      self.tei))]
        if m.message is t.IDENTITY_REMOVE and self.tei is not None \
                and m.ai in (self.tei, TEI_GROUP):
            return self._removed()
        return []

    def _removed(self) -> list[TeiOutput]:
        tei, self.tei = self.tei, None
        return [TeiRemoved(tei)] if tei is not None else []

    def verify(self) -> list[TeiOutput]:
        """Ask the network to check our TEI (identity verify, 5.3.5)."""
        if self.tei is None:
            return []
        return [tei_frame(TeiMgmt(TeiMessage.IDENTITY_VERIFY, 0, self.tei))]


class TeiNetwork:
    """Network side (NT, point-to-multipoint): assigns 64-126, checks and removes."""

    T201 = 1.0
    CHECK_TRIES = 2  # identity check is sent twice before a TEI is taken as free (5.3.5.2)

    def __init__(self) -> None:
        self.assigned: set[int] = set()
        self._next = FIRST_AUTOMATIC_TEI
        self._checks: dict[int, tuple[int, int]] = {}  # tei -> (tries, responses this try)

    def startup(self) -> list[TeiOutput]:
        """Clear TEIs left from before a restart: identity remove for all (Ai=127)."""
        return [tei_frame(TeiMgmt(TeiMessage.IDENTITY_REMOVE, 0, TEI_GROUP))]

    def receive(self, m: TeiMgmt) -> list[TeiOutput]:
        t = TeiMessage
        if m.message is t.IDENTITY_REQUEST and m.ai == TEI_GROUP:
            tei = self._free_tei()
            if tei is None:
                return [tei_frame(TeiMgmt(t.IDENTITY_DENIED, m.ri, TEI_GROUP))]
            self.assigned.add(tei)
            return [tei_frame(TeiMgmt(t.IDENTITY_ASSIGNED, m.ri, tei)), TeiAssigned(tei)]
        if m.message is t.IDENTITY_VERIFY and m.ai in self.assigned:
            return self.check(m.ai)
        if m.message is t.IDENTITY_CHECK_RESPONSE:
            out: list[TeiOutput] = []
            for tei in (m.ai, *m.more_ai):
                if tei in self._checks:
                    tries, responses = self._checks[tei]
                    self._checks[tei] = (tries, responses + 1)
            return out
        return []

    def check(self, tei: int) -> list[TeiOutput]:
        """Identity check procedure for one TEI (5.3.5)."""
        if tei in self._checks:
            return []
        self._checks[tei] = (1, 0)
        return [tei_frame(TeiMgmt(TeiMessage.IDENTITY_CHECK_REQUEST, 0, tei)),
                StartTimer(("tei", "T201", tei), self.T201)]

    def timer_expiry(self, tei: int) -> list[TeiOutput]:
        tries, responses = self._checks.pop(tei, (0, 0))
        if responses == 1:
            return []  # exactly one terminal has it: all is well
        if responses > 1:
            return self.remove(tei)  # two terminals answered for one TEI
        if tries < self.CHECK_TRIES:
            self._checks[tei] = (tries + 1, 0)
            return [tei_frame(TeiMgmt(TeiMessage.IDENTITY_CHECK_REQUEST, 0, tei)),
                    StartTimer(("tei", "T201", tei), self.T201)]
        return self.remove(tei)  # nobody answered: the TEI is free again

    def remove(self, tei: int) -> list[TeiOutput]:
        self.assigned.discard(tei)
        self._checks.pop(tei, None)
        remove = tei_frame(TeiMgmt(TeiMessage.IDENTITY_REMOVE, 0, tei))
        return [remove, remove, TeiRemoved(tei)]  # sent twice, 5.3.4.2

    def _free_tei(self) -> int | None:
        """Next free TEI after the last one given, so a removed TEI is not reused at once."""
        span = LAST_AUTOMATIC_TEI - FIRST_AUTOMATIC_TEI + 1
        for i in range(span):
            tei = FIRST_AUTOMATIC_TEI + (self._next - FIRST_AUTOMATIC_TEI + i) % span
            if tei not in self.assigned:
                self._next = tei + 1 if tei < LAST_AUTOMATIC_TEI else FIRST_AUTOMATIC_TEI
                return tei
        return None
