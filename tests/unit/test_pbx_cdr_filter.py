"""Which CDR rows a reader asks for (number, direction, answered or missed, a time range
in the office's zone) and the CSV export in chunks that cross the API's 1 MiB lines."""

from __future__ import annotations

import csv
import io

import pytest

from firmware.pbx.cdr import COLUMNS, CdrLog, make_cdr
from firmware.pbx.cdr_filter import CdrFilter
from firmware.pbx.config import FieldError

T0 = 1_790_000_000.0  # 2026-09-21 14:13:20 UTC, 16:13:20 in Berlin


def leg(n: int, *, answered: bool = True, cause: int = 16, direction: str = "in",
        src: str = "0301234567", dst: str = "21", hours: float = 0.0):
    start = T0 + n + hours * 3600
    return make_cdr(uniqueid=f"u{n}", src=src, dst=dst, direction=direction,
                    channel="trunk:B1", start=start, answer=start + 2 if answered else None,
                    end=start + 30, cause=cause)


def filled(tmp_path, legs) -> CdrLog:
    log = CdrLog(tmp_path / "cdr.csv")
    for cdr in legs:
        log.append(cdr)
    return log


def test_direction_disposition_and_number_combine(tmp_path):
    log = filled(tmp_path, [leg(0), leg(1, answered=False, cause=17),
                            leg(2, answered=False, cause=19, dst="22"),
                            leg(3, direction="out", src="21", dst="00301234567"),
                            leg(4, answered=False, cause=34, direction="out", src="22",
                                dst="0309999999")])
    missed = CdrFilter.parse(disposition="missed")
    assert [r["uniqueid"] for r in log.select(missed)[1]] == ["u4", "u2", "u1"]
    total, rows = log.select(CdrFilter.parse(disposition="missed", direction="in",
                                             number="22"), number="22")
    assert total == 1 and rows[0]["uniqueid"] == "u2"
    assert log.select(CdrFilter.parse(disposition="busy"))[0] == 1
    assert log.select(CdrFilter.parse(direction="out", disposition="answered"))[1][0][
        "uniqueid"] == "u3"


def test_a_date_range_is_read_in_the_offices_zone(tmp_path):
    # u0 at 16:13 Berlin on the 21st, u1 eight hours later: 00:13 on the 22nd in Berlin
    log = filled(tmp_path, [leg(0), leg(1, hours=8)])
    day = CdrFilter.parse(since="2026-09-21", until="2026-09-21", timezone="Europe/Berlin")
    assert (day.since, day.until) == ("2026-09-20 22:00:00", "2026-09-21 22:00:00")
    assert [r["uniqueid"] for r in log.select(day)[1]] == ["u0"]
    utc_day = CdrFilter.parse(since="2026-09-21", until="2026-09-21")
    assert [r["uniqueid"] for r in log.select(utc_day)[1]] == ["u1", "u0"]
    evening = CdrFilter.parse(since="2026-09-21 16:14", timezone="Europe/Berlin")
    assert [r["uniqueid"] for r in log.select(evening)[1]] == ["u1"]


def test_bad_filters_name_their_field():
    with pytest.raises(FieldError) as e:
        CdrFilter.parse(number="abc", direction="up", disposition="lost", since="yesterday",
                        timezone="Mars/Olympus")
    assert {f for f, _ in e.value.problems} == {"number", "direction", "disposition",
                                                "since", "timezone"}
    with pytest.raises(FieldError) as e:
        CdrFilter.parse(since="2026-09-22", until="2026-09-21")
    assert e.value.problems == [("until", "must be after the start of the range")]


def test_export_is_master_csv_in_file_order_and_resumes_at_its_cursor(tmp_path):
    log = filled(tmp_path, [leg(n, answered=n % 3 != 0) for n in range(400)])
    answered = CdrFilter.parse(disposition="answered")
    text, cursor, chunks = "", 0, 0
    while cursor is not None:
        part, rows, cursor = log.export(answered, cursor, max_bytes=4096)
        text += part
        chunks += 1
    assert chunks > 5  # it really came in pieces
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == COLUMNS and rows.count(COLUMNS) == 1
    assert [r[COLUMNS.index("uniqueid")] for r in rows[1:]] == [
        f"u{n}" for n in range(400) if n % 3 != 0]
    assert all(r[COLUMNS.index("disposition")] == "ANSWERED" for r in rows[1:])


def test_export_of_no_file_is_the_header_alone(tmp_path):
    assert CdrLog(tmp_path / "none.csv").export(None) == (",".join(COLUMNS) + "\n", 0, None)
