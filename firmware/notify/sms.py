"""SMS through a GSM modem on a serial port, in text mode (3GPP TS 27.005).

    settings = SmsSettings(device="/dev/ttyUSB2", pin="1234")
    send_sms(settings, "+420601234567", "Missed callback: +49 30 1234, Jana")

One call is one session on the port, opened exclusively and closed afterwards:

    ESC                 leave a text entry a crashed session may have left open
    AT                  -> OK          is anyone there (retried: some modems wake slowly)
    ATE0                -> OK          no echo (V.250 §6.2.4)
    AT+CMEE=1           -> OK          errors as +CME/+CMS ERROR: <n> (TS 27.007 §9.1)
    AT+CPIN?            -> +CPIN: READY | SIM PIN | SIM PUK   (TS 27.007 §8.3)
    AT+CPIN="<pin>"     -> OK          only for SIM PIN; then AT+CPIN? until READY
    AT+CREG?            -> +CREG: <n>,1|5   registered, home or roaming (TS 27.007 §7.2)
    AT+CMGF=1           -> OK          text mode (TS 27.005 §3.2.3)
    AT+CSCS="GSM"|"UCS2" -> OK         TE character set (TS 27.007 §5.5)
    AT+CSMP=17,167,0,0|8 -> OK         SMS-SUBMIT, 24 h validity, DCS 7-bit or UCS2
                                       (TS 27.005 §3.3.2, TS 23.040 §9.2.3, TS 23.038 §4)
    per part:
    AT+CMGS="<da>"      -> "\\r\\n> "  (TS 27.005 §3.5.1)
    <text> Ctrl-Z       -> +CMGS: <mr>, OK

Text made only of GSM default alphabet characters goes as GSM (160 characters per SMS);
anything else (Czech, Polish, Russian, €) as UCS2, the text and the number written as hex
UTF-16 (70 characters per SMS). Text mode cannot carry the user data header that joins a
concatenated SMS, so a long text goes as up to `max_parts` separate messages marked
"(1/3) ", "(2/3) " ...; beyond that the last part is cut and ends with "...". A retry
after a failure half way sends only the parts not yet confirmed (NotifyError.progress).

Delivery is at least once: if the modem goes quiet between Ctrl-Z and +CMGS, the SMS
may or may not have left, and it counts as failed.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import serial

from firmware.log import get_logger

from . import at_codes, gsm_alphabet
from .errors import NotifyError

log = get_logger("notify.sms")

CTRL_Z = b"\x1a"
ESC = b"\x1b"

GSM_LIMIT = 160  # septets in one SMS (TS 23.040 §9.2.3.16: 140 octets of packed septets)
UCS2_LIMIT = 70  # UTF-16 code units in one SMS (140 octets)
MAX_PARTS_LIMIT = 9  # keeps the "(i/n) " marker at six characters
TRUNCATION_MARK = "..."  # GSM characters: the mark must not force UCS2 by itself

# TS 23.040 §9.1.2.5: up to 20 address digits. Spaces only for readability.
_NUMBER = re.compile(r"\+?[0-9]{2,20}")
_PIN = re.compile(r"[0-9]{4,8}")  # 3GPP TS 22.030 §6.6.1: PINs have 4 to 8 digits
_FINAL_ERROR = re.compile(r"\+(CME|CMS) ERROR:\s*(.*)")

REGISTRATION = {0: "not registered, not searching", 1: "registered, home network",
                2: "not registered, searching", 3: "registration denied", 4: "unknown",
                5: "registered, roaming"}


@dataclass(frozen=True)
class SmsSettings:
    """The modem's port and how patient to be with it."""

    device: str
    baudrate: int = 115200
    pin: str | None = field(default=None, repr=False)
    timeout: float = 10.0  # per AT command
    send_timeout: float = 60.0  # Ctrl-Z to +CMGS: the network's round trip, can be slow
    register_timeout: float = 30.0  # after a PIN the modem needs a moment to find a cell
    max_parts: int = 3
    validity: int = 167  # TP-VP relative format (TS 23.040 §9.2.3.12.1): 167 = 24 hours

    def __post_init__(self) -> None:
        if not self.device:
            raise ValueError("the modem device must not be empty")
        if self.pin is not None and not _PIN.fullmatch(self.pin):
            raise ValueError("the SIM PIN must be 4 to 8 digits")
        if not 1 <= self.max_parts <= MAX_PARTS_LIMIT:
            raise ValueError(f"max_parts must be 1..{MAX_PARTS_LIMIT}, not {self.max_parts}")
        if not 0 <= self.validity <= 255:
            raise ValueError(f"validity must be 0..255 (TP-VP relative), not {self.validity}")
        for name in ("timeout", "send_timeout", "register_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")


