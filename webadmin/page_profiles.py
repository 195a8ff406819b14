"""/profiles: the working-day profiles that say who is on duty for callbacks. Each is a
weekly grid: per day, time slots that ring up to two numbers in order; plus holidays.

The form's inputs are named by their path in the callback settings
("profiles[0].week.mon[1].start"), the path the daemon's messages name.
"""

from __future__ import annotations

from typing import Any

import bottle

from firmware.api.protocol import ApiError
from firmware.callback.profiles import DAYS
from webadmin.pages import Web
from webadmin.records import index_of

DAY_NAMES = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                            "Saturday", "Sunday"), strict=True))
MAX_SLOTS = 12  # per day: far more than an office needs, few enough to show


def _slots_of(doc: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """The week as the form shows it: text per slot, two number boxes each."""
    week = doc.get("week") or {}
    return {day: [{"start": s.get("start", ""), "end": s.get("end", ""),
                   "n0": (list(s.get("numbers") or []) + ["", ""])[0],
                   "n1": (list(s.get("numbers") or []) + ["", ""])[1]}
                  for s in week.get(day, ())] for day in DAYS}


def _profile_from_form(forms: bottle.FormsDict, base: str
                       ) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    """The profile document and the slots as typed (blank slots dropped, renumbered)."""
    week: dict[str, list[dict[str, Any]]] = {}
    shown: dict[str, list[dict[str, str]]] = {}
    for day in DAYS:
        count = forms.get(f"{base}.week.{day}.count", "0")
        week[day], shown[day] = [], []
        for j in range(min(int(count) if count.isdigit() else 0, MAX_SLOTS + 1)):
            at = f"{base}.week.{day}[{j}]"
            slot = {k: forms.getunicode(f"{at}.{k}", "").strip() for k in ("start", "end")}
            numbers = [forms.getunicode(f"{at}.numbers[{k}]", "").strip() for k in (0, 1)]
            if not any(slot.values()) and not any(numbers):
                continue
            week[day].append(slot | {"numbers": [n for n in numbers if n]})
            shown[day].append(slot | {"n0": numbers[0], "n1": numbers[1]})
    holidays = forms.getunicode(f"{base}.holidays", "")
    doc = {"name": forms.getunicode(f"{base}.name", "").strip(),
           "timezone": forms.getunicode(f"{base}.timezone", "").strip(),
           "week": {d: s for d, s in week.items() if s},
           "holidays": [h.strip() for h in holidays.replace(";", ",").split(",") if h.strip()]}
    return doc, shown


def register(app: bottle.Bottle, web: Web) -> None:
    web.nav("Profiles", "/profiles")

    def find(settings: dict[str, Any], name: str) -> int:
        return index_of(settings["profiles"], "name", name, "profile")

    def editor(index: int, doc: dict[str, Any], slots: dict[str, list[dict[str, str]]],
               original: str, errors: dict[str, str] | None = None) -> str:
        return web.render("profile", base=f"profiles[{index}]", doc=doc, slots=slots,
                          original=original, days=DAY_NAMES, max_slots=MAX_SLOTS,
                          errors=errors or {})

    @app.get("/profiles")
    @web.require("admin")
    def profiles() -> str:
        settings = web.api("callback.config")
        used = {p["name"]: [k["id"] for k in settings["links"] if k["profile"] == p["name"]]
                for p in settings["profiles"]}
        return web.render("profiles", profiles=settings["profiles"], used=used,
                          form={"name": ""})

    @app.post("/profiles")
    @web.require("admin")
    def add() -> str:
        settings = web.api("callback.config")
        name = bottle.request.forms.getunicode("name", "").strip()
        index = len(settings["profiles"])
        new = {"name": name, "timezone": web.timezone, "week": {}, "holidays": []}
        try:
            web.api("callback.configure", config=dict(
                settings, profiles=[*settings["profiles"], new]))
        except ApiError as e:
            errors = {"name": e.fields.get(f"profiles[{index}].name", e.message)}
            return web.render("profiles", profiles=settings["profiles"], used={},
                              form={"name": name}, errors=errors)
        web.redirect(f"/profiles/{name}", flash=f"Profile {name} made: now give it its hours.")

    @app.get("/profiles/<name>")
    @web.require("admin")
    def show(name: str) -> str:
        settings = web.api("callback.config")
        index = find(settings, name)
        doc = settings["profiles"][index]
        return editor(index, doc, _slots_of(doc), name)

    @app.post("/profiles/<name>")
    @web.require("admin")
    def save(name: str) -> str:
        settings = web.api("callback.config")
        index = find(settings, name)
        doc, shown = _profile_from_form(bottle.request.forms, f"profiles[{index}]")
        profiles = list(settings["profiles"])
        profiles[index] = doc
        # a renamed profile takes its links along
        links = [dict(k, profile=doc["name"]) if k["profile"] == name else k
                 for k in settings["links"]]
        try:
            web.api("callback.configure", config={"links": links, "profiles": profiles})
        except ApiError as e:
            return editor(index, doc, shown, name, web.form_errors(e))
        web.redirect(f"/profiles/{doc['name']}", flash=f"Profile {doc['name']}: saved; the "
                                                       "next callback follows it.")

    @app.post("/profiles/<name>/remove")
    @web.require("admin")
    def remove(name: str) -> str:
        settings = web.api("callback.config")
        index = find(settings, name)
        users = [k["id"] for k in settings["links"] if k["profile"] == name]
        if users:
            doc = settings["profiles"][index]
            return editor(index, doc, _slots_of(doc), name, {
                "_form": f"the link(s) {', '.join(users)} use this profile: give them "
                         "another one first (Links)"})
        profiles = [p for p in settings["profiles"] if p["name"] != name]
        web.api("callback.configure", config=dict(settings, profiles=profiles))
        web.redirect("/profiles", flash=f"Profile {name} removed.")
