"""The PBX in the real daemon on the simulated line, driven as a person would: ctl for the
box, `ctl phone` for the hands on the simulated ISDN phones, `ctl sim-call` for a caller
in the virtual PSTN. The first-boot office: extensions 21 and 22, group 30, trunk MSNs
5551000 (group), 5551021 and 5551022."""

from __future__ import annotations

import json
import time

from tests.system.boxprocs import run_ctl


def ctl_json(box_paths, *args):
    out = run_ctl(box_paths, "--json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def wait_for(predicate, what: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting: {what}")


def phone(box_paths, name: str) -> dict:
    peers = ctl_json(box_paths, "status")["sim"]["peers"]
    return next(p for p in peers if p.get("msn") == name)


def test_pstn_caller_reaches_the_group_a_phone_answers_and_a_cdr_is_written(daemon, box_paths):
    assert run_ctl(box_paths, "sim-call", "0301112222", "5551000").returncode == 0
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing"
             and phone(box_paths, "22")["state"] == "ringing", "both phones ring")
    assert phone(box_paths, "21")["peer"] == "0301112222"  # the caller on the display
    (call,) = ctl_json(box_paths, "calls")
    assert (call["state"], call["direction"], call["msn"]) == ("ringing", "in", "5551000")
    assert ctl_json(box_paths, "phone", "22", "answer")["state"] == "connected"
    wait_for(lambda: ctl_json(box_paths, "calls")[0]["state"] == "connected", "connected")
    wait_for(lambda: phone(box_paths, "21")["state"] == "idle", "phone 21 stops ringing")
    assert phone(box_paths, "21")["last_cause"] == 26  # non-selected user clearing
    human = run_ctl(box_paths, "calls").stdout
    assert "connected" in human and "0301112222" in human and "trunk:" in human
    assert run_ctl(box_paths, "hangup", call["call"]).returncode == 0
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "the call is cleared")
    page = ctl_json(box_paths, "cdr")
    assert page["total"] == 1
    row = page["rows"][0]
    assert (row["src"], row["dst"], row["msn"], row["disposition"], row["direction"]) == \
        ("0301112222", "22", "5551000", "ANSWERED", "in")
    assert "ANSWERED" in run_ctl(box_paths, "cdr").stdout


def test_a_phone_calls_out_through_the_trunk_and_premium_is_refused(daemon, box_paths):
    ctl_json(box_paths, "phone", "21", "dial", "00301234567")
    wait_for(lambda: phone(box_paths, "21")["state"] == "connected",
             "the PSTN subscriber answers after 1 s")
    channels = ctl_json(box_paths, "channels")
    assert {c["port"] for c in channels} == {"trunk", "s0int"}
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")
    ctl_json(box_paths, "phone", "21", "dial", "00900123456")
    wait_for(lambda: phone(box_paths, "21")["state"] == "idle", "refused")
    assert phone(box_paths, "21")["last_cause"] == 52  # outgoing calls barred
    rows = ctl_json(box_paths, "cdr")["rows"]
    assert [(r["dst"], r["disposition"], r["cause"]) for r in rows] == [
        ("00900123456", "FAILED", "52"), ("00301234567", "ANSWERED", "16")]


def test_originate_rings_the_extension_then_dials_the_number(daemon, box_paths):
    out = run_ctl(box_paths, "dial", "22", "00301234567")
    assert out.returncode == 0, out.stderr
    wait_for(lambda: phone(box_paths, "22")["state"] == "ringing", "extension rings first")
    assert ctl_json(box_paths, "channels")[0]["port"] == "s0int"  # nothing on the trunk yet
    ctl_json(box_paths, "phone", "22", "answer")
    wait_for(lambda: [c for c in ctl_json(box_paths, "calls") if c["state"] == "connected"],
             "the number answers")
    ctl_json(box_paths, "phone", "22", "hangup")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")


def test_settings_are_validated_by_field_and_applied_live(daemon, box_paths):
    config = ctl_json(box_paths, "call", "pbx.config")
    bad = dict(config, groups=[{"number": "30", "members": ["21", "99"]}])
    out = run_ctl(box_paths, "call", "pbx.configure", json.dumps({"config": bad}))
    assert out.returncode == 1 and "groups[0].members[1]: no extension 99" in out.stderr
    good = dict(config, groups=[{"number": "30", "name": "Office", "strategy": "linear",
                                 "members": ["22", "21"], "member_seconds": 5}])
    out = run_ctl(box_paths, "call", "pbx.configure", json.dumps({"config": good}))
    assert out.returncode == 0, out.stderr
    run_ctl(box_paths, "sim-call", "0301112222", "5551000")
    wait_for(lambda: phone(box_paths, "22")["state"] == "ringing", "22 first now")
    assert phone(box_paths, "21")["state"] == "idle"
    assert ctl_json(box_paths, "call", "pbx.config")["groups"][0]["strategy"] == "linear"
