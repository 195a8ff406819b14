"""Append-only logs: one durable line per record, torn tails skipped and repaired."""

from __future__ import annotations

import os

import pytest

from firmware.store import CsvLog, JsonLinesLog, StoreCorrupt, StoreError

CDR_FIELDS = ["call_id", "caller", "callee", "seconds"]


# --- JSON lines -------------------------------------------------------------------------


def test_jsonl_round_trip_with_awkward_strings(tmp_path):
    path = tmp_path / "cdr.jsonl"
    records = [
        {"call_id": 1, "caller": "030 1234", "note": "line\nbreak"},
        {"call_id": 2, "caller": "Zoë", "note": "sep\u2028arator"},  # not a line break for us
        {"call_id": 3, "nested": {"legs": [1, 2]}},
    ]
    with JsonLinesLog(path) as log:
        for record in records:
            log.append(record)
    assert path.read_bytes().count(b"\n") == 3
    reader = JsonLinesLog(path)
    assert reader.read() == records
    assert list(reader) == records
    assert reader.torn_tail is None


def test_jsonl_one_write_and_one_fsync_per_record(tmp_path, mocker):
    path = tmp_path / "cdr.jsonl"
    writes = mocker.spy(os, "write")
    fsyncs = mocker.spy(os, "fsync")
    with JsonLinesLog(path) as log:
        for n in range(5):
            log.append({"n": n})
            assert JsonLinesLog(path).read()[-1] == {"n": n}
    assert writes.call_count == 5
    # One per record, plus the directory once because the file was new.
    assert fsyncs.call_count == 5 + 1


def test_jsonl_reading_a_missing_log_creates_nothing(tmp_path):
    path = tmp_path / "cdr.jsonl"
    assert JsonLinesLog(path).read() == []
    assert not path.exists()


@pytest.mark.parametrize(
    "tail",
    [b'{"call_id": 3, "cal', b"\x00\x00\x00\x00", b'{"call_id": 3}', b'{"call_id": 3\n'],
    ids=["half-record", "zero-filled", "complete-but-unterminated", "garbled-last-line"],
)
def test_jsonl_torn_tail_is_skipped_and_reported(tmp_path, tail):
    path = tmp_path / "cdr.jsonl"
    with JsonLinesLog(path) as log:
        log.append({"call_id": 1})
        log.append({"call_id": 2})
    with open(path, "ab") as f:
        f.write(tail)  # what a crash mid-write may leave
    reader = JsonLinesLog(path)
    assert reader.read() == [{"call_id": 1}, {"call_id": 2}]
    assert reader.torn_tail == tail


def test_jsonl_writer_cuts_the_torn_tail_before_appending(tmp_path):
    path = tmp_path / "cdr.jsonl"
    with JsonLinesLog(path) as log:
        log.append({"call_id": 1})
    with open(path, "ab") as f:
        f.write(b'{"call_id": 2, "cal')
    with JsonLinesLog(path) as log:  # the restarted daemon
        log.append({"call_id": 3})
    reader = JsonLinesLog(path)
    assert reader.read() == [{"call_id": 1}, {"call_id": 3}]
    assert reader.torn_tail is None


def test_jsonl_failed_write_does_not_poison_the_next_record(tmp_path, mocker):
    path = tmp_path / "cdr.jsonl"
    real_write = os.write
    calls = []

    def disk_fills_up(fd: int, data: bytes) -> int:
        calls.append(data)
        if len(calls) == 1:
            return real_write(fd, data[:7])  # a short write...
        raise OSError(28, "No space left on device")  # ...then the disk is full

    with JsonLinesLog(path) as log:
        log.append({"call_id": 1})
        mocker.patch.object(os, "write", side_effect=disk_fills_up)
        with pytest.raises(OSError, match="No space left"):
            log.append({"call_id": 2, "caller": "0301234"})
        mocker.stopall()
        assert path.read_bytes().endswith(b'{"call_')  # the partial record is on disk
        log.append({"call_id": 3})
    assert JsonLinesLog(path).read() == [{"call_id": 1}, {"call_id": 3}]


def test_jsonl_bad_line_in_the_middle_is_corruption_not_a_torn_tail(tmp_path):
    path = tmp_path / "cdr.jsonl"
    path.write_bytes(b'{"call_id": 1}\nnot json\n{"call_id": 3}\n')
    with pytest.raises(StoreCorrupt) as info:
        JsonLinesLog(path).read()
    assert str(path) in str(info.value)
    assert "line 2" in str(info.value)


