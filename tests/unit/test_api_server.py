"""The control API server, spoken to over a real UNIX socket."""

import asyncio
import json
import tempfile
from pathlib import Path

import pytest

from firmware.api.commands import Arg, CommandTable
from firmware.api.server import ApiServer
from firmware.clock import VirtualClock
from firmware.events import EventBus


async def _session(coro_fn):
    with tempfile.TemporaryDirectory(prefix="rbapi-") as d:
        path = Path(d) / "api.sock"
        table = CommandTable()
        table.add("echo", lambda text, times=1: text * times, "echo",
                  Arg("text", str), Arg("times", int, False))
        table.add("boom", lambda: 1 / 0, "fails inside")
        events = EventBus(VirtualClock())
        server = ApiServer(path, table, events)
        await server.start()
        try:
            reader, writer = await asyncio.open_unix_connection(str(path), limit=1 << 21)

            async def ask(raw: bytes) -> dict:
                writer.write(raw)
                return json.loads(await asyncio.wait_for(reader.readline(), 5))

            await coro_fn(ask, reader, events, server)
            writer.close()
        finally:
            await server.stop()
        assert not path.exists()


def run(fn):
    asyncio.run(_session(fn))


def test_request_response_and_errors_keep_the_connection():
    async def body(ask, reader, events, server):
        assert await ask(b'{"id": 1, "cmd": "echo", "args": {"text": "ab", "times": 2}}\n') == \
            {"id": 1, "ok": True, "result": "abab"}
        r = await ask(b"this is not json\n")
        assert r["ok"] is False and r["error"]["code"] == "bad_request"
        r = await ask(b'[1, 2]\n')
        assert r["error"]["code"] == "bad_request"
        r = await ask(b'{"id": 2, "cmd": "nope"}\n')
        assert r == {"id": 2, "ok": False, "error": {
            "code": "unknown_command", "message": "no command 'nope'; 'help' lists them"}}
        r = await ask(b'{"id": 3, "cmd": "echo", "args": {"text": 5}}\n')
        assert r["error"] == {"code": "bad_args", "message": "echo: 'text' must be str, got int"}
        r = await ask(b'{"id": 4, "cmd": "echo", "args": {"text": "a", "colour": 1}}\n')
        assert r["error"]["message"] == "echo: unknown argument 'colour'"
        r = await ask(b'{"id": 5, "cmd": "echo"}\n')
        assert r["error"]["message"] == "echo: missing argument 'text'"
        r = await ask(b'{"id": 6, "cmd": "boom"}\n')
        assert r["error"]["code"] == "internal" and "division by zero" in r["error"]["message"]
        r = await ask(b'{"id": 7, "cmd": "help"}\n')
        assert {c["name"] for c in r["result"]} == {"echo", "boom", "help", "subscribe"}
    run(body)


def test_subscribers_get_replayed_and_live_events_matching_their_topics():
    async def body(ask, reader, events, server):
        events.publish("port.l1", port="trunk", state="activated")
        events.publish("call.state", call="c1")
        r = await ask(b'{"id": 1, "cmd": "subscribe", "args": {"topics": ["port"], '
                      b'"replay": 5}}\n')
        assert r == {"id": 1, "ok": True, "result": {"topics": ["port"]}}
        first = json.loads(await asyncio.wait_for(reader.readline(), 5))
        assert first["event"]["topic"] == "port.l1" and first["event"]["data"]["port"] == "trunk"
        events.publish("call.state", call="c2")
        events.publish("port.l1", port="s0int", state="deactivated")
        live = json.loads(await asyncio.wait_for(reader.readline(), 5))
        assert live["event"]["data"] == {"port": "s0int", "state": "deactivated"}
        assert live["event"]["seq"] == 4
    run(body)


def test_a_subscriber_that_falls_behind_is_told_and_dropped(monkeypatch):
    import firmware.api.server as srv

    monkeypatch.setattr(srv, "EVENT_QUEUE", 3)

    async def body(ask, reader, events, server):
        await ask(b'{"id": 1, "cmd": "subscribe"}\n')
        for i in range(10):  # published without yielding: the queue cannot drain
            events.publish("x", i=i)
        lines = [json.loads(await asyncio.wait_for(reader.readline(), 5)) for _ in range(4)]
        assert lines[0]["error"]["code"] == "overflow"
        assert [m["event"]["data"]["i"] for m in lines[1:]] == [0, 1, 2]
        assert events.subscriber_count == 0
    run(body)


def test_overlong_line_is_refused():
    async def body(ask, reader, events, server):
        r = await ask(b'{"id": 1, "cmd": "' + b"x" * (1 << 20) + b'"}\n')
        assert r["error"]["code"] == "bad_request" and "longer than" in r["error"]["message"]
    run(body)


def test_a_live_socket_is_not_stolen_and_a_long_path_is_refused():
    async def body(ask, reader, events, server):
        other = ApiServer(server.path, CommandTable(), events)
        with pytest.raises(RuntimeError, match="another daemon is answering"):
            await other.start()
        deep = ApiServer(Path("/tmp/" + "d" * 120 + "/api.sock"), CommandTable(), events)
        with pytest.raises(RuntimeError, match="longer than a UNIX socket allows"):
            await deep.start()
    run(body)


def test_stopping_with_a_client_still_connected_ends_its_connection_cleanly():
    # A `ctl events` left running when the daemon stops: its connection must end before
    # the loop does, not be cancelled by asyncio.run's teardown (a traceback in the log).
    problems = []

    async def main():
        asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: problems.append(ctx))
        with tempfile.TemporaryDirectory(prefix="rbapi-") as d:
            server = ApiServer(Path(d) / "api.sock", CommandTable(), EventBus(VirtualClock()))
            await server.start()
            reader, writer = await asyncio.open_unix_connection(str(server.path))
            writer.write(b'{"id": 1, "cmd": "subscribe"}\n')
            assert json.loads(await asyncio.wait_for(reader.readline(), 5))["ok"]
            await server.stop()
            writer.close()  # and the loop ends at once, as the daemon's does

    asyncio.run(main())
    assert problems == []
