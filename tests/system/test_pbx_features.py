"""PBX call features in the real daemon on the simulated line, driven through ctl as a
person would: the BRI's third call, transfer, hold, pickup, DND, call waiting,
conference, night service. First-boot office: extensions 21 and 22, group 30; trunk
MSNs 5551000 (group), 5551021 and 5551022."""

from __future__ import annotations

import json

from tests.system.boxprocs import REPO, run_ctl, start_daemon, stop, wait_for_api
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


def caller_talks_to_21(box_paths) -> str:
    run_ctl(box_paths, "sim-call", "0301112222", "5551021")
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "21 rings")
    ctl_json(box_paths, "phone", "21", "answer")
    (call,) = wait_for(lambda: connected_calls(box_paths), "connected")
    return call["call"]


def test_blind_transfer_with_return_then_without(daemon, box_paths):
    c1 = caller_talks_to_21(box_paths)
    out = run_ctl(box_paths, "transfer", c1, "22", "--return-after", "5")
    assert out.returncode == 0 and "now call" in out.stdout, out.stderr
    wait_for(lambda: phone(box_paths, "22")["state"] == "ringing", "22 rings")
    assert phone(box_paths, "22")["peer"] == "0301112222"
    assert phone(box_paths, "21")["state"] == "idle"
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "21 is rung back", 10)
    assert phone(box_paths, "22")["state"] == "idle"
    ctl_json(box_paths, "phone", "21", "answer")
    (c2,) = wait_for(lambda: connected_calls(box_paths), "the caller is back with 21")
    result = ctl_json(box_paths, "transfer", c2["call"], "22", "--return-after", "0")
    assert result["state"] == "ringing"
    wait_for(lambda: phone(box_paths, "22")["state"] == "ringing", "22 rings again")
    ctl_json(box_paths, "phone", "22", "answer")
    (c3,) = wait_for(lambda: connected_calls(box_paths), "caller and 22 talk")
    assert c3["to"] == "22" and phone(box_paths, "21")["state"] == "idle"
    assert run_ctl(box_paths, "hangup", c3["call"]).returncode == 0
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")
    rows = ctl_json(box_paths, "cdr")["rows"]
    assert [(r["dst"], r["disposition"]) for r in rows] == [
        ("22", "ANSWERED"), ("21", "ANSWERED"), ("21", "ANSWERED")]
    assert {r["linkedid"] for r in rows} == {c1}
    out = run_ctl(box_paths, "transfer", c1, "22")
    assert out.returncode == 1 and f"no call {c1}" in out.stderr


def test_phone_holds_consults_and_transfers_attended(daemon, box_paths):
    c1 = caller_talks_to_21(box_paths)
    ctl_json(box_paths, "phone", "21", "hold")
    wait_for(lambda: phone(box_paths, "21")["held"], "HOLD ACKNOWLEDGE")
    (call,) = ctl_json(box_paths, "calls")
    assert [leg["held"] for leg in call["legs"]] == [True, False]  # the caller is held
    assert "trunk:1 (held)" in run_ctl(box_paths, "calls").stdout
    ctl_json(box_paths, "phone", "21", "dial", "22")
    wait_for(lambda: phone(box_paths, "22")["state"] == "ringing", "22 rings")
    ctl_json(box_paths, "phone", "22", "answer")
    wait_for(lambda: len(connected_calls(box_paths)) == 2, "consultation connected")
    c2 = next(c["call"] for c in connected_calls(box_paths) if c["call"] != c1)
    out = run_ctl(box_paths, "transfer", c1, "--to", c2)
    assert out.returncode == 0, out.stderr
    wait_for(lambda: phone(box_paths, "21")["state"] == "idle"
             and not phone(box_paths, "21")["held"], "21 is out of both calls")
    (call,) = connected_calls(box_paths)
    assert (call["from"], call["to"]) == ("0301112222", "22")
    assert not any(leg["held"] for leg in call["legs"])
    out = run_ctl(box_paths, "hold", call["call"])
    assert out.returncode == 0 and "on hold" in out.stdout, out.stderr
    assert run_ctl(box_paths, "retrieve", call["call"]).returncode == 0
    ctl_json(box_paths, "phone", "22", "hangup")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")
    assert len(ctl_json(box_paths, "cdr")["rows"]) == 3


