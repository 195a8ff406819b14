"""Acceptance: SIGKILL in the middle of 1,000 store writes loses no acknowledged write.

A real child process (store_writer.py) inserts into a store table and appends to a
JSON-lines log, printing "ack <n>" only after both writes returned. The parent kills it
with SIGKILL after a random number of acks, then opens what is left the way a restarted
daemon would. The store must load, every acknowledged n must be present in both the
table and the log, nothing twice, and the only extra allowed is the one write that was
in flight when the kill landed.

Kill points come from a seed: set RINGBACK_POWER_CUT_SEED to replay a failing run (the
seed is in every failure message). Without it each session picks a fresh one, so the
runs keep probing new moments; where exactly the kill lands inside a write is up to the
scheduler either way.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from firmware.store import JsonLinesLog, open_store
from tests.system.store_writer import LOG_NAME, SCHEMA_VERSION, STORE_NAME, TABLE

REPO_ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("store_writer.py")
WRITES = 1000
KILL_RUNS = 5
CHILD_TIMEOUT_S = 60

SEED = int(os.environ.get("RINGBACK_POWER_CUT_SEED") or random.SystemRandom().randrange(2**32))
_rng = random.Random(SEED)
KILL_AFTER_ACKS = _rng.sample(range(100, 901), KILL_RUNS)
# One write takes ~1-2 ms here. Without a pause the kill lands right after an ack, so
# always early in the next write; a random pause up to a few writes long spreads it over
# the whole cycle: inside the table write, between table and log, inside the append.
KILL_DELAYS_S = [_rng.uniform(0, 0.004) for _ in range(KILL_RUNS)]

pytestmark = pytest.mark.slow


def _run_writer(
    directory: Path, kill_after: int | None, kill_delay_s: float = 0.0
) -> tuple[list[int], int]:
    """Run the writer; SIGKILL it `kill_delay_s` after ack number `kill_after`.

    Returns (every ack the child printed, its returncode).
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    with open(directory / "writer.stderr", "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(directory), str(WRITES)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
            cwd=REPO_ROOT,
        )
    # A hung child must fail the test, not hang it.
    watchdog = threading.Timer(CHILD_TIMEOUT_S, proc.kill)
    watchdog.start()
    acks: list[int] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            acks.append(_parse_ack(line))
            if len(acks) == kill_after:
                time.sleep(kill_delay_s)
                proc.send_signal(signal.SIGKILL)
                break
        # Acks the child printed before dying are still in the pipe; they count too.
        acks.extend(_parse_ack(line) for line in proc.stdout.read().splitlines())
        returncode = proc.wait()
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    return acks, returncode


def _parse_ack(line: bytes) -> int:
    word, n = line.split()
    assert word == b"ack", line
    return int(n)


def _check_survivors(directory: Path, acks: list[int], context: str) -> dict[str, object]:
    assert acks == list(range(len(acks))), f"{context}: writer acked out of order"
    acked = set(acks)
    in_flight = len(acks)  # the one write that may have landed without its ack

    # The raw file must be whole JSON even before our code touches it.
    raw = json.loads((directory / STORE_NAME).read_bytes())
    temps_left = [p.name for p in directory.iterdir() if ".tmp-" in p.name]

    with open_store(directory / STORE_NAME, schema_version=SCHEMA_VERSION) as store:
        table_ns = [doc["n"] for doc in store.table(TABLE).all()]
    assert [p.name for p in directory.iterdir() if ".tmp-" in p.name] == [], (
        f"{context}: stale temp files not removed on open"
    )
    assert len(raw[TABLE]) == len(table_ns)

    log = JsonLinesLog(directory / LOG_NAME)
    log_ns = [record["n"] for record in log.read()]

    for name, ns in (("table", table_ns), ("log", log_ns)):
        present = set(ns)
        assert len(ns) == len(present), f"{context}: duplicates in the {name}"
        missing = sorted(acked - present)
        assert not missing, f"{context}: acknowledged writes missing from the {name}: {missing}"
        extra = present - acked
        assert extra <= {in_flight}, f"{context}: unacknowledged writes in the {name}: {extra}"
    assert log_ns == sorted(log_ns), f"{context}: log out of order"
    # The writer inserts before it appends, so the log can't be ahead of the table.
    assert set(log_ns) <= set(table_ns), f"{context}: log has a write the table lacks"
    return {
        "acks": len(acks),
        "in_flight_in_table": in_flight in table_ns,
        "in_flight_in_log": in_flight in log_ns,
        "temps_left": temps_left,
        "torn_tail": log.torn_tail,
    }


@pytest.mark.parametrize("run", range(KILL_RUNS), ids=lambda run: f"kill{run}")
def test_sigkill_mid_writes_loses_no_acknowledged_write(tmp_path, run):
    kill_after, delay = KILL_AFTER_ACKS[run], KILL_DELAYS_S[run]
    context = f"seed={SEED} kill_after={kill_after} delay={delay * 1000:.2f}ms"
    acks, returncode = _run_writer(tmp_path, kill_after, delay)
    stderr = (tmp_path / "writer.stderr").read_text()
    assert returncode == -signal.SIGKILL, f"{context}: writer was not killed: {stderr}"
    assert kill_after <= len(acks) < WRITES, f"{context}: kill did not land mid-run"
    summary = _check_survivors(tmp_path, acks, context)
    print(f"{context} {summary}")


def test_uninterrupted_run_keeps_all_1000_writes(tmp_path):
    acks, returncode = _run_writer(tmp_path, kill_after=None)
    stderr = (tmp_path / "writer.stderr").read_text()
    assert returncode == 0, stderr
    assert acks == list(range(WRITES))
    summary = _check_survivors(tmp_path, acks, f"seed={SEED} full run")
    assert summary["in_flight_in_table"] is False
    assert summary["temps_left"] == [] and summary["torn_tail"] is None
    with open_store(tmp_path / STORE_NAME, schema_version=SCHEMA_VERSION) as store:
        assert len(store.table(TABLE)) == WRITES
