"""The virtual exchange: the network (NT) side of the simulated trunk.

For now it is layer 1 only: it brings the bus up when the box asks and receives
whatever the box sends on the D-channel. The network-side LAPD/Q.931 stack and the
virtual PSTN of scripted subscribers plug into `on_frame` with the ISDN stack.
"""

from __future__ import annotations

from firmware.sim.peer import SimPeer


class VirtualExchange(SimPeer):
    kind = "exchange"
