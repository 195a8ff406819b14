"""The console the box runs on its serial port: banner, prompt, line editor, commands.

The serial loop polls with a short read timeout so a stop request (SIGTERM) is seen
within a tenth of a second; all output goes through say(), which turns newlines into
the CRLF a serial terminal needs.
"""

from __future__ import annotations

import threading

import serial

from firmware import __version__
from firmware.console.commands import execute
from firmware.console.daemon_link import DaemonLink
from firmware.console.lineedit import Echo, LineEditor
from firmware.log import get_logger

log = get_logger("console")

PROMPT = "ringback> "
BANNER = f"Ringback {__version__} console \u2014 type 'help'"
READ_TIMEOUT = 0.1  # the port's timeout; the loop's reaction time to a stop request


class Console:
    def __init__(self, port: serial.Serial, daemon: DaemonLink,
                 stop: threading.Event | None = None) -> None:
        self.port = port
        self.daemon = daemon
        self._stop = stop or threading.Event()
        self._editor = LineEditor()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Serve the technician until stop is set; serial errors propagate."""
        self.say(BANNER)
        self._write(PROMPT.encode())
        while not self.stopping:
            data = self.read_input()
            for item in self._editor.feed(data) if data else ():
                if isinstance(item, Echo):
                    self._write(item.data)
                    continue
                if not item.cancelled:
                    execute(self, item.text)
                if not self.stopping:
                    self._write(PROMPT.encode())

    def say(self, text: str) -> None:
        """Print text as whole lines (CRLF endings)."""
        lines = text.replace("\r\n", "\n").split("\n")
        self._write("".join(f"{line}\r\n" for line in lines).encode("utf-8", "replace"))

    def read_input(self) -> bytes:
        """Whatever the technician typed, waiting at most READ_TIMEOUT for the first byte."""
        return self.port.read(self.port.in_waiting or 1)

    def _write(self, data: bytes) -> None:
        try:
            self.port.write(data)
        except serial.SerialTimeoutException:
            # A line that does not drain (flow control stuck): drop output, keep serving.
            log.warning("serial_write_timeout", bytes=len(data))
