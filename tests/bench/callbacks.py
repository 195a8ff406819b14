"""python -m tests.bench.callbacks [--quick]: the callback service under load, in the
real daemon on a simulated office with many BRI trunks (make bench runs it after the
ratio benchmarks; --quick: 30 requests on 10 trunks). The issue sets absolute
targets, so this prints figures, not ratios.

999 requests are filed at once on one link (its cap is 999), as many web visitors at
the same moment would, each through the control API as the web widget's endpoint does
(validation, abuse guard, durable journal). Staff are an outside number (every request
may ring it: the virtual exchange answers after 3 s and hangs up 10 s later), visitors
answer after 1 s; whisper and announcement are off. Each callback takes two B-channels,
so the trunks carry TRUNKS callbacks at once and the rest wait their turn.

Figures:
- accepted: time from sending a request to the daemon's durable "accepted" answer;
- to staff SETUP: time from a request being accepted (or, in the queue, from the end
  of the callback that freed lines for it) to its staff call's SETUP leaving the box;
- completed callbacks per minute while the queue drains; daemon CPU and peak RSS.
Targets: p99 of "to staff SETUP" < 100 ms, peak RSS < 80 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from firmware.api.client import ApiClient
from firmware.api.protocol import ApiError
from tests.system.boxprocs import REPO, make_box_paths, remove_box_paths, stop, wait_for_api

STAFF = "00307654321"  # answers after 3 s, hangs up after 10 s
VISITOR = "030 1234567"  # answers after 1 s


def board(trunks: int) -> str:
    text = (REPO / "board" / "sim" / "board.toml").read_text()
    for i in range(2, trunks + 1):
        text += (f'\n[[ports]]\nname = "trunk{i}"\nkind = "bri"\nrole = "te"\n'
                 f'mode = "ptmp"\nbackend = "sim"\n[ports.sim]\nfar_end = "exchange"\n')
    return text


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def proc_figures(pid: int) -> tuple[float, int]:
    """(CPU seconds, peak RSS in KB) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = 100.0  # USER_HZ on Linux
    cpu = (int(fields[11]) + int(fields[12])) / tick
    hwm = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text()
               .splitlines() if line.startswith("VmHWM:"))
    return cpu, hwm


def configure(api: ApiClient, trunks: int, requests: int) -> None:
    pbx = api.call("pbx.config")
    pbx["lcr"] = [{"prefix": "", "lines": ["trunk"] + [f"trunk{i}" for i in
                                                       range(2, trunks + 1)]}]
    api.call("pbx.configure", config=pbx)
    cb = api.call("callback.config")
    for day in cb["profiles"][0]["week"].values():
        for slot in day:
            slot["numbers"] = [STAFF]
    link = cb["links"][0]
    link.update(whisper=False, announce=False, visitor_retries=0, staff_retry_seconds=10)
    link["limits"].update(max_concurrent=999, per_15_minutes=10**6, per_hour=10**6,
                          per_day=10**6, numbers_per_ip_hour=10**6, daily_minutes=10**6)
    api.call("callback.configure", config=cb)


def run(requests: int, trunks: int) -> dict[str, float]:
    paths = make_box_paths()
    paths.config.write_text(paths.config.read_text().replace('"debug"', '"warning"'))
    (paths.root / "board.toml").write_text(board(trunks))
    log = open(paths.root / "daemon.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "firmware.daemon", "--config",
                             str(paths.config), "--board", str(paths.root / "board.toml")],
                            cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_api(paths, proc, timeout=30)
        with ApiClient(paths.socket, timeout=60) as api:
            configure(api, trunks, requests)
            time.sleep(3)  # every trunk's TEI and link up
            return _measure(paths.socket, proc.pid, requests, trunks)
    finally:
        stop(proc, timeout=30)
        log.close()
        remove_box_paths(paths)


