"""The dashboard: ports, calls in progress, the callback queue and today's calls, kept
live by server-sent events that carry each section's new HTML."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import bottle

from firmware.api.protocol import ApiError
from firmware.ctl import l2_summary, l3_summary
from webadmin.dashboard_data import queue, today
from webadmin.event_stream import SSE_HEADERS, EventFeed, sse
from webadmin.pages import Web

PORTS_EVERY = 5.0  # layer 1/2 state and counters change without call events
TODAY_EVERY = 60.0  # the chart is recounted at least this often (and when a call ends)
TODAY_AT_MOST = 2.0  # ... but not more often: a recount reads the day's CDRs
SETTLE = 0.25  # events arriving together (a call setting up) make one update
STREAM_SECONDS = 900.0  # then EventSource reconnects (and the session is checked again)
ALL_SECTIONS = frozenset({"ports", "calls", "queue", "today"})


def _views(zone_name: str) -> dict[str, Any]:
    zone = ZoneInfo(zone_name)

    def clock(epoch: float | None, fmt: str = "%H:%M:%S") -> str:
        return dt.datetime.fromtimestamp(epoch, zone).strftime(fmt) if epoch else "–"

    def ago(epoch: float | None) -> str:
        s = max(0, int(time.time() - (epoch or time.time())))
        hours = f"{s // 3600}:" if s >= 3600 else ""
        return f"{hours}{s % 3600 // 60:02d}:{s % 60:02d}"

    return {"clock": clock, "ago": ago, "l2_summary": l2_summary, "l3_summary": l3_summary}


def _part(web: Web, view: str, helpers: dict[str, Any], **values: Any) -> str:
    return bottle.template(view, template_lookup=web.views, **helpers, **values)


def sections(web: Web, zone_name: str, which: frozenset[str] | set[str]) -> dict[str, str]:
    """Fresh HTML for the named sections ("ports", "calls", "queue", "today")."""
    helpers, out = _views(zone_name), {}
    if "ports" in which:
        out["ports"] = _part(web, "dash_ports", helpers, s=web.api("status"))
    if "calls" in which:
        out["calls"] = _part(web, "dash_calls", helpers, calls=web.api("calls"))
    if "queue" in which:
        out["queue"] = _part(web, "dash_queue", helpers, queue=queue(web))
    if "today" in which:
        out["today"] = _part(web, "dash_today", helpers, today=today(web, zone_name))
    return out


def _updates(web: Web, zone_name: str) -> Iterator[str]:
    yield "retry: 3000\n\n"
    try:
        # "call": each line's Q.931 state changes (layer 3 in the ports table)
        feed = EventFeed(web.api_socket, ["callback", "pbx.call", "call"])
    except ApiError as e:
        yield sse("trouble", {"message": e.message})
        return
    try:
        started = now = time.monotonic()
        yield sse("update", sections(web, zone_name, ALL_SECTIONS))
        ports_at = today_at = now
        today_due = False
        while now - started < STREAM_SECONDS:
            next_at = ports_at + PORTS_EVERY
            if today_due:
                next_at = min(next_at, today_at + TODAY_AT_MOST)
            wanted = _wait(feed, next_at - now)
            now = time.monotonic()
            if now >= ports_at + PORTS_EVERY:
                wanted.add("ports")
                ports_at = now
            if "today" in wanted:
                today_due = True  # a call ended: recount, but not more often than this
                wanted.discard("today")
            if today_due and now >= today_at + TODAY_AT_MOST or now >= today_at + TODAY_EVERY:
                wanted.add("today")
                today_at, today_due = now, False
            if wanted:
                yield sse("update", sections(web, zone_name, wanted))
            else:
                yield ": keep-alive\n\n"
    except ApiError as e:
        yield sse("trouble", {"message": e.message})
    finally:
        feed.close()


def _wait(feed: EventFeed, timeout: float) -> set[str]:
    """The sections that the events of the next ``timeout`` seconds touch."""
    event = feed.next_event(max(0.05, timeout))
    wanted: set[str] = set()
    deadline = time.monotonic() + SETTLE
    while event is not None:
        data = event.get("data", {})
        if event["topic"] == "pbx.call":
            wanted |= {"calls", "ports"}  # the ports' B-channels follow the calls
            if data.get("state") == "ended":  # published once its CDR row is written
                wanted.add("today")
        elif event["topic"].startswith("call."):
            wanted.add("ports")
        else:
            wanted.add("queue")
        left = deadline - time.monotonic()
        event = feed.next_event(left) if left > 0 else None
    return wanted


def register(app: bottle.Bottle, web: Web) -> None:
    web.nav("Dashboard", "/", role="staff")

    @app.get("/")
    @web.require("staff")
    def dashboard() -> str:
        status, zone_name = web.api("status"), web.timezone
        parts = sections(web, zone_name, ALL_SECTIONS)
        started = _views(zone_name)["clock"](time.time() - status["uptime"],
                                             "%Y-%m-%d %H:%M")
        return web.render("dashboard", s=status, timezone=zone_name, started=started,
                          **{f"{k}_html": v for k, v in parts.items()})

    @app.get("/dashboard/events")
    @web.require("staff")
    def dashboard_events() -> Iterator[str]:
        for name, value in SSE_HEADERS.items():
            bottle.response.set_header(name, value)
        return _updates(web, web.timezone)

    @app.get("/status.json")
    @web.require("staff")
    def status_json() -> dict:
        return web.api("status")
