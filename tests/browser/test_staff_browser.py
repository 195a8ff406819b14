"""The whole callback as two people see it in Chromium: a visitor fills the widget on
the office's website, staff 21 (logged in on the screen-pop page) answers and accepts
on the simulated phone; the visitor's status changes and the staff page pops the card
with the page the visitor came from and the form's data; staff add a note."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tests.browser.callback_site import box_web, site  # noqa: F401  (fixtures)
from tests.browser.conftest import shot
from tests.browser.test_widget_browser import WAIT, ask_for_a_callback
from tests.system.test_callback import ctl_json, phone_state, request, staff_press, wait_for
from tests.system.test_public_staff import STAFF, STAFF_PASSWORD, add_staff_user


def test_the_staff_page_pops_the_visitors_card(chromium, page, site, box_web,  # noqa: F811
                                               box_paths):
    public, admin = box_web
    add_staff_user(admin, box_paths)
    # a desk whose browser runs on another zone still sees the office's times
    staff_context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                         locale="en-GB", timezone_id="America/New_York")
    staff_context.set_default_timeout(15_000)
    staff = staff_context.new_page()
    errors: list[str] = []
    staff.on("pageerror", lambda e: errors.append(str(e)))
    staff.goto(admin + "/staff")
    assert "/login" in staff.url
    staff.fill("#name", STAFF)
    staff.fill("#password", STAFF_PASSWORD)
    staff.click("button[type=submit]")
    staff.wait_for_url(lambda url: url.endswith("/staff"))
    staff.locator("#watch").filter(has_text="Watching extension 21").wait_for()

    # the office called this number once before: the card will show it
    ctl_json(box_paths, "phone", "22", "dial", "00301230001")
    wait_for(lambda: phone_state(box_paths, "22") == "connected", "22 talks to the visitor")
    ctl_json(box_paths, "phone", "22", "hangup")
    wait_for(lambda: ctl_json(box_paths, "cdr")["total"] == 1, "that call's CDR")

    state, filed = ask_for_a_callback(page, site, box_paths)
    wait_for(lambda: phone_state(box_paths, "21") == "ringing", "staff phone 21 rings")
    ctl_json(box_paths, "phone", "21", "answer")

    pop = staff.locator(".pop.card").first
    pop.wait_for(timeout=WAIT)
    assert pop.locator("h2").inner_text() == "Web callback for Eva Novák"
    data = pop.locator("table.form-data").inner_text()
    assert site + "/" in data and "Müller & Partner — Prices" in data
    assert "eva@example.com" in data and "+49301230001" in data
    assert "Caller card +49301230001" in pop.locator(".caller-card").inner_text()
    asked = dt.datetime.fromtimestamp(filed["created"], ZoneInfo("Europe/Berlin"))
    assert asked.strftime("%H:%M") in data.split("Asked at")[1].splitlines()[0], data
    assert "Times in Europe/Berlin." in staff.locator("main").inner_text()
    # this request is on the card's list, but it is no earlier contact; the call is
    assert pop.locator("h4").first.inner_text() == "Earlier contacts (1)"
    assert "— out call, ANSWERED" in pop.locator(".contacts li").inner_text()
    shot(staff, "staff-pop")

    wait_for(lambda: request(box_paths, filed["id"])["state"] == "staff-answered", "whisper")
    staff_press(box_paths, "21", "1", filed["id"])
    state.filter(has_text="You are connected").wait_for(timeout=WAIT)
    pop.locator(".state").filter(has_text="Talking to the visitor").wait_for(timeout=WAIT)
    shot(page, "widget-connected-with-staff")

    pop.locator("form.note textarea").fill("Wants an offer for the annual accounts")
    pop.locator("form.note button").click()
    pop.locator(".notes li").filter(has_text="Wants an offer").wait_for()
    pop.locator("form.ticket input").fill("Send offer")
    pop.locator("form.ticket button").click()
    pop.locator(".tickets li").filter(has_text="Send offer").wait_for()
    shot(staff, "staff-pop-note")
    card = ctl_json(box_paths, "call", "callback.card", '{"number": "+49301230001"}')
    assert card["notes"][-1]["author"] == STAFF
    ctl_json(box_paths, "phone", "21", "hangup")
    pop.locator(".state").filter(has_text="Call ended").wait_for(timeout=WAIT)
    assert errors == [] and page.js_errors == []
    staff_context.close()
