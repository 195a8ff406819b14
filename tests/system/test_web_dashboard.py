"""The dashboard against the real daemon: calls in progress, the callback queue and
today's counts on the page, and kept live by /dashboard/events as calls come and go."""

from __future__ import annotations

import re

from tests.system.test_pbx import ctl_json, phone, wait_for
from tests.system.test_public_staff import STAFF, STAFF_PASSWORD, read_events
from tests.system.webclient import WebClient, log_in


def open_dashboard_events(client: WebClient):
    import urllib.request
    req = urllib.request.Request(client.base + "/dashboard/events")
    client.jar.add_cookie_header(req)
    return urllib.request.urlopen(req, timeout=30)


def next_update(stream, until) -> dict[str, str]:
    """Updates until one satisfies ``until`` (a test on the merged sections)."""
    seen: dict[str, str] = {}
    for _ in range(40):
        seen |= read_events(stream, {"update"})[0][1]
        if until(seen):
            return seen
    raise AssertionError(f"no update matched; last sections: {sorted(seen)}")


def test_the_page_shows_the_queue_and_counts_for_staff_too(admin, box_paths):
    ctl_json(box_paths, "callback", "office", "030 1230001", "--name", "Eva Kralova",
             "--when", "5m")
    staff = WebClient(admin.base)
    log_in(staff, STAFF, STAFF_PASSWORD)
    page = staff.get("/")
    assert page.status == 200 and "No call in progress." in page.body
    queue = re.search(r'<div id="queue">(.*?)</div>', page.body, re.S).group(1)
    assert "Eva Kralova" in queue and "+49301230001" in queue and "queued" in queue
    assert re.search(r'<strong id="today-total">0</strong> calls today', page.body)
    assert page.body.count('<rect class="answered"') == 24
    assert 'src="/static/dashboard.js"' in page.body
    assert "/login?next=" in WebClient(admin.base).get("/dashboard/events").location


def test_events_bring_a_call_in_then_count_it_today(admin, box_paths):
    stream = open_dashboard_events(admin)
    first = next_update(stream, lambda s: {"ports", "calls", "queue", "today"} <= set(s))
    assert "No call in progress." in first["calls"] and "trunk" in first["ports"]
    assert '<td class="l3">idle</td>' in first["ports"]

    ctl_json(box_paths, "phone", "21", "dial", "00301234567")  # answers after 1 s
    wait_for(lambda: phone(box_paths, "21")["state"] == "connected", "21 is connected")
    live = next_update(stream, lambda s: "connected" in s.get("calls", ""))
    assert "<td>21</td>" in live["calls"] and "<td>00301234567</td>" in live["calls"]
    ports = next_update(stream, lambda s: "U10 ACTIVE" in s.get("ports", ""))["ports"]
    assert re.search(r'<td class="l3">B\d N10 ACTIVE</td>', ports)  # the phone's call, NT
    assert re.search(r'<td class="l3">B\d U10 ACTIVE</td>', ports)  # on the trunk, TE

    ctl_json(box_paths, "phone", "21", "hangup")
    after = next_update(stream, lambda s: "No call in progress." in s.get("calls", "")
                        and '<strong id="today-total">1</strong>' in s.get("today", ""))
    assert "1 answered, 0 missed" in after["today"] and "1 out" in after["today"]
    stream.close()
