"""Runs a Lapd core on a Port with the one clock: the only I/O-aware part of layer 2.

It carries out the core's outputs in order (frames to the port, timers on the clock,
DL indications to layer 3) and feeds it the port's indications and timer expiries,
each with the time.
Outputs produced while earlier ones are being carried out (layer 3 answering a
DL-DATA-IND, say) wait their turn, so frames leave in the order the core made them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from firmware.clock import Clock, TimerHandle
from firmware.isdn.lapd.entity import Lapd, Out, TeiEvent
from firmware.isdn.lapd.primitives import (
    AckCheck,
    ArmTimer,
    DlIndication,
    MdlError,
    PhActivateReq,
    PhDataReq,
    StartTimer,
    StopTimer,
)
from firmware.isdn.timers import TimerSet
from firmware.log import get_logger
from firmware.ports.base import BDataInd, PhActivateInd, PhDataInd, PhDeactivateInd, Port, PortEvent

log = get_logger("isdn.lapd")


class Layer2:
    def __init__(self, port: Port, clock: Clock, core: Lapd,
                 on_dl: Callable[[DlIndication], None],
                 on_b_data: Callable[[BDataInd], None] | None = None,
                 on_tei: Callable[[TeiEvent], None] | None = None,
                 on_l1: Callable[[bool], None] | None = None) -> None:
        self.port = port
        self.clock = clock
        self.core = core
        self.on_dl = on_dl
        self.on_b_data = on_b_data
        self.on_tei = on_tei
        self.on_l1 = on_l1
        self._timers = TimerSet(clock, self._expire)  # TEI management's
        self._link_timers: dict[tuple, TimerHandle] = {}  # ArmTimer's callbacks, by key
        self._queue: deque[Out] = deque()
        self._running = False
        # Sees every D-channel frame, (frame, sent): the pcap trace hangs here.
        self.tap: Callable[[bytes, bool], None] | None = None
        port.bind(self._on_port_event)

    # layer 3 requests
    def establish(self, tei: int | None = None) -> None:
        self._run(self.core.dl_establish_req(tei, now=self.clock.now()))

    def release(self, tei: int | None = None) -> None:
        self._run(self.core.dl_release_req(tei, now=self.clock.now()))

    def send(self, data: bytes, tei: int | None = None) -> None:
        self._run(self.core.dl_data_req(data, tei, now=self.clock.now()))

    def send_unitdata(self, data: bytes) -> None:
        self._run(self.core.dl_unitdata_req(data, now=self.clock.now()))

    def close(self) -> None:
        self._timers.cancel_all()
        for handle in self._link_timers.values():
            handle.cancel()
        self._link_timers.clear()

    # port side
    def _on_port_event(self, event: PortEvent) -> None:
        if type(event) is PhDataInd:
            if self.tap is not None:
                self.tap(event.frame, False)
            self._run(self.core.ph_data_ind(event.frame, now=self.clock.now()))
        elif isinstance(event, PhActivateInd):
            if self.on_l1 is not None and not self.core.l1_active:
                self.on_l1(True)
            self._run(self.core.ph_activate_ind(now=self.clock.now()))
        elif isinstance(event, PhDeactivateInd):
            if self.on_l1 is not None and self.core.l1_active:
                self.on_l1(False)
            self._run(self.core.ph_deactivate_ind(now=self.clock.now()))
        elif isinstance(event, BDataInd) and self.on_b_data is not None:
            self.on_b_data(event)

    def _expire(self, key: tuple) -> None:
        self._run(self.core.timer_expiry(key, now=self.clock.now()))

    def _arm(self, o: ArmTimer) -> None:
        old = self._link_timers.pop(o.key, None)
        if old is not None:
            old.cancel()
        self._link_timers[o.key] = self.clock.call_later(o.seconds, self._link_timer, o.key)

    def _link_timer(self, key: tuple) -> None:
        del self._link_timers[key]
        self._run(self.core.timer_due(key, now=self.clock.now()))

    def _run(self, outputs: list[Out]) -> None:
        queue = self._queue
        queue.extend(outputs)
        if self._running:
            return
        self._running = True
        # Locals for what the loop below touches on every output; the kinds are tried
        # in the order of how often a call produces them.
        timers, port, core = self._timers, self.port, self.core
        try:
            while queue:
                o = queue.popleft()
                kind = type(o)
                if kind is PhDataReq:
                    if self.tap is not None:
                        self.tap(o.frame, True)
                    port.ph_data_req(o.frame)
                elif kind is DlIndication:
                    self.on_dl(o)
                elif kind is AckCheck:
                    # layer 3 has seen the I frame: now the RR, unless an I frame acked it
                    more = core.ack_check(o.tei)
                    if more:
                        queue.extend(more)
                elif kind is ArmTimer:
                    self._arm(o)
                elif kind is StartTimer:
                    timers.start(o.key, o.seconds)
                elif kind is StopTimer:
                    timers.stop(o.key)
                elif kind is MdlError:
                    log.warning("mdl_error", port=port.name, code=o.code, tei=o.tei,
                                text=o.text)
                elif kind is TeiEvent:
                    log.info("tei", port=port.name, what=o.what, tei=o.tei)
                    if self.on_tei is not None:
                        self.on_tei(o)
                elif kind is PhActivateReq:
                    port.ph_activate_req()
                else:
                    raise TypeError(f"layer 2 output {o!r}")
        finally:
            self._running = False
