"""Serves the web admin: a threaded WSGI server, one key=value log line per request."""

from __future__ import annotations

import socketserver
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from firmware.log import get_logger

log = get_logger("web")


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a hanging browser must not keep the process alive at exit
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.info("http", client=self.client_address[0], method=self.command,
                 path=self.path, status=code)

    def log_message(self, format: str, *args: object) -> None:
        log.warning("http_error", client=self.client_address[0], message=format % args)


def make_web_server(app, host: str, port: int) -> WSGIServer:
    return make_server(host, port, app, server_class=_ThreadingServer,
                       handler_class=_QuietHandler)
