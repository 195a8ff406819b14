"""Our ISDN stack judged by libpri: the real daemon on a lapdsock line, libpri at the
other end (tests/libpri/pri_peer.c), both sides, point-to-multipoint and point-to-point.

Every run writes the daemon's D-channel to a pcap, which tshark must decode with no
malformed packet and no expert warning.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from firmware.api.client import ApiClient
from tests.libpri.peer import PriPeer
from tests.system.boxprocs import BoxPaths, run_ctl, start_daemon, stop, wait_for_api
from tests.tshark import tshark_decode, tshark_problems

CONFIGS = [("te", "ptmp"), ("nt", "ptmp"), ("te", "ptp"), ("nt", "ptp")]
OTHER = {"te": "nt", "nt": "te"}


@dataclass
class Line:
    """Our daemon (side, mode) with libpri on the far end."""

    paths: BoxPaths
    peer: PriPeer
    side: str
    mode: str

    def ctl(self, *args: str) -> str:
        out = run_ctl(self.paths, *args)
        assert out.returncode == 0, out.stderr
        return out.stdout

    def calls(self) -> list[dict]:
        return json.loads(self.ctl("--json", "channels"))

    def dial(self, number: str) -> str:
        return json.loads(self.ctl("--json", "dial", "line", number))["call"]

    def wait_calls(self, predicate, what: str, timeout: float = 15) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.calls()
            if predicate(calls):
                return calls
            time.sleep(0.05)
        raise AssertionError(f"timed out: {what}; calls {self.calls()}\n"
                             f"{self.peer.stderr_tail()}")

    def released(self, call: str, timeout: float = 15) -> int:
        """The cause our side reports when `call` is gone."""
        with ApiClient(self.paths.socket, timeout=timeout) as client:
            for e in client.events(["call.released"], replay=200, timeout=timeout):
                if e["data"]["call"] == call:
                    return e["data"]["cause"]
        raise AssertionError(f"{call} was not released")

    def offered(self, timeout: float = 15) -> dict:
        with ApiClient(self.paths.socket, timeout=timeout) as client:
            seen = {c["call"] for c in self._offers}
            for e in client.events(["call.offered"], replay=200, timeout=timeout):
                if e["data"]["call"] not in seen:
                    self._offers.append(e["data"])
                    return e["data"]
        raise AssertionError("no call offered")

    def __post_init__(self) -> None:
        self._offers: list[dict] = []

    def active(self, call: str) -> None:
        """The call is active here, on a B-channel both ends agreed on."""
        state = ("N" if self.side == "nt" else "U") + "10 ACTIVE"
        calls = self.wait_calls(
            lambda cs: any(c["call"] == call and c["state"] == state for c in cs),
            f"{call} active")
        assert [c["channel"] for c in calls if c["call"] == call] in ([1], [2])

    def idle(self) -> None:
        self.wait_calls(lambda cs: cs == [], "no calls left")


@contextmanager
def running_line(box_paths: BoxPaths, side: str, mode: str, *extra: str) -> Iterator[Line]:
    """Our daemon on a lapdsock line with libpri at the far end; afterwards the
    daemon's D-channel traces must satisfy tshark."""
    sock = box_paths.root / "d.sock"
    trace = box_paths.root / "trace"
    with PriPeer(sock, OTHER[side], mode) as peer:
        proc = start_daemon(box_paths, "--line", f"lapdsock:{sock}", "--side", side,
                            "--mode", mode, "--trace-dir", str(trace), *extra)
        try:
            wait_for_api(box_paths, proc)
            peer.wait_event("DCHAN_UP", timeout=15)
            yield Line(box_paths, peer, side, mode)
        finally:
            code = stop(proc)
            tail = proc.stderr.read()
        assert code == 0, tail
    pcaps = list(trace.glob("*.pcap"))
    assert pcaps, "no trace written"
    for pcap in pcaps:
        assert tshark_problems(pcap) == []
        assert tshark_decode(pcap), f"{pcap} is empty"


@pytest.fixture(params=CONFIGS, ids=[f"our-{s}-{m}" for s, m in CONFIGS])
def line(request, box_paths) -> Iterator[Line]:
    with running_line(box_paths, *request.param) as running:
        yield running


