"""D-channel traces in the pcap format Wireshark reads: link type LINUX_LAPD (177).

Each record is a 16-byte pseudo-header and the LAPD frame without flags or FCS. The
header tells Wireshark the direction (packet type 0 received, 4 sent by us) and
whether we are the network side, so it reads the C/R bit right. Its fields are
big-endian even in this little-endian file (see ../shared/REFERENCE.md).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

LINKTYPE_LINUX_LAPD = 177
MAGIC = 0xA1B2C3D4
SNAPLEN = 65535
ARPHRD_LAPD = 8445      # the hardware type Linux puts there; Wireshark ignores it
ETH_P_LAPD = 0x0030     # Wireshark calls the record corrupt without it
PACKET_HOST = 0         # received
PACKET_OUTGOING = 4     # sent by us
_FILE_HEADER = struct.Struct("<IHHiIII")
_RECORD_HEADER = struct.Struct("<IIII")
_PSEUDO_HEADER = struct.Struct(">HHH8sH")


class PcapWriter:
    def __init__(self, path: str | Path, network_side: bool) -> None:
        self.path = Path(path)
        self.network_side = network_side
        self.records = 0
        self._file: BinaryIO = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        self._file.write(_FILE_HEADER.pack(MAGIC, 2, 4, 0, 0, SNAPLEN, LINKTYPE_LINUX_LAPD))
        self._file.flush()
        self._address = bytes([1 if network_side else 0]) + bytes(7)

    def write(self, frame: bytes, sent: bool, timestamp: float) -> None:
        """One frame; flushed at once so a crash loses nothing already traced."""
        pseudo = _PSEUDO_HEADER.pack(PACKET_OUTGOING if sent else PACKET_HOST, ARPHRD_LAPD,
                                     1, self._address, ETH_P_LAPD)
        size = len(pseudo) + len(frame)
        seconds = int(timestamp)
        micros = min(int((timestamp - seconds) * 1_000_000), 999_999)
        self._file.write(_RECORD_HEADER.pack(seconds, micros, size, size) + pseudo + frame)
        self._file.flush()
        self.records += 1

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> PcapWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class PcapRecord:
    timestamp: float
    sent: bool
    network_side: bool
    frame: bytes


def read_pcap(path: str | Path) -> list[PcapRecord]:
    """Records of a file PcapWriter wrote (for tests and tools)."""
    data = Path(path).read_bytes()
    if len(data) < _FILE_HEADER.size:
        raise ValueError(f"{path}: too short for a pcap file")
    magic, _, _, _, _, _, linktype = _FILE_HEADER.unpack_from(data)
    if magic != MAGIC or linktype != LINKTYPE_LINUX_LAPD:
        raise ValueError(f"{path}: not a little-endian LINUX_LAPD pcap file")
    records, offset = [], _FILE_HEADER.size
    while offset < len(data):
        if offset + _RECORD_HEADER.size > len(data):
            raise ValueError(f"{path}: truncated record header at byte {offset}")
        seconds, micros, size, _ = _RECORD_HEADER.unpack_from(data, offset)
        offset += _RECORD_HEADER.size
        body = data[offset:offset + size]
        if len(body) != size or size < _PSEUDO_HEADER.size:
            raise ValueError(f"{path}: truncated record at byte {offset}")
        kind, _, _, address, _ = _PSEUDO_HEADER.unpack_from(body)
        records.append(PcapRecord(seconds + micros / 1e6, kind == PACKET_OUTGOING,
                                  address[0] != 0, body[_PSEUDO_HEADER.size:]))
        offset += size
    return records