def check_number(number: str) -> str:
    """The number with spaces removed: digits with an optional leading +.

    Raises a permanent NotifyError otherwise; nothing else ever reaches AT+CMGS.
    """
    digits = number.replace(" ", "")
    if not _NUMBER.fullmatch(digits):
        raise NotifyError(f"{number!r} is not a phone number for SMS "
                          "(2 to 20 digits, optionally a leading +)", permanent=True)
    return digits


@dataclass(frozen=True)
class SmsPlan:
    """How a text goes out: its coding, its parts, and whether it had to be cut."""

    coding: str  # "GSM" or "UCS2"
    parts: list[str]
    truncated: bool

    @property
    def dcs(self) -> int:
        return 8 if self.coding == "UCS2" else 0  # TS 23.038 §4: bits 3..2 = 10 is UCS2


def plan_message(text: str, max_parts: int = 3) -> SmsPlan:
    """Choose the coding and split `text` into parts that each fit one SMS."""
    # Blank space at either end costs characters and shows nothing.
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if gsm_alphabet.is_text_mode_safe(text):
        coding, limit = "GSM", GSM_LIMIT
    else:
        coding, limit = "UCS2", UCS2_LIMIT
    if _units(text) <= limit:
        return SmsPlan(coding, [text], truncated=False)
    budget = limit if max_parts == 1 else limit - len("(1/9) ")
    pieces = _split(text, budget)
    truncated = len(pieces) > max_parts
    if truncated:
        pieces = pieces[:max_parts]
        last = pieces[-1]
        while _units(last) + len(TRUNCATION_MARK) > budget:
            last = last[:-1]
        pieces[-1] = last.rstrip() + TRUNCATION_MARK
    if len(pieces) == 1:
        return SmsPlan(coding, pieces, truncated)
    n = len(pieces)
    return SmsPlan(coding, [f"({i}/{n}) {p}" for i, p in enumerate(pieces, 1)], truncated)


def _units(text: str) -> int:
    """Length in the unit of the SMS limit: UTF-16 code units (a septet each for GSM)."""
    return len(text.encode("utf-16-le")) // 2


def _split(text: str, budget: int) -> list[str]:
    """Cut into pieces of at most `budget` units, at a space when one is near the end."""
    pieces = []
    rest = text
    while rest:
        if _units(rest) <= budget:
            pieces.append(rest)
            break
        cut, used = 0, 0
        for ch in rest:
            size = _units(ch)  # a character beyond the BMP is two units: never halved
            if used + size > budget:
                break
            used += size
            cut += 1
        space = max(rest.rfind(" ", 0, cut + 1), rest.rfind("\n", 0, cut + 1))
        if space > cut // 2:
            pieces.append(rest[:space].rstrip())
            rest = rest[space + 1:].lstrip(" ")
        else:
            pieces.append(rest[:cut])
            rest = rest[cut:]
    return pieces


def send_sms(settings: SmsSettings, number: str, text: str, first_part: int = 0) -> list[int]:
    """Send `text` to `number`; returns the message references (+CMGS) of the parts sent.

    `first_part` skips parts a previous attempt delivered. Blocking: run it off the loop.
    Raises NotifyError (with `progress`, the parts delivered so far) on any failure.
    """
    da = check_number(number)
    plan = plan_message(text, settings.max_parts)
    if first_part >= len(plan.parts):
        return []
    try:
        port = serial.Serial(settings.device, settings.baudrate, timeout=0.05,
                             write_timeout=settings.timeout, exclusive=True)
    except (serial.SerialException, OSError, ValueError) as e:
        raise NotifyError(f"cannot open the GSM modem at {settings.device}: {e}",
                          progress=first_part) from None
    references: list[int] = []
    part = first_part
    try:
        modem = AtModem(port, settings.device, settings.timeout)
        _prepare(modem, settings, plan)
        for part in range(first_part, len(plan.parts)):
            references.append(_submit(modem, settings, plan, da, plan.parts[part]))
        part = len(plan.parts)
    except AtError as e:
        raise NotifyError(f"modem {settings.device}: {e}", permanent=e.permanent,
                          progress=part) from None
    except NotifyError as e:
        e.progress = part
        raise
    except (serial.SerialException, OSError) as e:
        raise NotifyError(f"modem {settings.device}: serial port failed: {e}",
                          progress=part) from None
    finally:
        port.close()
    log.info("sms_sent", device=settings.device, to=da, coding=plan.coding,
             parts=len(references), truncated=plan.truncated,
             references=",".join(map(str, references)))
    return references


