"""Call-progress tones: the plans (firmware/media/tones.py) against REFERENCE.md's table,
and the generator (ext/tone.c) against an independent model: cadences exact to the
sample for every country and tone, frequencies and levels by least squares, the 0 dBm0
scale against G.711's digital milliwatt, hours without drift, any block size."""

from __future__ import annotations

import random

import numpy as np
import pytest
from firmware.media._dsp import ffi, lib

from firmware.media import g711, tones
from tests.unit.tone_model import PEAK_0DBM0, expected, fit_sines, segments_in_order

ALL_TONES = [(c, name) for c in tones.countries() for name in tones.tone_names(c)]
REQUIRED = ["DE", "GB", "US", "PL", "CZ", "RU", "FR", "AT", "CH", "NL", "IT"]


def pcm_array(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.int64)


def cycles_length(t: tones.Tone, cycles: int = 3) -> int:
    period = t.period_samples
    return 8000 if period is None else cycles * period


# --- the plans --------------------------------------------------------------------------

# REFERENCE.md "Call-progress tones": frequencies, then on/off seconds (empty: continuous)
REFERENCE_TABLE = {
    "DE": {"dial": ((425,), ()), "busy": ((425,), (0.48, 0.48)),
           "ringback": ((425,), (1, 4)), "congestion": ((425,), (0.24, 0.24)),
           "call_waiting": ((425,), (0.2, 0.2, 0.2, 5))},
    "GB": {"dial": ((350, 440), ()), "busy": ((400,), (0.375, 0.375)),
           "ringback": ((400, 450), (0.4, 0.2, 0.4, 2)),
           "congestion": ((400,), (0.4, 0.35, 0.225, 0.525)),
           "call_waiting": ((400,), (0.1, 4))},
    "US": {"dial": ((350, 440), ()), "busy": ((480, 620), (0.5, 0.5)),
           "ringback": ((440, 480), (2, 4)), "congestion": ((480, 620), (0.25, 0.25)),
           "call_waiting": ((440,), (0.3, 10))},
    "PL": {"dial": ((425,), ()), "busy": ((425,), (0.5, 0.5)),
           "ringback": ((425,), (1, 4)), "congestion": ((425,), (0.5, 0.5)),
           "call_waiting": ((425,), (0.15, 0.15, 0.15, 4))},
    "CZ": {"dial": ((425,), (0.33, 0.33, 0.66, 0.66)), "busy": ((425,), (0.33, 0.33)),
           "ringback": ((425,), (1, 4)), "congestion": ((425,), (0.165, 0.165)),
           "call_waiting": ((425,), (0.33, 9))},
    "RU": {"dial": ((425,), ()), "busy": ((425,), (0.35, 0.35)),
           "ringback": ((425,), (0.8, 3.2)), "congestion": ((425,), (0.175, 0.175)),
           "call_waiting": ((425,), (0.2, 5))},
}


@pytest.mark.parametrize("country", sorted(REFERENCE_TABLE))
def test_plans_match_the_reference_table(country):
    for name, (freqs, on_off) in REFERENCE_TABLE[country].items():
        t = tones.tone(country, name)
        assert t.repeat, (country, name)
        if not on_off:
            assert len(t.segments) == 1 and t.segments[0].ms == 0, (country, name)
            assert t.segments[0].freqs == freqs
            continue
        assert [seg.ms for seg in t.segments] == [round(s * 1000) for s in on_off], name
        for i, seg in enumerate(t.segments):
            assert seg.freqs == (freqs if i % 2 == 0 else ()), (country, name, i)


@pytest.mark.parametrize("country", REQUIRED)
def test_every_required_country_has_the_six_tones(country):
    assert set(tones.STANDARD_TONES) <= set(tones.tone_names(country))


def test_special_information_tone_is_950_1400_1800_for_330_ms():
    for country in REQUIRED:
        sit = tones.tone(country, "sit")
        sounding = [seg for seg in sit.segments if seg.freqs]
        assert [seg.ms for seg in sounding] == [330, 330, 330], country
        freqs = [seg.freqs[0] for seg in sounding]
        if country != "AT":  # Austria's list gives 950/1450/1850
            assert freqs == [950, 1400, 1800], country


def test_us_levels_follow_the_precise_tone_plan():
    levels = {name: tones.tone("US", name).segments[0].levels for name in tones.tone_names("US")}
    assert levels["dial"] == (-13.0, -13.0)
    assert levels["ringback"] == (-19.0, -19.0)
    assert levels["busy"] == levels["congestion"] == (-24.0, -24.0)


