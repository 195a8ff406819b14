"""The daemon's start-up configuration: which board, where things go, how loud to log.

Read from a TOML file (`ringbackd --config FILE`); command-line flags win over the
file, the file wins over the board profile's defaults. Office settings are not here:
they live in the store and change at run time through the control API.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from firmware.errors import ConfigError
from firmware.system.board import BoardProfile, load_board
from firmware.tomlfile import Table, read_toml

LOG_LEVELS = ("debug", "info", "warning", "error")


@dataclass(frozen=True)
class DaemonConfig:
    board: BoardProfile
    data_dir: Path
    run_dir: Path
    log_dir: Path
    api_socket: Path
    log_level: str
    country: str  # ISO 3166 alpha-2; picks tone plans and number formats
    trace_dir: Path | None = None  # every line's D-channel as PORT.pcap here, when set
    msns: tuple[str, ...] = ()  # numbers incoming calls may be for; empty: any number
    prompts_dir: Path | None = None  # voice prompts; None: <data_dir>/prompts

    @property
    def prompts(self) -> Path:
        return self.prompts_dir or self.data_dir / "prompts"


def load_config(path: Path | None = None, *, board: str | None = None,
                data_dir: str | None = None, run_dir: str | None = None,
                log_level: str | None = None, trace_dir: str | None = None
                ) -> DaemonConfig:
    top = Table(read_toml(path, "config") if path else {}, f"config {path}")
    # Take every key from the file first, so unknown keys are caught even when a flag
    # overrides them.
    board_name = board or top.take("board", str, "sim")
    level = top.take("log_level", str, "info")
    if board:
        top.take("board", str, "sim")
    level = log_level or level
    if level not in LOG_LEVELS:
        raise ConfigError(f"log level {level!r} is not one of {', '.join(LOG_LEVELS)}")
    country = top.take("country", str, "DE")
    if len(country) != 2 or not country.isalpha():
        raise ConfigError(f"config {path}: 'country' must be a two-letter code like \"DE\", "
                          f"got {country!r}")
    paths = top.table("paths")
    api = top.table("api")
    profile = load_board(board_name)
    cfg_data = paths.take("data_dir", str, None)
    cfg_run = paths.take("run_dir", str, None)
    cfg_log = paths.take("log_dir", str, None)
    cfg_trace = paths.take("trace_dir", str, None)
    cfg_prompts = paths.take("prompts_dir", str, None)
    socket_path = api.take("socket", str, None)
    for t in (paths, api, top):
        t.done()

    run = Path(run_dir or cfg_run or profile.storage.run_dir)
    return DaemonConfig(
        board=profile,
        data_dir=Path(data_dir or cfg_data or profile.storage.data_dir),
        run_dir=run,
        log_dir=Path(cfg_log or profile.storage.log_dir),
        api_socket=Path(socket_path) if socket_path else run / "api.sock",
        log_level=level,
        country=country.upper(),
        trace_dir=Path(trace_dir or cfg_trace) if (trace_dir or cfg_trace) else None,
        prompts_dir=Path(cfg_prompts) if cfg_prompts else None,
    )
