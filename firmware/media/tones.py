"""Call-progress tones per country, and their generator (ext/tone.c).

A ``Tone`` is a cadence of up to 8 segments, each a set of up to 4 frequencies (none:
silence) at levels in dBm0 for a whole number of milliseconds (0: for ever), repeating
or played once. ``PLANS`` holds every country's tones in one table; ``tone(country,
name)`` looks one up, ``descriptor()`` turns it into the C ``tone_desc_t`` that the
media engine and ``ToneGenerator`` play.

Sources. Frequencies and cadences come from the ITU's list of national tones (ITU-T
E.180 Supplement 2, as indexed by Asterisk's indications.conf.sample), GB from BT SIN 350
(same index). The table in the shared REFERENCE.md (DE, GB, US, PL, CZ, RU) is checked
against this one by tests/unit/test_tones.py; where the current Asterisk sample differs
from it (RU ringback 1 s/4 s there, 0.8 s/3.2 s in REFERENCE.md and older Asterisk
samples) REFERENCE.md wins. Levels: US from the North American precise audible tone
plan (ITU-T E.300 Supplement 3: dial −13, ringback −19, busy and reorder −24 dBm0 per
frequency); the other sources give none, so single tones are sent at −10 dBm0 and each
frequency of a dual tone at −13 dBm0 (the pair then has −10 dBm0 of power).
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass
from typing import Any

from firmware.media._dsp import ffi, lib

SAMPLE_RATE = 8000
MAX_SEGMENTS = 8
MAX_FREQS = 4
MAX_DURATION_MS = 0x1FFFFFFF  # ext/tone.h: the sample count must fit in 32 bits

SINGLE_LEVEL = -10.0  # dBm0, a one-frequency tone without a national figure
DUAL_LEVEL = -13.0  # dBm0 per frequency of a two-frequency tone

# Tone names every country has; plans may add their own (record, special_dial, ...).
STANDARD_TONES = ("dial", "busy", "ringback", "congestion", "call_waiting", "sit")


class UnknownTone(KeyError):
    """A country or tone name that is not in ``PLANS``; the message lists the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Segment:
    """``ms`` milliseconds (0: for ever) of ``freqs`` (empty: silence) at ``levels`` dBm0."""

    ms: int
    freqs: tuple[float, ...] = ()
    levels: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.ms <= MAX_DURATION_MS or int(self.ms) != self.ms:
            raise ValueError(f"segment duration {self.ms!r} ms: need a whole 0..{MAX_DURATION_MS}")
        if len(self.freqs) > MAX_FREQS:
            raise ValueError(f"{len(self.freqs)} frequencies in a segment: at most {MAX_FREQS}")
        if len(self.levels) != len(self.freqs):
            raise ValueError("a segment needs one level per frequency")
        for f in self.freqs:
            if not 0 < f < SAMPLE_RATE / 2:
                raise ValueError(f"frequency {f} Hz outside 0..{SAMPLE_RATE // 2} Hz")
        for level in self.levels:
            if not -90.0 <= level <= 3.14:
                raise ValueError(f"level {level} dBm0 outside -90..+3.14 dBm0")

    @property
    def samples(self) -> int:
        """Length in samples, 0 for ever."""
        return self.ms * SAMPLE_RATE // 1000


@dataclass(frozen=True)
class Tone:
    segments: tuple[Segment, ...]
    repeat: bool = True

    def __post_init__(self) -> None:
        if not 1 <= len(self.segments) <= MAX_SEGMENTS:
            raise ValueError(f"{len(self.segments)} segments: need 1..{MAX_SEGMENTS}")

    @property
    def period_samples(self) -> int | None:
        """Samples in one cadence cycle, or None if a segment lasts for ever."""
        if any(seg.ms == 0 for seg in self.segments):
            return None
        return sum(seg.samples for seg in self.segments)


# --- building the table ---------------------------------------------------------------


def _levels(freqs: tuple[float, ...], level: float | None) -> tuple[float, ...]:
    if level is None:
        level = SINGLE_LEVEL if len(freqs) == 1 else DUAL_LEVEL
    return (level,) * len(freqs)


def cadence(freqs: tuple[float, ...], *on_off_ms: int, level: float | None = None) -> Tone:
    """``freqs`` sounding for on_off_ms[0], silent for on_off_ms[1], and so on, repeating;
    with no durations, continuous."""
    if not on_off_ms:
        return Tone((Segment(0, freqs, _levels(freqs, level)),))
    segments = tuple(
        Segment(ms, freqs, _levels(freqs, level)) if i % 2 == 0 else Segment(ms)
        for i, ms in enumerate(on_off_ms)
    )
    return Tone(segments)


def sequence(
    *parts: tuple[tuple[float, ...], int], level: float | None = None, repeat: bool = True
) -> Tone:
    """Segments given as (freqs, ms); empty freqs for silence."""
    return Tone(
        tuple(Segment(ms, freqs, _levels(freqs, level)) for freqs, ms in parts), repeat=repeat
    )


