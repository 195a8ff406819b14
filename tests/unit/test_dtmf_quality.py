"""DTMF receiver quality: the ITU-T Q.24 / ETSI ES 201 235-3 figures (as summarised in
REFERENCE.md) on signals built here, every one through A-law.

Timing tests start their bursts at 8 alignments across the receiver's block and count
the worst case. Each test prints what it measured (pytest -s shows it) and puts it in
its assertion messages, so the figures can be quoted.
"""

from __future__ import annotations

import numpy as np
import pytest

from firmware.media import dtmf
from tests.unit import dtmf_speech
from tests.unit.dtmf_signals import (
    ALIGNMENTS,
    COLS,
    FS,
    KEYPAD,
    ROWS,
    amplitude,
    detect,
    digit_tone,
    join,
    per_burst,
    silence,
    sine,
    train,
    white_noise,
)

BLOCK = dtmf.BLOCK
PERIOD = 10 * BLOCK  # 127.5 ms between burst starts: room for a 50 ms burst and a pause


def report(text: str) -> str:
    print(f"\n[dtmf quality] {text}")
    return text


def spread(n: int, rng: np.random.Generator) -> list[int]:
    """n alignments within a block, so burst starts do not all sit the same way."""
    return [int(a) for a in rng.integers(0, BLOCK, n)]


def test_decodes_16_digits_ten_times_at_50_50_ms():
    rng = np.random.default_rng(24)
    keys = KEYPAD * 10
    sig = join(*[join(digit_tone(k, 50, rng=rng), silence(50)) for k in keys])
    found = detect(sig)
    got = "".join(d for _, d in found)
    assert got == keys
    # each digit is reported where it began, within a few ms
    errors = [abs(s - i * 800) / 8 for i, (s, _) in enumerate(found)]
    report(f"decode 16 x 10 at 50/50 ms: all 160 found, start error max {max(errors):.2f} ms")
    assert max(errors) <= 4.0, errors


@pytest.mark.parametrize("tone", range(8), ids=[f"{f:.0f}Hz" for f in ROWS + COLS])
def test_frequency_deviation(tone):
    """Each tone stepped +-0.1..6%: accepted within +-(1.5% + 2 Hz), rejected beyond
    +-3.5% (the partner tone at nominal)."""
    rng = np.random.default_rng(tone)
    digit = KEYPAD[4 * tone + 1] if tone < 4 else KEYPAD[8 + tone - 4]  # partner 1336 / 852 Hz
    nominal = (ROWS + COLS)[tone]
    steps = [s / 1000 for s in range(1, 61)]
    devs = [-d for d in reversed(steps)] + steps
    bursts = [
        digit_tone(digit, 50, low_dev=d if tone < 4 else 0, high_dev=d if tone >= 4 else 0,
                   rng=rng)
        for d in devs
    ]
    x, starts = train(bursts, PERIOD, spread(len(bursts), rng))
    got = per_burst(x, starts, [len(b) for b in bursts])
    accepted = {d for d, g in zip(devs, got, strict=True) if g == digit}
    assert all(g in ("", digit) for g in got)
    must_accept = 0.015 + 2 / nominal
    edges = {
        sign: (
            max((abs(d) for d in accepted if d * sign > 0), default=0.0),
            min((abs(d) for d in devs if d * sign > 0 and d not in accepted), default=None),
        )
        for sign in (1, -1)
    }
    text = report(
        f"{nominal:.0f} Hz: accepted up to +{100 * edges[1][0]:.1f}% / "
        f"-{100 * edges[-1][0]:.1f}%, rejected from +{100 * edges[1][1]:.1f}% / "
        f"-{100 * edges[-1][1]:.1f}% (must accept {100 * must_accept:.2f}%, must reject 3.5%)"
    )
    for d in devs:
        if abs(d) <= must_accept:
            assert d in accepted, text
        if abs(d) >= 0.035:
            assert d not in accepted, text


