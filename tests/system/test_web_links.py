"""/links against the real daemon: each link shows its embed snippet, its settings and
abuse-guard limits save live with problems beside their fields, and links are made and
removed."""

from __future__ import annotations

from tests.system.test_callback import ctl_json
from tests.system.test_public_staff import STAFF, STAFF_PASSWORD
from tests.system.test_web_pbx import form_of
from tests.system.webclient import WebClient, log_in

BASE = "links[0]"


def link(box_paths, link_id="office") -> dict | None:
    config = ctl_json(box_paths, "call", "callback.config")
    return next((k for k in config["links"] if k["id"] == link_id), None)


def test_the_list_shows_a_snippet_to_paste(admin):
    page = admin.get("/links")
    assert page.status == 200
    assert ('&lt;script src=&quot;http://127.0.0.1:' in page.body
            and 'widget.js&quot; data-link=&quot;office&quot; async&gt;&lt;/script&gt;'
            in page.body)
    assert "(en, de, cs, pl, ru; English otherwise)" in page.body
    assert "<code>widget.js?lang=de</code>" in page.body


def test_settings_and_limits_save_and_apply(admin, box_paths):
    page = admin.get("/links/office")
    form = form_of(page.body)
    assert form[f"{BASE}.limits.max_concurrent"] == "50"
    form |= {f"{BASE}.company": "Novak s.r.o.", f"{BASE}.ring_seconds": "25",
             f"{BASE}.limits.max_concurrent": "999", f"{BASE}.limits.per_hour": "4",
             f"{BASE}.allowed_origins": "https://www.example.com, https://shop.example.com",
             f"{BASE}.record": "1"}
    answer = admin.post("/links/office", form)
    assert answer.status == 303, answer.field_errors()
    saved = link(box_paths)
    assert (saved["company"], saved["ring_seconds"], saved["record"]) == \
        ("Novak s.r.o.", 25, True)
    assert saved["limits"]["max_concurrent"] == 999 and saved["limits"]["per_hour"] == 4
    assert saved["allowed_origins"] == ["https://www.example.com", "https://shop.example.com"]
    again = form_of(admin.get("/links/office").body)
    assert again[f"{BASE}.limits.max_concurrent"] == "999"
    del again[f"{BASE}.record"]  # an unticked box is not sent
    assert admin.post("/links/office", again).status == 303
    assert link(box_paths)["record"] is False


def test_problems_show_beside_their_fields_and_nothing_changes(admin, box_paths):
    before = link(box_paths)
    form = form_of(admin.get("/links/office").body)
    form |= {f"{BASE}.limits.max_concurrent": "1000", f"{BASE}.ring_seconds": "soon",
             f"{BASE}.allowed_origins": "https://ok.example.com, www.example.com/page",
             f"{BASE}.notify_email": "office-at-example"}
    answer = admin.post("/links/office", form)
    assert answer.status == 200
    errors = answer.field_errors()
    assert errors[f"{BASE}.limits.max_concurrent"] == "between 1 and 999"
    assert errors[f"{BASE}.ring_seconds"] == "between 5 and 120"
    assert errors[f"{BASE}.allowed_origins"].startswith("a web origin like")
    assert errors[f"{BASE}.notify_email"] == "an email address"
    assert 'value="1000"' in answer.body
    assert link(box_paths) == before


def test_a_new_link_is_made_then_removed(admin, box_paths):
    admin.get("/links")
    bad = admin.post("/links", {"id": "Sales Team"})
    assert bad.field_errors()["id"] == "lower-case letters, digits and dashes (max 32)"
    taken = admin.post("/links", {"id": "office"})
    assert taken.status == 200 and "id" in taken.field_errors()
    made = admin.post("/links", {"id": "sales"})
    assert made.status == 303 and "/links/sales?flash=" in made.location
    assert link(box_paths, "sales")["profile"] == "office"
    assert 'data-link=&quot;sales&quot;' in admin.get("/links/sales").body
    assert admin.post("/links/sales/remove", {}).status == 303
    assert link(box_paths, "sales") is None
    assert admin.get("/links/sales").status == 404


def test_links_are_for_admins_with_a_valid_form_token(admin):
    staff = WebClient(admin.base)
    log_in(staff, STAFF, STAFF_PASSWORD)
    assert staff.get("/links").status == 403
    assert staff.get("/links/office").status == 403
    assert "/login?next=" in WebClient(admin.base).get("/links").location
    form = form_of(admin.get("/links/office").body)
    assert admin.post("/links/office", {**form, "csrf": "forged"}).status == 403
    assert admin.post("/links/office/remove", {}, csrf=False).status == 403
