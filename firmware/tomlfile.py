"""Reading TOML tables with checks that name the file, the table and the key at fault."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from firmware.errors import ConfigError

_MISSING = object()


def read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{what} {path} not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{what} {path}: not valid TOML: {e}") from None
    except OSError as e:
        raise ConfigError(f"{what} {path}: cannot read: {e.strerror}") from None


class Table:
    """One TOML table being read: every key must be taken once, unknown keys are errors."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: expected a table, got {type(data).__name__}")
        self.data, self.where, self._taken = data, where, set()

    def take(self, key: str, kind: type, default: Any = _MISSING,
             choices: tuple | None = None) -> Any:
        self._taken.add(key)
        if key not in self.data:
            if default is _MISSING:
                raise ConfigError(f"{self.where}: missing required key '{key}'")
            return default
        value = self.data[key]
        # bool is an int in Python; a port count of `true` is still a mistake.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{self.where}: '{key}' must be {kind.__name__}, "
                              f"got {type(value).__name__} {value!r}")
        if choices is not None and value not in choices:
            allowed = ", ".join(repr(c) for c in choices)
            raise ConfigError(f"{self.where}: '{key}' is {value!r}, must be one of {allowed}")
        return value

    def table(self, key: str, required: bool = False) -> Table:
        self._taken.add(key)
        if key not in self.data and not required:
            return Table({}, f"{self.where} [{key}]")
        if key not in self.data:
            raise ConfigError(f"{self.where}: missing required table [{key}]")
        return Table(self.data[key], f"{self.where} [{key}]")

    def tables(self, key: str) -> list[Table]:
        self._taken.add(key)
        items = self.data.get(key, [])
        if not isinstance(items, list):
            raise ConfigError(f"{self.where}: '{key}' must be an array of tables ([[{key}]])")
        return [Table(item, f"{self.where} [[{key}]] #{i + 1}") for i, item in enumerate(items)]

    def done(self) -> None:
        unknown = sorted(set(self.data) - self._taken)
        if unknown:
            raise ConfigError(f"{self.where}: unknown key '{unknown[0]}'")
