"""Features an extension reaches by dialling a code (PbxConfig.codes) or the API sets:
call pickup, do not disturb, and the call-waiting decision.

* Group pickup (``*8``): answer the oldest call ringing an extension that shares a
  group with mine. Directed pickup (``**`` + extension): answer the call ringing that
  extension. The picking phone is answered (CONNECT) and becomes the call's answering
  leg; the phones that rang are cleared with cause 26 (non-selected user clearing).
  Nothing to pick up: the phone gets cause 31 (normal, unspecified).
* Do not disturb (``*26`` toggles it, or ``set_dnd``): callers get busy (17), or the
  extension's forward-on-busy. The setting is saved like any other (``save_config``).
* Listen to my mailbox (``*98``): the box answers and plays my new messages
  (firmware/pbx/mailbox_call.py); without a mailbox, cause 31.
* Record my greeting (``*97``): the box answers, beeps and records the greeting my
  callers hear (firmware/pbx/greeting_call.py); without a mailbox, cause 31.
* Call waiting (Extension.call_waiting): an extension talking on one call is still
  offered a second one; off, it is busy.

Feature-code calls are not calls: they leave no CDR row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firmware.isdn.q931.causes import CauseValue
from firmware.log import get_logger
from firmware.pbx.config import Extension, PbxConfig
from firmware.pbx.dialplan import _is_prefix_of_longer
from firmware.pbx.legs import CallState, PbxCall, PbxError, Role

if TYPE_CHECKING:
    from firmware.pbx.switch import Switch

log = get_logger("pbx")


class Features:
    """Mixed into the Switch."""

    def set_dnd(self: Switch, number: str, on: bool) -> Extension:
        ext = self.config.internal(number)
        if not isinstance(ext, Extension):
            raise PbxError(f"no extension {number}")
        doc = self.config.to_doc()
        for item in doc["extensions"]:
            if item["number"] == number:
                item["dnd"] = on
        config = PbxConfig.from_doc(doc, ports=tuple(self.lines))
        self.reconfigure(config)
        if self.save_config is not None:
            self.save_config(config)
        log.info("dnd", extension=number, on=on)
        if self.events is not None:
            self.events.publish("pbx.dnd", extension=number, on=on)
        return config.internal(number)

    # dial codes -----------------------------------------------------------------------
    def _feature_code(self: Switch, call: PbxCall, complete: bool, first: bool) -> bool:
        """Handle ``call.digits`` if they are (or may become) a feature code."""
        digits = call.digits.rstrip("#")
        complete = complete or call.digits.endswith("#")
        codes = self.config.codes
        caller = call.a.extension
        if not digits.startswith("*") or caller is None:
            return False
        if codes.pickup and digits == codes.pickup:
            self._pick_up(call, self._group_pickup_target(caller), "group")
        elif codes.dnd and digits == codes.dnd:
            ext = self.set_dnd(caller.number, not caller.dnd)
            call.record = False
            self._refuse(call, CauseValue.NORMAL_CALL_CLEARING,
                         f"do not disturb {'on' if ext.dnd else 'off'}")
        elif codes.mailbox and digits == codes.mailbox:
            call.record = False
            self._to_own_mailbox(call, caller)
        elif codes.greeting and digits == codes.greeting:
            call.record = False
            self._to_own_greeting(call, caller)
        elif codes.directed_pickup and digits.startswith(codes.directed_pickup) \
                and len(digits) > len(codes.directed_pickup):
            number = digits[len(codes.directed_pickup):]
            target = self.config.internal(number)
            if not complete and (target is None or _is_prefix_of_longer(number, self.config)):
                if target is None and not any(n.startswith(number)
                                              for n in self.config._by_number):
                    return self._no_feature(call, f"no extension {number}")
                return self._more_digits(call, first)
            if not isinstance(target, Extension):
                return self._no_feature(call, f"no extension {number}")
            self._pick_up(call, self._directed_pickup_target(target), f"of {number}")
        elif not complete and any(code.startswith(digits) for code in
                                  (codes.pickup, codes.dnd, codes.directed_pickup,
                                   codes.mailbox, codes.greeting) if code):
            return self._more_digits(call, first)
        else:
            return False  # the dial plan refuses it
        return True

    def _more_digits(self: Switch, call: PbxCall, first: bool) -> bool:
        if first:
            call.a.line.more_info(call.a.call_id)
        return True

    def _no_feature(self: Switch, call: PbxCall, reason: str) -> bool:
        call.record = False
        self._refuse(call, CauseValue.NORMAL_UNSPECIFIED, reason)
        return True

    # pickup ---------------------------------------------------------------------------
    def _ringing_calls(self: Switch) -> list[tuple[PbxCall, list]]:
        """Calls ringing extensions, oldest first, with their ringing legs."""
        out = []
        for call in sorted(self.calls.values(), key=lambda c: c.started):
            if call.state is CallState.RINGING and call.a is not None and call.stage != 1:
                ringing = [leg for leg in call.b if leg.extension is not None
                           and not leg.answered and not leg.clearing]
                if ringing:
                    out.append((call, ringing))
        return out

    def _group_pickup_target(self: Switch, picker: Extension) -> PbxCall | None:
        mates = {m for g in self.config.groups if picker.number in g.members
                 for m in g.members} - {picker.number}
        return next((call for call, ringing in self._ringing_calls()
                     if any(leg.extension.number in mates for leg in ringing)), None)

    def _directed_pickup_target(self: Switch, ext: Extension) -> PbxCall | None:
        return next((call for call, ringing in self._ringing_calls()
                     if any(leg.extension.number == ext.number for leg in ringing)), None)

    def _pick_up(self: Switch, call: PbxCall, target: PbxCall | None, what: str) -> None:
        """The phone dialling ``call`` answers ``target`` instead of the ringing ones."""
        if target is None:
            self._no_feature(call, f"no call to pick up ({what})")
            return
        picker = call.a
        call.record = False
        self.calls.pop(call.id, None)  # the feature call becomes the target's answerer
        picker.answered, picker.role = True, Role.CALLEE
        target.b.append(picker)
        self._legs[(picker.line.port.name, picker.call_id)] = (target, picker)
        self._safely(picker.line.answer, picker.call_id)
        log.info("pickup", call=target.id, by=picker.extension.number, what=what)
        self._publish(target, "picked-up", by=picker.extension.number)
        self._callee_answered(target, picker)

    # call waiting ---------------------------------------------------------------------
    def _may_wait(self: Switch, ext: Extension) -> bool:
        """A busy extension with call waiting gets a second call while it talks on
        exactly one."""
        if not ext.call_waiting:
            return False
        legs = [leg for _, leg in self._legs.values() if leg.extension is not None
                and leg.extension.number == ext.number and not leg.released]
        return len(legs) == 1 and legs[0].answered and not legs[0].clearing