def _prepare(modem: AtModem, settings: SmsSettings, plan: SmsPlan) -> None:
    """Everything before the first AT+CMGS: reach the modem, unlock the SIM, set modes."""
    modem.wake()
    modem.command("ATE0")
    modem.command("AT+CMEE=1")
    _unlock_sim(modem, settings)
    _await_registration(modem, settings)
    modem.command("AT+CMGF=1")
    modem.command(f'AT+CSCS="{plan.coding}"')
    modem.command(f"AT+CSMP=17,{settings.validity},0,{plan.dcs}")


def _unlock_sim(modem: AtModem, settings: SmsSettings) -> None:
    state = _sim_state(modem)
    if state == "SIM PIN":
        if settings.pin is None:
            raise NotifyError(f"modem {modem.device}: the SIM asks for a PIN and none is "
                              "configured", permanent=True)
        try:
            modem.command(f'AT+CPIN="{settings.pin}"', log_as='AT+CPIN="****"')
        except AtError as e:
            if e.code == 16:
                raise NotifyError(f"modem {modem.device}: the SIM refused the PIN ({e}); not "
                                  "trying again, as three wrong PINs lock the SIM",
                                  permanent=True) from None
            raise
        deadline = time.monotonic() + settings.register_timeout
        while (state := _sim_state(modem, busy_ok=True)) != "READY":
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)  # the SIM is still checking the PIN
        log.info("sim_unlocked", device=modem.device)
    if state == "SIM PUK":
        raise NotifyError(f"modem {modem.device}: the SIM is locked and needs its PUK",
                          permanent=True)
    if state != "READY":
        raise NotifyError(f"modem {modem.device}: the SIM is not ready ({state})")


def _sim_state(modem: AtModem, busy_ok: bool = False) -> str:
    """READY, SIM PIN, SIM PUK, ... (TS 27.007 §8.3); "busy" while the SIM is busy."""
    try:
        lines = modem.command("AT+CPIN?")
    except AtError as e:
        if busy_ok and e.kind == "CME" and e.code == 14:
            return "busy"
        raise
    for line in lines:
        if line.startswith("+CPIN:"):
            return line.split(":", 1)[1].strip()
    raise AtError("AT+CPIN?", None, None, "answered without +CPIN")


def _await_registration(modem: AtModem, settings: SmsSettings) -> None:
    """Wait until the modem is on a network; a modem that knows no AT+CREG? is trusted."""
    deadline = time.monotonic() + settings.register_timeout
    while True:
        try:
            lines = modem.command("AT+CREG?")
        except AtError:
            return
        stat = None
        for line in lines:
            if m := re.fullmatch(r"\+CREG:\s*\d+\s*,\s*(\d+).*", line):
                stat = int(m.group(1))
        if stat is None or stat in (1, 5):
            return
        if stat == 3 or time.monotonic() > deadline:
            raise NotifyError(f"modem {modem.device} is not on a network "
                              f"(+CREG stat {stat}: {REGISTRATION.get(stat, 'unknown')})")
        time.sleep(0.5)


def _submit(modem: AtModem, settings: SmsSettings, plan: SmsPlan, da: str, text: str) -> int:
    """One AT+CMGS: number, prompt, text, Ctrl-Z; returns the message reference."""
    if plan.coding == "UCS2":
        # With +CSCS="UCS2" every string parameter is hex UTF-16, the number included
        # (TS 27.005 §3.1 <da>: "converted to characters of the selected TE character set").
        number = _ucs2_hex(da)
        body = _ucs2_hex(text).encode("ascii")
    else:
        number = da
        body = gsm_alphabet.encode(text)
    modem.command_with_text(f'AT+CMGS="{number}"', body)
    lines = modem.finish(settings.send_timeout)
    for line in lines:
        if m := re.fullmatch(r"\+CMGS:\s*(\d+).*", line):
            return int(m.group(1))
    raise AtError("AT+CMGS", None, None, "answered OK without +CMGS: <mr>")


def _ucs2_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


class AtError(Exception):
    """A final result code other than OK, or an answer the command cannot have."""

    def __init__(self, command: str, kind: str | None, code: int | None, text: str) -> None:
        self.command, self.kind, self.code = command, kind, code
        super().__init__(f"{command} failed: {text}")

    @property
    def permanent(self) -> bool:
        if self.code is None:
            return False
        if self.kind == "CMS":
            return self.code in at_codes.CMS_PERMANENT
        return self.code in at_codes.CME_PERMANENT


