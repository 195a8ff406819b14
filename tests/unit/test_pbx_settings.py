"""The PBX settings the call features added: validation by field path and the round
trip through the store document; office-hours schedules; night service on the box."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from firmware.pbx.config import FieldError, PbxConfig
from firmware.pbx.schedule import is_day, parse_holiday, parse_slot
from firmware.pbx.switch import PbxError
from firmware.sim.phones import IDLE, RINGING
from tests.unit.pbx_box import OFFICE, Box

PORTS = ("trunk", "trunk2", "s0int")
FULL = copy.deepcopy(OFFICE) | {
    "transfer_return_seconds": 20,
    "codes": {"pickup": "*4", "directed_pickup": "*7", "dnd": "*5"},
    "schedules": [{"name": "office", "timezone": "Europe/Berlin",
                   "slots": ["mon-fri 08:00-17:30", "sat 09:00-12:00"],
                   "holidays": ["12-25", "2026-12-24"], "mode": "auto"}],
    "lcr": [{"prefix": "00", "lines": ["trunk2", "trunk"]}],
}
FULL["routes"][0] |= {"schedule": "office", "night_target": "21"}
FULL["extensions"][1] |= {"call_waiting": True}


def test_the_new_settings_round_trip():
    cfg = PbxConfig.from_doc(FULL, ports=PORTS)
    assert cfg.codes.pickup == "*4" and cfg.schedules[0].slots[1] == "sat 09:00-12:00"
    assert cfg.lcr[0].lines == ("trunk2", "trunk") and cfg.internal("22").call_waiting
    assert PbxConfig.from_doc(cfg.to_doc(), ports=PORTS) == cfg


def test_the_new_settings_are_validated_by_field():
    bad = copy.deepcopy(FULL)
    bad["transfer_return_seconds"] = 2
    bad["codes"] = {"pickup": "8", "directed_pickup": "*5", "dnd": "*5"}
    bad["schedules"][0] |= {"timezone": "Mars/Olympus", "slots": ["mon-fri 17:00-08:00",
                                                                  "someday 08:00-09:00"],
                            "holidays": ["02-30"], "mode": "dusk"}
    bad["routes"][0]["schedule"] = "shop"
    bad["routes"][1]["schedule"] = "office"  # no night target
    bad["lcr"] = [{"prefix": "0x", "lines": ["isdn9"]}, {"prefix": "1", "lines": []}]
    with pytest.raises(FieldError) as e:
        PbxConfig.from_doc(bad, ports=PORTS)
    fields = dict(e.value.problems)
    assert set(fields) == {
        "transfer_return_seconds", "codes.pickup", "codes.dnd",
        "schedules[0].timezone", "schedules[0].slots[0]", "schedules[0].slots[1]",
        "schedules[0].holidays[0]", "schedules[0].mode", "routes[0].schedule",
        "routes[1].night_target", "lcr[0].prefix", "lcr[0].lines[0]", "lcr[1].lines"}
    assert "same as or the start of codes.directed_pickup" in fields["codes.dnd"]
    assert "no port 'isdn9'" in fields["lcr[0].lines[0]"]


def test_a_number_field_given_as_text_is_a_field_error_not_a_crash():
    bad = copy.deepcopy(FULL)
    bad["extensions"][0]["no_reply_seconds"] = "twenty"
    bad["groups"][0]["timeout_seconds"] = True
    with pytest.raises(FieldError) as e:
        PbxConfig.from_doc(bad, ports=PORTS)
    assert dict(e.value.problems) == {
        "extensions[0].no_reply_seconds": "a whole number between 5 and 120",
        "groups[0].timeout_seconds": "a whole number between 5 and 600"}


def test_slots_and_holidays():
    assert parse_slot("Mon-Fri 08:00-17:30").days == frozenset(range(5))
    assert parse_slot("fri-mon 20:00-24:00").days == frozenset({4, 5, 6, 0})
    assert parse_slot("sat,sun 10:00-11:00").days == frozenset({5, 6})
    assert parse_holiday("12-25") == (None, 12, 25)
    berlin = "Europe/Berlin"
    monday_9 = dt.datetime(2026, 9, 21, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    slots = ("mon-fri 08:00-17:30",)
    assert is_day(slots, (), berlin, monday_9.timestamp())
    assert not is_day(slots, (), "UTC", monday_9.timestamp() - 2 * 3600)  # 05:00 UTC
    assert not is_day(slots, ("09-21",), berlin, monday_9.timestamp())
    assert not is_day(slots, ("2026-09-21",), berlin, monday_9.timestamp())
    assert is_day(slots, ("2025-09-21",), berlin, monday_9.timestamp())
    assert not is_day(slots, (), berlin, monday_9.timestamp() + 6 * 86400)  # Sunday


def night_office(slot: str, holidays: tuple[str, ...] = (), mode: str = "auto") -> dict:
    doc = copy.deepcopy(OFFICE)
    doc["schedules"] = [{"name": "office", "timezone": "UTC", "slots": [slot],
                         "holidays": list(holidays), "mode": mode}]
    doc["routes"][0] |= {"schedule": "office", "night_target": "21"}  # 5551000: group 30
    return doc


# The box's virtual clock starts on Monday 2026-09-21, 14:13 UTC.
@pytest.mark.parametrize("slot, holidays, night", [
    ("mon-fri 08:00-17:00", (), False),
    ("mon-fri 08:00-12:00", (), True),
    ("tue-fri 08:00-17:00", (), True),
    ("mon-fri 08:00-17:00", ("09-21",), True),
])
def test_night_service_routes_by_the_clock(tmp_path, slot, holidays, night):
    box = Box(tmp_path, night_office(slot, holidays))
    box.exchange.call_box("5551000", "0301112222")
    box.run(0.5)
    assert box.phone1.state == RINGING
    assert box.phone2.state == (IDLE if night else RINGING)
    assert box.pbx_events[0].get("night", False) is night


def test_forcing_night_and_back(tmp_path):
    box = Box(tmp_path, night_office("mon-fri 08:00-17:00"))
    saved = []
    box.pbx.save_config = saved.append
    assert box.pbx.schedules_status()[0]["now"] == "day"
    box.pbx.set_schedule_mode("office", "night")
    assert saved[-1].schedule("office").mode == "night"
    assert box.pbx.schedules_status() == [{"name": "office", "mode": "night", "now": "night",
                                           "timezone": "UTC", "routes": ["5551000"]}]
    box.exchange.call_box("5551000", "0301112222")
    box.run(0.5)
    assert (box.phone1.state, box.phone2.state) == (RINGING, IDLE)
    box.pbx.set_schedule_mode("office", "auto")
    assert box.pbx.schedules_status()[0]["now"] == "day"
    with pytest.raises(PbxError, match="no schedule 'shop'"):
        box.pbx.set_schedule_mode("shop", "day")
    with pytest.raises(PbxError, match="mode: one of"):
        box.pbx.set_schedule_mode("office", "dusk")
