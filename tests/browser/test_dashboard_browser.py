"""The dashboard as a person sees it in Chromium, against the real daemon."""

from __future__ import annotations

from tests.browser.conftest import set_up_in_browser, shot


def test_dashboard_renders_the_ports_of_the_real_daemon(page, web):
    set_up_in_browser(page, web)
    assert page.title().startswith("Dashboard")
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() >= 2
    names = rows.locator("td:first-child").all_text_contents()
    assert "trunk" in names and "s0int" in names
    shot(page, "dashboard")
    assert page.js_errors == []
