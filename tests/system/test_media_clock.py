"""The daemon's media engine: ticking every 20 ms in the event loop, and the simulated
exchange opening a B-channel slot for the audio of an answered call."""

from __future__ import annotations

import json
import time

from firmware.api.client import ApiClient
from tests.system.boxprocs import run_ctl


def test_the_media_engine_ticks_every_20_ms_in_the_daemon(daemon, box_paths) -> None:
    with ApiClient(box_paths.socket) as client:
        first, t0 = client.call("media"), time.monotonic()
        time.sleep(1.0)
        second, t1 = client.call("media"), time.monotonic()
    assert second["clock"]["interval_ms"] == 20 and second["clock"]["running"]
    ticks = second["clock"]["ticks"] - first["clock"]["ticks"]
    on_time = (t1 - t0) / 0.020
    # a fixed grid never runs ahead of the clock; a loaded machine may lose a few
    assert 0.5 * on_time <= ticks <= on_time + 2
    assert second["ticks"] - first["ticks"] == ticks  # each tick ran the engine once
    assert second["time_s"] > first["time_s"]


def test_an_answered_call_gets_a_b_channel_slot_at_the_exchange(daemon, box_paths) -> None:
    def far_slots() -> int:
        """Far-side slots beyond the idle ones (the analog phone's handset stays open)."""
        open_now = json.loads(run_ctl(box_paths, "--json", "status").stdout)["sim"]["media"]
        return open_now["open"] - idle

    idle = 0
    idle = far_slots()
    out = run_ctl(box_paths, "--json", "dial", "trunk", "0301234567")
    call = json.loads(out.stdout)["call"]

    deadline = time.monotonic() + 10
    while far_slots() != 1:
        assert time.monotonic() < deadline, "the exchange never opened the call's B-channel"
        time.sleep(0.2)
    assert run_ctl(box_paths, "hangup", call).returncode == 0
    deadline = time.monotonic() + 10
    while far_slots() != 0:
        assert time.monotonic() < deadline, "the B-channel slot was not released"
        time.sleep(0.2)
