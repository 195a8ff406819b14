"""``python -m firmware.media.tone COUNTRY TONE SECONDS OUT.wav``: the file it writes and
its one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from firmware.media import g711, tone, tones, wav

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *args: str) -> tuple[int, str]:
    try:
        code = tone.main(list(args))
    except SystemExit as e:
        code = int(e.code or 0)
    err = capsys.readouterr().err
    return code, err


def test_writes_the_tone_as_8khz_16bit_mono(tmp_path, capsys):
    out = tmp_path / "busy.wav"
    code, err = run(capsys, "DE", "busy", "2.5", str(out))
    assert (code, err) == (0, "")
    w = wav.read(out)
    assert (w.rate, w.channels, w.encoding, w.frames) == (8000, 1, wav.PCM16, 20_000)
    assert w.pcm == tones.generate(tones.tone("DE", "busy"), 20_000)


def test_play_once_tone_is_followed_by_silence(tmp_path, capsys):
    out = tmp_path / "sit.wav"
    assert run(capsys, "us", "sit", "2", str(out)) == (0, "")
    pcm = wav.read(out).pcm
    assert len(pcm) == 2 * 16_000
    assert pcm[2 * 7920 :] == bytes(2 * (16_000 - 7920))  # 3 x 330 ms, then nothing
    assert pcm[: 2 * 7920].count(0) < 2 * 7920


def test_alaw_encoding_option(tmp_path, capsys):
    out = tmp_path / "dial.wav"
    assert run(capsys, "GB", "dial", "0.5", str(out), "--encoding", "alaw") == (0, "")
    w = wav.read(out)
    assert w.encoding == wav.ALAW
    assert w.data == g711.alaw_encode(tones.generate(tones.tone("GB", "dial"), 4000))


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["XX", "busy", "1"], "unknown country 'XX'; valid: AT, CH, CZ, DE"),
        (["DE", "bussy", "1"], "unknown tone 'bussy' for DE; valid: dial, busy"),
        (["DE", "busy", "soon"], "SECONDS must be a number"),
        (["DE", "busy", "0"], "SECONDS must be in (0, 3600]"),
        (["DE", "busy", "-2"], "SECONDS must be in (0, 3600]"),
        (["DE", "busy", "nan"], "SECONDS must be in (0, 3600]"),
        (["DE", "busy", "4000"], "SECONDS must be in (0, 3600]"),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(tmp_path, capsys, args, fragment):
    out = tmp_path / "x.wav"
    code, err = run(capsys, *args, str(out))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(tone.PROG + ": error: ")
    assert fragment in err
    assert not out.exists()


def test_missing_argument_is_one_line_too(capsys):
    code, err = run(capsys, "DE", "busy", "1")
    assert code == 2 and err.count("\n") == 1 and "required" in err


def test_unwritable_output_is_status_1(tmp_path, capsys):
    code, err = run(capsys, "DE", "busy", "1", str(tmp_path / "no" / "such" / "dir.wav"))
    assert code == 1
    assert err.count("\n") == 1 and "cannot write" in err


def test_runs_as_a_module(tmp_path):
    out = tmp_path / "ring.wav"
    done = subprocess.run(
        [sys.executable, "-m", "firmware.media.tone", "PL", "ringback", "1", str(out)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    assert wav.read(out).frames == 8000
    bad = subprocess.run(
        [sys.executable, "-m", "firmware.media.tone", "PL", "ringback", "x", str(out)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
