"""Q.931 information elements (Q.931 4.5, ETSI EN 300 403-1 4.5), one dataclass each.

Every IE class knows its codeset and identifier and turns its contents (the octets after
the length octet) into fields and back. decode_body() raises IeContentError, and only
that, when the contents break the coding; the codec then keeps the IE as a RawIE so call
control can answer with cause 100. Octets that the fields do not name are kept raw
(`extra` and friends) so that decode followed by encode gives back the same octets.

Encoders mask each field to its width rather than range-check it (call control builds IEs
from enums; the line is the untrusted side, and decoding checks what it gets).

Single-octet IEs (Q.931 4.5.1, bit 8 set) have no length octet: the codec uses
encode_octet()/decode_octet(); their "body" is the value nibble (type 1) or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self


class IeContentError(ValueError):
    """The contents of a known IE do not follow its coding (Q.931 5.8.6.2 / 5.8.7.2: cause 100)."""


class IE:
    """Base of every information element."""

    __slots__ = ()
    CODESET: ClassVar[int] = 0
    ID: ClassVar[int] = -1          # identifier; for single-octet type 1 IEs the high nibble
    SINGLE_OCTET: ClassVar[bool] = False

    def encode_body(self) -> bytes:
        raise NotImplementedError

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        raise NotImplementedError


def _group_end(body: bytes, i: int) -> int:
    """Index after the octet group whose next octet is body[i]: Q.931 4.5.1 extension
    bits, 0 = another octet of the group follows, 1 = last octet."""
    n = len(body)
    while i < n:
        if body[i] & 0x80:
            return i + 1
        i += 1
    raise IeContentError("octet group runs past the end of the IE")


def _ia5(raw: bytes) -> str:
    if not raw.isascii():
        raise IeContentError("number digit outside IA5")
    return raw.decode("ascii")


def _exact(body: bytes, n: int, what: str) -> None:
    if len(body) != n:
        raise IeContentError(f"{what} has {len(body)} octets of contents, not {n}")


# ---------------------------------------------------------------- single-octet IEs


class _SingleOctet(IE):
    __slots__ = ()
    SINGLE_OCTET = True

    def encode_octet(self) -> int:
        return self.ID

    @classmethod
    def decode_octet(cls, octet: int) -> Self:
        return cls()

    def encode_body(self) -> bytes:
        return b""

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        if body:
            raise IeContentError(f"{cls.__name__} has no contents")
        return cls()


class _SingleOctetValue(IE):
    """Type 1 single-octet IE: identifier in bits 7-5, value in bits 4-1."""

    __slots__ = ()
    SINGLE_OCTET = True
    value: int

    def encode_octet(self) -> int:
        return self.ID | (self.value & 0x0F)

    @classmethod
    def decode_octet(cls, octet: int) -> Self:
        return cls(octet & 0x0F)

    def encode_body(self) -> bytes:
        return bytes((self.value & 0x0F,))

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        _exact(body, 1, cls.__name__)
        return cls(body[0] & 0x0F)


@dataclass(slots=True)
class MoreData(_SingleOctet):
    """Q.931 4.5.20, type 2: more USER INFORMATION messages follow."""

    ID = 0xA0


@dataclass(slots=True)
class SendingComplete(_SingleOctet):
    """Q.931 4.5.27, type 2: the called number is complete (en-bloc)."""

    ID = 0xA1


@dataclass(slots=True)
class CongestionLevel(_SingleOctetValue):
    """Q.931 4.5.14, type 1: 0 receiver ready, 15 receiver not ready."""

    ID = 0xB0
    value: int = 0


@dataclass(slots=True)
class RepeatIndicator(_SingleOctetValue):
    """Q.931 4.5.24, type 1: the IE after it is repeated; 2 = prioritized list."""

    ID = 0xD0
    value: int = 2


# ---------------------------------------------------------------- variable-length IEs


@dataclass(slots=True)
class BearerCapability(IE):
    """Q.931 4.5.5. Octet 3: coding standard, information transfer capability; octet 4:
    transfer mode and rate (4.1 multiplier when the rate is multirate); octet 5: user
    information layer 1 protocol, 5a-5d its details; octets 6/7: layer 2/3."""

    ID = 0x04
    capability: int = 0x00       # 0x00 speech, 0x08 unrestricted digital, 0x10 3.1 kHz audio
    mode: int = 0                # 0 circuit, 2 packet
    rate: int = 0x10             # 0x10 64 kbit/s, 0x18 multirate, 0 (packet mode)
    layer1: int | None = 0x03    # 0x03 G.711 A-law, 0x02 µ-law, 0x01 V.110, None absent
    coding: int = 0              # 0 ITU-T
    extra: bytes = b""           # octets after the layer 1 group (layer 2 and 3), raw
    rate_extra: bytes = b""      # octet 4.1 (multirate) and the old octets 4a/4b, raw
    layer1_extra: bytes = b""    # octets 5a-5d, raw

    def encode_body(self) -> bytes:
        rate = self.rate & 0x1F
        rate_extra = self.rate_extra
        # octet 4's extension bit announces 4a; the multiplier 4.1 is implied by the rate
        o4_ext = 0x80 if len(rate_extra) <= (rate == 0x18) else 0
        out = bytes((0x80 | (self.coding & 3) << 5 | (self.capability & 0x1F),
                     o4_ext | (self.mode & 3) << 5 | rate))
        if rate_extra:
            out += rate_extra
        if self.layer1 is not None:
            l1x = self.layer1_extra
            out += bytes(((0 if l1x else 0x80) | 0x20 | (self.layer1 & 0x1F),))
            if l1x:
                out += l1x
        if self.extra:
            out += self.extra
        return out

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        n = len(body)
        if n < 2:
            raise IeContentError("bearer capability without octets 3 and 4")
        o3 = body[0]
        o4 = body[1]
        if not o3 & 0x80:
            raise IeContentError("bearer capability octet 3 has no extension octets")
        i = 2 if o4 & 0x80 else _group_end(body, 2)
        rate = o4 & 0x1F
        if rate == 0x18:
            if i >= n:
                raise IeContentError("multirate bearer capability without octet 4.1")
            i += 1
        rate_extra = body[2:i]
        layer1 = None
        layer1_extra = b""
        if i < n and body[i] & 0x60 == 0x20:      # layer 1 identification 01
            o5 = body[i]
            layer1 = o5 & 0x1F
            j = i + 1 if o5 & 0x80 else _group_end(body, i + 1)
            layer1_extra = body[i + 1:j]
            i = j
        return cls(o3 & 0x1F, (o4 >> 5) & 3, rate, layer1, (o3 >> 5) & 3, body[i:],
                   rate_extra, layer1_extra)


@dataclass(slots=True)
class Cause(IE):
    """Q.931 4.5.12 / Q.850. Octet 3: coding, location; 3a: recommendation; octet 4:
    cause value; then diagnostics."""

    ID = 0x08
    value: int
    location: int = 0
    coding: int = 0
    recommendation: int | None = None
    diagnostics: bytes = b""

    def encode_body(self) -> bytes:
        o3 = (self.coding & 3) << 5 | (self.location & 0x0F)
        if self.recommendation is None:
            out = bytes((0x80 | o3, 0x80 | (self.value & 0x7F)))
        else:
            out = bytes((o3, 0x80 | (self.recommendation & 0x7F), 0x80 | (self.value & 0x7F)))
        if self.diagnostics:
            out += self.diagnostics
        return out

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        if len(body) < 2:
            raise IeContentError("cause without octets 3 and 4")
        o3 = body[0]
        recommendation = None
        i = 1
        if not o3 & 0x80:
            if len(body) < 3 or not body[1] & 0x80:
                raise IeContentError("cause octet 3a malformed")
            recommendation = body[1] & 0x7F
            i = 2
        o4 = body[i]
        if not o4 & 0x80:
            raise IeContentError("cause octet 4 extended")
        return cls(o4 & 0x7F, o3 & 0x0F, (o3 >> 5) & 3, recommendation, body[i + 1:])


@dataclass(slots=True)
class CallState(IE):
    """Q.931 4.5.7: coding standard in bits 8-7, state value (U0..U25 / N0..N25) 6-1."""

    ID = 0x14
    value: int
    coding: int = 0

    def encode_body(self) -> bytes:
        return bytes(((self.coding & 3) << 6 | (self.value & 0x3F),))

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        _exact(body, 1, "call state")
        return cls(body[0] & 0x3F, body[0] >> 6)


@dataclass(slots=True)
class ChannelIdentification(IE):
    """Q.931 4.5.13. Octet 3: interface type, preferred/exclusive, D-channel indicator,
    information channel selection (basic: 0 none, 1 B1, 2 B2, 3 any).

    On a primary rate interface selection 1 means "as indicated in octets 3.2/3.3":
    `channel` is then the channel number when those octets are the plain ITU-T
    B-channel-number form, else 0 with the octets kept in `extra`. An explicit interface
    identifier (octet 3.1) is not supported (not used on a basic access)."""

    ID = 0x18
    channel: int | None = None
    exclusive: bool = False
    interface_type: int = 0      # 0 basic, 1 other (primary rate)
    d_channel: bool = False
    any_channel: bool = False
    extra: bytes = b""

    def encode_body(self) -> bytes:
        channel = self.channel
        extra = self.extra
        if self.any_channel:
            sel = 3
        elif channel is None:
            sel = 0
        elif self.interface_type & 1:
            sel = 1
            if not extra:
                extra = bytes((0x83, 0x80 | (channel & 0x7F)))
        elif channel == 1 or channel == 2:
            sel = channel
        else:
            raise ValueError(f"basic access has no B-channel {channel}")
        o3 = (0x80 | (self.interface_type & 1) << 5 | self.exclusive << 3
              | self.d_channel << 2 | sel)
        return bytes((o3,)) + extra if extra else bytes((o3,))

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        if not body:
            raise IeContentError("channel identification without octet 3")
        o3 = body[0]
        if not o3 & 0x80:
            raise IeContentError("channel identification octet 3 extended")
        if o3 & 0x40:
            raise IeContentError("explicit interface identifier not supported")
        primary = (o3 >> 5) & 1
        sel = o3 & 3
        extra = body[1:]
        channel = None
        if sel == 3:
            pass
        elif not primary:
            if sel:
                channel = sel
        elif sel == 1:
            if not extra:
                raise IeContentError("primary rate channel selection without octet 3.2")
            if len(extra) == 2 and extra[0] == 0x83 and extra[1] & 0x80:
                channel = extra[1] & 0x7F
                extra = b""
            else:
                channel = 0
        elif sel == 2:
            raise IeContentError("reserved primary rate channel selection")
        return cls(channel, bool(o3 & 0x08), primary, bool(o3 & 0x04), sel == 3, extra)


@dataclass(slots=True)
class ProgressIndicator(IE):
    """Q.931 4.5.23. Octet 3: coding standard, location; octet 4: progress description."""

    ID = 0x1E
    description: int
    location: int = 0
    coding: int = 0

    def encode_body(self) -> bytes:
        return bytes((0x80 | (self.coding & 3) << 5 | (self.location & 0x0F),
                      0x80 | (self.description & 0x7F)))

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        _exact(body, 2, "progress indicator")
        o3, o4 = body
        if not o3 & o4 & 0x80:
            raise IeContentError("progress indicator octet extended")
        return cls(o4 & 0x7F, o3 & 0x0F, (o3 >> 5) & 3)


@dataclass(slots=True)
class NotificationIndicator(IE):
    """Q.931 4.5.22: notification description; ETSI supplementary services may follow it
    with an extension (e.g. ASN.1 after description 0x7E), kept raw."""

    ID = 0x27
    description: int
    extension: bytes = b""

    def encode_body(self) -> bytes:
        out = bytes((0x80 | (self.description & 0x7F),))
        return out + self.extension if self.extension else out

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        if not body or not body[0] & 0x80:
            raise IeContentError("notification indicator octet 3 missing or extended")
        return cls(body[0] & 0x7F, body[1:])


@dataclass(slots=True)
class Display(IE):
    """Q.931 4.5.16: display information, IA5 (latin-1 accepted: networks send it)."""

    ID = 0x28
    text: str

    def encode_body(self) -> bytes:
        return self.text.encode("latin-1")

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        return cls(body.decode("latin-1"))


@dataclass(slots=True)
class DateTime(IE):
    """Q.931 4.5.15 / EN 300 403: binary octets year (2 digits), month, day, then
    optionally hour, minute, second. Raw octet values, no calendar check."""

    ID = 0x29
    year: int
    month: int
    day: int
    hour: int | None = None
    minute: int | None = None
    second: int | None = None

    def encode_body(self) -> bytes:
        octets = [self.year & 0xFF, self.month & 0xFF, self.day & 0xFF]
        for v in (self.hour, self.minute, self.second):
            if v is None:
                break
            octets.append(v & 0xFF)
        return bytes(octets)

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        if not 3 <= len(body) <= 6:
            raise IeContentError(f"date/time has {len(body)} octets, not 3 to 6")
        return cls(*body)


@dataclass(slots=True)
class KeypadFacility(IE):
    """Q.931 4.5.18: IA5 characters typed on the terminal's keypad."""

    ID = 0x2C
    digits: str

    def encode_body(self) -> bytes:
        return self.digits.encode("latin-1")

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        return cls(body.decode("latin-1"))


