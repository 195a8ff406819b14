"""Random and mutated frames against LAPD, Q.931 and the whole stack, on both sides.

The corpus is what a real call puts on the wire (captured from our TE and NT talking);
mutations flip bits, cut, stretch, splice and replace frames. Three targets share the
budget: raw frames into each side's port (LAPD and, through it, Q.931), Q.931 messages
straight into each side's call control (so malformed layer-3 content is not stopped by
sequence numbers first), and frames injected while calls are being set up and cleared.
Nothing may raise; afterwards both sides must still complete a call.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from firmware.isdn.dss1.primitives import Ind
from firmware.ports.base import PhDataInd
from tests.unit.isdn_pair import End, make_lines

MUTATORS: list[Callable[[random.Random, bytes], bytes]] = [
    lambda r, f: bytes(r.randrange(256) for _ in range(r.randrange(0, 64))),
    lambda r, f: _flip(r, f),
    lambda r, f: f[:r.randrange(len(f) + 1)],
    lambda r, f: f + bytes(r.randrange(256) for _ in range(r.randrange(1, 16))),
    lambda r, f: _splice(r, f),
    lambda r, f: _set_byte(r, f),
]


def _flip(r: random.Random, f: bytes) -> bytes:
    if not f:
        return f
    b = bytearray(f)
    for _ in range(r.randrange(1, 4)):
        i = r.randrange(len(b))
        b[i] ^= 1 << r.randrange(8)
    return bytes(b)


def _splice(r: random.Random, f: bytes) -> bytes:
    cut = r.randrange(len(f) + 1)
    return f[:cut] + bytes(r.randrange(256) for _ in range(r.randrange(0, 8))) + f[cut:]


def _set_byte(r: random.Random, f: bytes) -> bytes:
    if not f:
        return f
    b = bytearray(f)
    b[r.randrange(len(b))] = r.choice((0x00, 0x7F, 0x80, 0xFF, 0x05, 0x08, 0x95, 0xA1))
    return bytes(b)


@dataclass
class FuzzResult:
    frames: int = 0
    messages: int = 0
    during_calls: int = 0
    calls_after: list[bool] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.frames + self.messages + self.during_calls


def capture_corpus(seed: int) -> tuple[list[bytes], list[bytes]]:
    """(LAPD frames, Q.931 messages) of a few ordinary calls between our two sides."""
    clock, bus, nt, (te,) = make_lines(seed=seed)
    frames: list[bytes] = []
    bus.lose_d = lambda frame: frames.append(frame) or False
    _complete_call(clock, te, nt)
    _complete_call(clock, nt, te)
    messages = [f[4:] for f in frames if len(f) > 4 and not f[2] & 1]  # I-frame info
    messages += [f[3:] for f in frames if len(f) > 3 and f[2] == 0x03 and f[0] >> 2 == 0]
    return frames, messages


def _complete_call(clock, caller: End, callee: End) -> bool:
    call = caller.line.dial("555")
    clock.advance(0.3)
    offers = [e.call for e in callee.got if e.ind is Ind.SETUP_IND]
    if not offers or offers[-1] not in callee.line.cc.calls:
        return False
    callee.line.answer(offers[-1])
    clock.advance(0.3)
    c = caller.line.cc.calls.get(call)
    ok = c is not None and c.state == 10
    if ok:
        caller.line.hangup(call)
    clock.advance(1)
    return ok and call not in caller.line.cc.calls


def run(count: int, seed: int = 1, ptp: bool = False) -> FuzzResult:
    r = random.Random(seed)
    frames, messages = capture_corpus(seed)
    result = FuzzResult()
    clock, bus, nt, (te,) = make_lines(seed=seed, ptp=ptp)
    share = count // 3
    for i in range(share):  # raw frames into both ports
        end = nt if i & 1 else te
        frame = r.choice(MUTATORS)(r, r.choice(frames))
        end.line.port.indicate(PhDataInd(end.line.port.name, frame))
        result.frames += 1
        if i % 2000 == 0:
            clock.advance(r.choice((0.01, 1.0, 5.0)))
    for i in range(share):  # Q.931 straight into call control
        end = nt if i & 1 else te
        message = r.choice(MUTATORS)(r, r.choice(messages))
        tei = r.choice((64, 65, 127)) if end is nt else None
        end.line._run(end.line.cc.receive(tei, message, broadcast=r.random() < 0.1))
        result.messages += 1
        if i % 500 == 0:
            clock.advance(r.choice((0.01, 1.0, 40.0)))
    rest = count - 2 * share
    while result.during_calls < rest:  # injected while real calls come and go
        caller, callee = (te, nt) if r.random() < 0.5 else (nt, te)
        caller.line.dial("555")
        for _ in range(min(200, rest - result.during_calls)):
            end = r.choice((nt, te))
            frame = r.choice(MUTATORS)(r, r.choice(frames))
            end.line.port.indicate(PhDataInd(end.line.port.name, frame))
            result.during_calls += 1
            clock.advance(0.005)
        for e in callee.got[-3:]:
            if e.ind is Ind.SETUP_IND and e.call in callee.line.cc.calls:
                callee.line.answer(e.call)
        clock.advance(r.choice((0.5, 5.0, 60.0)))
        for c in list(caller.line.cc.calls):
            caller.line.hangup(c)
    clock.advance(300)  # let every timer run out: nothing may stay stuck
    result.calls_after = [_complete_call(clock, te, nt), _complete_call(clock, nt, te)]
    return result
