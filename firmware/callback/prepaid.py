"""Prepaid minutes for a callback link: a visitor's account (their number and a PIN)
holds a balance of seconds; a callback on a prepaid link needs the PIN and a balance,
talks at most that long (a warning tone a minute before the end), and what was talked
is charged per second when the call ends. Kept in the daemon's store (table
"prepaid"); PINs are stored as salted scrypt hashes, compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Any

from tinydb import Query

from firmware.store.database import Store

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


class PrepaidError(ValueError):
    """The account cannot pay for a call; the message is fit for the visitor."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Account:
    number: str  # E.164
    seconds: int

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "seconds": self.seconds,
                "minutes": round(self.seconds / 60, 1)}


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, **_SCRYPT)


class PrepaidAccounts:
    def __init__(self, store: Store) -> None:
        self._table = store.table("prepaid")

    def top_up(self, number: str, minutes: float, pin: str | None = None) -> Account:
        """Add minutes (a new account needs a PIN; a PIN given replaces the old one)."""
        if minutes <= 0:
            raise PrepaidError("minutes", "a positive number of minutes")
        doc = self._table.get(Query().number == number)
        if doc is None and not pin:
            raise PrepaidError("pin", "a new account needs a PIN")
        if pin is not None and not (pin.isdigit() and 4 <= len(pin) <= 8):
            raise PrepaidError("pin", "4 to 8 digits")
        record = dict(doc or {"number": number, "seconds": 0})
        record["seconds"] = int(record["seconds"] + round(minutes * 60))
        if pin:
            salt = os.urandom(16)
            record.update(salt=salt.hex(), pin=_hash(pin, salt).hex())
        self._table.upsert(record, Query().number == number)
        return Account(number, record["seconds"])

    def check(self, number: str, pin: str) -> Account:
        """The account if ``pin`` opens it and it has time left; PrepaidError if not."""
        doc = self._table.get(Query().number == number)
        if doc is None or not pin or not hmac.compare_digest(
                _hash(pin, bytes.fromhex(doc["salt"])).hex(), doc["pin"]):
            raise PrepaidError("pin", "this number has no prepaid account, or the PIN is "
                                      "wrong")
        if doc["seconds"] <= 0:
            raise PrepaidError("pin", "no prepaid minutes are left on this account")
        return Account(number, doc["seconds"])

    def balance(self, number: str) -> int:
        doc = self._table.get(Query().number == number)
        return int(doc["seconds"]) if doc else 0

    def charge(self, number: str, seconds: int) -> Account:
        doc = self._table.get(Query().number == number)
        left = max(0, int(doc["seconds"] if doc else 0) - max(0, seconds))
        self._table.update({"seconds": left}, Query().number == number)
        return Account(number, left)

    def accounts(self) -> list[Account]:
        return [Account(d["number"], int(d["seconds"])) for d in self._table.all()]
