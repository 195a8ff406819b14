"""Runs a Lapd core on a Port with the one clock: the only I/O-aware part of layer 2.

It carries out the core's outputs in order (frames to the port, timers on the clock,
DL indications to layer 3) and feeds it the port's indications and timer expiries.
Outputs produced while earlier ones are being carried out (layer 3 answering a
DL-DATA-IND, say) wait their turn, so frames leave in the order the core made them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from firmware.clock import Clock
from firmware.isdn.lapd.entity import Lapd, Out, PhDataReq, TeiEvent
from firmware.isdn.lapd.primitives import (
    AckCheck,
    DlIndication,
    MdlError,
    PhActivateReq,
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
        self._timers = TimerSet(clock, self._expire)
        self._queue: deque[Out] = deque()
        self._running = False
        # Sees every D-channel frame, (frame, sent): the pcap trace hangs here.
        self.tap: Callable[[bytes, bool], None] | None = None
        self._actions: dict[type, Callable] = {
            PhDataReq: self._send_frame, StartTimer: self._start_timer,
            StopTimer: self._stop_timer, DlIndication: self._indicate,
            MdlError: self._mdl_error, TeiEvent: self._tei_event,
            PhActivateReq: self._activate, AckCheck: self._ack_check}
        port.bind(self._on_port_event)

    # layer 3 requests
    def establish(self, tei: int | None = None) -> None:
        self._run(self.core.dl_establish_req(tei))

    def release(self, tei: int | None = None) -> None:
        self._run(self.core.dl_release_req(tei))

    def send(self, data: bytes, tei: int | None = None) -> None:
        self._run(self.core.dl_data_req(data, tei))

    def send_unitdata(self, data: bytes) -> None:
        self._run(self.core.dl_unitdata_req(data))

    def close(self) -> None:
        self._timers.cancel_all()

    # port side
    def _on_port_event(self, event: PortEvent) -> None:
        if isinstance(event, PhDataInd):
            if self.tap is not None:
                self.tap(event.frame, False)
            self._run(self.core.ph_data_ind(event.frame))
        elif isinstance(event, PhActivateInd):
            if self.on_l1 is not None and not self.core.l1_active:
                self.on_l1(True)
            self._run(self.core.ph_activate_ind())
        elif isinstance(event, PhDeactivateInd):
            if self.on_l1 is not None and self.core.l1_active:
                self.on_l1(False)
            self._run(self.core.ph_deactivate_ind())
        elif isinstance(event, BDataInd) and self.on_b_data is not None:
            self.on_b_data(event)

    def _expire(self, key: tuple) -> None:
        self._run(self.core.timer_expiry(key))

    def _run(self, outputs: list[Out]) -> None:
        self._queue.extend(outputs)
        if self._running:
            return
        self._running = True
        try:
            while self._queue:
                self._do(self._queue.popleft())
        finally:
            self._running = False

    def _do(self, o: Out) -> None:
        self._actions[type(o)](o)

    # one method per output type; _do picks by type (cheaper than an isinstance chain)
    def _send_frame(self, o: PhDataReq) -> None:
        if self.tap is not None:
            self.tap(o.frame, True)
        self.port.ph_data_req(o.frame)

    def _start_timer(self, o: StartTimer) -> None:
        self._timers.start(o.key, o.seconds)

    def _stop_timer(self, o: StopTimer) -> None:
        self._timers.stop(o.key)

    def _indicate(self, o: DlIndication) -> None:
        self.on_dl(o)

    def _mdl_error(self, o: MdlError) -> None:
        log.warning("mdl_error", port=self.port.name, code=o.code, tei=o.tei, text=o.text)

    def _tei_event(self, o: TeiEvent) -> None:
        log.info("tei", port=self.port.name, what=o.what, tei=o.tei)
        if self.on_tei is not None:
            self.on_tei(o)

    def _ack_check(self, o: AckCheck) -> None:
        self._run(self.core.ack_check(o.tei))

    def _activate(self, o: PhActivateReq) -> None:
        self.port.ph_activate_req()
