"""One analog extension port as the box builds it: FXS layer 1, its terminal adapter,
and the internal S0 link between the TA (TE) and the box's NT stack.

The link is a SimBus, but nothing on it is simulated: it is the in-process S0 bus an
integrated TA sits on inside a PBX (there is no copper between the TA and the NT),
and it carries real LAPD and DSS1 both ways. Its NT end is what the daemon puts in
its `lines` under the FXS port's name, so the switch sees one more ISDN bus with one
terminal on it. `move_audio()` runs once per media tick, after the engine, as the
sim buses' does.
"""

from __future__ import annotations

import random
from typing import Any

from firmware.analog.ta import TerminalAdapter
from firmware.clock import Clock
from firmware.isdn.line import IsdnLine
from firmware.media.engine import MediaEngine, MediaEvent
from firmware.ports.fxs import FxsPort
from firmware.ports.sim import SimBus, SimPort
from firmware.system.board import PortSpec


class AnalogPort:
    def __init__(self, spec: PortSpec, clock: Clock, media: MediaEngine,
                 country: str = "DE", rng: random.Random | None = None) -> None:
        self.spec = spec
        self.fxs = FxsPort(spec, clock, media)
        self.link = SimBus(f"{spec.name}.s0", clock)
        # The NT end carries the FXS port's name: the switch's line for this extension.
        self.nt: SimPort = self.link.attach(PortSpec(spec.name, "bri", "nt", "ptp", "sim"),
                                            media)
        te = self.link.attach(PortSpec(f"{spec.name}.ta", "bri", "te", "ptp", "sim"), media)
        self.ta_line = IsdnLine(te, clock, rng=rng or random.Random())
        self.ta = TerminalAdapter(self.fxs, self.ta_line, clock, msn="", country=country)

    def start(self) -> None:
        self.ta_line.start()

    def set_extension(self, number: str, country: str | None = None) -> None:
        """The extension this port serves: the calling number its calls carry."""
        self.ta.msn = number
        if country is not None and country != self.ta.country:
            self.ta.set_country(country)

    def media_events(self, events: list[MediaEvent]) -> None:
        for event in events:
            self.ta.media_event(event)

    def move_audio(self) -> None:
        self.link.move_b_audio()

    def status(self) -> dict[str, Any]:
        return {"fxs": self.fxs.status(), "ta": self.ta.status()}
