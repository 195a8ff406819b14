"""The dashboard: ports, active calls, the callback queue, today's counts."""

from __future__ import annotations

import time

import bottle

from webadmin.pages import Web


def _uptime(seconds: float) -> str:
    s = int(seconds)
    days, s = divmod(s, 86400)
    text = f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{days} d {text}" if days else text


def register(app: bottle.Bottle, web: Web) -> None:
    web.nav("Dashboard", "/", role="staff")

    @app.get("/")
    @web.require("staff")
    def dashboard() -> str:
        status = web.api("status")
        return web.render("dashboard", s=status, uptime=_uptime(status["uptime"]),
                          checked=time.strftime("%H:%M:%S"))

    @app.get("/status.json")
    @web.require("staff")
    def status_json() -> dict:
        return web.api("status")
