"""What kind of number an extension dialled, per country: the facts call barring needs.

An outside number is classified after the line-access prefix is gone (the dial plan strips
it) and after any carrier-selection prefix (DE 010xx, AT/CH/PL/CZ/IT 10xx, US 101xxxx...)
is set aside, so that "premium behind a carrier prefix" is still premium. Emergency numbers
are matched whole and always win: barring never blocks them.

The tables are national numbering-plan facts (regulators' published plans as summarised
in ITU-T E.164 national plan notifications); they are data, kept in one place, and an
office can add its own blocked prefixes in the configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum


class NumberClass(IntEnum):
    """Ordered by reach: a barring class allows every class up to its own."""

    EMERGENCY = 0
    LOCAL = 1
    NATIONAL = 2
    MOBILE = 3
    INTERNATIONAL = 4
    PREMIUM = 5  # premium rate, directory services, dialers: never by reach alone


@dataclass(frozen=True)
class CountryPlan:
    code: str  # ISO 3166 alpha-2
    country_code: str  # E.164 country calling code
    trunk_prefix: str  # "" where the country has a closed plan (CZ, PL, IT fixed lines)
    international_prefix: str
    emergency: frozenset[str]
    premium: tuple[str, ...]  # prefixes of the national number as dialled in-country
    mobile: tuple[str, ...]
    carrier_selection: str = ""  # regex of a carrier-selection prefix, anchored at start
    carrier: re.Pattern[str] | None = field(init=False, default=None, compare=False)

    def __post_init__(self) -> None:
        if self.carrier_selection:
            object.__setattr__(self, "carrier", re.compile(self.carrier_selection))


def _plan(code: str, cc: str, trunk: str, intl: str, emergency: str, premium: str,
          mobile: str, carrier: str = "") -> CountryPlan:
    return CountryPlan(code, cc, trunk, intl, frozenset(emergency.split()),
                       tuple(premium.split()), tuple(mobile.split()), carrier)


PLANS: dict[str, CountryPlan] = {p.code: p for p in (
    # DE: 0900 premium, 0137/0138 mass calling, 118xx directory, 0190/09009 old dialers.
    _plan("DE", "49", "0", "00", "110 112 115 116116 116117",
          "0900 09009 0137 0138 0190 118", "015 016 017", r"0100\d\d|010[1-9]\d"),
    _plan("AT", "43", "0", "00", "112 122 133 144 140 141 128",
          "0900 0901 0930 0931 0939 118", "0650 0660 0664 0676 0680 0681 0688 0699",
          r"10\d\d"),
    _plan("CH", "41", "0", "00", "112 117 118 144 143 145 147 1414 1415",
          "0900 0901 0906 18", "075 076 077 078 079", r"10\d\d\d?"),
    _plan("GB", "44", "0", "00", "999 112 111 101",
          "09 118 0871 0872 0873", "071 072 073 074 075 077 078 079"),
    _plan("US", "1", "1", "011", "911 933",
          "1900 900 1976 976", "", r"101\d\d\d\d"),
    _plan("PL", "48", "", "00", "112 997 998 999 991 992 993 994 986 987",
          "700 701 703 704 705 708 118", "45 50 51 53 57 60 66 69 72 73 78 79 88",
          r"10\d\d"),
    _plan("CZ", "420", "", "00", "112 150 155 156 158",
          "900 906 908 909 1180 1181", "601 602 603 604 605 606 607 608 72 73 77 79",
          r"10\d\d"),
    _plan("RU", "7", "8", "810", "112 101 102 103 104 01 02 03 04",
          "8809", "89"),
    _plan("FR", "33", "0", "00", "112 15 17 18 114 115 119 191 196 197",
          "089 0836 118", "06 07", r"16\d\d"),
    _plan("NL", "31", "0", "00", "112",
          "0900 0906 0909 18", "06", r"16\d\d"),
    _plan("IT", "39", "", "00", "112 113 115 117 118 1515 1530",
          "89 12 144 166 709", "3", r"10\d\d\d?"),
)}


@dataclass(frozen=True)
class Classified:
    """A dialled outside number: its class, the carrier prefix if one was used, and the
    number without it (what the trunk dials is still the original digits)."""

    number_class: NumberClass
    carrier_prefix: str
    national: str


def plan_for(country: str) -> CountryPlan:
    try:
        return PLANS[country.upper()]
    except KeyError:
        raise ValueError(
            f"no numbering plan for country {country!r} (known: {', '.join(sorted(PLANS))})"
        ) from None


def classify(digits: str, country: str, extra_premium: tuple[str, ...] = ()) -> Classified:
    """Classify ``digits`` (an outside number as dialled in ``country``, line-access
    prefix already removed). ``extra_premium`` are the office's own blocked prefixes."""
    plan = plan_for(country)
    if digits in plan.emergency:
        return Classified(NumberClass.EMERGENCY, "", digits)
    carrier = ""
    rest = digits
    if plan.carrier is not None:
        match = plan.carrier.match(digits)
        if match and len(digits) > match.end():
            carrier, rest = digits[: match.end()], digits[match.end():]
    if rest in plan.emergency:  # an emergency call behind a carrier prefix still goes out
        return Classified(NumberClass.EMERGENCY, carrier, rest)
    if rest.startswith(plan.international_prefix):
        international = rest[len(plan.international_prefix):]
        if international.startswith(plan.country_code):  # our own country, dialled as +CC
            rest = plan.trunk_prefix + international[len(plan.country_code):]
        else:
            return Classified(NumberClass.INTERNATIONAL, carrier, rest)
    if rest.startswith(plan.premium + extra_premium):
        return Classified(NumberClass.PREMIUM, carrier, rest)
    if plan.mobile and rest.startswith(plan.mobile):
        return Classified(NumberClass.MOBILE, carrier, rest)
    if plan.trunk_prefix and rest.startswith(plan.trunk_prefix):
        return Classified(NumberClass.NATIONAL, carrier, rest)
    if not plan.trunk_prefix and len(rest) >= 9:  # closed plans: a full national number
        return Classified(NumberClass.NATIONAL, carrier, rest)
    return Classified(NumberClass.LOCAL, carrier, rest)


BARRING_CLASSES: dict[str, NumberClass | None] = {
    "internal": None,  # internal numbers and emergency only
    "local": NumberClass.LOCAL,
    "national": NumberClass.MOBILE,  # national includes mobiles
    "international": NumberClass.INTERNATIONAL,
}


def allowed(number_class: NumberClass, barring: str, premium_allowed: bool = False) -> bool:
    """May an extension of barring class ``barring`` call a number of ``number_class``?"""
    if barring not in BARRING_CLASSES:
        raise ValueError(
            f"unknown barring class {barring!r} (one of {', '.join(BARRING_CLASSES)})"
        )
    if number_class is NumberClass.EMERGENCY:
        return True
    if number_class is NumberClass.PREMIUM:
        return premium_allowed and BARRING_CLASSES[barring] is not None
    reach = BARRING_CLASSES[barring]
    return reach is not None and number_class <= reach
