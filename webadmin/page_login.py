"""/login and /logout: the password check, throttled per client address."""

from __future__ import annotations

import bottle

from firmware.api.protocol import ApiError
from webadmin.auth import verify_password
from webadmin.pages import Web

# A hash of no password: a login for a user that does not exist costs as much as one
# with a wrong password, so timing does not tell which names exist.
_NOBODY = ("scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$"
           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")


def safe_next(target: str) -> str:
    """Only paths on this box (no //host or scheme): never an open redirect."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def register(app: bottle.Bottle, web: Web) -> None:
    @app.get("/login", rb_public=True)
    def login_form() -> str:
        if web.user is not None:
            web.redirect(safe_next(bottle.request.query.get("next", "/")))
        return web.render("login", next=safe_next(bottle.request.query.get("next", "/")))

    @app.post("/login", rb_public=True)
    def login() -> str:
        forms = bottle.request.forms
        name, password = forms.getunicode("name", ""), forms.getunicode("password", "")
        target = safe_next(forms.getunicode("next", "/"))
        client = web.client()
        wait = web.throttle.wait(client)
        if wait > 0:
            bottle.response.status = 429
            return web.render("login", next=target, form={"name": name}, errors={
                "_form": f"Too many failed logins from {client}: try again in "
                         f"{int(wait) + 1} s."})
        try:
            user = web.api("web.user", name=name)
        except ApiError:
            user = None
        if not verify_password(password, user["password_hash"] if user else _NOBODY) \
                or user is None:
            web.throttle.failed(client)
            bottle.response.status = 401
            return web.render("login", next=target, form={"name": name},
                              errors={"_form": "Wrong user name or password."})
        web.throttle.succeeded(client)
        web.start_session(user["name"])
        web.redirect(target)

    @app.post("/logout", rb_public=True)
    def logout() -> None:
        web.start_session()
        web.redirect("/login", flash="Logged out.")
