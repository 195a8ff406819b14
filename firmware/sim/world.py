"""Builds the simulated side of every `sim` port in a board profile."""

from __future__ import annotations

import random
from typing import Any

from firmware.clock import Clock
from firmware.errors import ConfigError
from firmware.ports.sim import SimBus, SimPort
from firmware.sim.exchange import VirtualExchange
from firmware.sim.peer import SimPeer
from firmware.sim.phones import SimIsdnPhone
from firmware.system.board import PortSpec
from firmware.tomlfile import Table

MAX_PHONES = 8  # an S0 bus carries at most 8 terminals (I.430)


class SimWorld:
    def __init__(self, clock: Clock, seed: int | None = None) -> None:
        self.clock = clock
        self.rng = random.Random(seed)
        self.buses: dict[str, SimBus] = {}
        self.peers: list[SimPeer] = []

    def open_port(self, spec: PortSpec) -> SimPort:
        """Make the bus behind one of the box's sim ports, with its far end, and
        return the box's end."""
        opts = Table(spec.options, f"port {spec.name} [ports.sim]")
        far_end = opts.take("far_end", str, choices=("exchange", "phones"))
        phones = opts.take("phones", int, 2)
        auto_answer = opts.take("auto_answer", float, 0.0)
        opts.done()
        bus = SimBus(spec.name, self.clock)
        box_end = bus.attach(spec)
        if far_end == "exchange":
            if spec.role != "te":
                raise ConfigError(f"port {spec.name}: a sim exchange needs the box as TE")
            far = PortSpec(f"{spec.name}.exchange", spec.kind, "nt", spec.mode, "sim")
            self.peers.append(VirtualExchange("exchange", bus.attach(far), self.clock,
                                              self.rng))
        else:
            if spec.role != "nt":
                raise ConfigError(f"port {spec.name}: sim phones need the box as NT")
            if not 1 <= phones <= MAX_PHONES:
                raise ConfigError(f"port {spec.name}: phones must be 1..{MAX_PHONES}")
            for i in range(1, phones + 1):
                far = PortSpec(f"{spec.name}.phone{i}", spec.kind, "te", spec.mode, "sim")
                # phone N answers to MSN 2N (21, 22, ...), the sim board's extensions
                self.peers.append(SimIsdnPhone(f"{spec.name}.phone{i}", bus.attach(far),
                                               self.clock, self.rng, msn=str(20 + i),
                                               auto_answer=auto_answer or None))
        self.buses[spec.name] = bus
        return box_end

    def phone(self, name: str) -> SimIsdnPhone:
        for peer in self.peers:
            if isinstance(peer, SimIsdnPhone) and name in (peer.name, peer.msn):
                return peer
        names = [p.name for p in self.peers if isinstance(p, SimIsdnPhone)]
        raise KeyError(f"no simulated phone {name!r} (phones: {', '.join(names) or 'none'})")

    def exchange(self) -> VirtualExchange | None:
        return next((p for p in self.peers if isinstance(p, VirtualExchange)), None)

    def start(self) -> None:
        for peer in self.peers:
            if isinstance(peer, SimIsdnPhone):
                peer.power_on()

    def status(self) -> dict[str, Any]:
        return {"peers": [p.status() for p in self.peers],
                "buses": {n: {"l1": str(b.state), "plugged": b.plugged}
                          for n, b in self.buses.items()}}
