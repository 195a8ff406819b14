"""A simulated null-modem serial cable: two pty pairs bridged by a thread.

    cable = SerialCable().open()
    cable.box_end          # /dev/pts/N: the console opens this as its serial port
    cable.technician_end   # /dev/pts/M: miniterm or screen opens this at 115200
    cable.close()

`python -m firmware.console.cable` runs one until Ctrl-C and prints both ends.

Like a real line, the cable never pushes back: bytes written towards a side nobody reads
are dropped once that side's buffer is full, and a raw, no-echo line discipline on both
slaves means nothing comes back to the sender. The bridge keeps its own fd on each slave
open, so the ptys persist while no program has them open (else master reads fail with EIO).
"""

from __future__ import annotations

import errno
import os
import pty
import selectors
import signal
import sys
import threading
import tty

from firmware.log import get_logger

log = get_logger("console.cable")

CHUNK = 4096


class SerialCable:
    def __init__(self) -> None:
        self._masters: tuple[int, int] | None = None
        self._slaves: tuple[int, int] | None = None
        self._paths: tuple[str, str] = ("", "")
        self._wake: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> SerialCable:
        return self if self._thread else self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def box_end(self) -> str:
        """The pty path the box's console program opens."""
        return self._path(0)

    @property
    def technician_end(self) -> str:
        """The pty path the technician's terminal program opens."""
        return self._path(1)

    def open(self) -> SerialCable:
        """Create both ptys and start the bridge; returns self."""
        if self._thread is not None:
            raise RuntimeError("cable already open")
        pairs = [pty.openpty(), pty.openpty()]
        for master, slave in pairs:
            tty.setraw(slave)  # raw and no echo: a serial line, not a login terminal
            os.set_blocking(master, False)  # a full side must never stall the bridge
        self._masters = (pairs[0][0], pairs[1][0])
        self._slaves = (pairs[0][1], pairs[1][1])
        self._paths = (os.ttyname(self._slaves[0]), os.ttyname(self._slaves[1]))
        self._wake = os.pipe()
        self._stop.clear()
        self._thread = threading.Thread(target=self._bridge, name="serial-cable", daemon=True)
        self._thread.start()
        log.info("cable_open", box_end=self._paths[0], technician_end=self._paths[1])
        return self

    def close(self) -> None:
        """Stop the bridge and close every fd; safe to call twice."""
        if self._thread is not None:
            self._stop.set()
            assert self._wake is not None
            os.write(self._wake[1], b"x")
            self._thread.join(timeout=5)
            self._thread = None
        for fds in (self._masters, self._slaves, self._wake):
            for fd in fds or ():
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._masters = self._slaves = self._wake = None

    def _path(self, index: int) -> str:
        if self._masters is None:
            raise RuntimeError("cable is not open")
        return self._paths[index]

    def _bridge(self) -> None:
        assert self._masters is not None and self._wake is not None
        a, b = self._masters
        peer = {a: b, b: a}
        with selectors.DefaultSelector() as sel:
            sel.register(a, selectors.EVENT_READ)
            sel.register(b, selectors.EVENT_READ)
            sel.register(self._wake[0], selectors.EVENT_READ)
            while not self._stop.is_set():
                for key, _ in sel.select():
                    if key.fd in peer:
                        self._carry(key.fd, peer[key.fd])

    def _carry(self, src: int, dst: int) -> None:
        try:
            data = os.read(src, CHUNK)
        except BlockingIOError:
            return
        except OSError as e:
            # EIO: no slave open (cannot happen while we hold ours, but a hung-up pty
            # must not spin the loop or kill the thread).
            log.warning("cable_read_error", fd=src, error=errno.errorcode.get(e.errno, e))
            self._stop.wait(0.05)
            return
        try:
            os.write(dst, data)  # a partial write drops the rest, as a line would
        except BlockingIOError:
            pass  # nobody reads that side and its buffer is full: the bytes are lost
        except OSError as e:
            log.warning("cable_write_error", fd=dst, error=errno.errorcode.get(e.errno, e))


def main() -> int:
    """Run a cable until SIGINT or SIGTERM, printing its two ends."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with SerialCable() as cable:
        print(f"box end:        {cable.box_end}\n"
              f"technician end: {cable.technician_end}", flush=True)
        while not stop.wait(1.0):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
