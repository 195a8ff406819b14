"""The daemon's store: its file name, schema version and the migrations between versions.

Bump SCHEMA_VERSION when the shape of stored documents changes, and add the function
that upgrades a store from the version before it to MIGRATIONS under the new number.
"""

from __future__ import annotations

from collections.abc import Callable

from tinydb import TinyDB

STORE_FILE = "ringback.json"
SCHEMA_VERSION = 1
MIGRATIONS: dict[int, Callable[[TinyDB], None]] = {}