@dataclass(slots=True)
class Signal(IE):
    """Q.931 4.5.28: tone the network asks the terminal to play (0x01 ring back...)."""

    ID = 0x34
    value: int

    def encode_body(self) -> bytes:
        return bytes((self.value & 0xFF,))

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        _exact(body, 1, "signal")
        return cls(body[0])


class _PartyNumber(IE):
    """Octet 3 (type of number, numbering plan), optional octet 3a (presentation,
    screening), then IA5 digits: the Calling party and Connected number coding."""

    __slots__ = ()
    digits: str
    type_of_number: int
    plan: int
    presentation: int | None
    screening: int | None

    def encode_body(self) -> bytes:
        o3 = (self.type_of_number & 7) << 4 | (self.plan & 0x0F)
        pres = self.presentation
        if pres is None:
            head = bytes((0x80 | o3,))
        else:
            screening = self.screening or 0
            head = bytes((o3, 0x80 | (pres & 3) << 5 | (screening & 3)))
        return head + self.digits.encode("ascii")

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        if not body:
            raise IeContentError("number without octet 3")
        o3 = body[0]
        if o3 & 0x80:
            return cls(_ia5(body[1:]), (o3 >> 4) & 7, o3 & 0x0F)
        if len(body) < 2 or not body[1] & 0x80:
            raise IeContentError("number octet 3a missing or extended")
        o3a = body[1]
        return cls(_ia5(body[2:]), (o3 >> 4) & 7, o3 & 0x0F,
                   (o3a >> 5) & 3, o3a & 3)


