"""/calls against the real daemon: the call list with its filters, paging and CSV
export, and recordings and voicemail served to the page's audio players."""

from __future__ import annotations

import csv
import io
import json

from firmware.media import wav
from firmware.pbx.cdr import COLUMNS
from tests.system.test_pbx import ctl_json, phone, wait_for
from tests.system.test_public_staff import STAFF, STAFF_PASSWORD
from tests.system.webclient import WebClient, log_in


def two_calls(box_paths) -> None:
    ctl_json(box_paths, "phone", "21", "dial", "00301234567")  # answers after 1 s
    wait_for(lambda: phone(box_paths, "21")["state"] == "connected", "21 is connected")
    ctl_json(box_paths, "phone", "21", "hangup")
    ctl_json(box_paths, "phone", "22", "dial", "00309999999")  # busy
    wait_for(lambda: ctl_json(box_paths, "cdr")["total"] == 2, "two CDRs")


def test_the_call_list_filters_and_exports(admin, box_paths):
    two_calls(box_paths)
    page = admin.get("/calls")
    assert page.status == 200
    assert "2 call records" in page.body and "times in Europe/Berlin" in page.body
    assert "<td>00301234567</td>" in page.body and "<td>00309999999</td>" in page.body
    busy = admin.get("/calls?disposition=busy&number=22")
    assert "1 call record match" in busy.body and "00301234567" not in busy.body
    assert 'href="/calls.csv?number=22&amp;disposition=busy"' in busy.body

    answer = admin.get("/calls.csv?disposition=answered")
    assert answer.status == 200 and answer.content_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.body)))
    assert rows[0] == COLUMNS and len(rows) == 2
    assert rows[1][COLUMNS.index("dst")] == "00301234567"


def test_bad_filters_are_named_beside_their_fields(admin):
    page = admin.get("/calls?direction=sideways&since=soon")
    assert page.status == 200 and set(page.field_errors()) == {"direction", "since"}
    assert admin.get("/calls.csv?since=soon").status == 400


def test_paging_walks_back_through_older_calls(admin, box_paths):
    for n in range(3):
        ctl_json(box_paths, "phone", "22", "dial", f"0030999999{n}")
        wait_for(lambda n=n: ctl_json(box_paths, "cdr")["total"] == n + 1, "a CDR")
    import webadmin.page_calls as calls
    first = admin.get("/calls")
    assert first.body.count("<tr><td>") == 3 and calls.PAGE_SIZE == 50
    older = admin.get("/calls?offset=2")
    assert older.body.count("<tr><td>") == 1 and 'rel="prev"' in older.body
    assert "3–3 of 3" in older.body


def test_recordings_and_voicemail_play_in_the_page(admin, box_paths):
    config = ctl_json(box_paths, "call", "pbx.config")
    config["extensions"][0]["voicemail"] = True
    ctl_json(box_paths, "call", "pbx.configure", json.dumps({"config": config}))
    pcm = wav.pcm_of([(i * 37) % 2000 - 1000 for i in range(8000)])
    (box_paths.data_dir / "recordings").mkdir(parents=True, exist_ok=True)
    wav.write(box_paths.data_dir / "recordings" / "c1-21.wav", pcm, wav.ALAW)
    (box_paths.data_dir / "voicemail" / "21").mkdir(parents=True, exist_ok=True)
    wav.write(box_paths.data_dir / "voicemail" / "21" / "msg0001.wav", pcm, wav.ALAW)

    page = admin.get("/calls").body
    assert '<audio controls preload="none" src="/audio/recording/c1-21.wav">' in page
    assert "<h3>21 Phone 21" in page
    assert 'download="voicemail-21-0001.wav"' in page and "<td>new</td>" in page
    answer = admin.get("/audio/recording/c1-21.wav")
    assert answer.status == 200 and answer.content_type == "audio/wav"
    assert answer.raw == (box_paths.data_dir / "recordings" / "c1-21.wav").read_bytes()
    answer = admin.get("/audio/voicemail/21/0001")
    assert answer.raw == (box_paths.data_dir / "voicemail" / "21" / "msg0001.wav").read_bytes()
    assert admin.get("/audio/recording/..%2Fstore.wav").status in (400, 404)
    assert admin.get("/audio/voicemail/22/0001").status == 404


def test_the_call_list_is_for_admins(admin):
    staff = WebClient(admin.base)
    assert log_in(staff, STAFF, STAFF_PASSWORD).status == 303
    assert staff.get("/calls").status == 403 and staff.get("/calls.csv").status == 403
    assert "/login?next=" in WebClient(admin.base).get("/calls.csv").location
