"""The dial plan: internal numbers, line access, overlap ("not yet"), barring, emergency,
and validation of the PBX settings with per-field messages."""

from __future__ import annotations

import pytest

from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.config import Extension, FieldError, Group, PbxConfig
from firmware.pbx.dialplan import Incomplete, Internal, Outside, Refused, resolve
from firmware.pbx.numbering import NumberClass

DOC = {
    "country": "DE",
    "line_access": "0",
    "extensions": [
        {"number": "21", "name": "Anna", "port": "s0int"},
        {"number": "22", "name": "Ben", "port": "s0int", "barring": "local"},
        {"number": "210", "name": "Fax", "port": "s0int", "barring": "internal"},
        {"number": "23", "name": "Boss", "port": "s0int", "barring": "international",
         "premium": True},
    ],
    "groups": [{"number": "30", "name": "Office", "members": ["21", "22"]}],
    "routes": [{"number": "5551000", "target": "30", "night_target": "voicemail:21"}],
}
CFG = PbxConfig.from_doc(DOC, ports=("trunk", "s0int"))
ANNA, BEN, FAX, BOSS = CFG.extensions


def test_internal_numbers_and_overlap():
    assert resolve("3", ANNA, CFG) == Incomplete()
    assert resolve("30", ANNA, CFG) == Internal(CFG.groups[0])
    assert resolve("21", BEN, CFG) == Incomplete()  # 210 exists: wait for a digit or timeout
    assert resolve("21", BEN, CFG, complete=True) == Internal(ANNA)
    assert resolve("21#", BEN, CFG) == Internal(ANNA)
    assert resolve("210", BEN, CFG) == Internal(FAX)
    assert resolve("29", BEN, CFG) == Refused(CauseValue.UNALLOCATED_NUMBER, "no extension 29")


def test_outside_numbers_need_the_whole_number_and_the_right_class():
    assert resolve("0030", ANNA, CFG) == Incomplete()
    assert resolve("00301234567", ANNA, CFG, complete=True) == \
        Outside("0301234567", NumberClass.NATIONAL)
    barred = resolve("00301234567", BEN, CFG, complete=True)
    assert isinstance(barred, Refused) and barred.cause == CauseValue.OUTGOING_CALLS_BARRED
    assert "national numbers are barred for extension 22" in barred.reason


def test_premium_is_blocked_by_default_even_behind_a_carrier_prefix():
    for dialled in ("00900123456", "0" "01033" "0900123456"):
        got = resolve(dialled, ANNA, CFG, complete=True)
        assert isinstance(got, Refused) and "premium" in got.reason, dialled
    assert resolve("00900123456", BOSS, CFG, complete=True) == \
        Outside("0900123456", NumberClass.PREMIUM)


def test_emergency_always_goes_out_with_or_without_line_access():
    for dialled in ("112", "0112", "110"):
        got = resolve(dialled, FAX, CFG)  # even for an internal-only extension
        assert isinstance(got, Outside) and got.number_class is NumberClass.EMERGENCY


def test_direct_outside_dialling_without_line_access():
    cfg = PbxConfig.from_doc(DOC | {"line_access": ""})
    assert resolve("0301234567", ANNA, cfg, complete=True) == \
        Outside("0301234567", NumberClass.NATIONAL)
    assert resolve("2", ANNA, cfg) == Incomplete()


def test_validation_reports_every_problem_by_field():
    bad = {
        "country": "DE",
        "line_access": "0",
        "extensions": [
            {"number": "21", "port": "nope"},
            {"number": "21", "port": "s0int", "barring": "world"},
            {"number": "05", "port": "s0int"},
            {"number": "24", "kind": "external"},
            {"number": "25", "port": "s0int", "colour": "red"},
        ],
        "groups": [{"number": "30", "members": ["21", "99"], "strategy": "random"},
                   {"number": "112", "members": ["21"]}],
        "routes": [{"number": "555", "target": "31"}, {"number": "x", "target": "fax:1"}],
    }
    with pytest.raises(FieldError) as info:
        PbxConfig.from_doc(bad, ports=("trunk", "s0int"))
    fields = dict(info.value.problems)
    assert fields["groups[1].number"] == "112 is an emergency number"
    assert "no port 'nope'" in fields["extensions[0].port"]
    assert "21 is already extension 21" in fields["extensions[1].number"]
    assert "one of internal" in fields["extensions[1].barring"]
    assert "line access prefix" in fields["extensions[2].number"]
    assert "outside number" in fields["extensions[3].external"]
    assert "colour" in fields["extensions[4]"]
    assert fields["groups[0].members[1]"] == "no extension 99"
    assert "ring-all" in fields["groups[0].strategy"]
    assert fields["routes[0].target"] == "no extension or group 31"
    assert "unknown target kind 'fax'" in fields["routes[1].target"]
    assert "digits only" in fields["routes[1].number"]


def test_unknown_country_is_reported():
    with pytest.raises(FieldError, match="country: unknown country"):
        PbxConfig.from_doc({"country": "XX"})


def test_round_trip_through_the_store_document():
    again = PbxConfig.from_doc(CFG.to_doc())
    assert again == CFG
    assert isinstance(again.internal("30"), Group) and isinstance(again.internal("21"), Extension)
    assert again.route("5551000").night_target == "voicemail:21"
