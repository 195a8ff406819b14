"""A profile edit in the weekly grid, in Chromium, takes effect on the next callback: the
office swaps who answers first (22 before 21) for the whole week, and the visitor's
callback rings 22 while 21 stays quiet."""

from __future__ import annotations

from tests.browser.callback_site import box_web, site  # noqa: F401  (fixtures)
from tests.browser.conftest import set_up_in_browser, shot
from tests.browser.test_widget_browser import WAIT, ask_for_a_callback
from tests.system.test_callback import ctl_json, phone_state, request, staff_press, wait_for

BASE = "profiles[0].week"


def cell(page, day: str, name: str):
    return page.locator(f'tr[data-day="{day}"] input[name="{BASE}.{day}[0].{name}"]')


def test_a_profile_edit_rings_the_new_number_on_the_next_callback(
        chromium, page, site, box_web, box_paths):  # noqa: F811
    public, admin = box_web
    set_up_in_browser(page, admin)
    page.goto(admin + "/profiles")
    page.get_by_role("link", name="office").first.click()
    page.wait_for_url(lambda url: url.endswith("/profiles/office"))
    assert cell(page, "mon", "numbers[0]").input_value() == "21"
    assert cell(page, "mon", "numbers[1]").input_value() == "22"
    cell(page, "mon", "numbers[0]").fill("22")
    cell(page, "mon", "numbers[1]").fill("21")
    page.click("#copy-monday")
    assert cell(page, "fri", "numbers[0]").input_value() == "22"
    for day in ("sat", "sun"):  # the weekend by hand: the button copies to weekdays only
        cell(page, day, "numbers[0]").fill("22")
        cell(page, day, "numbers[1]").fill("21")
    shot(page, "profile-edited")
    page.get_by_role("button", name="Save").click()
    page.locator(".flash").wait_for()
    assert "saved" in page.locator(".flash").inner_text()
    shot(page, "profile-saved")
    saved = next(p for p in ctl_json(box_paths, "call", "callback.config")["profiles"]
                 if p["name"] == "office")
    assert all(slots[0]["numbers"] == ["22", "21"] for slots in saved["week"].values())

    visitor = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    state, filed = ask_for_a_callback(visitor, site, box_paths)
    wait_for(lambda: phone_state(box_paths, "22") == "ringing", "staff phone 22 rings")
    assert phone_state(box_paths, "21") != "ringing"
    ctl_json(box_paths, "phone", "22", "answer")
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "staff-answered", "whisper")
    staff_press(box_paths, "22", "1", filed["id"])
    state.filter(has_text="You are connected").wait_for(timeout=WAIT)
    assert request(box_paths, filed["id"])["staff"] == "22"
    shot(visitor, "profile-next-callback-connected")
    ctl_json(box_paths, "phone", "22", "hangup")
    visitor.context.close()
    page.goto(admin + "/links/office")  # the link that rang: its snippet and settings
    assert "data-link=\"office\"" in page.locator("#snippet").input_value()
    shot(page, "link-office")
    assert page.js_errors == []
