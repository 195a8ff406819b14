"""/setup: the first visit. There is no default password: until the admin and the
line are set here, every other page redirects to this one; afterwards it is a 404."""

from __future__ import annotations

import bottle

from firmware.api.protocol import ApiError
from firmware.pbx.numbering import PLANS
from webadmin.auth import hash_password, password_problem
from webadmin.pages import Web

FIELDS = ("admin", "country", "line_type", "msns", "ddi", "timezone")
DEFAULTS = {"admin": "admin", "country": "DE", "line_type": "ptmp", "msns": "",
            "ddi": "", "timezone": "Europe/Berlin"}


def register(app: bottle.Bottle, web: Web) -> None:
    def page(form: dict, errors: dict | None = None) -> str:
        return web.render("setup", form=form, errors=errors or {},
                          countries=sorted(PLANS))

    @app.get("/setup", rb_setup=True)
    def setup_form() -> str:
        return page(DEFAULTS)

    @app.post("/setup", rb_setup=True)
    def setup() -> str:
        forms = bottle.request.forms
        form = {name: forms.getunicode(name, "").strip() for name in FIELDS}
        password, again = forms.getunicode("password", ""), forms.getunicode("password2", "")
        errors = {}
        if problem := password_problem(password):
            errors["password"] = problem
        elif password != again:
            errors["password2"] = "the two passwords differ"
        answers = {k: v for k, v in form.items()
                   if k != ("ddi" if form["line_type"] == "ptmp" else "msns")}
        try:
            if errors:  # the daemon checks the rest, so every problem shows at once
                web.api("setup.check", answers=answers)
                raise ApiError("bad_args", f"the setup has {len(errors)} problem(s)")
            result = web.api("setup", answers=answers | {"password_hash":
                                                         hash_password(password)})
        except ApiError as e:
            return page(form, web.form_errors(e) | errors)
        web.start_session(form["admin"])
        note = (" The line type changes when the box restarts (System → Reboot)."
                if result["restart_needed"] else "")
        web.redirect("/", flash=f"Setup done: welcome, {form['admin']}.{note}")
