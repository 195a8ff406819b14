"""The store: tinydb with atomic writes and schema versions, plus append-only logs.

Only the daemon writes. A write that has returned survives a power cut:

    with open_store("/data/ringback.json", MIGRATIONS, schema_version=3) as store:
        store.table("callbacks").insert({...})      # durable on return
    with JsonLinesLog("/data/cdr.jsonl") as cdrs:
        cdrs.append({...})                           # durable on return
"""

from .atomic import atomic_write_bytes, fsync_dir
from .database import META_TABLE, Migration, Store, open_store
from .errors import StoreCorrupt, StoreError
from .journal import CsvLog, JsonLinesLog
from .storage import AtomicJSONStorage

__all__ = [
    "META_TABLE",
    "AtomicJSONStorage",
    "CsvLog",
    "JsonLinesLog",
    "Migration",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "atomic_write_bytes",
    "fsync_dir",
    "open_store",
]
