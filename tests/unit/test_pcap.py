"""D-channel pcap traces: the bytes of the format, and tshark's reading of them."""

from __future__ import annotations

import struct

import pytest

from firmware.isdn.pcap import PcapWriter, read_pcap
from tests.tshark import (
    NETWORK_TO_USER,
    USER_TO_NETWORK,
    TsharkError,
    tshark_decode,
    tshark_problems,
)
from tests.unit.isdn_pair import make_lines

TE_SABME = bytes.fromhex("00 01 7f")                  # SAPI 0, C/R 0 (TE command), TEI 0, P=1
NT_UA = bytes.fromhex("00 01 73")                     # C/R 0 from the NT: a response, F=1
TEI_REQUEST = bytes.fromhex("fc ff 03 0f 12 34 01 ff")  # SAPI 63 UI: ID request Ri=0x1234
Q931_SETUP = bytes.fromhex("08 01 05 05 04 03 80 90 a3 18 01 83 70 04 81 31 32 33")
# C/R 1 from the NT: a command; I-frame, modulo 128: N(S)=0 << 1 | 0, N(R)=0 << 1 | P=0
NT_SETUP_I_FRAME = bytes.fromhex("02 01 00 00") + Q931_SETUP


def exchange(path, network_side: bool):
    """The same four frames, as the TE or the NT side traces them."""
    from_te = not network_side  # "sent" for the TE's frames when the TE writes
    with PcapWriter(path, network_side=network_side) as w:
        w.write(TE_SABME, sent=from_te, timestamp=1_790_000_000.0)
        w.write(NT_UA, sent=not from_te, timestamp=1_790_000_000.1)
        w.write(TEI_REQUEST, sent=from_te, timestamp=1_790_000_000.2)
        w.write(NT_SETUP_I_FRAME, sent=not from_te, timestamp=1_790_000_000.3)
    return path


def test_file_and_record_headers_are_exact(tmp_path):
    path = tmp_path / "t.pcap"
    with PcapWriter(path, network_side=True) as w:
        w.write(b"\x00\x81\x7f", sent=True, timestamp=1_790_000_000.25)
        w.write(b"\x00\x81\x73", sent=False, timestamp=1_790_000_001.1)
    data = path.read_bytes()
    assert data[:24] == bytes.fromhex("d4c3b2a1 0200 0400 00000000 00000000 ffff0000 b1000000")
    assert data[24:40] == struct.pack("<IIII", 1_790_000_000, 250_000, 19, 19)
    assert data[40:56] == bytes.fromhex(
        "0004"                # packet type: sent by us (big-endian)
        "20fd"                # hardware type ARPHRD_LAPD 8445 (ignored by Wireshark)
        "0001"                # address length
        "01 00000000000000"   # address: byte 0 = 1, we are the network side
        "0030")               # protocol ETH_P_LAPD
    assert data[56:59] == b"\x00\x81\x7f"
    # 1.1 s after the second is 100000 µs, not 99999 (rounded, not truncated)
    assert data[59:75] == struct.pack("<IIII", 1_790_000_001, 100_000, 19, 19)
    assert data[75:77] == b"\x00\x00"  # received
    assert data[81] == 1
    assert data[91:] == b"\x00\x81\x73"
    assert len(data) == 94


def test_the_te_side_says_it_is_not_the_network(tmp_path):
    path = tmp_path / "t.pcap"
    with PcapWriter(path, network_side=False) as w:
        w.write(TE_SABME, sent=True, timestamp=0.0)
    assert path.read_bytes()[40 + 6:40 + 14] == bytes(8)


def test_records_read_back(tmp_path):
    records = read_pcap(exchange(tmp_path / "t.pcap", network_side=False))
    assert [(r.sent, r.network_side, r.frame) for r in records] == [
        (True, False, TE_SABME), (False, False, NT_UA), (True, False, TEI_REQUEST),
        (False, False, NT_SETUP_I_FRAME)]
    assert [r.timestamp for r in records] == pytest.approx(
        [1_790_000_000.0, 1_790_000_000.1, 1_790_000_000.2, 1_790_000_000.3], abs=1e-6)
    assert all(r.network_side for r in read_pcap(exchange(tmp_path / "n.pcap", True)))


def test_each_record_is_on_disk_before_close(tmp_path):
    path = tmp_path / "t.pcap"
    w = PcapWriter(path, network_side=False)
    assert read_pcap(path) == []
    w.write(TE_SABME, sent=True, timestamp=5.0)
    assert [r.frame for r in read_pcap(path)] == [TE_SABME]  # flushed, not buffered
    w.close()
    assert w.closed
    with pytest.raises(ValueError):
        w.write(TE_SABME, sent=True, timestamp=6.0)