@dataclass(slots=True)
class CallingPartyNumber(_PartyNumber):
    """Q.931 4.5.10. Octet 3a is present iff presentation is not None."""

    ID = 0x6C
    digits: str
    type_of_number: int = 0     # 0 unknown, 1 international, 2 national, 4 subscriber
    plan: int = 1               # 1 ISDN/telephony E.164
    presentation: int | None = None   # 0 allowed, 1 restricted, 2 not available
    screening: int | None = None      # 0 user not screened ... 3 network provided


@dataclass(slots=True)
class ConnectedNumber(_PartyNumber):
    """ETSI EN 300 097 / Q.951: coded as the Calling party number."""

    ID = 0x4C
    digits: str
    type_of_number: int = 0
    plan: int = 1
    presentation: int | None = None
    screening: int | None = None


@dataclass(slots=True)
class CalledPartyNumber(IE):
    """Q.931 4.5.8: octet 3 (type of number, numbering plan), then IA5 digits."""

    ID = 0x70
    digits: str
    type_of_number: int = 0
    plan: int = 1

    def encode_body(self) -> bytes:
        o3 = 0x80 | (self.type_of_number & 7) << 4 | (self.plan & 0x0F)
        return bytes((o3,)) + self.digits.encode("ascii")

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        if not body or not body[0] & 0x80:
            raise IeContentError("called party number octet 3 missing or extended")
        o3 = body[0]
        return cls(_ia5(body[1:]), (o3 >> 4) & 7, o3 & 0x0F)


