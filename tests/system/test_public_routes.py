"""The public side (`python -m webadmin --public-listen`) against the real daemon: every
endpoint's answers, CORS, field errors, polite refusals, tokens, no admin routes."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.system.boxprocs import REPO, BoxPaths, free_port, run_ctl, stop

SITE = "http://127.0.0.1:9999"  # the office's website, another origin


@dataclass
class Answer:
    status: int
    headers: Any  # case-insensitive (email.message.Message)
    body: bytes

    def json(self):
        return json.loads(self.body)


def http(url: str, method: str = "GET", body=None, headers: dict | None = None) -> Answer:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Origin": SITE, **({"Content-Type": "application/json"} if data else {}),
        **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return Answer(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, e.headers, e.read())


def start_public(paths: BoxPaths) -> tuple[subprocess.Popen, str, str]:
    admin, public = free_port(), free_port()
    # a line per request: to a file, where a pipe nobody reads would fill up and block
    with open(paths.root / "web.log", "a") as log:
        proc = subprocess.Popen([sys.executable, "-m", "webadmin", "--listen",
                                 f"127.0.0.1:{admin}", "--public-listen",
                                 f"127.0.0.1:{public}", "--api-socket", str(paths.socket)],
                                cwd=REPO, stderr=log, text=True)
    base = f"http://127.0.0.1:{public}"
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(base + "/widget.js", timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, \
                (paths.root / "web.log").read_text()
            time.sleep(0.05)
    return proc, base, f"http://127.0.0.1:{admin}"


@pytest.fixture
def public(box_paths: BoxPaths, daemon) -> Iterator[str]:
    proc, base, _ = start_public(box_paths)
    yield base
    assert stop(proc) == 0


def file(public: str, **form) -> Answer:
    return http(public + "/api/callbacks", "POST", {
        "link": "office", "number": "030 1234567", "name": "Eva", "when": "30m",
        "consent": True, "page_url": "https://example.com/prices",
        "page_title": "Prices", **form})


def test_widget_script_is_cacheable(public):
    first = http(public + "/widget.js")
    assert first.status == 200
    assert first.headers["Content-Type"].startswith("application/javascript")
    assert "max-age" in first.headers["Cache-Control"]
    again = http(public + "/widget.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304 and again.body == b""
    packed = http(public + "/widget.js", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.body) == first.body and len(packed.body) < 8500


def test_widget_script_carries_every_language_or_the_one_asked_for(public):
    every = http(public + "/widget.js").body.decode()
    assert all(w in every for w in ("Call me back", "Rückruf anfordern", "Zavolejte mi",
                                    "Oddzwońcie do mnie", "Перезвоните мне"))
    assert "/*" not in every and "\n  " not in every  # minified
    german = http(public + "/widget.js?lang=de")
    text = german.body.decode()
    assert "Rückruf anfordern" in text and "Call me back" not in text \
        and "Zavolejte mi" not in text
    assert len(german.body) < 0.7 * len(every.encode())
    assert german.headers["ETag"] != http(public + "/widget.js").headers["ETag"]
    wrong = http(public + "/widget.js?lang=xx")
    assert wrong.status == 400 and wrong.body.decode() == (
        "widget.js?lang=xx: the widget speaks en, de, cs, pl, ru; leave lang out for all "
        "of them\n")
    assert "<b>" not in http(public + "/widget.js?lang=%3Cb%3E").body.decode()  # not echoed


def test_the_public_side_has_no_admin_routes(public):
    for path in ("/", "/setup", "/login", "/status.json", "/healthz", "/staff",
                 "/static/style.css"):
        assert http(public + path).status == 404, path


def test_link_facts_for_the_form(public):
    info = http(public + "/api/links/office")
    assert info.status == 200 and info.headers["Access-Control-Allow-Origin"] == SITE
    doc = info.json()
    assert doc["country"] == "DE" and doc["regions"] == ["DE"]
    assert doc["open"] is True and doc["when"] == ["now", "2m", "5m"]
    assert http(public + "/api/links/nope").status == 404


def test_preflight_and_allowed_origins(public, box_paths):
    pre = http(public + "/api/callbacks", "OPTIONS", headers={
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status == 204
    assert pre.headers["Access-Control-Allow-Origin"] == SITE
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]
    settings = json.loads(run_ctl(box_paths, "--json", "call", "callback.config").stdout)
    settings["links"][0]["allowed_origins"] = ["https://www.office.example"]
    out = run_ctl(box_paths, "call", "callback.configure", json.dumps({"config": settings}))
    assert out.returncode == 0, out.stderr
    refused = http(public + "/api/links/office")
    assert refused.status == 403 and "Access-Control-Allow-Origin" not in refused.headers
    assert http(public + "/api/callbacks", "OPTIONS").status == 403
    assert file(public).status == 403
    allowed = http(public + "/api/links/office",
                   headers={"Origin": "https://www.office.example"})
    assert allowed.status == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://www.office.example"


def test_file_status_reschedule_cancel(public, box_paths):
    filed = file(public, email="eva@example.com", note="about the offer")
    assert filed.status == 201, filed.body
    doc = filed.json()
    assert doc["state"] == "queued" and doc["position"] == 1
    assert doc["expected"] > time.time() + 25 * 60 and "id" not in doc
    token = doc["token"]
    assert token.startswith("cb1.") and len(token) > 20
    # the daemon got what the public side knows about the visitor
    kept = json.loads(run_ctl(box_paths, "--json", "callbacks").stdout)[0]
    assert kept["ip"] == "127.0.0.1" and kept["page_url"] == "https://example.com/prices"
    assert kept["page_title"] == "Prices" and kept["email"] == "eva@example.com"
    status = http(public + f"/api/callbacks/{token}")
    assert status.status == 200 and status.json()["state"] == "queued"
    moved = http(public + f"/api/callbacks/{token}/reschedule", "POST", {"when": "5m"})
    assert moved.status == 200 and moved.json()["due"] < doc["due"]
    bad = http(public + f"/api/callbacks/{token}/reschedule", "POST", {"when": "soon"})
    assert bad.status == 422 and "now, 2m, 5m" in bad.json()["fields"]["when"]
    gone = http(public + f"/api/callbacks/{token}/cancel", "POST", {})
    assert gone.status == 200 and gone.json()["state"] == "cancelled"
    again = http(public + f"/api/callbacks/{token}/cancel", "POST", {})
    assert again.status == 409 and "already cancelled" in again.json()["message"]


def test_field_errors_name_the_field(public):
    bad = file(public, number="0900 1234567")
    assert bad.status == 422
    assert bad.json()["fields"] == {"number": "we cannot call back premium-rate or "
                                              "service numbers"}
    assert bad.json()["reason"] == "premium"  # the word the widget translates
    assert file(public, number="hello").json()["fields"]["number"] == \
        "this is not a phone number we can read"
    assert file(public, number="110").json()["reason"] == "emergency"
    assert file(public, number="+48 22 123 45 67").json()["reason"] == "region"
    assert "when" in file(public, when="tomorrow").json()["fields"]
    assert file(public, name=42).json()["fields"] == {"name": "must be text"}
    assert file(public, consent=False).json()["fields"] == {
        "consent": "please agree to be called back"}
    assert http(public + "/api/callbacks", "POST", {"number": "1"}).status == 422
    assert file(public, link="nope").status == 404
    broken = urllib.request.Request(public + "/api/callbacks", data=b"{not json",
                                    method="POST", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(broken, timeout=5)
    assert info.value.code == 400


def test_a_refusal_is_429_and_polite(public):
    for _ in range(7):
        assert file(public, number="030 7654321").status == 201
    refused = file(public, number="030 7654321")
    assert refused.status == 429
    assert refused.json()["refused"] is True and refused.json()["reason"] == "refused-rate"
    assert "please try again in" in refused.json()["message"]


def test_a_visitor_cannot_reach_another_request(public):
    mine = file(public).json()["token"]
    theirs = file(public, number="030 1230001").json()["token"]
    other_id = theirs.split(".")[0]
    for forged in (other_id, f"{other_id}.{mine.split('.')[1]}", f"{other_id}.x",
                   "cb2." + "A" * 22, "cb2.",
                   mine[:-1] + ("A" if mine[-1] != "A" else "B")):
        for method, path in (("GET", ""), ("POST", "/cancel"), ("GET", "/events")):
            answer = http(public + f"/api/callbacks/{forged}{path}", method,
                          {} if method == "POST" else None)
            assert answer.status == 404, (forged, path)
    assert http(public + f"/api/callbacks/{theirs}").json()["state"] == "queued"


def test_a_token_still_works_after_the_web_process_restarts(box_paths, daemon):
    """The signing key is the daemon's, not the web process's: a visitor following a
    request keeps it across a restart of the web side (as across a reboot)."""
    proc, base, _ = start_public(box_paths)
    token = file(base).json()["token"]
    assert stop(proc) == 0
    proc, base, _ = start_public(box_paths)
    try:
        assert http(base + f"/api/callbacks/{token}").json()["state"] == "queued"
    finally:
        assert stop(proc) == 0


def test_status_events_stream(public):
    token = file(public).json()["token"]
    req = urllib.request.Request(public + f"/api/callbacks/{token}/events",
                                 headers={"Origin": SITE})
    with urllib.request.urlopen(req, timeout=10) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert stream.headers["Access-Control-Allow-Origin"] == SITE
        lines = []
        while not any(line.startswith("data:") for line in lines):
            lines.append(stream.readline().decode().strip())
        first = json.loads(next(x for x in lines if x.startswith("data:"))[5:])
        assert first["state"] == "queued"
        assert http(public + f"/api/callbacks/{token}/cancel", "POST", {}).status == 200
        rest = stream.read().decode()  # the stream ends with the final state
    last = [line for line in rest.splitlines() if line.startswith("data:")][-1]
    assert json.loads(last[5:])["state"] == "cancelled"
