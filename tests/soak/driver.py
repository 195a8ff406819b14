"""The soak: the real daemon on the simulated line takes call after call (from the
PSTN, between extensions, callbacks) for a while; afterwards nothing may be left over
(no call, no B-channel, no open request), every call must have its CDR row, and the
daemon's memory must not grow with the number of calls."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from firmware.api.client import ApiClient
from firmware.api.protocol import ApiError

POLL = 0.02  # seconds between looks at the box
THINK = 0.1  # seconds between calls: people do not redial within milliseconds, and on
# the P-MP bus each offer holds one of 127 call references for T312 (6 s) after the call
VISITOR = "030 1230001"  # the virtual PSTN's subscriber who answers and presses 1


class SoakFailure(AssertionError):
    pass


@dataclass
class Phase:
    name: str
    calls: int = 0
    seconds: float = 0.0
    rss_start_kb: int = 0
    rss_end_kb: int = 0

    @property
    def growth_kb_per_1000(self) -> float:
        return (self.rss_end_kb - self.rss_start_kb) * 1000 / max(self.calls, 1)


@dataclass
class SoakResult:
    phases: list[Phase] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise SoakFailure(f"no VmRSS for pid {pid}")


class Soak:
    def __init__(self, client: ApiClient, pid: int) -> None:
        self.api = client
        self.pid = pid

    def lift_guard(self) -> None:
        """The virtual PSTN has one answering subscriber, so every callback goes to the
        same visitor: lift the per-number limits (the guard has tests of its own)."""
        settings = self.api.call("callback.config")
        for link in settings["links"]:
            link["limits"].update(per_15_minutes=10**6, per_hour=10**6, per_day=10**6,
                                  numbers_per_ip_hour=10**6, daily_minutes=10**6)
        self.api.call("callback.configure", config=settings)

    def run(self, seconds: float, warmup_rounds: int = 20) -> SoakResult:
        """Half the time plain calls (PSTN and internal), half callbacks: each
        callback's record stays in memory by design (status, caller cards), so its
        growth is judged on its own."""
        self.lift_guard()
        slots_idle = self.media_slots()  # an analog phone's line holds one all the time
        for _ in range(warmup_rounds):  # imports, caches, the event history fill first
            self.pstn_call()
            self.internal_call()
            self.callback()
        cdr_before = self.api.call("cdr", limit=1)["total"]
        result = SoakResult()
        result.phases.append(self._phase("calls", seconds / 2, self._plain_calls))
        result.phases.append(self._phase("callbacks", seconds / 2, self._one_callback))
        self._check_nothing_left(result, cdr_before, sum(p.calls for p in result.phases),
                                 slots_idle)
        return result

    def _phase(self, name: str, seconds: float, step: Callable[[], int]) -> Phase:
        phase = Phase(name, rss_start_kb=rss_kb(self.pid))
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            phase.calls += step()
        phase.seconds = time.monotonic() - start
        phase.rss_end_kb = rss_kb(self.pid)
        return phase

    def _plain_calls(self) -> int:
        self.pstn_call()
        self.internal_call()
        return 2

    def _one_callback(self) -> int:
        self.callback()
        return 1

    def pstn_call(self) -> None:
        self.api.call("sim.call", **{"from": "0301112222", "to": "5551021"})
        self.wait(lambda: self.phone("21")["state"] == "ringing", "21 rings")
        self.api.call("sim.phone", name="21", action="answer")
        call = self.wait(lambda: self.connected_call(), "the PSTN call connects")
        self.api.call("hangup", call=call)
        self.wait(self.idle, "the PSTN call clears")
        time.sleep(THINK)

    def internal_call(self) -> None:
        self.api.call("sim.phone", name="22", action="dial", number="21")
        self.wait(lambda: self.phone("21")["state"] == "ringing", "21 rings for 22")
        self.api.call("sim.phone", name="21", action="answer")
        self.wait(lambda: self.phone("22")["state"] == "connected", "22 is connected")
        self.api.call("sim.phone", name="22", action="hangup")
        self.wait(self.idle, "the internal call clears")
        time.sleep(THINK)

    def callback(self) -> None:
        req = self.api.call("callback", link="office", number=VISITOR, ip="192.0.2.1",
                            cookie="soak")
        self.wait(lambda: self.phone("21")["state"] == "ringing", "staff phone 21 rings")
        self.api.call("sim.phone", name="21", action="answer")
        self.wait(lambda: self._accepted(req["id"]), "staff accept the whisper with 1")
        self.wait(lambda: self.api.call("callback.status", id=req["id"])["state"]
                  == "connected", "the visitor presses 1 and is connected")
        self.api.call("sim.phone", name="21", action="hangup")
        self.wait(lambda: self.api.call("callback.status", id=req["id"])["state"] == "done",
                  "the callback is done")
        self.wait(self.idle, "the callback's call clears")
        time.sleep(THINK)

    def _accepted(self, request_id: str) -> bool:
        """Staff press 1 once the whisper asks (a moment after answering)."""
        if self.api.call("callback.status", id=request_id)["state"] != "staff-answered":
            return self.api.call("callback.status", id=request_id)["state"] != "ringing-staff"
        self.api.call("sim.phone", name="21", action="dtmf", number="1")
        time.sleep(0.3)
        return False

    # looking at the box -------------------------------------------------------------
    def phone(self, msn: str) -> dict:
        return next(p for p in self.api.call("status")["sim"]["peers"]
                    if p.get("msn") == msn)

    def connected_call(self) -> str | None:
        calls = self.api.call("calls")
        return calls[0]["call"] if calls and calls[0]["state"] == "connected" else None

    def idle(self) -> bool:
        return (self.api.call("calls") == [] and self.api.call("channels") == []
                and all(self.phone(m)["state"] == "idle" for m in ("21", "22")))

    def wait(self, predicate: Callable[[], object], what: str, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                got = predicate()
            except ApiError as e:
                raise SoakFailure(f"{what}: the daemon said {e}") from None
            if got:
                return got
            time.sleep(POLL)
        raise SoakFailure(f"timed out: {what}")

    def media_slots(self) -> tuple[int, int]:
        """Open media engine slots: (on the box, on the far side)."""
        far = (self.api.call("status").get("sim") or {}).get("media") or {}
        return self.api.call("media")["open"], far.get("open", 0)

    def _check_nothing_left(self, result: SoakResult, cdr_before: int, calls: int,
                            slots_idle: tuple[int, int]) -> None:
        if not self.idle():
            result.problems.append("calls or channels left over")
        rows = self.api.call("cdr", limit=1)["total"] - cdr_before
        if rows != calls:
            result.problems.append(f"{calls} calls but {rows} CDR rows")
        still_open = self.api.call("callbacks", open_only=True)
        if still_open:
            result.problems.append(f"{len(still_open)} callback request(s) still open")
        # every call's engine slot is back, on the box and on the far side
        (box, far), (box_idle, far_idle) = self.media_slots(), slots_idle
        if box > box_idle or far > far_idle:
            result.problems.append(f"media slots left open: {box} on the box, {far} on "
                                   f"the far side (idle before the calls: {box_idle}, "
                                   f"{far_idle})")
