"""CDR rows: Master.csv column order, durations, dispositions, durable append, paging."""

from __future__ import annotations

import csv

from firmware.pbx.cdr import ANSWERED, BUSY, COLUMNS, FAILED, NO_ANSWER, CdrLog, make_cdr

T0 = 1_790_000_000.0  # 2026-09-21 ...


def leg(n: int, answer: float | None, cause: int | None, **kw):
    return make_cdr(uniqueid=f"u{n}", src="0301234567", dst="21", direction="in",
                    channel="trunk:B1", start=T0 + n, answer=answer, end=T0 + n + 65.4,
                    cause=cause, msn="21", **kw)


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
