"""tshark as the judge of our D-channel traces.

Checked on TShark 4.0.17: both `tshark -r F -q -z expert,warn` (a summary table) and
the per-packet fields `_ws.malformed` / `_ws.expert.severity` report a Q.931 message
cut inside an IE (Malformed, severity error) and an unknown IE (severity warning).
The fields are used here because they name the packet. tshark exits 2, with the
reason on stderr, on a file it cannot read (corrupt record, cut short, not pcap).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

FIELDS = ["frame.number", "lapd.direction", "lapd.sapi", "lapd.tei", "lapd.cr",
          "lapd.control.ftype", "lapd.control.u_modifier_cmd",
          "lapd.control.u_modifier_resp", "q931.message_type", "q931.cause_value",
          "_ws.malformed", "_ws.expert.severity", "_ws.expert.message"]
# Wireshark's expert severities (epan/proto.h): comment 0x100000, chat 0x200000,
# note 0x400000, warn 0x600000, error 0x800000
WARNING = 0x600000  # 6291456: severities at or above this count as problems
USER_TO_NETWORK, NETWORK_TO_USER = "0", "1"  # lapd.direction


class TsharkError(AssertionError):
    """tshark could not read the file at all: itself a failed check."""


def _tshark() -> str:
    path = shutil.which("tshark")
    if path is None:
        raise RuntimeError("tshark is missing: run `make setup` (it installs tshark)")
    return path


def tshark_fields(path: str | Path, fields: list[str] = FIELDS) -> list[dict[str, list[str]]]:
    """One dict per packet: each field in `fields` -> all its values ([] when absent)."""
    cmd = [_tshark(), "-r", str(path), "-n", "-T", "json"]
    for f in fields:
        cmd += ["-e", f]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        reason = "\n".join(line for line in done.stderr.splitlines()
                           if not line.startswith("Running as user"))
        raise TsharkError(f"tshark cannot read {path} (exit {done.returncode}): {reason}")
    return [{f: p["_source"]["layers"].get(f, []) for f in fields}
            for p in json.loads(done.stdout)]


def tshark_decode(path: str | Path, fields: list[str] = FIELDS) -> list[dict[str, str]]:
    """One dict per packet, every field in `fields` a key: its values joined with ","
    (several when it occurs several times, e.g. expert infos), "" when absent.
    Numbers are as tshark shows them, e.g. q931.message_type "0x05", lapd.sapi "0"."""
    return [{f: ",".join(v) for f, v in p.items()} for p in tshark_fields(path, fields)]


def tshark_problems(path: str | Path) -> list[str]:
    """Every malformed packet and every expert info of severity warning or above, one
    line each; [] for a clean trace."""
    problems = []
    for p in tshark_fields(path):
        experts = list(zip((int(s) for s in p["_ws.expert.severity"]),
                           p["_ws.expert.message"], strict=False))
        serious = [(hex(s), m) for s, m in experts if s >= WARNING]
        if p["_ws.malformed"] or serious:
            number = p["frame.number"][0] if p["frame.number"] else "?"
            problems.append(f"packet {number}: malformed={bool(p['_ws.malformed'])} "
                            f"expert={serious}")
    return problems
