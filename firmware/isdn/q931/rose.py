"""ROSE components in the Facility IE (Q.932 8.2.3, ETSI EN 300 196-1 clause 11/D):
just what the box's supplementary services need, BER with definite lengths.

The Facility IE body is the protocol profile octet (0x91: remote operations) and one
or more components: Invoke [A1] {invokeId, operationValue, argument?}, ReturnResult
[A2] {invokeId, SEQUENCE {operationValue, result}?}, ReturnError [A3] {invokeId,
errorValue, parameter?}, Reject [A4] {invokeId | NULL, problem}. Operation and error
values are local INTEGERs as ETSI uses them (a global OID value is kept as bytes).
Untrusted octets: every decode error is a RoseError, never an IndexError.
"""

from __future__ import annotations

from dataclasses import dataclass

PROFILE_ROSE = 0x91  # ext bit, profile 10001: remote operations protocol

# Operation values (ETSI, local): EN 300 369-1 explicit call transfer
ECT_EXECUTE = 6
# Global operation values (OIDs, the value octets): EN 300 745-1 message waiting
# indication, MWI-Operations-and-Errors {ccitt(0) identified-organization(4) etsi(0)
# 745 operations-and-errors(1)}: mwiActivate 1, mwiDeactivate 2, mwiIndicate 3 (read in
# libpri's rose.c / rose_etsi_mwi.c). Activate comes from the controlling user (the
# mailbox) to the network; the network tells the receiving user with Indicate, and ends
# the indication with Deactivate (so libpri's NT side, pri_mwi_indicate_v2).
_MWI = bytes((0 * 40 + 4, 0, 0x85, 0x69, 1))  # 0.4.0.745.1: 745 = 5 * 128 + 105
MWI_ACTIVATE = _MWI + b"\x01"
MWI_DEACTIVATE = _MWI + b"\x02"
MWI_INDICATE = _MWI + b"\x03"
BASIC_SERVICE_SPEECH = 1  # BasicService (EN 300 196-1 D.6): speech(1)
# General error values (EN 300 196-1 General-Errors)
NOT_AVAILABLE = 3
INVALID_CALL_STATE = 7
# Reject problems: [1] invoke problem, value 1 = unrecognised operation
INVOKE_PROBLEM, UNRECOGNISED_OPERATION = 1, 1

_INTEGER, _NULL, _OID, _ENUMERATED, _SEQUENCE = 0x02, 0x05, 0x06, 0x0A, 0x30
_INVOKE, _RESULT, _ERROR, _REJECT = 0xA1, 0xA2, 0xA3, 0xA4


class RoseError(ValueError):
    """The Facility IE's contents are not ROSE we can read."""


@dataclass(frozen=True)
class Invoke:
    invoke_id: int
    opcode: int | bytes  # bytes: a global (OID) operation value
    argument: bytes = b""  # the argument's encoding, tag and all


@dataclass(frozen=True)
class ReturnResult:
    invoke_id: int
    opcode: int | None = None
    result: bytes = b""


@dataclass(frozen=True)
class ReturnError:
    invoke_id: int
    error: int


@dataclass(frozen=True)
class Reject:
    invoke_id: int | None
    problem_tag: int  # 0 general, 1 invoke, 2 return result, 3 return error problem
    problem: int


Component = Invoke | ReturnResult | ReturnError | Reject


# encoding ---------------------------------------------------------------------------
def _tlv(tag: int, value: bytes) -> bytes:
    n = len(value)
    if n < 0x80:
        return bytes((tag, n)) + value
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(size))) + size + value


