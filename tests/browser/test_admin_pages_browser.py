"""Every page in the admin's menu, opened from the menu in Chromium: each has its
heading, no script error, and a screenshot for a person to look over."""

from __future__ import annotations

from tests.browser.conftest import set_up_in_browser, shot


def test_every_menu_page_opens_from_the_menu(page, web):
    set_up_in_browser(page, web)
    menu = page.locator("header nav a")
    entries = [(a.inner_text().strip(), a.get_attribute("href")) for a in menu.all()]
    names = [name for name, _ in entries]
    assert {"Dashboard", "Calls", "Lines", "Extensions", "Groups", "Profiles", "Links",
            "Barring", "Users", "Notifications", "System", "Screen-pop"} <= set(names), names
    for name, href in entries:
        if not href or not href.startswith("/") or href == "/logout":
            continue
        page.locator(f'nav a[href="{href}"]').first.click()
        page.wait_for_url(lambda url, href=href: url.split("?")[0].endswith(href))
        assert page.locator("h1").first.inner_text().strip(), name
        assert page.locator(f'nav a[href="{href}"]').first.get_attribute("aria-current") \
            == "page", name
        shot(page, "menu-" + name.lower().replace(" ", "-"))
    page.goto(web + "/system")  # a technician reads the log from its newest line up
    assert page.evaluate("(e => e.scrollTop + e.clientHeight >= e.scrollHeight - 1)"
                         "(document.getElementById('logs'))")
    assert page.js_errors == []