def test_lookup_is_forgiving_about_case_and_spelling():
    assert tones.tone("de", "Call-Waiting") is tones.PLANS["DE"]["call_waiting"]
    assert tones.tone("uk", "busy") is tones.PLANS["GB"]["busy"]


def test_unknown_country_lists_the_valid_ones():
    with pytest.raises(tones.UnknownTone) as e:
        tones.tone("XX", "busy")
    assert "XX" in str(e.value)
    assert "AT, CH, CZ, DE, FR, GB, IT, NL, PL, RU, US" in str(e.value)


def test_unknown_tone_lists_the_country_tones():
    with pytest.raises(tones.UnknownTone) as e:
        tones.tone("DE", "howler")
    assert "howler" in str(e.value)
    assert "dial, busy, ringback, congestion, call_waiting, sit" in str(e.value)


@pytest.mark.parametrize(
    "bad",
    [
        lambda: tones.Segment(-1),
        lambda: tones.Segment(10, (425,), ()),
        lambda: tones.Segment(10, (1, 2, 3, 4, 5), (0,) * 5),
        lambda: tones.Segment(10, (4000,), (-10,)),
        lambda: tones.Segment(10, (425,), (6.0,)),
        lambda: tones.Tone(()),
        lambda: tones.Tone(tuple(tones.Segment(10) for _ in range(9))),
    ],
)
def test_impossible_tones_are_refused(bad):
    with pytest.raises(ValueError):
        bad()


# --- the generator ----------------------------------------------------------------------


@pytest.mark.parametrize("country,name", ALL_TONES)
def test_generator_matches_the_model_sample_for_sample(country, name):
    """Several cycles against the double-precision model: any cadence, frequency, level or
    phase slip shows as a difference of many LSB."""
    t = tones.tone(country, name)
    n = cycles_length(t)
    got = pcm_array(tones.generate(t, n))
    want = expected(t, n)
    assert np.max(np.abs(got - want)) <= 1.0


@pytest.mark.parametrize("country,name", ALL_TONES)
def test_cadence_runs_count_exactly(country, name):
    """On and off runs over several cycles, counted in the output. An off run is exact
    zeros (at least 1 ms of them); an on run starts at phase 0, so its first sample is 0
    too and is counted with the off run before it."""
    t = tones.tone(country, name)
    n = cycles_length(t)
    x = pcm_array(tones.generate(t, n))
    runs: list[tuple[bool, int]] = []
    zero = x == 0
    edges = np.flatnonzero(np.diff(zero.astype(np.int8))) + 1
    bounds = [0, *edges.tolist(), n]
    for a, b in zip(bounds, bounds[1:], strict=False):
        off = bool(zero[a]) and b - a >= 8
        if runs and runs[-1][0] == off:
            runs[-1] = (off, runs[-1][1] + b - a)
        else:
            runs.append((off, b - a))
    want: list[tuple[bool, int]] = []
    previous_on = False
    for start, end, seg in segments_in_order(t, n):
        on = bool(seg.freqs)
        length = end - start
        if on and not previous_on and want:
            want[-1] = (True, want[-1][1] + 1)  # the phase-0 first sample is a zero
            length -= 1
        if want and want[-1][0] == (not on):
            want[-1] = (not on, want[-1][1] + length)
        else:
            want.append((not on, length))
        previous_on = on
    played = segments_in_order(t, n)[-1][1]
    if played < n:  # a play-once tone has ended: silence
        if want[-1][0]:
            want[-1] = (True, want[-1][1] + n - played)
        else:
            want.append((True, n - played))
    assert runs == want


@pytest.mark.parametrize("country,name", ALL_TONES)
def test_each_segment_has_its_frequencies_and_levels(country, name):
    t = tones.tone(country, name)
    x = pcm_array(tones.generate(t, cycles_length(t, cycles=1)))
    for start, end, seg in segments_in_order(t, len(x)):
        if not seg.freqs:
            assert not x[start:end].any()
            continue
        amps, residual = fit_sines(x[start:end], seg.freqs, n0=0)
        for f, level, amp in zip(seg.freqs, seg.levels, amps, strict=True):
            got_dbm0 = 20 * np.log10(amp / PEAK_0DBM0)
            assert got_dbm0 == pytest.approx(level, abs=0.01), (f, level)
        assert residual < 0.5  # nothing but those sines and the rounding


