"""Music on hold: what a held party hears instead of silence.

The office's own file (``data_dir/moh/NAME.wav``: any rate, mono or stereo, 16-bit,
A-law or µ-law; resampled to 8 kHz once) or, when there is none, a short built-in tune
synthesised once at start: a few sine notes with soft attack and decay, all below
650 Hz so no two of them can ever look like a DTMF pair to a far end's receiver.

Every held leg plays the same PCM buffer (the engine's prompt ``offset`` starts each one
where the loop is now, as if they all listened to one radio), and the media bridge
restarts it at PROMPT_END: no copies and no per-tick Python work.
"""

from __future__ import annotations

import math
from array import array
from functools import cache
from pathlib import Path

from firmware.log import get_logger
from firmware.media import wav
from firmware.media.resample import resample
from firmware.pbx.config import MohSettings

log = get_logger("pbx.moh")

SAMPLE_RATE = 8000
# (Hz, beats): a slow pentatonic phrase in C major, one beat 0.3 s
TUNE = ((392.0, 1), (440.0, 1), (523.25, 2), (440.0, 1), (392.0, 1), (329.63, 2),
        (293.66, 1), (329.63, 1), (392.0, 2), (329.63, 1), (293.66, 1), (261.63, 3))
BEAT_SECONDS = 0.3
LEVEL = 0.12  # of full scale: about -18 dBFS, below speech so it never startles
ATTACK_SECONDS = 0.02


@cache
def default_tune() -> bytes:
    """The built-in tune as 16-bit 8 kHz PCM (made once per process)."""
    out = array("h")
    for freq, beats in TUNE:
        n = round(beats * BEAT_SECONDS * SAMPLE_RATE)
        step = 2 * math.pi * freq / SAMPLE_RATE
        attack = ATTACK_SECONDS * SAMPLE_RATE
        for i in range(n):
            envelope = min(1.0, i / attack) * math.exp(-3.0 * i / n) * min(1.0, (n - i) / attack)
            out.append(round(32767 * LEVEL * envelope * math.sin(step * i)))
    out.extend([0] * (SAMPLE_RATE // 2))  # a breath before it starts again
    return wav.pcm_of(out)


class MusicOnHold:
    """The music for the current settings, read from ``directory``. ``load`` reads and
    resamples the file (seconds for a long one: the daemon runs it in a worker thread
    at start and after a settings change); ``current`` is what plays meanwhile."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.current: bytes | None = default_tune()
        self._cached: tuple[tuple[str, int, int], bytes] | None = None

    def load(self, settings: MohSettings) -> bytes | None:
        """16-bit 8 kHz PCM to loop (kept as ``current``), or None when it is off."""
        self.current = self._pcm(settings)
        return self.current

    def _pcm(self, settings: MohSettings) -> bytes | None:
        if not settings.enabled:
            return None
        path = self._file(settings.file)
        if path is None:
            if settings.file:
                log.warning("moh_file_missing", file=str(self.directory / settings.file))
            return default_tune()
        try:
            stat = path.stat()
            key = (str(path), stat.st_mtime_ns, stat.st_size)
            if self._cached is not None and self._cached[0] == key:
                return self._cached[1]
            pcm = _mono_8k(wav.read(path))
        except (OSError, wav.WavError, ValueError) as e:
            log.error("moh_file_unusable", file=str(path), error=str(e))
            return default_tune()
        if len(pcm) < 2:
            return default_tune()
        self._cached = (key, pcm)
        log.info("moh_loaded", file=str(path), seconds=round(len(pcm) / 2 / SAMPLE_RATE, 2))
        return pcm

    def source(self, settings: MohSettings) -> str:
        """What plays: the file's name, "built-in", or "off"."""
        if not settings.enabled:
            return "off"
        path = self._file(settings.file)
        return path.name if path is not None else "built-in"

    def _file(self, name: str) -> Path | None:
        """The named file, else the first WAV in the folder (by name), else None."""
        if name:
            path = self.directory / name
            return path if path.is_file() else None
        try:
            return next(iter(sorted(self.directory.glob("*.wav"))), None)
        except OSError:
            return None


def _mono_8k(got: wav.Wav) -> bytes:
    pcm = got.pcm
    if got.channels > 1:  # the channels averaged: a stereo recording works as well
        values = wav.samples(pcm)
        c = got.channels
        pcm = wav.pcm_of([sum(values[i:i + c]) // c for i in range(0, len(values), c)])
    return resample(pcm, got.rate) if got.rate != SAMPLE_RATE else pcm
