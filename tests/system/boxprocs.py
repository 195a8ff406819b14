"""Starting the real daemon (and friends) as processes, for system tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from firmware.api.client import ApiClient
from firmware.api.protocol import ApiError

REPO = Path(__file__).resolve().parents[2]
# Voice prompts are the same for every test daemon: spoken once, shared.
SHARED_PROMPTS = Path(tempfile.gettempdir()) / f"ringback-test-prompts-{os.getuid()}"


@dataclass
class BoxPaths:
    root: Path
    config: Path
    data_dir: Path
    run_dir: Path

    @property
    def socket(self) -> Path:
        return self.run_dir / "api.sock"


def make_box_paths() -> BoxPaths:
    # mkdtemp under /tmp keeps the socket path well inside the 107-byte UNIX limit.
    root = Path(tempfile.mkdtemp(prefix="rb-"))
    config = root / "ringback.toml"
    config.write_text(f"""board = "sim"
log_level = "debug"
[paths]
data_dir = "{root / 'data'}"
run_dir = "{root / 'run'}"
log_dir = "{root / 'log'}"
prompts_dir = "{SHARED_PROMPTS}"
""")
    return BoxPaths(root, config, root / "data", root / "run")


def remove_box_paths(paths: BoxPaths) -> None:
    shutil.rmtree(paths.root, ignore_errors=True)


def start_daemon(paths: BoxPaths, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "firmware.daemon", "--config",
                             str(paths.config), *extra], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_api(paths: BoxPaths, proc: subprocess.Popen, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"daemon exited {proc.returncode}: {proc.stderr.read()}")
        try:
            with ApiClient(paths.socket, timeout=1.0) as client:
                client.call("ping")
            return
        except ApiError:
            time.sleep(0.05)
    raise AssertionError("daemon did not answer in time")


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
    if proc.poll() is None:
        proc.send_signal(sig)
    return proc.wait(timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_ctl(paths: BoxPaths, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "RINGBACK_API_SOCKET": str(paths.socket)}
    return subprocess.run([sys.executable, "-m", "firmware.ctl", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=20)
