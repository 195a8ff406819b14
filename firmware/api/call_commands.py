"""API commands for calls on the ISDN lines: list, dial, alert, answer, reject, hang up.

A call is named "PORT:ID" (e.g. "trunk:3"). Until the PBX lands, `dial` places a call
straight on a line (FROM is the line's port name) and offered calls wait for `alert`,
`answer` or `reject` from a client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.protocol import BAD_ARGS, ApiError
from firmware.isdn.line import CallError, IsdnLine
from firmware.isdn.q931.causes import CauseValue

NOT_FOUND = "not-found"


def register_call_commands(table: CommandTable, lines: Callable[[], dict[str, IsdnLine]]
                           ) -> None:
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

    def calls() -> list[dict[str, Any]]:
        return [c | {"call": f"{c['port']}:{c['call']}"}
                for line in lines().values() for c in line.calls()]

    def dial(**args: Any) -> dict[str, Any]:
        source, to = args["from"], args["to"]
        line = lines().get(source)
        if line is None:
            raise ApiError(NOT_FOUND, f"no line {source!r} to call from "
                                      f"(lines: {', '.join(lines())}); extensions come "
                                      f"with the PBX")
        try:
            call_id = line.dial(to, args.get("calling"))
        except CallError as e:
            raise ApiError(BAD_ARGS, str(e)) from None
        return {"call": f"{source}:{call_id}"}

    table.add("calls", calls, "active calls on every line, with their Q.931 state")
    table.add("dial", dial, "place a call on a line (FROM: its port name) to a number",
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
    table.add("hangup", lambda call, cause=None: act(
        call, lambda line, i: line.hangup(i, cause_of(cause, CauseValue.NORMAL_CALL_CLEARING))),
        "clear a call (default cause 16, normal call clearing)", Arg("call", str),
        Arg("cause", int, required=False, help="Q.850 cause"))