def test_jsonl_unserialisable_record_writes_nothing(tmp_path):
    path = tmp_path / "cdr.jsonl"
    with JsonLinesLog(path) as log:
        with pytest.raises(TypeError):
            log.append({"when": object()})
    assert not path.exists() or path.read_bytes() == b""


# --- CSV --------------------------------------------------------------------------------


def _cdr(call_id: int, **overrides) -> dict:
    return {"call_id": call_id, "caller": "0301234", "callee": "21", "seconds": 60} | overrides


def test_csv_round_trip_header_once(tmp_path):
    path = tmp_path / "cdr.csv"
    with CsvLog(path, CDR_FIELDS) as log:
        log.append(_cdr(1, caller='Müller, "HQ"'))
    with CsvLog(path, CDR_FIELDS) as log:  # reopened: no second header
        log.append({"call_id": 2, "callee": "22"})  # missing fields are empty
    assert path.read_text().splitlines()[0] == "call_id,caller,callee,seconds"
    assert path.read_text().count("call_id") == 1
    assert CsvLog(path, CDR_FIELDS).read() == [
        {"call_id": "1", "caller": 'Müller, "HQ"', "callee": "21", "seconds": "60"},
        {"call_id": "2", "caller": "", "callee": "22", "seconds": ""},
    ]


def test_csv_header_and_first_row_go_out_in_one_write(tmp_path, mocker):
    path = tmp_path / "cdr.csv"
    writes = mocker.spy(os, "write")
    fsyncs = mocker.spy(os, "fsync")
    with CsvLog(path, CDR_FIELDS) as log:
        log.append(_cdr(1))
        log.append(_cdr(2))
    assert [call.args[1].count(b"\n") for call in writes.call_args_list] == [2, 1]
    assert fsyncs.call_count == 2 + 1


@pytest.mark.parametrize(
    "tail",
    [b"3,0301234,2", b"3,0301234,21,60", b"3,0301234\n"],
    ids=["half-row", "complete-but-unterminated", "short-last-row"],
)
def test_csv_torn_tail_is_skipped_and_reported(tmp_path, tail):
    path = tmp_path / "cdr.csv"
    with CsvLog(path, CDR_FIELDS) as log:
        log.append(_cdr(1))
        log.append(_cdr(2))
    with open(path, "ab") as f:
        f.write(tail)
    reader = CsvLog(path, CDR_FIELDS)
    assert [row["call_id"] for row in reader.read()] == ["1", "2"]
    assert reader.torn_tail == tail


def test_csv_torn_header_then_restart(tmp_path):
    path = tmp_path / "cdr.csv"
    path.write_bytes(b"call_id,cal")  # the crash came before the first row was out
    reader = CsvLog(path, CDR_FIELDS)
    assert reader.read() == []
    assert reader.torn_tail == b"call_id,cal"
    with CsvLog(path, CDR_FIELDS) as log:
        log.append(_cdr(1))
    assert path.read_text() == "call_id,caller,callee,seconds\n1,0301234,21,60\n"


def test_csv_writer_cuts_the_torn_tail_before_appending(tmp_path):
    path = tmp_path / "cdr.csv"
    with CsvLog(path, CDR_FIELDS) as log:
        log.append(_cdr(1))
    with open(path, "ab") as f:
        f.write(b"2,030")
    with CsvLog(path, CDR_FIELDS) as log:
        log.append(_cdr(3))
    assert [row["call_id"] for row in CsvLog(path, CDR_FIELDS)] == ["1", "3"]


def test_csv_short_row_in_the_middle_is_corruption(tmp_path):
    path = tmp_path / "cdr.csv"
    path.write_text("call_id,caller,callee,seconds\n1,0301234\n2,0301234,21,60\n")
    with pytest.raises(StoreCorrupt, match="line 2"):
        CsvLog(path, CDR_FIELDS).read()


def test_csv_refuses_line_breaks_and_foreign_columns(tmp_path):
    path = tmp_path / "cdr.csv"
    with CsvLog(path, CDR_FIELDS) as log:
        with pytest.raises(ValueError, match="line break"):
            log.append(_cdr(1, caller="two\nlines"))
        with pytest.raises(ValueError):
            log.append(_cdr(1, unknown="x"))
        assert not path.exists() or path.read_bytes() == b""
        log.append(_cdr(1))
    with CsvLog(path, ["call_id", "seconds"]) as other:
        with pytest.raises(StoreError, match="columns"):
            other.append({"call_id": 2, "seconds": 5})
    assert [row["call_id"] for row in CsvLog(path, CDR_FIELDS)] == ["1"]