@dataclass(slots=True)
class RedirectingNumber(IE):
    """Q.952 / ETSI EN 300 207: octet 3, optional 3a (presentation, screening), optional
    3b (reason for redirection), then IA5 digits."""

    ID = 0x74
    digits: str
    type_of_number: int = 0
    plan: int = 1
    presentation: int | None = None
    screening: int | None = None
    reason: int | None = None   # 1 busy, 2 no reply, 0xF unconditional, 0xA deflection...

    def encode_body(self) -> bytes:
        o3 = (self.type_of_number & 7) << 4 | (self.plan & 0x0F)
        if self.presentation is None and self.reason is None:
            head = bytes((0x80 | o3,))
        else:
            o3a = ((self.presentation or 0) & 3) << 5 | ((self.screening or 0) & 3)
            if self.reason is None:
                head = bytes((o3, 0x80 | o3a))
            else:
                head = bytes((o3, o3a, 0x80 | (self.reason & 0x0F)))
        return head + self.digits.encode("ascii")

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        if not body:
            raise IeContentError("redirecting number without octet 3")
        o3 = body[0]
        ton = (o3 >> 4) & 7
        plan = o3 & 0x0F
        if o3 & 0x80:
            return cls(_ia5(body[1:]), ton, plan)
        if len(body) < 2:
            raise IeContentError("redirecting number octet 3a missing")
        o3a = body[1]
        pres = (o3a >> 5) & 3
        screening = o3a & 3
        if o3a & 0x80:
            return cls(_ia5(body[2:]), ton, plan, pres, screening)
        if len(body) < 3 or not body[2] & 0x80:
            raise IeContentError("redirecting number octet 3b missing or extended")
        return cls(_ia5(body[3:]), ton, plan, pres, screening, body[2] & 0x0F)


