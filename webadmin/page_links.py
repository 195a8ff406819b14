"""/links: the callback links an office's website embeds (one <script> tag each): which
profile rings, how the calls go, who hears of missed contacts, and the abuse guard's
limits. Inputs are named by their path in the callback settings ("links[0].limits.per_hour")."""

from __future__ import annotations

import re
from typing import Any

import bottle

from firmware.api.protocol import ApiError
from webadmin import widget_bundle
from webadmin.pages import Web
from webadmin.records import Column, from_text, index_of, to_text

TEXT = ("name", "company", "profile", "notify_email", "notify_sms")
NUMBERS = ("ring_seconds", "visitor_ring_seconds", "visitor_retries", "retry_minutes",
           "staff_retry_seconds")
FLAGS = ("announce", "whisper", "record", "prepaid")
LISTS = ("allowed_regions", "allowed_origins")
LIMITS = ("per_15_minutes", "per_hour", "per_day", "numbers_per_ip_hour", "max_concurrent",
          "daily_minutes")
# the labels are in link.tpl; the kinds say how records.py turns text into values and back
SETTINGS = (*(Column(n, n) for n in TEXT), *(Column(n, n, "int") for n in NUMBERS),
            *(Column(n, n, "bool") for n in FLAGS), *(Column(n, n, "list") for n in LISTS))
LIMIT_SETTINGS = tuple(Column(n, n, "int") for n in LIMITS)


def form_of(link: dict[str, Any], base: str) -> dict[str, Any]:
    limits = link.get("limits") or {}
    return {f"{base}.{c.name}": to_text(c, link.get(c.name)) for c in SETTINGS} | {
        f"{base}.limits.{c.name}": to_text(c, limits.get(c.name)) for c in LIMIT_SETTINGS}


def link_from_form(forms: bottle.FormsDict, base: str, link_id: str) -> dict[str, Any]:
    def value(column: Column, name: str) -> Any:
        return from_text(column, forms.getunicode(name, ""))

    link: dict[str, Any] = {"id": link_id}
    link |= {c.name: value(c, f"{base}.{c.name}") for c in SETTINGS}
    link["limits"] = {c.name: value(c, f"{base}.limits.{c.name}") for c in LIMIT_SETTINGS}
    return link


def list_errors(error: ApiError) -> dict[str, str]:
    """A problem with one entry of a list ("….allowed_origins[1]") goes beside the list."""
    errors: dict[str, str] = {}
    for name, message in Web.form_errors(error).items():
        errors.setdefault(re.sub(r"(\.allowed_\w+)\[\d+\]$", r"\1", name), message)
    return errors


def snippet(public_url: str, link_id: str) -> str:
    base = public_url or "https://YOUR-BOX-PUBLIC-ADDRESS"
    return f'<script src="{base}/widget.js" data-link="{link_id}" async></script>'


def register(app: bottle.Bottle, web: Web) -> None:
    web.nav("Links", "/links")

    def find(settings: dict[str, Any], link_id: str) -> int:
        return index_of(settings["links"], "id", link_id, "link")

    def editor(settings: dict[str, Any], index: int, form: dict[str, Any], link_id: str,
               errors: dict[str, str] | None = None) -> str:
        return web.render("link", base=f"links[{index}]", form=form, link_id=link_id,
                          profiles=[(p["name"], p["name"]) for p in settings["profiles"]],
                          snippet=snippet(web.public_url, link_id), errors=errors or {})

    def listing(settings: dict[str, Any], link_id: str = "", error: str = "") -> str:
        return web.render("links", links=settings["links"], form={"id": link_id},
                          languages=widget_bundle.languages(),
                          snippets={k["id"]: snippet(web.public_url, k["id"])
                                    for k in settings["links"]},
                          has_profiles=bool(settings["profiles"]),
                          errors={"id": error} if error else {})

    @app.get("/links")
    @web.require("admin")
    def links() -> str:
        return listing(web.api("callback.config"))

    @app.post("/links")
    @web.require("admin")
    def add() -> str:
        settings = web.api("callback.config")
        link_id = bottle.request.forms.getunicode("id", "").strip()
        index = len(settings["links"])
        profile = settings["profiles"][0]["name"] if settings["profiles"] else ""
        try:
            web.api("callback.configure", config=dict(
                settings, links=[*settings["links"], {"id": link_id, "profile": profile}]))
        except ApiError as e:
            where = f"links[{index}]"
            message = e.fields.get(f"{where}.id") or e.fields.get(f"{where}.profile") or \
                e.message
            return listing(settings, link_id, message)
        web.redirect(f"/links/{link_id}", flash=f"Link {link_id} made with the defaults.")

    @app.get("/links/<link_id>")
    @web.require("admin")
    def show(link_id: str) -> str:
        settings = web.api("callback.config")
        index = find(settings, link_id)
        return editor(settings, index, form_of(settings["links"][index], f"links[{index}]"),
                      link_id)

    @app.post("/links/<link_id>")
    @web.require("admin")
    def save(link_id: str) -> str:
        settings = web.api("callback.config")
        index = find(settings, link_id)
        base = f"links[{index}]"
        link = link_from_form(bottle.request.forms, base, link_id)
        links = list(settings["links"])
        links[index] = link
        try:
            web.api("callback.configure", config=dict(settings, links=links))
        except ApiError as e:
            return editor(settings, index, form_of(link, base), link_id, list_errors(e))
        web.redirect(f"/links/{link_id}", flash=f"Link {link_id}: saved and applied.")

    @app.post("/links/<link_id>/remove")
    @web.require("admin")
    def remove(link_id: str) -> str:
        settings = web.api("callback.config")
        find(settings, link_id)
        links = [k for k in settings["links"] if k["id"] != link_id]
        web.api("callback.configure", config=dict(settings, links=links))
        web.redirect("/links", flash=f"Link {link_id} removed: its snippet no longer works.")