def test_pickup_and_do_not_disturb(daemon, box_paths):
    run_ctl(box_paths, "sim-call", "0301112222", "5551022")
    wait_for(lambda: phone(box_paths, "22")["state"] == "ringing", "22 rings")
    ctl_json(box_paths, "phone", "21", "dial", "*8")  # group pickup: 21 and 22 share 30
    wait_for(lambda: phone(box_paths, "21")["state"] == "connected", "21 picked it up")
    assert phone(box_paths, "22")["state"] == "idle"
    (call,) = connected_calls(box_paths)
    assert call["to"] == "21"
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")
    out = run_ctl(box_paths, "dnd", "22", "on")
    assert out.returncode == 0 and "do not disturb on" in out.stdout
    assert ctl_json(box_paths, "call", "pbx.config")["extensions"][1]["dnd"] is True
    run_ctl(box_paths, "sim-call", "0301112222", "5551022")
    wait_for(lambda: ctl_json(box_paths, "cdr")["total"] == 2, "the busy call's CDR")
    assert ctl_json(box_paths, "cdr")["rows"][0]["disposition"] == "BUSY"
    ctl_json(box_paths, "phone", "22", "dial", "*26")  # the phone switches it off
    wait_for(lambda: not ctl_json(box_paths, "dnd", "22")["dnd"], "DND off by dial code")


def test_three_party_conference(daemon, box_paths):
    c1 = caller_talks_to_21(box_paths)
    ctl_json(box_paths, "phone", "21", "hold")
    wait_for(lambda: phone(box_paths, "21")["held"], "held")
    ctl_json(box_paths, "phone", "21", "dial", "22")
    wait_for(lambda: phone(box_paths, "22")["state"] == "ringing", "22 rings")
    ctl_json(box_paths, "phone", "22", "answer")
    wait_for(lambda: len(connected_calls(box_paths)) == 2, "consultation connected")
    c2 = next(c["call"] for c in connected_calls(box_paths) if c["call"] != c1)
    out = run_ctl(box_paths, "conference", c1, c2)
    assert out.returncode == 0 and out.stdout.count(":") == 4, out.stderr  # 3 channels
    (call,) = ctl_json(box_paths, "calls")
    assert call["conference"] and len(call["legs"]) == 3
    assert phone(box_paths, "22")["notifications"] == [0x42]  # conference established
    ctl_json(box_paths, "phone", "22", "hangup")
    wait_for(lambda: not ctl_json(box_paths, "calls")[0]["conference"], "back to two")
    assert phone(box_paths, "21")["state"] == "connected"
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")


def test_night_service_forced_by_ctl(daemon, box_paths):
    config = ctl_json(box_paths, "call", "pbx.config")
    config["schedules"] = [{"name": "office", "timezone": "Europe/Berlin",
                            "slots": ["mon-sun 00:00-24:00"]}]
    config["routes"][0] |= {"schedule": "office", "night_target": "22"}  # 5551000
    out = run_ctl(box_paths, "call", "pbx.configure", json.dumps({"config": config}))
    assert out.returncode == 0, out.stderr
    assert run_ctl(box_paths, "night").stdout.split("\n")[1].split()[:3] == \
        ["office", "auto", "day"]
    out = run_ctl(box_paths, "night", "office", "night")
    assert out.returncode == 0 and "now night" in out.stdout, out.stderr
    run_ctl(box_paths, "sim-call", "0301112222", "5551000")
    wait_for(lambda: phone(box_paths, "22")["state"] == "ringing", "the night target rings")
    assert phone(box_paths, "21")["state"] == "idle"
    assert ctl_json(box_paths, "call", "pbx.config")["schedules"][0]["mode"] == "night"