def test_outgoing_call_connects_and_we_clear_it(line):
    call = line.dial("123")
    ring = line.peer.wait_event("RING", called="123")
    line.peer.command(f"proceeding {ring['id']}")
    line.peer.command(f"alert {ring['id']}")
    line.peer.command(f"answer {ring['id']}")
    line.active(call)
    line.ctl("hangup", call)
    assert line.peer.wait_cleared(ring["id"]) == 16
    assert line.released(call) == 16
    line.idle()


def test_outgoing_call_cleared_by_libpri(line):
    call = line.dial("124")
    ring = line.peer.wait_event("RING", called="124")
    line.peer.command(f"answer {ring['id']}")
    line.active(call)
    line.peer.command(f"hangup {ring['id']} 16")
    assert line.released(call) == 16
    line.idle()


def test_outgoing_call_to_a_busy_destination_gets_cause_17(line):
    call = line.dial("125")
    ring = line.peer.wait_event("RING", called="125")
    # CALL PROCEEDING, then DISCONNECT "user busy": libpri sends nothing at all for a
    # hangup straight from the call-present state, so it must proceed first.
    line.peer.command(f"proceeding {ring['id']}")
    line.peer.command(f"hangup {ring['id']} 17")
    assert line.released(call) == 17
    line.idle()


def test_incoming_call_alerts_and_is_answered_then_libpri_clears(line):
    libpri_call = line.peer.dial("21", "0301234567")
    offered = line.offered()
    assert offered["called"] == "21" and offered["calling"] == "0301234567"
    line.ctl("alert", offered["call"])
    line.peer.wait_event("RINGING", id=libpri_call)
    line.ctl("answer", offered["call"])
    line.peer.wait_event("ANSWER", id=libpri_call)
    line.active(offered["call"])
    line.peer.command(f"hangup {libpri_call} 16")
    assert line.released(offered["call"]) == 16
    line.idle()


def test_incoming_call_rejected_and_busy(line):
    for cause in (21, 17):
        libpri_call = line.peer.dial("21")
        offered = line.offered()
        line.ctl("reject", offered["call"], str(cause))
        assert line.peer.wait_cleared(libpri_call, timeout=20) == cause
        line.idle()


@pytest.mark.parametrize("line", [("te", "ptmp"), ("nt", "ptmp")], indirect=True,
                         ids=["our-te", "our-nt"])
def test_idle_line_survives_t203_polling_for_30_seconds(line):
    time.sleep(31)  # three T203 periods: both ends poll with RR P=1 and must be answered
    assert not [e for e in line.peer.seen if e["kind"] == "DCHAN_DOWN"]
    ports = json.loads(line.ctl("--json", "ports"))
    assert ports[0]["l2"]["links"][0]["state"] == "MULTIPLE_FRAME_ESTABLISHED"
    test_outgoing_call_connects_and_we_clear_it(line)


def test_data_link_and_tei(line):
    (port,) = json.loads(line.ctl("--json", "ports"))
    (link,) = port["l2"]["links"]
    assert link["state"] == "MULTIPLE_FRAME_ESTABLISHED"
    if line.mode == "ptp":
        assert link["tei"] == 0
    else:
        assert 64 <= link["tei"] <= 126  # automatic TEI, assigned by whichever is the NT


@pytest.mark.parametrize("side,mode,cause", [("te", "ptp", 1), ("te", "ptmp", 88)],
                         ids=["ptp-unallocated", "ptmp-incompatible"])
def test_a_call_for_a_number_we_do_not_serve_is_refused_at_once(box_paths, side, mode, cause):
    with running_line(box_paths, side, mode, "--msn", "21,22") as line:
        libpri_call = line.peer.dial("99")
        assert line.peer.wait_cleared(libpri_call, timeout=20) == cause
        served = line.peer.dial("22")  # a number we do serve is still offered
        offered = line.offered()
        assert offered["called"] == "22"
        line.ctl("reject", offered["call"])
        line.peer.wait_cleared(served, timeout=20)
