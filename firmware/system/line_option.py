"""`--line BACKEND:ARG --side te|nt --mode ptmp|ptp`: one ISDN line instead of the board's.

It makes the daemon testable against any peer: `--line lapdsock:/tmp/d.sock --side te`
runs the box's stack as the user side on a D-channel socket where, say, a libpri
network side listens. The board still supplies storage and console settings.
"""

from __future__ import annotations

from dataclasses import replace

from firmware.errors import ConfigError
from firmware.system.board import PORT_MODES, PORT_ROLES, BoardProfile, PortSpec

LINE_PORT = "line"
LINE_BACKENDS = {"lapdsock": "path"}  # backend -> the option its ARG fills


def line_port(line: str, side: str, mode: str) -> PortSpec:
    backend, sep, arg = line.partition(":")
    if backend not in LINE_BACKENDS:
        raise ConfigError(f"--line {line}: unknown backend '{backend}' "
                          f"(available: {', '.join(LINE_BACKENDS)})")
    if not sep or not arg:
        raise ConfigError(f"--line {line}: expected {backend}:{LINE_BACKENDS[backend].upper()}")
    if side not in PORT_ROLES:
        raise ConfigError(f"--side {side}: expected one of {', '.join(PORT_ROLES)}")
    if mode not in PORT_MODES:
        raise ConfigError(f"--mode {mode}: expected one of {', '.join(PORT_MODES)}")
    return PortSpec(name=LINE_PORT, kind="bri", role=side, mode=mode, backend=backend,
                    options={LINE_BACKENDS[backend]: arg})


def parse_msns(text: str) -> tuple[str, ...]:
    """'21,22' -> ('21', '22'); each an MSN or DDI number of digits."""
    msns = tuple(m.strip() for m in text.split(",") if m.strip())
    bad = [m for m in msns if not m.isdigit()]
    if bad or not msns:
        raise ConfigError(f"--msn {text}: expected numbers separated by commas, e.g. 21,22")
    return msns


def with_line(board: BoardProfile, line: str, side: str, mode: str) -> BoardProfile:
    """The board with its ports replaced by the one line."""
    return replace(board, ports=(line_port(line, side, mode),))
