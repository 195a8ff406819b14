"""API commands for the channels of the ISDN lines: list, dial, alert, answer, reject,
hang up.

A channel is one call on one line, named "PORT:ID" (e.g. "trunk:3"). Calls the PBX
does not route (no route for their number) wait for `alert`, `answer` or `reject` from
a client. `dial` and `hangup` also take the PBX's own names: an extension number as
FROM (the PBX rings it, then dials TO) and a PBX call "cN".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.pbx_commands import hangup_pbx_call, originate
from firmware.api.protocol import BAD_ARGS, ApiError
from firmware.isdn.line import CallError, IsdnLine
from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.switch import Switch

NOT_FOUND = "not-found"


def register_call_commands(table: CommandTable, lines: Callable[[], dict[str, IsdnLine]],
                           switch: Callable[[], Switch | None] = lambda: None) -> None:
    def find(call: str) -> tuple[IsdnLine, int]:
        port, sep, number = call.rpartition(":")
        if not sep or not number.isdigit():
            raise ApiError(BAD_ARGS, f"call {call!r}: expected PORT:ID as `calls` shows it")
        line = lines().get(port)
        if line is None:
            raise ApiError(NOT_FOUND, f"no line {port!r} (lines: {', '.join(lines())})")
        return line, int(number)

    def act(call: str, action: Callable[[IsdnLine, int], None]) -> dict[str, Any]:
        line, call_id = find(call)
        try:
            action(line, call_id)
        except CallError as e:
            raise ApiError(NOT_FOUND, str(e)) from None
        return {"call": call}

    def cause_of(cause: int | None, default: CauseValue) -> int:
        if cause is None:
            return default
        if not 1 <= cause <= 127:
            raise ApiError(BAD_ARGS, f"cause {cause}: Q.850 causes are 1..127")
        return cause

    def channels() -> list[dict[str, Any]]:
        return [c | {"call": f"{c['port']}:{c['call']}"}
                for line in lines().values() for c in line.calls()]

    def dial(**args: Any) -> dict[str, Any]:
        source, to = args["from"], args["to"]
        pbx = switch()
        if source.isdigit() and pbx is not None:
            return originate(pbx, source, to)
        line = lines().get(source)
        if line is None:
            raise ApiError(NOT_FOUND, f"no line or extension {source!r} to call from "
                                      f"(lines: {', '.join(lines())})")
        try:
            call_id = line.dial(to, args.get("calling"))
        except CallError as e:
            raise ApiError(BAD_ARGS, str(e)) from None
        return {"call": f"{source}:{call_id}"}

    def hangup(call: str, cause: int | None = None) -> dict[str, Any]:
        pbx = switch()
        if call[:1] == "c" and call[1:].isdigit() and pbx is not None:
            return hangup_pbx_call(pbx, call, cause_of(cause, CauseValue.NORMAL_CALL_CLEARING))
        return act(call, lambda line, i: line.hangup(
            i, cause_of(cause, CauseValue.NORMAL_CALL_CLEARING)))

    table.add("channels", channels, "calls on every line, with their Q.931 state")
    table.add("dial", dial, "call TO from FROM: an extension (the PBX rings it first, then "
                            "dials TO) or a line's port name (a bare call on that line)",
              Arg("from", str), Arg("to", str),
              Arg("calling", str, required=False, help="our number to present"))
    table.add("alert", lambda call: act(call, IsdnLine.alert),
              "ring: tell the caller an offered call is alerting", Arg("call", str))
    table.add("answer", lambda call: act(call, IsdnLine.answer),
              "answer an offered call", Arg("call", str))
    table.add("reject", lambda call, cause=None: act(
        call, lambda line, i: line.reject(i, cause_of(cause, CauseValue.CALL_REJECTED))),
        "refuse an offered call (default cause 21, call rejected)", Arg("call", str),
        Arg("cause", int, required=False, help="Q.850 cause, e.g. 17 user busy"))
    table.add("hangup", hangup,
              "clear a PBX call (cN) or a channel (PORT:ID); default cause 16",
              Arg("call", str), Arg("cause", int, required=False, help="Q.850 cause"))
