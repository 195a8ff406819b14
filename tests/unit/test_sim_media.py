"""B-channel audio on the simulated line: the box's engine slots exchange bytes with the
far side's through the same rx/tx buffers a real driver fills, once per media tick."""

from __future__ import annotations

import os

import pytest

from firmware.clock import VirtualClock
from firmware.isdn.line import IsdnLine
from firmware.media import g711, tones
from firmware.media.engine import EventKind, MediaEngine
from firmware.media.ticker import MediaTicker
from firmware.ports.base import BProtocol
from firmware.sim.world import SimWorld
from firmware.system.board import PortSpec

TICK = 160
ALAW_SILENCE = b"\xd5" * TICK


class Box:
    """The daemon's media wiring, on a virtual clock: box engine, ticker, sim world."""

    def __init__(self, far_end: str = "exchange") -> None:
        self.clock = VirtualClock()
        self.media = MediaEngine(32, TICK)
        self.ticker = MediaTicker(self.clock, self.media.tick_seconds)
        self.events: list = []
        self.ticker.add(lambda: self.events.extend(self.media.tick()))
        self.world = SimWorld(self.clock, seed=1, media=self.media, ticker=self.ticker)
        role = "te" if far_end == "exchange" else "nt"
        self.port = self.world.open_port(PortSpec("trunk", "bri", role, "ptmp", "sim",
                                                  {"far_end": far_end}))
        self.far = self.world.buses["trunk"].ends()[0 if role == "te" else 1]
        assert self.far is not self.port
        self.heard: list[bytes] = []  # what the far end's B2 received, tick by tick
        self.ticker.add(self._listen_far_b2)
        self.port.ph_activate_req()
        self.clock.advance(0.01)
        self.ticker.start()

    def _listen_far_b2(self) -> None:
        if 2 in self.far.b_buffers:
            self.heard.append(bytes(self.far.b_buffers[2][0]))

    def open_both_ends(self, *channels: int) -> None:
        for ch in channels:
            self.port.b_open(ch, BProtocol.RAW)
            self.far.b_open(ch, BProtocol.RAW)

    def run_ticks(self, n: int) -> None:
        self.clock.advance(n * self.media.tick_seconds)


def test_audio_from_the_far_end_crosses_a_bridge_on_the_box_bit_exact() -> None:
    box = Box()
    box.open_both_ends(1, 2)
    b1, b2 = box.port.b_slot(1), box.port.b_slot(2)
    assert b1 is not None and b2 is not None and b1 != b2
    box.media.connect(b1, b2)
    # the far end plays A-law audio (decoded to linear; A-law's round trip is exact)
    alaw = os.urandom(TICK * 10)
    far = box.world.far_media
    far.play_prompt(box.far.b_slot(1), g711.alaw_decode(alaw))
    box.run_ticks(14)
    stream = b"".join(box.heard)
    start = stream.find(alaw)
    assert start >= 0, "the far end's B1 audio never came back on B2 unchanged"
    assert stream[:start] == b"\xd5" * start  # silence before it
    assert box.ticker.ticks == 14 and box.media.time == 14 * TICK


def test_a_tone_played_on_a_box_slot_reaches_the_far_ends_buffer() -> None:
    box = Box()
    box.open_both_ends(2)
    box.media.play_tone(box.port.b_slot(2), tones.country_descriptor("DE", "dial"))
    box.run_ticks(6)
    # what a tone generator makes by itself, encoded the way the engine does
    want = g711.alaw_encode(tones.generate(tones.tone("DE", "dial"), 3 * TICK))
    stream = b"".join(box.heard)
    assert stream.find(want) == 0  # the copper moves it in the tick the engine made it


def test_nothing_crosses_while_layer_1_is_down_or_the_far_end_has_no_channel() -> None:
    box = Box()
    box.open_both_ends(2)
    box.media.play_prompt(box.port.b_slot(2), b"\x00\x10" * TICK * 20)
    box.world.buses["trunk"].unplug()
    box.run_ticks(3)
    assert box.heard[-1] == ALAW_SILENCE
    box.far.b_close(2)
    assert box.far.b_slot(2) is None and 2 not in box.far.b_buffers


def test_closing_the_port_frees_its_slots() -> None:
    box = Box()
    box.open_both_ends(1, 2)
    assert box.media.active == 2
    box.port.b_open(1, BProtocol.HDLC)  # data call: the engine lets go of the channel
    assert box.port.b_slot(1) is None and box.media.active == 1
    box.port.close()
    assert box.media.active == 0


def test_an_answered_pstn_call_echoes_the_box_audio_back() -> None:
    box = Box()
    line = IsdnLine(box.port, box.clock)
    line.start()
    box.run_ticks(10)
    call = line.dial("0301234567", "21")
    box.run_ticks(100)  # the subscriber answers after 1 s
    channel = line.cc.calls[call].channel
    assert channel in (1, 2)
    exchange = box.world.exchange()
    assert exchange.b_slot(call_id=next(iter(exchange.line.cc.calls))) is not None
    box.port.b_open(channel, BProtocol.RAW)
    slot = box.port.b_slot(channel)
    words = os.urandom(TICK * 4)
    box.media.play_prompt(slot, g711.alaw_decode(words))
    rec = box.media.record(slot, TICK * 10, "rx")
    box.run_ticks(10)
    assert g711.alaw_encode(rec.samples()).find(words) > 0
    line.hangup(call)
    box.run_ticks(50)
    assert not exchange.line.cc.calls and box.world.far_media.active == 0


def test_far_side_engine_events_are_kept_for_the_peers() -> None:
    box = Box()
    box.open_both_ends(1)
    box.world.far_media.play_prompt(box.far.b_slot(1), b"\x00\x00" * 10)
    box.run_ticks(1)
    assert [e.kind for e in box.world.far_events] == [EventKind.PROMPT_END]


@pytest.mark.parametrize("far_end", ["phones"])
def test_phones_on_the_internal_bus_get_slots_too(far_end: str) -> None:
    box = Box(far_end)
    box.port.b_open(1, BProtocol.RAW)
    box.far.b_open(1, BProtocol.RAW)
    box.media.play_prompt(box.port.b_slot(1), g711.alaw_decode(b"\x2a" * TICK * 3))
    box.run_ticks(3)
    assert bytes(box.far.b_buffers[1][0]) == b"\x2a" * TICK
