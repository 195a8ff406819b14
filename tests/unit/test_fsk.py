"""1200 bit/s FSK (ext/fsk.c via firmware.media.fsk): the modulator's bit clock, phase,
frequencies, level and async framing checked independently in numpy; round trips through
the demodulator at -10...-30 dBm0, through A-law, in noise, at random offsets."""

from __future__ import annotations

import random
import zlib

import numpy as np
import pytest
from firmware.media._dsp import ffi, lib

from firmware.media import fsk, g711
from tests.unit.tone_model import PEAK_0DBM0, fit_sines

FREQS = {fsk.V23: (1300.0, 2100.0), fsk.BELL202: (1200.0, 2200.0)}  # mark, space
MODES = list(FREQS)


def arr(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


def bit_bounds(nbits: int) -> list[int]:
    """Sample index where each bit starts: bit i covers [ceil(20 i / 3), ceil(20 (i+1) / 3))."""
    return [-(-20 * i // 3) for i in range(nbits + 1)]


def line(pcm: bytes, offset: int, snr_db: float | None, rng: np.random.Generator) -> bytes:
    """``pcm`` after ``offset`` samples of silence, with white noise at ``snr_db`` below
    its power, through A-law and back."""
    x = np.concatenate([np.zeros(offset), arr(pcm), np.zeros(160)])
    if snr_db is not None:
        power = np.mean(arr(pcm) ** 2)
        x = x + rng.normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), len(x))
    x = np.clip(np.round(x), -32768, 32767).astype("<i2").tobytes()
    return g711.alaw_decode(g711.alaw_encode(x))


def burst(mode: str, level: float, payload: bytes) -> bytes:
    mod = fsk.Modulator(mode, level)
    return mod.seizure(300, 180) + mod.async_bytes(payload) + mod.seizure(0, 5)


def received(mode: str, pcm: bytes) -> list[fsk.RxByte]:
    return fsk.Demodulator(mode).process(pcm)


def message_after_marks(rx: list[fsk.RxByte], n: int) -> bytes:
    starts = [i for i, b in enumerate(rx) if b.idle_bits >= 100]
    assert starts, "no byte after the mark signal"
    return bytes(b.value for b in rx[starts[0] : starts[0] + n])


# --- modulator --------------------------------------------------------------------------


def test_three_bits_take_exactly_twenty_samples():
    mod = fsk.Modulator()
    lengths = [len(mod.bits([1])) // 2 for _ in range(30)]
    assert lengths == [7, 7, 6] * 10
    assert len(fsk.Modulator().bits([1, 0] * 600)) // 2 == 8000  # 1200 bits = one second


def test_pieces_join_like_one_call():
    """Bit clock and phase carry across calls: bit by bit equals all at once."""
    bits = [random.Random(1).randint(0, 1) for _ in range(500)]
    one = fsk.Modulator(fsk.BELL202).bits(bits)
    mod = fsk.Modulator(fsk.BELL202)
    assert b"".join(mod.bits([b]) for b in bits) == one


def test_sample_count_is_announced_before():
    """fsk_mod_samples() says what the next call writes: bit i of the whole stream ends
    at sample ceil(20 (i + 1) / 3), whatever the calls' sizes."""
    state = ffi.new("fsk_mod_state_t *")
    lib.fsk_mod_init(state, lib.FSK_MODE_V23, -13.0)
    out = ffi.new("int16_t[]", 10_000)
    sent = 0
    for nbits in (1, 2, 3, 10, 299, 480, 1000, 7):
        want = -(-20 * (sent + nbits) // 3) - -(-20 * sent // 3)
        assert lib.fsk_mod_samples(state, nbits) == want
        assert lib.fsk_mod_seizure(state, out, nbits, 0) == want
        sent += nbits


@pytest.mark.parametrize("mode", MODES)
def test_mark_and_space_frequencies_and_level(mode):
    mark_hz, space_hz = FREQS[mode]
    for bits, f in (([1] * 120, mark_hz), ([0] * 120, space_hz)):
        x = arr(fsk.Modulator(mode, -13.0).bits(bits))
        (amp,), residual = fit_sines(x, (f,))
        assert 20 * np.log10(amp / PEAK_0DBM0) == pytest.approx(-13.0, abs=0.01)
        assert residual < 0.5


@pytest.mark.parametrize("mode", MODES)
def test_phase_is_continuous_at_bit_changes(mode):
    """No step between samples bigger than the fastest the higher tone moves."""
    level = -10.0
    x = arr(fsk.Modulator(mode, level).bits([random.Random(2).randint(0, 1) for _ in range(900)]))
    peak = PEAK_0DBM0 * 10 ** (level / 20)
    fastest = 2 * peak * np.sin(np.pi * FREQS[mode][1] / 8000) + 1
    assert np.max(np.abs(np.diff(x))) <= fastest


@pytest.mark.parametrize("mode", MODES)
def test_async_framing_start_lsb_first_stop(mode):
    """Each bit period read back by least squares at mark and space: start bit space,
    the data bits LSB first, stop bit mark."""
    mark_hz, space_hz = FREQS[mode]
    data = bytes([0x80, 0x01, 0xA5, 0x3C])
    x = arr(fsk.Modulator(mode).async_bytes(data))
    bounds = bit_bounds(10 * len(data))
    bits = []
    for i in range(10 * len(data)):
        seg = x[bounds[i] : bounds[i + 1]]
        (m,), _ = fit_sines(seg, (mark_hz,), n0=bounds[i])
        (s,), _ = fit_sines(seg, (space_hz,), n0=bounds[i])
        bits.append(1 if m > s else 0)
    want = []
    for byte in data:
        want += [0, *[(byte >> k) & 1 for k in range(8)], 1]
    assert bits == want


def test_seizure_starts_with_a_space_and_alternates():
    mark_hz, space_hz = FREQS[fsk.V23]
    x = arr(fsk.Modulator(fsk.V23).seizure(10, 4))
    bounds = bit_bounds(14)
    bits = []
    for i in range(14):
        seg = x[bounds[i] : bounds[i + 1]]
        (m,), _ = fit_sines(seg, (mark_hz,), n0=bounds[i])
        (s,), _ = fit_sines(seg, (space_hz,), n0=bounds[i])
        bits.append(1 if m > s else 0)
    assert bits == [0, 1] * 5 + [1] * 4


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="v23, bell202"):
        fsk.Modulator("v21")


# --- demodulator ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("level", [-10.0, -20.0, -30.0])
@pytest.mark.parametrize("snr_db", [None, 20.0])
def test_round_trip_bit_exact(mode, level, snr_db):
    """10 bursts of 32 random bytes each, random start offsets, A-law, optionally white
    noise 20 dB below the signal: every byte back, none with a framing error."""
    rng = np.random.default_rng(zlib.crc32(repr((mode, level, snr_db)).encode()))
    for _ in range(10):
        payload = bytes(rng.integers(0, 256, 32, dtype=np.uint8))
        pcm = line(burst(mode, level, payload), int(rng.integers(0, 1000)), snr_db, rng)
        rx = received(mode, pcm)
        assert message_after_marks(rx, 32) == payload
        starts = [i for i, b in enumerate(rx) if b.idle_bits >= 100]
        assert all(b.stop_ok for b in rx[starts[0] : starts[0] + 32])


@pytest.mark.parametrize("mode", MODES)
def test_round_trip_at_12_db_snr(mode):
    rng = np.random.default_rng(12)
    for _ in range(10):
        payload = bytes(rng.integers(0, 256, 32, dtype=np.uint8))
        pcm = line(burst(mode, -20.0, payload), int(rng.integers(0, 1000)), 12.0, rng)
        assert message_after_marks(received(mode, pcm), 32) == payload


def test_idle_bits_and_start_sample_are_reported():
    mod = fsk.Modulator()
    pcm = bytes(2 * 400) + mod.seizure(0, 50) + mod.async_bytes(b"\x12\x34") + mod.seizure(0, 2)
    rx = received(fsk.V23, pcm)
    assert [b.value for b in rx] == [0x12, 0x34]
    assert 49 <= rx[0].idle_bits <= 50 and rx[1].idle_bits == 0
    true_start = 400 + bit_bounds(50)[-1]
    assert true_start <= rx[0].sample <= true_start + 7  # seen within a window's delay


def test_framing_error_is_flagged():
    """A byte whose stop bit is a space: received, marked, and the next byte still read."""
    mod = fsk.Modulator()
    bad = [0] + [1, 0, 1, 0, 1, 0, 1, 0] + [0]
    pcm = mod.seizure(0, 30) + mod.bits(bad) + mod.seizure(0, 20) + mod.async_bytes(b"\x5a")
    pcm += mod.seizure(0, 3)
    rx = received(fsk.V23, pcm)
    assert [(b.value, b.stop_ok) for b in rx] == [(0x55, False), (0x5A, True)]


def test_block_size_does_not_matter():
    rng = np.random.default_rng(7)
    payload = bytes(rng.integers(0, 256, 40, dtype=np.uint8))
    pcm = line(burst(fsk.V23, -15.0, payload), 123, 25.0, rng)
    whole = received(fsk.V23, pcm)
    demod = fsk.Demodulator(fsk.V23)
    pieces: list[fsk.RxByte] = []
    pos = 0
    r = random.Random(3)
    while pos < len(pcm):
        n = 2 * r.choice([1, 5, 80, 160, 333])
        pieces += demod.process(pcm[pos : pos + n])
        pos += n
    assert pieces == whole


def test_output_room_of_one_byte_still_gets_everything():
    pcm = burst(fsk.V23, -10.0, b"hello")
    state = ffi.new("fsk_demod_state_t *")
    lib.fsk_demod_init(state, lib.FSK_MODE_V23)
    src = ffi.from_buffer("int16_t[]", pcm)
    out = ffi.new("fsk_demod_byte_t[1]")
    count = ffi.new("size_t *")
    got = []
    pos = 0
    n = len(pcm) // 2
    while pos < n:
        used = lib.fsk_demod_process(state, src + pos, n - pos, out, 1, count)
        assert used > 0 and count[0] <= 1
        got += [out[0].byte] * count[0]
        pos += used
    assert bytes(got[-5:]) == b"hello"
    assert lib.fsk_demod_process(state, src, 10, out, 0, count) == 0 and count[0] == 0


def test_silence_and_low_noise_give_no_bytes():
    rng = np.random.default_rng(5)
    quiet = PEAK_0DBM0 / np.sqrt(2) * 10 ** (-55 / 20)  # -55 dBm0 of white noise
    noise = np.clip(np.round(rng.normal(0, quiet, 40_000)), -32768, 32767).astype("<i2")
    assert received(fsk.V23, bytes(80_000) + noise.tobytes()) == []
