"""Opens the box's ports from a board profile, each with its backend."""

from __future__ import annotations

from firmware.clock import Clock
from firmware.errors import ConfigError
from firmware.ports.base import Port
from firmware.ports.lapdsock import LapdSockPort
from firmware.sim.world import SimWorld
from firmware.system.board import BoardProfile, PortSpec
from firmware.tomlfile import Table


def open_ports(board: BoardProfile, sim: SimWorld, clock: Clock) -> dict[str, Port]:
    ports: dict[str, Port] = {}
    for spec in board.ports:
        if spec.backend == "sim":
            ports[spec.name] = sim.open_port(spec)
        elif spec.backend == "lapdsock":
            ports[spec.name] = _lapdsock(spec, clock)
        else:
            # Say so plainly rather than pretend: the driver is its own issue.
            raise ConfigError(f"board {board.name}: port {spec.name} needs the "
                              f"'{spec.backend}' backend, which this build does not have yet "
                              f"(available: sim, lapdsock)")
    return ports


def _lapdsock(spec: PortSpec, clock: Clock) -> Port:
    opts = Table(spec.options, f"port {spec.name} [ports.lapdsock]")
    path = opts.take("path", str)
    opts.done()
    return LapdSockPort(spec, clock, path)
