"""D-channel traces in the pcap format Wireshark reads: link type LINUX_LAPD (177).

Classic pcap, little-endian, microsecond timestamps. Each record is a 16-byte
pseudo-header and the LAPD frame without flags or FCS. The header tells Wireshark the
direction (packet type 0 received, 4 sent by us) and whether we are the network side,
so it reads the C/R bit right. Its fields are big-endian even in this little-endian
file (see ../shared/REFERENCE.md); tshark calls a record corrupt unless its protocol
field is 0x0030.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

LINKTYPE_LINUX_LAPD = 177
MAGIC = 0xA1B2C3D4      # microsecond timestamps; written little-endian: d4 c3 b2 a1
VERSION = (2, 4)
SNAPLEN = 65535
ARPHRD_LAPD = 8445      # the hardware type Linux puts there; Wireshark ignores it
ETH_P_LAPD = 0x0030     # Wireshark calls the record corrupt without it
PACKET_HOST = 0         # received
PACKET_OTHERHOST = 3    # another TE's frame, overheard on the bus
PACKET_OUTGOING = 4     # sent by us
_FILE_HEADER = struct.Struct("<IHHiIII")   # magic, major, minor, zone, sigfigs, snap, link
_RECORD_HEADER = struct.Struct("<IIII")    # seconds, microseconds, incl_len, orig_len
_PSEUDO_HEADER = struct.Struct(">HHH8sH")  # type, hatype, halen, address, protocol
MAX_FRAME = SNAPLEN - _PSEUDO_HEADER.size


class PcapWriter:
    """Writes one port's D-channel frames, flushing each record as it goes.

    Flushed (not fsync'd): a crash of the process loses nothing already written; a
    power cut may lose what the kernel had not yet stored.
    """

    def __init__(self, path: str | Path, network_side: bool) -> None:
        self.path = Path(path)
        self.network_side = network_side
        self.records = 0
        self._address = bytes([1 if network_side else 0]) + bytes(7)
        self._file: BinaryIO = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        try:
            self._file.write(_FILE_HEADER.pack(MAGIC, *VERSION, 0, 0, SNAPLEN,
                                               LINKTYPE_LINUX_LAPD))
            self._file.flush()
        except BaseException:
            self._file.close()
            raise

    @property
    def closed(self) -> bool:
        return self._file.closed

    def write(self, frame: bytes, sent: bool, timestamp: float) -> None:
        """One frame (sent by us, or received), stamped with epoch seconds."""
        frame = bytes(frame)
        if len(frame) > MAX_FRAME:
            raise ValueError(f"{self.path}: a {len(frame)}-byte frame exceeds the snap length")
        if timestamp < 0:
            raise ValueError(f"{self.path}: negative timestamp {timestamp}")
        pseudo = _PSEUDO_HEADER.pack(PACKET_OUTGOING if sent else PACKET_HOST, ARPHRD_LAPD,
                                     1, self._address, ETH_P_LAPD)
        size = len(pseudo) + len(frame)
        # round, not truncate: 1.1 s is 1 s + 100000 µs, not 99999 µs
        seconds, micros = divmod(round(timestamp * 1_000_000), 1_000_000)
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
    timestamp: float     # epoch seconds
    sent: bool           # sent by the side that wrote the trace
    network_side: bool   # that side is the network (NT) side
    frame: bytes         # the LAPD frame, without flags or FCS


def read_pcap(path: str | Path) -> list[PcapRecord]:
    """The records of a LINUX_LAPD pcap file as PcapWriter writes them (for tests, tools).

    Raises ValueError naming the file and the byte offset when the file is not one.
    """
    data = Path(path).read_bytes()
    if len(data) < _FILE_HEADER.size:
        raise ValueError(f"{path}: {len(data)} bytes, too short for a pcap file header")
    magic, major, minor, _, _, _, linktype = _FILE_HEADER.unpack_from(data)
    if magic != MAGIC:
        if magic == int.from_bytes(MAGIC.to_bytes(4, "little"), "big"):
            raise ValueError(f"{path}: a big-endian pcap file; only little-endian is read")
        raise ValueError(f"{path}: not a microsecond pcap file (magic {magic:#010x})")
    if (major, minor) != VERSION:
        raise ValueError(f"{path}: pcap version {major}.{minor}, expected 2.4")
    if linktype != LINKTYPE_LINUX_LAPD:
        raise ValueError(f"{path}: link type {linktype}, expected {LINKTYPE_LINUX_LAPD} "
                         "(LINUX_LAPD)")
    records, offset = [], _FILE_HEADER.size
    while offset < len(data):
        if offset + _RECORD_HEADER.size > len(data):
            raise ValueError(f"{path}: truncated record header at byte {offset}")
        seconds, micros, size, _ = _RECORD_HEADER.unpack_from(data, offset)
        offset += _RECORD_HEADER.size
        body = data[offset:offset + size]
        if len(body) != size:
            raise ValueError(f"{path}: record at byte {offset} cut short "
                             f"({len(body)} of {size} bytes)")
        if size < _PSEUDO_HEADER.size:
            raise ValueError(f"{path}: record at byte {offset} has no room for the "
                             "LINUX_LAPD pseudo-header")
        kind, _, _, address, protocol = _PSEUDO_HEADER.unpack_from(body)
        if protocol != ETH_P_LAPD:
            raise ValueError(f"{path}: record at byte {offset} has protocol {protocol:#06x},"
                             f" expected {ETH_P_LAPD:#06x}")
        records.append(PcapRecord(seconds + micros / 1e6, kind == PACKET_OUTGOING,
                                  address[0] != 0, body[_PSEUDO_HEADER.size:]))
        offset += size
    return records
