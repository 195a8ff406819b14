"""The prompt resampler keeps the telephone band and keeps everything above 4 kHz from
folding back into it."""

import math

import pytest

from firmware.media.resample import resample
from firmware.media.wav import pcm_of, samples


def tone(freq: float, rate: int, seconds: float = 0.25, amp: float = 10000) -> bytes:
    return pcm_of([amp * math.sin(2 * math.pi * freq * i / rate)
                   for i in range(int(rate * seconds))])


def level_db(pcm: bytes, amp: float = 10000) -> float:
    s = samples(pcm)[200:-200]  # away from the filter's edges
    rms = math.sqrt(sum(x * x for x in s) / len(s))
    return 20 * math.log10(max(rms, 1e-3) / (amp / math.sqrt(2)))


@pytest.mark.parametrize("freq", [300, 1000, 3000])
def test_speech_band_passes_unchanged_from_espeaks_rate(freq):
    out = resample(tone(freq, 22050, seconds=0.5), 22050)
    assert len(samples(out)) == 4000
    assert abs(level_db(out)) < 0.2


@pytest.mark.parametrize("freq", [5000, 7000, 10000])
def test_what_would_alias_is_at_least_60_db_down(freq):
    assert level_db(resample(tone(freq, 22050), 22050)) < -60


def test_common_upload_rates_and_upsampling():
    assert abs(level_db(resample(tone(1000, 44100), 44100))) < 0.2
    assert abs(level_db(resample(tone(1000, 16000), 16000))) < 0.2
    up = resample(tone(1000, 8000), 8000, 16000)
    assert len(samples(up)) == 4000 and abs(level_db(up)) < 0.2


def test_same_rate_is_a_copy_and_bad_rates_are_refused():
    pcm = tone(1000, 8000)
    assert resample(pcm, 8000) == pcm
    with pytest.raises(ValueError):
        resample(pcm, 0)
