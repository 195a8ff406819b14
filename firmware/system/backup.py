"""A backup of the office's settings as one JSON document, and its restore.

What a backup holds: the PBX (extensions, groups, routes...), the callback links and
profiles, the notification settings (with the SMTP password and SIM PIN: a backup must
bring a box back as it was), and the web admin's users and secrets. What it does not
hold: call records, voicemail, recordings and the callback journal (data, not settings;
they stay on the box).

A restore checks the whole document first (every problem named by field, prefixed with
its part: "pbx.extensions[2].port"); only when all of it is good does it replace
anything, so a bad file never leaves a half-restored box.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tinydb import Query

from firmware.api.web_state import HASH, NAME, ROLES
from firmware.callback.settings import CallbackSettings
from firmware.notify.settings import NotifySettings
from firmware.pbx.config import FieldError, PbxConfig
from firmware.store.database import Store

FORMAT = "ringback-backup"
VERSION = 1
SERVICE_PARTS = ("pbx", "callback", "notify")  # applied live through their services
USERS = "web_users"


class BackupError(ValueError):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


@dataclass(frozen=True)
class Restorable:
    """A checked backup: the parsed settings, ready to apply."""

    pbx: PbxConfig | None
    callback: CallbackSettings | None
    notify: NotifySettings | None
    web: dict[str, Any]
    users: list[dict[str, Any]]


def make_backup(store: Store, live: Mapping[str, Any], firmware: str) -> dict[str, Any]:
    """``live``: the settings the services run with now ({"pbx": doc, "callback": doc,
    "notify": doc}), defaults included, so a box never configured backs up as it runs."""
    tables: dict[str, Any] = {name: live.get(name) for name in SERVICE_PARTS}
    web = store.table("web").get(doc_id=1)
    tables["web"] = dict(web) if web is not None else None
    tables[USERS] = [dict(u) for u in store.table(USERS).all()]
    return {"format": FORMAT, "version": VERSION, "firmware": firmware,
            "schema": store.schema_version,
            "made": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "tables": tables}


def check_backup(doc: Any, ports: Iterable[str]) -> Restorable:
    """Parse and validate a whole backup; raises BackupError naming every problem."""
    if not isinstance(doc, Mapping) or doc.get("format") != FORMAT:
        raise BackupError([("backup", "not a Ringback backup (made on System → Backup)")])
    if doc.get("version") != VERSION:
        raise BackupError([("backup", f"backup format version {doc.get('version')!r}; "
                                      f"this firmware reads version {VERSION}")])
    tables = doc.get("tables")
    if not isinstance(tables, Mapping):
        raise BackupError([("tables", "missing: the backup has no settings in it")])
    problems: list[tuple[str, str]] = []

    def part(name: str, parse: Callable[[Mapping[str, Any]], Any]) -> Any:
        raw = tables.get(name)
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            problems.append((name, "must be a table of settings"))
            return None
        try:
            return parse(raw)
        except FieldError as e:
            problems.extend((f"{name}.{f}", m) for f, m in e.problems)
            return None

    pbx = part("pbx", lambda raw: PbxConfig.from_doc(raw, ports))
    callback = part("callback", CallbackSettings.from_doc)
    notify = part("notify", NotifySettings.from_doc)
    web = tables.get("web") or {}
    if not isinstance(web, Mapping) or not isinstance(web.get("secret", ""), str):
        problems.append(("web", "must be a table with the session secret"))
        web = {}
    users = _check_users(tables.get(USERS) or [], problems)
    if problems:
        raise BackupError(problems)
    return Restorable(pbx, callback, notify, dict(web), users)


def _check_users(raw: Any, problems: list[tuple[str, str]]) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        problems.append((USERS, "must be a list of users"))
        return []
    users = []
    for i, user in enumerate(raw):
        where = f"{USERS}[{i}]"
        if not isinstance(user, Mapping):
            problems.append((where, "must be a table (name, role, password_hash)"))
            continue
        if not NAME.match(str(user.get("name", ""))):
            problems.append((f"{where}.name", "lower-case letters, digits, . _ - (max 32)"))
        if user.get("role") not in ROLES:
            problems.append((f"{where}.role", f"one of {', '.join(ROLES)}"))
        if not HASH.match(str(user.get("password_hash", ""))):
            problems.append((f"{where}.password_hash", "not a password hash this box made"))
        users.append({"name": user.get("name"), "role": user.get("role"),
                      "password_hash": user.get("password_hash"),
                      "extension": str(user.get("extension", ""))})
    if users and not any(u["role"] == "admin" for u in users):
        problems.append((USERS, "needs at least one admin, or nobody could log in"))
    return users


def write_web_tables(store: Store, web: dict[str, Any], users: list[dict[str, Any]]) -> None:
    """The web admin's documents from a backup (its other parts go through the
    services, which apply them live). Users are written before the ones not in the
    backup go, so a power cut midway never leaves the box without an admin."""
    table = store.table("web")
    if table.get(doc_id=1) is None:
        table.insert(web)
    elif web:
        table.update(web, doc_ids=[1])
    users_table, who = store.table(USERS), Query()
    for user in users:
        users_table.upsert(user, who.name == user["name"])
    keep = {u["name"] for u in users}
    users_table.remove(who.name.test(lambda name: name not in keep))
