"""The callback service in the real daemon on the simulated line: a request filed as the
web form would (`ctl callback`), staff phone 21 rings first, then the visitor, the
restart rule, and clear refusals. First-boot settings: link "office", staff 21 then 22,
open at any hour."""

from __future__ import annotations

import json
import time

from tests.system.boxprocs import run_ctl, start_daemon, stop, wait_for_api


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


def request(box_paths, request_id):
    return next(r for r in ctl_json(box_paths, "callbacks") if r["id"] == request_id)


def phone_state(box_paths, msn):
    peers = ctl_json(box_paths, "status")["sim"]["peers"]
    return next(p["state"] for p in peers if p.get("msn") == msn)


def staff_press(box_paths, msn, key, request_id):
    """Press ``key`` at the staff phone until the whisper's question takes it (it is
    asked once the whisper is spoken, a moment after answering)."""
    def taken():
        if request(box_paths, request_id)["state"] != "staff-answered":
            return True
        run_ctl(box_paths, "phone", msn, "dtmf", key)
        return False
    wait_for(taken, f"staff {msn} press {key}")


def test_staff_first_then_the_visitor(daemon, box_paths):
    # 0301230001: a PSTN subscriber who answers and presses 1 to be connected
    filed = ctl_json(box_paths, "callback", "office", "030 1230001", "--name", "Jana")
    assert filed["state"] in ("queued", "ringing-staff")  # due now: it may be under way
    assert filed["number"] == "+49301230001"
    wait_for(lambda: phone_state(box_paths, "21") == "ringing", "staff phone 21 rings")
    assert ctl_json(box_paths, "channels")[0]["port"] == "s0int"  # no trunk call yet
    ctl_json(box_paths, "phone", "21", "answer")
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "staff-answered",
             "staff hear the whisper")
    assert [c["port"] for c in ctl_json(box_paths, "channels")] == ["s0int"]
    staff_press(box_paths, "21", "1", filed["id"])  # accept: now the visitor is dialled
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "connected",
             "the visitor answers and presses 1", timeout=15)
    assert "connected" in run_ctl(box_paths, "callbacks").stdout
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "done", "done")
    rows = ctl_json(box_paths, "cdr")["rows"]
    assert rows[0]["linkedid"] == filed["id"] and rows[0]["disposition"] == "ANSWERED"


def test_staff_decline_and_the_colleague_takes_it(daemon, box_paths):
    filed = ctl_json(box_paths, "callback", "office", "030 1230001")
    wait_for(lambda: phone_state(box_paths, "21") == "ringing", "staff phone 21 rings")
    ctl_json(box_paths, "phone", "21", "answer")
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "staff-answered", "whisper")
    staff_press(box_paths, "21", "2", filed["id"])  # decline
    wait_for(lambda: phone_state(box_paths, "22") == "ringing", "the colleague, 22, rings")
    assert phone_state(box_paths, "21") == "idle"
    ctl_json(box_paths, "phone", "22", "answer")
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "staff-answered", "whisper")
    staff_press(box_paths, "22", "1", filed["id"])
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "connected",
             "the visitor is connected to 22", timeout=15)
    history = ctl_json(box_paths, "call", "callback.status", json.dumps({"id": filed["id"]}))
    assert history["state"] == "connected"


def test_a_restart_resumes_a_waiting_request(box_paths):
    proc = start_daemon(box_paths)
    wait_for_api(box_paths, proc)
    filed = ctl_json(box_paths, "callback", "office", "030 1234567", "--when", "1m")
    assert stop(proc) == 0
    proc = start_daemon(box_paths)
    try:
        wait_for_api(box_paths, proc)
        assert request(box_paths, filed["id"])["state"] == "queued"
        # The minute is over in ~60 s of wall time; resume means the timer is back.
        assert abs(request(box_paths, filed["id"])["due"] - filed["due"]) < 0.01
    finally:
        assert stop(proc) == 0


def test_refusals_are_clear(daemon, box_paths):
    for args, message in [
        (["callback", "office", "0900 1234567"], "premium-rate"),
        (["callback", "office", "hello"], "not a phone number"),
        (["callback", "nope", "030 1234567"], "no callback link 'nope'"),
        (["callback", "office", "030 1234567", "--when", "tomorrow"], "now, 2m, 5m"),
    ]:
        out = run_ctl(box_paths, *args)
        assert out.returncode == 1 and message in out.stderr, out.stderr
    for _ in range(7):
        ctl_json(box_paths, "callback", "office", "030 7654321", "--when", "30m")
    out = run_ctl(box_paths, "callback", "office", "030 7654321", "--when", "30m")
    assert out.returncode == 1 and "please try again in" in out.stderr


