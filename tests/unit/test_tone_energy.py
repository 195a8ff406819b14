"""ext/goertzel.c: the power of a tone shows at its frequency and nowhere else."""

from __future__ import annotations

import math
from array import array

import pytest

from firmware.media import tones
from firmware.media.tone_energy import ToneEnergy


def _sine(freq: float, amplitude: float, n: int = 160) -> array:
    return array("h", (int(amplitude * math.sin(2 * math.pi * freq * i / 8000))
                       for i in range(n)))


def test_a_sine_reads_its_mean_square_at_its_frequency_only() -> None:
    te = ToneEnergy((425.0, 950.0, 1400.0))
    powers, total = te.block(_sine(425, 10000))
    assert total == pytest.approx(10000 ** 2 / 2, rel=0.02)
    assert powers[0] == pytest.approx(total, rel=0.1)
    assert powers[1] < total * 0.01 and powers[2] < total * 0.01


def test_the_country_dial_tone_through_the_tone_generator_is_found() -> None:
    pcm = tones.generate(tones.tone("DE", "dial"), 160)
    powers, total = ToneEnergy((425.0, 350.0, 440.0)).block(pcm)
    assert total > 0 and powers[0] / total > 0.8 and powers[1] / total < 0.1


def test_silence_and_bad_frequencies() -> None:
    powers, total = ToneEnergy((425.0,)).block(array("h", [0] * 160))
    assert powers == [0.0] and total == 0.0
    with pytest.raises(ValueError, match="inside"):
        ToneEnergy((5000.0,))
    with pytest.raises(ValueError, match="frequencies"):
        ToneEnergy(())


def test_the_powers_agree_with_spandsps_goertzel_filters() -> None:
    """spandsp's goertzel_result is the unscaled 2 * (s1^2 + s2^2 - 2cos(w) s1 s2); ours
    is scaled by 1/N^2 more, so a block reads the same once divided by N^2."""
    from tests.spandsp import refs

    freqs = (350.0, 425.0, 440.0, 480.0, 620.0, 950.0)
    block = array("h", (a + b for a, b in zip(_sine(425, 8000), _sine(620, 3000), strict=True)))
    lib = refs.goertzel()
    assert lib.ref_goertzel_setup(refs.ffi.new("float[]", freqs), len(freqs), 160) == 0
    out = refs.ffi.new("float[]", len(freqs) + 1)
    lib.ref_goertzel_block(refs.ffi.from_buffer("int16_t[]", block), 160, out)
    powers, total = ToneEnergy(freqs).block(block)
    assert powers == pytest.approx([out[i] / 160 ** 2 for i in range(len(freqs))], rel=1e-4)
    assert total == pytest.approx(out[len(freqs)], rel=1e-6)
