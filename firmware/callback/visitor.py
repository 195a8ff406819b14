"""The visitor's number: parsed and validated with libphonenumber's data (the
`phonenumbers` package), checked against the link's allowed countries and the blocked
ranges, and turned into the digits the box dials on its own trunk.

Only digits produced here ever reach the dialler; whatever the visitor typed stays
text in the request record.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from firmware.pbx.numbering import NumberClass, classify, plan_for

# Types a callback may go to; premium, shared-cost, personal, pager, UAN and voicemail
# numbers cost the office money or reach no person.
CALLABLE_TYPES = {
    PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.TOLL_FREE, PhoneNumberType.VOIP,
}
MAX_INPUT = 40


PREMIUM = "we cannot call back premium-rate or service numbers"


class NumberRejected(ValueError):
    """The number cannot be called back; the message is fit for the visitor, the reason
    a word the widget translates: missing, invalid, region, premium, emergency,
    carrier-prefix."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class VisitorNumber:
    e164: str  # "+49301234567"
    region: str  # ISO country of the number, "DE"
    dial: str  # what the box dials on its trunk, before any line-access prefix
    number_class: NumberClass


def parse_visitor_number(text: str, region_hint: str, box_country: str,
                         allowed_regions: tuple[str, ...] = (),
                         blocked_prefixes: tuple[str, ...] = ()) -> VisitorNumber:
    """Validate ``text`` as typed in the widget (``region_hint``: the country picked in
    the form). ``allowed_regions`` empty means the box's own country only."""
    if not text or len(text) > MAX_INPUT:
        raise NumberRejected("please enter your phone number", "missing")
    _refuse_dialling_tricks(text, region_hint or box_country, blocked_prefixes)
    try:
        number = phonenumbers.parse(text, region_hint.upper() or None)
    except phonenumbers.NumberParseException:
        raise NumberRejected("this is not a phone number we can read", "invalid") from None
    region = phonenumbers.region_code_for_number(number) or ""
    if not phonenumbers.is_valid_number(number):
        raise NumberRejected(f"this is not a valid phone number for {region or 'any country'}",
                             "invalid")
    allowed = allowed_regions or (box_country,)
    if region not in allowed:
        raise NumberRejected(f"we can only call back numbers in {', '.join(allowed)}",
                             "region")
    if phonenumbers.number_type(number) not in CALLABLE_TYPES:
        raise NumberRejected(PREMIUM, "premium")
    dial = _dial_string(number, region, box_country)
    number_class = classify(dial, box_country, blocked_prefixes).number_class
    if number_class in (NumberClass.PREMIUM, NumberClass.EMERGENCY):
        raise NumberRejected(PREMIUM, "premium")
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return VisitorNumber(e164=e164, region=region, dial=dial, number_class=number_class)


def _refuse_dialling_tricks(text: str, region: str, blocked_prefixes: tuple[str, ...]) -> None:
    """Say plainly why a number typed as dialled at home cannot be called: a carrier
    prefix in front (a toll-fraud favourite), an emergency or a premium number."""
    digits = "".join(c for c in text if c.isdigit())
    if text.lstrip().startswith("+") or not digits:
        return
    try:
        found = classify(digits, region, blocked_prefixes)
    except ValueError:
        return  # a country without a plan of ours: libphonenumber alone judges
    if found.carrier_prefix:
        raise NumberRejected("please enter your number without a carrier-selection prefix",
                             "carrier-prefix")
    if found.number_class is NumberClass.EMERGENCY:
        raise NumberRejected("we cannot call back emergency numbers", "emergency")
    if found.number_class is NumberClass.PREMIUM:
        raise NumberRejected(PREMIUM, "premium")


def region_of(e164: str) -> str:
    """The country of an E.164 number ("" when it is none)."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164)) or ""
    except phonenumbers.NumberParseException:
        return ""


def _dial_string(number: phonenumbers.PhoneNumber, region: str, box_country: str) -> str:
    """Digits the trunk needs: national form at home, international prefix abroad."""
    plan = plan_for(box_country)
    if region == box_country:
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        return "".join(c for c in national if c.isdigit())
    national = phonenumbers.national_significant_number(number)
    return f"{plan.international_prefix}{number.country_code}{national}"
