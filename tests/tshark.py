"""tshark as the judge of our D-channel traces."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

FIELDS = ["frame.number", "lapd.sapi", "lapd.tei", "lapd.cr", "q931.message_type",
          "q931.cause_value", "_ws.malformed", "_ws.expert.severity"]
WARNING = 6291456  # PI_WARN: expert severities at or above this count as problems


def _tshark() -> str:
    path = shutil.which("tshark")
    if path is None:
        raise RuntimeError("tshark is missing: run `make setup` (it installs tshark)")
    return path


def tshark_decode(path: str | Path) -> list[dict[str, str]]:
    """One dict per packet with FIELDS (empty string when a field is absent)."""
    cmd = [_tshark(), "-r", str(path), "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"tshark cannot read {path}: {done.stderr}")
    return [dict(zip(FIELDS, line.split("\t"), strict=False))
            for line in done.stdout.splitlines()]


def tshark_problems(path: str | Path) -> list[str]:
    """Every malformed packet and every expert info of severity warning or above."""
    problems = []
    for p in tshark_decode(path):
        severities = [int(s) for s in p.get("_ws.expert.severity", "").split(",") if s]
        if p.get("_ws.malformed") or any(s >= WARNING for s in severities):
            problems.append(f"packet {p['frame.number']}: malformed={p.get('_ws.malformed')!r}"
                            f" severities={severities}")
    return problems