@pytest.mark.parametrize("kind", ["normal", "reverse"])
def test_twist(kind):
    """Twist in 0.1 dB steps on all 16 digits: accepted up to 8 dB normal (low group
    stronger) / 4 dB reverse, rejected from 1 dB beyond."""
    rng = np.random.default_rng(8 if kind == "normal" else 4)
    twists = [t / 10 for t in range(0, 121)]
    cases = [(k, t) for k in KEYPAD for t in twists]
    bursts = []
    for k, t in cases:
        low, high = (-6.0, -6.0 - t) if kind == "normal" else (-6.0 - t, -6.0)
        bursts.append(digit_tone(k, 50, low, high, rng=rng))
    x, starts = train(bursts, PERIOD, spread(len(bursts), rng))
    got = per_burst(x, starts, [len(b) for b in bursts])
    ok = {(k, t) for (k, t), g in zip(cases, got, strict=True) if g == k}
    limit = 8.0 if kind == "normal" else 4.0
    lowest_reject = min(t for k, t in cases if (k, t) not in ok)
    highest_accept = max(t for k, t in cases if (k, t) in ok)
    text = report(
        f"twist {kind}: all 16 digits accepted up to {lowest_reject - 0.1:.1f} dB, "
        f"none beyond {highest_accept:.1f} dB (must accept {limit:.0f} dB)"
    )
    assert lowest_reject > limit, text
    assert highest_accept < limit + 1.0, text


def test_level():
    """Both tones at +3 ... -50 dBm0 (0.5 dB steps), all 16 digits."""
    rng = np.random.default_rng(35)
    levels = [3.0 - i / 2 for i in range(0, 107)]  # descending
    cases = [(k, lvl) for k in KEYPAD for lvl in levels]
    bursts = [digit_tone(k, 50, lvl, rng=rng) for k, lvl in cases]
    x, starts = train(bursts, PERIOD, spread(len(bursts), rng))
    got = per_burst(x, starts, [len(b) for b in bursts])
    ok = {(k, lvl) for (k, lvl), g in zip(cases, got, strict=True) if g == k}
    all_ok = [all((k, lvl) in ok for k in KEYPAD) for lvl in levels]
    first = all_ok.index(True)
    last = first
    while last + 1 < len(levels) and all_ok[last + 1]:
        last += 1
    top, bottom = levels[first], levels[last]
    weakest = min(lvl for _, lvl in ok)
    text = report(
        f"level per tone: all 16 digits accepted from {top:+.1f} to {bottom:.1f} dBm0; "
        f"nothing below {weakest:.1f} dBm0"
    )
    assert top >= -3.0 and bottom <= -36.0, text
    assert weakest > -50.0, text


def test_on_time():
    """Tone bursts of 10..50 ms at 8 alignments: <= 20 ms never a digit, >= 40 ms always."""
    rng = np.random.default_rng(20)
    durations = list(range(10, 51))
    cases = [(ms, a) for ms in durations for a in ALIGNMENTS]
    digits = [KEYPAD[i % 16] for i in range(len(cases))]
    bursts = [digit_tone(d, ms, rng=rng) for d, (ms, _) in zip(digits, cases, strict=True)]
    x, starts = train(bursts, PERIOD, [a for _, a in cases])
    got = per_burst(x, starts, [len(b) for b in bursts])
    seen = {ms: [g == d for g, d, (m, _) in zip(got, digits, cases, strict=True) if m == ms]
            for ms in durations}
    assert all(g in ("", d) for g, d in zip(got, digits, strict=True))
    never_up_to = max(ms for ms in durations if not any(seen[ms]))
    always_from = min(ms for ms in durations if all(all(seen[m]) for m in durations if m >= ms))
    text = report(
        f"on-time, 8 alignments: never detected up to {never_up_to} ms "
        f"(shortest ever seen {min(ms for ms in durations if any(seen[ms]))} ms), "
        f"always from {always_from} ms"
    )
    assert all(not any(seen[ms]) for ms in durations if ms <= 20), text
    assert all(all(seen[ms]) for ms in durations if ms >= 40), text


