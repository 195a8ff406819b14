"""Benchmark definitions and the measuring loop.

A benchmark times OUR implementation and a REFERENCE in the same process, interleaved
(ours, ref, ref, ours, ...), several repeats, and compares medians. Goals are speed
ratios ours/ref, never absolute times: the absolute figures only describe this machine.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Bench:
    """One comparison. ``work`` units are done per call of ``ours`` and of ``ref``."""

    name: str
    ours: Callable[[], object]
    ref: Callable[[], object]
    work: float
    unit: str  # label of one work unit, e.g. "samples"
    goal: float | None  # required ours/ref speed ratio; None = for information only
    ref_name: str = "ref"
    same_output: bool = False  # check ours() == ref() before timing
    cpu_time: bool = False  # time with the process's CPU clock instead of the wall clock


@dataclass(frozen=True)
class Settings:
    repeats: int
    batch_ns: int  # aim for timed batches at least this long
    warm_up_ns: int  # busy time before the first benchmark, to let the CPU clock up


FULL = Settings(repeats=15, batch_ns=20_000_000, warm_up_ns=500_000_000)
QUICK = Settings(repeats=5, batch_ns=4_000_000, warm_up_ns=200_000_000)


def warm_up(settings: Settings) -> None:
    """Spin so the first benchmark does not run at an idle clock."""
    end = time.perf_counter_ns() + settings.warm_up_ns
    while time.perf_counter_ns() < end:
        pass


@dataclass(frozen=True)
class Result:
    bench: Bench
    ours_ns: float  # median per call
    ref_ns: float

    @property
    def ratio(self) -> float:
        """Speed of ours relative to ref (> 1: ours is faster)."""
        return self.ref_ns / self.ours_ns

    @property
    def passed(self) -> bool | None:
        return None if self.bench.goal is None else self.ratio >= self.bench.goal


def _batch(fn: Callable[[], object], calls: int, cpu: bool = False) -> int:
    """Nanoseconds for ``calls`` calls of ``fn``, garbage collector off."""
    clock = time.process_time_ns if cpu else time.perf_counter_ns
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        t0 = clock()
        for _ in range(calls):
            fn()
        return clock() - t0
    finally:
        if gc_was_on:
            gc.enable()


def _calls_per_batch(fn: Callable[[], object], batch_ns: int, cpu: bool = False) -> int:
    """Calls needed for a batch of at least ``batch_ns`` (doubles as warm-up)."""
    calls = 1
    while True:
        elapsed = _batch(fn, calls, cpu)
        if elapsed >= batch_ns or calls >= 1 << 24:
            return calls
        # grow towards the target, at most 10x per step
        calls = min(calls * 10, max(calls + 1, int(calls * batch_ns * 1.2 / max(elapsed, 1))))


def measure(bench: Bench, settings: Settings) -> Result:
    """Median per-call time of ours and ref, measured interleaved."""
    if bench.same_output:
        got, want = bench.ours(), bench.ref()
        if got != want:
            raise AssertionError(f"{bench.name}: ours and {bench.ref_name} give different output")
    cpu = bench.cpu_time
    n_ours = _calls_per_batch(bench.ours, settings.batch_ns, cpu)
    n_ref = _calls_per_batch(bench.ref, settings.batch_ns, cpu)
    ours: list[float] = []
    ref: list[float] = []
    gc.collect()
    for i in range(settings.repeats):
        # alternate the order so neither side always runs right after the other
        if i % 2 == 0:
            ours.append(_batch(bench.ours, n_ours, cpu) / n_ours)
            ref.append(_batch(bench.ref, n_ref, cpu) / n_ref)
        else:
            ref.append(_batch(bench.ref, n_ref, cpu) / n_ref)
            ours.append(_batch(bench.ours, n_ours, cpu) / n_ours)
    return Result(bench, statistics.median(ours), statistics.median(ref))


_PREFIXES = [(1e6, "M"), (1e3, "k"), (1.0, "")]  # M up to any size, as REFERENCE.md


def _prefix(rate: float) -> tuple[float, str]:
    for scale, prefix in _PREFIXES:
        if rate >= scale:
            return scale, prefix
    return 1.0, ""


def _per_call(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms/call"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} us/call"
    return f"{ns:.0f} ns/call"


def format_result(r: Result, name_width: int = 0) -> str:
    """One line: name, ours, ref, ratio, goal and verdict."""
    b = r.bench
    ours_rate, ref_rate = b.work * 1e9 / r.ours_ns, b.work * 1e9 / r.ref_ns
    scale, prefix = _prefix(min(ours_rate, ref_rate))
    unit = f"{prefix}{b.unit}/s"
    if r.passed is None:
        verdict = "goal -      INFO"
    else:
        verdict = f"goal >={b.goal:4.2f}x {'PASS' if r.passed else 'MISS'}"
    return (
        f"{b.name:<{name_width}}  ours {ours_rate / scale:8.1f} {unit} ({_per_call(r.ours_ns)})"
        f"  |  {b.ref_name} {ref_rate / scale:8.1f} {unit} ({_per_call(r.ref_ns)})"
        f"  |  ours/ref {r.ratio:6.3g}x  |  {verdict}"
    )
