"""API commands of the PBX: calls, originate, hang up, settings, CDRs, simulated phones.

PBX calls are named "cN" (`calls`); the line-level calls under them are channels,
"PORT:ID" (`channels`). `dial` and `hangup` take either: `dial 21 00301234567` rings
extension 21 and then dials the number; `dial trunk 0301234567` places a bare call on
the trunk, as before the PBX.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from firmware.api.commands import Arg, CommandTable
from firmware.api.protocol import BAD_ARGS, NOT_AVAILABLE, NOT_FOUND, ApiError
from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.cdr import CdrLog
from firmware.pbx.cdr_filter import CdrFilter
from firmware.pbx.config import FieldError, PbxConfig
from firmware.pbx.switch import PbxError, Switch
from firmware.sim.analog_phone import ACTIONS as ANALOG_ACTIONS
from firmware.sim.analog_phone import PhoneError as AnalogPhoneError
from firmware.sim.analog_phone import SimAnalogPhone
from firmware.sim.exchange import SubscriberError
from firmware.sim.phones import ACTIONS as PHONE_ACTIONS
from firmware.sim.phones import PhoneError
from firmware.sim.world import SimWorld

SUBSCRIBER_ACTIONS = ("dtmf", "heard", "hangup")


def register_pbx_commands(table: CommandTable, switch: Callable[[], Switch],
                          save_config: Callable[[PbxConfig], None],
                          ports: Callable[[], tuple[str, ...]], sim: SimWorld,
                          links: Callable[[], tuple[str, ...]] | None = None) -> None:
    def calls() -> list[dict[str, Any]]:
        return switch().status()

    def configure(config: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise ApiError(BAD_ARGS, "config must be an object")
        try:
            parsed = PbxConfig.from_doc(config, ports=ports(),
                                        links=links() if links is not None else None)
        except FieldError as e:
            raise ApiError(BAD_ARGS, f"the PBX settings have {len(e.problems)} problem(s): "
                                     f"{e}", dict(e.problems)) from None
        save_config(parsed)
        switch().reconfigure(parsed)
        return parsed.to_doc()

    def cdr_log() -> CdrLog:
        log = switch().cdr
        if log is None:
            raise ApiError(NOT_AVAILABLE, "this daemon keeps no CDRs")
        return log

    def cdr_filter(args: dict[str, str]) -> CdrFilter:
        try:
            return CdrFilter.parse(**args)
        except FieldError as e:
            raise ApiError(BAD_ARGS, f"cdr: {e}", dict(e.problems)) from None

    async def cdr(offset: int = 0, limit: int = 50, **filters: str) -> dict[str, Any]:
        if offset < 0 or not 1 <= limit <= 1000:
            raise ApiError(BAD_ARGS, "offset must be ≥ 0 and limit 1..1000")
        log, match = cdr_log(), cdr_filter(filters)
        if match.empty:  # a whole-file read: off the event loop, which carries the calls
            total, rows = await asyncio.to_thread(log.query, None, offset, limit)
        elif match == CdrFilter(number=match.number):  # the index alone answers
            total, rows = log.for_numbers([match.number], offset=offset, limit=limit)
        else:
            total, rows = await asyncio.to_thread(log.select, match, match.number, offset,
                                                  limit)
        return {"total": total, "offset": offset, "rows": rows}

    async def cdr_export(cursor: int = 0, **filters: str) -> dict[str, Any]:
        if cursor < 0:
            raise ApiError(BAD_ARGS, "cursor must be ≥ 0 (0: from the top, with the header)")
        log, match = cdr_log(), cdr_filter(filters)
        text, rows, after = await asyncio.to_thread(log.export, None if match.empty
                                                    else match, cursor)
        return {"csv": text, "rows": rows, "next": after}

    def phone(name: str, action: str, number: str = "") -> dict[str, Any]:
        try:
            device = sim.phone(name)
        except KeyError as e:
            raise ApiError(NOT_FOUND, e.args[0]) from None
        if isinstance(device, SimAnalogPhone):
            return analog_phone(device, action, number)
        if action not in PHONE_ACTIONS:
            raise ApiError(BAD_ARGS, f"unknown action {action!r} (one of "
                                     f"{', '.join(PHONE_ACTIONS)})")
        if action in ("dial", "digits", "dtmf") and not number:
            what = "the keys to press" if action == "dtmf" else "a number"
            raise ApiError(BAD_ARGS, f"{action} needs {what}")
        try:
            if action == "answer":
                device.answer()
            elif action == "dial":
                device.dial(number)
            elif action == "digits":
                device.more_digits(number)
            elif action == "hold":
                device.hold()
            elif action == "retrieve":
                device.retrieve()
            elif action == "transfer":
                device.transfer()
            elif action == "dtmf":
                device.send_dtmf(number)
            elif action in ("heard", "status"):
                pass  # the status says what the phone heard and what its lamp shows
            else:
                device.hangup()
        except PhoneError as e:
            raise ApiError(BAD_ARGS, str(e)) from None
        return device.status()

    def analog_phone(device: SimAnalogPhone, action: str, number: str) -> dict[str, Any]:
        if action not in ANALOG_ACTIONS:
            raise ApiError(BAD_ARGS, f"unknown action {action!r} for an analog phone (one "
                                     f"of {', '.join(ANALOG_ACTIONS)})")
        if action in ("dial", "dtmf") and not number:
            raise ApiError(BAD_ARGS, f"{action} needs the keys to press")
        try:
            if action == "offhook":
                device.offhook()
            elif action == "onhook":
                device.onhook()
            elif action == "flash":
                device.flash()
            elif action in ("dial", "dtmf"):  # an analog phone has one way to key: DTMF
                device.dial(number)
        except AnalogPhoneError as e:
            raise ApiError(BAD_ARGS, str(e)) from None
        return device.status()

    def subscriber(number: str, action: str, digits: str = "") -> dict[str, Any]:
        exchange = sim.exchange()
        if exchange is None:
            raise ApiError(NOT_FOUND, "this board has no simulated exchange")
        if action not in SUBSCRIBER_ACTIONS:
            raise ApiError(BAD_ARGS, f"unknown action {action!r} (one of "
                                     f"{', '.join(SUBSCRIBER_ACTIONS)})")
        if action == "dtmf" and not digits:
            raise ApiError(BAD_ARGS, "dtmf needs the keys to press")
        try:
            if action == "dtmf":
                exchange.subscriber_dtmf(number, digits)
            elif action == "hangup":
                exchange.subscriber_hangup(number)
            heard = exchange.subscriber_heard(number)
        except KeyError as e:
            raise ApiError(NOT_FOUND, e.args[0]) from None
        except SubscriberError as e:
            raise ApiError(BAD_ARGS, str(e)) from None
        return {"number": number, "heard": heard}

    def transfer(call: str, target: str = "", to: str = "", by: str = "",
                 return_seconds: int | None = None) -> dict[str, Any]:
        if bool(target) == bool(to):
            raise ApiError(BAD_ARGS, "give a TARGET number (blind) or --to CALL (attended)")
        if return_seconds is not None and not (return_seconds == 0
                                               or 5 <= return_seconds <= 600):
            raise ApiError(BAD_ARGS, "return_seconds: 0 (never) or 5..600")
        try:
            if to:
                new = switch().transfer_to_call(call, to, by or None)
            else:
                new = switch().transfer(call, target, by or None, return_seconds)
        except PbxError as e:
            raise ApiError(BAD_ARGS, str(e)) from None
        return {"call": new.id, "state": new.state.value}

    def dnd(extension: str, state: str = "") -> dict[str, Any]:
        if state not in ("", "on", "off"):
            raise ApiError(BAD_ARGS, "state: on or off (none: just show it)")
        try:
            if state:
                ext = switch().set_dnd(extension, state == "on")
            else:
                ext = switch().config.internal(extension)
        except PbxError as e:
            raise ApiError(NOT_FOUND, str(e)) from None
        if ext is None or not hasattr(ext, "dnd"):
            raise ApiError(NOT_FOUND, f"no extension {extension}")
        return {"extension": extension, "dnd": ext.dnd}

    def conference(call: str, other: str, by: str = "") -> dict[str, Any]:
        try:
            joined = switch().conference(call, other, by or None)
        except PbxError as e:
            raise ApiError(BAD_ARGS, str(e)) from None
        return {"call": joined.id, "parties": [leg.id for leg in joined.parties()]}

    def schedule_mode(name: str, mode: str) -> dict[str, Any]:
        try:
            switch().set_schedule_mode(name, mode)
        except PbxError as e:
            raise ApiError(BAD_ARGS, str(e)) from None
        return next(s for s in switch().schedules_status() if s["name"] == name)

    table.add("calls", calls, "PBX calls: who is connected to whom, with their channels")
    table.add("pbx.config", lambda: switch().config.to_doc(),
              "the PBX settings: extensions, groups, routes, line access")
    table.add("pbx.configure", configure,
              "replace the PBX settings (validated as a whole; errors name the field)",
              Arg("config", dict))
    filter_help = (Arg("number", str, required=False, help="only calls from or to this number"),
                   Arg("direction", str, required=False, help="in, out or internal"),
                   Arg("disposition", str, required=False,
                       help="answered, missed (no-answer, busy or failed) or one of those"),
                   Arg("since", str, required=False, help="from this date/time (inclusive)"),
                   Arg("until", str, required=False, help="to this date/time (a date: its "
                                                          "whole day)"),
                   Arg("timezone", str, required=False,
                       help="the zone of since/until without an offset (default UTC)"))
    table.add("cdr", cdr, "call detail records, newest first",
              Arg("offset", int, required=False), Arg("limit", int, required=False),
              *filter_help)
    table.add("cdr.export", cdr_export, "call detail records as CSV in Master.csv column "
              "order, oldest first, in chunks: pass `next` back as cursor until it is null",
              Arg("cursor", int, required=False), *filter_help)
    table.add("transfer", transfer,
              "hand a connected call on: blind to TARGET, or attended --to the consulted call",
              Arg("call", str, help="the call (cN) whose extension hands it on"),
              Arg("target", str, required=False, help="blind: the number to ring"),
              Arg("to", str, required=False, help="attended: the consultation call (cM)"),
              Arg("by", str, required=False, help="the transferring extension, when both "
                                                  "parties are extensions"),
              Arg("return_seconds", int, required=False,
                  help="blind: ring back the extension after this long (0: never)"))
    table.add("conference", conference,
              "join two connected calls of one extension into a three-party conference",
              Arg("call", str), Arg("other", str),
              Arg("by", str, required=False, help="the extension in both calls"))
    table.add("schedules", lambda: switch().schedules_status(),
              "night-service schedules: their mode and whether it is day or night now")
    table.add("schedule.mode", schedule_mode,
              "force a schedule's routes to day or night, or back to its hours (auto)",
              Arg("name", str), Arg("mode", str, help="day, night or auto"))
    table.add("dnd", dnd, "do not disturb of an extension: on, off, or show it",
              Arg("extension", str), Arg("state", str, required=False, help="on or off"))
    table.add("sim.phone", phone, "a person at a simulated phone: answer, dial, digits, "
                                  "hangup, hold, retrieve, transfer, dtmf (keys in the "
                                  "call), heard (DTMF it heard), status (its state and "
                                  "message-waiting lamp); an analog phone: offhook, onhook, "
                                  "flash, dial/dtmf (keys as DTMF), hears/status (ringing "
                                  "cadence, CLIP, the tone it hears), heard",
              Arg("name", str, help="phone name or MSN, e.g. 21"), Arg("action", str),
              Arg("number", str, required=False, help="dial/digits: the number; dtmf: keys"))
    table.add("sim.subscriber", subscriber,
              "a PSTN subscriber in a call with the box: dtmf (press keys), heard (DTMF it "
              "heard), hangup",
              Arg("number", str, help="the subscriber's number"), Arg("action", str),
              Arg("digits", str, required=False))


def originate(switch: Switch, source: str, to: str) -> dict[str, Any]:
    """`dial EXT NUMBER`: ring the extension, then the number, with its barring."""
    try:
        switch.check_lines([source, to], caller=source)
        call = switch.originate([source], to, caller=source)
    except PbxError as e:
        raise ApiError(BAD_ARGS, str(e)) from None
    if call.id not in switch.calls:  # over before it began: nothing could ring
        raise ApiError(BAD_ARGS, f"extension {source} cannot be called now "
                                 f"(cause {call.failure_cause})")
    return {"call": call.id}


def hold_pbx_call(switch: Switch, call: str, by: str | None, retrieve: bool
                  ) -> dict[str, Any]:
    """`hold cN`: extension ``by`` (default: the call's) puts its party on hold."""
    try:
        leg = (switch.retrieve if retrieve else switch.hold)(call, by)
    except PbxError as e:
        raise ApiError(BAD_ARGS, str(e)) from None
    return {"call": call, "channel": leg.id, "held": leg.held}


def hangup_pbx_call(switch: Switch, call: str, cause: int | None) -> dict[str, Any]:
    try:
        switch.hangup(call, cause or CauseValue.NORMAL_CALL_CLEARING)
    except PbxError as e:
        raise ApiError(NOT_FOUND, str(e)) from None
    return {"call": call}
