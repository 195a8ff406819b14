"""The PBX settings a box starts with before anyone configured it.

A real box starts empty: incoming calls wait for the API until routes exist. The
simulated box (`make run`) starts as a small office so calls work at once: one
extension per simulated ISDN phone (its MSN, 21, 22, ...), group 30 ringing them all,
and on the trunk the MSNs 5551000 (the group) and 55510NN (extension NN); each
simulated analog phone is an analog extension on its FXS port (23 on fxs1).
"""

from __future__ import annotations

from typing import Any

OFFICE_MSN = "5551000"
GROUP = "30"


def default_office(country: str, trunk: str | None, phones: list[tuple[str, str]],
                   analog: list[tuple[str, str]] = ()) -> dict[str, Any]:
    """Settings for a box whose trunk port is ``trunk`` and whose simulated phones are
    ``phones`` as (port, msn) pairs, and ``analog`` phones as (FXS port, number)."""
    doc: dict[str, Any] = {"country": country, "line_access": "0", "trunk": trunk or ""}
    if not phones or trunk is None:
        return doc
    doc["extensions"] = [{"number": msn, "name": f"Phone {msn}", "port": port}
                         for port, msn in phones]
    # an analog phone takes a second call with its flash key: call waiting on
    doc["extensions"] += [{"number": number, "name": f"Analog {number}", "kind": "analog",
                           "port": port, "call_waiting": True} for port, number in analog]
    doc["groups"] = [{"number": GROUP, "name": "Office",
                      "members": [msn for _, msn in phones]}]
    doc["routes"] = [{"number": OFFICE_MSN, "target": GROUP}] + [
        {"number": OFFICE_MSN[:-len(msn)] + msn, "target": msn}
        for _, msn in [*phones, *analog]]
    return doc
