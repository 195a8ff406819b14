"""Structured logging: one line per event, key=value, to stderr (syslog on the box).

    log = get_logger("ports.sim")
    log.info("l1_state", port="trunk", state="activated")
    -> ts=2026-11-22T15:30:00.123Z level=info logger=ports.sim event=l1_state port=trunk ...
"""

from __future__ import annotations

import collections
import logging
import sys
import time
from typing import Any

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
           "error": logging.ERROR}


def _quote(value: Any) -> str:
    text = str(value)
    if text == "" or any(c in text for c in ' ="\\\n\t'):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    return text


def format_fields(fields: dict[str, Any]) -> str:
    return " ".join(f"{key}={_quote(value)}" for key, value in fields.items())


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        head = {
            "ts": f"{ts}.{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name.removeprefix("ringback."),
            "event": record.getMessage(),
        }
        line = format_fields(head | getattr(record, "kv", {}))
        if record.exc_info:
            # Tracebacks stay on one line so a log reader keeps one event per line.
            line += " exc=" + _quote(self.formatException(record.exc_info))
        return line


class EventLogger:
    """A thin face over logging.Logger taking an event name and key=value fields."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        # enabled(level): whether a line at `level` would be written; hot paths ask
        # before they build the fields of one
        self.enabled = logger.isEnabledFor

    def _log(self, level: int, event: str, fields: dict[str, Any], exc: bool = False) -> None:
        if self._logger.isEnabledFor(level):
            self._logger.log(level, event, extra={"kv": fields}, exc_info=exc)

    def debug(self, event: str, **fields: Any) -> None:
        self._log(logging.DEBUG, event, fields)

    def info(self, event: str, **fields: Any) -> None:
        self._log(logging.INFO, event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._log(logging.WARNING, event, fields)

    def error(self, event: str, **fields: Any) -> None:
        self._log(logging.ERROR, event, fields)

    def exception(self, event: str, **fields: Any) -> None:
        self._log(logging.ERROR, event, fields, exc=True)


def get_logger(name: str) -> EventLogger:
    return EventLogger(logging.getLogger(f"ringback.{name}"))


class RecentLines(logging.Handler):
    """The last lines logged, kept in memory: what System → Logs and the console show
    a technician without a shell on the box."""

    def __init__(self, keep: int = 2000) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=keep)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a log line must never break the code that logs it
            self.handleError(record)

    def last(self, count: int) -> list[str]:
        return list(self.lines)[-count:] if count > 0 else []


RECENT = RecentLines()


def setup_logging(level: str = "info", stream: Any = None) -> None:
    if level not in _LEVELS:
        raise ValueError(f"log level must be one of {', '.join(_LEVELS)}, not {level!r}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(KeyValueFormatter())
    RECENT.setFormatter(KeyValueFormatter())
    root = logging.getLogger("ringback")
    root.handlers[:] = [handler, RECENT]
    root.setLevel(_LEVELS[level])
    root.propagate = False
