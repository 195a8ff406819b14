"""The control API's commands: names, argument checks and handlers, in one table."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from firmware.api.protocol import BAD_ARGS, NOT_AVAILABLE, UNKNOWN_COMMAND, ApiError


@dataclass(frozen=True)
class Arg:
    name: str
    kind: type
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class Command:
    name: str
    handler: Callable[..., Any | Awaitable[Any]]
    help: str
    args: tuple[Arg, ...] = field(default_factory=tuple)


class CommandTable:
    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}

    def add(self, name: str, handler: Callable[..., Any], help: str, *args: Arg) -> None:
        if name in self._commands:
            raise ValueError(f"command {name!r} registered twice")
        self._commands[name] = Command(name, handler, help, tuple(args))

    def not_available(self, name: str, help: str, reason: str, *args: Arg) -> None:
        """A command whose wiring is real but whose feature is not built yet."""
        def handler(**_: Any) -> Any:
            raise ApiError(NOT_AVAILABLE, reason)
        self.add(name, handler, help, *args)

    def describe(self) -> list[dict[str, Any]]:
        return [{"name": c.name, "help": c.help,
                 "args": [{"name": a.name, "type": a.kind.__name__, "required": a.required,
                           "help": a.help} for a in c.args]}
                for c in sorted(self._commands.values(), key=lambda c: c.name)]

    async def run(self, name: str, args: Any) -> Any:
        command, kwargs = self.check(name, args)
        result = command.handler(**kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    def check(self, name: str, args: Any) -> tuple[Command, dict[str, Any]]:
        """Find a command and check its arguments; raises ApiError for the client."""
        command = self._commands.get(name)
        if command is None:
            raise ApiError(UNKNOWN_COMMAND, f"no command {name!r}; 'help' lists them")
        if args is None:
            args = {}
        if not isinstance(args, dict):
            raise ApiError(BAD_ARGS, "args must be a JSON object")
        known = {a.name: a for a in command.args}
        for key in args:
            if key not in known:
                raise ApiError(BAD_ARGS, f"{command.name}: unknown argument {key!r}")
        out = {}
        for a in command.args:
            if a.name not in args:
                if a.required:
                    raise ApiError(BAD_ARGS, f"{command.name}: missing argument {a.name!r}")
                continue
            value = args[a.name]
            if a.kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)  # JSON writes 5.0 as 5
            if not isinstance(value, a.kind) or (a.kind is int and isinstance(value, bool)):
                raise ApiError(BAD_ARGS, f"{command.name}: {a.name!r} must be "
                                         f"{a.kind.__name__}, got {type(value).__name__}")
            out[a.name] = value
        return command, out
