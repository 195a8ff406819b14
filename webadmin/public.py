"""The box's public side: the callback widget and the JSON endpoints it talks to.

This app faces the internet (the office's website embeds /widget.js), so it carries no
admin route at all and knows the daemon only through the control API. Visitors get a
signed token for their request (public_token.py), never the guessable id. Every
answer to another origin follows the link's `allowed_origins` (CORS; empty: any).

  GET  /widget.js[?lang=de]            the script, minified: all languages or one (ETag)
  GET  /api/links/<link>                what the form needs: country, regions, opening
  POST /api/callbacks                   file a request (JSON) -> 201 {token, state, ...}
  GET  /api/callbacks/<token>           its status
  POST /api/callbacks/<token>/cancel    cancel it
  POST /api/callbacks/<token>/reschedule {"when": ...}
  GET  /api/callbacks/<token>/events    server-sent events of its status
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bottle

from firmware.api.client import UNREACHABLE, ApiClient
from firmware.api.protocol import BAD_ARGS, NOT_FOUND, ApiError
from firmware.callback.settings import CallbackSettings, Link
from webadmin import widget_bundle
from webadmin.event_stream import SSE_HEADERS, EventFeed, sse
from webadmin.public_token import TokenSigner

REFUSED = "refused"
FORM_FIELDS = ("number", "name", "email", "note", "country", "when", "page_url",
               "page_title", "referrer", "language", "cookie")
MAX_BODY = 16 * 1024
HEARTBEAT = 15.0  # seconds between keep-alive comments (and status re-checks) on SSE
STREAM_SECONDS = 600.0  # a stream ends after this; EventSource reconnects by itself
FINAL_STATES = ("done", "failed", "cancelled")
UNAVAILABLE = "the callback service is not available at the moment; please try again soon"


class _Answer(Exception):
    """Ends a route with a JSON error answer."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("message", ""))
        self.status, self.body = status, body


