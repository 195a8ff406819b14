"""Number classification and call barring: premium and international stay blocked even
behind a carrier-selection prefix; emergency numbers always go through."""

from __future__ import annotations

import pytest

from firmware.pbx.numbering import PLANS, NumberClass, allowed, classify

C = NumberClass


@pytest.mark.parametrize(
    ("country", "digits", "expected", "carrier"),
    [
        ("DE", "112", C.EMERGENCY, ""),
        ("DE", "110", C.EMERGENCY, ""),
        ("DE", "01033112", C.EMERGENCY, "01033"),
        ("DE", "1234567", C.LOCAL, ""),
        ("DE", "0301234567", C.NATIONAL, ""),
        ("DE", "01711234567", C.MOBILE, ""),
        ("DE", "0900123456", C.PREMIUM, ""),
        ("DE", "01033" "0900123456", C.PREMIUM, "01033"),
        ("DE", "010012" "0900123456", C.PREMIUM, "010012"),
        ("DE", "11833", C.PREMIUM, ""),
        ("DE", "0044201234567", C.INTERNATIONAL, ""),
        ("DE", "01033" "0044201234567", C.INTERNATIONAL, "01033"),
        ("DE", "0049301234567", C.NATIONAL, ""),  # our own country dialled as +49
        ("DE", "00499001234", C.PREMIUM, ""),  # premium dialled as +49 900...
        ("GB", "999", C.EMERGENCY, ""),
        ("GB", "09012345678", C.PREMIUM, ""),
        ("GB", "07700900123", C.MOBILE, ""),
        ("US", "911", C.EMERGENCY, ""),
        ("US", "19005551234", C.PREMIUM, ""),
        ("US", "1010321" "19005551234", C.PREMIUM, "1010321"),
        ("US", "01144201234567", C.INTERNATIONAL, ""),
        ("US", "12125551234", C.NATIONAL, ""),
        ("CZ", "155", C.EMERGENCY, ""),
        ("CZ", "900123456", C.PREMIUM, ""),
        ("CZ", "1033" "900123456", C.PREMIUM, "1033"),
        ("CZ", "224123456", C.NATIONAL, ""),
        ("CZ", "602123456", C.MOBILE, ""),
        ("PL", "997", C.EMERGENCY, ""),
        ("PL", "701123456", C.PREMIUM, ""),
        ("PL", "221234567", C.NATIONAL, ""),
        ("RU", "88091234567", C.PREMIUM, ""),
        ("RU", "81049301234567", C.INTERNATIONAL, ""),
        ("FR", "0892123456", C.PREMIUM, ""),
        ("FR", "0612345678", C.MOBILE, ""),
        ("IT", "892123", C.PREMIUM, ""),
        ("IT", "3331234567", C.MOBILE, ""),
        ("NL", "0900123456", C.PREMIUM, ""),
        ("AT", "0900123456", C.PREMIUM, ""),
        ("CH", "117", C.EMERGENCY, ""),
        ("CH", "0901123456", C.PREMIUM, ""),
    ],
)
def test_classify(country, digits, expected, carrier):
    got = classify(digits, country)
    assert (got.number_class, got.carrier_prefix) == (expected, carrier)


def test_every_plan_has_emergency_112_or_911_and_premium_ranges():
    for plan in PLANS.values():
        assert plan.emergency & {"112", "911"}, plan.code
        assert plan.premium, plan.code


def test_office_blocked_prefixes_are_premium():
    assert classify("0180512345", "DE").number_class is C.NATIONAL
    assert classify("0180512345", "DE", ("0180",)).number_class is C.PREMIUM


def test_unknown_country_is_a_clear_error():
    with pytest.raises(ValueError, match="no numbering plan for country 'XX'.*DE"):
        classify("112", "XX")


@pytest.mark.parametrize(
    ("barring", "reachable"),
    [
        ("internal", {C.EMERGENCY}),
        ("local", {C.EMERGENCY, C.LOCAL}),
        ("national", {C.EMERGENCY, C.LOCAL, C.NATIONAL, C.MOBILE}),
        ("international", {C.EMERGENCY, C.LOCAL, C.NATIONAL, C.MOBILE, C.INTERNATIONAL}),
    ],
)
def test_barring_classes(barring, reachable):
    assert {c for c in C if allowed(c, barring)} == reachable
    # Premium needs its own permission, and never for an internal-only extension.
    assert allowed(C.PREMIUM, barring, premium_allowed=True) is (barring != "internal")


def test_unknown_barring_class_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown barring class 'world'"):
        allowed(C.LOCAL, "world")