def test_least_cost_routing_over_a_second_trunk(box_paths):
    board = box_paths.root / "board.toml"
    board.write_text((REPO / "board" / "sim" / "board.toml").read_text() + """
[[ports]]
name = "trunk2"
kind = "bri"
role = "te"
mode = "ptmp"
backend = "sim"
[ports.sim]
far_end = "exchange"
""")
    proc = start_daemon(box_paths, "--board", str(board))
    try:
        wait_for_api(box_paths, proc)
        config = ctl_json(box_paths, "call", "pbx.config")
        config["lcr"] = [{"prefix": "0301", "lines": ["trunk2", "trunk"]}]
        out = run_ctl(box_paths, "call", "pbx.configure", json.dumps({"config": config}))
        assert out.returncode == 0, out.stderr
        wait_for(lambda: phone(box_paths, "21")["l2"]["links"], "phones up")
        ctl_json(box_paths, "phone", "21", "dial", "00301234567")
        ctl_json(box_paths, "phone", "22", "dial", "00307654321")
        wait_for(lambda: phone(box_paths, "21")["state"] == "connected"
                 and phone(box_paths, "22")["state"] == "connected", "both answered")
        ports = {c["called"]: c["port"] for c in ctl_json(box_paths, "channels")
                 if c["port"] != "s0int"}
        assert ports == {"0301234567": "trunk2", "0307654321": "trunk"}
    finally:
        assert stop(proc) == 0


def test_explicit_call_transfer_from_a_phone(daemon, box_paths):
    caller_talks_to_21(box_paths)
    ctl_json(box_paths, "phone", "21", "hold")
    wait_for(lambda: phone(box_paths, "21")["held"], "held")
    ctl_json(box_paths, "phone", "21", "dial", "22")
    wait_for(lambda: phone(box_paths, "22")["state"] == "ringing", "22 rings")
    ctl_json(box_paths, "phone", "22", "answer")
    wait_for(lambda: len(connected_calls(box_paths)) == 2, "consultation connected")
    ctl_json(box_paths, "phone", "21", "transfer")  # FACILITY EctExecute
    wait_for(lambda: phone(box_paths, "21")["state"] == "idle"
             and not phone(box_paths, "21")["held"], "21 is out of both calls")
    (call,) = connected_calls(box_paths)
    assert (call["from"], call["to"]) == ("0301112222", "22")


def test_forwarding_on_busy_reaches_the_colleague_with_audio(daemon, box_paths):
    config = ctl_json(box_paths, "call", "pbx.config")
    config["extensions"][0]["forward_busy"] = "22"  # 21 forwards when it is busy
    assert run_ctl(box_paths, "call", "pbx.configure",
                   json.dumps({"config": config})).returncode == 0
    caller_talks_to_21(box_paths)  # 21 busy (no call waiting) on B1
    run_ctl(box_paths, "sim-call", "0307770000", "5551021")  # B2, for 21
    wait_for(lambda: phone(box_paths, "22")["state"] == "ringing", "forwarded to 22")
    assert phone(box_paths, "22")["peer"] == "0307770000"
    ctl_json(box_paths, "phone", "22", "answer")
    wait_for(lambda: len(connected_calls(box_paths)) == 2, "both calls talk")
    run_ctl(box_paths, "subscriber", "0307770000", "dtmf", "42")
    wait_for(lambda: ctl_json(box_paths, "phone", "22", "heard")["heard"] == "42",
             "22 hears the forwarded caller")
    ctl_json(box_paths, "phone", "22", "hangup")
    wait_for(lambda: len(ctl_json(box_paths, "calls")) == 1, "the forwarded call ended")
    row = ctl_json(box_paths, "cdr")["rows"][0]
    assert (row["src"], row["dst"], row["msn"], row["disposition"]) == \
        ("0307770000", "22", "5551021", "ANSWERED")