@dataclass(slots=True)
class RestartIndicator(IE):
    """Q.931 4.5.25: class 0 indicated channels, 6 single interface, 7 all interfaces."""

    ID = 0x79
    restart_class: int

    def encode_body(self) -> bytes:
        return bytes((0x80 | (self.restart_class & 7),))

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        _exact(body, 1, "restart indicator")
        if not body[0] & 0x80:
            raise IeContentError("restart indicator octet 3 extended")
        return cls(body[0] & 7)


@dataclass(slots=True)
class UserUser(IE):
    """Q.931 4.5, user-user: protocol discriminator octet, then user information."""

    ID = 0x7E
    protocol: int
    data: bytes = b""

    def encode_body(self) -> bytes:
        return bytes((self.protocol & 0xFF,)) + self.data

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        if not body:
            raise IeContentError("user-user without protocol discriminator")
        return cls(body[0], body[1:])


# ------------------------------------------- IEs kept as octets (checked for length only)


@dataclass(slots=True)
class _Opaque(IE):
    data: bytes
    MIN_LEN: ClassVar[int] = 0

    def encode_body(self) -> bytes:
        return self.data

    @classmethod
    def decode_body(cls, body: bytes) -> Self:
        if len(body) < cls.MIN_LEN:
            raise IeContentError(f"{cls.__name__} shorter than {cls.MIN_LEN} octets")
        return cls(body)


class CallIdentity(_Opaque):
    """Q.931 4.5.6: SUSPEND/RESUME call identity, any octets."""

    __slots__ = ()
    ID = 0x10


class Facility(_Opaque):
    """Q.932 / EN 300 196-1: protocol profile and ROSE components, decoded above."""

    __slots__ = ()
    ID = 0x1C
    MIN_LEN = 1


class ConnectedSubaddress(_Opaque):
    __slots__ = ()
    ID = 0x4D
    MIN_LEN = 1


class CallingPartySubaddress(_Opaque):
    """Q.931 4.5.11: octet 3 (type of subaddress, odd/even), then the subaddress."""

    __slots__ = ()
    ID = 0x6D
    MIN_LEN = 1


class CalledPartySubaddress(_Opaque):
    """Q.931 4.5.9: coded as the Calling party subaddress."""

    __slots__ = ()
    ID = 0x71
    MIN_LEN = 1


class LowLayerCompatibility(_Opaque):
    """Q.931 4.5.19: end-to-end, octets 3 and 4 at least (as the bearer capability)."""

    __slots__ = ()
    ID = 0x7C
    MIN_LEN = 2


class HighLayerCompatibility(_Opaque):
    """Q.931 4.5.17: octet 3 (coding, interpretation) and 4 (characteristics) at least."""

    __slots__ = ()
    ID = 0x7D
    MIN_LEN = 2


# ---------------------------------------------------------------- unknown IEs


@dataclass(slots=True)
class RawIE(IE):
    """An IE we do not know, or whose contents did not decode. For a single-octet IE
    `ident` is the whole octet and `data` is empty."""

    codeset: int
    ident: int
    data: bytes = b""

    def encode_body(self) -> bytes:
        return self.data


KNOWN_IES: tuple[type[IE], ...] = (
    MoreData, SendingComplete, CongestionLevel, RepeatIndicator,
    BearerCapability, Cause, CallIdentity, CallState, ChannelIdentification, Facility,
    ProgressIndicator, NotificationIndicator, Display, DateTime, KeypadFacility, Signal,
    ConnectedNumber, ConnectedSubaddress, CallingPartyNumber, CallingPartySubaddress,
    CalledPartyNumber, CalledPartySubaddress, RedirectingNumber, RestartIndicator,
    LowLayerCompatibility, HighLayerCompatibility, UserUser,
)
