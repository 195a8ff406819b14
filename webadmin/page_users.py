"""/users: who may log in to the web admin. Admins see everything; staff users belong
to an extension and see the dashboard and their screen-pop."""

from __future__ import annotations

from typing import Any

import bottle

from firmware.api.protocol import ApiError
from webadmin.auth import hash_password, password_problem
from webadmin.pages import Web

ROLE_OPTIONS = [("staff", "Staff (dashboard and screen-pop)"), ("admin", "Admin (everything)")]


def register(app: bottle.Bottle, web: Web) -> None:
    web.nav("Users", "/users")

    def page(form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
             password_for: str = "") -> str:
        extensions = [(e["number"], f"{e['number']} {e['name']}".strip())
                      for e in web.api("pbx.config")["extensions"]]
        return web.render("users", users=web.api("web.users"), roles=ROLE_OPTIONS,
                          extensions=[("", "–"), *extensions], form=form or {"role": "staff"},
                          errors=errors or {}, password_for=password_for)

    def new_password(forms: bottle.FormsDict) -> tuple[str, dict[str, str]]:
        password, again = forms.getunicode("password", ""), forms.getunicode("password2", "")
        if problem := password_problem(password):
            return "", {"password": problem}
        if password != again:
            return "", {"password2": "the two passwords differ"}
        return hash_password(password), {}

    @app.get("/users")
    @web.require("admin")
    def users() -> str:
        return page(password_for=bottle.request.query.getunicode("password", ""))

    @app.post("/users")
    @web.require("admin")
    def add() -> str:
        forms = bottle.request.forms
        form = {k: forms.getunicode(k, "").strip() for k in ("name", "role", "extension")}
        password_hash, errors = new_password(forms)
        try:  # with a bad password too, so the daemon's checks of the rest show at once
            web.api("web.user.add", name=form["name"], role=form["role"],
                    extension=form["extension"] if form["role"] == "staff" else "",
                    password_hash=password_hash or "-")
        except ApiError as e:
            found = web.form_errors(e)
            if errors:  # our word on the password, not the daemon's "not a hash"
                found.pop("password", None)
            return page(form, found | errors)
        web.redirect("/users", flash=f"Added {form['name']} ({form['role']}).")

    @app.post("/users/<name>/remove")
    @web.require("admin")
    def remove(name: str) -> str:
        if name == web.user["name"]:
            return page(errors={"_form": "you cannot remove yourself while logged in"})
        try:
            web.api("web.user.remove", name=name)
        except ApiError as e:
            return page(errors={"_form": e.message})
        web.redirect("/users", flash=f"Removed {name}.")

    @app.post("/users/<name>/password")
    @web.require("admin")
    def password(name: str) -> str:
        password_hash, errors = new_password(bottle.request.forms)
        if errors:
            return page(errors=errors, password_for=name)
        try:
            web.api("web.user.password", name=name, password_hash=password_hash)
        except ApiError as e:
            return page(errors={"_form": e.message})
        web.redirect("/users", flash=f"New password set for {name}.")
