"""firmware.media.wav: round trips in all three encodings, the stdlib's reading of our
PCM files, and clear errors for files the box cannot use."""

from __future__ import annotations

import wave

import pytest

from firmware.media import g711, wav

RAMP = wav.pcm_of(range(-32768, 32768, 97))


@pytest.mark.parametrize("encoding", wav.ENCODINGS)
def test_round_trip(tmp_path, encoding):
    path = tmp_path / f"x-{encoding}.wav"
    wav.write(path, RAMP, encoding)
    got = wav.read(path)
    assert (got.rate, got.channels, got.encoding) == (8000, 1, encoding)
    assert got.frames == len(RAMP) // 2
    expected = {
        wav.PCM16: RAMP,
        wav.ALAW: g711.alaw_decode(g711.alaw_encode(RAMP)),
        wav.ULAW: g711.ulaw_decode(g711.ulaw_encode(RAMP)),
    }[encoding]
    assert got.pcm == expected
    assert wav.read_mono_8k(path) == expected


def test_stdlib_wave_reads_our_pcm(tmp_path):
    path = tmp_path / "pcm.wav"
    wav.write(path, RAMP)
    with wave.open(str(path)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
        assert w.readframes(w.getnframes()) == RAMP


def test_unknown_chunks_are_skipped_and_a_cut_data_chunk_is_read_as_far_as_it_goes():
    blob = wav.encode(RAMP[:200])
    # Insert an odd-sized LIST chunk (with its pad byte) before the fmt chunk.
    extra = b"LIST" + (3).to_bytes(4, "little") + b"abc\0"
    blob = blob[:12] + extra + blob[12:]
    assert wav.parse(blob).pcm == RAMP[:200]
    assert wav.parse(blob[:-50]).pcm == RAMP[:150]


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"hello", "not a RIFF WAVE file"),
        (b"RIFF\0\0\0\0WAVE", "no fmt chunk"),
        (wav.encode(b"")[:36], "no data chunk"),
    ],
)
def test_errors_say_what_is_wrong(blob, message):
    with pytest.raises(wav.WavError, match=message):
        wav.parse(blob, "x.wav")


def test_other_formats_and_rates_are_refused_clearly(tmp_path):
    path = tmp_path / "stereo44.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(b"\0\0" * 8)
    with pytest.raises(wav.WavError, match="44100 Hz, 2 channel"):
        wav.read_mono_8k(path)
    float_wav = bytearray(wav.encode(RAMP[:8]))
    float_wav[20:22] = (3).to_bytes(2, "little")  # IEEE float tag
    with pytest.raises(wav.WavError, match="unsupported format tag 3"):
        wav.parse(bytes(float_wav))
    with pytest.raises(wav.WavError, match="No such file"):
        wav.read(tmp_path / "missing.wav")
