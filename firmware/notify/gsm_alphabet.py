"""The GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1) and its extension table.

With `AT+CSCS="GSM"` (3GPP TS 27.007 §5.5) the text of an SMS crosses the serial line
as one byte per septet, the septet's code in the table below: '@' is 0x00, '$' is 0x02,
letters and digits coincide with ASCII. Characters of the extension table (€, [, ], {, }
...) are two septets, 0x1B then their code.

Used by the SMS sender and by the modem simulator, which decodes what it is sent.
"""

from __future__ import annotations

# Index = septet value. 0x1B is the escape to the extension table, not a character.
BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
assert len(BASIC) == 128

ESCAPE = 0x1B

# TS 23.038 §6.2.1.1, the default extension table: character -> septet after ESCAPE.
EXTENSION = {"\f": 0x0A, "^": 0x14, "{": 0x28, "}": 0x29, "\\": 0x2F, "[": 0x3C, "~": 0x3D,
             "]": 0x3E, "|": 0x40, "€": 0x65}

_ENCODE = {c: i for i, c in enumerate(BASIC) if i != ESCAPE}
_DECODE_EXTENSION = {v: c for c, v in EXTENSION.items()}

# In text-mode entry after AT+CMGS (3GPP TS 27.005 §3.5.1) a few bytes are controls, not
# text: Ctrl-Z (0x1A) ends the message, ESC (0x1B) cancels it and backspace (0x08, the
# V.250 S5 default) deletes. The characters whose codes collide (Ξ, ò, and every
# extension character because of its ESC prefix) cannot be sent as GSM text; a message
# containing one goes as UCS2 instead.
_TEXT_MODE_CONTROLS = frozenset({0x08, 0x1A, 0x1B})
TEXT_MODE_SAFE = frozenset(c for c, code in _ENCODE.items() if code not in _TEXT_MODE_CONTROLS)


def is_text_mode_safe(text: str) -> bool:
    """True if every character can be sent as GSM text in text mode (one septet each)."""
    return all(c in TEXT_MODE_SAFE for c in text)


def encode(text: str) -> bytes:
    """Text to septet bytes (one per byte, unpacked), extension characters escaped.

    Raises ValueError naming the first character outside both tables.
    """
    out = bytearray()
    for c in text:
        code = _ENCODE.get(c)
        if code is not None:
            out.append(code)
        elif c in EXTENSION:
            out += bytes((ESCAPE, EXTENSION[c]))
        else:
            raise ValueError(f"{c!r} (U+{ord(c):04X}) is not in the GSM 7-bit alphabet")
    return bytes(out)


def decode(data: bytes) -> str:
    """Septet bytes back to text. An unknown escape sequence reads as a space, as
    TS 23.038 asks of a receiver; values above 0x7F raise ValueError."""
    out = []
    escaped = False
    for b in data:
        if b > 0x7F:
            raise ValueError(f"byte 0x{b:02X} is not a septet")
        if escaped:
            out.append(_DECODE_EXTENSION.get(b, " "))
            escaped = False
        elif b == ESCAPE:
            escaped = True
        else:
            out.append(BASIC[b])
    if escaped:
        out.append(" ")
    return "".join(out)


def septets(text: str) -> int:
    """How many septets `text` takes (extension characters count two)."""
    return len(encode(text))
