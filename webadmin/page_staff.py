"""/staff: the screen-pop a staff member keeps open for their extension.

When a call to the extension is answered — a callback (at the whisper, before staff
accept it) or any other call — the page pops a card: for a callback the page the
visitor came from and what they typed into the form; for every caller with a number
the caller card (earlier contacts, notes, open tickets) from `callback.card`. Staff add
a note or open a ticket from the card (POST with the session's CSRF token, as every
admin form).

The browser follows /staff/events (server-sent events): this process subscribes to
the daemon's `callback` and `pbx.call` events and relays what concerns the extension.
Staff users watch their own extension; admins may pick any (?ext=21).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import bottle
import phonenumbers

from firmware.api.protocol import ApiError
from webadmin.event_stream import SSE_HEADERS, EventFeed, sse
from webadmin.pages import Web

HEARTBEAT = 15.0
STREAM_SECONDS = 900.0  # then EventSource reconnects (and the session is checked again)
FORM_FIELDS = ("name", "email", "note", "page_url", "page_title", "referrer", "language",
               "created", "due", "state")


def register(app: bottle.Bottle, web: Web) -> None:
    web.nav("Screen-pop", "/staff", role="staff")

    def extension() -> str:
        """The extension this page watches: a staff user's own; an admin's choice."""
        user = web.user
        assert user is not None  # web.require ran first
        asked = bottle.request.query.get("ext", "").strip()
        if user["role"] == "staff":
            if asked and asked != user["extension"]:
                raise bottle.HTTPError(403, "staff watch their own extension")
            return user["extension"]
        return asked

    @app.get("/staff")
    @web.require("staff")
    def staff_page() -> str:
        ext = extension()
        extensions = [e["number"] for e in web.api("pbx.config").get("extensions", [])]
        return web.render("staff", ext=ext, extensions=extensions, timezone=web.timezone)

    @app.get("/staff/events")
    @web.require("staff")
    def staff_events() -> Any:
        ext = extension()
        if not ext:
            raise bottle.HTTPError(400, "which extension?")
        country = str(web.api("pbx.config").get("country", "DE"))
        for name, value in SSE_HEADERS.items():
            bottle.response.set_header(name, value)
        return _relay(web, ext, country)

    @app.get("/staff/card")
    @web.require("staff")
    def card() -> dict[str, Any]:
        return _card(web, bottle.request.query.get("number", ""))

    def on_card(cmd: str, field: str) -> dict[str, Any]:
        data = bottle.request.json if bottle.request.json is not None else \
            bottle.request.forms
        number, text = str(data.get("number", "")), str(data.get(field, ""))
        user = web.user
        assert user is not None
        try:
            web.api(cmd, number=number, **{field: text}, author=user["name"])
        except ApiError as e:
            bottle.response.status = 422 if e.code != "unreachable" else 503
            return {"message": e.message, "fields": {field: e.message}}
        return _card(web, number)

    @app.post("/staff/note")
    @web.require("staff")
    def add_note() -> dict[str, Any]:
        return on_card("callback.note", "text")

    @app.post("/staff/ticket")
    @web.require("staff")
    def add_ticket() -> dict[str, Any]:
        return on_card("callback.ticket", "title")


def _card(web: Web, number: str) -> dict[str, Any]:
    if not number.startswith("+") or not number[1:].isdigit():
        bottle.response.status = 422
        return {"message": "a caller card is kept per number in +CC form"}
    return web.api("callback.card", number=number)


def _relay(web: Web, ext: str, country: str) -> Iterator[str]:
    """Pops and progress for calls answered at ``ext``, as server-sent events."""
    yield "retry: 3000\n\n" + sse("hello", {"extension": ext})
    try:
        feed = EventFeed(web.api_socket, ["callback", "pbx.call"])
    except ApiError as e:
        yield sse("trouble", {"message": e.message})
        return
    mine: dict[str, str] = {}  # call or request id -> what the page shows it as
    try:
        started = time.monotonic()
        while time.monotonic() - started < STREAM_SECONDS:
            event = feed.next_event(HEARTBEAT)
            if event is None:
                yield ": keep-alive\n\n"
                continue
            for name, data in _translate(web, event, ext, country, mine):
                yield sse(name, data)
    except ApiError as e:
        yield sse("trouble", {"message": e.message})
    finally:
        feed.close()


def _translate(web: Web, event: dict[str, Any], ext: str, country: str,
               mine: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    topic, data = event["topic"], event.get("data", {})
    if topic == "callback.staff-answered" and data.get("staff") == ext:
        request = next((r for r in web.api("callbacks", open_only=True)
                        if r["id"] == data["id"]), {})
        mine[data["id"]] = data["id"]
        return [("pop", {"kind": "callback", "id": data["id"], "number": data["number"],
                         "link": data.get("link", ""), "time": event["time"],
                         "form": {k: request.get(k, data.get(k, "")) for k in FORM_FIELDS},
                         "card": data.get("card") or _card(web, data["number"])})]
    if topic.startswith("callback.") and data.get("id") in mine:
        return [("progress", {"id": data["id"], "state": data.get("state", ""),
                              "what": topic.removeprefix("callback.")})]
    if topic != "pbx.call":
        return []
    call = f"c{data.get('call')}"
    if data.get("state") == "connected" and data.get("dst") == ext \
            and data.get("direction") != "out":
        # any other call answered here: who is calling, and their card if they have a number
        number = _e164(str(data.get("src", "")), country)
        mine[call] = call
        return [("pop", {"kind": "call", "id": call, "caller": data.get("src", ""),
                         "number": number, "time": event["time"],
                         "card": _card(web, number) if number else None})]
    if data.get("state") == "ended" and call in mine:
        del mine[call]
        return [("progress", {"id": call, "state": "ended", "what": "ended"})]
    return []


def _e164(caller: str, country: str) -> str:
    """A caller's number as the trunk gave it, in +CC form ('' for an extension)."""
    try:
        number = phonenumbers.parse(caller, country)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
