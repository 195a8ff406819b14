"""Opens the box's ports from a board profile, each with its backend."""

from __future__ import annotations

from firmware.errors import ConfigError
from firmware.ports.base import Port
from firmware.sim.world import SimWorld
from firmware.system.board import BoardProfile


def open_ports(board: BoardProfile, sim: SimWorld) -> dict[str, Port]:
    ports: dict[str, Port] = {}
    for spec in board.ports:
        if spec.backend == "sim":
            ports[spec.name] = sim.open_port(spec)
        else:
            # Say so plainly rather than pretend: the driver is its own issue.
            raise ConfigError(f"board {board.name}: port {spec.name} needs the "
                              f"'{spec.backend}' backend, which this build does not have yet "
                              f"(available: sim)")
    return ports
