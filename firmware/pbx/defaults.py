"""The PBX settings a box starts with before anyone configured it.

A real box starts empty: incoming calls wait for the API until routes exist. The
simulated box (`make run`) starts as a small office so calls work at once: one
extension per simulated ISDN phone (its MSN, 21, 22, ...), group 30 ringing them all,
and on the trunk the MSNs 5551000 (the group) and 55510NN (extension NN).
"""

from __future__ import annotations

from typing import Any

OFFICE_MSN = "5551000"
GROUP = "30"


def default_office(country: str, trunk: str | None, phones: list[tuple[str, str]]
                   ) -> dict[str, Any]:
    """Settings for a box whose trunk port is ``trunk`` and whose simulated phones are
    ``phones`` as (port, msn) pairs."""
    doc: dict[str, Any] = {"country": country, "line_access": "0", "trunk": trunk or ""}
    if not phones or trunk is None:
        return doc
    doc["extensions"] = [{"number": msn, "name": f"Phone {msn}", "port": port}
                         for port, msn in phones]
    doc["groups"] = [{"number": GROUP, "name": "Office",
                      "members": [msn for _, msn in phones]}]
    doc["routes"] = [{"number": OFFICE_MSN, "target": GROUP}] + [
        {"number": OFFICE_MSN[:-len(msn)] + msn, "target": msn} for _, msn in phones]
    return doc
