"""Voicemail boxes on disk: one directory per mailbox (an extension's number), each
message a WAV (8 kHz A-law, what the line carries: half the size of linear) with a JSON
sidecar, and an ``.eml`` beside it ready to be mailed (RFC 5322, the WAV attached) when
the mailbox has an email address.

Nothing is lost to a power cut: the WAV is written aside and renamed, the sidecar after
it, so a message either lists whole or not at all; a WAV without its sidecar (cut in
between) is picked up as a message from an unknown caller. The count of unheard messages
is what message-waiting indication shows: ``on_change(mailbox)`` is called after every
change (firmware/pbx/mwi.py).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from firmware.clock import Clock
from firmware.media import wav
from firmware.media.resample import resample
from firmware.notify.email import build_message, parse_mailbox

MIN_SECONDS = 1.0  # shorter is a caller hanging up at the tone: not a message
GREETING_SECONDS = 60  # an owner's own greeting is cut here
_MESSAGE = re.compile(r"^msg(\d{4,})\.wav$")
_MAILBOX = re.compile(r"^[0-9*#]{1,20}$")


class VoicemailError(Exception):
    pass


@dataclass(frozen=True)
class VoiceMessage:
    id: str  # "0001": the mailbox's running number
    mailbox: str
    caller: str  # the calling number as presented, "" when withheld
    received: float  # epoch seconds
    seconds: float
    heard: bool = False

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Mailbox:
    number: str
    email: str = ""  # where new messages are mailed, "" for nowhere
    max_messages: int = 50
    max_seconds: int = 180  # per message: the recording stops there


class Voicemail:
    def __init__(self, directory: str | Path, clock: Clock,
                 sender: str = "Ringback voicemail <voicemail@ringback.invalid>") -> None:
        self.directory = Path(directory)
        self.clock = clock
        self.sender = sender
        self.on_change: Callable[[str], None] | None = None

    # what callers and the PBX ask -------------------------------------------------------
    def messages(self, mailbox: str) -> list[VoiceMessage]:
        """Oldest first."""
        folder = self._folder(mailbox)
        found = []
        for path in sorted(folder.glob("msg*.wav")) if folder.is_dir() else ():
            m = _MESSAGE.match(path.name)
            if m:
                found.append(self._read(mailbox, m.group(1), path))
        return found

    def waiting(self, mailbox: str) -> int:
        """Unheard messages: message waiting is on while this is above 0."""
        return sum(not m.heard for m in self.messages(mailbox))

    def full(self, box: Mailbox) -> bool:
        return len(self.messages(box.number)) >= box.max_messages

    def greeting(self, mailbox: str) -> bytes | None:
        """The mailbox owner's own greeting (greeting.wav in the mailbox, any rate,
        mono) as 8 kHz PCM, or None."""
        path = self.greeting_path(mailbox)
        try:
            got = wav.read(path)
        except (OSError, wav.WavError):
            return None
        return resample(got.pcm, got.rate) if got.channels == 1 else None

    def greeting_path(self, mailbox: str) -> Path:
        return self._folder(mailbox) / "greeting.wav"

    def save_greeting(self, mailbox: str, pcm: bytes) -> bool:
        """The owner's greeting recorded from the phone (16-bit PCM at 8 kHz), written
        aside and renamed. Shorter than MIN_SECONDS (# straight after the tone) removes
        the own greeting, so callers hear the standard one again: False then."""
        path = self.greeting_path(mailbox)
        if len(pcm) / 2 / 8000 < MIN_SECONDS:
            path.unlink(missing_ok=True)
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        wav.write(path, pcm[: GREETING_SECONDS * 16000], wav.ALAW)
        return True

    def wav_path(self, mailbox: str, message_id: str) -> Path:
        return self._folder(mailbox) / f"msg{message_id}.wav"

    def eml_path(self, mailbox: str, message_id: str) -> Path:
        return self._folder(mailbox) / f"msg{message_id}.eml"

    # changes -----------------------------------------------------------------------------
    def deposit(self, box: Mailbox, caller: str, pcm: bytes,
                company: str = "") -> VoiceMessage | None:
        """Keep a recording (16-bit PCM at 8 kHz); None when it is too short to be a
        message. Raises VoicemailError when the box is full."""
        seconds = len(pcm) / 2 / 8000
        if seconds < MIN_SECONDS:
            return None
        if self.full(box):
            raise VoicemailError(f"mailbox {box.number} is full ({box.max_messages} messages)")
        pcm = pcm[: box.max_seconds * 16000]
        folder = self._folder(box.number)
        folder.mkdir(parents=True, exist_ok=True)
        existing = [int(m.id) for m in self.messages(box.number)]
        message = VoiceMessage(id=f"{max(existing, default=0) + 1:04d}", mailbox=box.number,
                               caller=caller, received=self.clock.wall(),
                               seconds=round(len(pcm) / 16000, 2))
        wav.write(self.wav_path(box.number, message.id), pcm, wav.ALAW)
        self._write_sidecar(message)
        if box.email:
            self._write_eml(message, box.email, company)
        self._changed(box.number)
        return message

    def mark_heard(self, mailbox: str, message_id: str, heard: bool = True) -> VoiceMessage:
        message = replace(self._get(mailbox, message_id), heard=heard)
        self._write_sidecar(message)
        self._changed(mailbox)
        return message

    def delete(self, mailbox: str, message_id: str) -> None:
        self._get(mailbox, message_id)
        for suffix in (".json", ".eml", ".wav"):  # the WAV last: it is what lists
            self.wav_path(mailbox, message_id).with_suffix(suffix).unlink(missing_ok=True)
        self._changed(mailbox)

    def _changed(self, mailbox: str) -> None:
        if self.on_change is not None:
            self.on_change(mailbox)

    # files --------------------------------------------------------------------------------
    def _folder(self, mailbox: str) -> Path:
        if not _MAILBOX.match(mailbox):
            raise VoicemailError(f"{mailbox!r} is not a mailbox number")
        return self.directory / mailbox

    def _get(self, mailbox: str, message_id: str) -> VoiceMessage:
        path = self.wav_path(mailbox, message_id) if message_id.isdigit() else None
        if path is None or not path.exists():
            raise VoicemailError(f"mailbox {mailbox} has no message {message_id}")
        return self._read(mailbox, message_id, path)

    def _read(self, mailbox: str, message_id: str, path: Path) -> VoiceMessage:
        try:
            doc = json.loads(path.with_suffix(".json").read_text())
            return VoiceMessage(**{**doc, "id": message_id, "mailbox": mailbox})
        except (OSError, ValueError, TypeError):
            # cut between the WAV and its sidecar, or a hand-copied file
            try:
                seconds = wav.read(path).seconds
            except (OSError, wav.WavError):
                seconds = 0.0
            return VoiceMessage(id=message_id, mailbox=mailbox, caller="",
                                received=path.stat().st_mtime, seconds=round(seconds, 2))

    def _write_sidecar(self, message: VoiceMessage) -> None:
        target = self.wav_path(message.mailbox, message.id).with_suffix(".json")
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(json.dumps(message.to_dict()))
        os.replace(tmp, target)

    def _write_eml(self, message: VoiceMessage, to: str, company: str) -> None:
        caller = message.caller or "a withheld number"
        when = self._local(message.received)
        body = (f"New voicemail for {message.mailbox} from {caller}, {when}, "
                f"{message.seconds:.0f} s.\n\nThe recording is attached "
                f"(msg{message.id}.wav).\n")
        if company:
            body += f"\n-- \n{company}\n"
        mail = build_message(parse_mailbox(self.sender), [parse_mailbox(to)],
                             f"Voicemail from {caller} ({message.seconds:.0f} s)", body,
                             attachments=[self.wav_path(message.mailbox, message.id)])
        target = self.eml_path(message.mailbox, message.id)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(bytes(mail))
        os.replace(tmp, target)

    @staticmethod
    def _local(epoch: float) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch))
