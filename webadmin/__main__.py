"""python -m webadmin: the box's web admin, a client of the daemon's control API.

It listens on the LAN side only (loopback under `make run`).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from firmware.log import get_logger, setup_logging
from webadmin.app import make_app
from webadmin.server import make_web_server

log = get_logger("web")


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT like 127.0.0.1:8080, got {text!r}")
    return host, int(port)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m webadmin", description=__doc__.split("\n")[0])
    p.add_argument("--listen", type=parse_listen, default=("127.0.0.1", 8080),
                   help="HOST:PORT to serve on (default 127.0.0.1:8080)")
    p.add_argument("--api-socket", help="the daemon's control API socket")
    p.add_argument("--log-level", default="info")
    args = p.parse_args(argv)
    setup_logging(args.log_level)
    host, port = args.listen
    try:
        server = make_web_server(make_app(args.api_socket), host, port)
    except OSError as e:
        print(f"webadmin: error: cannot listen on {host}:{port}: {e.strerror}", file=sys.stderr)
        return 1

    def stop(signum: int, _frame: object) -> None:
        log.info("stopping", reason=signal.Signals(signum).name)
        # shutdown() waits for serve_forever to return, so it must run off its thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("listening", url=f"http://{host}:{port}/")
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