def test_interruptions():
    """Two 50 ms bursts of one digit with a pause of 0..50 ms, 8 alignments: up to 10 ms
    one digit, from 40 ms two."""
    rng = np.random.default_rng(10)
    gaps = list(range(0, 51))
    cases = [(g, a) for g in gaps for a in ALIGNMENTS]
    digits = [KEYPAD[i % 16] for i in range(len(cases))]
    bursts = [
        join(digit_tone(d, 50, rng=rng), silence(g), digit_tone(d, 50, rng=rng))
        for d, (g, _) in zip(digits, cases, strict=True)
    ]
    x, starts = train(bursts, 2 * PERIOD, [a for _, a in cases])
    got = per_burst(x, starts, [len(b) for b in bursts])
    count = {g: [len(s) if set(s) <= {d} else -1 for s, d, (gg, _) in
                 zip(got, digits, cases, strict=True) if gg == g] for g in gaps}
    one_up_to = max(g for g in gaps if all(all(c == 1 for c in count[m]) for m in gaps if m <= g))
    two_from = min(g for g in gaps if all(all(c == 2 for c in count[m]) for m in gaps if m >= g))
    text = report(
        f"interruption, 8 alignments: one digit for pauses up to {one_up_to} ms, "
        f"two digits from {two_from} ms"
    )
    assert one_up_to >= 10 and two_from <= 40, text


def test_white_noise_15_db_snr():
    """1,000 bursts (50 ms on, 50 ms off, random digits, -10 dBm0 per tone) in white
    noise 15 dB below the dual tone's power: every digit, nothing else."""
    rng = np.random.default_rng(15)
    keys = "".join(rng.choice(list(KEYPAD), 1000))
    sig = join(*[join(digit_tone(k, 50, -10, rng=rng), silence(50)) for k in keys], silence(50))
    power = 2 * amplitude(-10) ** 2 / 2
    got = "".join(d for _, d in detect(sig + white_noise(len(sig), power / 10**1.5, rng)))
    hits = sum(a == b for a, b in zip(got, keys, strict=False))
    report(f"white noise at 15 dB SNR: {hits}/1000 digits in place, {len(got)} reported")
    assert got == keys


@pytest.mark.parametrize("dial", [(350.0, 440.0), (425.0,)], ids=["350+440Hz", "425Hz"])
def test_dial_tone_under_digits(dial):
    """A continuous dial tone at the digits' level (-10 dBm0 per tone) neither hides
    digits nor makes any."""
    rng = np.random.default_rng(int(dial[0]))
    keys = KEYPAD * 3
    sig = join(*[join(digit_tone(k, 50, -10, rng=rng), silence(50)) for k in keys])
    tone = sum(sine(f, len(sig), -10.0, rng.uniform(0, 2 * np.pi)) for f in dial)
    assert "".join(d for _, d in detect(sig + tone)) == keys
    assert detect(sine(dial[0], 5 * FS, -10.0) + (sine(dial[1], 5 * FS, -10.0)
                                                  if len(dial) > 1 else 0)) == []
    report(f"dial tone {'+'.join(f'{f:.0f}' for f in dial)} Hz at -10 dBm0 under 48 digits: "
           "all found, none of its own")


def test_talk_off_on_speech():
    """espeak-ng reading paragraphs in six languages with ten voices: no digit at all."""
    if not dtmf_speech.espeak_available():
        pytest.fail("espeak-ng is missing: `make setup` installs it (tools/apt-packages.txt)")
    seconds = 0.0
    false = []
    for lang, paragraphs in dtmf_speech.TEXTS.items():
        for variant, pitch in dtmf_speech.VOICES:
            speech = join(*[dtmf_speech.speak(lang, p, variant, pitch) for p in paragraphs])
            seconds += len(speech) / FS
            # as spoken, and 10 dB louder (peaks clip, as a loud talker's would)
            for gain in (1.0, 3.16):
                found = detect(speech * gain)
                if found:
                    false.append((lang, variant, pitch, gain, found))
    text = report(f"talk-off: {2 * seconds:.0f} s of speech (6 languages, 10 voices, 2 levels), "
                  f"{len(false)} runs with false digits")
    assert not false, f"{text}: {false}"


def test_generator_feeds_receiver():
    """Our generator's output, at several levels and timings, decodes exactly, with the
    start of each digit where the generator put it."""
    for level, on_ms, off_ms in ((-3, 40, 40), (-10, 70, 70), (-30, 50, 50), (-35, 45, 60)):
        keys = KEYPAD + KEYPAD[::-1]
        pcm = dtmf.generate(keys, level, on_ms, off_ms)
        found = dtmf.detect(pcm)
        assert "".join(d for _, d in found) == keys, (level, on_ms, off_ms)
        for i, (ms, _) in enumerate(found):
            assert abs(ms - i * (on_ms + off_ms)) <= 3, (level, on_ms, off_ms, found)
    report("generator -> receiver: 32 digits at -3/-10/-30/-35 dBm0, 40..70 ms, exact")
