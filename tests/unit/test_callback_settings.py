"""Working-day profiles (who is on duty, the next opening, holidays, DST) and the
validation of callback settings by field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from firmware.callback.settings import CallbackSettings
from firmware.pbx.config import FieldError

DOC = {
    "profiles": [{"name": "office", "timezone": "Europe/Berlin",
                  "week": {"mon": [{"start": "08:00", "end": "12:00", "numbers": ["21", "22"]},
                                   {"start": "13:00", "end": "17:00", "numbers": ["30"]}],
                           "fri": [{"start": "08:00", "end": "14:00", "numbers": ["21"]}]},
                  "holidays": ["2026-12-25"]}],
    "links": [{"id": "sales", "profile": "office"}],
}


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_slots_by_local_time_and_the_next_opening():
    profile = CallbackSettings.from_doc(DOC).profile("office")
    assert profile.slot_at(utc(2026, 11, 23, 7, 30)).numbers == ("21", "22")  # Mon 08:30 CET
    assert profile.slot_at(utc(2026, 11, 23, 11, 30)) is None  # lunch
    assert profile.slot_at(utc(2026, 11, 23, 12, 0)).numbers == ("30",)
    assert profile.next_opening(utc(2026, 11, 23, 11, 30)) == utc(2026, 11, 23, 12, 0)
    # Monday evening: next is Friday 08:00 local
    assert profile.next_opening(utc(2026, 11, 23, 18, 0)) == utc(2026, 11, 27, 7, 0)
    # Christmas Friday is a holiday: the Monday after
    assert profile.next_opening(utc(2026, 12, 24, 18, 0)) == utc(2026, 12, 28, 7, 0)
    # summer time: 08:00 local is 06:00 UTC
    assert profile.next_opening(utc(2026, 6, 1, 0, 0)) == utc(2026, 6, 1, 6, 0)


def test_validation_names_each_field():
    bad = {
        "profiles": [{"name": "office", "timezone": "Mars/Olympus",
                      "week": {"mon": [{"start": "08:00", "end": "07:00", "numbers": ["21"]},
                                       {"start": "9", "end": "10:00",
                                        "numbers": ["1", "2", "3"]}],
                               "someday": []},
                      "holidays": ["25.12."]}],
        "links": [{"id": "Sales!", "profile": "night", "ring_seconds": 500,
                   "limits": {"max_concurrent": 1000}, "notify_email": "nope"},
                  {"id": "x", "colour": "red"}],
    }
    with pytest.raises(FieldError) as info:
        CallbackSettings.from_doc(bad)
    fields = dict(info.value.problems)
    assert "unknown time zone" in fields["profiles[0].timezone"]
    assert fields["profiles[0].week.mon[0].end"] == "must be after the start"
    assert fields["profiles[0].week.mon[1].start"] == "a time as HH:MM"
    assert "one or two numbers" in fields["profiles[0].week.mon[1].numbers"]
    assert "unknown day" in fields["profiles[0].week.someday"]
    assert fields["profiles[0].holidays[0]"] == "a date as YYYY-MM-DD"
    assert "lower-case" in fields["links[0].id"]
    assert fields["links[0].profile"] == "no profile 'night'"
    assert fields["links[0].ring_seconds"] == "between 5 and 120"
    assert fields["links[0].limits.max_concurrent"] == "between 1 and 999"
    assert fields["links[0].notify_email"] == "an email address"
    assert "colour" in fields["links[1]"]


def test_overlapping_slots_are_refused():
    doc = {"profiles": [{"name": "p", "week": {"tue": [
        {"start": "08:00", "end": "12:00", "numbers": ["21"]},
        {"start": "11:00", "end": "13:00", "numbers": ["22"]}]}}]}
    with pytest.raises(FieldError, match="slots overlap at 11:00"):
        CallbackSettings.from_doc(doc)


def test_round_trip():
    settings = CallbackSettings.from_doc(DOC)
    assert CallbackSettings.from_doc(settings.to_doc()) == settings


def test_allowed_origins_are_web_origins():
    doc = {"profiles": [{"name": "p"}], "links": [
        {"id": "a", "profile": "p", "allowed_origins": ["https://www.Example.com/", "x"]}]}
    with pytest.raises(FieldError) as info:
        CallbackSettings.from_doc(doc)
    assert dict(info.value.problems) == {
        "links[0].allowed_origins[1]": "a web origin like https://www.example.com (no path)"}
    doc["links"][0]["allowed_origins"] = ["https://www.Example.com/", "http://127.0.0.1:8000"]
    link = CallbackSettings.from_doc(doc).link("a")
    assert link.allowed_origins == ("https://www.example.com", "http://127.0.0.1:8000")
    assert CallbackSettings.from_doc({"profiles": [{"name": "p"}], "links": [
        {"id": "a", "profile": "p"}]}).link("a").allowed_origins == ()
