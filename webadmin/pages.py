"""The base every admin page module builds on: one `Web` context and a bottle plugin.

A page module is a file `webadmin/page_NAME.py` with

    def register(app: bottle.Bottle, web: Web) -> None:
        web.nav("Lines", "/lines")                 # shown to users whose role may see it

        @app.get("/lines")
        @web.require("admin")
        def lines() -> str:
            return web.render("lines", config=web.api("pbx.config"))

        @app.post("/lines")
        @web.require("admin")
        def save() -> str:
            try:
                web.api("pbx.configure", config=...)
            except ApiError as e:
                return web.render("lines", errors=web.form_errors(e), form=bottle.request.forms)
            return web.redirect("/lines", flash="Saved.")

and a line in PAGE_MODULES in webadmin/app.py. What the plugin does for every route, so
page modules never do it themselves:
- asks the daemon for the web state (setup done? the session secret); daemon down → 503
  "daemon not answering" page;
- reads or starts the session cookie (every visitor has one; HttpOnly, SameSite=Strict,
  Secure over https);
- checks the CSRF token of every POST/PUT/DELETE (form field `csrf` or header
  `X-CSRF-Token`) → 403 page when missing or wrong;
- before setup: every route but /setup redirects there; after: /setup is a 404;
- needs a logged-in user (→ 303 to /login?next=...), except routes added with
  `rb_public=True` (login). `rb_open=True` skips all of it (static files, /healthz).
`web.require(role)` then checks the role: "admin" (everything) or "staff" (admins too).

Templates: `web.render(view, **values)` renders views/VIEW.tpl; start it with
`% rebase('base.tpl', title='Lines')` for the layout (navigation, user, logout). Every
view gets: `user` (dict or None), `csrf` (the token), `csrf_field` (hidden input HTML,
print with {{!csrf_field}}), `errors` ({field: message}), `err(name)` (the message for a
field, '' if none), `form` (the values to show back, default {}), `flash` (one line of
news from the redirect), `nav`, `path`, `version`.
`web.form_errors(ApiError)` → {field: message} from ApiError.fields, plus "_form" with the
summary; show `err('_form')` at the top of a form and `err('field')` beside each field.
"""

from __future__ import annotations

import functools
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bottle

from firmware import __version__
from firmware.api.client import ApiClient
from firmware.api.protocol import ApiError
from firmware.ctl import l2_summary
from webadmin.auth import COOKIE, Session, Sessions, Throttle

HERE = Path(__file__).resolve().parent
# The navigation's order; a page that is not built yet simply has no entry.
NAV_ORDER = ("Dashboard", "Calls", "Callbacks", "Lines", "Extensions", "Groups", "Profiles",
             "Links", "Barring", "Users", "Notifications", "System")
ROLES = {"admin": 2, "staff": 1}
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
API_TIMEOUT = 5.0


@dataclass(frozen=True)
class NavEntry:
    name: str
    path: str
    order: float
    role: str


