"""The staff screen-pop's routes on the admin side (/staff, its events, the caller card,
notes and tickets), against the real daemon: login and CSRF as every admin page, and a
pop for a web callback and for a plain call answered at the extension."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.system.boxprocs import BoxPaths, run_ctl, stop
from tests.system.test_callback import phone_state, wait_for
from tests.system.test_public_routes import file, start_public
from tests.system.webclient import WebClient, log_in, set_up
from webadmin.auth import hash_password

STAFF, STAFF_PASSWORD = "jana", "staff phone twenty-one"


def add_staff_user(admin_base: str, box_paths: BoxPaths, extension: str = "21") -> None:
    """The box set up (first boot) and a staff user for ``extension``."""
    set_up(WebClient(admin_base))
    out = run_ctl(box_paths, "call", "web.user.add", json.dumps({
        "name": STAFF, "role": "staff", "extension": extension,
        "password_hash": hash_password(STAFF_PASSWORD)}))
    assert out.returncode == 0, out.stderr


@pytest.fixture
def sides(box_paths: BoxPaths, daemon):
    proc, public, admin = start_public(box_paths)
    add_staff_user(admin, box_paths)
    yield public, admin
    assert stop(proc) == 0


def staff_client(admin: str) -> WebClient:
    client = WebClient(admin)
    assert log_in(client, STAFF, STAFF_PASSWORD).status == 303
    return client


def read_events(stream, names: set[str], count: int = 1) -> list[tuple[str, dict]]:
    """Server-sent events of the given names, until ``count`` of them came."""
    found, name = [], ""
    while len(found) < count:
        line = stream.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: ") and name in names:
            found.append((name, json.loads(line[6:])))
    return found


def open_events(client: WebClient, path: str = "/staff/events"):
    req = urllib.request.Request(client.base + path)
    client.jar.add_cookie_header(req)
    stream = urllib.request.urlopen(req, timeout=30)
    assert read_events(stream, {"hello"})[0][1] == {"extension": "21"}
    return stream


def test_the_page_needs_a_staff_login_and_shows_their_extension(sides):
    _, admin = sides
    anonymous = WebClient(admin)
    answer = anonymous.get("/staff")
    assert answer.status == 303 and answer.location.endswith("/login?next=%2Fstaff")
    assert anonymous.get("/staff/events").status == 303
    client = staff_client(admin)
    page = client.get("/staff")
    assert page.status == 200 and 'data-ext="21"' in page.body
    assert 'href="/staff" aria-current="page">Screen-pop' in page.body
    assert client.get("/staff?ext=22").status == 403  # staff watch their own extension
    admin_client = WebClient(admin)
    log_in(admin_client)
    assert 'data-ext="22"' in admin_client.get("/staff?ext=22").body
    assert '<option value="21">' in admin_client.get("/staff").body  # admins pick one


def test_notes_and_tickets_on_the_card_need_the_csrf_token(sides):
    _, admin = sides
    client = staff_client(admin)
    client.get("/staff")
    number = "+49301230001"
    body = json.dumps({"number": number, "text": "asked about prices"}).encode()
    forged = client.request("/staff/note", body, {"Content-Type": "application/json"})
    assert forged.status == 403
    headers = {"Content-Type": "application/json", "X-CSRF-Token": client.token}
    card = json.loads(client.request("/staff/note", body, headers).body)
    assert card["notes"][-1]["text"] == "asked about prices"
    assert card["notes"][-1]["author"] == STAFF
    ticket = client.request("/staff/ticket", json.dumps(
        {"number": number, "title": "send an offer"}).encode(), headers)
    assert ticket.status == 200
    assert [t["title"] for t in json.loads(ticket.body)["tickets"]] == ["send an offer"]
    empty = client.request("/staff/note", json.dumps({"number": number, "text": " "})
                           .encode(), headers)
    assert empty.status == 422 and "1 to 2000 characters" in json.loads(empty.body)[
        "fields"]["text"]
    shown = client.get("/staff/card?number=%2B49301230001")
    assert json.loads(shown.body)["notes"][-1]["text"] == "asked about prices"
    assert client.get("/staff/card?number=0301230001").status == 422


def test_a_callback_answered_at_the_extension_pops_its_form_and_card(sides, box_paths):
    public, admin = sides
    client = staff_client(admin)
    stream = open_events(client)
    filed = file(public, when="now", number="030 1230001", email="eva@example.com",
                 note="about the offer")
    assert filed.status == 201
    wait_for(lambda: phone_state(box_paths, "21") == "ringing", "staff phone 21 rings")
    assert run_ctl(box_paths, "phone", "21", "answer").returncode == 0
    (_, pop), = read_events(stream, {"pop"})
    assert pop["kind"] == "callback" and pop["number"] == "+49301230001"
    assert pop["form"]["page_url"] == "https://example.com/prices"
    assert pop["form"]["page_title"] == "Prices" and pop["form"]["name"] == "Eva"
    assert pop["form"]["email"] == "eva@example.com"
    assert pop["form"]["note"] == "about the offer"
    assert pop["card"]["contacts"][0]["kind"] == "callback"
    run_ctl(box_paths, "phone", "21", "hangup")
    progress = read_events(stream, {"progress"})[0][1]
    assert progress["id"] == pop["id"]
    stream.close()


def test_any_call_answered_at_the_extension_pops_the_callers_card(sides, box_paths):
    _, admin = sides
    client = staff_client(admin)
    stream = open_events(client)
    assert run_ctl(box_paths, "sim-call", "0301112222", "5551021").returncode == 0
    wait_for(lambda: phone_state(box_paths, "21") == "ringing", "phone 21 rings")
    assert run_ctl(box_paths, "phone", "21", "answer").returncode == 0
    (_, pop), = read_events(stream, {"pop"})
    assert pop["kind"] == "call" and pop["number"] == "+49301112222"
    assert pop["card"]["number"] == "+49301112222"
    run_ctl(box_paths, "phone", "21", "hangup")
    assert read_events(stream, {"progress"})[0][1] == {"id": pop["id"], "state": "ended",
                                                      "what": "ended"}
    stream.close()
