"""python -m tests.soak [--minutes M]: the soak run (make soak).

Starts the real daemon on the simulated line, drives calls of every kind through its
control API for M minutes, and fails (exit 1) if anything is left over, a CDR row is
missing, or the daemon's resident memory grows with the number of calls.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from firmware.api.client import ApiClient
from tests.soak.driver import Soak, SoakFailure
from tests.system.boxprocs import make_box_paths, remove_box_paths, stop, wait_for_api

# KB of resident memory allowed per 1,000 of each kind. A plain call leaves nothing
# behind; its allowance is CPython's allocator wobble (freed arenas are kept). A
# callback's record (the request with its history, about 3 KB) stays in memory for its
# status and the caller cards until the retention period ends, which a soak of minutes
# never reaches: a leak of the calls themselves (tens of KB each) still shows.
LIMITS_KB = {"calls": 300, "callbacks": 5000}


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m tests.soak")
    p.add_argument("--minutes", type=float, default=10.0)
    args = p.parse_args()
    paths = make_box_paths()
    # quiet logs, to a file: a full pipe would stall the daemon
    paths.config.write_text(paths.config.read_text().replace('"debug"', '"warning"'))
    log = open(paths.root / "daemon.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "firmware.daemon", "--config",
                             str(paths.config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_api(paths, proc)
        with ApiClient(paths.socket, timeout=10.0) as client:
            result = Soak(client, proc.pid).run(args.minutes * 60)
    except SoakFailure as e:
        print(f"soak: FAILED: {e}\n--- daemon log ---\n{(paths.root / 'daemon.log').read_text()}")
        return 1
    finally:
        stop(proc)
        log.close()
        remove_box_paths(paths)
    for phase in result.phases:
        growth, limit = phase.growth_kb_per_1000, LIMITS_KB[phase.name]
        print(f"soak: {phase.calls} {phase.name} in {phase.seconds:.0f} s "
              f"({phase.calls / phase.seconds:.1f}/s); daemon RSS {phase.rss_start_kb} -> "
              f"{phase.rss_end_kb} KB ({growth:+.0f} KB per 1,000, limit {limit})")
        if growth > limit:
            result.problems.append(f"memory grows {growth:.0f} KB per 1,000 {phase.name}")
    for problem in result.problems:
        print(f"soak: FAILED: {problem}")
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
