"""The simulated box in virtual time with its PBX: the sim board's trunk to the virtual
exchange and its S0 bus with two ISDN phones (MSNs 21 and 22), the production switch
on top. Seconds of ringing take microseconds."""

from __future__ import annotations

from firmware.clock import VirtualClock
from firmware.events import EventBus
from firmware.isdn.line import IsdnLine
from firmware.pbx.cdr import CdrLog
from firmware.pbx.config import PbxConfig
from firmware.pbx.switch import Switch
from firmware.ports.factory import open_ports
from firmware.sim.world import SimWorld
from firmware.system.board import load_board

OFFICE = {
    "country": "DE",
    "line_access": "0",
    "extensions": [
        {"number": "21", "name": "Anna", "port": "s0int"},
        {"number": "22", "name": "Ben", "port": "s0int"},
    ],
    "groups": [{"number": "30", "name": "Office", "members": ["21", "22"]}],
    "routes": [{"number": "5551000", "target": "30"}, {"number": "5551021", "target": "21"},
               {"number": "5551022", "target": "22"}],
}


class Box:
    def __init__(self, tmp_path, office: dict | None = None, start: float = 0.0) -> None:
        self.clock = VirtualClock(start)
        self.events = EventBus(self.clock)
        self.world = SimWorld(self.clock, seed=7)
        ports = open_ports(load_board("sim"), self.world, self.clock)
        self.lines = {n: IsdnLine(p, self.clock, self.events) for n, p in ports.items()}
        self.cdr = CdrLog(tmp_path / "cdr.csv")
        config = PbxConfig.from_doc(office or OFFICE, ports=tuple(ports))
        self.pbx = Switch(self.lines, self.clock, config, self.events, self.cdr)
        self.world.start()
        for line in self.lines.values():
            line.start()
        self.run(2)
        self.exchange = self.world.exchange()
        self.phone1 = self.world.phone("21")
        self.phone2 = self.world.phone("22")
        self.pbx_events: list[dict] = []
        self.events.subscribe(lambda e: self.pbx_events.append(e.data), ("pbx.call",))

    def run(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def states(self) -> list[str]:
        return [e["state"] for e in self.pbx_events]

    def cdrs(self) -> list[dict[str, str]]:
        return list(self.cdr.rows())

    def idle(self) -> bool:
        return not self.pbx.calls and all(not line.cc.calls for line in self.lines.values())
