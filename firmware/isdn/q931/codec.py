"""Q.931 message codec: bytes <-> Message (Q.931 4.1-4.5, ETSI EN 300 403-1 clause 4).

decode() never raises. A frame that cannot be a Q.931 call control message comes back
with message=None and a reason; otherwise every IE is decoded and problems are listed as
IeError so call control can pick the Q.931 5.8 answer: unrecognized -> cause 99, content
-> cause 100, and a mandatory IE that is absent (rules.py) -> cause 96.

encode() writes codeset 0 IEs in ascending identifier order (Q.931 4.5.1), single-octet
IEs in their numeric place, then each higher codeset after one locking shift (4.5.3).
decode() accepts both locking and non-locking (4.5.4) shifts.
"""

from __future__ import annotations

from dataclasses import dataclass

from firmware.isdn.q931.ies import (
    IE,
    KNOWN_IES,
    RawIE,
    RepeatIndicator,
)
from firmware.isdn.q931.messages import PROTOCOL_DISCRIMINATOR, Message, MessageType

UNRECOGNIZED = "unrecognized"   # IE not known: cause 99 (or 96 if comprehension required)
CONTENT = "content"             # IE known, contents invalid: cause 100
TRUNCATED = "truncated"         # IE length runs past the end of the message
MISSING = "missing"             # mandatory IE absent (made by call control from rules.py)


@dataclass(frozen=True, slots=True)
class IeError:
    kind: str       # UNRECOGNIZED | CONTENT | TRUNCATED | MISSING
    codeset: int
    ident: int      # IE identifier; for a single-octet IE the whole octet


@dataclass(slots=True)
class Decoded:
    message: Message | None
    errors: list[IeError]
    reason: str | None = None   # why message is None

    @property
    def ok(self) -> bool:
        return self.message is not None and not self.errors


# Lookup tables, built once. Variable-length IEs by (codeset << 8) | identifier;
# codeset 0 single-octet IEs by their whole octet (type 1 IEs under all 16 values).
_VARIABLE: dict[int, type[IE]] = {}
_SINGLE: dict[int, type[IE]] = {}
_SORT_KEY: dict[type[IE], int] = {}
for _cls in KNOWN_IES:
    _SORT_KEY[_cls] = _cls.CODESET << 8 | _cls.ID
    if not _cls.SINGLE_OCTET:
        _VARIABLE[_cls.CODESET << 8 | _cls.ID] = _cls
    elif _cls.ID & 0xF0 == 0xA0:        # type 2: the octet is the identifier
        _SINGLE[_cls.ID] = _cls
    else:                               # type 1: identifier in bits 7-5, value in 4-1
        for _v in range(16):
            _SINGLE[_cls.ID | _v] = _cls
# Codeset 0 IEs whose key is just their identifier and that need no special placement:
# a message made of these, in ascending order, is written as it stands (encode's fast path).
_IN_PLACE: dict[type[IE], int] = {cls: key for cls, key in _SORT_KEY.items()
                                  if key < 0x100 and cls is not RepeatIndicator}
del _cls
# known message types come back as MessageType members (readable reprs, same ints)
_TYPES: dict[int, int] = {m.value: m for m in MessageType}


# ---------------------------------------------------------------- decoding


def decode(data: bytes) -> Decoded:
    """Decode one Q.931 message (the information field of a LAPD I or UI frame)."""
    if type(data) is not bytes:
        data = bytes(data)
    n = len(data)
    if n >= 4 and data[1] == 1 and data[0] == PROTOCOL_DISCRIMINATOR:
        # a basic access message: one call reference octet (what the steps below do)
        ies: list[IE] = []
        errors: list[IeError] = []
        if n > 4:
            _decode_ies(data, 4, ies, errors)
        cr = data[2]
        return Decoded(Message(_TYPES.get(data[3], data[3]), cr & 0x7F, cr >= 0x80, 1, ies),
                       errors)
    if n == 0:
        return Decoded(None, [], "empty")
    if data[0] != PROTOCOL_DISCRIMINATOR:
        return Decoded(None, [], f"protocol discriminator 0x{data[0]:02X} is not Q.931")
    if n < 2:
        return Decoded(None, [], "no call reference")
    cr_len = data[1]
    if cr_len > 2:  # bits 8-5 are spare (0); BRI uses 1 octet, PRI-style 2
        return Decoded(None, [], f"call reference length octet 0x{cr_len:02X}")
    i = 2 + cr_len
    if i >= n:
        return Decoded(None, [], "no message type")
    if cr_len == 1:
        flag = data[2] >= 0x80
        call_ref = data[2] & 0x7F
    elif cr_len == 2:
        flag = data[2] >= 0x80
        call_ref = (data[2] & 0x7F) << 8 | data[3]
    else:
        flag = False
        call_ref = 0
    ies: list[IE] = []
    errors: list[IeError] = []
    if i + 1 < n:
        _decode_ies(data, i + 1, ies, errors)
    msg_type = data[i]
    return Decoded(Message(_TYPES.get(msg_type, msg_type), call_ref, flag, cr_len, ies), errors)


