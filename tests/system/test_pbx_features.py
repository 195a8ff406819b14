"""PBX call features in the real daemon on the simulated line, driven through ctl as a
person would: the BRI's third call, transfer, hold, pickup, DND, call waiting,
conference, night service. First-boot office: extensions 21 and 22, group 30; trunk
MSNs 5551000 (group), 5551021 and 5551022."""

from __future__ import annotations

from tests.system.boxprocs import run_ctl
from tests.system.test_pbx import ctl_json, phone, wait_for


def connected_calls(box_paths) -> list[dict]:
    return [c for c in ctl_json(box_paths, "calls") if c["state"] == "connected"]


def test_a_third_call_on_the_bri_gets_cause_34_both_ways(daemon, box_paths):
    run_ctl(box_paths, "sim-call", "0301112222", "5551021")
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "21 rings")
    ctl_json(box_paths, "phone", "21", "answer")
    assert run_ctl(box_paths, "dial", "trunk", "0301234567").returncode == 0  # B2
    wait_for(lambda: len(ctl_json(box_paths, "channels")) == 3, "B1 and B2 busy")
    out = run_ctl(box_paths, "dial", "22", "00307654321")
    assert out.returncode == 1 and "cause 34" in out.stderr
    out = run_ctl(box_paths, "dial", "trunk", "0307654321")
    assert out.returncode == 1 and "cause 34" in out.stderr
    run_ctl(box_paths, "sim-call", "0307770000", "5551022")
    wait_for(lambda: ctl_json(box_paths, "cdr")["total"] == 1, "the refusal's CDR")
    row = ctl_json(box_paths, "cdr")["rows"][0]
    assert (row["src"], row["msn"], row["disposition"], row["cause"]) == \
        ("0307770000", "5551022", "FAILED", "34")
    assert phone(box_paths, "22")["state"] == "idle"
