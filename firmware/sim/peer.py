"""What every simulated device on a bus shares: its end of the bus and its own ISDN stack.

A simulated device runs the same protocol code as the box (network side for the
exchange, user side for a phone), so the box meets real LAPD on the simulated copper.

With the far side's media engine behind its port, a device also has an ear and a
keypad on its B-channels: ``audio_open`` takes a channel's audio into an engine slot
with DTMF detection on (what it hears lands in ``heard``), ``send_dtmf`` keys digits
into it, as a person at a real phone would.
"""

from __future__ import annotations

import random
from typing import Any

from firmware.clock import Clock
from firmware.isdn.line import IsdnLine
from firmware.media.engine import EngineError, EventKind, MediaEvent
from firmware.ports.base import BProtocol
from firmware.ports.sim import SimPort


class NoAudio(Exception):
    """The device has no B-channel audio now (no call, or no media engine)."""


class SimPeer:
    kind = "device"

    def __init__(self, name: str, port: SimPort, clock: Clock, rng: random.Random,
                 msns: tuple[str, ...] = ()) -> None:
        self.name = name
        self.port = port
        self.line = IsdnLine(port, clock, rng=rng, msns=msns)
        self.heard: dict[int, str] = {}  # B-channel -> DTMF digits heard on it

    # B-channel audio --------------------------------------------------------------------
    def audio_open(self, channel: int, loopback: bool = False) -> int | None:
        """Take the channel's audio (``loopback``: send back what arrives); its slot."""
        if self.port.media is None:
            return None
        self.port.b_open(channel, BProtocol.RAW)
        slot = self.port.b_slot(channel)
        if slot is not None:
            self.port.media.detect_dtmf(slot)
            if loopback:
                self.port.media.listen(slot, slot)
        self.heard[channel] = ""
        return slot

    def audio_close(self, channel: int) -> None:
        if self.port.b_protocol(channel) is not None:
            self.port.b_close(channel)

    def send_dtmf(self, channel: int | None, digits: str) -> None:
        slot = None if channel is None else self.port.b_slot(channel)
        if slot is None or self.port.media is None:
            raise NoAudio(f"{self.name} has no call with audio to key digits into")
        try:
            self.port.media.send_dtmf(slot, digits)
        except EngineError as e:
            raise NoAudio(str(e)) from None

    def media_event(self, event: MediaEvent) -> None:
        """An event of the far-side engine on one of this device's slots."""
        if event.kind is not EventKind.DIGIT:
            return
        for channel in self.heard:
            if self.port.b_slot(channel) == event.slot:
                self.heard[channel] += event.digit

    def status(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "role": self.port.spec.role,
                "l1": str(self.port.l1_state), "frames_seen": self.port.counters["d_rx"],
                "l2": self.line.status()}
