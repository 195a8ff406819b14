"""Test signals for the DTMF receiver (numpy), and running the receiver over them.

Every signal goes through A-law before the receiver, as on the ISDN wire. Levels are
per tone in dBm0 (0 dBm0 = a sine 3.14 dB below 16-bit full scale).
"""

from __future__ import annotations

import numpy as np

from firmware.media import dtmf, g711

FS = 8000
A_0DBM0 = 32767 * 10 ** (-3.14 / 20)
ROWS = (697.0, 770.0, 852.0, 941.0)
COLS = (1209.0, 1336.0, 1477.0, 1633.0)
KEYPAD = "123A456B789C*0#D"
# the receiver's block: timing tests start their signals at 8 alignments across one
ALIGNMENTS = tuple(i * dtmf.BLOCK // 8 for i in range(8))


def amplitude(dbm0: float) -> float:
    return A_0DBM0 * 10 ** (dbm0 / 20)


def freqs(digit: str) -> tuple[float, float]:
    i = KEYPAD.index(digit)
    return ROWS[i // 4], COLS[i % 4]


def sine(hz: float, n: int, dbm0: float, phase: float = 0.0) -> np.ndarray:
    return amplitude(dbm0) * np.sin(2 * np.pi * hz * np.arange(n) / FS + phase)


def digit_tone(
    digit: str,
    ms: float,
    low_dbm0: float = -10.0,
    high_dbm0: float | None = None,
    low_dev: float = 0.0,
    high_dev: float = 0.0,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """A DTMF burst; ``*_dev`` are relative frequency deviations (0.01 = +1%),
    phases random when ``rng`` is given."""
    low, high = freqs(digit)
    n = round(ms * FS / 1000)
    p1, p2 = rng.uniform(0, 2 * np.pi, 2) if rng is not None else (0.3, 1.1)
    high_dbm0 = low_dbm0 if high_dbm0 is None else high_dbm0
    return sine(low * (1 + low_dev), n, low_dbm0, p1) + sine(
        high * (1 + high_dev), n, high_dbm0, p2
    )


def silence(ms: float) -> np.ndarray:
    return np.zeros(round(ms * FS / 1000))


def join(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate(parts)


def through_alaw(x: np.ndarray) -> bytes:
    """16-bit LE PCM of ``x`` after an A-law encode/decode round trip."""
    pcm = np.clip(np.round(x), -32768, 32767).astype("<i2").tobytes()
    return g711.alaw_decode(g711.alaw_encode(pcm))


def detect(x: np.ndarray, lead_samples: int = 0) -> list[tuple[int, str]]:
    """(start sample, digit) found in ``x`` (after A-law), fed after ``lead_samples``
    of silence; start samples count from the start of ``x``."""
    rx = dtmf.DtmfReceiver()
    found = rx.feed_samples(through_alaw(join(np.zeros(lead_samples), x, silence(100))))
    return [(sample - lead_samples, digit) for sample, digit in found]


def digits(x: np.ndarray, lead_samples: int = 0) -> str:
    return "".join(d for _, d in detect(x, lead_samples))


def white_noise(n: int, power: float, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(0.0, np.sqrt(power), n)


def resample_to_8k(x: np.ndarray, rate: int) -> np.ndarray:
    """FFT resampling with a brick-wall low-pass at 3.8 kHz (a cosine taper from 3.6
    kHz), so nothing above 4 kHz folds into the band."""
    n_out = int(round(len(x) * FS / rate))
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1 / rate)
    taper = np.clip((3800 - f) / 200, 0, 1)
    spec = spec * (0.5 - 0.5 * np.cos(np.pi * taper))
    keep = n_out // 2 + 1
    return np.fft.irfft(spec[:keep], n_out) * (n_out / len(x))


def train(
    bursts: list[np.ndarray], period: int, aligns: list[int]
) -> tuple[np.ndarray, list[int]]:
    """The bursts one after another, burst i starting at i * period + aligns[i]
    (period a multiple of the receiver's block, so aligns set where each burst starts
    within a block); returns the signal and the start of each burst. Bursts are kept
    at least 60 ms apart, more than the pause that separates two digits."""
    starts = [i * period + a for i, a in enumerate(aligns)]
    for i in range(1, len(starts)):
        if starts[i - 1] + len(bursts[i - 1]) + 480 > starts[i]:
            raise ValueError(f"burst {i - 1} runs into burst {i}: lengthen the period")
    out = np.zeros(starts[-1] + len(bursts[-1]) + period)
    for start, burst in zip(starts, bursts, strict=True):
        out[start : start + len(burst)] += burst
    return out, starts


def per_burst(x: np.ndarray, starts: list[int], lengths: list[int]) -> list[str]:
    """Digits the receiver reports for each burst of a ``train`` (by where it says
    each digit began: within 20 ms of the burst)."""
    found = detect(x)
    slack = 160
    out = []
    for start, length in zip(starts, lengths, strict=True):
        out.append("".join(d for s, d in found if start - slack <= s <= start + length + slack))
    claimed = sum(len(d) for d in out)
    if claimed != len(found):
        raise AssertionError(f"{len(found) - claimed} digits outside any burst: {found}")
    return out
