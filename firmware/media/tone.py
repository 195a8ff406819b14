"""``python -m firmware.media.tone COUNTRY TONE SECONDS OUT.wav``: write a call-progress
tone of a country's plan (firmware/media/tones.py) to an 8 kHz mono WAV file, 16-bit
linear unless ``--encoding`` says alaw or ulaw. A tone that plays once (e.g. US "sit")
is followed by silence up to SECONDS.

Exit status: 0 written, 2 bad arguments (one line on stderr says which), 1 the file
could not be written.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import NoReturn

from firmware.media import tones, wav

PROG = "python -m firmware.media.tone"
MAX_SECONDS = 3600.0


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=PROG,
        description="Write a call-progress tone to an 8 kHz mono WAV file.",
        epilog=f"countries: {', '.join(tones.countries())}; "
        f"tones: {', '.join(tones.STANDARD_TONES)} and per-country extras",
    )
    p.add_argument("country", help="ISO country code, e.g. DE")
    p.add_argument("tone", help="tone name, e.g. busy")
    p.add_argument("seconds", help=f"length of the file, 0 < SECONDS <= {MAX_SECONDS:g}")
    p.add_argument("out", help="output WAV file")
    p.add_argument("--encoding", choices=wav.ENCODINGS, default=wav.PCM16)
    return p


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"SECONDS must be a number, got {text!r}") from None
    if not math.isfinite(value) or not 0 < value <= MAX_SECONDS:
        raise ValueError(f"SECONDS must be in (0, {MAX_SECONDS:g}], got {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        seconds = _seconds(args.seconds)
        t = tones.tone(args.country, args.tone)
    except (ValueError, tones.UnknownTone) as e:
        parser.error(str(e))
    samples = max(1, round(seconds * tones.SAMPLE_RATE))
    pcm = tones.generate(t, samples)
    try:
        wav.write(args.out, pcm, args.encoding)
    except OSError as e:
        print(f"{PROG}: error: cannot write {args.out}: {e.strerror or e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