def make_public_app(api_socket: Path | str | None,
                    signer: TokenSigner | None = None) -> bottle.Bottle:
    """The public side; visitors' tokens are signed with ``signer``, by default with
    the key the daemon keeps (asked for on the first request that needs it)."""
    app = bottle.Bottle()
    signers = [signer] if signer is not None else []

    def api_call(cmd: str, **args: Any) -> Any:
        with ApiClient(api_socket, timeout=5.0) as client:
            return client.call(cmd, **args)

    def token_signer() -> TokenSigner:
        if not signers:
            signers.append(TokenSigner(bytes.fromhex(api_call("web.public_secret"))))
        return signers[0]

    def settings() -> CallbackSettings:
        return CallbackSettings.from_doc(api_call("callback.config"))

    # CORS ----------------------------------------------------------------------------
    def cors(links: tuple[Link, ...]) -> None:
        """Allow the request's origin if one of ``links`` does; refuse a request from a
        website none of them allows (a request without Origin is not cross-site)."""
        origin = bottle.request.get_header("Origin")
        if not origin:
            return
        bottle.response.set_header("Vary", "Origin")
        if any(not k.allowed_origins or origin.lower() in k.allowed_origins for k in links):
            bottle.response.set_header("Access-Control-Allow-Origin", origin)
            bottle.response.set_header("Access-Control-Max-Age", "600")
            return
        raise _Answer(403, {"message": "this website may not use the callback service"})

    def routed(handler: Callable[..., Any]) -> Callable[..., Any]:
        """JSON errors for _Answer and for a daemon that cannot be reached."""
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return handler(*args, **kwargs)
            except _Answer as a:
                bottle.response.status = a.status
                bottle.response.content_type = "application/json"
                return json.dumps(a.body)
            except ApiError as e:
                bottle.response.status = 503 if e.code == UNREACHABLE else 500
                bottle.response.content_type = "application/json"
                return json.dumps({"message": UNAVAILABLE})
        return wrapper

    @app.route("/api/<path:path>", method="OPTIONS")
    @routed
    def preflight(path: str) -> str:
        cors(settings().links)
        bottle.response.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        bottle.response.set_header("Access-Control-Allow-Headers", "Content-Type")
        bottle.response.status = 204
        return ""

    # the script ----------------------------------------------------------------------
    @app.get("/widget.js")
    def widget() -> Any:
        lang = bottle.request.query.get("lang", "")
        try:
            script = widget_bundle.bundle(lang)
        except KeyError:
            bottle.response.status = 400
            bottle.response.content_type = "text/plain; charset=utf-8"
            shown = lang if lang.isalpha() and len(lang) <= 8 else "…"  # no echo of junk
            return (f"widget.js?lang={shown}: the widget speaks "
                    f"{', '.join(widget_bundle.languages())}; leave lang out for all of them\n")
        bottle.response.set_header("ETag", script.etag)
        bottle.response.set_header("Cache-Control", "public, max-age=300")
        bottle.response.set_header("Vary", "Accept-Encoding")
        bottle.response.content_type = "application/javascript; charset=utf-8"
        if script.etag in (bottle.request.get_header("If-None-Match") or ""):
            bottle.response.status = 304
            return b""
        if "gzip" in (bottle.request.get_header("Accept-Encoding") or ""):
            bottle.response.set_header("Content-Encoding", "gzip")
            return script.gzipped
        return script.body

    # the form's facts ----------------------------------------------------------------
    @app.get("/api/links/<link_id>")
    @routed
    def link_info(link_id: str) -> dict[str, Any]:
        conf = settings()
        link = conf.link(link_id)
        if link is None:
            raise _Answer(404, {"message": f"no callback link {link_id!r}"})
        cors((link,))
        country = str(api_call("pbx.config").get("country", "DE"))
        profile = conf.profile(link.profile)
        now = datetime.now(UTC)
        opening = profile.next_opening(now) if profile else None
        return {"id": link.id, "name": link.name, "company": link.company,
                "country": country, "regions": list(link.allowed_regions or (country,)),
                "open": bool(profile and profile.slot_at(now)),
                "next_opening": opening.timestamp() if opening else None,
                "when": ["now", "2m", "5m"], "now": time.time()}

    # requests ------------------------------------------------------------------------
    def public_status(request_id: str) -> dict[str, Any]:
        status = api_call("callback.status", id=request_id)
        out = {k: v for k, v in status.items() if k != "id"}
        return out | {"token": token_signer().token(request_id), "now": time.time()}

    def own_request(token: str) -> str:
        cors(settings().links)
        request_id = token_signer().request_id(token)
        if request_id is None:
            raise _Answer(404, {"message": "no such callback request"})
        return request_id

    def daemon_answer(action: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return action()
        except ApiError as e:
            said = {"message": e.message} | ({"reason": e.reason} if e.reason else {})
            if e.code == REFUSED:
                raise _Answer(429, said | {"refused": True}) from None
            if e.code == NOT_FOUND or "link" in e.fields:
                raise _Answer(404, said) from None
            if e.code == BAD_ARGS and "id" in e.fields:
                raise _Answer(409, said) from None  # already final
            if e.code == BAD_ARGS:
                raise _Answer(422, said | {"fields": e.fields or {"form": e.message}}) from None
            raise

    @app.post("/api/callbacks")
    @routed
    def file_request() -> dict[str, Any]:
        body = _json_body()
        link_id = body.get("link")
        if not isinstance(link_id, str) or not link_id:
            raise _Answer(422, {"message": "which callback link?",
                                "fields": {"link": "missing"}})
        link = settings().link(link_id)
        if link is None:
            raise _Answer(404, {"message": f"no callback link {link_id!r}"})
        cors((link,))
        form = _form(body)
        env = bottle.request.environ
        # The peer address, not X-Forwarded-For: a visitor could write that header.
        form["ip"] = env.get("REMOTE_ADDR", "")
        form.setdefault("page_url", bottle.request.get_header("Referer") or "")
        form.setdefault("language", _first_language(
            bottle.request.get_header("Accept-Language") or ""))
        consent = body.get("consent", False)
        if consent is not True:
            raise _Answer(422, {"message": "please agree to be called back",
                                "fields": {"consent": "please agree to be called back"}})
        number = form.pop("number", "")
        filed = daemon_answer(lambda: api_call("callback", link=link_id, number=number,
                                               consent=True, **form))
        bottle.response.status = 201
        return public_status(filed["id"])

    @app.get("/api/callbacks/<token>")
    @routed
    def request_status(token: str) -> dict[str, Any]:
        request_id = own_request(token)
        return daemon_answer(lambda: public_status(request_id))

    @app.post("/api/callbacks/<token>/cancel")
    @routed
    def cancel(token: str) -> dict[str, Any]:
        request_id = own_request(token)
        daemon_answer(lambda: api_call("callback.cancel", id=request_id))
        return public_status(request_id)

    @app.post("/api/callbacks/<token>/reschedule")
    @routed
    def reschedule(token: str) -> dict[str, Any]:
        request_id = own_request(token)
        when = _json_body().get("when")
        if not isinstance(when, str) or not when:
            raise _Answer(422, {"message": "when?", "fields": {"when": "pick a time"}})
        daemon_answer(lambda: api_call("callback.reschedule", id=request_id, when=when))
        return public_status(request_id)

    @app.get("/api/callbacks/<token>/events")
    @routed
    def request_events(token: str) -> Any:
        request_id = own_request(token)
        first = daemon_answer(lambda: public_status(request_id))
        for name, value in SSE_HEADERS.items():
            bottle.response.set_header(name, value)
        return _status_stream(api_socket, request_id, first, public_status)

    @app.error(404)
    @app.error(405)
    def not_here(error: bottle.HTTPError) -> str:
        bottle.response.content_type = "application/json"
        return json.dumps({"message": "not found" if error.status_code == 404
                           else "method not allowed"})

    return app


def _status_stream(api_socket: Path | str | None, request_id: str, first: dict[str, Any],
                   status: Callable[[str], dict[str, Any]]) -> Iterator[str]:
    """The request's status now, then again whenever the callback service moves any
    request of the link (a position in the queue changes with the others), and at
    each heartbeat; ends with a final state."""
    last = first
    yield "retry: 3000\n\n" + sse("status", first)
    if first["state"] in FINAL_STATES:
        return
    try:
        feed = EventFeed(api_socket, ["callback"])
    except ApiError:
        return  # the widget falls back to polling
    try:
        started = time.monotonic()
        while time.monotonic() - started < STREAM_SECONDS:
            event = feed.next_event(HEARTBEAT)
            current = status(request_id)
            if _changed(current, last):
                last = current
                yield sse("status", current)
                if current["state"] in FINAL_STATES:
                    return
            elif event is None:
                yield ": keep-alive\n\n"
    except ApiError:
        return  # the daemon went away; the widget polls until it is back
    finally:
        feed.close()


def _changed(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("state", "position", "due", "reason")
    # "expected" moves with the clock while a due request waits: compare whole minutes
    return any(a.get(k) != b.get(k) for k in keys) or \
        round((a.get("expected") or 0) / 60) != round((b.get("expected") or 0) / 60)


def _json_body() -> dict[str, Any]:
    raw = bottle.request.body.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise _Answer(413, {"message": "the form is too large"})
    try:
        body = json.loads(raw or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _Answer(400, {"message": "the form must be sent as JSON"}) from None
    if not isinstance(body, dict):
        raise _Answer(400, {"message": "the form must be a JSON object"})
    return body


def _form(body: dict[str, Any]) -> dict[str, str]:
    """The visitor's fields as text; a field of another type is a field error."""
    form: dict[str, str] = {}
    wrong = {}
    for name in FORM_FIELDS:
        value = body.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            wrong[name] = "must be text"
            continue
        form[name] = value
    if wrong:
        raise _Answer(422, {"message": "please check the marked fields", "fields": wrong})
    return form


def _first_language(header: str) -> str:
    first = header.split(",")[0].split(";")[0].strip()
    return first.split("-")[0].lower()[:8]
