"""D-channel pcap traces: the bytes of the format, and tshark's reading of them."""

from __future__ import annotations

import struct

import pytest

from firmware.isdn.pcap import PcapWriter, read_pcap
from tests.tshark import tshark_decode, tshark_problems
from tests.unit.isdn_pair import make_lines

SETUP_I_FRAME = bytes.fromhex("00 81 00 00 08 01 05 05 04 03 80 90 a3 18 01 83 70 04 81 31 32 33")


def test_file_and_record_headers_are_exact(tmp_path):
    path = tmp_path / "t.pcap"
    with PcapWriter(path, network_side=True) as w:
        w.write(b"\x00\x81\x7f", sent=True, timestamp=1_790_000_000.25)
    data = path.read_bytes()
    assert data[:24] == struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 177)
    assert struct.unpack("<IIII", data[24:40]) == (1_790_000_000, 250_000, 19, 19)
    pseudo = data[40:56]
    assert pseudo[:2] == b"\x00\x04"             # sent by us
    assert pseudo[6] == 1                          # we are the network side
    assert pseudo[14:16] == b"\x00\x30"            # protocol, big-endian
    assert data[56:] == b"\x00\x81\x7f"


def test_records_read_back(tmp_path):
    path = tmp_path / "t.pcap"
    with PcapWriter(path, network_side=False) as w:
        w.write(b"\x00\x81\x7f", sent=True, timestamp=10.0)
        w.write(b"\x00\x81\x73", sent=False, timestamp=10.5)
    records = read_pcap(path)
    assert [(r.sent, r.network_side, r.frame) for r in records] == [
        (True, False, b"\x00\x81\x7f"), (False, False, b"\x00\x81\x73")]
    assert records[1].timestamp == pytest.approx(10.5)


def test_tshark_reads_directions_and_q931_and_finds_no_problem(tmp_path):
    path = tmp_path / "te.pcap"
    with PcapWriter(path, network_side=False) as w:
        w.write(bytes.fromhex("fc ff 03 0f 12 34 01 ff"), sent=True, timestamp=1.0)
        w.write(bytes.fromhex("fe ff 03 0f 12 34 02 81"), sent=False, timestamp=1.1)
        w.write(bytes.fromhex("00 81 7f"), sent=True, timestamp=1.2)
        w.write(bytes.fromhex("00 81 73"), sent=False, timestamp=1.3)
        w.write(SETUP_I_FRAME, sent=True, timestamp=1.4)
    packets = tshark_decode(path)
    assert [(p["lapd.sapi"], p["lapd.tei"]) for p in packets] == [
        ("63", "127"), ("63", "127"), ("0", "64"), ("0", "64"), ("0", "64")]
    assert packets[4]["q931.message_type"] == "0x05"
    assert tshark_problems(path) == []


def test_the_checker_really_reports_a_malformed_frame(tmp_path):
    path = tmp_path / "bad.pcap"
    with PcapWriter(path, network_side=False) as w:
        w.write(SETUP_I_FRAME[:9], sent=True, timestamp=1.0)  # SETUP cut inside an IE
    assert len(tshark_problems(path)) == 1


def test_a_line_traces_a_whole_call_that_tshark_decodes_cleanly(tmp_path):
    clock, _, nt, (te,) = make_lines()
    te.line.trace_to(tmp_path / "te.pcap")
    nt.line.trace_to(tmp_path / "nt.pcap")
    call = te.line.dial("123")
    clock.advance(0.2)
    nt.line.answer(nt.offered())
    clock.advance(0.2)
    te.line.hangup(call)
    clock.advance(1)
    te.line.stop_trace()
    nt.line.stop_trace()
    for name in ("te", "nt"):
        path = tmp_path / f"{name}.pcap"
        types = [p["q931.message_type"] for p in tshark_decode(path) if p["q931.message_type"]]
        assert types == ["0x05", "0x07", "0x0f", "0x45", "0x4d", "0x5a"]  # SETUP..REL COMP
        assert tshark_problems(path) == []
    assert {r.sent for r in read_pcap(tmp_path / "te.pcap")} == {True, False}
