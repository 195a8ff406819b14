"""The real daemon as a process: start, answer, stream events, stop, refuse bad input."""

from __future__ import annotations

import itertools
import json
import signal
import subprocess
import sys
import time

from firmware.api.client import ApiClient
from tests.system.boxprocs import REPO, run_ctl, start_daemon, stop, wait_for_api


def test_ctl_status_shows_ports_up_on_the_simulated_line(daemon, box_paths):
    out = run_ctl(box_paths, "status")
    assert out.returncode == 0, out.stderr
    assert "on board sim" in out.stdout
    lines = {line.split()[0]: line.split() for line in out.stdout.splitlines() if line.strip()}
    assert lines["trunk"][1:8] == ["TE", "ptmp", "sim", "activated", "tei", "64", "established"]
    assert lines["s0int"][1:9] == ["NT", "ptmp", "sim", "activated", "tei", "64,65",
                                   "established", "idle"]  # L3: no call
    assert "exchange" in lines and "s0int.phone2" in lines


def test_ctl_json_status_is_the_api_answer(daemon, box_paths):
    out = run_ctl(box_paths, "--json", "status")
    status = json.loads(out.stdout)
    assert status["board"] == "sim" and status["store"]["schema"] == 1
    assert {p["name"]: p["l1"] for p in status["ports"]} == {"trunk": "activated",
                                                            "s0int": "activated",
                                                            "fxs1": "activated"}


def test_ctl_calls_a_pstn_subscriber_over_the_trunk_and_hangs_up(daemon, box_paths):
    out = run_ctl(box_paths, "dial", "trunk", "0301234567", "--calling", "21")
    assert out.returncode == 0, out.stderr
    call = out.stdout.split("call ")[-1].strip()
    assert call.startswith("trunk:")
    calls = wait_for(lambda: [c for c in json.loads(
        run_ctl(box_paths, "--json", "channels").stdout) if c["call"] == call
        and c["state"] == "U10 ACTIVE"], "the subscriber answers after 1 s")
    assert calls[0]["channel"] in (1, 2)
    assert "U10 ACTIVE" in run_ctl(box_paths, "channels").stdout
    trunk = next(p for p in json.loads(run_ctl(box_paths, "--json", "ports").stdout)
                 if p["name"] == "trunk")
    assert [(c["call"], c["state"]) for c in trunk["l3"]] == \
        [(int(call.split(":")[1]), "U10 ACTIVE")]
    assert f"B{calls[0]['channel']} U10 ACTIVE" in run_ctl(box_paths, "ports").stdout
    assert run_ctl(box_paths, "hangup", call).returncode == 0
    wait_for(lambda: json.loads(run_ctl(box_paths, "--json", "channels").stdout) == [],
             "the call is cleared")


def test_busy_and_unallocated_numbers_come_back_with_their_causes(daemon, box_paths):
    calls = {}
    for number in ("0309999999", "0300000000"):
        out = run_ctl(box_paths, "--json", "dial", "trunk", number)
        calls[json.loads(out.stdout)["call"]] = number
    with ApiClient(box_paths.socket) as client:  # the replay holds what already happened
        events = client.events(["call.released"], replay=50, timeout=10)
        causes = {e["data"]["call"]: e["data"]["cause"] for e in itertools.islice(events, 2)}
    # user busy, unallocated number
    assert {calls[c]: cause for c, cause in causes.items()} == {"0309999999": 17,
                                                                "0300000000": 1}


def test_a_pstn_subscriber_calls_the_box_which_answers_through_ctl(daemon, box_paths):
    assert run_ctl(box_paths, "sim-call", "0301234567", "21").returncode == 0
    with ApiClient(box_paths.socket) as client:
        offered = next(client.events(["call.offered"], replay=50, timeout=10))["data"]
    assert offered["called"] == "21" and offered["calling"] == "0301234567"
    assert run_ctl(box_paths, "answer", offered["call"]).returncode == 0
    wait_for(lambda: [c for c in json.loads(run_ctl(box_paths, "--json", "channels").stdout)
                      if c["state"] == "U10 ACTIVE"], "the answer is acknowledged")
    assert run_ctl(box_paths, "hangup", offered["call"]).returncode == 0


def test_call_commands_give_clear_errors(daemon, box_paths):
    for args, message in [
        (["dial", "29", "0301234567"], "no extension 29"),
        (["dial", "line9", "0301234567"], "no line or extension 'line9' to call from"),
        (["dial", "trunk", "03-12"], "bad number '03-12'"),
        (["hangup", "c1"], "no call c1"),
        (["hangup", "x1"], "call 'x1': expected PORT:ID"),
        (["hangup", "trunk:99"], "no call 99 on trunk"),
        (["reject", "trunk:1", "300"], "cause 300: Q.850 causes are 1..127"),
    ]:
        out = run_ctl(box_paths, *args)
        assert out.returncode == 1
        assert out.stderr.startswith(f"ringback-ctl: {message}"), out.stderr


