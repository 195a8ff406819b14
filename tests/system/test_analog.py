"""Analog extension 23 on FXS port fxs1 in the real daemon, with a simulated analog phone
on the copper that really hears (tones by frequency and cadence, CLIP decoded from the
FSK between rings, DTMF) and really keys DTMF in-band, which the box must detect."""

from __future__ import annotations

from tests.system.boxprocs import run_ctl
from tests.system.test_pbx import ctl_json, phone, wait_for

CALLER = "0301112222"


def analog(box_paths) -> dict:
    return ctl_json(box_paths, "phone", "23", "status")


def act(box_paths, *args: str) -> dict:
    return ctl_json(box_paths, "phone", "23", *args)


def fxs1(box_paths) -> dict:
    return next(p for p in ctl_json(box_paths, "ports") if p["name"] == "fxs1")


def hang_up(box_paths) -> None:
    """Put the handset down and wait until the port has timed the break as on-hook."""
    act(box_paths, "onhook")
    wait_for(lambda: fxs1(box_paths)["ta"]["state"] == "idle", "23 is on-hook and idle")


def heard(box_paths, *who: str) -> str:
    out = run_ctl(box_paths, *who, "heard")
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_outside_caller_rings_analog_23_with_cadence_and_clip_dtmf_both_ways_cdr(
        daemon, box_paths) -> None:
    assert run_ctl(box_paths, "sim-call", CALLER, "5551023").returncode == 0
    wait_for(lambda: analog(box_paths)["rings"] >= 2, "23 rings twice", timeout=15)
    p = analog(box_paths)
    on, off = p["ring_cadence_ms"]  # DE: 1 s on, 4 s off (real time: a little jitter)
    assert abs(on - 1000) <= 60 and abs(off - 4000) <= 60, p["ring_cadence_ms"]
    assert p["clip"]["number"] == CALLER and p["clip"]["type"] == "0x80"
    assert f"number={CALLER}" in run_ctl(box_paths, "phone", "23", "hears").stdout
    act(box_paths, "offhook")
    wait_for(lambda: [c["state"] for c in ctl_json(box_paths, "calls")] == ["connected"],
             "the call is connected")
    assert run_ctl(box_paths, "subscriber", CALLER, "dtmf", "159").returncode == 0
    wait_for(lambda: analog(box_paths)["heard"] == "159", "23 hears 159")
    act(box_paths, "dtmf", "7#")
    wait_for(lambda: heard(box_paths, "subscriber", CALLER) == "7#", "the caller hears 7#")
    assert run_ctl(box_paths, "subscriber", CALLER, "hangup").returncode == 0
    wait_for(lambda: analog(box_paths)["hears"] == "busy", "23 hears busy tone")
    act(box_paths, "onhook")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "the call is cleared")
    rows = ctl_json(box_paths, "cdr")["rows"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["src"], row["dst"], row["msn"], row["disposition"], row["direction"]) == \
        (CALLER, "23", "5551023", "ANSWERED", "in")
    assert row["channel"].startswith("trunk") and row["dstchannel"].startswith("fxs1"), row
    wait_for(lambda: fxs1(box_paths)["fxs"]["hook"] == "on",
             "the port sees on-hook (after 300 ms)")
    status = {"fxs1": fxs1(box_paths)}
    assert status["fxs1"]["ta"]["state"] == "idle"
    assert status["fxs1"]["fxs"]["counters"]["off_hook"] == 1
    assert "fxs1: FXS on-hook, adapter idle" in run_ctl(box_paths, "ports").stdout
    assert "fxs1.phone" in run_ctl(box_paths, "status").stdout


def test_off_hook_hears_dial_tone_and_dials_out_by_dtmf_audio_both_ways(
        daemon, box_paths) -> None:
    act(box_paths, "offhook")
    wait_for(lambda: analog(box_paths)["hears"] == "dial", "23 hears dial tone")
    act(box_paths, "dial", "00301234567")  # answers after 1 s
    wait_for(lambda: [c["state"] for c in ctl_json(box_paths, "calls")] == ["connected"],
             "the PSTN subscriber answers", timeout=20)
    assert run_ctl(box_paths, "subscriber", "0301234567", "dtmf", "42").returncode == 0
    wait_for(lambda: analog(box_paths)["heard"] == "42", "23 hears 42")
    act(box_paths, "dtmf", "9")
    wait_for(lambda: heard(box_paths, "subscriber", "0301234567") == "9",
             "the subscriber hears 9")
    act(box_paths, "onhook")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")
    (row,) = ctl_json(box_paths, "cdr")["rows"]
    assert (row["src"], row["dst"], row["disposition"], row["direction"]) == \
        ("23", "00301234567", "ANSWERED", "out")