class Web:
    """What page modules use: the daemon, the layout, the session and the rules."""

    def __init__(self, api_socket: Path | str | None = None, public_url: str = "") -> None:
        self.api_socket = api_socket
        self.public_url = public_url
        self.views: list[str] = [str(HERE / "views")]
        self.throttle = Throttle()
        self._nav: list[NavEntry] = []
        self._sessions: Sessions | None = None
        self._sessions_secret = ""

    # the daemon ---------------------------------------------------------------------
    def api(self, cmd: str, **args: Any) -> Any:
        """One control API command; raises ApiError (code "unreachable" when down)."""
        with ApiClient(self.api_socket, timeout=API_TIMEOUT) as client:
            return client.call(cmd, **args)

    # navigation and rendering ---------------------------------------------------------
    def nav(self, name: str, path: str, order: float | None = None,
            role: str = "admin") -> None:
        """Show `name` → `path` in the navigation to users with `role` (or above)."""
        if order is None:
            order = NAV_ORDER.index(name) if name in NAV_ORDER else len(NAV_ORDER)
        self._nav = sorted([*self._nav, NavEntry(name, path, order, role)],
                           key=lambda e: e.order)

    def nav_for(self, user: dict[str, Any] | None) -> list[NavEntry]:
        if user is None:
            return []
        return [e for e in self._nav if allowed(user["role"], e.role)]

    def render(self, view: str, **values: Any) -> str:
        session, user = self.session, self.user
        errors = values.pop("errors", None) or {}
        token = self.sessions.csrf_token(session) if session and self._sessions else ""
        defaults = {
            "user": user, "csrf": token, "errors": errors,
            "csrf_field": f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">',
            "err": lambda name: errors.get(name, ""), "form": {},
            "flash": bottle.request.query.get("flash", ""),
            "nav": self.nav_for(user), "path": bottle.request.path,
            "version": __version__, "l2_summary": l2_summary,
        }
        return bottle.template(view, template_lookup=self.views, **(defaults | values))

    def redirect(self, path: str, flash: str = "") -> None:
        """303 to `path` (after a POST), with one line of news for the next page."""
        if flash:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode({"flash": flash})
        bottle.redirect(path, 303)

    @staticmethod
    def form_errors(error: ApiError) -> dict[str, str]:
        """{field: message} for a form, and "_form": the summary."""
        return {**error.fields, "_form": error.message}

    # the visitor ----------------------------------------------------------------------
    @property
    def sessions(self) -> Sessions:
        if self._sessions is None:
            raise RuntimeError("no session secret yet (no request has reached the daemon)")
        return self._sessions

    @property
    def session(self) -> Session | None:
        return bottle.request.environ.get("rb.session")

    @property
    def user(self) -> dict[str, Any] | None:
        """The logged-in user {name, role, extension}, or None."""
        return bottle.request.environ.get("rb.user")

    @property
    def setup_done(self) -> bool:
        return bool(bottle.request.environ.get("rb.state", {}).get("setup_done"))

    @property
    def timezone(self) -> str:
        """The office's time zone (from the setup): the zone pages show times in."""
        return bottle.request.environ.get("rb.state", {}).get("timezone") or "UTC"

    def client(self) -> str:
        return bottle.request.remote_addr or "?"

    def start_session(self, user: str = "") -> Session:
        """A fresh session (new sid) for `user`, sent as the cookie; the old one is
        revoked so a sid known before login is worth nothing after it."""
        if self.session is not None:
            self.sessions.revoke(self.session)
        session = self.sessions.new(user)
        self._set_cookie(session)
        bottle.request.environ["rb.session"] = session
        bottle.request.environ["rb.user"] = None
        return session

    def _set_cookie(self, session: Session) -> None:
        bottle.response.set_cookie(
            COOKIE, self.sessions.encode(session), path="/", httponly=True,
            samesite="strict", secure=bottle.request.urlparts.scheme == "https",
            max_age=int(session.expires - time.time()))

    def require(self, role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator: the route needs a logged-in user with `role` (or above)."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")

        def decorate(route: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(route)
            def checked(*args: Any, **kwargs: Any) -> Any:
                user = self.user
                if user is None:
                    self._to_login()
                if not allowed(user["role"], role):
                    bottle.response.status = 403
                    return self.render("forbidden", reason=f"This page is for the {role} "
                                       f"role; you are logged in as {user['role']}.")
                return route(*args, **kwargs)
            return checked
        return decorate

    def _to_login(self) -> None:
        target = bottle.request.fullpath
        if bottle.request.query_string:
            target += "?" + bottle.request.query_string
        bottle.redirect("/login?" + urllib.parse.urlencode({"next": target}), 303)

    # the plugin -----------------------------------------------------------------------
    def plugin(self) -> WebPlugin:
        return WebPlugin(self)

    def _before(self, route: bottle.Route) -> Any:
        """The checks of every request; returns a response to send instead, or None."""
        request = bottle.request
        try:
            state = self.api("web.state")
        except ApiError as e:
            bottle.response.status = 503
            return bottle.template("unreachable", template_lookup=self.views, error=e.message,
                                   checked=time.strftime("%H:%M:%S"), version=__version__,
                                   user=None, nav=[], path=request.path)
        request.environ["rb.state"] = state
        if self._sessions is None or self._sessions_secret != state["secret"]:
            self._sessions = Sessions(state["secret"])  # a restore may bring another one
            self._sessions_secret = state["secret"]
        session = self.sessions.decode(request.get_cookie(COOKIE))
        if session is None:
            session = self.sessions.new()
            self._set_cookie(session)
        request.environ["rb.session"] = session
        request.environ["rb.user"] = self._load_user(session)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            token = request.forms.get(CSRF_FIELD) or request.get_header(CSRF_HEADER)
            if not self.sessions.csrf_ok(session, token):
                bottle.response.status = 403
                return self.render("csrf")
        is_setup = bool(route.config.get("rb_setup"))
        if not state["setup_done"] and not is_setup:
            bottle.redirect("/setup", 303)
        if state["setup_done"] and is_setup:
            raise bottle.HTTPError(404, "setup is done")
        if not route.config.get("rb_public") and not is_setup and self.user is None:
            self._to_login()
        return None

    def _load_user(self, session: Session) -> dict[str, Any] | None:
        if not session.user:
            return None
        try:
            doc = self.api("web.user", name=session.user)
        except ApiError:
            return None  # removed meanwhile: the session is worth nothing now
        return {"name": doc["name"], "role": doc["role"], "extension": doc.get("extension", "")}


def allowed(has: str, needs: str) -> bool:
    return ROLES.get(has, 0) >= ROLES[needs]


class WebPlugin:
    """Runs Web._before ahead of every route not added with rb_open=True."""

    name = "ringback"
    api = 2

    def __init__(self, web: Web) -> None:
        self.web = web

    def apply(self, callback: Callable[..., Any], route: bottle.Route) -> Callable[..., Any]:
        if route.config.get("rb_open"):
            return callback

        @functools.wraps(callback)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            answer = self.web._before(route)
            if answer is not None:
                return answer
            return callback(*args, **kwargs)
        return wrapper
