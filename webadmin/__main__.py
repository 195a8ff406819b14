"""python -m webadmin: the box's web admin, a client of the daemon's control API.

It listens on the LAN side only (loopback under `make run`). With --public-listen the
same process also serves the public side (the callback widget and its JSON endpoints,
no admin route) on its own address and thread.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from firmware.log import get_logger, setup_logging
from webadmin.app import make_app
from webadmin.public import make_public_app
from webadmin.public_token import TokenSigner, load_secret
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
    p.add_argument("--public-listen", type=parse_listen, metavar="HOST:PORT",
                   help="also serve the public side (callback widget) on HOST:PORT")
    p.add_argument("--secret-file", type=Path,
                   help="key that signs visitors' request tokens (made if missing; "
                        "default: the key the daemon keeps in its store)")
    p.add_argument("--public-url", metavar="URL",
                   help="the public side's address as the office's website reaches it "
                        "(e.g. https://callback.example.com), for the embed snippet; "
                        "default: http://HOST:PORT of --public-listen")
    p.add_argument("--log-level", default="info")
    args = p.parse_args(argv)
    setup_logging(args.log_level)
    public_url = args.public_url or (f"http://{args.public_listen[0]}:{args.public_listen[1]}"
                                     if args.public_listen else "")
    apps = [("admin", args.listen, lambda: make_app(args.api_socket, public_url))]
    if args.public_listen:
        signer = TokenSigner(load_secret(args.secret_file)) if args.secret_file else None
        apps.append(("public", args.public_listen,
                     lambda: make_public_app(args.api_socket, signer)))
    servers = []
    for side, (host, port), make in apps:
        try:
            servers.append((side, host, port, make_web_server(make(), host, port)))
        except OSError as e:
            print(f"webadmin: error: cannot listen on {host}:{port}: {e.strerror}",
                  file=sys.stderr)
            for *_, server in servers:
                server.server_close()
            return 1

    def stop(signum: int, _frame: object) -> None:
        log.info("stopping", reason=signal.Signals(signum).name)
        # shutdown() waits for serve_forever to return, so it must run off its thread.
        for *_, server in servers:
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threads = []
    for side, host, port, server in servers:
        log.info("listening", side=side, url=f"http://{host}:{port}/")
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                  name=f"web-{side}")
        thread.start()
        threads.append(thread)
    while any(t.is_alive() for t in threads):
        for t in threads:
            t.join(0.2)  # the main thread stays free to take the signals
    for *_, server in servers:
        server.server_close()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
