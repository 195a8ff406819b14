"""API command `audio`: the bytes of a voicemail message or a call recording, for the
web admin's <audio> player (the web admin never opens the data directory itself).

Only two folders can be read: a mailbox's messages (``msgNNNN.wav`` of an extension
with a mailbox) and ``data_dir/recordings/*.wav``. A name is checked before any path
is made of it (no separators, no dot files, a WAV suffix), and the resolved file must
still lie inside its folder, so neither ``..`` nor a symbolic link leads out. The
answer is base64 in chunks: one API line is at most 1 MiB (protocol.MAX_LINE), and a
two-minute message in A-law is about as much.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.protocol import BAD_ARGS, NOT_AVAILABLE, NOT_FOUND, ApiError
from firmware.pbx.switch import Switch

CHUNK = 512 * 1024  # raw bytes per answer: 683 KiB as base64, well under MAX_LINE
_MESSAGE_ID = re.compile(r"^\d{4,9}$")
_RECORDING = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}\.wav$")


def register_audio_commands(table: CommandTable, switch: Callable[[], Switch],
                            recordings_dir: Path) -> None:
    def voicemail_file(mailbox: str, message: str) -> Path:
        s = switch()
        if s.voicemail is None:
            raise ApiError(NOT_AVAILABLE, "this daemon keeps no voicemail")
        ext = s.config.internal(mailbox)
        if ext is None or not getattr(ext, "voicemail", False):
            raise ApiError(NOT_FOUND, f"no extension {mailbox} with a mailbox",
                           {"mailbox": "no such mailbox"})
        if not _MESSAGE_ID.match(message):
            raise ApiError(BAD_ARGS, f"message {message!r}: a message id such as 0001",
                           {"message": "a message id such as 0001"})
        return inside(s.voicemail.directory / mailbox,
                      s.voicemail.wav_path(mailbox, message), f"message {message}")

    def recording_file(name: str) -> Path:
        if not _RECORDING.match(name) or ".." in name:
            raise ApiError(BAD_ARGS, f"recording {name!r}: a file name in the recordings "
                                     "folder, ending in .wav", {"recording": "not a "
                                                                "recording's file name"})
        return inside(recordings_dir, recordings_dir / name, f"recording {name}")

    def inside(folder: Path, path: Path, what: str) -> Path:
        try:
            real = path.resolve(strict=True)
            root = folder.resolve(strict=True)
        except (OSError, RuntimeError):
            raise ApiError(NOT_FOUND, f"no {what}") from None
        if not real.is_relative_to(root) or not real.is_file():
            raise ApiError(NOT_FOUND, f"no {what}")
        return real

    def audio(mailbox: str = "", message: str = "", recording: str = "", offset: int = 0,
              length: int = CHUNK) -> dict[str, Any]:
        if bool(recording) == bool(mailbox or message):
            raise ApiError(BAD_ARGS, "give a mailbox and message, or a recording")
        if recording:
            path = recording_file(recording)
        elif not (mailbox and message):
            raise ApiError(BAD_ARGS, "a voicemail message needs both mailbox and message")
        else:
            path = voicemail_file(mailbox, message)
        if offset < 0 or not 1 <= length <= CHUNK:
            raise ApiError(BAD_ARGS, f"offset must be ≥ 0 and length 1..{CHUNK}")
        with open(path, "rb") as f:
            size = f.seek(0, 2)
            f.seek(min(offset, size))
            data = f.read(length)
        return {"content_type": "audio/wav", "size": size, "offset": offset,
                "data": base64.b64encode(data).decode("ascii")}

    table.add("audio", audio, "the bytes of a voicemail message or a call recording "
              "(base64, in chunks of at most 512 KiB: ask again from offset+length)",
              Arg("mailbox", str, required=False, help="voicemail: the extension"),
              Arg("message", str, required=False, help="voicemail: the message id"),
              Arg("recording", str, required=False,
                  help="a recording's file name in data_dir/recordings"),
              Arg("offset", int, required=False), Arg("length", int, required=False))
