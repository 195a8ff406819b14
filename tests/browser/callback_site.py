"""Fixtures for the callback's browser tests: the box's public side, and the office's
website — tests/browser/site/ on its own port, a different origin from the box, as
on the internet — whose page embeds the widget with one script tag."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.system.boxprocs import BoxPaths, stop
from tests.system.test_public_routes import start_public

SITE = Path(__file__).resolve().parent / "site"


class _SiteHandler(http.server.BaseHTTPRequestHandler):
    box = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        page = SITE / (url.path.strip("/") or "index.html")
        if page.parent != SITE or not page.is_file():
            self.send_error(404)
            return
        # ?lang=de: the tag says data-lang="de"; ?only=cs: it loads widget.js?lang=cs
        only = query.get("only", [""])[0]
        body = page.read_text().replace("{{BOX}}", self.box).replace(
            "{{LANG}}", query.get("lang", [""])[0]).replace(
            "{{SCRIPT_QUERY}}", f"?lang={only}" if only else "").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def box_web(box_paths: BoxPaths, daemon) -> Iterator[tuple[str, str]]:
    """(public base URL, admin base URL) of one web process against the daemon."""
    proc, public, admin = start_public(box_paths)
    yield public, admin
    assert stop(proc) == 0


@pytest.fixture
def site(box_web) -> Iterator[str]:
    """The office's website; yields its base URL."""
    handler = type("Handler", (_SiteHandler,), {"box": box_web[0]})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
