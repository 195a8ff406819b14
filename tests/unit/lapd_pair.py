"""A TE and an NT layer 2 on one simulated bus, in virtual time (shared by LAPD tests)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from firmware.clock import VirtualClock
from firmware.isdn.lapd.driver import Layer2
from firmware.isdn.lapd.entity import Lapd
from firmware.isdn.lapd.primitives import Dl, DlIndication
from firmware.ports.sim import SimBus
from firmware.system.board import PortSpec


@dataclass
class Side:
    l2: Layer2
    got: list[DlIndication] = field(default_factory=list)

    def prims(self) -> list[Dl]:
        return [d.primitive for d in self.got]

    def data(self) -> list[bytes]:
        return [d.data for d in self.got if d.primitive is Dl.DATA_IND]


def make_pair(*, ptp: bool = False, n_te: int = 1, seed: int = 1):
    clock = VirtualClock()
    bus = SimBus("s0", clock)
    mode = "ptp" if ptp else "ptmp"
    nt_port = bus.attach(PortSpec("nt", "bri", "nt", mode, "sim"))
    nt_got: list[DlIndication] = []
    nt = Side(Layer2(nt_port, clock, Lapd(network_side=True, ptp=ptp), nt_got.append), nt_got)
    tes = []
    for i in range(n_te):
        port = bus.attach(PortSpec(f"te{i}", "bri", "te", mode, "sim"))
        got: list[DlIndication] = []
        core = Lapd(network_side=False, ptp=ptp, rng=random.Random(seed + i))
        tes.append(Side(Layer2(port, clock, core, got.append), got))
    return clock, bus, nt, tes
