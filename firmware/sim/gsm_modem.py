"""A simulated GSM modem on a pty: answers AT commands the way a real one does.

    with GsmModemSim(pin="1234", log_path="sms.jsonl") as modem:
        modem.device           # /dev/pts/N: the SMS sender opens this as its serial port
        ...
        modem.messages         # every SMS that "arrived": ReceivedSms(number, text, ...)
        modem.fail_next(38)    # the next AT+CMGS answers +CMS ERROR: 38
        modem.silent = True    # answer nothing at all, like a hung modem

`python -m firmware.sim.gsm_modem [--pin 1234] [--log FILE] [--fail 38 --fail-count 2]`
runs one until SIGINT/SIGTERM and prints its device path on the first line of stdout.
With --log every SMS is appended to FILE as one JSON line, for another process to read.

What it speaks: V.250 command lines (echo on until ATE0, backspace, verbose result codes
framed in CR LF), 3GPP TS 27.007 (+CMEE, +CPIN with three PIN tries then SIM PUK,
+CREG, +CSCS "GSM"/"IRA"/"UCS2", +CSQ, +CGMI/+CGMM) and the text mode of TS 27.005
(+CMGF, +CSMP, +CMGS with its "> " prompt, Ctrl-Z to send, ESC to cancel). One command
per line; anything else is ERROR. PDU mode is not simulated (AT+CMGS in PDU mode gives
+CMS ERROR: 304).
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import selectors
import signal
import sys
import threading
import time
import tty
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path

from firmware.log import get_logger, setup_logging
from firmware.notify import at_codes, gsm_alphabet

log = get_logger("sim.gsm_modem")

CR, LF, BS, CTRL_Z, ESC = 0x0D, 0x0A, 0x08, 0x1A, 0x1B
CHARSETS = ("GSM", "IRA", "UCS2")
_NUMBER = re.compile(r"\+?[0-9]{1,20}")


@dataclass(frozen=True)
class ReceivedSms:
    """One SMS the simulated network took: what the recipient's phone would show."""

    number: str
    text: str
    reference: int  # TP-MR, as answered in +CMGS
    coding: str  # "GSM" (7-bit) or "UCS2"
    at: float  # wall-clock seconds


class _Reject(Exception):
    """A command's negative answer: +CME/+CMS ERROR n, or plain ERROR when kind is None."""

    def __init__(self, kind: str | None = None, code: int = 0) -> None:
        super().__init__(kind, code)
        self.kind, self.code = kind, code