def test_analog_to_isdn_21_and_back_and_a_busy_extension_gives_busy_tone(
        daemon, box_paths) -> None:
    act(box_paths, "offhook")
    wait_for(lambda: analog(box_paths)["hears"] == "dial", "dial tone")
    act(box_paths, "dial", "21")
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "21 rings", timeout=15)
    assert phone(box_paths, "21")["peer"] == "23"
    wait_for(lambda: analog(box_paths)["hears"] == "ringback", "23 hears ringback")
    ctl_json(box_paths, "phone", "21", "answer")
    wait_for(lambda: [c["state"] for c in ctl_json(box_paths, "calls")] == ["connected"],
             "connected")
    act(box_paths, "dtmf", "3")
    wait_for(lambda: heard(box_paths, "phone", "21") == "3", "21 hears 3")
    ctl_json(box_paths, "phone", "21", "dtmf", "8")
    wait_for(lambda: analog(box_paths)["heard"] == "8", "23 hears 8")
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: analog(box_paths)["hears"] == "busy", "23 hears busy after 21 hangs up")
    hang_up(box_paths)
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")
    # and back: 21 calls 23
    ctl_json(box_paths, "phone", "21", "dial", "23")
    wait_for(lambda: analog(box_paths)["ringing"], "23 rings", timeout=15)
    wait_for(lambda: analog(box_paths)["clip"].get("number") == "21", "CLIP shows 21",
             timeout=15)
    act(box_paths, "offhook")
    wait_for(lambda: phone(box_paths, "21")["state"] == "connected", "21 connected")
    # 22 is busy while 21 talks to 23 with 22 in a call of its own: 22 calls out first
    ctl_json(box_paths, "phone", "22", "dial", "00301234567")
    wait_for(lambda: phone(box_paths, "22")["state"] == "connected", "22 talks", timeout=15)
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: analog(box_paths)["hears"] == "busy", "23 hears busy again")
    hang_up(box_paths)
    act(box_paths, "offhook")
    wait_for(lambda: analog(box_paths)["hears"] == "dial", "dial tone")
    act(box_paths, "dial", "22")
    wait_for(lambda: analog(box_paths)["hears"] == "busy", "22 is busy: busy tone",
             timeout=15)
    hang_up(box_paths)


def test_hook_flash_transfer_joins_the_caller_and_21(daemon, box_paths) -> None:
    assert run_ctl(box_paths, "sim-call", CALLER, "5551023").returncode == 0
    wait_for(lambda: analog(box_paths)["ringing"], "23 rings", timeout=15)
    act(box_paths, "offhook")
    wait_for(lambda: [c["state"] for c in ctl_json(box_paths, "calls")] == ["connected"],
             "connected")
    act(box_paths, "flash")
    wait_for(lambda: analog(box_paths)["hears"] == "dial", "recall dial tone after flash")
    act(box_paths, "dial", "21")
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "21 rings", timeout=15)
    ctl_json(box_paths, "phone", "21", "answer")
    wait_for(lambda: phone(box_paths, "21")["state"] == "connected", "21 answers")
    act(box_paths, "onhook")  # hanging up with a held call and a consultation: ECT
    wait_for(lambda: len(ctl_json(box_paths, "calls")) == 1
             and ctl_json(box_paths, "calls")[0]["state"] == "connected",
             "one call left: the caller and 21")
    assert run_ctl(box_paths, "subscriber", CALLER, "dtmf", "24").returncode == 0
    wait_for(lambda: heard(box_paths, "phone", "21") == "24", "21 hears the caller's 24")
    ctl_json(box_paths, "phone", "21", "dtmf", "6")
    wait_for(lambda: heard(box_paths, "subscriber", CALLER) == "6", "the caller hears 6")
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")


