"""API commands of the voicemail boxes: list a mailbox, mark a message heard, delete
one. The recordings themselves are WAV files under the data directory (the `path` of
each message), for the web admin to play and for mail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.protocol import BAD_ARGS, NOT_AVAILABLE, NOT_FOUND, ApiError
from firmware.pbx.switch import Switch
from firmware.pbx.voicemail import Voicemail, VoicemailError


def register_voicemail_commands(table: CommandTable, switch: Callable[[], Switch]) -> None:
    def store(mailbox: str) -> Voicemail:
        s = switch()
        if s.voicemail is None:
            raise ApiError(NOT_AVAILABLE, "this daemon keeps no voicemail")
        ext = s.config.internal(mailbox)
        if ext is None or not getattr(ext, "voicemail", False):
            raise ApiError(NOT_FOUND, f"no extension {mailbox} with a mailbox")
        return s.voicemail

    def listing(mailbox: str) -> dict[str, Any]:
        vm = store(mailbox)
        messages = [m.to_dict() | {"path": str(vm.wav_path(mailbox, m.id))}
                    for m in vm.messages(mailbox)]
        return {"mailbox": mailbox, "waiting": sum(not m["heard"] for m in messages),
                "greeting": vm.greeting_path(mailbox).is_file(), "messages": messages}

    def change(what: str) -> Callable[..., dict[str, Any]]:
        def run(mailbox: str, id: str) -> dict[str, Any]:  # noqa: A002 - the API's name
            vm = store(mailbox)
            try:
                if what == "heard":
                    vm.mark_heard(mailbox, id)
                else:
                    vm.delete(mailbox, id)
            except VoicemailError as e:
                raise ApiError(BAD_ARGS, str(e)) from None
            return listing(mailbox)
        return run

    table.add("voicemail", listing, "a mailbox's messages, oldest first, and how many wait",
              Arg("mailbox", str, help="the extension's number"))
    table.add("voicemail.heard", change("heard"), "mark a message heard (message waiting "
              "goes off when none is left)", Arg("mailbox", str), Arg("id", str))
    table.add("voicemail.delete", change("delete"), "delete a message",
              Arg("mailbox", str), Arg("id", str))
