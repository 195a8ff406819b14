"""Callback links and working-day profiles: the office's callback settings.

A link is one published "call me back" button (a number or a purpose: sales, support);
it names the working-day profile that says who is on duty, how long staff phones ring,
the visitor retry policy, its guard limits and who hears about missed contacts. Stored
in the store (table "callback") and validated as a whole, errors by field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from firmware.callback.guard import GuardLimits
from firmware.callback.profiles import Profile, always_open, parse_profile
from firmware.pbx.config import FieldError

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Link:
    id: str
    name: str = ""
    company: str = "Our office"
    profile: str = "office"
    ring_seconds: int = 20  # each staff number rings this long
    visitor_ring_seconds: int = 40  # the visitor's phone rings this long, then: no answer
    announce: bool = True  # the visitor hears who calls and presses 1 (needs the media engine)
    whisper: bool = True  # staff hear who the callback is for and accept with 1
    record: bool = False
    prepaid: bool = False  # the visitor needs a prepaid account (number + PIN) with minutes
    visitor_retries: int = 2  # further attempts when the visitor is busy or does not answer
    retry_minutes: int = 5
    staff_retry_seconds: int = 60  # how soon to try again when all staff are busy
    allowed_regions: tuple[str, ...] = ()  # empty: the box's own country only
    # websites whose pages may embed the widget (CORS), e.g. "https://www.example.com";
    # empty: any origin (the widget needs no cookies, so no credentials are at stake)
    allowed_origins: tuple[str, ...] = ()
    notify_email: str = ""  # staff address for missed contacts
    notify_sms: str = ""
    limits: GuardLimits = field(default_factory=GuardLimits)


@dataclass(frozen=True)
class CallbackSettings:
    links: tuple[Link, ...] = ()
    profiles: tuple[Profile, ...] = ()

    def link(self, link_id: str) -> Link | None:
        return next((k for k in self.links if k.id == link_id), None)

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    def to_doc(self) -> dict[str, Any]:
        links = []
        for k in self.links:
            doc = asdict(k)
            doc["allowed_regions"] = list(k.allowed_regions)
            doc["allowed_origins"] = list(k.allowed_origins)
            links.append(doc)
        return {"links": links, "profiles": [p.to_doc() for p in self.profiles]}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> CallbackSettings:
        problems: list[tuple[str, str]] = []
        profiles = tuple(p for i, raw in enumerate(doc.get("profiles") or ())
                         if (p := parse_profile(raw, f"profiles[{i}]", problems)) is not None)
        names = [p.name for p in profiles]
        for i, name in enumerate(names):
            if name in names[:i]:
                problems.append((f"profiles[{i}].name", f"a second profile named {name!r}"))
        links = []
        for i, raw in enumerate(doc.get("links") or ()):
            link = _link(raw, f"links[{i}]", problems, set(names))
            if link is not None:
                if link.id in {k.id for k in links}:
                    problems.append((f"links[{i}].id", f"a second link named {link.id!r}"))
                links.append(link)
        if problems:
            raise FieldError(problems)
        return cls(tuple(links), profiles)


def _link(raw: Any, where: str, problems: list[tuple[str, str]], profiles: set[str]
          ) -> Link | None:
    if not isinstance(raw, Mapping):
        problems.append((where, "must be a table of settings"))
        return None
    known = {f.name for f in fields(Link)}
    unknown = set(raw) - known
    if unknown:
        problems.append((where, f"unknown setting(s): {', '.join(sorted(unknown))}"))
        return None
    values = dict(raw)
    limits = values.pop("limits", {}) or {}
    try:
        guard = GuardLimits(**limits)
        values["allowed_regions"] = tuple(str(r).upper() for r in
                                          values.get("allowed_regions", ()))
        values["allowed_origins"] = tuple(str(o).rstrip("/").lower() for o in
                                          values.get("allowed_origins", ()))
        link = Link(**values, limits=guard)
    except TypeError as e:
        problems.append((where, str(e).split("__init__() ")[-1]))
        return None
    if not _SLUG.match(str(link.id)):
        problems.append((f"{where}.id", "lower-case letters, digits and dashes (max 32)"))
    if link.profile not in profiles:
        problems.append((f"{where}.profile", f"no profile {link.profile!r}"))
    for name, low, high in (("ring_seconds", 5, 120), ("visitor_ring_seconds", 5, 120),
                            ("visitor_retries", 0, 5),
                            ("retry_minutes", 1, 120), ("staff_retry_seconds", 10, 3600)):
        value = getattr(link, name)
        if not isinstance(value, int) or not low <= value <= high:
            problems.append((f"{where}.{name}", f"between {low} and {high}"))
    if not isinstance(guard.max_concurrent, int) or not 1 <= guard.max_concurrent <= 999:
        problems.append((f"{where}.limits.max_concurrent", "between 1 and 999"))
    for name in ("per_15_minutes", "per_hour", "per_day", "numbers_per_ip_hour",
                 "daily_minutes"):
        if not isinstance(getattr(guard, name), int) or getattr(guard, name) < 1:
            problems.append((f"{where}.limits.{name}", "a positive whole number"))
    for j, origin in enumerate(link.allowed_origins):
        if not _ORIGIN.match(origin):
            problems.append((f"{where}.allowed_origins[{j}]",
                             "a web origin like https://www.example.com (no path)"))
    if link.notify_email and not _EMAIL.match(link.notify_email):
        problems.append((f"{where}.notify_email", "an email address"))
    if link.notify_sms and not link.notify_sms.lstrip("+").isdigit():
        problems.append((f"{where}.notify_sms", "a phone number"))
    return link


def default_settings(staff: tuple[str, ...], company: str = "Our office"
                     ) -> CallbackSettings:
    """First boot of a box with extensions: one link, "office", ringing ``staff`` (the
    first one or two) at any hour, so the simulated office works at once."""
    if not staff:
        return CallbackSettings()
    return CallbackSettings(
        links=(Link(id="office", name="Office", company=company, profile="office"),),
        profiles=(always_open("office", staff[:2]),))
