"""What a simulated analog phone hears: call-progress tones told apart by frequency and
cadence, as a person (or a test set) would.

Each media tick gives one block's power at the country's tone frequencies and its total
(ext/goertzel.c). A block is "tone" when most of its power sits at the plan's
frequencies, "silent" when it is quiet, else "other" (speech, DTMF, FSK). Runs of
tone/silence are timed, and the latest runs are matched against each tone's cadence in
the country's plan (tones.py): dial (continuous), busy, ringback, congestion,
call-waiting. The run before a tone starts is silence of any length (the lead-in).
"""

from __future__ import annotations

from typing import Any

from firmware.media import tones
from firmware.media.tone_energy import ToneEnergy

SILENCE_POWER = 2.6e4  # mean square: about -40 dBm0 (0 dBm0 is 22827 peak)
TONE_SHARE = 0.6  # of a block's power at the plan's frequencies: a tone
TOLERANCE_MS = 30  # per run: runs are whole ticks (20 ms) and may gain one
CONTINUOUS_MS = 1000  # at least: a tone this long without a break is a continuous one
# call_waiting before congestion: its 200 ms bursts would also start a congestion match
HEARD = ("dial", "busy", "ringback", "call_waiting", "congestion")
MAX_RUNS = 8


class Ear:
    def __init__(self, country: str, tick_ms: float) -> None:
        self.tick_ms = tick_ms
        self.patterns = {name: [(bool(s.freqs), s.ms) for s in tones.tone(country, name).segments]
                         for name in HEARD}
        freqs = sorted({f for name in HEARD for s in tones.tone(country, name).segments
                        for f in s.freqs})
        self.energy = ToneEnergy(tuple(freqs))
        # longer than any burst of a cadenced tone (US ringback rings 2 s), so the first
        # burst of a ringback is not taken for dial tone
        self.continuous_ms = max([CONTINUOUS_MS] + [ms + 2 * TOLERANCE_MS
                                                    for p in self.patterns.values()
                                                    if len(p) > 1 for on, ms in p if on])
        self.runs: list[tuple[str, float]] = []  # completed (kind, ms); kind: tone/silent/other
        self.kind = "silent"
        self.ms = 0.0

    def block(self, samples: Any) -> None:
        powers, total = self.energy.block(samples)
        if total < SILENCE_POWER:
            kind = "silent"
        elif sum(powers) >= TONE_SHARE * total:
            kind = "tone"
        else:
            kind = "other"
        if kind == self.kind:
            self.ms += self.tick_ms
            return
        self.runs.append((self.kind, self.ms))
        del self.runs[:-MAX_RUNS]
        self.kind, self.ms = kind, self.tick_ms

    def reset(self) -> None:
        self.runs.clear()
        self.kind, self.ms = "silent", 0.0

    def hears(self) -> str:
        """dial, busy, ringback, congestion, call-waiting, silence or other."""
        if self.kind == "other":
            return "other"
        for name, pattern in self.patterns.items():
            if self._matches(pattern):
                return name.replace("_", "-")
        if self.kind == "silent" and (not self.runs or self.ms > 6000):
            return "silence"
        return "other"

    def _matches(self, pattern: list[tuple[bool, int]]) -> bool:
        if len(pattern) == 1:  # continuous
            return self.kind == "tone" and self.ms > self.continuous_ms
        need = 3 if len(pattern) > 2 else 2
        if len(self.runs) < need:
            return False
        done = self.runs[-need:]
        n = len(pattern)
        for start in range(n):  # the rotation in which the current run is at `start`
            seg_on, seg_ms = pattern[start]
            if (self.kind == "tone") != seg_on or self.ms > seg_ms + TOLERANCE_MS:
                continue
            ok = True
            for back, (kind, ms) in enumerate(reversed(done), start=1):
                on, expect = pattern[(start - back) % n]
                if (kind == "tone") != on or kind == "other":
                    ok = False
                    break
                lead_in = back == need and not on  # silence before the tone began
                if not lead_in and abs(ms - expect) > TOLERANCE_MS:
                    ok = False
                    break
            if ok:
                return True
        return False