def wait_for(predicate, what: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting: {what}")


def test_events_stream_replays_layer1_activation(daemon, box_paths):
    with ApiClient(box_paths.socket) as client:
        events = client.events(["port.l1"], replay=10, timeout=5)
        seen = {(e["data"]["port"], e["data"]["state"]) for e in itertools.islice(events, 2)}
    assert seen == {("trunk", "activated"), ("s0int", "activated")}


def test_ctl_cannot_reach_a_stopped_daemon(box_paths):
    out = run_ctl(box_paths, "status")
    assert out.returncode == 3
    assert out.stderr.startswith("ringback-ctl: cannot reach ringbackd at ")
    assert "Traceback" not in out.stderr


def test_sigterm_stops_cleanly_and_removes_the_socket(box_paths):
    proc = start_daemon(box_paths)
    wait_for_api(box_paths, proc)
    assert stop(proc, signal.SIGTERM) == 0
    assert not box_paths.socket.exists()
    assert "event=stopped" in proc.stderr.read()


def test_sigint_stops_cleanly(box_paths):
    proc = start_daemon(box_paths)
    wait_for_api(box_paths, proc)
    assert stop(proc, signal.SIGINT) == 0


def test_restart_counts_boots_in_the_store(box_paths):
    for expected in (1, 2):
        proc = start_daemon(box_paths)
        wait_for_api(box_paths, proc)
        with ApiClient(box_paths.socket) as client:
            assert client.call("status")["boots"] == expected
        assert stop(proc) == 0


def test_restart_after_sigkill_replaces_the_stale_socket(box_paths):
    proc = start_daemon(box_paths)
    wait_for_api(box_paths, proc)
    stop(proc, signal.SIGKILL)
    assert box_paths.socket.exists()  # left behind, as after a power cut
    proc = start_daemon(box_paths)
    wait_for_api(box_paths, proc)
    assert stop(proc) == 0


def test_second_daemon_on_the_same_data_is_refused(daemon, box_paths):
    second = start_daemon(box_paths)
    _, err = second.communicate(timeout=10)
    assert second.returncode == 1
    assert err.strip().splitlines()[-1].startswith("ringbackd: error: another ringbackd (pid ")


def _daemon_exit(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "firmware.daemon", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=20)


def test_missing_board_profile_is_one_line_and_exit_2(box_paths):
    out = _daemon_exit("--config", str(box_paths.config), "--board", "no-such-board")
    assert out.returncode == 2
    assert out.stderr == ("ringbackd: error: board profile 'no-such-board' not found "
                          "(available: pcengines-apu2, sim)\n")


def test_bad_config_is_one_line_and_exit_2(tmp_path):
    cases = {
        "board = \n": "not valid TOML",
        "bord = \"sim\"\n": "unknown key 'bord'",
        "board = 7\n": "'board' must be str, got int 7",
        "log_level = \"loud\"\n": "log level 'loud' is not one of debug, info, warning, error",
        "country = \"Germany\"\n": "'country' must be a two-letter code",
        "[api]\nsocket = 5\n": "[api]: 'socket' must be str",
    }
    for text, message in cases.items():
        cfg = tmp_path / "ringback.toml"
        cfg.write_text(text)
        out = _daemon_exit("--config", str(cfg))
        assert out.returncode == 2, text
        assert len(out.stderr.splitlines()) == 1, out.stderr
        assert out.stderr.startswith("ringbackd: error: ") and message in out.stderr, out.stderr


def test_missing_config_file_is_one_line_and_exit_2(tmp_path):
    out = _daemon_exit("--config", str(tmp_path / "nope.toml"))
    assert out.returncode == 2
    assert out.stderr == f"ringbackd: error: config {tmp_path / 'nope.toml'} not found\n"


def test_board_without_its_driver_says_so(box_paths):
    out = _daemon_exit("--config", str(box_paths.config), "--board", "pcengines-apu2")
    assert out.returncode == 2
    assert out.stderr == ("ringbackd: error: board pcengines-apu2: port trunk needs the "
                          "'misdn' backend, which this build does not have yet "
                          "(available: sim, lapdsock)\n")


def test_check_flag_validates_without_starting(box_paths):
    out = _daemon_exit("--config", str(box_paths.config), "--check")
    assert out.returncode == 0
    assert out.stdout == "ringbackd: configuration ok (board sim, 3 ports)\n"
    assert not box_paths.data_dir.exists()