def _sit(f1: float, f2: float, f3: float, gap_ms: int = 0, pause_ms: int = 1000,
         level: float | None = None, repeat: bool = True) -> Tone:
    """Special information tone (ITU-T E.180): three 330 ms tones rising in pitch, with
    optional short gaps, then a pause (none when played once)."""
    parts: list[tuple[tuple[float, ...], int]] = []
    for i, f in enumerate((f1, f2, f3)):
        parts.append(((f,), 330))
        if gap_ms and i < 2:
            parts.append(((), gap_ms))
    if pause_ms:
        parts.append(((), pause_ms))
    return sequence(*parts, level=level, repeat=repeat)


_SIT = _sit(950, 1400, 1800)

# One table for every country: frequencies in Hz, durations in ms (see the module doc).
PLANS: dict[str, dict[str, Tone]] = {
    "AT": {
        "dial": cadence((420,)),
        "busy": cadence((420,), 400, 400),
        "ringback": cadence((420,), 1000, 5000),
        "congestion": cadence((420,), 200, 200),
        "call_waiting": cadence((420,), 40, 1960),
        "sit": _sit(950, 1450, 1850),
        "special_dial": cadence((380, 420)),
        "record": cadence((1400,), 80, 14920),
    },
    "CH": {
        "dial": cadence((425,)),
        "busy": cadence((425,), 500, 500),
        "ringback": cadence((425,), 1000, 4000),
        "congestion": cadence((425,), 200, 200),
        "call_waiting": cadence((425,), 200, 200, 200, 4000),
        "sit": _SIT,
        "record": cadence((1400,), 80, 15000),
    },
    "CZ": {
        "dial": cadence((425,), 330, 330, 660, 660),
        "busy": cadence((425,), 330, 330),
        "ringback": cadence((425,), 1000, 4000),
        "congestion": cadence((425,), 165, 165),
        "call_waiting": cadence((425,), 330, 9000),
        "sit": _sit(950, 1400, 1800, gap_ms=30),
        "record": cadence((1400,), 500, 14000),
    },
    "DE": {
        "dial": cadence((425,)),
        "busy": cadence((425,), 480, 480),
        "ringback": cadence((425,), 1000, 4000),
        "congestion": cadence((425,), 240, 240),
        "call_waiting": cadence((425,), 200, 200, 200, 5000),
        "sit": _SIT,
        "special_dial": cadence((425, 400)),
        "record": cadence((1400,), 80, 15000),
    },
    "FR": {
        "dial": cadence((440,)),
        "busy": cadence((440,), 500, 500),
        "ringback": cadence((440,), 1500, 3500),
        "congestion": cadence((440,), 250, 250),
        "call_waiting": cadence((440,), 300, 10000),
        "sit": _sit(950, 1400, 1800, pause_ms=0, repeat=False),
        "record": cadence((1400,), 500, 15000),
    },
    "GB": {
        "dial": cadence((350, 440)),
        "busy": cadence((400,), 375, 375),
        "ringback": cadence((400, 450), 400, 200, 400, 2000),
        "congestion": cadence((400,), 400, 350, 225, 525),
        "call_waiting": cadence((400,), 100, 4000),
        "sit": _sit(950, 1400, 1800, gap_ms=15),
        "unobtainable": cadence((400,)),
        "special_dial": sequence(((350, 440), 750), ((440,), 750)),
        "record": cadence((1400,), 500, 60000),
    },
    "IT": {
        "dial": cadence((425,), 200, 200, 600, 1000),
        "busy": cadence((425,), 500, 500),
        "ringback": cadence((425,), 1000, 4000),
        "congestion": cadence((425,), 200, 200),
        "call_waiting": cadence((425,), 400, 100, 250, 100, 150, 14000),
        "sit": _SIT,
        "special_dial": sequence(((470,), 400), ((425,), 400)),
        "record": cadence((1400,), 400, 15000),
    },
    "NL": {
        "dial": cadence((425,)),
        "busy": cadence((425,), 500, 500),
        "ringback": cadence((425,), 1000, 4000),
        "congestion": cadence((425,), 250, 250),
        "call_waiting": cadence((425,), 500, 9500),
        "sit": _SIT,
        "special_dial": cadence((425,), 500, 50),
        "record": cadence((1400,), 500, 15000),
    },
    "PL": {
        "dial": cadence((425,)),
        "busy": cadence((425,), 500, 500),
        "ringback": cadence((425,), 1000, 4000),
        "congestion": cadence((425,), 500, 500),
        "call_waiting": cadence((425,), 150, 150, 150, 4000),
        "sit": _SIT,
        "record": cadence((1400,), 500, 15000),
    },
    "RU": {
        "dial": cadence((425,)),
        "busy": cadence((425,), 350, 350),
        "ringback": cadence((425,), 800, 3200),
        "congestion": cadence((425,), 175, 175),
        "call_waiting": cadence((425,), 200, 5000),
        "sit": _SIT,
        "record": cadence((1400,), 400, 15000),
    },
    "US": {
        "dial": cadence((350, 440), level=-13.0),
        "busy": cadence((480, 620), 500, 500, level=-24.0),
        "ringback": cadence((440, 480), 2000, 4000, level=-19.0),
        "congestion": cadence((480, 620), 250, 250, level=-24.0),  # "reorder"
        "call_waiting": cadence((440,), 300, 10000, level=-13.0),
        "sit": _sit(950, 1400, 1800, pause_ms=0, level=-13.0, repeat=False),
        "record": cadence((1400,), 500, 15000, level=-13.0),
    },
}