def test_zero_dbm0_is_the_g711_digital_milliwatt():
    """A 0 dBm0 1 kHz tone peaks at 22,827 (= 32768 x 10^(-3.14/20)); that sine sampled
    at 22.5 + 45k degrees A-law encodes to G.711 Table 5's sequence."""
    t = tones.Tone((tones.Segment(0, (1000.0,), (0.0,)),))
    x = pcm_array(tones.generate(t, 64))
    assert x[2] == round(PEAK_0DBM0) == 22827  # sample 2 is at 90 degrees
    peak = int(np.max(x))
    phases = np.radians(22.5 + 45 * np.arange(8))
    sine = np.round(peak * np.sin(phases)).astype("<i2").tobytes()
    table5 = bytes([0x34, 0x21, 0x21, 0x34, 0xB4, 0xA1, 0xA1, 0xB4])
    got = g711.alaw_encode(sine)
    assert got in (table5, table5[4:] + table5[:4])  # the table starts at either half


def test_block_size_does_not_matter():
    t = tones.tone("GB", "ringback")
    whole = pcm_array(tones.generate(t, 30_000))
    gen = tones.ToneGenerator(t)
    rnd = random.Random(4)
    parts = []
    done = 0
    while done < 30_000:
        n = min(rnd.choice([1, 3, 7, 8, 9, 80, 160, 1000]), 30_000 - done)
        parts.append(gen.read(n))
        done += n
    pieces = pcm_array(b"".join(parts))
    assert np.max(np.abs(pieces - whole)) <= 1


def test_cadence_has_no_drift_after_three_hours():
    """DE busy (0.48 s / 0.48 s) for 3 hours in 1-minute blocks: the last second still
    matches the model, whose bursts start at exact multiples of 3,840 samples."""
    t = tones.tone("DE", "busy")
    state = ffi.new("tone_gen_state_t *")
    desc = tones.descriptor(t)
    lib.tone_gen_init(state, desc)
    block = 8000 * 60
    buf = np.zeros(block, dtype=np.int16)
    for _ in range(180):
        assert lib.tone_gen_process(state, ffi.cast("int16_t *", buf.ctypes.data), block) == block
    into_cycle = (180 * block - 8000) % 7680  # where the last second starts in a cycle
    want = expected(t, into_cycle + 8000)[into_cycle:]
    assert np.max(np.abs(buf[-8000:].astype(np.int64) - want)) <= 1.0


def test_continuous_tone_keeps_level_and_frequency_for_an_hour():
    t = tones.Tone((tones.Segment(0, (2130.0,), (-10.0,)),))
    state = ffi.new("tone_gen_state_t *")
    desc = tones.descriptor(t)
    lib.tone_gen_init(state, desc)
    block = 8000 * 60
    buf = np.zeros(block, dtype=np.int16)
    for _ in range(60):
        lib.tone_gen_process(state, ffi.cast("int16_t *", buf.ctypes.data), block)
    n0 = 60 * block - 8000
    (amp,), residual = fit_sines(buf[-8000:], (2130.0,), n0=n0)
    assert 20 * np.log10(amp / PEAK_0DBM0) == pytest.approx(-10.0, abs=0.001)
    assert residual < 0.5
    # phase against the ideal after 28.8 million samples: a frequency error below 2e-5 Hz
    n = np.arange(n0, n0 + 8000)
    ideal = amp * np.sin(2 * np.pi * 2130.0 / 8000 * n)
    assert np.max(np.abs(buf[-8000:] - ideal)) < 0.5 * amp


def test_play_once_tone_ends_and_says_so():
    t = tones.tone("US", "sit")
    gen = tones.ToneGenerator(t)
    total = sum(seg.samples for seg in t.segments)
    first = gen.read(total - 10)
    assert len(first) == 2 * (total - 10) and not gen.finished
    rest = gen.read(1000)
    assert len(rest) == 20 and gen.finished
    assert gen.read(50) == b""
    assert gen.read(50, pad=True) == bytes(100)


def test_sit_frequencies_change_with_continuous_phase():
    """Consecutive sounding segments carry the phase: no step at the 950 -> 1400 Hz
    boundary bigger than the largest step inside a segment."""
    t = tones.tone("DE", "sit")
    x = pcm_array(tones.generate(t, 3 * 2640))
    steps = np.abs(np.diff(x[: 3 * 2640]))
    boundary = steps[2640 - 1]
    inside = steps[2640 + 10 : 2 * 2640 - 10].max()
    assert boundary <= inside


def test_empty_descriptor_plays_nothing():
    state = ffi.new("tone_gen_state_t *")
    desc = ffi.new("tone_desc_t *")
    lib.tone_gen_init(state, desc)
    out = ffi.new("int16_t[]", 10)
    assert lib.tone_gen_process(state, out, 10) == 0
    assert lib.tone_gen_finished(state)


def test_generator_state_is_small_enough_to_embed():
    assert ffi.sizeof("tone_gen_state_t") <= 1024
