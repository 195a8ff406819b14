"""The ISDN stack on one port: layer 2 now, call control on top of it next.

It owns the port's one handler, reports layer-1, TEI and data-link changes on the
event bus, and is what `status` shows for the port's upper layers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from firmware.clock import Clock
from firmware.events import EventBus
from firmware.isdn.lapd.driver import Layer2
from firmware.isdn.lapd.entity import Lapd, TeiEvent
from firmware.isdn.lapd.primitives import Dl, DlIndication
from firmware.log import get_logger
from firmware.ports.base import Port

log = get_logger("isdn")


class IsdnLine:
    def __init__(self, port: Port, clock: Clock, events: EventBus | None = None,
                 rng: random.Random | None = None,
                 on_dl: Callable[[DlIndication], None] | None = None) -> None:
        self.port = port
        self.events = events
        self.network_side = port.spec.role == "nt"
        self.ptp = port.spec.mode == "ptp"
        self._on_dl = on_dl
        self.l2 = Layer2(port, clock, Lapd(network_side=self.network_side, ptp=self.ptp,
                                           rng=rng or random.Random()),
                         on_dl=self._dl, on_tei=self._tei, on_l1=self._l1)

    def start(self) -> None:
        """A TE brings its line up at boot and gets its TEI (as libpri's TE does too)."""
        if not self.network_side:
            self.l2.establish()
        else:
            self.port.ph_activate_req()

    def _publish(self, topic: str, **data: Any) -> None:
        if self.events is not None:
            self.events.publish(topic, port=self.port.name, **data)

    def _l1(self, up: bool) -> None:
        state = "activated" if up else "deactivated"
        log.info("l1_state", port=self.port.name, state=state)
        self._publish("port.l1", state=state)

    def _tei(self, event: TeiEvent) -> None:
        self._publish("port.tei", what=event.what, tei=event.tei)

    def _dl(self, ind: DlIndication) -> None:
        if ind.primitive not in (Dl.DATA_IND, Dl.UNITDATA_IND):
            log.info("l2_state", port=self.port.name, tei=ind.tei, primitive=ind.primitive.value)
            self._publish("port.l2", tei=ind.tei, primitive=ind.primitive.value)
        if self._on_dl is not None:
            self._on_dl(ind)

    def status(self) -> dict[str, Any]:
        return self.l2.core.status()

    def close(self) -> None:
        self.l2.close()
