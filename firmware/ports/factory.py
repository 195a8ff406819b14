"""Opens the box's ports from a board profile, each with its backend."""

from __future__ import annotations

from firmware.analog.port import AnalogPort
from firmware.clock import Clock
from firmware.errors import ConfigError
from firmware.media.engine import MediaEngine
from firmware.ports.base import Port
from firmware.ports.lapdsock import LapdSockPort
from firmware.sim.world import SimWorld
from firmware.system.board import BoardProfile, PortSpec
from firmware.tomlfile import Table


def open_ports(board: BoardProfile, sim: SimWorld, clock: Clock,
               analog: dict[str, AnalogPort] | None = None) -> dict[str, Port]:
    """The board's ports by name; an FXS port appears as the NT end of its terminal
    adapter's internal S0 link, and its AnalogPort goes into ``analog``."""
    ports: dict[str, Port] = {}
    for spec in board.ports:
        if spec.kind == "fxs":
            port = _fxs(spec, sim, clock)
            ports[spec.name] = port.nt
            if analog is not None:
                analog[spec.name] = port
        elif spec.backend == "sim":
            ports[spec.name] = sim.open_port(spec)
        elif spec.backend == "lapdsock":
            ports[spec.name] = _lapdsock(spec, clock)
        else:
            # Say so plainly rather than pretend: the driver is its own issue.
            raise ConfigError(f"board {board.name}: port {spec.name} needs the "
                              f"'{spec.backend}' backend, which this build does not have yet "
                              f"(available: sim, lapdsock)")
    return ports


def _fxs(spec: PortSpec, sim: SimWorld, clock: Clock) -> AnalogPort:
    if spec.backend != "sim":
        raise ConfigError(f"port {spec.name}: an FXS port needs the 'sim' backend in this "
                          f"build (a SLIC driver is its own issue)")
    # Without the daemon's engine (--check) a small one stands in: the port is still
    # built, so its options are checked.
    media = sim.media if sim.media is not None else MediaEngine(4)
    port = AnalogPort(spec, clock, media)
    sim.attach_fxs(spec, port.fxs)
    return port


def _lapdsock(spec: PortSpec, clock: Clock) -> Port:
    opts = Table(spec.options, f"port {spec.name} [ports.lapdsock]")
    path = opts.take("path", str)
    opts.done()
    return LapdSockPort(spec, clock, path)