def test_call_waiting_tone_and_flash_takes_the_second_call(daemon, box_paths) -> None:
    assert run_ctl(box_paths, "sim-call", CALLER, "5551023").returncode == 0
    wait_for(lambda: analog(box_paths)["ringing"], "23 rings", timeout=15)
    act(box_paths, "offhook")
    wait_for(lambda: [c["state"] for c in ctl_json(box_paths, "calls")] == ["connected"],
             "connected")
    ctl_json(box_paths, "phone", "21", "dial", "23")
    wait_for(lambda: analog(box_paths)["hears"] == "call-waiting", "23 hears call waiting",
             timeout=15)
    act(box_paths, "flash")  # hold the caller, take 21's call
    wait_for(lambda: phone(box_paths, "21")["state"] == "connected", "21 is answered",
             timeout=15)
    ctl_json(box_paths, "phone", "21", "dtmf", "5")
    wait_for(lambda: analog(box_paths)["heard"].endswith("5"), "23 hears 21's 5")
    ctl_json(box_paths, "phone", "21", "hangup")
    act(box_paths, "onhook")  # the first caller still holds: the phone rings back
    wait_for(lambda: fxs1(box_paths)["ta"]["state"] == "recall", "23 rings back", timeout=15)
    act(box_paths, "offhook")
    wait_for(lambda: fxs1(box_paths)["ta"]["state"] == "connected", "23 has the caller back")
    hang_up(box_paths)
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")


def test_hanging_up_while_21_still_rings_transfers_the_caller_to_21(daemon, box_paths) -> None:
    assert run_ctl(box_paths, "sim-call", CALLER, "5551023").returncode == 0
    wait_for(lambda: analog(box_paths)["ringing"], "23 rings", timeout=15)
    act(box_paths, "offhook")
    wait_for(lambda: [c["state"] for c in ctl_json(box_paths, "calls")] == ["connected"],
             "connected")
    act(box_paths, "flash")
    wait_for(lambda: analog(box_paths)["hears"] == "dial", "recall dial tone after flash")
    act(box_paths, "dial", "21")
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "21 rings", timeout=15)
    act(box_paths, "onhook")  # ECT while the consultation is still ringing
    wait_for(lambda: fxs1(box_paths)["ta"]["state"] == "idle", "23 is out of both calls")
    assert phone(box_paths, "21")["state"] == "ringing"
    ctl_json(box_paths, "phone", "21", "answer")
    wait_for(lambda: [c["state"] for c in ctl_json(box_paths, "calls")] == ["connected"],
             "the caller and 21 talk")
    assert run_ctl(box_paths, "subscriber", CALLER, "dtmf", "37").returncode == 0
    wait_for(lambda: heard(box_paths, "phone", "21") == "37", "21 hears the caller's 37")
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")


def test_hanging_up_on_a_held_caller_rings_23_back_and_it_retrieves(daemon, box_paths) -> None:
    assert run_ctl(box_paths, "sim-call", CALLER, "5551023").returncode == 0
    wait_for(lambda: analog(box_paths)["ringing"], "23 rings", timeout=15)
    act(box_paths, "offhook")
    wait_for(lambda: [c["state"] for c in ctl_json(box_paths, "calls")] == ["connected"],
             "connected")
    act(box_paths, "flash")
    wait_for(lambda: analog(box_paths)["hears"] == "dial", "recall dial tone after flash")
    act(box_paths, "onhook")
    wait_for(lambda: fxs1(box_paths)["ta"]["state"] == "recall" and analog(box_paths)["ringing"],
             "23 rings back for its held caller", timeout=15)
    assert [c["state"] for c in ctl_json(box_paths, "calls")] == ["connected"]
    act(box_paths, "offhook")
    wait_for(lambda: fxs1(box_paths)["ta"]["state"] == "connected", "23 has the caller back")
    assert run_ctl(box_paths, "subscriber", CALLER, "dtmf", "58").returncode == 0
    wait_for(lambda: heard(box_paths, "phone", "23") == "58", "23 hears the caller's 58")
    hang_up(box_paths)
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "cleared")
