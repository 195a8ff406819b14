"""Store: schema version in _meta, migrations in order and exactly once, resumable."""

from __future__ import annotations

import json

import pytest
from tinydb import TinyDB

from firmware.store import META_TABLE, Store, StoreCorrupt, StoreError, open_store


def _on_disk(path) -> dict:
    return json.loads(path.read_bytes())


def _disk_version(path) -> int:
    return _on_disk(path)[META_TABLE]["1"]["schema"]


def _recording(calls: list[int], version: int, effect=None):
    def migrate(db: TinyDB) -> None:
        calls.append(version)
        if effect is not None:
            effect(db)

    return migrate


@pytest.fixture
def v1_store(tmp_path):
    """A store created by firmware that knew schema 1, holding two extensions."""
    path = tmp_path / "store.json"
    with open_store(path, schema_version=1) as store:
        store.table("extensions").insert_multiple([{"ext": "21"}, {"ext": "22"}])
    return path


def test_new_store_is_stamped_without_running_migrations(tmp_path):
    path = tmp_path / "store.json"
    calls: list[int] = []
    migrations = {v: _recording(calls, v) for v in (1, 2, 3)}
    with open_store(path, migrations, schema_version=3) as store:
        assert store.schema_version == 3
    assert calls == []
    assert _on_disk(path) == {META_TABLE: {"1": {"schema": 3}}}


def test_migrations_run_in_order_once_and_persist_the_version(v1_store):
    calls: list[int] = []

    def add_type(db: TinyDB) -> None:
        db.table("extensions").update({"type": "analog"})

    def rename_ext(db: TinyDB) -> None:
        table = db.table("extensions")
        for doc in table.all():
            table.update({"number": doc["ext"]}, doc_ids=[doc.doc_id])

    # Deliberately listed out of order: the store sorts by target version.
    migrations = {3: _recording(calls, 3, rename_ext), 2: _recording(calls, 2, add_type)}

    with open_store(v1_store, migrations, schema_version=3) as store:
        assert store.schema_version == 3
        docs = store.table("extensions").all()
    assert calls == [2, 3]
    assert _disk_version(v1_store) == 3
    assert docs == [
        {"ext": "21", "type": "analog", "number": "21"},
        {"ext": "22", "type": "analog", "number": "22"},
    ]

    with open_store(v1_store, migrations, schema_version=3):
        pass
    assert calls == [2, 3]  # nothing runs twice


def test_crash_mid_migration_resumes_from_last_completed_step(v1_store):
    calls: list[int] = []

    def add_type(db: TinyDB) -> None:
        db.table("extensions").update({"type": "analog"})

    def power_cut(db: TinyDB) -> None:
        # Half of step 3 happens, then the "power goes": an exception stands in for it.
        db.table("extensions").update({"step3": "half"})
        raise RuntimeError("power cut")

    first_try = {2: _recording(calls, 2, add_type), 3: _recording(calls, 3, power_cut)}
    with pytest.raises(StoreError, match="to schema 3 failed: power cut"):
        open_store(v1_store, first_try, schema_version=3)

    assert calls == [2, 3]
    assert _disk_version(v1_store) == 2
    on_disk = _on_disk(v1_store)["extensions"]
    assert all(doc["type"] == "analog" for doc in on_disk.values())  # step 2 complete
    assert all("step3" not in doc for doc in on_disk.values())  # step 3 all-or-nothing

    calls.clear()
    fixed = {2: _recording(calls, 2, add_type), 3: _recording(calls, 3)}
    with open_store(v1_store, fixed, schema_version=3) as store:
        assert store.schema_version == 3
    assert calls == [3]
    assert _disk_version(v1_store) == 3


def test_newer_store_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "store.json"
    open_store(path, schema_version=5).close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        open_store(path, schema_version=3)
    assert "store schema 5 is newer than this firmware supports (3); refusing to open" in str(
        info.value
    )
    assert path.read_bytes() == before


def test_missing_migration_is_refused_before_any_step_runs(v1_store):
    calls: list[int] = []
    with pytest.raises(StoreError, match="no migration to schema 3"):
        open_store(v1_store, {2: _recording(calls, 2)}, schema_version=3)
    assert calls == []
    assert _disk_version(v1_store) == 1


def test_unversioned_store_with_data_counts_as_schema_0(tmp_path):
    path = tmp_path / "store.json"
    path.write_text('{"extensions": {"1": {"ext": "21"}}}')
    calls: list[int] = []
    with open_store(path, {1: _recording(calls, 1)}, schema_version=1):
        pass
    assert calls == [1]
    assert _disk_version(path) == 1


@pytest.mark.parametrize("bad", ['"3"', "-1", "true", "null"])
def test_garbled_version_is_corrupt(tmp_path, bad):
    path = tmp_path / "store.json"
    path.write_text(f'{{"{META_TABLE}": {{"1": {{"schema": {bad}}}}}}}')
    with pytest.raises(StoreCorrupt, match="schema version"):
        open_store(path, schema_version=1)


def test_invalid_arguments_are_programming_errors(tmp_path):
    path = tmp_path / "store.json"
    with pytest.raises(ValueError, match="schema_version"):
        open_store(path, schema_version=0)
    with pytest.raises(ValueError, match="migration targets"):
        open_store(path, {4: lambda db: None}, schema_version=3)
    assert not path.exists()


def test_table_api_durability_and_reserved_meta(tmp_path, mocker):
    path = tmp_path / "store.json"
    with Store(path, schema_version=2) as store:
        close = mocker.spy(store.db.storage, "close")
        doc_id = store.table("callbacks").insert({"number": "+4930123"})
        # Acknowledged = durable: a second opener sees it while the first is still open.
        with open_store(path, schema_version=2) as other:
            assert other.table("callbacks").get(doc_id=doc_id) == {"number": "+4930123"}
        with pytest.raises(ValueError, match="reserved"):
            store.table(META_TABLE)
        assert isinstance(store.db, TinyDB)
    close.assert_called_once()  # the with block closed it


def test_corrupt_store_file_does_not_open(tmp_path):
    path = tmp_path / "store.json"
    path.write_text('{"_default": {')
    with pytest.raises(StoreCorrupt) as info:
        open_store(path, schema_version=1)
    assert str(path) in str(info.value)
