"""Builds the simulated side of every `sim` port in a board profile.

With a media engine and a ticker (the daemon's), the far side gets its own engine for
the simulated devices' B-channels, ticked right after the box's, and every bus moves
B-channel audio between the two once per tick, as copper would.
"""

from __future__ import annotations

import random
from typing import Any

from firmware.clock import Clock
from firmware.errors import ConfigError
from firmware.log import get_logger
from firmware.media.engine import EventKind, MediaEngine, MediaEvent
from firmware.media.ticker import MediaTicker
from firmware.ports.fxs import FxsPort
from firmware.ports.sim import SimBus, SimPort
from firmware.sim.analog_phone import SimAnalogPhone, SimFxsCopper
from firmware.sim.exchange import VirtualExchange
from firmware.sim.peer import SimPeer
from firmware.sim.phones import SimIsdnPhone
from firmware.system.board import PortSpec
from firmware.tomlfile import Table

MAX_PHONES = 8  # an S0 bus carries at most 8 terminals (I.430)
FAR_SLOTS = 64  # B-channels of the simulated devices: 2 per bus, with room to spare

log = get_logger("sim.world")


class SimWorld:
    def __init__(self, clock: Clock, seed: int | None = None, media: MediaEngine | None = None,
                 ticker: MediaTicker | None = None) -> None:
        self.clock = clock
        self.rng = random.Random(seed)
        self.buses: dict[str, SimBus] = {}
        self.peers: list[SimPeer] = []
        self.media = media  # the box's engine: its ends of the buses use it
        self.far_media: MediaEngine | None = None
        self.far_events: list[MediaEvent] = []  # the far side's last tick, for peers/tests
        self.analog_phones: list[SimAnalogPhone] = []
        self.coppers: list[SimFxsCopper] = []
        if media is not None and ticker is not None:
            self.far_media = MediaEngine(FAR_SLOTS, media.tick_samples)
            ticker.add(self.tick)

    def tick(self) -> None:
        """The far side's media tick, then one tick of audio on every bus."""
        assert self.far_media is not None
        self.far_events = self.far_media.tick()
        for event in self.far_events:
            if event.kind is EventKind.DIGIT:
                for peer in self.peers:
                    heard = getattr(peer, "heard_digit", None)
                    if heard is not None:
                        heard(event.slot, event.digit)
        for phone in self.analog_phones:
            for event in self.far_events:
                phone.media_event(event)
        for bus in self.buses.values():
            bus.move_b_audio()
        for copper in self.coppers:
            copper.move_audio()

    def open_port(self, spec: PortSpec) -> SimPort:
        """Make the bus behind one of the box's sim ports, with its far end, and
        return the box's end."""
        opts = Table(spec.options, f"port {spec.name} [ports.sim]")
        far_end = opts.take("far_end", str, choices=("exchange", "phones"))
        phones = opts.take("phones", int, 2)
        auto_answer = opts.take("auto_answer", float, 0.0)
        more_msns = opts.table("more_msns")  # a phone's MSN -> further MSNs it answers to
        opts.done()
        bus = SimBus(spec.name, self.clock)
        box_end = bus.attach(spec, self.media)
        if far_end == "exchange":
            if spec.role != "te":
                raise ConfigError(f"port {spec.name}: a sim exchange needs the box as TE")
            far = PortSpec(f"{spec.name}.exchange", spec.kind, "nt", spec.mode, "sim")
            self.peers.append(VirtualExchange("exchange", bus.attach(far, self.far_media),
                                              self.clock, self.rng))
        else:
            if spec.role != "nt":
                raise ConfigError(f"port {spec.name}: sim phones need the box as NT")
            if not 1 <= phones <= MAX_PHONES:
                raise ConfigError(f"port {spec.name}: phones must be 1..{MAX_PHONES}")
            for i in range(1, phones + 1):
                far = PortSpec(f"{spec.name}.phone{i}", spec.kind, "te", spec.mode, "sim")
                # phone N answers to MSN 2N (21, 22, ...), the sim board's extensions
                msn = str(20 + i)
                more = more_msns.take(msn, list, [])
                if not all(isinstance(m, str) and m.isdigit() for m in more):
                    raise ConfigError(f"port {spec.name}: more_msns.{msn} must list "
                                      f"MSNs as strings of digits, got {more!r}")
                self.peers.append(SimIsdnPhone(f"{spec.name}.phone{i}",
                                               bus.attach(far, self.far_media), self.clock,
                                               self.rng, msn=msn, more_msns=tuple(more),
                                               auto_answer=auto_answer or None))
            more_msns.done()
        self.buses[spec.name] = bus
        return box_end

    def attach_fxs(self, spec: PortSpec, fxs: FxsPort) -> SimAnalogPhone | None:
        """The copper of an FXS port and the analog phone on it (none without a far
        engine: the phone needs one for its handset)."""
        opts = Table(spec.options, f"port {spec.name} [ports.sim]")
        opts.take("far_end", str, "analog-phone", choices=("analog-phone",))
        number = opts.take("number", str, "")
        country = opts.take("country", str, "DE")
        opts.done()
        if self.far_media is None:
            return None
        phone = SimAnalogPhone(f"{spec.name}.phone", number, self.far_media, self.clock,
                               country)
        self.analog_phones.append(phone)
        self.coppers.append(SimFxsCopper(fxs, phone))
        return phone

    def phone(self, name: str) -> SimIsdnPhone | SimAnalogPhone:
        for peer in self.peers:
            if isinstance(peer, SimIsdnPhone) and name in (peer.name, peer.msn):
                return peer
        for phone in self.analog_phones:
            if name in (phone.name, phone.number):
                return phone
        names = [p.name for p in self.peers if isinstance(p, SimIsdnPhone)]
        names += [p.name for p in self.analog_phones]
        raise KeyError(f"no simulated phone {name!r} (phones: {', '.join(names) or 'none'})")

    def exchange(self) -> VirtualExchange | None:
        return next((p for p in self.peers if isinstance(p, VirtualExchange)), None)

    def start(self) -> None:
        for peer in self.peers:
            if isinstance(peer, SimIsdnPhone):
                peer.power_on()

    def status(self) -> dict[str, Any]:
        status = {"peers": [p.status() for p in self.peers],
                  "analog_phones": [p.status() for p in self.analog_phones],
                  "buses": {n: {"l1": str(b.state), "plugged": b.plugged}
                            for n, b in self.buses.items()}}
        if self.far_media is not None:
            status["media"] = self.far_media.status()
        return status
