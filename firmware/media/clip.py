"""Caller ID for analog phones: messages, the FSK burst as PCM, and a decoder.

ETSI EN 300 659-3 (CLIP) messages are a type byte, a length byte, parameters and a
checksum, the two's complement of the byte sum (so all bytes add to 0 mod 256). Call
set-up (0x80) and message waiting (0x82) are multiple data messages: each parameter is
type, length, value. Telcordia GR-30 (Bell 202, North America) uses the same frame, with
the same call set-up parameters, and single data messages: 0x04 = "MMDDHHMM" + number (or
'O'/'P') with no parameter headers, 0x06 = message waiting.

On the line (EN 300 659-1): a channel seizure of 300 alternating bits (0101...), then
180 mark bits, then the message as async bytes, V.23 FSK for ETSI, Bell 202 for GR-30.
For data sent before ringing the exchange first sends the DT-AS dual tone (2130 Hz +
2750 Hz, about 100 ms) and the FSK 45-500 ms later: ``dt_as()`` is a separate piece so
the PBX can time it.

``decode()`` reads a burst back from audio (the simulated phones and the tests use it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from firmware.media import fsk, tones

# Message types (EN 300 659-3 §5.2; GR-30 for the SDMF ones)
CALL_SETUP = 0x80
MESSAGE_WAITING = 0x82
ADVICE_OF_CHARGE = 0x86
SMS = 0x89
SDMF_CALL_SETUP = 0x04
SDMF_MESSAGE_WAITING = 0x06

# Parameter types (EN 300 659-3 §5.3)
DATE_TIME = 0x01
CALLING_NUMBER = 0x02
CALLED_NUMBER = 0x03
ABSENCE = 0x04  # reason for absence of the calling line identity
NAME = 0x07
NAME_ABSENCE = 0x08
VISUAL_INDICATOR = 0x0B
CALL_TYPE = 0x11
MESSAGE_COUNT = 0x13
REDIRECTING_NUMBER = 0x1A

# Reasons for absence
UNAVAILABLE = "O"
PRIVATE = "P"

# Call types (parameter 0x11)
VOICE_CALL = 0x01
RING_BACK_WHEN_FREE = 0x02
MESSAGE_WAITING_CALL = 0x81

ETSI = "etsi"  # V.23
BELL = "bell"  # Bell 202
_MODEM = {ETSI: fsk.V23, BELL: fsk.BELL202}

SEIZURE_BITS = 300
MARK_BITS = 180
TRAILING_MARKS = 5  # a few marks after the checksum so a receiver's filters flush
FSK_LEVEL = -13.0  # dBm0
DT_AS_FREQS = (2130.0, 2750.0)
DT_AS_MS = 100
DT_AS_LEVEL = -13.0  # dBm0 per frequency

MAX_NUMBER = 20  # characters in a number parameter
MAX_NAME = 50
# the message start: a byte after at least this many idle mark bits (the mark signal
# is 180 +- 25; bytes inside a message follow each other with none)
MIN_IDLE_BITS = 8

_FIELD_NAMES = {
    DATE_TIME: "date_time",
    CALLING_NUMBER: "number",
    CALLED_NUMBER: "called",
    ABSENCE: "absence",
    NAME: "name",
    NAME_ABSENCE: "name_absence",
    VISUAL_INDICATOR: "message_waiting",
    CALL_TYPE: "call_type",
    MESSAGE_COUNT: "message_count",
    REDIRECTING_NUMBER: "redirecting",
}


def checksum(data: bytes) -> int:
    """The byte that makes the sum of ``data`` and itself 0 mod 256."""
    return -sum(data) & 0xFF


def frame(msg_type: int, body: bytes) -> bytes:
    """Type, length, body, checksum."""
    if len(body) > 255:
        raise ValueError(f"message body of {len(body)} bytes: at most 255")
    head = bytes((msg_type, len(body))) + body
    return head + bytes((checksum(head),))


def param(ptype: int, value: bytes) -> bytes:
    if len(value) > 255:
        raise ValueError(f"parameter 0x{ptype:02X} of {len(value)} bytes: at most 255")
    return bytes((ptype, len(value))) + value


def mdmf(msg_type: int, params: Iterable[tuple[int, bytes]]) -> bytes:
    """A multiple data message of (type, value) parameters, in the order given."""
    return frame(msg_type, b"".join(param(t, v) for t, v in params))


def date_time(when: datetime | str) -> bytes:
    """"MMDDHHMM" of ``when`` (a datetime, or that string already)."""
    text = when.strftime("%m%d%H%M") if isinstance(when, datetime) else when
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise ValueError(f"date/time must be 8 digits MMDDHHMM, got {text!r}")
    return text.encode("ascii")


def _text(value: str, what: str, limit: int) -> bytes:
    data = value.encode("latin-1", errors="replace")
    if not data or len(data) > limit:
        raise ValueError(f"{what} must have 1..{limit} characters, got {len(data)}")
    if any(b < 0x20 for b in data):
        raise ValueError(f"{what} has control characters: {value!r}")
    return data


def _reason(value: str, what: str) -> bytes:
    if value not in (UNAVAILABLE, PRIVATE):
        raise ValueError(f"{what} must be 'O' (unavailable) or 'P' (private), got {value!r}")
    return value.encode("ascii")


def call_setup(
    *,
    when: datetime | str | None = None,
    number: str | None = None,
    absence: str | None = None,
    name: str | None = None,
    name_absence: str | None = None,
    called: str | None = None,
    redirecting: str | None = None,
    call_type: int | None = None,
) -> bytes:
    """MDMF call set-up (0x80), ETSI or GR-30; parameters in the order of EN 300 659-3."""
    if number is not None and absence is not None:
        raise ValueError("give the calling number or a reason for its absence, not both")
    if name is not None and name_absence is not None:
        raise ValueError("give the name or a reason for its absence, not both")
    params: list[tuple[int, bytes]] = []
    if call_type is not None:
        if not 0 <= call_type <= 255:
            raise ValueError(f"call type must be one byte, got {call_type}")
        params.append((CALL_TYPE, bytes((call_type,))))
    if when is not None:
        params.append((DATE_TIME, date_time(when)))
    if number is not None:
        params.append((CALLING_NUMBER, _text(number, "number", MAX_NUMBER)))
    if absence is not None:
        params.append((ABSENCE, _reason(absence, "absence")))
    if called is not None:
        params.append((CALLED_NUMBER, _text(called, "called number", MAX_NUMBER)))
    if name is not None:
        params.append((NAME, _text(name, "name", MAX_NAME)))
    if name_absence is not None:
        params.append((NAME_ABSENCE, _reason(name_absence, "name absence")))
    if redirecting is not None:
        params.append((REDIRECTING_NUMBER, _text(redirecting, "redirecting number", MAX_NUMBER)))
    if not params:
        raise ValueError("a call set-up message needs at least one parameter")
    return mdmf(CALL_SETUP, params)


def message_waiting(
    active: bool, count: int | None = None, when: datetime | str | None = None
) -> bytes:
    """MDMF message waiting (0x82): visual indicator on (0xFF) or off (0x00), and the
    number of messages if known."""
    params: list[tuple[int, bytes]] = []
    if when is not None:
        params.append((DATE_TIME, date_time(when)))
    params.append((VISUAL_INDICATOR, b"\xff" if active else b"\x00"))
    if count is not None:
        if not 0 <= count <= 255:
            raise ValueError(f"message count must be 0..255, got {count}")
        params.append((MESSAGE_COUNT, bytes((count,))))
    return mdmf(MESSAGE_WAITING, params)


def sdmf_call_setup(
    when: datetime | str, number: str | None = None, absence: str | None = None
) -> bytes:
    """GR-30 single data message (0x04): date/time then the number, or 'O'/'P'."""
    if (number is None) == (absence is None):
        raise ValueError("give either the number or a reason for its absence")
    tail = _text(number, "number", MAX_NUMBER) if number is not None else _reason(
        absence or "", "absence"
    )
    return frame(SDMF_CALL_SETUP, date_time(when) + tail)


def sdmf_message_waiting(active: bool) -> bytes:
    """GR-30 single data message waiting (0x06): "BBB" on, "ooo" off."""
    return frame(SDMF_MESSAGE_WAITING, b"\x42\x42\x42" if active else b"\x6f\x6f\x6f")


@dataclass(frozen=True)
class Message:
    """A received (or parsed) message: ``type``, ``body`` between length and checksum."""

    type: int
    body: bytes
    checksum_ok: bool = True
    framing_ok: bool = True  # every byte had its stop bit

    @property
    def ok(self) -> bool:
        return self.checksum_ok and self.framing_ok

    @property
    def is_mdmf(self) -> bool:
        return bool(self.type & 0x80)

    def params(self) -> list[tuple[int, bytes]]:
        """The (type, value) parameters of a multiple data message; ValueError when
        they do not fill the body exactly."""
        if not self.is_mdmf:
            raise ValueError(f"message type 0x{self.type:02X} has no parameters")
        out: list[tuple[int, bytes]] = []
        pos = 0
        body = self.body
        while pos < len(body):
            if pos + 2 > len(body) or pos + 2 + body[pos + 1] > len(body):
                raise ValueError(f"parameter at byte {pos} runs past the message end")
            n = body[pos + 1]
            out.append((body[pos], body[pos + 2 : pos + 2 + n]))
            pos += 2 + n
        return out

    def fields(self) -> dict[str, str | int | bool]:
        """The contents by name (date_time, number, absence, name, ...)."""
        if self.type == SDMF_CALL_SETUP:
            rest = self.body[8:].decode("latin-1")
            key = "absence" if rest in (UNAVAILABLE, PRIVATE) else "number"
            return {"date_time": self.body[:8].decode("latin-1"), key: rest}
        if self.type == SDMF_MESSAGE_WAITING:
            return {"message_waiting": self.body == b"\x42\x42\x42"}
        out: dict[str, str | int | bool] = {}
        for ptype, value in self.params():
            key = _FIELD_NAMES.get(ptype, f"param_0x{ptype:02x}")
            if ptype == VISUAL_INDICATOR:
                out[key] = value != b"\x00"
            elif ptype in (CALL_TYPE, MESSAGE_COUNT) and len(value) == 1:
                out[key] = value[0]
            elif ptype in _FIELD_NAMES:
                out[key] = value.decode("latin-1")
            else:
                out[key] = value.hex()
        return out


def parse(data: bytes) -> Message:
    """A message from its bytes (type, length, body, checksum); ValueError if cut short."""
    if len(data) < 3 or len(data) < data[1] + 3:
        raise ValueError(f"message of {len(data)} bytes is shorter than its length field says")
    end = data[1] + 2
    return Message(data[0], bytes(data[2:end]), checksum(data[:end]) == data[end])


def _modem(standard: str) -> str:
    try:
        return _MODEM[standard]
    except KeyError:
        raise ValueError(f"unknown standard {standard!r}; valid: {', '.join(_MODEM)}") from None


def burst(
    message: bytes,
    standard: str = ETSI,
    *,
    level_dbm0: float = FSK_LEVEL,
    seizure_bits: int = SEIZURE_BITS,
    mark_bits: int = MARK_BITS,
    trailing_marks: int = TRAILING_MARKS,
) -> bytes:
    """The FSK burst of ``message`` (from ``frame``/``mdmf``/...) as 16-bit LE PCM:
    channel seizure, mark signal, the bytes, a few trailing marks."""
    mod = fsk.Modulator(_modem(standard), level_dbm0)
    return (
        mod.seizure(seizure_bits, mark_bits)
        + mod.async_bytes(message)
        + mod.seizure(0, trailing_marks)
    )


def dt_as(level_dbm0: float = DT_AS_LEVEL, ms: int = DT_AS_MS) -> bytes:
    """The dual tone alerting signal (2130 Hz + 2750 Hz) sent before an on-hook burst
    that precedes ringing, as 16-bit LE PCM."""
    seg = tones.Segment(ms, DT_AS_FREQS, (level_dbm0, level_dbm0))
    return tones.generate(tones.Tone((seg,), repeat=False), seg.samples)


def _message_at(rx: list[fsk.RxByte], i: int) -> Message | None:
    """The message whose type byte is rx[i], or None when the audio ends first."""
    if i + 2 > len(rx):
        return None
    length = rx[i + 1].value
    end = i + 2 + length
    if end >= len(rx):
        return None
    raw = bytes(b.value for b in rx[i : end + 1])
    framing = all(b.stop_ok for b in rx[i : end + 1])
    return Message(raw[0], raw[2:end - i], checksum(raw[:-1]) == raw[-1], framing)


def decode(pcm: bytes, standard: str = ETSI) -> Message | None:
    """The first good message in ``pcm`` (16-bit LE audio), else the first complete one
    with its errors flagged, else None. A message starts at a byte that follows the mark
    signal (or opens the audio)."""
    rx = fsk.Demodulator(_modem(standard)).process(pcm)
    starts = [i for i, b in enumerate(rx) if b.idle_bits >= MIN_IDLE_BITS or i == 0]
    first_bad: Message | None = None
    for i in starts:
        msg = _message_at(rx, i)
        if msg is None:
            continue
        if msg.ok:
            return msg
        if first_bad is None and rx[i].idle_bits >= MIN_IDLE_BITS:
            first_bad = msg
    return first_bad
