"""Message waiting indication: when a mailbox's count of new (unheard) messages changes
— a new message, one heard, one deleted — its extension's phone is told, and
``voicemail.mwi`` is published (extension, new, total).

How a phone is told depends on the extension's kind, through ``indicators``: a
registry of callables ``indicator(port_name: str, active: bool, count: int)``. ISDN
terminals on the box's NT bus ("isdn", here) get the ETSI MWI supplementary service
(EN 300 650 / EN 300 745-1): MWIIndicate with the number of messages, or MWIDeactivate
when none is left, as ROSE invokes in a FACILITY on the dummy call reference,
broadcast on the bus and addressed by a Called party number to the terminal's MSN (a
bus has many terminals, so the ISDN indicator takes the MSN as a fourth argument).
The daemon fills ``indicators["analog"]``: the FXS port's TA (FSK and stutter tone).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from firmware.events import EventBus
from firmware.isdn.line import IsdnLine
from firmware.isdn.q931 import rose
from firmware.log import get_logger
from firmware.pbx.config import Extension, PbxConfig
from firmware.pbx.voicemail import Voicemail, VoicemailError

log = get_logger("pbx.mwi")

Indicator = Callable[..., None]  # (port_name, active, count) — ISDN: and the MSN


class IsdnIndicator:
    """MWI to an ISDN terminal on one of the box's NT lines."""

    def __init__(self, lines: Callable[[], dict[str, IsdnLine]]) -> None:
        self._lines = lines
        self._invoke_ids = iter(range(1, 1 << 31))

    def __call__(self, port_name: str, active: bool, count: int, msn: str = "") -> None:
        line = self._lines().get(port_name)
        if line is None or not line.network_side:
            log.info("mwi_no_nt_line", port=port_name)
            return
        invoke_id = next(self._invoke_ids) % 0x7FFF + 1
        if active:
            op = rose.Invoke(invoke_id, rose.MWI_INDICATE, rose.mwi_indicate_argument(count))
        else:
            op = rose.Invoke(invoke_id, rose.MWI_DEACTIVATE,
                             rose.mwi_deactivate_argument(msn))
        line.connectionless_facility(op, called=msn)


class MessageWaiting:
    def __init__(self, store: Voicemail, config: Callable[[], PbxConfig],
                 events: EventBus | None = None) -> None:
        self.store = store
        self._config = config
        self.events = events
        self.indicators: dict[str, Indicator] = {}
        self._shown: dict[str, int] = {}  # mailbox -> the count its phone was last told

    def changed(self, mailbox: str) -> None:
        """The mailbox's messages changed: tell its phone if the new count did."""
        try:
            messages = self.store.messages(mailbox)
        except VoicemailError:
            return
        new = sum(not m.heard for m in messages)
        if self._shown.get(mailbox, 0) == new and mailbox in self._shown:
            return
        self._shown[mailbox] = new
        if self.events is not None:
            self.events.publish("voicemail.mwi", extension=mailbox, new=new,
                                total=len(messages))
        ext = self._config().internal(mailbox)
        if isinstance(ext, Extension):
            self._indicate(ext, new)

    def refresh(self) -> None:
        """Tell every mailbox's phone again (after a start: terminals forget)."""
        self._shown.clear()
        for ext in self._config().extensions:
            if ext.voicemail:
                self.changed(ext.number)

    def status(self) -> dict[str, Any]:
        return {"shown": dict(self._shown), "kinds": sorted(self.indicators)}

    def _indicate(self, ext: Extension, new: int) -> None:
        indicator = self.indicators.get(ext.kind)
        if indicator is None:
            log.debug("mwi_no_indicator", extension=ext.number, kind=ext.kind)
            return
        try:
            if ext.kind == "isdn":
                indicator(ext.port, new > 0, new, ext.terminal_msn)
            else:
                indicator(ext.port, new > 0, new)
        except Exception:  # one port's trouble must not stop voicemail
            log.exception("mwi_failed", extension=ext.number, kind=ext.kind)
            return
        log.info("mwi", extension=ext.number, kind=ext.kind, active=new > 0, new=new)
