"""Child process for test_store_power_cut: the daemon's write pattern, made observable.

    python tests/system/store_writer.py <dir> <count>

For n in 0..count-1: insert {"n": n} into the store table "writes", append {"n": n}
to the JSON-lines log, then print "ack <n>" and flush. A printed ack therefore means
both writes had returned, which is the promise under test: acknowledged = durable.
Needs the repo root on PYTHONPATH (the test sets it).
"""

from __future__ import annotations

import os
import sys

from firmware.store import JsonLinesLog, open_store

SCHEMA_VERSION = 1
STORE_NAME = "store.json"
LOG_NAME = "writes.jsonl"
TABLE = "writes"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: store_writer.py <dir> <count>", file=sys.stderr)
        return 2
    directory, count = argv[0], int(argv[1])
    with (
        open_store(os.path.join(directory, STORE_NAME), schema_version=SCHEMA_VERSION) as store,
        JsonLinesLog(os.path.join(directory, LOG_NAME)) as log,
    ):
        table = store.table(TABLE)
        for n in range(count):
            table.insert({"n": n})
            log.append({"n": n})
            sys.stdout.write(f"ack {n}\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
