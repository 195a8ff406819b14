"""The lapdsock backend against a real SOCK_SEQPACKET listener."""

import asyncio
import socket
import tempfile
from pathlib import Path

import pytest

from firmware.clock import LoopClock
from firmware.ports.base import L1State, PhActivateInd, PhDataInd, PhDeactivateInd, PortError
from firmware.ports.lapdsock import LapdSockPort
from firmware.system.board import PortSpec


async def until(predicate, timeout=3.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


def listener(path: str) -> socket.socket:
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    srv.bind(path)
    srv.listen(1)
    srv.setblocking(False)
    return srv


async def accept(srv: socket.socket) -> socket.socket:
    loop = asyncio.get_running_loop()
    conn, _ = await loop.sock_accept(srv)
    conn.setblocking(False)
    return conn


def test_connects_when_the_peer_appears_and_frames_carry_two_fcs_octets():
    async def body(path):
        loop = asyncio.get_running_loop()
        port = LapdSockPort(PortSpec("line", "bri", "te", "ptmp", "lapdsock"), LoopClock(loop),
                            path)
        seen = []
        port.bind(seen.append)
        port.start()
        await asyncio.sleep(0.3)  # nobody listens yet: it keeps trying
        assert port.l1_state is L1State.ACTIVATING and seen == []
        srv = listener(path)
        conn = await accept(srv)
        await until(lambda: seen)
        assert seen == [PhActivateInd("line")]
        port.ph_data_req(b"\xfc\xff\x03\x0f")
        assert await loop.sock_recv(conn, 100) == b"\xfc\xff\x03\x0f\x00\x00"
        conn.send(b"\x02\xff\x03\x08\xaa\xbb")
        await until(lambda: len(seen) > 1)
        assert seen[1] == PhDataInd("line", b"\x02\xff\x03\x08")
        conn.close()
        await until(lambda: len(seen) > 2)
        assert seen[2] == PhDeactivateInd("line")
        conn = await accept(srv)  # it comes back by itself
        await until(lambda: len(seen) > 3)
        assert seen[3] == PhActivateInd("line")
        with pytest.raises(PortError, match="no B-channel"):
            port.b_data_req(1, b"x")
        port.close()
        conn.close()
        srv.close()

    with tempfile.TemporaryDirectory(prefix="rbls-") as d:
        asyncio.run(body(str(Path(d) / "d.sock")))
