"""The web admin as a bottle application. It knows the daemon only through the
control API: it never opens the store or touches a port."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import bottle

from firmware import __version__
from firmware.api.client import ApiClient
from firmware.api.protocol import ApiError
from firmware.ctl import l2_summary

HERE = Path(__file__).resolve().parent


def _uptime(seconds: float) -> str:
    s = int(seconds)
    days, s = divmod(s, 86400)
    text = f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{days} d {text}" if days else text


def make_app(api_socket: Path | str | None = None) -> bottle.Bottle:
    app = bottle.Bottle()
    views = [str(HERE / "views")]

    def api_call(cmd: str, **args: Any) -> Any:
        with ApiClient(api_socket, timeout=3.0) as client:
            return client.call(cmd, **args)

    def render(name: str, **values: Any) -> str:
        return bottle.template(name, template_lookup=views, version=__version__,
                               l2_summary=l2_summary, **values)

    @app.get("/")
    def dashboard() -> str:
        try:
            status = api_call("status")
        except ApiError as e:
            bottle.response.status = 503
            return render("unreachable", error=e.message,
                          checked=time.strftime("%H:%M:%S"))
        return render("dashboard", s=status, uptime=_uptime(status["uptime"]))

    @app.get("/status.json")
    def status_json() -> Any:
        try:
            return api_call("status")
        except ApiError as e:
            bottle.response.status = 503
            return {"error": e.message}

    @app.get("/healthz")
    def healthz() -> Any:
        """For a supervisor: 200 when the web admin and the daemon both answer."""
        try:
            api_call("ping")
        except ApiError as e:
            bottle.response.status = 503
            return {"web": "ok", "daemon": e.message}
        return {"web": "ok", "daemon": "ok"}

    @app.get("/static/<name:path>")
    def static(name: str) -> Any:
        return bottle.static_file(name, root=str(HERE / "static"))

    @app.error(404)
    def not_found(_: bottle.HTTPError) -> str:
        return render("notfound", path=bottle.request.path)

    return app
