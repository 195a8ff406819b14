"""`make run`: the whole box on the simulated line, in the foreground.

Starts ringbackd (sim backend: virtual exchange and simulated phones in-process), the
web admin, and the serial console on a simulated cable; prints what is where; and on
Ctrl-C or SIGTERM stops them in reverse order. Each part is the same program the box
runs; only the copper and the serial cable are simulated.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from firmware import __version__
from firmware.api.client import ApiClient
from firmware.api.protocol import ApiError
from firmware.config import load_config
from firmware.errors import RESTART_EXIT, ConfigError

STOP_GRACE = 5.0  # seconds a part gets to stop on SIGTERM before SIGKILL
START_TIMEOUT = 15.0


class Part:
    """One child process of the box."""

    def __init__(self, name: str, argv: list[str]) -> None:
        self.name = name
        self.argv = argv
        self.start()

    def start(self) -> None:
        # A session of its own: Ctrl-C reaches only this launcher, which then stops the
        # parts in order (the web admin before the daemon it talks to).
        self.proc = subprocess.Popen(self.argv, start_new_session=True)

    def running(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> int:
        if self.running():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                print(f"devbox: {self.name} did not stop in {STOP_GRACE:.0f} s; killing it",
                      file=sys.stderr)
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def _wait_for_daemon(part: Part, socket: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not part.running():
            raise SystemExit(part.proc.returncode or 1)
        try:
            with ApiClient(socket, timeout=1.0) as client:
                client.call("ping")
            return
        except ApiError:
            time.sleep(0.1)
    raise RuntimeError(f"the daemon did not answer on {socket} within {START_TIMEOUT:.0f} s")


def _wait_for_web(part: Part, host: str, port: int) -> None:
    import socket as so

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not part.running():
            raise RuntimeError("the web admin stopped at start (see its error above)")
        try:
            so.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the web admin did not listen on {host}:{port}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="make run", description=__doc__.split("\n\n")[0])
    p.add_argument("--config", type=Path, default=Path("board/sim/ringback.toml"))
    p.add_argument("--web", default="127.0.0.1:8080", help="web admin HOST:PORT")
    p.add_argument("--public", default="127.0.0.1:8081",
                   help="public side HOST:PORT (the callback widget and its endpoints)")
    p.add_argument("--no-console", action="store_true", help="no serial console")
    args = p.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as e:
        print(f"devbox: error: {e}", file=sys.stderr)
        return 2
    host, _, port = args.web.rpartition(":")

    stop_requested = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    py = sys.executable
    parts: list[Part] = []
    cable = None
    try:
        daemon = Part("daemon", [py, "-m", "firmware.daemon", "--config", str(args.config)])
        parts.append(daemon)
        _wait_for_daemon(daemon, config.api_socket)
        web = Part("web admin", [py, "-m", "webadmin", "--listen", args.web,
                                 "--public-listen", args.public,
                                 "--api-socket", str(config.api_socket)])
        parts.append(web)
        _wait_for_web(web, host, int(port))
        public_host, _, public_port = args.public.rpartition(":")
        _wait_for_web(web, public_host, int(public_port))
        console_line = "off (--no-console)"
        if not args.no_console and config.board.console.device == "pty":
            from firmware.console.cable import SerialCable

            cable = SerialCable()
            cable.open()
            baud = config.board.console.baudrate
            parts.append(Part("console", [py, "-m", "firmware.console", "--device",
                                          cable.box_end, "--baudrate", str(baud),
                                          "--socket", str(config.api_socket)]))
            console_line = (f"{cable.technician_end} ({baud} 8N1)   try: "
                            f"{_rel(py)} -m serial.tools.miniterm {cable.technician_end} {baud}")
        print(f"""
Ringback {__version__} is running on the simulated line (board {config.board.name}).
  Web admin       http://{host}:{port}/   (staff screen-pop: /staff)
  Public side     http://{args.public}/widget.js   the callback widget (public side)
  Control API     {config.api_socket}   try: python3 -m firmware.ctl status
  Serial console  {console_line}
  Store           {config.data_dir}
  Logs            below, one key=value line per event
Press Ctrl-C to stop.
""", flush=True)
        while not stop_requested:
            for part in parts:
                if part is daemon and part.proc.poll() == RESTART_EXIT:
                    print("devbox: the daemon asked to restart (System → Reboot); "
                          "starting it again", file=sys.stderr, flush=True)
                    part.start()
                    _wait_for_daemon(part, config.api_socket)
                elif not part.running():
                    print(f"devbox: {part.name} exited with code {part.proc.returncode}; "
                          f"stopping the rest", file=sys.stderr)
                    stop_requested = True
            time.sleep(0.2)
    except (RuntimeError, OSError) as e:
        print(f"devbox: error: {e}", file=sys.stderr)
        return _stop_all(parts, cable) or 1
    except SystemExit as e:
        _stop_all(parts, cable)
        return int(e.code or 1)
    return _stop_all(parts, cable)


def _stop_all(parts: list[Part], cable: object) -> int:
    worst = 0
    for part in reversed(parts):
        code = part.stop()
        if code not in (0, None):
            worst = 1
    if cable is not None:
        cable.close()
    print("devbox: stopped", file=sys.stderr)
    return worst


def _rel(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


if __name__ == "__main__":
    sys.exit(main())
