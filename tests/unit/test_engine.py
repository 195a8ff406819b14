"""The media engine (ext/engine.c via firmware.media.engine): wiring, bit-exact paths,
conference sums, playout and its end events, recording taps, the event batch, slot
reuse and clear errors. Expected outputs are computed here with numpy and the G.711
codec, never taken from the engine itself."""

from __future__ import annotations

import os

import numpy as np
import pytest
from firmware.media._dsp import ffi, lib

from firmware.media import g711
from firmware.media.engine import EngineError, EventKind, Law, MediaEngine, MediaEvent
from firmware.media.mix import gain_q12

TICK = 160
ALAW_SILENCE = b"\xd5" * TICK
RNG = np.random.default_rng(44)


def lin(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").astype(np.int64)


def pcm(values) -> bytes:
    return np.asarray(values, dtype="<i2").tobytes()


def alaw_of(values) -> bytes:
    return g711.alaw_encode(pcm(np.clip(values, -32768, 32767)))


def speech(n: int = TICK) -> np.ndarray:
    return RNG.integers(-20000, 20000, n)


@pytest.fixture
def engine() -> MediaEngine:
    return MediaEngine(capacity=16, tick=TICK)


# --- bridges ---------------------------------------------------------------------
def test_an_alaw_bridge_passes_every_byte_unchanged_both_ways(engine: MediaEngine) -> None:
    a, b = engine.open(), engine.open()
    engine.connect(a, b)
    for _ in range(3):
        to_b, to_a = os.urandom(TICK), os.urandom(TICK)
        engine.rx(a)[:] = to_b
        engine.rx(b)[:] = to_a
        assert engine.tick() == []
        assert bytes(engine.tx(b)) == to_b and bytes(engine.tx(a)) == to_a


def test_a_ulaw_bridge_is_bit_exact_and_mixed_laws_transcode(engine: MediaEngine) -> None:
    u1, u2, a1 = engine.open(Law.ULAW), engine.open(Law.ULAW), engine.open(Law.ALAW)
    engine.connect(u1, u2)
    engine.listen(a1, u1)
    data = bytes(range(256))[:TICK]  # includes 0x7F, which decodes to the same 0 as 0xFF
    engine.rx(u1)[:] = data
    engine.tick()
    assert bytes(engine.tx(u2)) == data
    assert bytes(engine.tx(a1)) == g711.ulaw_to_alaw(data)


def test_a_talk_gain_takes_the_linear_path(engine: MediaEngine) -> None:
    a, b = engine.open(), engine.open()
    engine.connect(a, b)
    engine.set_gain(a, -6.0)
    x = speech()
    engine.rx(a)[:] = alaw_of(x)
    engine.tick()
    heard = lin(g711.alaw_decode(alaw_of(x)))
    assert bytes(engine.tx(b)) == alaw_of((heard * gain_q12(-6.0) + 2048) >> 12)


def test_one_way_listening_loopback_and_disconnect(engine: MediaEngine) -> None:
    a, b, c = engine.open(), engine.open(), engine.open()
    engine.listen(c, a)          # c monitors a; a hears nothing
    engine.listen(b, b)          # b hears itself
    engine.rx(a)[:] = x = os.urandom(TICK)
    engine.rx(b)[:] = y = os.urandom(TICK)
    engine.tick()
    assert bytes(engine.tx(c)) == x and bytes(engine.tx(b)) == y
    assert bytes(engine.tx(a)) == ALAW_SILENCE
    engine.disconnect(c)
    engine.tick()
    assert bytes(engine.tx(c)) == ALAW_SILENCE


# --- conferences -----------------------------------------------------------------
def test_a_conference_gives_everyone_the_saturated_sum_of_the_others(engine) -> None:
    slots = [engine.open() for _ in range(4)]
    conf = engine.conference(slots)
    assert engine.conference_size(conf) == 4
    loud = [speech() + 14000 for _ in slots]  # loud enough to clip in the sums
    for s, x in zip(slots, loud, strict=True):
        engine.rx(s)[:] = alaw_of(x)
    engine.tick()
    decoded = [lin(g711.alaw_decode(alaw_of(x))) for x in loud]
    total = sum(decoded)
    for s, own in zip(slots, decoded, strict=True):
        assert bytes(engine.tx(s)) == alaw_of(total - own)


def test_conference_gains_and_members_leaving(engine: MediaEngine) -> None:
    a, b, c = (engine.open() for _ in range(3))
    conf = engine.conference([a, b])
    engine.join(conf, c)
    engine.set_gain(c, 6.0)
    xs = {s: speech() for s in (a, b, c)}
    for s, x in xs.items():
        engine.rx(s)[:] = alaw_of(x)
    engine.tick()
    d = {s: lin(g711.alaw_decode(alaw_of(x))) for s, x in xs.items()}
    c_part = (d[c] * gain_q12(6.0) + 2048) >> 12
    assert bytes(engine.tx(a)) == alaw_of(d[b] + c_part)
    assert bytes(engine.tx(c)) == alaw_of(d[a] + d[b])
    engine.leave(c)
    engine.tick()
    assert bytes(engine.tx(a)) == alaw_of(d[b]) and bytes(engine.tx(c)) == ALAW_SILENCE
    engine.leave(a)
    engine.leave(b)  # the last one out ends the conference
    with pytest.raises(EngineError, match=f"no conference {conf}"):
        engine.join(conf, a)


def test_a_bridge_call_takes_a_member_out_of_its_conference(engine: MediaEngine) -> None:
    a, b, c = (engine.open() for _ in range(3))
    conf = engine.conference([a, b, c])
    engine.connect(a, b)
    assert engine.conference_size(conf) == 1


# --- playout ---------------------------------------------------------------------
def test_a_prompt_plays_then_its_end_is_reported_and_the_slot_hears_its_partner_again(
        engine: MediaEngine) -> None:
    a, b = engine.open(), engine.open()
    engine.connect(a, b)
    prompt = speech(TICK + 60)
    engine.play_prompt(b, pcm(prompt))  # b hears the prompt instead of a
    engine.rx(a)[:] = from_a = alaw_of(speech())
    assert engine.tick() == []
    assert bytes(engine.tx(b)) == alaw_of(prompt[:TICK])
    events = engine.tick()
    assert events == [MediaEvent(b, EventKind.PROMPT_END, TICK + 60, TICK + 60)]
    # the rest of that tick is a's audio again, through the linear path
    assert bytes(engine.tx(b)) == alaw_of(prompt[TICK:]) + from_a[60:]
    engine.tick()
    assert bytes(engine.tx(b)) == from_a


def test_a_prompt_from_an_offset_and_stop_play(engine: MediaEngine) -> None:
    a = engine.open()
    prompt = speech(4 * TICK)
    engine.play_prompt(a, pcm(prompt), offset=3 * TICK + 10)
    [end] = engine.tick()
    assert end.kind is EventKind.PROMPT_END and end.value == TICK - 10
    assert end.time == TICK - 10
    assert bytes(engine.tx(a)) == alaw_of(prompt[3 * TICK + 10:]) + ALAW_SILENCE[:10]
    engine.play_prompt(a, pcm(prompt))
    engine.stop_play(a)
    assert engine.tick() == [] and bytes(engine.tx(a)) == ALAW_SILENCE
    with pytest.raises(EngineError, match="outside its 640 samples"):
        engine.play_prompt(a, pcm(prompt), offset=641)


def test_a_misaligned_prompt_buffer_is_played_correctly(engine: MediaEngine) -> None:
    a = engine.open()
    prompt = speech()
    raw = bytearray(b"\x00" + pcm(prompt))
    engine.play_prompt(a, memoryview(raw)[1:])
    engine.tick()
    assert bytes(engine.tx(a)) == alaw_of(prompt)


# --- recording -------------------------------------------------------------------
def test_recording_taps_hold_received_sent_mixed_and_stereo_audio(engine) -> None:
    a, b = engine.open(), engine.open()
    engine.connect(a, b)
    recs = {mode: engine.record(b, 2 * TICK, mode) for mode in ("rx", "tx", "mix", "stereo")}
    assert engine.record_stop(b) is recs["stereo"]  # one tap per slot: the last one holds
    recs = {}
    ticks = []
    for mode in ("rx", "tx", "mix", "stereo"):
        recs[mode] = engine.record(b, 2 * TICK, mode)
        x, y = speech(), speech()
        engine.rx(a)[:] = alaw_of(x)
        engine.rx(b)[:] = alaw_of(y)
        engine.tick()
        ticks.append((lin(g711.alaw_decode(alaw_of(y))), lin(g711.alaw_decode(alaw_of(x)))))
        engine.record_stop(b)
    rx, tx = ticks[0][0], ticks[1][1]
    assert np.array_equal(lin(recs["rx"].samples()), rx)
    assert np.array_equal(lin(recs["tx"].samples()), tx)
    mrx, mtx = ticks[2]
    assert np.array_equal(lin(recs["mix"].samples()), np.clip(mrx + mtx, -32768, 32767))
    srx, stx = ticks[3]
    stereo = lin(recs["stereo"].samples())
    assert np.array_equal(stereo[0::2], srx) and np.array_equal(stereo[1::2], stx)


def test_a_full_recording_reports_once_and_stops(engine: MediaEngine) -> None:
    a = engine.open()
    rec = engine.record(a, 400)
    chunks = []
    events = []
    for _ in range(4):
        x = speech()
        chunks.append(lin(g711.alaw_decode(alaw_of(x))))
        engine.rx(a)[:] = alaw_of(x)
        events += engine.tick()
    assert events == [MediaEvent(a, EventKind.RECORD_FULL, 400, 400)]
    assert rec.done and rec.position == 400
    assert np.array_equal(lin(rec.samples()), np.concatenate(chunks)[:400])


def test_a_ring_recording_reports_each_half_as_it_fills(engine: MediaEngine) -> None:
    a = engine.open()
    rec = engine.record(a, 200, "rx", ring=True)
    events = []
    stream = []
    for _ in range(3):
        x = speech()
        stream.append(lin(g711.alaw_decode(alaw_of(x))))
        engine.rx(a)[:] = alaw_of(x)
        events += engine.tick()
    # halves of 100: filled at samples 100, 200, 300, 400 of the stream (480 so far)
    assert [(e.value, e.time) for e in events] == [(0, 100), (100, 200), (0, 300),
                                                   (100, 400)]
    assert rec.position == 80 and not rec.done
    flat = np.concatenate(stream)
    assert np.array_equal(lin(rec.samples())[:80], flat[400:480])
    assert np.array_equal(lin(rec.samples())[80:], flat[280:400])
    with pytest.raises(EngineError, match="an even number"):
        engine.record(a, 201, ring=True)
    with pytest.raises(EngineError, match="record mode 'both'"):
        engine.record(a, 200, "both")


# --- the batch, slots, errors ----------------------------------------------------
def test_one_tick_returns_the_events_of_every_slot(engine: MediaEngine) -> None:
    slots = [engine.open() for _ in range(5)]
    for i, s in enumerate(slots):
        engine.play_prompt(s, pcm(speech(10 * (i + 1))))
    events = engine.tick()
    assert sorted((e.slot, e.value, e.time) for e in events) == [
        (s, 10 * (i + 1), 10 * (i + 1)) for i, s in enumerate(slots)]
    assert all(e.kind is EventKind.PROMPT_END for e in events)


def test_events_beyond_the_batch_are_counted_as_dropped(engine: MediaEngine) -> None:
    for s in (engine.open(), engine.open()):
        engine.play_prompt(s, b"\x00\x00")
    batch = ffi.new("engine_event_t[]", 1)
    assert lib.engine_tick(engine._e, batch, 1) == 1  # noqa: SLF001 - the C call itself
    assert engine.status()["events_dropped"] == 1


def test_a_closed_slot_is_reused_fresh_and_its_listeners_hear_silence(engine) -> None:
    a, b = engine.open(), engine.open()
    engine.connect(a, b)
    engine.set_gain(a, 6.0)
    engine.detect_dtmf(a)
    rec = engine.record(a, 1000)
    engine.rx(a)[:] = os.urandom(TICK)
    engine.tick()
    engine.close(a)
    assert rec.done and rec.position == TICK
    assert engine.active == 1 and not engine.is_open(a)
    engine.tick()
    assert bytes(engine.tx(b)) == ALAW_SILENCE
    again = engine.open()
    assert again == a
    engine.connect(again, b)
    engine.rx(again)[:] = x = os.urandom(TICK)
    engine.tick()
    assert bytes(engine.tx(b)) == x  # unity gain again: the bytes pass unchanged


def test_stop_silences_a_slot_but_keeps_it_open(engine: MediaEngine) -> None:
    a, b = engine.open(), engine.open()
    engine.connect(a, b)
    engine.play_prompt(a, pcm(speech(1000)))
    engine.stop(a)
    engine.rx(b)[:] = os.urandom(TICK)
    assert engine.tick() == []
    assert engine.is_open(a) and bytes(engine.tx(a)) == ALAW_SILENCE
    assert bytes(engine.tx(b)) == bytes(engine.rx(a))  # b still hears a


def test_bad_slots_give_clear_errors(engine: MediaEngine) -> None:
    a = engine.open()
    with pytest.raises(EngineError, match=r"no slot 16: this engine has slots 0\.\.15"):
        engine.connect(a, 16)
    with pytest.raises(EngineError, match="no slot -1"):
        engine.play_prompt(-1, b"")
    with pytest.raises(EngineError, match="a slot is an int, got str"):
        engine.stop("1")  # type: ignore[arg-type]
    with pytest.raises(EngineError, match="a slot is an int, got bool"):
        engine.rx(True)  # type: ignore[arg-type]
    with pytest.raises(EngineError, match="slot 5 is not open"):
        engine.connect(a, 5)
    with pytest.raises(EngineError, match="slot 5 is not open"):
        engine.close(5)
    with pytest.raises(EngineError, match="slot 5 is not open"):
        engine.conference([a, 5])
    with pytest.raises(EngineError, match="already open"):
        engine.open_at(a)
    with pytest.raises(EngineError, match="bad DTMF digits"):
        engine.send_dtmf(a, "12x")
    with pytest.raises(EngineError, match="even number of bytes"):
        engine.play_prompt(a, b"\x00")
    with pytest.raises(ValueError, match="1..160 samples"):
        MediaEngine(4, tick=161)


def test_a_full_engine_says_so() -> None:
    engine = MediaEngine(capacity=3, tick=80)
    assert [engine.open() for _ in range(3)] == [0, 1, 2]
    with pytest.raises(EngineError, match="full"):
        engine.open()
    engine.close(1)
    assert engine.open_at(1, Law.ULAW) == 1


def test_a_10_ms_tick_and_the_engine_clock() -> None:
    engine = MediaEngine(capacity=2, tick=80)
    a = engine.open()
    engine.play_prompt(a, pcm(speech(200)))
    times = [e.time for _ in range(3) for e in engine.tick()]
    assert times == [200] and engine.time == 240
    assert len(engine.rx(a)) == 80 and engine.tick_seconds == 0.01


# --- DTMF ------------------------------------------------------------------------
def test_digits_sent_on_one_slot_are_detected_on_another_with_their_times() -> None:
    engine = MediaEngine(capacity=4, tick=TICK)
    sender, receiver = engine.open(), engine.open()
    engine.detect_dtmf(receiver)
    engine.send_dtmf(sender, "159#", level_dbm0=-10, on_ms=80, off_ms=80)
    events = []
    for _ in range(40):
        events += engine.tick()
        engine.rx(receiver)[:] = engine.tx(sender)  # the line: one tick later
    digits = [e for e in events if e.kind is EventKind.DIGIT]
    assert [e.digit for e in digits] == list("159#")
    # digit k starts at k * 160 ms, and reaches the receiver one 20 ms tick later
    for k, e in enumerate(digits):
        assert e.slot == receiver
        assert abs(e.time - (k * 1280 + TICK)) <= 8 * 5  # within 5 ms
    [end] = [e for e in events if e.kind is EventKind.DTMF_END]
    assert end.slot == sender and end.time == 4 * 1280  # after the last digit's pause


def test_detection_starts_its_clock_when_switched_on() -> None:
    engine = MediaEngine(capacity=4, tick=TICK)
    sender, receiver = engine.open(), engine.open()
    for _ in range(5):
        engine.tick()
    engine.detect_dtmf(receiver)
    engine.send_dtmf(sender, "7", on_ms=100, off_ms=0)
    events = []
    for _ in range(10):
        events += engine.tick()
        engine.rx(receiver)[:] = engine.tx(sender)
    [digit] = [e for e in events if e.kind is EventKind.DIGIT]
    assert digit.digit == "7" and abs(digit.time - 6 * TICK) <= 40
    engine.detect_dtmf(receiver, False)
    engine.send_dtmf(sender, "8")
    assert not any(e.kind is EventKind.DIGIT for _ in range(10) for e in engine.tick())
