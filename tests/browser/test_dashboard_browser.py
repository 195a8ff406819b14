"""The dashboard as a person sees it in Chromium, against the real daemon."""

from __future__ import annotations

from tests.browser.conftest import set_up_in_browser, shot


def test_dashboard_renders_the_ports_of_the_real_daemon(page, web):
    set_up_in_browser(page, web)
    assert page.title().startswith("Dashboard")
    rows = page.locator("#ports table tbody tr")
    assert rows.count() >= 2
    names = rows.locator("td:first-child").all_text_contents()
    assert "trunk" in names and "s0int" in names
    assert page.locator("#ports th").all_text_contents()[4:7] == ["Layer 1", "Layer 2",
                                                                  "Layer 3"]
    shot(page, "dashboard")
    assert page.js_errors == []


def test_a_call_appears_and_leaves_without_a_reload(page, web, box_paths):
    from tests.system.test_pbx import ctl_json, phone, wait_for
    set_up_in_browser(page, web)
    page.locator("#live").filter(has_text="live").wait_for()
    page.evaluate("window.loadedOnce = true")  # gone if the page reloads
    ctl_json(box_paths, "phone", "21", "dial", "00301234567")  # answers after 1 s
    wait_for(lambda: phone(box_paths, "21")["state"] == "connected", "21 is connected")
    page.locator("#calls td.call-state").filter(has_text="connected").wait_for()
    assert "00301234567" in page.locator("#calls").inner_text()
    page.locator("#ports td.l3").filter(has_text="U10 ACTIVE").wait_for()  # the trunk's Q.931
    shot(page, "dashboard-live-call")
    ctl_json(box_paths, "phone", "21", "hangup")
    page.locator("#calls").filter(has_text="No call in progress.").wait_for()
    page.locator("#today-total").filter(has_text="1").wait_for()
    shot(page, "dashboard-after-call")
    assert page.evaluate("window.loadedOnce") is True
    assert page.js_errors == []
