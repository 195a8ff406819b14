"""The technician's serial console against the real daemon, over a pty cable."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
import serial

from firmware.console.cable import SerialCable
from tests.system.boxprocs import REPO, stop


class Terminal:
    """The technician's side: type a line, read until the prompt comes back."""

    def __init__(self, device: str) -> None:
        self.port = serial.Serial(device, 115200, timeout=0.1)

    def read_until(self, marker: bytes, timeout: float = 10) -> str:
        seen = b""
        deadline = time.monotonic() + timeout
        while marker not in seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {marker!r} in {seen!r}")
            seen += self.port.read(4096)
        return seen.decode("utf-8", "replace")

    def wait_for_prompt(self, timeout: float = 10) -> None:
        """Press Enter until the console answers: opening a serial port flushes what
        arrived before, so the banner alone cannot be relied on."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.port.write(b"\r")
            if b"ringback> " in self.port.read(4096):
                return
        raise AssertionError("the console never showed its prompt")

    def command(self, line: str) -> str:
        self.port.write(line.encode() + b"\r")
        return self.read_until(b"ringback> ")

    def close(self) -> None:
        self.port.close()


@pytest.fixture
def console(daemon, box_paths):
    with SerialCable() as cable:
        proc = subprocess.Popen(
            [sys.executable, "-m", "firmware.console", "--device", cable.box_end,
             "--socket", str(box_paths.socket)], cwd=REPO,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        term = Terminal(cable.technician_end)
        try:
            term.wait_for_prompt()
            time.sleep(0.2)
            term.port.reset_input_buffer()  # prompts answering the extra Enters
            yield proc, term
        finally:
            term.close()
            if proc.poll() is None:
                stop(proc)


def test_console_shows_help_status_and_ports_from_the_daemon(console):
    _, term = console
    assert "events [TOPIC...]" in term.command("help")
    status = term.command("status")
    assert "board" in status and "sim" in status and "trunk" in status
    ports = term.command("ports")
    assert "trunk" in ports and "activated" in ports
    assert "pong from ringbackd" in term.command("ping")


def test_console_answers_an_unknown_command_and_misuse_clearly(console):
    _, term = console
    assert "unknown command 'reboot-now'; type 'help'" in term.command("reboot-now")
    assert "usage: status" in term.command("status now")


def test_console_follows_events_until_a_key_is_pressed(console):
    _, term = console
    term.port.write(b"events port\r")
    out = term.read_until(b"press any key to stop")
    out += term.read_until(b"port.")  # the replayed port events of the daemon's start
    term.port.write(b"q")
    out += term.read_until(b"stopped following events")
    assert "following events (port)" in out


def test_console_reports_a_stopped_daemon_then_exits_0_on_sigterm(console, daemon):
    proc, term = console
    assert stop(daemon) == 0
    assert "daemon not reachable" in term.command("status")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0


def test_console_on_a_missing_device_exits_2_with_one_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "firmware.console", "--device",
                          str(tmp_path / "ttyS9")], cwd=REPO, capture_output=True, text=True,
                         timeout=20)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert out.stderr.startswith(f"ringback-console: cannot open serial device {tmp_path}")
