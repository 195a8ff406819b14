"""`make run` as a newcomer meets it: daemon, web admin and console up, Ctrl-C stops all."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import serial

from tests.system.boxprocs import REPO, free_port, run_ctl
from tests.system.webclient import WebClient, set_up


def read_banner(proc: subprocess.Popen, timeout: float = 20) -> str:
    lines = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"devbox ended early: {''.join(lines)}")
        lines.append(line)
        if line.startswith("Press Ctrl-C to stop."):
            return "".join(lines)
    raise AssertionError("no banner")


def wait_for_prompt(line: serial.Serial, timeout: float = 10) -> None:
    """Press Enter until the console answers: it may still be opening its end of the cable,
    and opening a serial port flushes whatever arrived before."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line.write(b"\r")
        if b"ringback> " in line.read(4096):
            return
    raise AssertionError("the console never showed its prompt")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_run_serves_admin_api_and_console_and_stops_on_ctrl_c(box_paths):
    port, public = free_port(), free_port()
    proc = subprocess.Popen([sys.executable, "-m", "firmware.devbox", "--config",
                             str(box_paths.config), "--web", f"127.0.0.1:{port}",
                             "--public", f"127.0.0.1:{public}"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        banner = read_banner(proc)
        assert f"Web admin       http://127.0.0.1:{port}/" in banner
        assert f"Control API     {box_paths.socket}" in banner
        assert f"Public side     http://127.0.0.1:{public}/widget.js" in banner
        with urllib.request.urlopen(f"http://127.0.0.1:{public}/widget.js", timeout=5) as r:
            assert r.status == 200 and b"data-link" in r.read()

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200 and r.url.endswith("/setup")  # a first boot
        web = WebClient(f"http://127.0.0.1:{port}")
        set_up(web)
        assert "<td>trunk</td>" in web.get("/").body

        status = json.loads(run_ctl(box_paths, "--json", "status").stdout)
        daemon_pid = status["pid"]
        assert status["board"] == "sim"

        tty = re.search(r"Serial console  (/dev/pts/\d+) \(115200 8N1\)", banner).group(1)
        with serial.Serial(tty, 115200, timeout=0.2) as line:
            wait_for_prompt(line)
            line.write(b"ports\r")
            seen = b""
            deadline = time.monotonic() + 10
            while b"activated" not in seen and time.monotonic() < deadline:
                seen += line.read(4096)
            assert b"trunk" in seen and b"activated" in seen, seen
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(20)
    assert code == 0
    assert not pid_alive(daemon_pid)
    assert not box_paths.socket.exists()


def test_make_run_with_a_bad_config_exits_2(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("board = \"atlantis\"\n")
    out = subprocess.run([sys.executable, "-m", "firmware.devbox", "--config", str(cfg)],
                         cwd=REPO, capture_output=True, text=True, timeout=20)
    assert out.returncode == 2
    assert out.stderr.startswith("devbox: error: board profile 'atlantis' not found")
