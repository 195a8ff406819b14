"""The `sim` backend: an S/T bus in the process, standing in for the copper.

A SimBus joins one NT end and any number of TE ends, as an S0 bus does:
- layer 1 activates when any end asks (the I.430 INFO 1…4 exchange takes
  ACTIVATION_DELAY) and every end is told; only the NT end can deactivate it;
- a D-channel frame from the NT reaches every TE, a frame from a TE reaches the NT;
- B-channel data reaches every other end that has that channel open;
- `unplug()` pulls the cable: the bus drops and will not come up until `plug()`.
Delivery goes through a FIFO drained on the next clock tick, never inside the
sender's call, so a layer that answers a frame is not re-entered and order is kept.

B-channel audio: an end attached with a media engine gets an engine slot for every
raw B-channel it opens, as a real driver would. `move_b_audio()`, run once per media
tick after the engines, is the copper: each end's receive buffer gets the bytes the
other end's engine put in its transmit buffer (the NT hears the first TE with the
channel open, every TE with it open hears the NT), and silence when nobody sends or
layer 1 is down.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from firmware.clock import Clock
from firmware.enums import members
from firmware.log import get_logger
from firmware.media.engine import Law, MediaEngine
from firmware.ports.base import (
    B_CHANNELS,
    BDataInd,
    BProtocol,
    L1State,
    PhActivateInd,
    PhDataInd,
    PhDeactivateInd,
    Port,
    PortError,
)
from firmware.system.board import PortSpec

ACTIVATION_DELAY = 0.003  # seconds; an S0 activation takes a few milliseconds

log = get_logger("ports.sim")
L1 = members(L1State)  # L1State.X read fast (firmware/enums.py): checked per frame


class SimBus:
    def __init__(self, name: str, clock: Clock) -> None:
        self.name = name
        self.clock = clock
        self.state = L1.DEACTIVATED
        self.plugged = True
        self.nt: SimPort | None = None
        self.tes: list[SimPort] = []
        self._queue: deque[tuple[Callable[[Any], None], Any]] = deque()  # (deliver, what)
        self._drain_scheduled = False
        self._activation = None
        # Decides, frame by frame, whether the copper loses it (None: nothing is lost).
        self.lose_d: Callable[[bytes], bool] | None = None

    def attach(self, spec: PortSpec, media: MediaEngine | None = None,
               law: Law = Law.ALAW) -> SimPort:
        port = SimPort(spec, self, media, law)
        if spec.role == "nt":
            if self.nt is not None:
                raise PortError(f"sim bus {self.name}: it already has an NT end")
            self.nt = port
        else:
            self.tes.append(port)
        return port

    def detach(self, port: SimPort) -> None:
        if port is self.nt:
            self.nt = None
        elif port in self.tes:
            self.tes.remove(port)

    def ends(self) -> list[SimPort]:
        return ([self.nt] if self.nt else []) + list(self.tes)

    # layer 1
    def request_activation(self) -> None:
        if self.state is L1.ACTIVATED:
            self._post(self._tell_all, PhActivateInd)  # mISDN confirms again
            return
        if self.state is L1.ACTIVATING or not self.plugged:
            return  # an unplugged bus stays silent; layer 2 retries on its own timers
        self.state = L1.ACTIVATING
        self._activation = self.clock.call_later(ACTIVATION_DELAY, self._activated)

    def _activated(self) -> None:
        self._activation = None
        self.state = L1.ACTIVATED
        log.info("l1_activated", bus=self.name)
        self._tell_all(PhActivateInd)

    def deactivate(self) -> None:
        if self._activation is not None:
            self._activation.cancel()
            self._activation = None
        if self.state is L1.DEACTIVATED:
            return
        self.state = L1.DEACTIVATED
        log.info("l1_deactivated", bus=self.name, plugged=self.plugged)
        self._post(self._tell_all, PhDeactivateInd)

    def unplug(self) -> None:
        self.plugged = False
        self.deactivate()

    def plug(self) -> None:
        self.plugged = True

    # data
    def send_d(self, sender: SimPort, frame: bytes) -> bool:
        if self.state is not L1.ACTIVATED:
            return False
        if self.lose_d is not None and self.lose_d(frame):
            return True  # sent, and lost on the copper (tests of T200 recovery)
        receivers = self.tes if sender is self.nt else (self.nt,) if self.nt else ()
        if receivers:  # as _post() for each, with one look at the drain (per frame)
            queue = self._queue
            for r in receivers:
                queue.append((r.indicate, PhDataInd(r.spec.name, frame)))
            if not self._drain_scheduled:
                self._drain_scheduled = True
                self.clock.call_later(0.0, self._drain)
        return True

    def send_b(self, sender: SimPort, channel: int, data: bytes) -> bool:
        if self.state is not L1.ACTIVATED:
            return False
        for r in self.ends():
            if r is not sender and r.b_protocol(channel) is not None:
                self._post(r.indicate, BDataInd(r.name, channel, data))
        return True

    def move_b_audio(self) -> None:
        """One tick of B-channel audio on the copper (see the module docstring)."""
        up = self.state is L1State.ACTIVATED
        for channel in B_CHANNELS:
            ends = [e for e in self.ends() if channel in e.b_buffers]
            if not ends:
                continue
            nt = self.nt if self.nt in ends else None
            first_te = next((e for e in ends if e is not self.nt), None)
            for end in ends:
                source = first_te if end is nt else nt
                rx = end.b_buffers[channel][0]
                if up and source is not None:
                    rx[:] = source.b_buffers[channel][1]
                else:
                    rx[:] = end.silence

    def _tell_all(self, kind: type) -> None:
        for end in self.ends():
            end.indicate(kind(end.name))

    def _post(self, deliver: Callable[[Any], None], what: Any) -> None:
        """deliver(what) on the next clock tick, after everything posted before it."""
        self._queue.append((deliver, what))
        if not self._drain_scheduled:
            self._drain_scheduled = True
            self.clock.call_later(0.0, self._drain)

    def _drain(self) -> None:
        self._drain_scheduled = False
        queue = self._queue
        while queue:
            deliver, what = queue.popleft()
            deliver(what)


class SimPort(Port):
    """One end of a SimBus, with the same face as a kernel mISDN port."""

    def __init__(self, spec: PortSpec, bus: SimBus, media: MediaEngine | None = None,
                 law: Law = Law.ALAW) -> None:
        super().__init__(spec)
        self.bus = bus
        self.media = media
        self.law = Law(law)
        self._b_slots: dict[int, int] = {}
        # channel -> (rx, tx) views on the engine's buffers, made once per open
        self.b_buffers: dict[int, tuple[memoryview, memoryview]] = {}
        self.silence = b""
        if media is not None:
            self.silence = bytes([0xD5 if self.law is Law.ALAW else 0xFF]) * media.tick_samples

    @property
    def l1_state(self) -> L1State:
        return self.bus.state

    def ph_activate_req(self) -> None:
        self.bus.request_activation()

    def ph_deactivate_req(self) -> None:
        if self.spec.role == "nt":
            self.bus.deactivate()
        # I.430: a TE cannot take the bus down; it just stops using it.

    def ph_data_req(self, frame: bytes) -> None:
        if self.bus.send_d(self, bytes(frame)):
            self.counters["d_tx"] += 1
        else:
            self.counters["d_tx_dropped"] += 1

    def b_open(self, channel: int, protocol: BProtocol) -> None:
        super().b_open(channel, protocol)
        if self.media is None:
            return
        raw = BProtocol(protocol) is BProtocol.RAW
        if raw and channel not in self._b_slots:
            slot = self.media.open(self.law)
            self._b_slots[channel] = slot
            self.b_buffers[channel] = (self.media.rx(slot), self.media.tx(slot))
        elif not raw:
            self._release_slot(channel)

    def b_close(self, channel: int) -> None:
        super().b_close(channel)
        self._release_slot(channel)

    @property
    def carries_audio(self) -> bool:
        return self.media is not None

    def b_slot(self, channel: int) -> int | None:
        return self._b_slots.get(channel)

    def _release_slot(self, channel: int) -> None:
        slot = self._b_slots.pop(channel, None)
        self.b_buffers.pop(channel, None)
        if slot is not None and self.media is not None:
            self.media.close(slot)

    def b_data_req(self, channel: int, data: bytes) -> None:
        if self.b_protocol(channel) is None:
            raise PortError(f"port {self.name}: B{channel} is not open")
        if self.bus.send_b(self, channel, bytes(data)):
            self.counters["b_tx_bytes"] += len(data)

    def close(self) -> None:
        for channel in list(self._b_slots):
            self._release_slot(channel)
        super().close()
        self.bus.detach(self)