class GsmModemSim:
    """The modem: a pty pair and a thread that answers on the master side."""

    def __init__(self, pin: str | None = None, log_path: str | os.PathLike[str] | None = None,
                 registered: bool = True) -> None:
        self.pin = pin
        self.log_path = Path(log_path) if log_path is not None else None
        self.registered = registered
        self.silent = False  # read everything, answer nothing: a hung or unpowered modem
        self.messages: list[ReceivedSms] = []
        self.commands: list[str] = []  # every command line received, PIN masked
        self._failures: deque[int | None] = deque()  # None: let one through
        self._arrived = threading.Condition()
        self._master: int | None = None
        self._slave: int | None = None
        self._path = ""
        self._wake: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reset_state()
        self._pin_tries = 3
        self._sim = "SIM PIN" if pin else "READY"
        self._reference = 0

    # --- control, from the test's side ---------------------------------------------------

    @property
    def device(self) -> str:
        if self._master is None:
            raise RuntimeError("the modem is not open")
        return self._path

    def fail_next(self, code: int = 38, times: int = 1, after: int = 0) -> None:
        """Let `after` submissions through, then answer the next `times` with
        +CMS ERROR: code (38: network out of order) instead of sending them."""
        with self._arrived:
            self._failures.extend([None] * after + [code] * times)

    def wait_for_messages(self, count: int, timeout: float = 5.0) -> list[ReceivedSms]:
        """Block until at least `count` SMS arrived; returns them all (raises on timeout)."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise TimeoutError(f"{len(self.messages)} SMS arrived, expected {count}")
            return list(self.messages)

    def open(self) -> GsmModemSim:
        if self._thread is not None:
            raise RuntimeError("modem already open")
        master, slave = pty.openpty()
        tty.setraw(slave)  # a serial line: no echo or line editing by the kernel
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self._path = os.ttyname(slave)
        self._wake = os.pipe()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="gsm-modem", daemon=True)
        self._thread.start()
        log.info("modem_open", device=self._path, pin=bool(self.pin))
        return self

    def close(self) -> None:
        """Stop the thread and close every fd; safe to call twice."""
        if self._thread is not None:
            self._stop.set()
            assert self._wake is not None
            os.write(self._wake[1], b"x")
            self._thread.join(timeout=5)
            self._thread = None
        for fd in (self._master, self._slave, *(self._wake or ())):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._master = self._slave = self._wake = None

    def __enter__(self) -> GsmModemSim:
        return self if self._thread else self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the line -------------------------------------------------------------------------

    def _run(self) -> None:
        assert self._master is not None and self._wake is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self._master, selectors.EVENT_READ)
            sel.register(self._wake[0], selectors.EVENT_READ)
            while not self._stop.is_set():
                for key, _ in sel.select():
                    if key.fd == self._master:
                        self._receive()

    def _receive(self) -> None:
        assert self._master is not None
        try:
            data = os.read(self._master, 4096)
        except BlockingIOError:
            return
        except OSError:
            self._stop.wait(0.05)  # EIO without a reader: cannot last while we hold the slave
            return
        if self.silent:
            return
        for byte in data:
            if self._text_entry:
                self._text_byte(byte)
            else:
                self._command_byte(byte)

    def _send(self, data: bytes) -> None:
        if self._master is None:
            return
        try:
            os.write(self._master, data)
        except (BlockingIOError, OSError):
            pass  # nobody reads and the buffer is full: a real line loses it too

    def _answer(self, *lines: str) -> None:
        """Information lines then the final result, each framed CR LF (V.250 §5.7.1)."""
        self._send(b"".join(b"\r\n" + line.encode("ascii") + b"\r\n" for line in lines))

    def _error(self, reject: _Reject) -> None:
        if reject.kind is None or self._cmee == 0:
            self._answer("ERROR")
        elif self._cmee == 1:
            self._answer(f"+{reject.kind} ERROR: {reject.code}")
        else:
            self._answer(f"+{reject.kind} ERROR: {at_codes.meaning(reject.kind, reject.code)}")

    # --- command mode (V.250 §5.2) ----------------------------------------------------------

    def _reset_state(self) -> None:
        """Settings ATZ restores; the SIM state survives it, as on a real modem."""
        self._echo = True
        self._cmee = 0
        self._cmgf = 0
        self._cscs = "IRA"
        self._csmp = [17, 167, 0, 0]
        self._line = bytearray()
        self._text_entry = False
        self._text = bytearray()
        self._da = ""

    def _command_byte(self, byte: int) -> None:
        if self._echo:
            self._send(bytes((byte,)))
        if byte == CR:
            line = self._line.decode("latin-1").strip()
            self._line.clear()
            if line:
                self._command_line(line)
        elif byte == BS:
            del self._line[-1:]
        elif byte >= 0x20:
            self._line.append(byte)
        # LF after CR, ESC and other controls are ignored in command mode

    def _command_line(self, line: str) -> None:
        start = line.upper().find("AT")
        if start < 0:
            return  # V.250: characters before the "AT" prefix are ignored
        command = line[start:]
        self.commands.append(re.sub(r'(?i)(\+CPIN=)"?[0-9]*"?', r'\1"****"', command))
        body = command[2:]
        try:
            info = self._execute(body, body.upper())
        except _Reject as reject:
            self._error(reject)
            return
        if info is not None:
            self._answer(*info, "OK")

    def _execute(self, body: str, upper: str) -> list[str] | None:
        """Run one command; returns information lines (then OK) or None if it answers
        by itself; raises _Reject for an error answer."""
        if upper == "":
            return []
        if upper in ("E", "E0", "E1"):
            self._echo = upper == "E1"
            return []
        if upper == "Z":
            self._reset_state()
            return []
        if upper == "I":
            return ["Ringback GSM modem simulator"]
        if upper == "+CGMI":
            return ["Ringback"]
        if upper == "+CGMM":
            return ["GSM modem simulator"]
        if upper == "+CSQ":
            return ["+CSQ: 20,99" if self.registered else "+CSQ: 99,99"]
        if upper == "+CREG?":
            return [f"+CREG: 0,{1 if self.registered else 2}"]
        if m := re.fullmatch(r"\+CMEE=([0-2])", upper):
            self._cmee = int(m.group(1))
            return []
        if upper == "+CMEE?":
            return [f"+CMEE: {self._cmee}"]
        if upper == "+CPIN?":
            return [f"+CPIN: {self._sim}"]
        if m := re.fullmatch(r'\+CPIN="?([0-9]*)"?', body, re.IGNORECASE):
            return self._enter_pin(m.group(1))
        if m := re.fullmatch(r"\+CMGF=([01])", upper):
            self._cmgf = int(m.group(1))
            return []
        if upper == "+CMGF?":
            return [f"+CMGF: {self._cmgf}"]
        if m := re.fullmatch(r'\+CSCS="([A-Z0-9]+)"', upper):
            if m.group(1) not in CHARSETS:
                raise _Reject("CME", 4)
            self._cscs = m.group(1)
            return []
        if upper == "+CSCS?":
            return [f'+CSCS: "{self._cscs}"']
        if m := re.fullmatch(r"\+CSMP=([0-9,]*)", upper):
            return self._set_csmp(m.group(1))
        if upper == "+CSMP?":
            return ["+CSMP: " + ",".join(map(str, self._csmp))]
        if m := re.fullmatch(r'\+CMGS=(.*)', body, re.IGNORECASE):
            self._start_submit(m.group(1))
            return None
        raise _Reject()

    def _enter_pin(self, pin: str) -> list[str]:
        if self._sim == "READY":
            raise _Reject("CME", 3)  # operation not allowed: nothing to unlock
        if self._sim != "SIM PIN":
            raise _Reject("CME", 12)
        if pin == self.pin:
            self._sim = "READY"
            return []
        self._pin_tries -= 1
        if self._pin_tries == 0:
            self._sim = "SIM PUK"
        raise _Reject("CME", 16)

    def _set_csmp(self, args: str) -> list[str]:
        values = args.split(",")
        if len(values) > 4:
            raise _Reject("CMS", 305)
        for i, value in enumerate(values):
            if value:
                number = int(value)
                if not 0 <= number <= 255:
                    raise _Reject("CMS", 305)
                self._csmp[i] = number
        return []

    # --- text mode SMS submission (TS 27.005 §3.5.1) ---------------------------------------

    def _sms_ready(self) -> None:
        if self._sim == "SIM PIN":
            raise _Reject("CMS", 311)
        if self._sim != "READY":
            raise _Reject("CMS", 316)
        if not self.registered:
            raise _Reject("CMS", 331)

    def _start_submit(self, args: str) -> None:
        self._sms_ready()
        if self._cmgf != 1:
            raise _Reject("CMS", 304)  # a quoted number is no PDU length
        m = re.fullmatch(r'"([^"]*)"(?:,(\d+))?', args)
        if not m:
            raise _Reject("CMS", 305)
        try:
            number = self._from_te(m.group(1))
        except ValueError:
            raise _Reject("CMS", 305) from None
        if not _NUMBER.fullmatch(number):
            raise _Reject("CMS", 305)
        self._da = number
        self._text.clear()
        self._text_entry = True
        self._send(b"\r\n> ")

    def _text_byte(self, byte: int) -> None:
        if byte == CTRL_Z:
            self._text_entry = False
            self._submit()
        elif byte == ESC:
            self._text_entry = False
            self._answer("OK")  # cancelled: nothing is sent
        elif byte == BS:
            del self._text[-1:]
            if self._echo:
                self._send(b"\x08 \x08")
        elif byte == CR:
            if not self._hex_entry():
                self._text.append(byte)  # CR is a character; the prompt comes again
            self._send(b"\r\n> ")
        else:
            self._text.append(byte)
            if self._echo:
                self._send(bytes((byte,)))

    def _hex_entry(self) -> bool:
        """TS 27.005 §3.5.1: UCS2 or 8-bit data is entered as hex pairs."""
        return self._dcs_class() != "GSM"

    def _dcs_class(self) -> str:
        dcs = self._csmp[3]
        if dcs & 0xC0 == 0 and dcs & 0x0C == 0x08:  # TS 23.038 §4, general data coding
            return "UCS2"
        if dcs & 0xC0 == 0 and dcs & 0x0C == 0x04:
            return "8BIT"
        return "GSM"

    def _from_te(self, text: str) -> str:
        """A string parameter in the TE character set (+CSCS) to text."""
        if self._cscs == "UCS2":
            return bytes.fromhex(text).decode("utf-16-be")
        if self._cscs == "GSM":
            return gsm_alphabet.decode(text.encode("latin-1"))
        return text

    def _submit(self) -> None:
        try:
            coding, text = self._decode_text(bytes(self._text))
        except ValueError:
            self._error(_Reject("CMS", 305))
            return
        with self._arrived:
            failure = self._failures.popleft() if self._failures else None
        if failure is not None:
            log.info("sms_refused", number=self._da, cms_error=failure)
            self._error(_Reject("CMS", failure))
            return
        self._reference = (self._reference + 1) % 256  # TP-MR, TS 23.040 §9.2.3.6
        sms = ReceivedSms(self._da, text, self._reference, coding, time.time())
        self._record(sms)
        self._answer(f"+CMGS: {sms.reference}", "OK")

    def _decode_text(self, raw: bytes) -> tuple[str, str]:
        kind = self._dcs_class()
        if kind == "UCS2":
            text = bytes.fromhex(raw.decode("ascii")).decode("utf-16-be")
            if len(text.encode("utf-16-be")) > 140:
                raise ValueError("longer than one SMS")
            return "UCS2", text
        if kind == "8BIT":
            raise ValueError("8-bit data is not simulated")
        if self._cscs == "UCS2":
            text = bytes.fromhex(raw.decode("ascii")).decode("utf-16-be")
        elif self._cscs == "GSM":
            text = gsm_alphabet.decode(raw)
        else:
            text = raw.decode("ascii")
        if gsm_alphabet.septets(text) > 160:  # also raises for a non-GSM character
            raise ValueError("longer than one SMS")
        return "GSM", text

    def _record(self, sms: ReceivedSms) -> None:
        if self.log_path is not None:
            line = json.dumps(asdict(sms), ensure_ascii=False) + "\n"
            fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode("utf-8"))  # one write: a reader sees whole lines
            finally:
                os.close(fd)
        with self._arrived:
            self.messages.append(sms)
            self._arrived.notify_all()
        log.info("sms_received", number=sms.number, coding=sms.coding,
                 chars=len(sms.text), reference=sms.reference)


def read_log(path: str | os.PathLike[str]) -> list[ReceivedSms]:
    """The SMS a modem process logged so far (complete lines only)."""
    try:
        data = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [ReceivedSms(**json.loads(line)) for line in data.splitlines(keepends=True)
            if line.endswith("\n")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m firmware.sim.gsm_modem",
                                     description="A simulated GSM modem on a pty.")
    parser.add_argument("--pin", help="the SIM asks for this PIN (4 to 8 digits)")
    parser.add_argument("--log", help="append every SMS received to FILE as a JSON line")
    parser.add_argument("--fail", type=int, metavar="CMS",
                        help="answer submissions with +CMS ERROR: CMS (38: network out of order)")
    parser.add_argument("--fail-count", type=int, default=1, metavar="N",
                        help="how many submissions --fail refuses (default 1)")
    parser.add_argument("--fail-after", type=int, default=0, metavar="N",
                        help="let N submissions through before --fail starts (default 0)")
    parser.add_argument("--silent", action="store_true", help="never answer anything")
    parser.add_argument("--unregistered", action="store_true",
                        help="not registered on a network (+CREG: 0,2)")
    parser.add_argument("--log-level", default="info", help="stderr log level (default info)")
    args = parser.parse_args(argv)
    try:
        setup_logging(args.log_level)
    except ValueError as e:
        parser.error(str(e))
    if args.pin is not None and not re.fullmatch(r"[0-9]{4,8}", args.pin):
        parser.error("--pin must be 4 to 8 digits")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with GsmModemSim(pin=args.pin, log_path=args.log,
                     registered=not args.unregistered) as modem:
        modem.silent = args.silent
        if args.fail is not None:
            modem.fail_next(args.fail, args.fail_count, args.fail_after)
        print(modem.device, flush=True)
        while not stop.wait(1.0):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
