"""The `lapdsock` backend: the D-channel over a SOCK_SEQPACKET UNIX socket.

One LAPD frame per datagram, followed by two placeholder octets where the FCS would be —
the convention libpri uses on its file descriptor (it writes len+2 and drops the last
two on read) — so any libpri-based peer can sit at the other end. The peer listens at
PATH; we connect and keep retrying until it is there, and again after it goes away.
Layer 1 counts as active while connected. There is no B-channel on this backend.
"""

from __future__ import annotations

import asyncio
import socket

from firmware.clock import Clock
from firmware.log import get_logger
from firmware.ports.base import (
    L1State,
    PhActivateInd,
    PhDataInd,
    PhDeactivateInd,
    Port,
    PortError,
)
from firmware.system.board import PortSpec

FCS_PLACEHOLDER = b"\x00\x00"
RETRY_SECONDS = 0.2
MAX_DATAGRAM = 4096

log = get_logger("ports.lapdsock")


class LapdSockPort(Port):
    def __init__(self, spec: PortSpec, clock: Clock, path: str) -> None:
        super().__init__(spec)
        self.clock = clock
        self.path = path
        self.loop: asyncio.AbstractEventLoop | None = None
        self._sock: socket.socket | None = None
        self._retry = None
        self._closed = False
        self._waiting_logged = False

    @property
    def l1_state(self) -> L1State:
        return L1State.ACTIVATED if self._sock is not None else L1State.ACTIVATING

    def start(self) -> None:
        """Begin connecting; needs the running event loop to watch the socket."""
        self.loop = asyncio.get_running_loop()
        self._connect()

    def _connect(self) -> None:
        self._retry = None
        if self._closed or self._sock is not None:
            return
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        sock.setblocking(False)
        try:
            sock.connect(self.path)
        except OSError as e:
            sock.close()
            if not self._waiting_logged:
                log.info("waiting_for_peer", port=self.name, path=self.path, reason=e.strerror)
                self._waiting_logged = True
            self._retry = self.clock.call_later(RETRY_SECONDS, self._connect)
            return
        self._sock = sock
        self._waiting_logged = False
        self.loop.add_reader(sock.fileno(), self._readable)
        log.info("connected", port=self.name, path=self.path)
        self.indicate(PhActivateInd(self.name))

    def _readable(self) -> None:
        assert self._sock is not None
        while self._sock is not None:
            try:
                data = self._sock.recv(MAX_DATAGRAM)
            except BlockingIOError:
                return
            except OSError as e:
                self._lost(e.strerror or str(e))
                return
            if not data:
                self._lost("peer closed")
                return
            if len(data) <= len(FCS_PLACEHOLDER):
                continue  # nothing but the FCS placeholder: not a frame
            self.indicate(PhDataInd(self.name, data[:-len(FCS_PLACEHOLDER)]))

    def _lost(self, reason: str) -> None:
        self._drop_socket()
        log.warning("peer_lost", port=self.name, reason=reason)
        self.indicate(PhDeactivateInd(self.name))
        if not self._closed:
            self._retry = self.clock.call_later(RETRY_SECONDS, self._connect)

    def _drop_socket(self) -> None:
        if self._sock is not None:
            self.loop.remove_reader(self._sock.fileno())
            self._sock.close()
            self._sock = None

    def ph_activate_req(self) -> None:
        if self._sock is not None:
            self.clock.call_later(0.0, self.indicate, PhActivateInd(self.name))
        elif self._retry is None and not self._closed and self.loop is not None:
            self._connect()

    def ph_deactivate_req(self) -> None:
        pass  # the socket is the wire: it stays up as long as the peer is there

    def ph_data_req(self, frame: bytes) -> None:
        if self._sock is None:
            self.counters["d_tx_dropped"] += 1
            return
        try:
            self._sock.send(bytes(frame) + FCS_PLACEHOLDER)
            self.counters["d_tx"] += 1
        except BlockingIOError:
            self.counters["d_tx_dropped"] += 1  # a full socket is a congested D-channel
        except OSError as e:
            self._lost(e.strerror or str(e))

    def b_data_req(self, channel: int, data: bytes) -> None:
        raise PortError(f"port {self.name}: the lapdsock backend carries no B-channel data")

    def close(self) -> None:
        self._closed = True
        if self._retry is not None:
            self._retry.cancel()
        self._drop_socket()
        super().close()

    def status(self) -> dict:
        return super().status() | {"peer": self.path}
