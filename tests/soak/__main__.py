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

# Resident memory a phase may add: KB per call of its kind, plus a fixed slack for
# the allocator's granularity (pymalloc takes 256 KB arenas; glibc grows the heap in
# steps), which a short run would otherwise read as growth per call. A plain call
# leaves nothing behind. A callback's record (the request with its history, about 3 KB)
# stays in memory for its status and the caller cards until the retention period ends,
# which a soak of minutes never reaches; a leak of calls (tens of KB each) still shows.
KB_PER = {"calls": 0.3, "callbacks": 3.5}
SLACK_KB = 512


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
        grown = phase.rss_end_kb - phase.rss_start_kb
        limit = KB_PER[phase.name] * phase.calls + SLACK_KB
        print(f"soak: {phase.calls} {phase.name} in {phase.seconds:.0f} s "
              f"({phase.calls / phase.seconds:.1f}/s); daemon RSS {phase.rss_start_kb} -> "
              f"{phase.rss_end_kb} KB ({grown:+d} KB, "
              f"{phase.growth_kb_per_1000:+.0f} per 1,000; limit {limit:.0f} KB)")
        if grown > limit:
            result.problems.append(f"memory grew {grown} KB over {phase.calls} "
                                   f"{phase.name} (limit {limit:.0f} KB)")
    for problem in result.problems:
        print(f"soak: FAILED: {problem}")
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
