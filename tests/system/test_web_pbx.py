"""The PBX's configuration pages (/lines, /extensions, /groups, /barring) against the
real daemon: each change is checked by the daemon, its message shown beside the cell,
and applied live (the next call already follows it)."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.system.test_pbx import ctl_json, phone, wait_for
from tests.system.test_public_staff import STAFF, STAFF_PASSWORD
from tests.system.webclient import WebClient, log_in

PAGES = ("/lines", "/extensions", "/groups", "/barring")


def config(box_paths) -> dict:
    return ctl_json(box_paths, "call", "pbx.config")


def form_of(answer_body: str) -> dict[str, str]:
    """The page's form as a browser would send it untouched (inputs, selects, ticks)."""
    data = {}
    for tag in re.findall(r"<input [^>]*>", answer_body):
        name = re.search(r'name="([^"]*)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag and " checked" not in tag:
            continue
        data[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<select [^>]*?name="([^"]*)"[^>]*>(.*?)</select>',
                                 answer_body, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body) or \
            re.search(r'<option value="([^"]*)"', body)
        data[html.unescape(name)] = html.unescape(chosen.group(1))
    return data


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_for_admins_and_saves_unchanged(admin, box_paths, path):
    page = admin.get(path)
    assert page.status == 200 and 'name="csrf"' in page.body
    before = config(box_paths)
    answer = admin.post(path, form_of(page.body))
    assert answer.status == 303, answer.field_errors()
    assert config(box_paths) == before  # a form sent back unchanged changes nothing

    anonymous = WebClient(admin.base)
    assert "/login?next=" in anonymous.get(path).location
    staff = WebClient(admin.base)
    log_in(staff, STAFF, STAFF_PASSWORD)
    assert staff.get(path).status == 403
    assert admin.post(path, {**form_of(page.body), "csrf": "forged"}).status == 403


def test_a_new_extension_is_added_and_rings_at_once(admin, box_paths):
    form = form_of(admin.get("/extensions").body)
    new = "extensions[3]."
    form |= {new + "number": "24", new + "name": "Desk 24", new + "kind": "isdn",
             new + "port": "s0int", new + "msn": "21", new + "no_reply_seconds": "20"}
    answer = admin.post("/extensions", form)
    assert answer.status == 303 and "saved+and+applied" in answer.location
    ext = next(e for e in config(box_paths)["extensions"]
               if e["number"] == "24")
    assert ext["name"] == "Desk 24" and ext["barring"] == "national"
    # live: 22 calls 24, whose terminal answers to MSN 21 (phone1 on the S0 bus)
    ctl_json(box_paths, "phone", "22", "dial", "24")
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "24 rings phone 21")
    ctl_json(box_paths, "phone", "22", "hangup")


def test_a_row_keeps_the_settings_its_table_does_not_show(admin, box_paths):
    doc = config(box_paths)
    doc["extensions"][0]["voicemail"] = True
    doc["extensions"][0]["voicemail_email"] = "jana@example.com"
    ctl_json(box_paths, "call", "pbx.configure", json.dumps({"config": doc}))
    form = form_of(admin.get("/extensions").body)
    form["extensions[0].name"] = "Jana"
    assert admin.post("/extensions", form).status == 303
    ext = config(box_paths)["extensions"][0]
    assert (ext["name"], ext["voicemail_email"]) == ("Jana", "jana@example.com")


def test_problems_show_beside_their_cells_and_nothing_changes(admin, box_paths):
    before = config(box_paths)
    form = form_of(admin.get("/groups").body)
    form |= {"groups[0].members": "21, 99", "groups[0].member_seconds": "soon"}
    answer = admin.post("/groups", form)
    assert answer.status == 200
    assert answer.field_errors() == {
        "groups[0].members": "no extension 99",
        "groups[0].member_seconds": "a whole number between 5 and 120"}
    assert 'value="21, 99"' in answer.body and 'value="soon"' in answer.body
    assert "the PBX settings have 2 problem(s)" in answer.body
    assert config(box_paths) == before


def test_removing_a_route_and_renumbering_keeps_messages_on_their_rows(admin, box_paths):
    form = form_of(admin.get("/lines").body)
    form["routes[0]._remove"] = "1"
    form["routes[2].target"] = "77"  # the third row, second after the removal
    answer = admin.post("/lines", form)
    assert answer.field_errors() == {"routes[1].target": "no extension or group 77"}
    form["routes[2].target"] = "22"
    assert admin.post("/lines", form).status == 303
    numbers = [r["number"] for r in config(box_paths)["routes"]]
    assert "5551000" not in numbers and len(numbers) == 2


def test_barring_an_extension_stops_its_next_outside_call(admin, box_paths):
    form = form_of(admin.get("/barring").body)
    assert "extensions[0]._remove" not in form  # the rows are the extensions: fixed
    form |= {"extensions[0].barring": "internal", "blocked_prefixes": "0137, 0180"}
    assert admin.post("/barring", form).status == 303
    doc = config(box_paths)
    assert doc["blocked_prefixes"] == ["0137", "0180"]
    assert doc["extensions"][0]["barring"] == "internal"
    ctl_json(box_paths, "phone", "21", "dial", "00301234567")
    wait_for(lambda: phone(box_paths, "21")["state"] == "idle", "refused")
    assert phone(box_paths, "21")["last_cause"] == 52  # outgoing calls barred
