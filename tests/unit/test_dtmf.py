"""firmware.media.dtmf: the receiver and generator objects over ext/dtmf.c (the
Q.24 figures are in test_dtmf_quality.py)."""

from __future__ import annotations

import random

import pytest

from firmware.media import dtmf


def test_feeding_in_pieces_finds_the_same_digits_at_the_same_samples():
    pcm = bytes(800) + dtmf.generate("0123456789*#ABCD", -10, 50, 50)
    whole = dtmf.DtmfReceiver().feed_samples(pcm)
    rx = dtmf.DtmfReceiver()
    rnd = random.Random(7)
    pieces = []
    pos = 0
    while pos < len(pcm):
        size = 2 * rnd.randint(0, 300)
        pieces += rx.feed_samples(pcm[pos : pos + size])
        pos += size
    assert pieces == whole
    assert "".join(d for _, d in whole) == "0123456789*#ABCD"


def test_current_digit_while_it_lasts():
    rx = dtmf.DtmfReceiver()
    assert rx.current == ""
    pcm = dtmf.generate("7", -10, 200, 0)
    assert rx.feed(pcm[: 2 * 8 * 100]) == [(0, "7")]
    assert rx.current == "7"
    rx.feed(pcm[2 * 8 * 100 :] + bytes(2 * 8 * 60))
    assert rx.current == ""


def test_ms_are_rounded_sample_times():
    rx = dtmf.DtmfReceiver()
    found = rx.feed(bytes(2 * 1004) + dtmf.generate("5", -10, 60, 60))  # starts at 125.5 ms
    assert found and abs(found[0][0] - 125.5) <= 3 and found[0][1] == "5"


def test_events_beyond_the_callers_array_are_counted_as_lost():
    pcm = dtmf.generate("12", -10, 50, 50)
    state = dtmf.ffi.new("dtmf_rx_state_t *")
    dtmf.lib.dtmf_rx_init(state)
    events = dtmf.ffi.new("dtmf_event_t[]", 1)
    samples = dtmf.ffi.from_buffer("int16_t[]", pcm)
    assert dtmf.lib.dtmf_rx_process(state, samples, len(pcm) // 2, events, 0) == 0
    assert dtmf.lib.dtmf_rx_lost_events(state) == 2


def test_generator_timing_and_queue():
    gen = dtmf.DtmfGenerator(-10, 70, 30)
    assert gen.read(100) == b""  # idle
    assert gen.put("12ab") == 4  # a-d are A-D
    out = gen.read_all()
    assert len(out) == 4 * 100 * 8 * 2
    assert [d for _, d in dtmf.detect(out)] == ["1", "2", "A", "B"]
    assert gen.read(1) == b""
    assert gen.put("") == 0


@pytest.mark.parametrize("bad", ["12x", "E", " 1", "1,2", "é"])
def test_bad_digits_queue_nothing(bad):
    gen = dtmf.DtmfGenerator()
    with pytest.raises(ValueError, match="bad digit"):
        gen.put(bad)
    assert gen.read(10) == b""


def test_full_queue_takes_nothing():
    gen = dtmf.DtmfGenerator()
    assert gen.put("1" * 120) == 120
    with pytest.raises(ValueError, match="full"):
        gen.put("2" * 9)
    assert gen.put("2" * 8) == 8


def test_generate_longer_than_the_queue():
    keys = "0123456789" * 20
    pcm = dtmf.generate(keys, -10, 40, 40)
    assert len(pcm) == len(keys) * 80 * 8 * 2
    assert "".join(d for _, d in dtmf.detect(pcm)) == keys


def test_level_is_per_tone_in_dbm0():
    pcm = dtmf.generate("1", -10, 1000, 0)
    samples = dtmf.wav.samples(pcm)
    rms = (sum(s * s for s in samples) / len(samples)) ** 0.5
    # 0 dBm0 is a sine of amplitude 32767 * 10^(-3.14/20); two sines of -10 dBm0 each
    # (rms amplitude / sqrt(2) each) together have rms 10^(-10/20) of that amplitude
    assert rms == pytest.approx(32767 * 10 ** (-3.14 / 20) * 10 ** (-10 / 20), rel=1e-3)


def test_level_out_of_range():
    with pytest.raises(ValueError):
        dtmf.DtmfGenerator(level_dbm0=4)


@pytest.mark.parametrize("level", [-20, 3])
def test_generator_samples_are_the_rounded_and_clipped_sines(level):
    """Samples follow round(A sin(w_low n) + A sin(w_high n)), clipped to 16 bits (+3
    dBm0 per tone clips the sum), to 5e-4 A + 1 (-66 dB; the float recurrence drifts a
    little between reseeds, far below A-law's -38 dB) over a second."""
    import math

    pcm = dtmf.generate("D", level, 1000, 0)
    got = dtmf.wav.samples(pcm)
    a = 32767 * 10 ** ((level - 3.14) / 20)
    clipped = 0
    for n, v in enumerate(got):
        exact = a * math.sin(2 * math.pi * 941 * n / 8000) + a * math.sin(
            2 * math.pi * 1633 * n / 8000
        )
        want = max(-32768, min(32767, round(exact)))
        clipped += want in (-32768, 32767)
        assert abs(v - want) <= 5e-4 * a + 1, (n, v, exact)
    assert len(got) == 8000
    assert (clipped > 0) == (level == 3)
