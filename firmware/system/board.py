"""Board profiles: what the hardware has (ISDN ports, serial console, storage layout).

A profile is board/<name>/board.toml. It describes the machine, not the office:
office settings (MSNs, extensions, …) live in the store and are edited in the browser.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from firmware.errors import ConfigError
from firmware.tomlfile import Table, read_toml

PORT_KINDS = ("bri", "fxs")  # fxs: an analog extension port (a/b)
# te: the box is a terminal towards the telco; nt: the box is the network (its own S0 bus)
PORT_ROLES = ("te", "nt")
PORT_MODES = ("ptmp", "ptp")  # point-to-multipoint (MSNs) or point-to-point (DDI)
BACKENDS = ("sim", "lapdsock", "misdn", "l1oip")


@dataclass(frozen=True)
class PortSpec:
    name: str
    kind: str
    role: str
    mode: str
    backend: str
    options: dict[str, Any] = field(default_factory=dict)  # the backend's own table


@dataclass(frozen=True)
class ConsoleSpec:
    device: str  # a tty path, or "pty" for a simulated serial cable
    baudrate: int


@dataclass(frozen=True)
class StorageSpec:
    data_dir: Path
    run_dir: Path
    log_dir: Path


@dataclass(frozen=True)
class BoardProfile:
    name: str
    description: str
    console: ConsoleSpec
    storage: StorageSpec
    ports: tuple[PortSpec, ...]
    path: Path


def default_board_dirs() -> list[Path]:
    """Where profiles are looked for: $RINGBACK_BOARD_DIR, the source tree, the image."""
    dirs = []
    if env := os.environ.get("RINGBACK_BOARD_DIR"):
        dirs.append(Path(env))
    dirs.append(Path(__file__).resolve().parents[2] / "board")
    dirs.append(Path("/usr/share/ringback/board"))
    return dirs


def available_boards(dirs: list[Path] | None = None) -> list[str]:
    names = set()
    for d in dirs or default_board_dirs():
        if d.is_dir():
            names.update(p.parent.name for p in d.glob("*/board.toml"))
    return sorted(names)


def find_board(name: str, dirs: list[Path] | None = None) -> Path:
    dirs = dirs or default_board_dirs()
    if "/" in name or name.endswith(".toml"):
        return Path(name)
    for d in dirs:
        candidate = d / name / "board.toml"
        if candidate.is_file():
            return candidate
    known = ", ".join(available_boards(dirs)) or "none"
    raise ConfigError(f"board profile '{name}' not found (available: {known})")


def load_board(name: str, dirs: list[Path] | None = None) -> BoardProfile:
    path = find_board(name, dirs)
    top = Table(read_toml(path, "board profile"), f"board profile {path}")
    board_name = top.take("name", str)
    description = top.take("description", str, "")

    console_t = top.table("console", required=True)
    console = ConsoleSpec(console_t.take("device", str),
                          console_t.take("baudrate", int, 115200))
    console_t.done()

    storage_t = top.table("storage", required=True)
    storage = StorageSpec(*(Path(storage_t.take(k, str)) for k in ("data_dir", "run_dir",
                                                                   "log_dir")))
    storage_t.done()

    ports = tuple(_port(t) for t in top.tables("ports"))
    if not ports:
        raise ConfigError(f"board profile {path}: no [[ports]] defined")
    names = [p.name for p in ports]
    if dup := {n for n in names if names.count(n) > 1}:
        raise ConfigError(f"board profile {path}: port name '{sorted(dup)[0]}' used twice")
    top.done()
    return BoardProfile(board_name, description, console, storage, ports, path)


def _port(t: Table) -> PortSpec:
    name = t.take("name", str)
    kind = t.take("kind", str, "bri", choices=PORT_KINDS)
    spec = PortSpec(
        name=name,
        kind=kind,
        # an FXS port is the box's NT for its terminal adapter (firmware/analog/port.py)
        role=(t.take("role", str, "nt", choices=("nt",)) if kind == "fxs"
              else t.take("role", str, choices=PORT_ROLES)),
        mode=t.take("mode", str, "ptmp", choices=PORT_MODES),
        backend=t.take("backend", str, choices=BACKENDS),
    )
    options = t.table(spec.backend).data  # checked by the backend that reads it
    t.done()
    return PortSpec(**{**spec.__dict__, "options": dict(options)})