def _decode_ies(data: bytes, i: int, ies: list[IE], errors: list[IeError]) -> None:
    n = len(data)
    locked = 0          # active codeset after locking shifts
    once = -1           # codeset for the next IE only (non-locking shift), -1 if none
    append = ies.append
    while i < n:
        octet = data[i]
        codeset = locked if once < 0 else once
        if octet & 0x80:                            # single-octet IE
            i += 1
            if octet & 0xF0 == 0x90:                # shift: bit 4 = 1 non-locking
                if octet & 0x08:
                    once = octet & 0x07
                else:
                    locked = octet & 0x07
                    once = -1
                continue
            once = -1
            cls = _SINGLE.get(octet) if codeset == 0 else None
            if cls is None:
                append(RawIE(codeset, octet))
                errors.append(IeError(UNRECOGNIZED, codeset, octet))
            else:
                append(cls.decode_octet(octet))
            continue
        once = -1
        if i + 1 >= n:
            errors.append(IeError(TRUNCATED, codeset, octet))
            return
        end = i + 2 + data[i + 1]
        if end > n:
            errors.append(IeError(TRUNCATED, codeset, octet))
            return
        body = data[i + 2:end]
        i = end
        cls = _VARIABLE.get(codeset << 8 | octet)
        if cls is None:
            append(RawIE(codeset, octet, body))
            errors.append(IeError(UNRECOGNIZED, codeset, octet))
            continue
        try:
            append(cls.decode_body(body))
        except Exception:  # IeContentError; anything else is a bug, but not a crash
            append(RawIE(codeset, octet, body))
            errors.append(IeError(CONTENT, codeset, octet))


# ---------------------------------------------------------------- encoding


def encode(msg: Message) -> bytes:
    """Encode a Message. Raises ValueError for a message that cannot be coded (call
    reference out of range for its length, an IE body over 255 octets...)."""
    cr_len = msg.cr_len
    call_ref = msg.call_ref
    msg_type = msg.type
    flag = 0x80 if msg.flag else 0
    if cr_len == 1:
        if not 0 <= call_ref <= 0x7F:
            raise ValueError(f"call reference {call_ref} does not fit one octet")
        out = bytearray((PROTOCOL_DISCRIMINATOR, 1, flag | call_ref, msg_type))
    elif cr_len == 2:
        if not 0 <= call_ref <= 0x7FFF:
            raise ValueError(f"call reference {call_ref} does not fit two octets")
        out = bytearray((PROTOCOL_DISCRIMINATOR, 2, flag | call_ref >> 8, call_ref & 0xFF,
                         msg_type))
    elif cr_len == 0:
        out = bytearray((PROTOCOL_DISCRIMINATOR, 0, msg_type))
    else:
        raise ValueError(f"call reference length {cr_len}")
    ies = msg.ies
    if ies and not _encode_in_place(out, ies):
        _encode_ies(out, ies)
    return bytes(out)


def _encode_in_place(out: bytearray, ies: list[IE]) -> bool:
    """Write `ies` in the order given if that is already the order Q.931 4.5.1 wants
    (call control builds its messages so); False, with `out` as it was, if not."""
    start = len(out)
    last = 0
    for ie in ies:
        key = _IN_PLACE.get(type(ie))
        if key is None or key < last:
            del out[start:]
            return False
        last = key
        if ie.SINGLE_OCTET:
            out.append(ie.encode_octet())
            continue
        body = ie.encode_body()
        if len(body) > 255:
            raise ValueError(f"IE 0x{key:02X} body of {len(body)} octets")
        out += bytes((key, len(body)))
        out += body
    return True


def _sort_keys(ies: list[IE]) -> list[int]:
    keys = []
    has_repeat = False
    for ie in ies:
        cls = type(ie)
        key = _SORT_KEY.get(cls)
        if key is None:
            if cls is RawIE:
                key = ie.codeset << 8 | ie.ident
            else:                                   # an IE class defined elsewhere
                key = _SORT_KEY[cls] = cls.CODESET << 8 | cls.ID
        elif cls is RepeatIndicator:
            has_repeat = True
        keys.append(key)
    if has_repeat:
        # Q.931 4.5.24: the repeat indicator goes just before the IE it repeats
        for j in range(len(ies) - 2, -1, -1):
            if type(ies[j]) is RepeatIndicator and keys[j + 1] >> 8 == 0:
                keys[j] = keys[j + 1]
    return keys


def _encode_ies(out: bytearray, ies: list[IE]) -> None:
    keys = _sort_keys(ies)
    n = len(ies)
    order: range | list[int] = range(n)
    for j in range(1, n):
        if keys[j] < keys[j - 1]:
            order = sorted(order, key=keys.__getitem__)    # stable: repeats keep order
            break
    codeset = 0
    for j in order:
        ie = ies[j]
        ie_codeset = keys[j] >> 8
        if ie_codeset != codeset:
            if not 0 < ie_codeset <= 7:
                raise ValueError(f"codeset {ie_codeset}")
            out.append(0x90 | ie_codeset)           # locking shift
            codeset = ie_codeset
        if ie.SINGLE_OCTET:
            out.append(ie.encode_octet())
            continue
        if type(ie) is RawIE:
            ident = ie.ident
            if ident & 0x80:
                if ident & 0xF0 == 0x90 or ident > 0xFF:
                    raise ValueError(f"RawIE single octet 0x{ident:02X}")
                out.append(ident)
                continue
        else:
            ident = ie.ID
        body = ie.encode_body()
        if len(body) > 255:
            raise ValueError(f"IE 0x{ident:02X} body of {len(body)} octets")
        out.append(ident)
        out.append(len(body))
        out += body