class AtModem:
    """Command/response over a serial port (V.250 §5): write a line, read result codes.

    Lines that are neither the echo nor a final result are collected as the answer;
    unsolicited result codes (RING, +CMTI ...) land there too and are ignored by callers
    looking for their own prefix.
    """

    def __init__(self, port: serial.Serial, device: str, timeout: float) -> None:
        self.port = port
        self.device = device
        self.timeout = timeout
        self._buf = bytearray()
        self._pending: str | None = None  # the command whose text is being sent

    def wake(self, tries: int = 3) -> None:
        """Cancel any half-entered SMS, drop stale input, then AT until OK."""
        self.port.write(ESC)
        self.port.flush()
        time.sleep(0.1)
        self.port.reset_input_buffer()
        for attempt in range(1, tries + 1):
            try:
                self.command("AT", timeout=min(self.timeout, 2.0))
                return
            except NotifyError:
                if attempt == tries:
                    raise NotifyError(f"the GSM modem at {self.device} does not answer AT") \
                        from None

    def command(self, line: str, timeout: float | None = None,
                log_as: str | None = None) -> list[str]:
        """Send one command line; returns the lines before OK, raises AtError on errors."""
        log.debug("at_send", device=self.device, command=log_as or line)
        self._write(line.encode("ascii") + b"\r")
        return self._until_final(line, log_as or line, timeout or self.timeout)

    def command_with_text(self, line: str, body: bytes) -> None:
        """AT+CMGS: send the line, wait for the "> " prompt, send the text and Ctrl-Z."""
        log.debug("at_send", device=self.device, command=line, text_bytes=len(body))
        self._write(line.encode("ascii") + b"\r")
        deadline = time.monotonic() + self.timeout
        while True:
            token = self._next(deadline, line, prompt=True)
            if token is None:
                self._write(ESC)  # the modem may be in text entry without having said so
                raise NotifyError(f"the GSM modem at {self.device} gave no '> ' prompt "
                                  f"after {line}")
            if token == ">":
                break
            self._check_final(line, line, token)  # an error instead of the prompt raises
        self._write(body + CTRL_Z)
        self._pending = line

    def finish(self, timeout: float) -> list[str]:
        """Read the answer to the text just sent (+CMGS: <mr>, OK)."""
        line, self._pending = self._pending or "AT+CMGS", None
        try:
            return self._until_final(line, line, timeout)
        except NotifyError as e:
            raise NotifyError(f"{e} (the SMS may or may not have left)") from None

    def _write(self, data: bytes) -> None:
        try:
            self.port.write(data)
            self.port.flush()
        except serial.SerialTimeoutException:
            raise NotifyError(f"the GSM modem at {self.device} does not take input") from None

    def _until_final(self, line: str, shown: str, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        info: list[str] = []
        while True:
            token = self._next(deadline, line, prompt=False)
            if token is None:
                raise NotifyError(f"the GSM modem at {self.device} did not answer {shown} "
                                  f"within {timeout:g} s")
            if token == line:
                continue  # the echo of our own command, before ATE0 took effect
            if self._check_final(line, shown, token):
                log.debug("at_answer", device=self.device, command=shown, lines=len(info))
                return info
            info.append(token)

    def _check_final(self, line: str, shown: str, token: str) -> bool:
        """True for OK; raises AtError for ERROR / +CME ERROR / +CMS ERROR; else False."""
        if token == "OK":
            return True
        if token == "ERROR":
            raise AtError(shown, None, None, "ERROR")
        if m := _FINAL_ERROR.fullmatch(token):
            kind, value = m.group(1), m.group(2).strip()
            code = int(value) if value.isdigit() else at_codes.code_for(kind, value)
            words = at_codes.meaning(kind, code) if code is not None else value
            log.warning("at_error", device=self.device, command=shown, kind=kind, code=code,
                        meaning=words)
            raise AtError(shown, kind, code, f"+{kind} ERROR: {value} ({words})"
                          if value.isdigit() else f"+{kind} ERROR: {value}")
        return False

    def _next(self, deadline: float, line: str, prompt: bool) -> str | None:
        """The next non-empty line, or ">" for the text prompt; None at the deadline."""
        while True:
            while self._buf[:1] in (b"\r", b"\n", b" "):
                del self._buf[:1]  # blank lines, and the space of a prompt read in two
            if prompt and self._buf.startswith(b">"):
                del self._buf[:1]
                return ">"
            end = min((i for i in (self._buf.find(b"\r"), self._buf.find(b"\n")) if i >= 0),
                      default=-1)
            if end >= 0:
                raw = bytes(self._buf[:end])
                del self._buf[:end + 1]
                if text := raw.decode("ascii", "replace").strip():
                    return text
                continue
            if time.monotonic() > deadline:
                return None
            self._buf += self.port.read(max(1, self.port.in_waiting))