def _measure(socket: Path, pid: int, requests: int, trunks: int) -> dict[str, float]:
    events: list[dict] = []
    stop_listening = threading.Event()

    def listen() -> None:
        try:
            with ApiClient(socket, timeout=None) as sub:
                for e in sub.events(["callback"]):
                    events.append(e)
                    if stop_listening.is_set():
                        return
        except ApiError:
            pass  # the daemon stopped

    threading.Thread(target=listen, daemon=True).start()
    time.sleep(0.5)
    cpu0, _ = proc_figures(pid)
    accepted: list[float] = []
    lock = threading.Lock()

    def file(chunk: range) -> None:
        with ApiClient(socket, timeout=60) as api:
            for i in chunk:
                t = time.monotonic()
                api.call("callback", link="office", number=VISITOR,
                         ip=f"10.0.{i // 250}.{i % 250}", cookie=f"bench-{i}")
                with lock:
                    accepted.append(time.monotonic() - t)

    start = time.monotonic()
    clients = 8  # web workers filing at the same time
    threads = [threading.Thread(target=file, args=(range(k, requests, clients),))
               for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    filed = time.monotonic() - start
    with ApiClient(socket, timeout=60) as api:
        while True:
            rows = api.call("callbacks", open_only=True)
            if not rows:
                break
            time.sleep(0.5)
    drained = time.monotonic() - start
    cpu1, rss = proc_figures(pid)
    stop_listening.set()
    return _figures(events, accepted, requests, trunks, filed, drained, cpu1 - cpu0, rss)


def _figures(events: list[dict], accepted: list[float], requests: int, trunks: int,
             filed: float, drained: float, cpu: float, rss: int) -> dict[str, float]:
    filed_at: dict[str, float] = {}
    setups: list[float] = []
    last_done = 0.0  # when the latest callback ended, freeing its lines
    done = requeued = 0
    for e in sorted(events, key=lambda e: e["seq"]):
        data, at = e["data"], e["time"]
        if e["topic"] == "callback.filed":
            filed_at[data["id"]] = at
        elif e["topic"] == "callback.ringing-staff" and data["id"] in filed_at:
            # from the later of: the request accepted, a callback's end freeing lines
            setups.append(at - max(filed_at[data["id"]], last_done))
        elif e["topic"] == "callback.done":
            done += 1
            last_done = at
        elif e["topic"] == "callback.requeued":
            requeued += 1  # a staff call that failed (no line, cause 34): churn
    return {"requests": requests, "trunks": trunks, "done": done, "requeued": requeued,
            "accepted_p50_ms": 1000 * statistics.median(accepted),
            "accepted_p99_ms": 1000 * percentile(accepted, 99),
            "setup_p50_ms": 1000 * statistics.median(setups) if setups else float("nan"),
            "setup_p99_ms": 1000 * percentile(setups, 99) if setups else float("nan"),
            "filed_s": filed, "per_minute": done / drained * 60, "cpu_s": cpu,
            "rss_mb": rss / 1024}


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench.callbacks")
    p.add_argument("--quick", action="store_true", help="30 requests on 10 trunks (CI)")
    p.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args, _ = p.parse_known_args()  # make bench passes its own options too (-k ...)
    requests, trunks = (30, 10) if args.quick else (999, 40)
    f = run(requests, trunks)
    print(f"callbacks {f['requests']} filed at once on {f['trunks']} BRI trunks: "
          f"{f['done']} completed, {f['per_minute']:.0f}/min while draining, "
          f"{f['requeued']} requeued")
    print(f"  accepted (durable answer)   p50 {f['accepted_p50_ms']:6.1f} ms  "
          f"p99 {f['accepted_p99_ms']:6.1f} ms  (all {f['requests']} in {f['filed_s']:.1f} s)")
    ok_setup = f["setup_p99_ms"] < 100
    print(f"  to staff SETUP              p50 {f['setup_p50_ms']:6.1f} ms  "
          f"p99 {f['setup_p99_ms']:6.1f} ms  goal p99 < 100 ms {'PASS' if ok_setup else 'MISS'}")
    ok_rss = f["rss_mb"] < 80
    print(f"  daemon                      CPU {f['cpu_s']:.1f} s, peak RSS "
          f"{f['rss_mb']:.1f} MB  goal < 80 MB {'PASS' if ok_rss else 'MISS'}")
    print(json.dumps(f))
    return 1 if args.check and not (ok_setup and ok_rss) else 0


if __name__ == "__main__":
    sys.exit(main())
