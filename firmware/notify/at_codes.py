"""Error codes a GSM modem reports after `AT+CMEE=1`, with their meanings.

+CME ERROR (3GPP TS 27.007 §9.2) is about the mobile equipment and the SIM; +CMS ERROR
(3GPP TS 27.005 §3.2.5) about the short message service: values 0..127 are the network's
RP/CP causes (3GPP TS 24.011 §8.2.5.4), 300 and up the modem's own.
"""

from __future__ import annotations

CME_ERRORS: dict[int, str] = {
    0: "phone failure",
    3: "operation not allowed",
    4: "operation not supported",
    5: "PH-SIM PIN required",
    10: "SIM not inserted",
    11: "SIM PIN required",
    12: "SIM PUK required",
    13: "SIM failure",
    14: "SIM busy",
    15: "SIM wrong",
    16: "incorrect password",
    17: "SIM PIN2 required",
    18: "SIM PUK2 required",
    20: "memory full",
    30: "no network service",
    31: "network timeout",
    32: "network not allowed - emergency calls only",
    100: "unknown",
}

CMS_ERRORS: dict[int, str] = {
    1: "unassigned (unallocated) number",
    8: "operator determined barring",
    10: "call barred",
    21: "short message transfer rejected",
    27: "destination out of service",
    28: "unidentified subscriber",
    29: "facility rejected",
    30: "unknown subscriber",
    38: "network out of order",
    41: "temporary failure",
    42: "congestion",
    47: "resources unavailable, unspecified",
    50: "requested facility not subscribed",
    69: "requested facility not implemented",
    81: "invalid short message transfer reference value",
    95: "invalid message, unspecified",
    96: "invalid mandatory information",
    97: "message type non-existent or not implemented",
    111: "protocol error, unspecified",
    127: "interworking, unspecified",
    300: "ME failure",
    301: "SMS service of ME reserved",
    302: "operation not allowed",
    303: "operation not supported",
    304: "invalid PDU mode parameter",
    305: "invalid text mode parameter",
    310: "SIM not inserted",
    311: "SIM PIN required",
    312: "PH-SIM PIN required",
    313: "SIM failure",
    314: "SIM busy",
    315: "SIM wrong",
    316: "SIM PUK required",
    317: "SIM PIN2 required",
    318: "SIM PUK2 required",
    320: "memory failure",
    321: "invalid memory index",
    322: "memory full",
    330: "SMSC address unknown",
    331: "no network service",
    332: "network timeout",
    340: "no +CNMA acknowledgement expected",
    500: "unknown error",
}

# Answers that will not change on a retry: the number does not exist or may not get SMS,
# the subscription lacks SMS, or we sent something the modem cannot take.
CMS_PERMANENT = frozenset({1, 8, 10, 21, 28, 29, 30, 50, 69, 96, 97, 303, 304, 305})

# SIM answers where retrying is harmful: every wrong PIN uses up one of three tries.
CME_PERMANENT = frozenset({5, 12, 16, 17, 18})


def meaning(kind: str, code: int) -> str:
    """The standard's wording for +CME/+CMS ERROR `code`, or "unknown code"."""
    table = CMS_ERRORS if kind == "CMS" else CME_ERRORS
    return table.get(code, "unknown code")


def code_for(kind: str, text: str) -> int | None:
    """The number behind a verbose (`AT+CMEE=2`) error text, if it is a standard one."""
    table = CMS_ERRORS if kind == "CMS" else CME_ERRORS
    wanted = text.strip().lower()
    return next((code for code, words in table.items() if words.lower() == wanted), None)
