"""Simulated ISDN phones on the box's internal S0 bus (each one a TE)."""

from __future__ import annotations

from firmware.sim.peer import SimPeer


class SimIsdnPhone(SimPeer):
    kind = "isdn-phone"

    def power_on(self) -> None:
        """A terminal plugged into the bus brings layer 1 up and gets its TEI."""
        self.line.start()
