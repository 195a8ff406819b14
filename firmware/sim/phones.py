"""Simulated ISDN phones on the box's internal S0 bus (each one a TE)."""

from __future__ import annotations

from firmware.sim.peer import SimPeer


class SimIsdnPhone(SimPeer):
    kind = "isdn-phone"

    def power_on(self) -> None:
        """A terminal that is plugged in asks for layer 1, as a real phone does."""
        self.port.ph_activate_req()
