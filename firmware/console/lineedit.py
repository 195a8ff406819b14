"""A line editor for a dumb serial terminal, sans-I/O: bytes in, echo bytes and lines out.

Every byte from the serial port is untrusted (line noise, a wrong baud rate, a terminal
sending escape sequences), so the editor never raises: invalid UTF-8 and control bytes it
does not know are dropped, ANSI escape sequences (arrow keys) are swallowed whole, and the
line is capped with a bell. CR, LF and CRLF each end exactly one line.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

MAX_LINE = 256

BS, DEL, CTRL_C, CTRL_U, ESC = "\x08", "\x7f", "\x03", "\x15", "\x1b"
BELL = b"\x07"
ERASE = b"\x08 \x08"  # back, blank, back: how a dumb terminal erases one cell
NEWLINE = b"\r\n"


@dataclass(frozen=True)
class Echo:
    """Bytes to send back to the terminal."""

    data: bytes


@dataclass(frozen=True)
class Line:
    """A finished line; `cancelled` when Ctrl-C abandoned it (text is then empty)."""

    text: str
    cancelled: bool = False


class LineEditor:
    def __init__(self, max_len: int = MAX_LINE) -> None:
        self.max_len = max_len
        self._chars: list[str] = []
        # errors="ignore" drops invalid UTF-8 but keeps split multi-byte characters
        # across reads, since a serial read can end in the middle of one.
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
        self._after_cr = False
        self._escape = ""  # the escape sequence being swallowed, "" when none

    @property
    def text(self) -> str:
        """The line typed so far."""
        return "".join(self._chars)

    def feed(self, data: bytes) -> list[Echo | Line]:
        """Take bytes from the terminal; return what to echo and finished lines, in order."""
        out: list[Echo | Line] = []
        for ch in self._decoder.decode(data):
            self._char(ch, out)
        return _merge_echoes(out)

    def _char(self, ch: str, out: list[Echo | Line]) -> None:
        if self._escape and self._escape_char(ch):
            return
        after_cr, self._after_cr = self._after_cr, False
        if ch == "\n" and after_cr:
            return  # the LF of a CRLF: the CR already ended the line
        if ch in "\r\n":
            self._after_cr = ch == "\r"
            out += [Echo(NEWLINE), Line(self.text)]
            self._chars.clear()
        elif ch in (BS, DEL):
            if self._chars:
                self._chars.pop()
                out.append(Echo(ERASE))
        elif ch == CTRL_U:
            out.append(Echo(ERASE * len(self._chars)))
            self._chars.clear()
        elif ch == CTRL_C:
            out += [Echo(b"^C" + NEWLINE), Line("", cancelled=True)]
            self._chars.clear()
        elif ch == ESC:
            self._escape = ESC
        elif not ch.isprintable():
            return  # other control bytes (NUL, XON/XOFF, tabs...) mean nothing here
        elif len(self._chars) >= self.max_len:
            out.append(Echo(BELL))
        else:
            self._chars.append(ch)
            out.append(Echo(ch.encode()))

    def _escape_char(self, ch: str) -> bool:
        """Swallow ESC [ params final (CSI) and ESC O x (SS3), so an arrow key does not
        type "[A" into the line. Returns False when `ch` is not part of the sequence."""
        if ch < " ":
            self._escape = ""  # a control byte (Enter after a lone ESC) still counts
            return False
        if self._escape == ESC and ch in "[O":
            self._escape += ch
        elif self._escape.startswith(ESC + "[") and ch <= "\x3f" and len(self._escape) < 16:
            self._escape += ch  # parameter and intermediate bytes
        else:
            self._escape = ""  # the final byte (or anything unexpected) ends it
        return True


def _merge_echoes(items: list[Echo | Line]) -> list[Echo | Line]:
    merged: list[Echo | Line] = []
    for item in items:
        if isinstance(item, Echo) and merged and isinstance(merged[-1], Echo):
            merged[-1] = Echo(merged[-1].data + item.data)
        elif not (isinstance(item, Echo) and not item.data):
            merged.append(item)
    return merged
