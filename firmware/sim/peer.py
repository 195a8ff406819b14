"""What every simulated device on a bus shares: its end of the bus and what it has seen."""

from __future__ import annotations

from typing import Any

from firmware.ports.base import BDataInd, PhActivateInd, PhDataInd, PhDeactivateInd, PortEvent
from firmware.ports.sim import SimPort


class SimPeer:
    """A device on the far side of a sim bus. Subclasses add behaviour on top of layer 1."""

    kind = "device"

    def __init__(self, name: str, port: SimPort) -> None:
        self.name = name
        self.port = port
        self.l1_up = False
        self.frames_seen = 0
        port.bind(self.on_event)

    def on_event(self, event: PortEvent) -> None:
        if isinstance(event, PhActivateInd):
            self.l1_up = True
        elif isinstance(event, PhDeactivateInd):
            self.l1_up = False
        elif isinstance(event, PhDataInd):
            self.frames_seen += 1
            self.on_frame(event.frame)
        elif isinstance(event, BDataInd):
            self.on_b_data(event.channel, event.data)

    def on_frame(self, frame: bytes) -> None:
        """A LAPD frame arrived. The protocol stack plugs in here."""

    def on_b_data(self, channel: int, data: bytes) -> None:
        """Audio or HDLC data arrived on a B-channel."""

    def status(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "role": self.port.spec.role,
                "l1": str(self.port.l1_state), "frames_seen": self.frames_seen}
