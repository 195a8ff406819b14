"""Watches a port's layer 1 and reports it on the event bus.

Every port needs exactly one consumer of its indications; until a layer-2 entity takes
a port, this one does, so port state is visible in `ctl events` and the dashboard.
"""

from __future__ import annotations

from firmware.events import EventBus
from firmware.log import get_logger
from firmware.ports.base import PhActivateInd, PhDataInd, PhDeactivateInd, Port, PortEvent

log = get_logger("ports")


class PortMonitor:
    def __init__(self, port: Port, events: EventBus) -> None:
        self.port = port
        self.events = events
        self._last_l1: str | None = None
        port.bind(self.on_event)

    def on_event(self, event: PortEvent) -> None:
        if isinstance(event, PhActivateInd | PhDeactivateInd):
            state = str(self.port.l1_state)
            if state != self._last_l1:  # mISDN may confirm an active layer 1 again
                self._last_l1 = state
                log.info("l1_state", port=self.port.name, state=state)
                self.events.publish("port.l1", port=self.port.name, state=state)
        elif isinstance(event, PhDataInd):
            log.debug("d_frame_rx", port=self.port.name, frame=event.frame.hex())
