"""/calls: the call list (filters, paging, CSV export) with the recordings and the
voicemail messages, playable in the page. Times are shown in the office's time zone."""

from __future__ import annotations

import base64
import datetime as dt
import urllib.parse
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import bottle

from firmware.api.protocol import ApiError
from webadmin.pages import Web

PAGE_SIZE = 50
FILTERS = ("number", "direction", "disposition", "since", "until")
DIRECTIONS = [("", "all"), ("in", "incoming"), ("out", "outgoing"), ("internal", "internal")]
DISPOSITIONS = [("", "all"), ("answered", "answered"), ("missed", "missed"),
                ("no-answer", "no answer"), ("busy", "busy"), ("failed", "failed")]
MAX_AUDIO_BYTES = 64 * 1024 * 1024


def local_time(utc_text: str, zone: ZoneInfo) -> str:
    """A CDR time ("YYYY-MM-DD HH:MM:SS", UTC) in the office's zone."""
    if not utc_text:
        return ""
    moment = dt.datetime.strptime(utc_text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def register(app: bottle.Bottle, web: Web) -> None:
    web.nav("Calls", "/calls")

    def filters() -> dict[str, str]:
        query = bottle.request.query
        return {k: query.getunicode(k, "").strip() for k in FILTERS}

    def api_filters(form: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in form.items() if v} | {"timezone": web.timezone}

    @app.get("/calls")
    @web.require("admin")
    def calls() -> str:
        form = filters()
        offset = bottle.request.query.get("offset", "0")
        offset_n = int(offset) if offset.isdigit() else 0
        errors: dict[str, str] = {}
        try:
            found = web.api("cdr", offset=offset_n, limit=PAGE_SIZE, **api_filters(form))
        except ApiError as e:
            errors = web.form_errors(e)
            found = {"total": 0, "offset": 0, "rows": []}
        zone = ZoneInfo(web.timezone)
        rows = [dict(r, start=local_time(r["start"], zone)) for r in found["rows"]]
        query = urllib.parse.urlencode({k: v for k, v in form.items() if v})
        return web.render("calls", form=form, errors=errors, rows=rows, total=found["total"],
                          offset=offset_n, page_size=PAGE_SIZE, query=query,
                          directions=DIRECTIONS, dispositions=DISPOSITIONS, zone=web.timezone,
                          recordings=_recordings(web), mailboxes=_mailboxes(web, zone))

    @app.get("/calls.csv")
    @web.require("admin")
    def export() -> Any:
        form = filters()
        try:  # the first chunk before the headers, so a bad filter is a plain 400
            first = web.api("cdr.export", cursor=0, **api_filters(form))
        except ApiError as e:
            bottle.response.status = 400
            bottle.response.content_type = "text/plain; charset=utf-8"
            return e.message + "\n"
        bottle.response.content_type = "text/csv; charset=utf-8"
        bottle.response.set_header("Content-Disposition", 'attachment; filename="calls.csv"')

        def chunks() -> Iterator[bytes]:
            part = first
            while True:
                yield part["csv"].encode()
                if part["next"] is None:
                    return
                part = web.api("cdr.export", cursor=part["next"], **api_filters(form))
        return chunks()

    @app.get("/audio/recording/<name>")
    @web.require("admin")
    def recording(name: str) -> Any:
        return _audio(web, recording=name)

    @app.get("/audio/voicemail/<mailbox>/<message>")
    @web.require("admin")
    def voicemail(mailbox: str, message: str) -> Any:
        return _audio(web, mailbox=mailbox, message=message)


def _recordings(web: Web) -> list[dict[str, Any]]:
    try:
        return [r for r in web.api("recordings") if not r.get("recording")]
    except ApiError:
        return []  # a daemon without recordings: the section says there are none


def _mailboxes(web: Web, zone: ZoneInfo) -> list[dict[str, Any]]:
    boxes = []
    for ext in web.api("pbx.config")["extensions"]:
        if ext.get("voicemail"):
            try:
                box = web.api("voicemail", mailbox=ext["number"])
            except ApiError:
                continue
            for m in box["messages"]:
                m["received"] = dt.datetime.fromtimestamp(m["received"], zone).strftime(
                    "%Y-%m-%d %H:%M")
                m["seconds"] = round(m["seconds"])
            boxes.append(box | {"name": ext.get("name", "")})
    return boxes


def _audio(web: Web, **which: str) -> Any:
    """A WAV file from the daemon, fetched in its chunks."""
    data, offset = bytearray(), 0
    try:
        while True:
            part = web.api("audio", offset=offset, **which)
            chunk = base64.b64decode(part["data"])
            data += chunk
            offset += len(chunk)
            if not chunk or offset >= part["size"] or offset > MAX_AUDIO_BYTES:
                break
    except ApiError as e:
        raise bottle.HTTPError(404 if e.code == "not_found" else 400, e.message) from None
    bottle.response.content_type = "audio/wav"
    bottle.response.set_header("Cache-Control", "private, max-age=300")
    return bytes(data)