def test_a_prepaid_link_needs_the_visitors_pin_and_minutes(daemon, box_paths):
    settings = ctl_json(box_paths, "call", "callback.config")
    settings["links"][0]["prepaid"] = True
    out = run_ctl(box_paths, "call", "callback.configure", json.dumps({"config": settings}))
    assert out.returncode == 0, out.stderr
    out = run_ctl(box_paths, "callback", "office", "030 1230001", "--pin", "2468")
    assert out.returncode == 1 and "no prepaid account" in out.stderr
    account = ctl_json(box_paths, "call", "prepaid.topup", json.dumps(
        {"number": "030 1230001", "minutes": 5, "pin": "2468"}))
    assert account == {"number": "+49301230001", "seconds": 300, "minutes": 5.0}
    out = run_ctl(box_paths, "callback", "office", "030 1230001", "--pin", "1111")
    assert out.returncode == 1 and "the PIN is wrong" in out.stderr
    filed = ctl_json(box_paths, "callback", "office", "030 1230001", "--pin", "2468")
    assert filed["state"] in ("queued", "ringing-staff")


def test_staff_number_1_busy_so_number_2_answers(daemon, box_paths):
    ctl_json(box_paths, "phone", "21", "dial", "00301234567")  # 21 is on the phone
    wait_for(lambda: phone_state(box_paths, "21") == "connected", "21 talks")
    filed = ctl_json(box_paths, "callback", "office", "030 1230001")
    wait_for(lambda: phone_state(box_paths, "22") == "ringing", "staff number 2 rings")
    ctl_json(box_paths, "phone", "22", "answer")
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "staff-answered", "whisper")
    staff_press(box_paths, "22", "1", filed["id"])
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "connected",
             "the visitor is connected to 22", timeout=15)


def test_a_caller_to_the_callback_number_is_called_back(daemon, box_paths):
    """An MSN routed to "callback:office": the box answers, says it will call back, hangs
    up; then staff ring first and the caller's own number is dialled."""
    config = ctl_json(box_paths, "call", "pbx.config")
    config["routes"].append({"number": "5551099", "target": "callback:office"})
    assert run_ctl(box_paths, "call", "pbx.configure",
                   json.dumps({"config": config})).returncode == 0
    wrong = dict(config, routes=[*config["routes"][:-1],
                                 {"number": "5551099", "target": "callback:nope"}])
    out = run_ctl(box_paths, "call", "pbx.configure", json.dumps({"config": wrong}))
    assert out.returncode == 1 and "no callback link 'nope'" in out.stderr, out.stderr

    run_ctl(box_paths, "sim-call", "0301230001", "5551099")  # answers and presses 1 later
    wait_for(lambda: any(c["to"] == "callback:office" for c in ctl_json(box_paths, "calls")),
             "the box answers the caller")
    [filed] = wait_for(lambda: [r for r in ctl_json(box_paths, "callbacks")
                                if "by phone" in r.get("note", "")], "the request is queued")
    assert filed["number"] == "+49301230001"
    wait_for(lambda: not any(c["to"] == "callback:office"
                             for c in ctl_json(box_paths, "calls")),
             "the box hangs up after saying so", timeout=20)
    wait_for(lambda: phone_state(box_paths, "21") == "ringing", "staff phone 21 rings")
    ctl_json(box_paths, "phone", "21", "answer")
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "staff-answered",
             "staff hear the whisper")
    staff_press(box_paths, "21", "1", filed["id"])
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "connected",
             "the caller is called back, answers and presses 1", timeout=15)
    ctl_json(box_paths, "phone", "21", "hangup")
    wait_for(lambda: request(box_paths, filed["id"])["state"] == "done", "done")
    rows = ctl_json(box_paths, "cdr")["rows"]
    asked = next(r for r in rows if r["dst"] == "callback:office")
    assert (asked["src"], asked["msn"], asked["disposition"]) == \
        ("0301230001", "5551099", "ANSWERED")
