"""`python -m firmware.media.dtmf FILE`: digits with their start times from 8 kHz mono
WAVs in all three encodings, and a clear one-line error (exit 2) for files it cannot
read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from firmware.media import dtmf, wav

ROOT = Path(__file__).resolve().parents[2]
KEYS = "159#D0*A"
LEAD_MS = 250
ON_MS, OFF_MS = 60, 60


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "firmware.media.dtmf", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )


def digits_file(tmp_path: Path, encoding: str) -> Path:
    pcm = bytes(2 * 8 * LEAD_MS) + dtmf.generate(KEYS, -12, ON_MS, OFF_MS)
    path = tmp_path / f"digits-{encoding}.wav"
    wav.write(path, pcm, encoding)
    return path


@pytest.mark.parametrize("encoding", wav.ENCODINGS)
def test_prints_start_ms_and_digit_per_line(tmp_path, encoding):
    done = run_tool(str(digits_file(tmp_path, encoding)))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert [line.split(" ")[1] for line in lines] == list(KEYS)
    for i, line in enumerate(lines):
        ms, digit = line.split(" ")
        assert abs(int(ms) - (LEAD_MS + i * (ON_MS + OFF_MS))) <= 3, lines


def test_no_digits_no_output(tmp_path, capsys):
    path = tmp_path / "silence.wav"
    wav.write(path, bytes(16000))
    assert dtmf.main([str(path)]) == 0
    assert capsys.readouterr().out == ""


def test_missing_file_is_a_one_line_error_and_exit_2(tmp_path):
    missing = tmp_path / "nope.wav"
    done = run_tool(str(missing))
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert str(missing) in done.stderr


@pytest.mark.parametrize(
    "blob, why",
    [
        (b"not a wav at all", "not a RIFF WAVE"),
        (wav.encode(bytes(3200), rate=16000), "16000 Hz"),
        (wav.encode(bytes(3200))[:20] + b"\x02\x00" + wav.encode(bytes(3200))[22:], "tag 2"),
    ],
    ids=["not-wav", "16kHz", "adpcm"],
)
def test_unusable_files(tmp_path, capsys, blob, why):
    path = tmp_path / "bad.wav"
    path.write_bytes(blob)
    status = dtmf.main([str(path)])
    out = capsys.readouterr()
    assert status == 2
    assert out.out == ""
    assert len(out.err.splitlines()) == 1 and why in out.err


def test_stereo_is_refused(tmp_path, capsys):
    import struct

    fmt = struct.pack("<HHIIHH", 1, 2, 8000, 32000, 4, 16)
    body = b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 8) + bytes(8)
    path = tmp_path / "stereo.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)
    assert dtmf.main([str(path)]) == 2
    assert "mono" in capsys.readouterr().err
