"""The console's commands: one table, each entry a name, usage, help and handler.

Handlers take the session and the words after the command name and talk to the
technician only through session.say(); daemon answers are formatted with ctl's helpers
so the console and ringback-ctl show the same thing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from firmware import __version__
from firmware.api.protocol import ApiError
from firmware.console.daemon_link import describe_error
from firmware.console.follow import Session, follow_events
from firmware.ctl import _ports_table, show_calls, show_channels, show_status
from firmware.log import get_logger

log = get_logger("console")

Handler = Callable[[Session, list[str]], None]


@dataclass(frozen=True)
class ConsoleCommand:
    name: str
    usage: str
    help: str
    handler: Handler
    takes_args: bool = False


def _help(session: Session, _: list[str]) -> None:
    width = max(len(c.usage) for c in COMMANDS.values())
    lines = ["commands:"]
    lines += [f"  {c.usage.ljust(width)}  {c.help}" for c in COMMANDS.values()]
    lines.append("keys: Backspace erases, Ctrl-U clears the line, Ctrl-C abandons it")
    session.say("\n".join(lines))


def _status(session: Session, _: list[str]) -> None:
    session.say(show_status(session.daemon.call("status")))


def _ports(session: Session, _: list[str]) -> None:
    session.say(_ports_table(session.daemon.call("ports")))


def _calls(session: Session, _: list[str]) -> None:
    session.say(show_calls(session.daemon.call("calls")))


def _channels(session: Session, _: list[str]) -> None:
    session.say(show_channels(session.daemon.call("channels")))


def _events(session: Session, topics: list[str]) -> None:
    follow_events(session, topics)


def _version(session: Session, _: list[str]) -> None:
    session.say(f"console {__version__}")
    try:
        session.say(f"daemon  {session.daemon.call('status')['version']}")
    except ApiError as e:
        session.say(describe_error("version", e))


def _ping(session: Session, _: list[str]) -> None:
    start = time.monotonic()
    answer = session.daemon.call("ping")
    session.say(f"{answer} from ringbackd in {(time.monotonic() - start) * 1000:.1f} ms")


COMMANDS: dict[str, ConsoleCommand] = {c.name: c for c in [
    ConsoleCommand("help", "help", "this list", _help),
    ConsoleCommand("status", "status", "daemon version, uptime, ports and layer 1", _status),
    ConsoleCommand("ports", "ports", "ports with layer-1 state and counters", _ports),
    ConsoleCommand("calls", "calls", "PBX calls: who is connected to whom", _calls),
    ConsoleCommand("channels", "channels", "calls on each line with their Q.931 state",
                   _channels),
    ConsoleCommand("events", "events [TOPIC...]",
                   "follow events live, any key stops (e.g. events port call)", _events,
                   takes_args=True),
    ConsoleCommand("version", "version", "console and daemon versions", _version),
    ConsoleCommand("ping", "ping", "check that the daemon answers", _ping),
]}


def execute(session: Session, line: str) -> None:
    """Run one typed line. Never raises: every failure becomes a line for the technician."""
    words = line.split()
    if not words:
        return
    name, args = words[0].lower(), words[1:]
    command = COMMANDS.get(name)
    if command is None:
        session.say(f"unknown command '{words[0]}'; type 'help'")
        return
    if args and not command.takes_args:
        session.say(f"usage: {command.usage}")
        return
    log.info("command", name=name, args=" ".join(args))
    try:
        command.handler(session, args)
    except ApiError as e:
        session.say(describe_error(name, e))
    except Exception as e:  # an unexpected answer shape must not take the console down
        log.exception("command_failed", name=name)
        session.say(f"{name}: internal error: {e!r}")
