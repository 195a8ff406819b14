"""Speed benchmarks: ``python -m tests.bench [--quick] [--check] [-k TEXT]`` (``make bench``).

Every module ``tests/bench/bench_*.py`` exposes ``BENCHMARKS``, a list of
``tests.bench.core.Bench``. Each prints one line: ours, the reference, the ratio
ours/ref and the goal ratio with PASS/MISS (INFO when there is no goal).

Exit status: 0, even on a MISS (benchmarks report, they do not fail the build);
1 with ``--check`` when a goal is missed; 2 when a benchmark crashes.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import platform
import sys
import traceback
from pathlib import Path

from tests.bench.core import FULL, QUICK, Bench, format_result, measure, warm_up

PACKAGE = "tests.bench"


def discover() -> tuple[list[Bench], list[str]]:
    """All BENCHMARKS of tests/bench/bench_*.py, and the modules that failed to load."""
    benches: list[Bench] = []
    broken: list[str] = []
    here = str(Path(__file__).resolve().parent)
    for info in sorted(pkgutil.iter_modules([here]), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        name = f"{PACKAGE}.{info.name}"
        try:
            module = importlib.import_module(name)
            benches.extend(module.BENCHMARKS)
        except Exception:
            print(f"{name}: ERROR while loading", file=sys.stderr)
            traceback.print_exc()
            broken.append(name)
    return benches, broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats (CI)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument(
        "-k",
        dest="filters",
        action="append",
        default=[],
        metavar="TEXT",
        help="only benchmarks whose name contains TEXT (repeatable)",
    )
    args = parser.parse_args(argv)

    settings = QUICK if args.quick else FULL
    benches, broken = discover()
    if args.filters:
        benches = [b for b in benches if any(f in b.name for f in args.filters)]
    print(
        f"# {platform.python_implementation()} {platform.python_version()} "
        f"{platform.machine()}, {'quick' if args.quick else 'full'}: "
        f"{settings.repeats} interleaved repeats, medians; goals are ratios ours/ref"
    )
    warm_up(settings)
    width = max((len(b.name) for b in benches), default=0)
    missed = 0
    crashed = len(broken)
    for bench in benches:
        try:
            result = measure(bench, settings)
        except Exception as exc:
            crashed += 1
            print(f"{bench.name:<{width}}  ERROR {type(exc).__name__}: {exc}", flush=True)
            traceback.print_exc()
            continue
        print(format_result(result, width), flush=True)
        if result.passed is False:
            missed += 1
    print(f"# {len(benches)} benchmarks, {missed} missed, {crashed} crashed")
    if crashed:
        return 2
    if args.check and missed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
