"""CDR rows: Master.csv column order, durations, dispositions, durable append, paging."""

from __future__ import annotations

import csv

from firmware.pbx.cdr import ANSWERED, BUSY, COLUMNS, FAILED, NO_ANSWER, CdrLog, make_cdr

T0 = 1_790_000_000.0  # 2026-09-21 ...


def leg(n: int, answer: float | None, cause: int | None, **kw):
    kw = {"src": "0301234567", "dst": "21", **kw}
    return make_cdr(uniqueid=f"u{n}", direction="in", channel="trunk:B1", start=T0 + n,
                    answer=answer, end=T0 + n + 65.4, cause=cause, msn="21", **kw)


def test_columns_start_in_master_csv_order():
    assert COLUMNS[:18] == [
        "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel",
        "lastapp", "lastdata", "start", "answer", "end", "duration", "billsec",
        "disposition", "amaflags", "uniqueid", "userfield",
    ]
    assert COLUMNS[18:] == ["direction", "msn", "cause", "linkedid"]


def test_answered_leg_counts_billable_seconds_from_answer():
    cdr = leg(0, T0 + 5.2, 16)
    assert (cdr.duration, cdr.billsec, cdr.disposition, cdr.cause) == (65, 60, ANSWERED, "16")
    assert cdr.start == "2026-09-21 14:13:20"


def test_dispositions_follow_the_cause():
    assert leg(0, None, 17).disposition == BUSY
    assert leg(0, None, 19).disposition == NO_ANSWER
    assert leg(0, None, 16).disposition == NO_ANSWER  # caller gave up while ringing
    assert leg(0, None, 34).disposition == FAILED
    assert leg(0, None, 34).billsec == 0


def test_append_read_and_page(tmp_path):
    path = tmp_path / "cdr.csv"
    log = CdrLog(path)
    assert log.query() == (0, [])
    for n in range(25):
        log.append(leg(n, None if n % 5 == 0 else T0 + n + 1, 16, linkedid="cb-7"))
    log.close()
    with open(path, newline="") as f:  # a plain CSV reader sees the same rows
        rows = list(csv.DictReader(f))
    assert len(rows) == 25 and rows[3]["uniqueid"] == "u3"
    total, page = CdrLog(path).query(lambda r: r["disposition"] == ANSWERED, offset=0, limit=7)
    assert total == 20
    assert [r["uniqueid"] for r in page] == ["u24", "u23", "u22", "u21", "u19", "u18", "u17"]
    assert page[0]["linkedid"] == "cb-7"


def test_a_numbers_calls_come_from_the_index_as_the_full_scan_finds_them(tmp_path):
    log = CdrLog(tmp_path / "cdr.csv")
    numbers = ["0301234567", "00301234567", "21", "22", "0309999999"]
    for n in range(200):
        log.append(leg(n, answer=None, cause=16, src=numbers[n % 5], dst=numbers[n * 3 % 5]))

    def scan(forms):
        return log.query(lambda r: r["src"] in forms or r["dst"] in forms, limit=15)

    forms = {"0301234567", "00301234567"}
    assert log.for_numbers(forms, limit=15) == scan(forms)  # the index is built here
    log.append(leg(200, answer=1.0, cause=16, src="21", dst="00301234567"))  # kept up
    assert log.for_numbers(forms, limit=15) == scan(forms)
    assert log.for_numbers(forms, offset=30, limit=5) == \
        log.query(lambda r: r["src"] in forms or r["dst"] in forms, offset=30, limit=5)
    # a fresh process builds the same index from the file, ignoring a torn tail
    with open(tmp_path / "cdr.csv", "ab") as f:
        f.write(b"2026-11-23 00:00:00,0301234567,")
    assert CdrLog(tmp_path / "cdr.csv").for_numbers(forms, limit=15)[1] == scan(forms)[1]
    assert CdrLog(tmp_path / "none.csv").for_numbers(forms) == (0, [])


def test_the_first_row_of_a_new_file_is_indexed_after_its_header(tmp_path):
    log = CdrLog(tmp_path / "cdr.csv")
    assert log.for_numbers(["21"]) == (0, [])  # index built on an empty file
    log.append(leg(1, answer=None, cause=17, src="21", dst="22"))
    total, rows = log.for_numbers(["21"])
    assert total == 1 and rows[0]["dst"] == "22" and rows[0]["disposition"] == BUSY
