"""Full call cycles between our TE and our NT in one process (the stack benchmark).

One cycle is SETUP ... RELEASE COMPLETE over LAPD on a simulated point-to-point bus:
the TE dials, the NT answers at once (CALL PROCEEDING, CONNECT), the TE hangs up when
the CONNECT arrives — the same script as the libpri reference (pri_bench.c).
"""

from __future__ import annotations

from firmware.enums import members
from firmware.isdn.dss1.primitives import Ind
from tests.unit.isdn_pair import make_lines

IND = members(Ind)  # Ind.X read fast (firmware/enums.py)


class OurCycles:
    def __init__(self, ptp: bool = True) -> None:
        self.clock, _, self.nt, (self.te,) = make_lines(ptp=ptp)
        self.done = 0
        self.nt.line.on_call = self._nt_event
        self.te.line.on_call = self._te_event

    def _nt_event(self, line, e) -> None:
        if e.ind is IND.SETUP_IND:
            line.proceed(e.call)
            line.answer(e.call)

    def _te_event(self, line, e) -> None:
        if e.ind is IND.SETUP_CONF:
            line.hangup(e.call)
        elif e.ind is IND.RELEASE_IND:
            self.done += 1

    def run(self, cycles: int) -> int:
        target = self.done + cycles
        while self.done < target:
            self.te.line.dial("123")
            while self.te.line.cc.calls or self.nt.line.cc.calls:
                self.clock.advance(0.001)
        return cycles
