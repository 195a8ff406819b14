"""Whole ISDN stacks (LAPD + DSS1) on one simulated bus, in virtual time: our NT and
one or more of our TEs, each an IsdnLine as the daemon runs it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from firmware.clock import VirtualClock
from firmware.isdn.dss1.primitives import CallEvent, Ind
from firmware.isdn.line import IsdnLine
from firmware.ports.sim import SimBus
from firmware.system.board import PortSpec


@dataclass
class End:
    line: IsdnLine
    got: list[CallEvent] = field(default_factory=list)

    def inds(self, call: int | None = None) -> list[Ind]:
        return [e.ind for e in self.got if call is None or e.call == call]

    def last(self, ind: Ind) -> CallEvent:
        return [e for e in self.got if e.ind is ind][-1]

    def offered(self) -> int:
        return self.last(Ind.SETUP_IND).call

    def state(self, call: int) -> int | None:
        c = self.line.cc.calls.get(call)
        return int(c.state) if c else None


def make_lines(*, ptp: bool = False, n_te: int = 1, seed: int = 1, msns=()):
    clock = VirtualClock()
    bus = SimBus("s0", clock)
    mode = "ptp" if ptp else "ptmp"
    nt = _end(IsdnLine(bus.attach(PortSpec("nt", "bri", "nt", mode, "sim")), clock,
                       rng=random.Random(seed)))
    tes = [_end(IsdnLine(bus.attach(PortSpec(f"te{i}", "bri", "te", mode, "sim")), clock,
                         rng=random.Random(seed + 1 + i), msns=msns)) for i in range(n_te)]
    nt.line.start()
    for te in tes:
        te.line.start()
    clock.advance(1)
    return clock, bus, nt, tes


def _end(line: IsdnLine) -> End:
    end = End(line)
    line.on_call = lambda _line, e: end.got.append(e)
    return end