ALIASES = {"UK": "GB"}


def countries() -> list[str]:
    return sorted(PLANS)


def tone_names(country: str) -> list[str]:
    """The tones of ``country``: the standard ones first, then its extras."""
    plan = PLANS[_country_key(country)]
    extras = sorted(name for name in plan if name not in STANDARD_TONES)
    return [name for name in STANDARD_TONES if name in plan] + extras


def _country_key(country: str) -> str:
    key = country.strip().upper()
    key = ALIASES.get(key, key)
    if key not in PLANS:
        raise UnknownTone(f"unknown country {country!r}; valid: {', '.join(countries())}")
    return key


def tone(country: str, name: str) -> Tone:
    """The tone ``name`` (e.g. "busy", "call-waiting") of ``country`` (ISO code, any case)."""
    key = _country_key(country)
    tone_key = name.strip().lower().replace("-", "_")
    try:
        return PLANS[key][tone_key]
    except KeyError:
        raise UnknownTone(
            f"unknown tone {name!r} for {key}; valid: {', '.join(tone_names(key))}"
        ) from None


def descriptor(t: Tone) -> Any:
    """A C ``tone_desc_t *`` (owned by the returned cdata) for ``t``."""
    d = ffi.new("tone_desc_t *")
    d.n_segments = len(t.segments)
    d.repeat = 1 if t.repeat else 0
    for i, seg in enumerate(t.segments):
        c = d.segments[i]
        c.duration_ms = seg.ms
        c.n_freqs = len(seg.freqs)
        for k, (f, level) in enumerate(zip(seg.freqs, seg.levels, strict=True)):
            c.freq_hz[k] = f
            c.level_dbm0[k] = level
    return d


def country_descriptor(country: str, name: str) -> Any:
    """``descriptor(tone(country, name))``: what the media engine's "play tone" takes."""
    return descriptor(tone(country, name))


class ToneGenerator:
    """Plays a ``Tone`` as 16-bit LE PCM at 8 kHz, block by block, from a C state."""

    __slots__ = ("_desc", "_state")

    def __init__(self, t: Tone) -> None:
        self._desc = descriptor(t)
        self._state = ffi.new("tone_gen_state_t *")
        lib.tone_gen_init(self._state, self._desc)

    @property
    def finished(self) -> bool:
        """True once a play-once tone has ended."""
        return bool(lib.tone_gen_finished(self._state))

    def read(self, n: int, pad: bool = False) -> bytes:
        """The next ``n`` samples; fewer when a play-once tone ends, unless ``pad`` fills
        the rest with silence."""
        out = array("h", bytes(2 * n))
        got = lib.tone_gen_process(self._state, ffi.from_buffer("int16_t[]", out), n)
        if sys.byteorder != "little":
            out.byteswap()
        data = out.tobytes()
        return data if pad else data[: 2 * got]


def generate(t: Tone, samples: int) -> bytes:
    """``samples`` samples of ``t`` (silence after a play-once tone ends), 16-bit LE PCM."""
    return ToneGenerator(t).read(samples, pad=True)


# --- analog lines: ringing cadence and the tones an FXS port adds ----------------------


def ring_cadence(country: str) -> tuple[int, ...]:
    """The ringing voltage's on/off times in ms: the ringback tone's cadence, which is
    what the caller hears in step with the bell (e.g. DE 1000 on, 4000 off)."""
    period = tone(country, "ringback")
    return tuple(seg.ms for seg in period.segments)


def stutter_dial(country: str) -> Tone:
    """Dial tone interrupted three times, then steady: the message-waiting indication
    a phone without a lamp hears on going off-hook."""
    dial = tone(country, "dial").segments[0]
    parts: list[tuple[tuple[float, ...], int]] = [(dial.freqs, 100), ((), 100)] * 3
    return sequence(*parts, (dial.freqs, 0), level=dial.levels[0])


def call_waiting_burst(country: str) -> Tone:
    """One burst of the call-waiting tone, played once over the conversation (the
    cadence's long pause is the caller's to time, so the talk is not cut off)."""
    segments = tone(country, "call_waiting").segments
    while len(segments) > 1 and not segments[-1].freqs:
        segments = segments[:-1]
    return Tone(segments, repeat=False)
