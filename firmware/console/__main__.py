"""python -m firmware.console --device PATH [--baudrate 115200] [--socket API_SOCKET]

Runs the technician's console on a serial port (8N1). Exits 0 on SIGTERM or SIGINT,
1 if the serial port fails while running, 2 if it cannot be opened.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

import serial

from firmware.console.cli import READ_TIMEOUT, Console
from firmware.console.daemon_link import DaemonLink
from firmware.log import get_logger, setup_logging

log = get_logger("console")

WRITE_TIMEOUT = 5.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m firmware.console",
                                description="Ringback serial console")
    p.add_argument("--device", required=True, help="serial device, e.g. /dev/ttyS0")
    p.add_argument("--baudrate", type=int, default=115200, help="line speed (default 115200)")
    p.add_argument("--socket", help="daemon API socket (default: $RINGBACK_API_SOCKET, "
                                    "/run/ringback/api.sock, or make run's)")
    p.add_argument("--log-level", default="info", help="debug, info, warning or error")
    return p.parse_args(argv)


def open_port(device: str, baudrate: int) -> serial.Serial:
    return serial.Serial(device, baudrate, bytesize=serial.EIGHTBITS, parity=serial.PARITY_NONE,
                         stopbits=serial.STOPBITS_ONE, timeout=READ_TIMEOUT,
                         write_timeout=WRITE_TIMEOUT)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        setup_logging(args.log_level)
    except ValueError as e:
        print(f"ringback-console: {e}", file=sys.stderr)
        return 2
    try:
        port = open_port(args.device, args.baudrate)
    except (serial.SerialException, ValueError) as e:
        reason = os.strerror(e.errno) if isinstance(getattr(e, "errno", None), int) else e
        print(f"ringback-console: cannot open serial device {args.device}: {reason}",
              file=sys.stderr)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    log.info("console_started", device=args.device, baudrate=args.baudrate)
    try:
        Console(port, DaemonLink(args.socket), stop).run()
    except serial.SerialException as e:
        log.error("serial_failed", device=args.device, error=e)
        print(f"ringback-console: serial device {args.device} failed: {e}", file=sys.stderr)
        return 1
    finally:
        port.close()
    log.info("console_stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
