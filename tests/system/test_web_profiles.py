"""/profiles against the real daemon: the weekly grid saves slots with up to two
numbers, messages land beside the slot they are about, a rename takes its links along,
and a profile in use cannot be removed."""

from __future__ import annotations

from tests.system.test_callback import ctl_json
from tests.system.test_web_pbx import form_of

BASE = "profiles[0]"


def profile(box_paths, name="office") -> dict:
    config = ctl_json(box_paths, "call", "callback.config")
    return next(p for p in config["profiles"] if p["name"] == name)


def test_the_grid_shows_the_week_and_saves_new_hours(admin, box_paths):
    page = admin.get("/profiles/office")
    assert page.status == 200
    form = form_of(page.body)
    assert form[f"{BASE}.week.mon[0].start"] == "00:00"
    assert form[f"{BASE}.week.mon[0].numbers[1]"] == "22"
    for day in ("mon", "tue", "wed", "thu", "fri"):
        form |= {f"{BASE}.week.{day}[0].start": "08:00", f"{BASE}.week.{day}[0].end": "12:00",
                 f"{BASE}.week.{day}[0].numbers[0]": "21",
                 f"{BASE}.week.{day}[0].numbers[1]": "",
                 f"{BASE}.week.{day}[1].start": "13:00", f"{BASE}.week.{day}[1].end": "17:30",
                 f"{BASE}.week.{day}[1].numbers[0]": "22",
                 f"{BASE}.week.{day}[1].numbers[1]": "21"}
    for day in ("sat", "sun"):
        form |= {f"{BASE}.week.{day}[0].{k}": "" for k in
                 ("start", "end", "numbers[0]", "numbers[1]")}
    form[f"{BASE}.holidays"] = "2026-12-24, 2026-12-25"
    answer = admin.post("/profiles/office", form)
    assert answer.status == 303, answer.field_errors()
    saved = profile(box_paths)
    assert saved["week"]["mon"] == [{"start": "08:00", "end": "12:00", "numbers": ["21"]},
                                    {"start": "13:00", "end": "17:30",
                                     "numbers": ["22", "21"]}]
    assert "sat" not in saved["week"] and saved["holidays"] == ["2026-12-24", "2026-12-25"]


def test_problems_show_beside_their_slot(admin, box_paths):
    form = form_of(admin.get("/profiles/office").body)
    form |= {f"{BASE}.week.tue[0].end": "25:99", f"{BASE}.week.wed[0].numbers[0]": "x1",
             f"{BASE}.week.thu[1].start": "08:00", f"{BASE}.week.thu[1].end": "09:00",
             f"{BASE}.week.thu[1].numbers[0]": "21", f"{BASE}.timezone": "Mars/Base"}
    answer = admin.post("/profiles/office", form)
    errors = answer.field_errors()
    assert errors[f"{BASE}.week.tue[0]"] == "a time as HH:MM"
    assert errors[f"{BASE}.week.wed[0]"] == "digits only"
    assert errors[f"{BASE}.week.thu"] == "slots overlap at 08:00"
    assert errors[f"{BASE}.timezone"].startswith("unknown time zone 'Mars/Base'")
    assert 'value="25:99"' in answer.body
    assert profile(box_paths)["week"]["tue"][0]["end"] == "24:00"  # nothing changed


def test_a_new_profile_then_a_rename_takes_the_link_along(admin, box_paths):
    admin.get("/profiles")
    answer = admin.post("/profiles", {"name": "support"})
    assert answer.status == 303 and answer.location.endswith("/profiles/support?flash="
                                                              "Profile+support+made%3A+now+"
                                                              "give+it+its+hours.")
    assert profile(box_paths, "support")["timezone"] == "Europe/Berlin"  # the office's
    assert admin.post("/profiles", {"name": "support"}).field_errors() == {
        "name": "a second profile named 'support'"}

    form = form_of(admin.get("/profiles/office").body)
    form[f"{BASE}.name"] = "front-desk"
    assert admin.post("/profiles/office", form).status == 303
    config = ctl_json(box_paths, "call", "callback.config")
    assert config["links"][0]["profile"] == "front-desk"


def test_a_profile_in_use_stays(admin, box_paths):
    admin.get("/profiles/office")
    answer = admin.post("/profiles/office/remove", {})
    assert "the link(s) office use this profile" in answer.body
    admin.post("/profiles", {"name": "spare"})
    admin.get("/profiles/spare")
    assert admin.post("/profiles/spare/remove", {}).status == 303
    assert admin.get("/profiles/spare").status == 404
