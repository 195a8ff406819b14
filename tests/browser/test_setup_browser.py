"""First-boot setup in Chromium against the real daemon: a fresh box sends every page to
the setup; mistakes come back beside their fields with what was typed kept; the finished
setup logs the admin in on the live dashboard, and the setup page is gone."""

from __future__ import annotations

from tests.browser.conftest import shot
from tests.system.test_callback import ctl_json
from tests.system.webclient import ADMIN, PASSWORD, SETUP


def test_first_boot_setup_in_the_browser(page, web, box_paths):
    page.goto(web + "/calls")
    assert page.url.endswith("/setup")
    assert page.locator("h1").inner_text() == "Welcome: set up this box"
    shot(page, "setup-empty")

    page.fill("#admin", ADMIN)
    page.fill("#password", "short")
    page.fill("#password2", "different")
    page.fill("#msns", "5551000, 55510x1")
    page.fill("#timezone", "Europe/Atlantis")
    page.click("button[type=submit]")
    page.locator("#password-error").filter(has_text="10").wait_for()
    assert page.locator("#password").get_attribute("aria-invalid") == "true"
    assert page.locator("#msns-error").inner_text() != ""
    assert page.locator("#timezone-error").inner_text() != ""
    assert page.locator("#admin").input_value() == ADMIN  # what was typed stays
    assert page.locator("#msns").input_value() == "5551000, 55510x1"
    shot(page, "setup-errors")

    for name in ("password", "password2", "msns", "timezone"):
        page.fill(f"#{name}", SETUP[name])
    page.select_option("#country", "CZ")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/setup" not in url)
    assert page.locator(".flash").inner_text().startswith(f"Setup done: welcome, {ADMIN}")
    page.locator("#live").filter(has_text="live").wait_for()  # the dashboard's event stream
    assert page.locator("#ports table tbody tr").count() >= 2
    shot(page, "setup-done-dashboard")
    assert ctl_json(box_paths, "status")["country"] == "CZ"
    assert ctl_json(box_paths, "call", "pbx.config")["country"] == "CZ"

    assert page.goto(web + "/setup").status == 404  # setup is done once
    page.get_by_role("button", name="Log out").click()
    page.goto(web + "/")
    assert "/login" in page.url
    page.fill("#name", ADMIN)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    assert page.title().startswith("Dashboard")
    page.goto(web + "/notifications")  # a page a new box is configured on next
    assert page.locator("#email\\.on").is_checked() is False
    shot(page, "notifications-new-box")
    assert page.js_errors == []
