"""API commands of call recording: start or stop recording a call, list the recordings
(finished ones with their size and length, and the ones going on). The files are stereo
WAVs under the data directory (firmware/pbx/recording.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.protocol import BAD_ARGS, NOT_AVAILABLE, ApiError
from firmware.pbx.legs import PbxError
from firmware.pbx.media_bridge import MediaBridge


def register_recording_commands(table: CommandTable,
                                bridge: Callable[[], MediaBridge | None]) -> None:
    def the_bridge() -> MediaBridge:
        b = bridge()
        if b is None or b.recorder is None:
            raise ApiError(NOT_AVAILABLE, "this daemon keeps no recordings")
        return b

    def start(call: str) -> dict[str, Any]:
        try:
            return the_bridge().record_call(call, "api").status()
        except PbxError as e:
            raise ApiError(BAD_ARGS, f"call: {e}") from None

    def stop(call: str) -> dict[str, Any]:
        try:
            rec = the_bridge().stop_call_recording(call)
        except PbxError as e:
            raise ApiError(BAD_ARGS, f"call: {e}") from None
        return rec.status() | {"recording": False}

    def listing() -> list[dict[str, Any]]:
        return the_bridge().recorder.listing()

    table.add("record.start", start, "record a talking call (stereo WAV: caller left, "
              "callee right)", Arg("call", str, help="a PBX call, e.g. c1"))
    table.add("record.stop", stop, "stop recording a call", Arg("call", str))
    table.add("recordings", listing, "call recordings: going on first, then the finished "
              "ones newest first, with size and seconds")
