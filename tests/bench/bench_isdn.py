"""Full ISDN call cycles per CPU-second: our TE <-> our NT against libpri <-> libpri.

Both run in this process: ours through the whole Python stack (DSS1 over LAPD on a
simulated point-to-point bus), libpri's two instances over a socketpair through
tests/libpri/pri_bench.c loaded with ctypes. One cycle is SETUP ... RELEASE COMPLETE
with the same script on both. Goal (issue 3): ours >= 0.25 x libpri.
"""

from __future__ import annotations

import ctypes
import logging

from tests.bench.core import Bench
from tests.bench.isdn_cycles import OurCycles
from tests.libpri.build import build

CYCLES = 20  # per timed call, so the cffi/ctypes call overhead does not matter


def _benches() -> list[Bench]:
    logging.getLogger("ringback").setLevel(logging.WARNING)  # no log lines per call
    lib = ctypes.CDLL(str(build("pri_bench", shared=True)))
    if lib.pri_bench_setup(0) != 0:
        raise RuntimeError("libpri reference: the two ends did not come up")
    ours = OurCycles(ptp=True)

    def ref() -> None:
        if lib.pri_bench_cycles(CYCLES) != CYCLES:
            raise RuntimeError("libpri reference: a call cycle did not complete")

    return [Bench("isdn.call_cycle TE<->NT ptp", lambda: ours.run(CYCLES), ref, CYCLES,
                  "cycles", 0.25, ref_name="libpri", cpu_time=True)]


BENCHMARKS: list[Bench] = _benches()
