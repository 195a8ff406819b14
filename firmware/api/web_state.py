"""What the web admin needs kept but may not store itself (it never opens the store):
its users, the secret that signs its session cookies, whether the first-boot setup is
done.

The web admin hashes passwords itself (scrypt); the daemon keeps only the encoded hash
string and checks its shape, so no password ever crosses the API socket twice.
Tables: `web` (one document: secret, public_secret, setup_done) and `web_users` (one per user).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from tinydb import Query

from firmware.api.protocol import BAD_ARGS, NOT_FOUND, ApiError
from firmware.store.database import Store

ROLES = ("admin", "staff")
NAME = re.compile(r"^[a-z][a-z0-9._-]{0,31}$")
# scrypt$n$r$p$salt$hash, as webadmin/auth.py writes it (salt and hash in base64)
HASH = re.compile(r"^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]{16,}\$[A-Za-z0-9+/=]{32,}$")
SECRET_BYTES = 32


class WebState:
    """The web admin's documents in the store."""

    def __init__(self, store: Callable[[], Store]) -> None:
        self._store = store

    def _doc(self) -> dict[str, Any]:
        table = self._store().table("web")
        doc = table.get(doc_id=1)
        if doc is None:
            # The signing secret is made once, on first need, and kept: restarting the
            # daemon or the web admin must not log everybody out.
            doc = {"secret": secrets.token_hex(SECRET_BYTES), "setup_done": False}
            table.insert(doc)
        return dict(doc)

    def state(self) -> dict[str, Any]:
        doc = self._doc()
        return {"setup_done": bool(doc.get("setup_done")), "secret": doc["secret"],
                "users": len(self._store().table("web_users")),
                "timezone": (doc.get("setup") or {}).get("timezone") or "UTC"}

    def public_secret(self) -> str:
        """The key (hex) that signs visitors' request tokens on the public side: kept
        here, not in a file of the web process, so a visitor's token outlives reboots
        and a restored backup, as their request does."""
        doc = self._doc()
        if not doc.get("public_secret"):
            doc["public_secret"] = secrets.token_hex(SECRET_BYTES)
            self._store().table("web").update({"public_secret": doc["public_secret"]},
                                              doc_ids=[1])
        return doc["public_secret"]

    def mark_setup_done(self, answers: dict[str, Any]) -> None:
        self._doc()
        self._store().table("web").update({"setup_done": True, "setup": answers},
                                          doc_ids=[1])

    def users(self) -> list[dict[str, Any]]:
        rows = sorted(self._store().table("web_users").all(), key=lambda u: u["name"])
        return [public_user(u) for u in rows]

    def user(self, name: str) -> dict[str, Any]:
        found = self._store().table("web_users").get(Query().name == name)
        if found is None:
            raise ApiError(NOT_FOUND, f"no user {name!r}")
        return dict(found)

    def add_user(self, name: str, role: str, password_hash: str, extension: str = "",
                 extensions: tuple[str, ...] = ()) -> dict[str, Any]:
        problems = check_user(name, role, password_hash, extension, extensions)
        if self._store().table("web_users").get(Query().name == name) is not None:
            problems.setdefault("name", f"there is already a user {name!r}")
        if problems:
            raise ApiError(BAD_ARGS, "the user was not added: " + "; ".join(
                f"{f}: {m}" for f, m in problems.items()), problems)
        doc = {"name": name, "role": role, "extension": extension if role == "staff" else "",
               "password_hash": password_hash}
        self._store().table("web_users").insert(doc)
        return public_user(doc)

    def remove_user(self, name: str) -> dict[str, Any]:
        user = self.user(name)
        if user["role"] == "admin" and self._admins() == 1:
            raise ApiError(BAD_ARGS, f"{name!r} is the last admin; add another admin first",
                           {"name": "the last admin cannot be removed"})
        self._store().table("web_users").remove(Query().name == name)
        return public_user(user)

    def set_password(self, name: str, password_hash: str) -> dict[str, Any]:
        user = self.user(name)
        if not HASH.match(password_hash):
            raise ApiError(BAD_ARGS, "password_hash is not an encoded scrypt hash",
                           {"password": "not an encoded scrypt hash"})
        self._store().table("web_users").update({"password_hash": password_hash},
                                                Query().name == name)
        return public_user(user)

    def _admins(self) -> int:
        return len(self._store().table("web_users").search(Query().role == "admin"))


def public_user(doc: dict[str, Any]) -> dict[str, Any]:
    return {"name": doc["name"], "role": doc["role"], "extension": doc.get("extension", "")}


def check_user(name: str, role: str, password_hash: str, extension: str,
               extensions: tuple[str, ...]) -> dict[str, str]:
    """Per-field problems of a new user (empty when it is fine)."""
    problems: dict[str, str] = {}
    if not NAME.match(name):
        problems["name"] = ("1 to 32 characters: lower-case letters, digits, '.', '_' or "
                            "'-', starting with a letter")
    if role not in ROLES:
        problems["role"] = f"one of {', '.join(ROLES)}"
    elif role == "staff":
        if not extension:
            problems["extension"] = "staff users belong to an extension"
        elif extension not in extensions:
            problems["extension"] = (f"no extension {extension!r} (there are "
                                     f"{', '.join(extensions) or 'none'})")
    if not HASH.match(password_hash):
        problems["password"] = "not an encoded scrypt hash"
    return problems


