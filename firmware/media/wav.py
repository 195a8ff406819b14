"""WAV files for recordings, prompts and the DSP tools: 8 kHz mono is what telephony
uses, in one of three encodings — 16-bit linear PCM (format tag 1), A-law (6) or
µ-law (7), the tags of Microsoft's RIFF WAVE definition.

The stdlib ``wave`` module reads and writes PCM only, hence this small reader/writer.
Reading is strict about what it cannot handle (a clear ``WavError`` naming the file and
the problem) and lenient where files in the wild differ: unknown chunks are skipped, a
``fact`` chunk is optional, an odd-sized chunk has its pad byte, and a data chunk whose
size field runs past the end of the file (a recorder that was cut off) is read as far as
it goes.
"""

from __future__ import annotations

import os
import struct
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path

from firmware.media import g711

PCM16 = "pcm16"
ALAW = "alaw"
ULAW = "ulaw"
ENCODINGS = (PCM16, ALAW, ULAW)

_FORMAT_TAGS = {1: PCM16, 6: ALAW, 7: ULAW}
_TAG_OF = {v: k for k, v in _FORMAT_TAGS.items()}
_BITS = {PCM16: 16, ALAW: 8, ULAW: 8}


class WavError(ValueError):
    """A file that is not a WAV this box can use; the message says why."""


@dataclass(frozen=True)
class Wav:
    """A decoded file: ``pcm`` is 16-bit signed little-endian linear, whatever the
    file's encoding; ``encoding`` and ``data`` keep what the file held."""

    rate: int
    channels: int
    encoding: str
    data: bytes

    @property
    def pcm(self) -> bytes:
        if self.encoding == ALAW:
            return g711.alaw_decode(self.data)
        if self.encoding == ULAW:
            return g711.ulaw_decode(self.data)
        return self.data

    @property
    def frames(self) -> int:
        return len(self.data) // (_BITS[self.encoding] // 8 * self.channels)

    @property
    def seconds(self) -> float:
        return self.frames / self.rate


def read(path: str | os.PathLike[str]) -> Wav:
    """The WAV at ``path``; ``WavError`` when it is not one we can read."""
    name = os.fspath(path)
    try:
        blob = Path(path).read_bytes()
    except OSError as e:
        raise WavError(f"{name}: {e.strerror}") from None
    return parse(blob, name)


def parse(blob: bytes, name: str = "<bytes>") -> Wav:
    """A WAV from its bytes; see ``read``."""
    if len(blob) < 12 or blob[:4] != b"RIFF" or blob[8:12] != b"WAVE":
        raise WavError(f"{name}: not a RIFF WAVE file")
    fmt: tuple[int, int, int, int] | None = None
    pos = 12
    while pos + 8 <= len(blob):
        chunk_id, size = struct.unpack_from("<4sI", blob, pos)
        body = blob[pos + 8 : pos + 8 + size]
        if chunk_id == b"fmt ":
            if len(body) < 16:
                raise WavError(f"{name}: fmt chunk too short ({len(body)} bytes)")
            tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", body)
            if tag == 0xFFFE and len(body) >= 26:  # WAVE_FORMAT_EXTENSIBLE: real tag
                tag = struct.unpack_from("<H", body, 24)[0]
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            if fmt is None:
                raise WavError(f"{name}: data chunk before the fmt chunk")
            return _wav(name, fmt, body)
        pos += 8 + size + (size & 1)
    raise WavError(f"{name}: no {'fmt' if fmt is None else 'data'} chunk")


def _wav(name: str, fmt: tuple[int, int, int, int], data: bytes) -> Wav:
    tag, channels, rate, bits = fmt
    encoding = _FORMAT_TAGS.get(tag)
    if encoding is None:
        raise WavError(
            f"{name}: unsupported format tag {tag} (16-bit PCM, A-law or µ-law only)"
        )
    if bits != _BITS[encoding]:
        raise WavError(f"{name}: {encoding} with {bits} bits per sample is not supported")
    if channels < 1 or rate < 1:
        raise WavError(f"{name}: bad header ({channels} channels, {rate} Hz)")
    frame = bits // 8 * channels
    data = data[: len(data) - len(data) % frame]
    return Wav(rate=rate, channels=channels, encoding=encoding, data=bytes(data))


def read_mono_8k(path: str | os.PathLike[str]) -> bytes:
    """16-bit linear PCM of an 8 kHz mono WAV at ``path``: what the DSP tools take.
    ``WavError`` for another rate or channel count (the box does not resample)."""
    wav = read(path)
    if wav.rate != 8000 or wav.channels != 1:
        raise WavError(
            f"{os.fspath(path)}: {wav.rate} Hz, {wav.channels} channel(s); "
            "need 8000 Hz mono"
        )
    return wav.pcm


def encode(pcm: bytes, encoding: str = PCM16, rate: int = 8000) -> bytes:
    """A mono WAV file's bytes holding 16-bit LE linear ``pcm`` in ``encoding``."""
    if encoding not in _TAG_OF:
        raise ValueError(f"unknown encoding {encoding!r} (one of {', '.join(ENCODINGS)})")
    if len(pcm) % 2:
        raise ValueError("pcm must hold whole 16-bit samples")
    if encoding == ALAW:
        data = g711.alaw_encode(pcm)
    elif encoding == ULAW:
        data = g711.ulaw_encode(pcm)
    else:
        data = bytes(pcm)
    bits = _BITS[encoding]
    block = bits // 8
    fmt = struct.pack("<HHIIHH", _TAG_OF[encoding], 1, rate, rate * block, block, bits)
    chunks = [b"fmt ", struct.pack("<I", len(fmt)), fmt]
    if encoding != PCM16:  # non-PCM formats carry a fact chunk with the frame count
        chunks += [b"fact", struct.pack("<II", 4, len(data) // block)]
    chunks += [b"data", struct.pack("<I", len(data)), data, b"\0" * (len(data) & 1)]
    body = b"".join(chunks)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def write(
    path: str | os.PathLike[str], pcm: bytes, encoding: str = PCM16, rate: int = 8000
) -> None:
    """Write ``pcm`` (16-bit LE linear, mono) to ``path`` as a WAV in ``encoding``.
    The file appears whole or not at all (written aside, then renamed)."""
    blob = encode(pcm, encoding, rate)
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    try:
        tmp.write_bytes(blob)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def samples(pcm: bytes) -> array:
    """``pcm`` (16-bit LE) as an ``array('h')`` in host order, for tests and tools."""
    out = array("h")
    out.frombytes(pcm)
    if sys.byteorder != "little":
        out.byteswap()
    return out


def pcm_of(values: array | list[int]) -> bytes:
    """16-bit LE bytes of sample ``values`` (clipped to the int16 range)."""
    out = array("h", (max(-32768, min(32767, int(v))) for v in values))
    if sys.byteorder != "little":
        out.byteswap()
    return out.tobytes()
