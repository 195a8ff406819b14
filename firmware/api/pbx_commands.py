"""API commands of the PBX: calls, originate, hang up, settings, CDRs, simulated phones.

PBX calls are named "cN" (`calls`); the line-level calls under them are channels,
"PORT:ID" (`channels`). `dial` and `hangup` take either: `dial 21 00301234567` rings
extension 21 and then dials the number; `dial trunk 0301234567` places a bare call on
the trunk, as before the PBX.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.protocol import BAD_ARGS, NOT_AVAILABLE, NOT_FOUND, ApiError
from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.config import FieldError, PbxConfig
from firmware.pbx.switch import PbxError, Switch
from firmware.sim.phones import PhoneError
from firmware.sim.world import SimWorld

PHONE_ACTIONS = ("answer", "dial", "digits", "hangup")


def register_pbx_commands(table: CommandTable, switch: Callable[[], Switch],
                          save_config: Callable[[PbxConfig], None],
                          ports: Callable[[], tuple[str, ...]], sim: SimWorld) -> None:
    def calls() -> list[dict[str, Any]]:
        return switch().status()

    def configure(config: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise ApiError(BAD_ARGS, "config must be an object")
        try:
            parsed = PbxConfig.from_doc(config, ports=ports())
        except FieldError as e:
            raise ApiError(BAD_ARGS, f"the PBX settings have {len(e.problems)} problem(s): "
                                     f"{e}", dict(e.problems)) from None
        save_config(parsed)
        switch().reconfigure(parsed)
        return parsed.to_doc()

    def cdr(offset: int = 0, limit: int = 50, number: str = "") -> dict[str, Any]:
        if offset < 0 or not 1 <= limit <= 1000:
            raise ApiError(BAD_ARGS, "offset must be ≥ 0 and limit 1..1000")
        log = switch().cdr
        if log is None:
            raise ApiError(NOT_AVAILABLE, "this daemon keeps no CDRs")
        match = (lambda r: number in (r["src"], r["dst"])) if number else None
        total, rows = log.query(match, offset=offset, limit=limit)
        return {"total": total, "offset": offset, "rows": rows}

    def phone(name: str, action: str, number: str = "") -> dict[str, Any]:
        try:
            device = sim.phone(name)
        except KeyError as e:
            raise ApiError(NOT_FOUND, e.args[0]) from None
        if action not in PHONE_ACTIONS:
            raise ApiError(BAD_ARGS, f"unknown action {action!r} (one of "
                                     f"{', '.join(PHONE_ACTIONS)})")
        if action in ("dial", "digits") and not number:
            raise ApiError(BAD_ARGS, f"{action} needs a number")
        try:
            if action == "answer":
                device.answer()
            elif action == "dial":
                device.dial(number)
            elif action == "digits":
                device.more_digits(number)
            else:
                device.hangup()
        except PhoneError as e:
            raise ApiError(BAD_ARGS, str(e)) from None
        return device.status()

    table.add("calls", calls, "PBX calls: who is connected to whom, with their channels")
    table.add("pbx.config", lambda: switch().config.to_doc(),
              "the PBX settings: extensions, groups, routes, line access")
    table.add("pbx.configure", configure,
              "replace the PBX settings (validated as a whole; errors name the field)",
              Arg("config", dict))
    table.add("cdr", cdr, "call detail records, newest first",
              Arg("offset", int, required=False), Arg("limit", int, required=False),
              Arg("number", str, required=False, help="only calls from or to this number"))
    table.add("sim.phone", phone, "a person at a simulated phone: answer, dial, digits, hangup",
              Arg("name", str, help="phone name or MSN, e.g. 21"), Arg("action", str),
              Arg("number", str, required=False))


def originate(switch: Switch, source: str, to: str) -> dict[str, Any]:
    """`dial EXT NUMBER`: ring the extension, then the number, with its barring."""
    try:
        call = switch.originate([source], to, caller=source)
    except PbxError as e:
        raise ApiError(BAD_ARGS, str(e)) from None
    if call.id not in switch.calls:  # over before it began: nothing could ring
        raise ApiError(BAD_ARGS, f"extension {source} cannot be called now "
                                 f"(cause {call.failure_cause})")
    return {"call": call.id}


def hangup_pbx_call(switch: Switch, call: str, cause: int | None) -> dict[str, Any]:
    try:
        switch.hangup(call, cause or CauseValue.NORMAL_CALL_CLEARING)
    except PbxError as e:
        raise ApiError(NOT_FOUND, str(e)) from None
    return {"call": call}
