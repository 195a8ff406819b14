"""The callback widget in Chromium, on the office's website (another origin than the box),
against the real daemon on the simulated line: fill, submit, watch the status change as
the simulated staff phone answers and the simulated visitor is called and joined."""

from __future__ import annotations

import json

from tests.browser.callback_site import box_web, site  # noqa: F401  (fixtures)
from tests.browser.conftest import shot
from tests.system.boxprocs import run_ctl
from tests.system.test_callback import (
    ctl_json,
    phone_state,
    request,
    staff_press,
    wait_for,
)

WAIT = 20_000  # ms: the simulated line under a loaded machine


def widget(page):
    return page.locator("#ringback-widget")


def fill_form(page, number: str, when: str = "now") -> None:
    w = widget(page)
    w.locator("button.open").click()
    w.locator("#rb-number").fill(number)
    w.locator("#rb-name").fill("Eva Novák")
    w.locator("#rb-email").fill("eva@example.com")
    w.locator(f"#rb-when-{when}").check()
    w.locator("#rb-consent").check()


def ask_for_a_callback(page, base: str, box_paths, number: str = "030 1230001"):
    """The visitor asks for a call now on the site's page: (the status line, the request)."""
    page.goto(base + "/")
    fill_form(page, number)
    widget(page).locator("button[type=submit]").click()
    state = widget(page).locator("#rb-state")
    state.filter(has_text="Calling our staff").wait_for(timeout=WAIT)
    return state, ctl_json(box_paths, "callbacks")[0]


def test_a_visitor_is_called_back_and_sees_each_step(page, site, box_paths):  # noqa: F811
    page.goto(site + "/")
    w = widget(page)
    assert w.locator("button.open").inner_text() == "Call me back"
    # the site's CSS (hotpink buttons) stays outside the widget's shadow DOM
    colour = w.locator("button.open").evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(11, 92, 171)"
    shot(page, "widget-button")
    fill_form(page, "030 1230001")  # the simulated visitor presses 1 when asked
    assert w.locator("#rb-country").input_value() == "DE"
    shot(page, "widget-form")
    w.locator("button[type=submit]").click()
    state = w.locator("#rb-state")
    state.filter(has_text="Calling our staff").wait_for(timeout=WAIT)
    shot(page, "widget-calling-staff")
    filed = ctl_json(box_paths, "callbacks")[0]
    assert filed["page_url"] == site + "/" and filed["page_title"] == "Müller & Partner — Prices"
    assert filed["name"] == "Eva Novák" and filed["email"] == "eva@example.com"
    assert filed["language"] == "en" and filed["ip"] == "127.0.0.1"
    wait_for(lambda: phone_state(box_paths, "21") == "ringing", "staff phone 21 rings")
    ctl_json(box_paths, "phone", "21", "answer")
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "staff-answered", "whisper")
    # every text the status line shows from now on, however briefly
    page.evaluate("""() => { const s = document.querySelector('#ringback-widget').shadowRoot
        .querySelector('#rb-state'); window.seen = [s.textContent];
        new MutationObserver(() => window.seen.push(s.textContent))
            .observe(s, {childList: true, characterData: true, subtree: true}); }""")
    staff_press(box_paths, "21", "1", filed["id"])
    state.filter(has_text="You are connected").wait_for(timeout=WAIT)
    shot(page, "widget-connected")
    seen = page.evaluate("window.seen")
    assert "Calling you now — please answer your phone" in seen, seen
    assert seen.index("Calling you now — please answer your phone") < \
        seen.index("You are connected")
    assert w.locator("#rb-cancel").count() == 0  # talking: no cancel button
    run_ctl(box_paths, "phone", "21", "hangup")
    state.filter(has_text="Thank you for your call").wait_for(timeout=WAIT)
    shot(page, "widget-done")
    assert page.js_errors == []


def test_queued_countdown_reschedule_and_cancel(page, site, box_paths):  # noqa: F811
    page.goto(site + "/")
    fill_form(page, "030 1234567", when="5m")
    w = widget(page)
    w.locator("button[type=submit]").click()
    w.locator("#rb-state").filter(has_text="You are number 1 in the queue").wait_for()
    eta = w.locator("#rb-eta")
    assert eta.inner_text().startswith("We will call you in 4:") or \
        eta.inner_text() == "We will call you in 5:00"
    first = eta.inner_text()
    page.wait_for_function("t => document.querySelector('#ringback-widget').shadowRoot"
                           ".querySelector('#rb-eta').textContent !== t", arg=first)
    shot(page, "widget-queued")
    # the page reloads: the request is still followed
    page.reload()
    w.locator("#rb-state").filter(has_text="You are number 1").wait_for()
    w.get_by_role("button", name="Change time").click()
    w.locator("#rb-when-2m").check()
    w.get_by_role("button", name="Save").click()
    page.wait_for_function("() => /in 1:|in 2:00/.test(document.querySelector("
                           "'#ringback-widget').shadowRoot.querySelector('#rb-eta')"
                           ".textContent)")
    assert ctl_json(box_paths, "callbacks")[0]["due"] < ctl_json(
        box_paths, "callbacks")[0]["created"] + 130
    w.locator("#rb-cancel").click()
    w.locator("#rb-state").filter(has_text="Your callback is cancelled").wait_for()
    shot(page, "widget-cancelled")
    assert ctl_json(box_paths, "callbacks")[0]["state"] == "cancelled"
    assert page.js_errors == []