def test_an_oversized_frame_or_a_negative_time_is_refused(tmp_path):
    with PcapWriter(tmp_path / "t.pcap", network_side=False) as w:
        with pytest.raises(ValueError, match="snap length"):
            w.write(bytes(65535), sent=True, timestamp=1.0)
        with pytest.raises(ValueError, match="negative"):
            w.write(TE_SABME, sent=True, timestamp=-1.0)
        assert w.records == 0


@pytest.mark.parametrize(("damage", "message"), [
    (lambda d: d[:10], "too short"),
    (lambda d: d[:4][::-1] + d[4:], "big-endian"),
    (lambda d: b"\x4d\x3c\xb2\xa1" + d[4:], "not a microsecond pcap"),
    (lambda d: d[:20] + struct.pack("<I", 203) + d[24:], "link type 203"),
    (lambda d: d[:30], "truncated record header"),
    (lambda d: d[:-1], "cut short"),
    (lambda d: d[:54] + b"\x00\x31" + d[56:], "protocol 0x0031"),
])
def test_a_bad_file_is_a_clear_value_error(tmp_path, damage, message):
    good = exchange(tmp_path / "good.pcap", network_side=False).read_bytes()
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(damage(good))
    with pytest.raises(ValueError, match=message) as e:
        read_pcap(bad)
    assert "bad.pcap" in str(e.value)


@pytest.mark.parametrize("network_side", [False, True])
def test_tshark_reads_sapi_tei_direction_and_q931_with_no_problem(tmp_path, network_side):
    path = exchange(tmp_path / "t.pcap", network_side)
    p = tshark_decode(path)
    assert [(x["lapd.sapi"], x["lapd.tei"], x["lapd.cr"]) for x in p] == [
        ("0", "0", "0"), ("0", "0", "0"), ("63", "127", "0"), ("0", "0", "1")]
    # the same frames, the same directions, whichever side wrote the trace
    assert [x["lapd.direction"] for x in p] == [
        USER_TO_NETWORK, NETWORK_TO_USER, USER_TO_NETWORK, NETWORK_TO_USER]
    assert p[0]["lapd.control.u_modifier_cmd"] == "0x1b"    # SABME, read as a command
    assert p[1]["lapd.control.u_modifier_resp"] == "0x18"   # UA, read as a response
    assert p[2]["lapd.control.u_modifier_cmd"] == "0x00"    # UI command
    assert p[3]["lapd.control.ftype"] == "0x0000"           # I-frame
    assert [int(x["q931.message_type"], 16) for x in p if x["q931.message_type"]] == [5]
    assert tshark_problems(path) == []


def test_the_network_flag_is_what_gives_tshark_the_direction(tmp_path):
    path = tmp_path / "wrong.pcap"
    with PcapWriter(path, network_side=True) as w:  # a TE's SABME, claimed by the NT
        w.write(TE_SABME, sent=True, timestamp=1.0)
    (p,) = tshark_decode(path)
    assert p["lapd.direction"] == NETWORK_TO_USER
    assert p["lapd.control.u_modifier_resp"] == "0x1b"  # C/R 0 from the NT: a response


def test_the_checker_really_reports_a_malformed_frame_and_a_warning(tmp_path):
    path = tmp_path / "bad.pcap"
    with PcapWriter(path, network_side=False) as w:
        w.write(NT_SETUP_I_FRAME[:9], sent=False, timestamp=1.0)   # SETUP cut inside an IE
        w.write(NT_SETUP_I_FRAME, sent=False, timestamp=2.0)       # fine
        w.write(NT_SETUP_I_FRAME[:13] + b"\xff", sent=False, timestamp=3.0)  # IE 0xff: unknown
    problems = tshark_problems(path)
    assert len(problems) == 2
    assert problems[0].startswith("packet 1: malformed=True")
    assert problems[1].startswith("packet 3: malformed=False")
    assert "Unknown information element (0xFF)" in problems[1]  # a warning, not an error


def test_a_file_tshark_cannot_read_fails_loudly(tmp_path):
    path = exchange(tmp_path / "t.pcap", network_side=False)
    data = path.read_bytes()
    path.write_bytes(data[:54] + b"\x00\x31" + data[56:])  # protocol field must be 0x0030
    with pytest.raises(TsharkError, match="damaged or corrupt"):
        tshark_problems(path)


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
