"""Q.921 frame codec: address field (SAPI, C/R, TEI) and the modulo-128 control field.

Frames here are what mISDN and a LINUX_LAPD pcap carry: address … information,
without flags or FCS. Decoding never raises; a frame Q.921 calls invalid (5.8.5)
comes back as an InvalidFrame saying why, and a frame with a control field Q.921 does
not define comes back as a Frame of kind UNDEFINED so the data link can answer it
(FRMR condition W, Q.921 5.8.5 / 5.6.x).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from firmware.enums import members

N201 = 260          # maximum information field, octets (Q.921 5.9.3)
SAPI_CALL_CONTROL = 0
SAPI_PACKET = 16
SAPI_TEI_MANAGEMENT = 63
TEI_GROUP = 127     # broadcast data link / unassigned TEI


class Kind(Enum):
    # Members are singletons, so identity hashing is exact; Enum's own __hash__ is a
    # Python function that hashes the name, and these are dict keys on every frame.
    __hash__ = object.__hash__

    # I-format
    I = "I"  # noqa: E741 - the standard's name
    # S-format (Q.921 3.6.6–3.6.8)
    RR = "RR"
    RNR = "RNR"
    REJ = "REJ"
    # U-format (Q.921 3.6.9–3.6.14)
    SABME = "SABME"
    DM = "DM"
    UI = "UI"
    DISC = "DISC"
    UA = "UA"
    FRMR = "FRMR"
    XID = "XID"
    UNDEFINED = "UNDEFINED"  # a control field Q.921 does not define


K = members(Kind)  # Kind.X read fast (firmware/enums.py): decode runs on every frame
S_CODES = {0x01: Kind.RR, 0x05: Kind.RNR, 0x09: Kind.REJ}
# U-format control octet with the P/F bit (0x10) cleared (Q.921 table 5)
U_CODES = {0x6F: Kind.SABME, 0x0F: Kind.DM, 0x03: Kind.UI, 0x43: Kind.DISC, 0x63: Kind.UA,
           0x87: Kind.FRMR, 0xAF: Kind.XID}
S_OCTET = {k: v for v, k in S_CODES.items()}
U_OCTET = {k: v for v, k in U_CODES.items()}
COMMANDS = frozenset({Kind.I, Kind.SABME, Kind.DISC, Kind.UI})
RESPONSES = frozenset({Kind.DM, Kind.UA, Kind.FRMR})
# RR, RNR, REJ and XID may be either; the C/R bit tells.


@dataclass(slots=True)
class Frame:
    sapi: int
    tei: int
    command: bool          # a command, as judged from the C/R bit and who sent it
    kind: Kind
    pf: bool = False       # poll (in a command) or final (in a response) bit
    ns: int | None = None  # N(S), I frames only
    nr: int | None = None  # N(R), I and S frames
    info: bytes = b""
    # The frame as received (empty for frames built here), kept by reference, not
    # copied: `control` reads the raw control field from it for FRMR's report.
    raw: bytes = field(default=b"", compare=False, repr=False)

    @property
    def control(self) -> bytes:
        """The raw control field of a received frame: two octets (I, S) or one (U)."""
        return self.raw[2:4] if self.ns is not None or self.nr is not None else self.raw[2:3]

    def describe(self) -> str:
        """Short text for logs: 'SABME P sapi=0 tei=64', 'I ns=3 nr=2 (12 bytes)'."""
        parts = [self.kind.value]
        if self.pf:
            parts.append("P" if self.command else "F")
        if self.ns is not None:
            parts.append(f"ns={self.ns}")
        if self.nr is not None:
            parts.append(f"nr={self.nr}")
        parts.append(f"sapi={self.sapi} tei={self.tei}")
        if self.info:
            parts.append(f"({len(self.info)} bytes)")
        return " ".join(parts)


@dataclass(slots=True)
class InvalidFrame:
    """A frame Q.921 5.8.5 says to discard (too short, bad address field, …)."""

    reason: str
    data: bytes


def cr_bit(command: bool, network_side: bool) -> int:
    """Q.921 table 1: commands carry C/R=1 from the network and 0 from the user;
    responses the opposite."""
    return int(command == network_side)


def is_command(cr: int, sender_is_network: bool) -> bool:
    return (cr == 1) == sender_is_network


def address(sapi: int, tei: int, command: bool, network_side: bool) -> bytes:
    """The two address octets (Q.921 3.3.3) of a frame sent by the network side
    (network_side=True) or a user side."""
    if not (0 <= sapi < 64 and 0 <= tei < 128):
        raise ValueError(f"bad address sapi={sapi} tei={tei}")
    return bytes(((sapi << 2) | (2 if command == network_side else 0), (tei << 1) | 1))


def control(kind: Kind, pf: bool, ns: int | None = None, nr: int | None = None) -> bytes:
    """The control field (Q.921 table 4/5): two octets for I and S frames, one for U."""
    if kind is K.I:
        return bytes(((ns or 0) << 1, ((nr or 0) << 1) | pf))
    if kind in S_OCTET:
        return bytes((S_OCTET[kind], ((nr or 0) << 1) | pf))
    if kind in U_OCTET:
        return bytes((U_OCTET[kind] | (pf << 4),))
    raise ValueError(f"cannot encode a frame of kind {kind}")


def encode(frame: Frame, *, network_side: bool) -> bytes:
    """Encode a frame sent by the network side (network_side=True) or a user side."""
    head = address(frame.sapi, frame.tei, frame.command, network_side) + \
        control(frame.kind, frame.pf, frame.ns, frame.nr)
    return head + frame.info if frame.info else head


def decode(data: bytes, *, sender_is_network: bool) -> Frame | InvalidFrame:
    """Decode a frame received from the network side (sender_is_network=True) or from
    a user side. Never raises."""
    if type(data) is not bytes:
        data = bytes(data)
    n = len(data)
    if n < 3:
        return InvalidFrame("shorter than 3 octets", data)
    a1, a2, c1 = data[0], data[1], data[2]
    if a1 & 0x01 or not a2 & 0x01:
        # Q.921 5.8.5: an address field other than two octets is invalid.
        return InvalidFrame("address field is not two octets", data)
    command = (a1 & 0x02 != 0) is sender_is_network  # is_command(), inlined: every frame
    if not c1 & 0x01:  # I-format
        if n < 4:
            return InvalidFrame("I frame without its second control octet", data)
        c2 = data[3]
        return Frame(a1 >> 2, a2 >> 1, command, K.I, c2 & 1 == 1, c1 >> 1, c2 >> 1,
                     data[4:], data)
    if c1 & 0x03 == 0x01:  # S-format
        if n < 4:
            return InvalidFrame("S frame without its second control octet", data)
        c2 = data[3]
        # An S frame with an information field is undefined too (FRMR condition X).
        return Frame(a1 >> 2, a2 >> 1, command, S_CODES.get(c1, K.UNDEFINED), c2 & 1 == 1,
                     None, c2 >> 1, data[4:], data)
    return Frame(a1 >> 2, a2 >> 1, command, U_CODES.get(c1 & ~0x10, K.UNDEFINED),
                 c1 & 0x10 != 0, None, None, data[3:], data)
