"""Bridge and mix-minus conference (ext/mix.c via firmware.media.mix): exact sums,
saturation at the int16 limits, no 32-bit overflow, gains as documented."""

from __future__ import annotations

import numpy as np
import pytest
from firmware.media._dsp import ffi, lib

from firmware.media import mix

RNG = np.random.default_rng(4)


def pcm(values) -> bytes:
    return np.asarray(values, dtype="<i2").tobytes()


def values(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").astype(np.int64)


def scaled(x: np.ndarray, q12: int) -> np.ndarray:
    """The documented scaling: round to nearest, (x * g + 2048) >> 12."""
    return (x * q12 + 2048) >> 12


def expected_conference(parties: list[np.ndarray], gains: list[int]) -> list[np.ndarray]:
    contributions = [scaled(p, g) for p, g in zip(parties, gains, strict=True)]
    total = sum(contributions)
    return [np.clip(total - c, -32768, 32767) for c in contributions]


@pytest.mark.parametrize("parties", [2, 3, 5, 17])
def test_each_party_hears_exactly_the_sum_of_the_others(parties: int) -> None:
    audio = [RNG.integers(-12000, 12000, 320) for _ in range(parties)]
    heard = mix.conference([pcm(a) for a in audio])
    for i, got in enumerate(heard):
        others = sum(a for j, a in enumerate(audio) if j != i)
        assert np.array_equal(values(got), np.clip(others, -32768, 32767))


def test_loud_parties_saturate_instead_of_wrapping() -> None:
    loud = [np.full(160, 30000), np.full(160, 30000), np.full(160, -32768),
            np.full(160, -32768), np.full(160, -32768)]
    heard = [values(h) for h in mix.conference([pcm(a) for a in loud])]
    # party 0 hears 30000 - 3 * 32768: clipped low; party 2 hears 60000 - 65536: exact
    assert set(heard[0]) == {-32768}
    assert set(heard[2]) == {60000 - 65536}
    positive = [np.full(160, 32767)] * 3
    assert all(set(values(h)) == {32767} for h in mix.conference([pcm(a) for a in positive]))


def test_many_parties_at_full_scale_and_top_gain_do_not_overflow_32_bits() -> None:
    parties = [np.full(8, -32768)] * mix.MAX_PARTIES
    heard = mix.conference([pcm(a) for a in parties], [24.0] * mix.MAX_PARTIES)
    assert all(set(values(h)) == {-32768} for h in heard)
    mixed = [np.full(8, 32767), *[np.full(8, -32768)] * 40]
    got = [values(h) for h in mix.conference([pcm(a) for a in mixed], [24.0] * 41)]
    want = expected_conference(mixed, [mix.gain_q12(24.0)] * 41)
    assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))


def test_gains_scale_what_the_others_hear_and_mix_minus_removes_the_scaled_own_part():
    audio = [RNG.integers(-32768, 32768, 400) for _ in range(4)]
    gains_db = [0.0, -6.0, 6.0, mix.MUTE]
    q12 = [mix.gain_q12(g) for g in gains_db]
    assert q12 == [4096, 2053, 8173, 0]
    got = [values(h) for h in mix.conference([pcm(a) for a in audio], gains_db)]
    for g, w in zip(got, expected_conference(audio, q12), strict=True):
        assert np.array_equal(g, w)


def test_a_bridge_gives_each_side_the_other_and_scales_by_the_talkers_gain() -> None:
    a, b = RNG.integers(-32768, 32768, 160), RNG.integers(-32768, 32768, 160)
    a_hears, b_hears = mix.bridge(pcm(a), pcm(b))
    assert np.array_equal(values(a_hears), b) and np.array_equal(values(b_hears), a)
    a_hears, b_hears = mix.bridge(pcm(a), pcm(b), a_gain_db=12.0, b_gain_db=-20.0)
    assert np.array_equal(values(b_hears), np.clip(scaled(a, mix.gain_q12(12.0)), -32768,
                                                   32767))
    assert np.array_equal(values(a_hears), scaled(b, mix.gain_q12(-20.0)))


def test_mix_minus_may_work_in_place() -> None:
    own = RNG.integers(-32768, 32768, 160)
    total = own + RNG.integers(-40000, 40000, 160)
    buf = ffi.new("int16_t[]", own.tolist())
    lib.mix_minus(buf, ffi.new("int32_t[]", total.tolist()), buf, mix.UNITY, 160)
    assert list(buf) == np.clip(total - own, -32768, 32767).tolist()


def test_a_listener_outside_hears_the_saturated_total() -> None:
    total = RNG.integers(-200000, 200000, 160)
    out = ffi.new("int16_t[]", 160)
    lib.mix_saturate(out, ffi.new("int32_t[]", total.tolist()), 160)
    assert list(out) == np.clip(total, -32768, 32767).tolist()


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="same number of samples"):
        mix.conference([pcm([1, 2]), pcm([1])])
    with pytest.raises(ValueError, match="even number of bytes"):
        mix.bridge(b"\x00", b"\x00")
    with pytest.raises(ValueError, match="at most 4096"):
        mix.conference([pcm([0])] * 4097)
    assert mix.conference([]) == []
    outs = ffi.new("int16_t *[]", 4097)
    assert lib.mix_conference(outs, outs, ffi.NULL, 4097, ffi.new("int32_t[]", 1), 1) == -1


@pytest.mark.parametrize("n", [1, 3, 4, 5, 7, 9, 161])
def test_every_length_gets_the_same_sums_in_the_vector_groups_and_the_tail(n: int) -> None:
    # the C loops take four samples at a time and finish the rest one by one
    audio = [RNG.integers(-32768, 32768, n) for _ in range(3)]
    gains_db = [-3.0, 9.0, 0.0]
    q12 = [mix.gain_q12(g) for g in gains_db]
    got = [values(h) for h in mix.conference([pcm(a) for a in audio], gains_db)]
    for g, w in zip(got, expected_conference(audio, q12), strict=True):
        assert np.array_equal(g, w)
    a_hears, b_hears = mix.bridge(pcm(audio[0]), pcm(audio[1]), a_gain_db=14.0,
                                  b_gain_db=-7.0)
    assert np.array_equal(values(b_hears),
                          np.clip(scaled(audio[0], mix.gain_q12(14.0)), -32768, 32767))
    assert np.array_equal(values(a_hears),
                          np.clip(scaled(audio[1], mix.gain_q12(-7.0)), -32768, 32767))
