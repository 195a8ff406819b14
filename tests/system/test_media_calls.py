"""Audio end to end in the real daemon on the simulated line: a PSTN subscriber calls an
MSN, a simulated ISDN phone answers, and DTMF keyed at either end crosses the box's
media engine (trunk B-channel slot, bridge, S0 B-channel slot) to be heard at the
other; then the call clears and every slot is free again."""

from __future__ import annotations

from tests.system.boxprocs import run_ctl
from tests.system.test_pbx import ctl_json, phone, wait_for

CALLER = "0301112222"


def heard(box_paths, *who: str) -> str:
    out = run_ctl(box_paths, *who, "heard")
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_dtmf_crosses_the_box_both_ways_and_the_call_clears(daemon, box_paths) -> None:
    # slots open while idle: the FXS ports' lines and the analog phones' handsets
    idle = (ctl_json(box_paths, "media")["open"],
            ctl_json(box_paths, "status")["sim"]["media"]["open"])
    assert run_ctl(box_paths, "sim-call", CALLER, "5551021").returncode == 0
    wait_for(lambda: phone(box_paths, "21")["state"] == "ringing", "phone 21 rings")
    assert ctl_json(box_paths, "phone", "21", "answer")["state"] == "connected"
    wait_for(lambda: len(ctl_json(box_paths, "media")["calls"]) == 2,
             "the call's two legs have engine slots")
    (call,) = ctl_json(box_paths, "calls")
    legs = {c["leg"]: c["call"] for c in ctl_json(box_paths, "media")["calls"]}
    assert legs == {"a": call["call"], "b": call["call"]}
    human = run_ctl(box_paths, "media").stdout
    assert "slots open" in human and f"{call['call']} leg a (trunk:" in human

    assert run_ctl(box_paths, "subscriber", CALLER, "dtmf", "123").returncode == 0
    wait_for(lambda: heard(box_paths, "phone", "21") == "123", "phone 21 hears 123")
    assert run_ctl(box_paths, "phone", "21", "dtmf", "456#").returncode == 0
    wait_for(lambda: heard(box_paths, "subscriber", CALLER) == "456#",
             "the subscriber hears 456#")

    assert run_ctl(box_paths, "phone", "21", "hangup").returncode == 0
    wait_for(lambda: ctl_json(box_paths, "calls") == [], "the call is cleared")
    wait_for(lambda: (ctl_json(box_paths, "media")["open"],
                      ctl_json(box_paths, "status")["sim"]["media"]["open"]) == idle,
             "every slot is free, on the box and the far side")
    # what each end heard stays readable after the call
    assert heard(box_paths, "phone", "21") == "123"
    assert heard(box_paths, "subscriber", CALLER) == "456#"


def test_keys_need_a_call_with_audio(daemon, box_paths) -> None:
    out = run_ctl(box_paths, "phone", "21", "dtmf", "1")
    assert out.returncode == 1 and "no call with audio to send keys in" in out.stderr
    out = run_ctl(box_paths, "subscriber", CALLER, "dtmf", "1")
    assert out.returncode == 1 and f"subscriber {CALLER} is in no call" in out.stderr
