"""python -m tests.fuzz [--count N] [--seed S]: the long fuzz run (make fuzz)."""

from __future__ import annotations

import argparse
import sys
import time

from firmware.log import setup_logging
from tests.fuzz.stack import run


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m tests.fuzz")
    p.add_argument("--count", type=int, default=1_000_000, help="inputs in all")
    p.add_argument("--seed", type=int, default=int(time.time()))
    args = p.parse_args()
    # the stack rightly logs every garbage frame (MDL-ERROR); a million would drown the result
    setup_logging("error")
    failed = False
    for ptp in (False, True):
        start = time.process_time()
        res = run(args.count // 2, args.seed, ptp=ptp)
        mode = "ptp" if ptp else "ptmp"
        print(f"fuzz {mode} seed={args.seed}: {res.total} inputs (frames {res.frames}, "
              f"q931 {res.messages}, during calls {res.during_calls}) in "
              f"{time.process_time() - start:.1f} CPU-s; calls afterwards: "
              f"{'ok' if all(res.calls_after) else 'FAILED'}", flush=True)
        failed |= not all(res.calls_after)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