def test_field_errors_beside_the_field(page, site):  # noqa: F811
    page.goto(site + "/")
    w = widget(page)
    w.locator("button.open").click()
    w.locator("button[type=submit]").click()  # the browser's own checks first
    assert w.locator("#rb-err-number").inner_text() == "Please enter your phone number"
    assert w.locator("#rb-err-consent").inner_text() == "Please agree to be called back"
    assert w.locator("#rb-number").get_attribute("aria-invalid") == "true"
    fill_form_again = w.locator("#rb-number")
    fill_form_again.fill("0900 1234567")  # premium rate: the daemon says no
    w.locator("#rb-consent").check()
    w.locator("button[type=submit]").click()
    w.locator("#rb-err-number").filter(has_text="premium-rate").wait_for()
    assert w.locator("#rb-err-consent").inner_text() == ""
    shot(page, "widget-field-error")
    assert page.js_errors == []


def test_the_widget_speaks_german(page, site, box_paths):  # noqa: F811
    page.goto(site + "/?lang=de")
    w = widget(page)
    assert w.locator("button.open").inner_text() == "Rückruf anfordern"
    w.locator("button.open").click()
    assert w.locator("label[for=rb-number]").inner_text() == "Telefonnummer"
    assert w.locator("#rb-country option:checked").inner_text() == "Deutschland"
    w.locator("#rb-number").fill("030 1234567")
    w.locator("#rb-when-5m").check()
    w.locator("#rb-consent").check()
    shot(page, "widget-de-form")
    w.locator("button[type=submit]").click()
    w.locator("#rb-state").filter(has_text="Sie sind Nummer 1 in der Warteschlange").wait_for()
    assert w.locator("#rb-eta").inner_text().startswith("Wir rufen Sie in ")
    shot(page, "widget-de-status")
    assert json.loads(run_ctl(box_paths, "--json", "callbacks").stdout)[0]["language"] == "de"
    assert page.js_errors == []


def test_a_site_that_loads_czech_only_gets_czech_whatever_the_browser_says(page, site):  # noqa: F811
    page.goto(site + "/?only=cs")  # widget.js?lang=cs, in an en-GB browser, no data-lang
    w = widget(page)
    assert w.locator("button.open").inner_text() == "Zavolejte mi"
    w.locator("button.open").click()
    assert w.locator("label[for=rb-number]").inner_text() == "Telefonní číslo"
    w.locator("button[type=submit]").click()  # nothing filled in
    assert "Zadejte prosím své telefonní číslo" in w.locator("form").inner_text()
    shot(page, "widget-cs-only")
    assert page.js_errors == []


def test_the_boxs_refusals_reach_a_german_visitor_in_german(page, site):  # noqa: F811
    page.goto(site + "/?lang=de")
    w = widget(page)
    w.locator("button.open").click()
    w.locator("#rb-number").fill("0900 1234567")  # premium rate: the daemon says no
    w.locator("#rb-consent").check()
    w.locator("button[type=submit]").click()
    w.locator("#rb-err-number").filter(
        has_text="Premium- und Servicenummern können wir nicht zurückrufen").wait_for()
    w.locator("#rb-number").fill("110")
    w.locator("button[type=submit]").click()
    w.locator("#rb-err-number").filter(
        has_text="Notrufnummern können wir nicht zurückrufen").wait_for()
    shot(page, "widget-de-field-error")
    assert page.js_errors == []


def test_a_closed_office_says_so_and_offers_a_time(page, site, box_paths):  # noqa: F811
    from datetime import datetime
    from zoneinfo import ZoneInfo

    settings = ctl_json(box_paths, "call", "callback.config")
    today = datetime.now(ZoneInfo(settings["profiles"][0]["timezone"])).date().isoformat()
    settings["profiles"][0]["holidays"] = [today]
    out = run_ctl(box_paths, "call", "callback.configure", json.dumps({"config": settings}))
    assert out.returncode == 0, out.stderr
    page.goto(site + "/")
    w = widget(page)
    w.locator("button.open").click()
    # the next opening (midnight in the office), in the visitor's own time zone
    assert "We are closed now; we will call you from " in w.locator("form").inner_text()
    assert w.locator("#rb-when-at").is_checked()
    w.locator("#rb-number").fill("030 1234567")
    w.locator("#rb-when-now").check()  # the visitor insists on now: the office is closed
    w.locator("#rb-consent").check()
    w.locator("button[type=submit]").click()
    w.locator("#rb-state").filter(has_text="We are busy — pick a time").wait_for(timeout=WAIT)
    assert ctl_json(box_paths, "callbacks")[0]["reason"].startswith("office closed until")
    assert w.get_by_role("button", name="Save").is_visible()
    shot(page, "widget-busy-pick-a-time")
    assert page.js_errors == []
