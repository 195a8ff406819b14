"""`python -m firmware --line lapdsock:PATH`: the daemon's stack on a D-channel socket.

The far end here is written byte by byte from Q.921 (not with our own LAPD code), so it
checks what actually crosses the wire: the TE asks for a TEI, takes the one it is given,
and brings up the multiple-frame link on it.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

from tests.system.boxprocs import run_ctl, start_daemon, stop, wait_for_api

FCS = b"\x00\x00"  # the two placeholder octets libpri's convention puts after each frame


def recv_frame(conn: socket.socket, timeout: float = 10) -> bytes:
    conn.settimeout(timeout)
    data = conn.recv(512)
    assert data.endswith(FCS), data.hex()
    return data[:-2]


def test_te_line_gets_a_tei_and_establishes_over_lapdsock(box_paths):
    path = str(box_paths.root / "d.sock")
    proc = start_daemon(box_paths, "--line", f"lapdsock:{path}", "--side", "te")
    try:
        wait_for_api(box_paths, proc)
        time.sleep(0.3)  # the daemon retries the connect until the peer is there
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as srv:
            srv.bind(path)
            srv.listen(1)
            srv.settimeout(10)
            conn, _ = srv.accept()
            with conn:
                request = recv_frame(conn)
                # SAPI 63, C/R 0 (user command), TEI 127, UI; TEI management entity 0x0F,
                # Ri, message type 1 (identity request), Ai 127 with E bit.
                assert request[:4] == bytes([0xFC, 0xFF, 0x03, 0x0F])
                assert request[6:] == bytes([0x01, 0xFF])
                ri = request[4:6]
                # Identity assigned, TEI 70, from the network side (C/R 1).
                conn.send(bytes([0xFE, 0xFF, 0x03, 0x0F]) + ri + bytes([0x02, 70 << 1 | 1]) + FCS)
                sabme = recv_frame(conn)
                assert sabme == bytes([0x00, 70 << 1 | 1, 0x7F])  # SAPI 0 command, P=1
                conn.send(bytes([0x00, 70 << 1 | 1, 0x73]) + FCS)  # UA, F=1 (NT response)
                deadline = time.monotonic() + 10
                while True:
                    ports = json.loads(run_ctl(box_paths, "--json", "ports").stdout)
                    links = ports[0]["l2"]["links"]
                    if links and links[0]["state"] == "MULTIPLE_FRAME_ESTABLISHED":
                        break
                    assert time.monotonic() < deadline, ports
                    time.sleep(0.1)
                assert ports[0]["name"] == "line" and links[0]["tei"] == 70
    finally:
        assert stop(proc) == 0
    Path(path).unlink(missing_ok=True)


def test_a_bad_line_option_is_one_error_line_and_exit_2(box_paths):
    for args, message in [
        (["--line", "lapdsock"], "--line lapdsock: expected lapdsock:PATH"),
        (["--line", "tcp:1.2.3.4"], "--line tcp:1.2.3.4: unknown backend 'tcp'"),
        (["--line", "lapdsock:/x", "--mode", "bus"], "--mode bus: expected one of ptmp, ptp"),
    ]:
        proc = start_daemon(box_paths, *args)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 2
        assert err.startswith(f"ringbackd: error: {message}") and err.count("\n") == 1
