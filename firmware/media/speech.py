"""Text to 8 kHz speech with espeak-ng (a Debian package), for voice prompts.

Never on the media path: callers run it in a worker thread or at setup time. The text
goes in on standard input, so nothing a visitor typed can become a command-line option,
and SSML/markup interpretation stays off (espeak-ng only parses it with ``-m``).
"""

from __future__ import annotations

import shutil
import subprocess

from firmware.media import wav
from firmware.media.resample import resample

ESPEAK = "espeak-ng"
VOICES = {"en": "en", "de": "de", "cs": "cs", "pl": "pl", "ru": "ru"}
MAX_TEXT = 500  # characters: a prompt, not an audiobook
WORDS_PER_MINUTE = 150  # a little slower than espeak's 175: the line is narrow-band
TIMEOUT = 20.0  # seconds


class SpeechError(RuntimeError):
    """Speech could not be made; the message says why."""


def available() -> bool:
    return shutil.which(ESPEAK) is not None


def speak(text: str, language: str = "en") -> bytes:
    """16-bit LE linear PCM at 8 kHz of ``text`` read in ``language``."""
    voice = VOICES.get(language)
    if voice is None:
        raise SpeechError(f"no voice for language {language!r} "
                          f"(have {', '.join(sorted(VOICES))})")
    text = " ".join(text.split())[:MAX_TEXT]
    if not text:
        raise SpeechError("nothing to say")
    if not available():
        raise SpeechError(f"{ESPEAK} is not installed")
    try:
        done = subprocess.run(
            [ESPEAK, "-v", voice, "-s", str(WORDS_PER_MINUTE), "--stdout"],
            input=text.encode(), capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise SpeechError(f"{ESPEAK} took longer than {TIMEOUT:.0f} s") from None
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip().splitlines()
        raise SpeechError(f"{ESPEAK} failed ({done.returncode}): "
                          f"{why[-1] if why else 'no message'}")
    try:
        out = wav.parse(done.stdout, ESPEAK)
    except wav.WavError as e:
        raise SpeechError(str(e)) from None
    if out.channels != 1:
        raise SpeechError(f"{ESPEAK} gave {out.channels} channels")
    return resample(out.pcm, out.rate, 8000)
