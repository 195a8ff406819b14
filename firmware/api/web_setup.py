"""The first-boot setup: checks the answers of the web admin's first visit as a whole
(errors by field), then applies them through the same commands the configuration pages
use, so they are validated and take effect live like any other change:

- admin, password_hash → the first admin user;
- country → the PBX's numbering plan (pbx.configure);
- line_type ptmp|ptp and msns / ddi → the trunk's routes (each MSN, or each DDI number
  that ends in an extension's number, routed to it; the first MSN or DDI to the first
  group). The line type is kept as the trunk's mode; the port cannot switch between
  P-MP and P-P live, so the daemon applies it at its next start (`restart_needed`);
- timezone → every PBX schedule and callback working-day profile.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from firmware.api.protocol import BAD_ARGS, ApiError
from firmware.api.web_state import WebState, check_user
from firmware.pbx.numbering import PLANS
from firmware.pbx.schedule import zone

LINE_TYPES = ("ptmp", "ptp")
MAX_MSNS = 10  # EN 300 403 lets the exchange give a P-MP line up to 10 MSNs
DIGITS = re.compile(r"^\d{3,20}$")

_SHAPED_HASH = "scrypt$1$1$1$" + "A" * 16 + "$" + "A" * 32  # stands in for one not made yet
Run = Callable[[str, dict[str, Any]], Awaitable[Any]]


def parse_msns(text: str) -> list[str]:
    return [n for n in re.split(r"[\s,;]+", text.strip()) if n]


def parse_ddi(text: str) -> tuple[str, str]:
    """'5551000-5551099' → ('5551000', '5551099'); raises ValueError with the reason."""
    first, sep, last = text.replace(" ", "").partition("-")
    if not sep or not DIGITS.match(first) or not DIGITS.match(last):
        raise ValueError("a range of numbers like 5551000-5551099")
    if len(first) != len(last) or int(last) < int(first):
        raise ValueError("both ends have the same number of digits and the first is lower")
    if int(last) - int(first) > 9999:
        raise ValueError("at most 10000 numbers")
    return first, last


def check_answers(answers: dict[str, Any], extensions: tuple[str, ...],
                  with_hash: bool = True) -> dict[str, str]:
    """Per-field problems of the setup's answers (empty when all is well). Without
    `with_hash` the password hash is not asked for (a form checked before hashing)."""
    known = {"admin", "password_hash", "country", "line_type", "msns", "ddi", "timezone"}
    problems = {f: "not a setup answer" for f in answers if f not in known}
    if not all(isinstance(v, str) for v in answers.values()):
        return problems | {f: "must be text" for f, v in answers.items()
                           if not isinstance(v, str)}
    hashed = answers.get("password_hash", "") if with_hash else _SHAPED_HASH
    problems |= check_user(answers.get("admin", ""), "admin", hashed, "", extensions)
    if "name" in problems:
        problems["admin"] = problems.pop("name")
    if answers.get("country", "") not in PLANS:
        problems["country"] = f"one of {', '.join(sorted(PLANS))}"
    line = answers.get("line_type", "")
    if line not in LINE_TYPES:
        problems["line_type"] = "ptmp (point-to-multipoint, MSNs) or ptp (point-to-point, DDI)"
    elif line == "ptmp":
        msns = parse_msns(answers.get("msns", ""))
        bad = [n for n in msns if not DIGITS.match(n)]
        if not msns:
            problems["msns"] = "at least one MSN (the numbers the exchange gave the line)"
        elif bad:
            problems["msns"] = f"only digits, 3 to 20 of them: {', '.join(bad)}"
        elif len(msns) > MAX_MSNS:
            problems["msns"] = f"at most {MAX_MSNS} MSNs on a P-MP line"
        elif len(set(msns)) != len(msns):
            problems["msns"] = "each MSN once"
    else:
        try:
            parse_ddi(answers.get("ddi", ""))
        except ValueError as e:
            problems["ddi"] = str(e)
    try:
        zone(answers.get("timezone", ""))
    except ValueError as e:
        problems["timezone"] = str(e)
    return problems


def trunk_routes(answers: dict[str, Any], pbx: dict[str, Any]) -> list[dict[str, Any]]:
    """The trunk's routes for the line's numbers; routes of other numbers are kept."""
    ext_numbers = [e["number"] for e in pbx.get("extensions", [])]
    groups = [g["number"] for g in pbx.get("groups", [])]
    first_target = groups[0] if groups else (ext_numbers[0] if ext_numbers else "")
    if answers["line_type"] == "ptmp":
        numbers = parse_msns(answers["msns"])
    else:
        first, last = parse_ddi(answers["ddi"])
        numbers = [first] + [n for n in (first[:-len(e)] + e for e in ext_numbers
                                         if len(e) < len(first))
                             if first <= n <= last and n != first]
    old = {r["number"]: r for r in pbx.get("routes", [])}
    routes = []
    for n in numbers:
        if n in old:
            routes.append(old[n])
            continue
        target = next((e for e in ext_numbers if n != numbers[0] and n.endswith(e)),
                      first_target)
        if target:
            routes.append({"number": n, "target": target})
    return routes


async def check_setup(answers: dict[str, Any], run: Run) -> dict[str, Any]:
    pbx = await run("pbx.config", {})
    problems = check_answers(answers, tuple(e["number"] for e in pbx.get("extensions", [])),
                             with_hash=False)
    if problems:
        raise _refused(problems)
    return {"ok": True}


def _refused(problems: dict[str, str]) -> ApiError:
    return ApiError(BAD_ARGS, f"the setup has {len(problems)} problem(s): " + "; ".join(
        f"{f}: {m}" for f, m in problems.items()), problems)


async def apply_setup(answers: dict[str, Any], state: WebState, run: Run,
                      trunk_mode: Callable[[], str]) -> dict[str, Any]:
    if state.state()["setup_done"]:
        raise ApiError(BAD_ARGS, "the first-boot setup is already done")
    pbx = await run("pbx.config", {})
    extensions = tuple(e["number"] for e in pbx.get("extensions", []))
    problems = check_answers(answers, extensions)
    if problems:
        raise _refused(problems)
    tz = answers["timezone"]
    pbx = dict(pbx, country=answers["country"], routes=trunk_routes(answers, pbx),
               schedules=[dict(s, timezone=tz) for s in pbx.get("schedules", [])])
    callback = await run("callback.config", {})
    callback = dict(callback, profiles=[dict(p, timezone=tz)
                                        for p in callback.get("profiles", [])])
    await run("pbx.configure", {"config": pbx})
    await run("callback.configure", {"config": callback})
    state.add_user(answers["admin"], "admin", answers["password_hash"])
    line = {"type": answers["line_type"], "msns": parse_msns(answers.get("msns", "")),
            "ddi": answers.get("ddi", "") if answers["line_type"] == "ptp" else ""}
    state.mark_setup_done({"country": answers["country"], "line": line, "timezone": tz})
    restart = trunk_mode() not in ("", line["type"])
    return {"setup_done": True, "restart_needed": restart, "line": line,
            "routes": pbx["routes"]}
