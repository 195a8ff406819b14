"""/notifications: how missed contacts and voicemail reach people: the office's SMTP
server and the GSM modem for SMS, and what waits in the outbox. Secrets (the SMTP
password, the SIM PIN) are never shown: left empty, the stored one is kept."""

from __future__ import annotations

from typing import Any

import bottle

from firmware.api.protocol import ApiError
from firmware.notify.settings import HIDDEN
from webadmin.pages import Web

SECURITY = [("none", "none (port 25)"), ("starttls", "STARTTLS (port 587)"),
            ("ssl", "TLS from the start (port 465)")]
EMAIL_TEXT = ("host", "sender", "username", "cafile", "helo_name")
EMAIL_NUMBERS = ("port",)
SMS_TEXT = ("device",)
SMS_NUMBERS = ("baudrate", "max_parts")
SECRETS = {"email": "password", "sms": "pin"}
REQUIRED = {"host", "sender", "device"}


def form_of(doc: dict[str, Any]) -> dict[str, Any]:
    form: dict[str, Any] = {}
    for kind, names in (("email", (*EMAIL_TEXT, *EMAIL_NUMBERS, "security")),
                        ("sms", (*SMS_TEXT, *SMS_NUMBERS))):
        part = doc.get(kind)
        form[f"{kind}.on"] = part is not None
        form |= {f"{kind}.{k}": (part or {}).get(k) or "" for k in names}
        form[f"{kind}.{SECRETS[kind]}.stored"] = bool(part and part.get(SECRETS[kind]))
    form.setdefault("email.security", "none")
    return form


def settings_from_form(forms: bottle.FormsDict, before: dict[str, Any]
                       ) -> tuple[dict[str, Any], dict[str, str]]:
    """The settings document for notify.configure, and problems found in the form."""
    doc: dict[str, Any] = {}
    problems: dict[str, str] = {}

    def text(name: str) -> str:
        return forms.getunicode(name, "").strip()

    for kind, texts, numbers in (("email", EMAIL_TEXT, EMAIL_NUMBERS),
                                 ("sms", SMS_TEXT, SMS_NUMBERS)):
        if not forms.get(f"{kind}.on"):
            doc[kind] = None
            continue
        part = dict(before.get(kind) or {})  # settings the page does not show are kept
        # an empty optional setting is None (not set); the required ones stay text
        part |= {k: text(f"{kind}.{k}") or ("" if k in REQUIRED else None) for k in texts}
        for k in numbers:
            value = text(f"{kind}.{k}")
            if value and not value.isdigit():
                problems[f"{kind}.{k}"] = "a whole number"
            part[k] = int(value) if value.isdigit() else None
        if kind == "email":
            part["security"] = text("email.security") or "none"
        else:  # the modem's empty numbers take their defaults
            part = {k: v for k, v in part.items() if v is not None or k not in numbers}
        secret, typed = SECRETS[kind], forms.getunicode(f"{kind}.{SECRETS[kind]}", "")
        if forms.get(f"{kind}.{secret}.forget"):
            part[secret] = None
        elif typed:
            part[secret] = typed
        elif (before.get(kind) or {}).get(secret):
            part[secret] = HIDDEN
        else:
            part[secret] = None
        if kind == "email" and not part.get("username"):
            part["username"] = part["password"] = None  # no login: no password either
        doc[kind] = part
    return doc, problems


def register(app: bottle.Bottle, web: Web) -> None:
    web.nav("Notifications", "/notifications")

    def page(form: dict[str, Any], errors: dict[str, str] | None = None) -> str:
        try:
            outbox = web.api("outbox")
        except ApiError as e:
            outbox = {"trouble": e.message, "pending": [], "sent": 0, "given_up": 0}
        return web.render("notifications", form=form, security=SECURITY, outbox=outbox,
                          errors=errors or {})

    @app.get("/notifications")
    @web.require("admin")
    def show() -> str:
        doc = web.api("notify.config")
        return page(form_of(doc))

    @app.post("/notifications")
    @web.require("admin")
    def save() -> str:
        before = web.api("notify.config")
        doc, problems = settings_from_form(bottle.request.forms, before)
        stored = {k: v for k, v in form_of(before).items() if k.endswith(".stored")}
        form = form_of(doc) | stored  # what is kept is what the box has, not the form
        if problems:
            return page(form, problems | {"_form": "Please correct the fields marked below."})
        try:
            web.api("notify.configure", config=doc)
        except ApiError as e:
            return page(form, web.form_errors(e))
        web.redirect("/notifications", flash="Notifications: saved and applied.")
