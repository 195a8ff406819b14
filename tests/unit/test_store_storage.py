"""AtomicJSONStorage: tinydb's storage contract, corruption reporting, crash leftovers."""

from __future__ import annotations

import json
import os

import pytest
from tinydb import TinyDB

from firmware.store import AtomicJSONStorage, StoreCorrupt

# Above any Linux pid_max, so never a live process.
DEAD_PID = 999_999_999


def test_missing_and_empty_files_read_as_no_database(tmp_path):
    path = tmp_path / "store.json"
    storage = AtomicJSONStorage(path)
    assert storage.read() is None
    assert not path.exists()  # opening alone writes nothing
    path.write_bytes(b"  \n")
    assert storage.read() is None


def test_write_read_round_trip_is_compact_json(tmp_path):
    path = tmp_path / "store.json"
    storage = AtomicJSONStorage(path)
    data = {"_default": {"1": {"name": "Zoë", "msn": "0301234"}}}
    storage.write(data)
    assert storage.read() == data
    assert json.loads(path.read_bytes()) == data
    assert b" " not in path.read_bytes().replace(b"Zo\xc3\xab", b"")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"_default": {"1": {"a": 1}', "not valid JSON"),
        (b"\xff\xfe garbage", "not valid JSON"),
        (b"[1, 2]", "not an object of tables"),
        (b'{"_default": 3}', "not an object of tables"),
    ],
)
def test_corrupt_file_raises_store_corrupt_naming_the_path(tmp_path, content, reason):
    path = tmp_path / "store.json"
    path.write_bytes(content)
    with pytest.raises(StoreCorrupt) as info:
        AtomicJSONStorage(path).read()
    assert str(path) in str(info.value)
    assert reason in str(info.value)
    assert info.value.path == str(path)


def test_stale_temp_from_a_crash_is_ignored_and_removed(tmp_path):
    path = tmp_path / "store.json"
    path.write_text('{"_default": {"1": {"kept": true}}}')
    stale = tmp_path / f".store.json.tmp-{DEAD_PID}"
    stale.write_text('{"_default": {"1": {"half": "writ')  # the never-renamed new version
    unrelated = tmp_path / f".other.json.tmp-{DEAD_PID}"
    unrelated.write_text("not ours")

    storage = AtomicJSONStorage(path)

    assert storage.read() == {"_default": {"1": {"kept": True}}}
    assert not stale.exists()
    assert unrelated.exists()


def test_temp_of_a_live_writer_is_left_alone(tmp_path):
    # Another live process may be between writing its temp file and renaming it.
    live = tmp_path / f".store.json.tmp-{os.getppid()}"
    live.write_text("{}")
    AtomicJSONStorage(tmp_path / "store.json")
    assert live.exists()


def test_tinydb_insert_is_on_disk_when_it_returns(tmp_path):
    path = tmp_path / "store.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    doc_id = db.table("callbacks").insert({"number": "+4930123"})
    # Read with plain json, not through db: nothing is cached in between.
    on_disk = json.loads(path.read_bytes())
    assert on_disk["callbacks"][str(doc_id)] == {"number": "+4930123"}
    db.close()
