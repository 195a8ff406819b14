"""Drives pri_peer (a libpri D-channel end) from tests: commands in, events out."""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from pathlib import Path

from tests.libpri.build import build


class PriPeer:
    def __init__(self, path: str | Path, side: str, mode: str, debug: bool = True) -> None:
        self.path = str(path)
        self.args = ["--listen", self.path, "--side", side, "--mode", mode]
        if debug:
            self.args.append("--debug")
        self.proc: subprocess.Popen | None = None
        self._lines: queue.Queue[str] = queue.Queue()
        self._backlog: list[dict[str, str]] = []
        self.seen: list[dict[str, str]] = []
        self._stderr: list[str] = []

    def __enter__(self) -> PriPeer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> PriPeer:
        self.proc = subprocess.Popen([str(build("pri_peer")), *self.args], text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, bufsize=1)
        threading.Thread(target=self._read, args=(self.proc.stdout, self._lines.put),
                         daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, self._stderr.append),
                         daemon=True).start()
        self._next_line(5, lambda line: line.startswith("LISTENING"))
        return self

    def command(self, line: str, timeout: float = 5) -> str:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = self._next_line(timeout, lambda s: s.startswith(("OK", "ERR")))
        if reply.startswith("ERR"):
            raise AssertionError(f"pri_peer: {line!r} -> {reply}\n{self.stderr_tail()}")
        return reply

    def dial(self, called: str, calling: str | None = None) -> str:
        return self.command(f"dial {called} {calling or ''}".strip()).split()[-1]

    def wait_event(self, kind: str | tuple[str, ...], timeout: float = 10, **match: str
                   ) -> dict[str, str]:
        """The first event KIND (or any of several) with the given fields, seen before
        or within timeout."""
        kinds = (kind,) if isinstance(kind, str) else kind

        def fits(e: dict[str, str]) -> bool:
            return e["kind"] in kinds and all(e.get(k) == str(v) for k, v in match.items())
        for e in self._backlog:
            if fits(e):
                self._backlog.remove(e)
                return e
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"libpri: no EVENT {kind} {match} in {timeout} s; seen "
                                     f"{[e['kind'] for e in self.seen]}\n{self.stderr_tail()}")
            line = self._next_line(left, lambda s: s.startswith("EVENT"))
            if line.startswith("EVENT"):
                e = self._parse(line)
                if fits(e):
                    return e
                self._backlog.append(e)

    def wait_cleared(self, call: str, timeout: float = 15) -> int:
        """The cause with which our side cleared libpri's `call` (DISCONNECT, RELEASE or
        RELEASE COMPLETE, whichever came first)."""
        return int(self.wait_event(("HANGUP_REQ", "HANGUP"), timeout, id=call)["cause"])

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            self.proc.wait(3)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()

    def stderr_tail(self, lines: int = 40) -> str:
        return "".join(self._stderr[-lines:])

    def stderr_text(self) -> str:
        return "".join(self._stderr)

    # internals
    def _next_line(self, timeout: float, wanted) -> str:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._lines.get(timeout=max(left, 0.01)).rstrip("\n")
            except queue.Empty:
                raise AssertionError(f"pri_peer said nothing in {timeout} s\n"
                                     f"{self.stderr_tail()}") from None
            if line.startswith("EVENT"):
                e = self._parse(line)
                self.seen.append(e)
                if not wanted(line):
                    self._backlog.append(e)
                    continue
            if wanted(line):
                return line

    @staticmethod
    def _parse(line: str) -> dict[str, str]:
        words = line.split()
        event = {"kind": words[1]}
        event.update(w.split("=", 1) for w in words[2:] if "=" in w)
        return event

    @staticmethod
    def _read(stream, sink) -> None:
        for line in stream:
            sink(line)
