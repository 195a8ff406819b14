"""The daemon's document store: tinydb on atomic storage, with a schema version.

The schema version lives in the reserved table `_meta` as one document {"schema": N}.
Opening a store brings it to the code's version by running migrations, one version at
a time. Each step runs on an in-memory copy and is written back, together with its new
version number, in one atomic write: a crash mid-migration leaves the store at the last
completed step, never half-way through one, and the next open resumes from there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document, Table

from firmware.log import get_logger

from .errors import StoreCorrupt, StoreError
from .storage import AtomicJSONStorage

log = get_logger("store")

META_TABLE = "_meta"
_META_DOC_ID = 1

Migration = Callable[[TinyDB], None]
"""Brings a TinyDB from version target-1 to target. Runs on an in-memory copy."""


def _stored_version(path: str, data: dict[str, dict[str, Any]] | None) -> int | None:
    """The schema version recorded in raw storage data; None for a brand-new store."""
    meta = (data or {}).get(META_TABLE, {})
    doc = meta.get(str(_META_DOC_ID))
    if doc is None:
        if any(table for name, table in (data or {}).items() if name != META_TABLE):
            # Documents but no version: written before versioning existed. Call it 0
            # so every migration runs, rather than guessing it is current.
            return 0
        return None
    version = doc.get("schema") if isinstance(doc, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise StoreCorrupt(path, f"schema version in {META_TABLE} is {version!r}")
    return version


def _meta_doc(version: int) -> Document:
    return Document({"schema": version}, doc_id=_META_DOC_ID)


class Store:
    """An open store. Only the daemon opens one for writing.

    `store.db` is the TinyDB; every insert/update/remove on it is durable when it
    returns. Don't drop or edit the `_meta` table through `db` directly.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        migrations: Mapping[int, Migration] | None = None,
        *,
        schema_version: int,
    ) -> None:
        if not isinstance(schema_version, int) or schema_version < 1:
            raise ValueError(f"schema_version must be an int >= 1, not {schema_version!r}")
        migrations = dict(migrations or {})
        bad = [v for v in migrations if not isinstance(v, int) or not 1 <= v <= schema_version]
        if bad:
            raise ValueError(f"migration targets must be in 1..{schema_version}, got {bad}")
        self.path = os.fspath(path)
        self.db = TinyDB(self.path, storage=AtomicJSONStorage)
        try:
            self.schema_version = self._bring_to(schema_version, migrations)
        except BaseException:
            self.db.close()
            raise

    def _bring_to(self, target: int, migrations: dict[int, Migration]) -> int:
        # Work on raw storage data before any tinydb Table exists, so no table caches a
        # next-id or query result from before a migration.
        storage = self.db.storage
        data = storage.read()
        current = _stored_version(self.path, data)
        if current is None:
            # New store: it is created at the current shape, so there is nothing to
            # migrate; stamping the version is the only write.
            storage.write({META_TABLE: {str(_META_DOC_ID): {"schema": target}}})
            log.info("store_created", path=self.path, schema=target)
            return target
        if current > target:
            raise StoreError(
                f"store schema {current} is newer than this firmware supports ({target}); "
                f"refusing to open {self.path}"
            )
        missing = [v for v in range(current + 1, target + 1) if v not in migrations]
        if missing:
            # Checked before any step runs, so a gap never leaves a half-upgraded store.
            raise StoreError(
                f"store {self.path} is at schema {current} but there is no migration to "
                f"schema {', '.join(map(str, missing))}"
            )
        for version in range(current + 1, target + 1):
            data = self._migrate_step(data or {}, version, migrations[version])
            storage.write(data)
            log.info("store_migrated", path=self.path, schema=version)
        return target

    def _migrate_step(self, data: dict[str, Any], version: int, step: Migration) -> dict:
        scratch = TinyDB(storage=MemoryStorage)
        scratch.storage.write(data)
        try:
            step(scratch)
        except Exception as exc:
            raise StoreError(f"migration of {self.path} to schema {version} failed: {exc}") from exc
        scratch.table(META_TABLE).upsert(_meta_doc(version))
        return scratch.storage.read() or {}

    def table(self, name: str) -> Table:
        if name == META_TABLE:
            raise ValueError(f"table name {META_TABLE!r} is reserved for the store itself")
        return self.db.table(name)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_store(
    path: str | os.PathLike[str],
    migrations: Mapping[int, Migration] | None = None,
    *,
    schema_version: int,
) -> Store:
    """Open (creating if needed) the store at `path`, migrated to `schema_version`.

    `migrations` maps a target version to the function that upgrades from the version
    before it. Raises StoreError for a store newer than `schema_version` or a missing
    migration, StoreCorrupt for a file that is not a store.
    """
    return Store(path, migrations, schema_version=schema_version)
