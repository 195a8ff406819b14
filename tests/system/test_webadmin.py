"""The web admin as its own process, talking to the real daemon through the API."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.system.boxprocs import REPO, BoxPaths, free_port, stop
from tests.system.webclient import WebClient, set_up


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture
def web(box_paths: BoxPaths) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "webadmin", "--listen", f"127.0.0.1:{port}",
                             "--api-socket", str(box_paths.socket)], cwd=REPO,
                            stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            urllib.request.urlopen(base + "/static/style.css", timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "web admin did not start"
            time.sleep(0.05)
    yield base
    assert stop(proc) == 0
    assert "event=stopped" in proc.stderr.read()


def test_dashboard_shows_the_daemons_real_port_state(daemon, web):
    client = WebClient(web)
    set_up(client)
    answer = client.get("/")
    code, page = answer.status, answer.body
    assert code == 200
    assert "<td>trunk</td>" in page and "<td>s0int</td>" in page
    # 3 ports (trunk, s0int, fxs1's internal S0 link) + 3 ISDN far ends
    assert page.count('class="l1 activated">activated') == 6
    assert "<td>fxs1</td>" in page
    assert "s0int.phone1" in page and "exchange" in page
    assert "<td>tei 64,65 established</td>" in page  # both phones got a TEI on s0int


def test_status_json_and_health(daemon, web):
    client = WebClient(web)
    set_up(client)
    answer = client.get("/status.json")
    assert answer.status == 200 and json.loads(answer.body)["board"] == "sim"
    assert get(web + "/healthz") == (200, '{"web": "ok", "daemon": "ok"}')


def test_pages_say_plainly_when_the_daemon_is_down(web):
    code, page = get(web + "/")
    assert code == 503
    assert "The daemon is not answering" in page and "cannot reach ringbackd" in page
    code, body = get(web + "/healthz")
    assert code == 503 and json.loads(body)["web"] == "ok"


def test_unknown_page_is_a_404_page(daemon, web):
    set_up(WebClient(web))
    code, page = get(web + "/nope<script>")
    assert code == 404 and "There is no page at" in page and "<script>" not in page
    # the widget's source is no script until the public side puts its texts in
    assert get(web + "/static/widget.js")[0] == 404


def test_bad_listen_address_is_a_clear_error():
    out = subprocess.run([sys.executable, "-m", "webadmin", "--listen", "8080"], cwd=REPO,
                         capture_output=True, text=True, timeout=20)
    assert out.returncode == 2 and "expected HOST:PORT like 127.0.0.1:8080" in out.stderr
