"""The web admin as a bottle application. It knows the daemon only through the
control API: it never opens the store or touches a port.

Pages live in page modules (webadmin/page_*.py), each with `register(app, web)`; the
`Web` context and the plugin that checks setup, session, login and CSRF for every route
are in webadmin/pages.py. To add a page module, add its name to PAGE_MODULES.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import bottle

from firmware.api.protocol import ApiError
from webadmin.pages import HERE, Web

PAGE_MODULES = (
    "webadmin.page_setup",
    "webadmin.page_login",
    "webadmin.page_dashboard",
    "webadmin.page_staff",
    "webadmin.page_calls",
    "webadmin.page_pbx",
    "webadmin.page_profiles",
    "webadmin.page_links",
    "webadmin.page_notifications",
    "webadmin.page_users",
    "webadmin.page_system",
)


def make_app(api_socket: Path | str | None = None, public_url: str = "") -> bottle.Bottle:
    """``public_url``: where the office's website reaches the public side (the embed
    snippet names it)."""
    app = bottle.Bottle()
    web = Web(api_socket, public_url.rstrip("/"))
    app.install(web.plugin())
    app.config["rb.web"] = web

    @app.get("/healthz", rb_open=True)
    def healthz() -> Any:
        """For a supervisor: 200 when the web admin and the daemon both answer."""
        try:
            web.api("ping")
        except ApiError as e:
            bottle.response.status = 503
            return {"web": "ok", "daemon": e.message}
        return {"web": "ok", "daemon": "ok"}

    @app.get("/static/<name:path>", rb_open=True)
    def static(name: str) -> Any:
        return bottle.static_file(name, root=str(HERE / "static"))

    for name in PAGE_MODULES:
        importlib.import_module(name).register(app, web)

    @app.error(404)
    def not_found(_: bottle.HTTPError) -> str:
        return web.render("notfound", path=bottle.request.path)

    return app