def _integer(value: int, tag: int = _INTEGER) -> bytes:
    length = max(1, (value + (value < 0)).bit_length() // 8 + 1)
    return _tlv(tag, value.to_bytes(length, "big", signed=True))


def _operation(opcode: int | bytes) -> bytes:
    return _tlv(_OID, opcode) if isinstance(opcode, bytes) else _integer(opcode)


def encode(component: Component) -> bytes:
    """One component, to follow the profile octet in a Facility IE."""
    c = component
    if isinstance(c, Invoke):
        return _tlv(_INVOKE, _integer(c.invoke_id) + _operation(c.opcode) + c.argument)
    if isinstance(c, ReturnResult):
        body = _integer(c.invoke_id)
        if c.opcode is not None:
            body += _tlv(_SEQUENCE, _operation(c.opcode) + c.result)
        return _tlv(_RESULT, body)
    if isinstance(c, ReturnError):
        return _tlv(_ERROR, _integer(c.invoke_id) + _integer(c.error))
    invoke = _tlv(_NULL, b"") if c.invoke_id is None else _integer(c.invoke_id)
    return _tlv(_REJECT, invoke + _integer(c.problem, 0x80 | c.problem_tag))


def _party_number(digits: str) -> bytes:
    """PartyNumber: unknownPartyNumber [0] IMPLICIT NumberDigits (IA5 digits)."""
    return _tlv(0x80, digits.encode("ascii"))


def mwi_indicate_argument(count: int | None, controlling: str = "",
                          basic_service: int = BASIC_SERVICE_SPEECH) -> bytes:
    """MWIIndicateArg ::= SEQUENCE { controllingUserNr [1] PartyNumber OPTIONAL,
    basicService [2] BasicService OPTIONAL, numberOfMessages [3] MessageCounter
    OPTIONAL, ... } (explicit tags)."""
    body = b""
    if controlling:
        body += _tlv(0xA1, _party_number(controlling))
    body += _tlv(0xA2, _integer(basic_service, _ENUMERATED))
    if count is not None:
        body += _tlv(0xA3, _integer(count))
    return _tlv(_SEQUENCE, body)


def mwi_deactivate_argument(receiving: str, controlling: str = "",
                            basic_service: int = BASIC_SERVICE_SPEECH) -> bytes:
    """MWIDeactivateArg ::= SEQUENCE { receivingUserNr PartyNumber, basicService
    BasicService, controllingUserNr PartyNumber OPTIONAL, mode OPTIONAL }."""
    body = _party_number(receiving) + _integer(basic_service, _ENUMERATED)
    if controlling:
        body += _party_number(controlling)
    return _tlv(_SEQUENCE, body)


def mwi_count(argument: bytes) -> int | None:
    """numberOfMessages of an MWIIndicate argument (None when it has none)."""
    parts = _parts(argument)
    if len(parts) != 1 or parts[0][0] != _SEQUENCE:
        raise RoseError("MWIIndicate argument is not a SEQUENCE")
    for tag, value, _ in _parts(parts[0][1]):
        if tag == 0xA3:
            inner = _parts(value)
            if len(inner) != 1 or inner[0][0] != _INTEGER:
                raise RoseError("numberOfMessages is not an INTEGER")
            return _int(inner[0][1])
    return None


def facility_body(*components: Component) -> bytes:
    return bytes((PROFILE_ROSE,)) + b"".join(encode(c) for c in components)


# decoding ---------------------------------------------------------------------------
def _read(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """(tag, value, position after it) of the TLV at ``pos``."""
    if pos + 2 > len(data):
        raise RoseError("truncated component")
    tag, n = data[pos], data[pos + 1]
    pos += 2
    if tag & 0x1F == 0x1F:
        raise RoseError("multi-octet tags are not used in these components")
    if n & 0x80:
        size = n & 0x7F
        if size == 0 or size > 2 or pos + size > len(data):
            raise RoseError("bad length")
        n = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    if pos + n > len(data):
        raise RoseError("value runs past the end")
    return tag, data[pos:pos + n], pos + n


def _int(value: bytes) -> int:
    if not value or len(value) > 4:
        raise RoseError("bad INTEGER")
    return int.from_bytes(value, "big", signed=True)


def _parts(value: bytes) -> list[tuple[int, bytes, bytes]]:
    """The TLVs inside a constructed value: (tag, value, whole encoding)."""
    out, pos = [], 0
    while pos < len(value):
        start = pos
        tag, inner, pos = _read(value, pos)
        out.append((tag, inner, value[start:pos]))
    return out


def _opcode(tag: int, value: bytes) -> int | bytes:
    if tag == _INTEGER:
        return _int(value)
    if tag == _OID:
        return value
    raise RoseError("operation value is neither INTEGER nor OID")


def decode(body: bytes) -> list[Component]:
    """The components of a Facility IE body (profile octet first)."""
    if not body or body[0] != PROFILE_ROSE:
        raise RoseError("not the remote operations protocol profile")
    out: list[Component] = []
    for tag, value, _ in _parts(body[1:]):
        parts = _parts(value)
        if tag == _REJECT:
            if len(parts) != 2 or parts[1][0] & 0xE0 != 0x80:
                raise RoseError("bad reject")
            invoke = None if parts[0][0] == _NULL else _int(parts[0][1])
            out.append(Reject(invoke, parts[1][0] & 0x1F, _int(parts[1][1])))
            continue
        if not parts or parts[0][0] != _INTEGER:
            raise RoseError("component without an invoke id")
        invoke_id = _int(parts[0][1])
        rest = parts[1:]
        if tag == _INVOKE:
            if rest and rest[0][0] == 0x80:  # linkedId [0]: not used here
                rest = rest[1:]
            if not rest:
                raise RoseError("invoke without an operation value")
            argument = b"".join(whole for _, _, whole in rest[1:])
            out.append(Invoke(invoke_id, _opcode(rest[0][0], rest[0][1]), argument))
        elif tag == _RESULT:
            if not rest:
                out.append(ReturnResult(invoke_id))
                continue
            if rest[0][0] != _SEQUENCE:
                raise RoseError("return result without its sequence")
            seq = _parts(rest[0][1])
            if not seq:
                raise RoseError("empty return result sequence")
            out.append(ReturnResult(invoke_id, _opcode(seq[0][0], seq[0][1]),
                                    b"".join(whole for _, _, whole in seq[1:])))
        elif tag == _ERROR:
            if not rest or rest[0][0] != _INTEGER:
                raise RoseError("return error without an error value")
            out.append(ReturnError(invoke_id, _int(rest[0][1])))
        else:
            raise RoseError(f"unknown component tag 0x{tag:02X}")
    return out
