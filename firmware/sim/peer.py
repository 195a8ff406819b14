"""What every simulated device on a bus shares: its end of the bus and its own ISDN stack.

A simulated device runs the same protocol code as the box (network side for the
exchange, user side for a phone), so the box meets real LAPD on the simulated copper.
"""

from __future__ import annotations

import random
from typing import Any

from firmware.clock import Clock
from firmware.isdn.line import IsdnLine
from firmware.ports.sim import SimPort


class SimPeer:
    kind = "device"

    def __init__(self, name: str, port: SimPort, clock: Clock, rng: random.Random,
                 msns: tuple[str, ...] = ()) -> None:
        self.name = name
        self.port = port
        self.line = IsdnLine(port, clock, rng=rng, msns=msns)

    def status(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "role": self.port.spec.role,
                "l1": str(self.port.l1_state), "frames_seen": self.port.counters["d_rx"],
                "l2": self.line.status()}
