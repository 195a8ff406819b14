"""The virtual exchange: the network (NT) side of the simulated trunk.

It runs the network-side stack on its end of the bus: it brings layer 1 up, hands out
TEIs and answers LAPD. The virtual PSTN of scripted subscribers sits on its call
control, which arrives with the Q.931 layer.
"""

from __future__ import annotations

from firmware.sim.peer import SimPeer


class VirtualExchange(SimPeer):
    kind = "exchange"
