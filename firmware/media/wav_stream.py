"""A WAV file written as it grows (16-bit linear PCM, any channel count): a long call's
recording goes out in chunks and never sits whole in memory.

It is written beside its name (``.NAME.part``) with sizes of 0 in the header; ``close``
puts the sizes in and renames it, so a finished recording appears whole, and a power cut
leaves a ``.part`` file that ``recover`` (a header fix-up) can turn into a valid WAV.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

HEADER = 44  # RIFF, fmt (16 bytes of format), data: the canonical PCM layout


def _header(channels: int, rate: int, data_bytes: int) -> bytes:
    block = 2 * channels
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * block, block, 16)
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE" + b"fmt "
            + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", data_bytes))


def part_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


class WavWriter:
    def __init__(self, path: str | os.PathLike[str], channels: int = 1, rate: int = 8000
                 ) -> None:
        if channels < 1 or rate < 1:
            raise ValueError(f"a WAV needs channels and a rate, got {channels}, {rate}")
        self.path = Path(path)
        self.channels, self.rate = channels, rate
        self.data_bytes = 0
        self._part = part_path(self.path)
        self._file = open(self._part, "wb")  # noqa: SIM115 - kept open while it grows
        self._file.write(_header(channels, rate, 0))

    @property
    def seconds(self) -> float:
        return self.data_bytes / (2 * self.channels * self.rate)

    @property
    def closed(self) -> bool:
        return self._file.closed

    def write(self, pcm: bytes | memoryview) -> None:
        """Whole frames of 16-bit little-endian samples, interleaved."""
        n = len(pcm) if isinstance(pcm, bytes) else pcm.nbytes
        if n % (2 * self.channels):
            raise ValueError(f"{n} bytes are not whole {self.channels}-channel frames")
        self._file.write(pcm)
        self.data_bytes += n

    def close(self) -> Path:
        """Sizes into the header, to disk, under its own name."""
        if not self._file.closed:
            self._file.seek(0)
            self._file.write(_header(self.channels, self.rate, self.data_bytes))
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.replace(self._part, self.path)
        return self.path


def recover(part: str | os.PathLike[str]) -> Path:
    """A ``.NAME.part`` left by a power cut, as NAME with its header's sizes set."""
    part = Path(part)
    size = part.stat().st_size
    with open(part, "r+b") as f:
        head = f.read(HEADER)
        if len(head) < HEADER or head[:4] != b"RIFF" or head[36:40] != b"data":
            raise ValueError(f"{part}: not a WAV this writer started")
        channels = struct.unpack_from("<H", head, 22)[0] or 1
        data = (size - HEADER) - (size - HEADER) % (2 * channels)
        f.seek(4)
        f.write(struct.pack("<I", 36 + data))
        f.seek(40)
        f.write(struct.pack("<I", data))
    target = part.with_name(part.name[1:].removesuffix(".part"))
    os.replace(part, target)
    return target
