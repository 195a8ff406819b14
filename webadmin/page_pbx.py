"""The PBX's configuration pages: lines and MSNs, extensions, groups, call barring.
Each edits part of the one PBX document (pbx.config) with the table editor in
webadmin/records.py and sends the whole document back (pbx.configure), which the daemon
validates as a whole and applies live."""

from __future__ import annotations

import bottle

from firmware.api.protocol import ApiError
from firmware.pbx.config import EXTENSION_KINDS, GROUP_STRATEGIES
from firmware.pbx.numbering import BARRING_CLASSES
from webadmin.pages import Web
from webadmin.records import Column, Section, edit_from_form, form_of


def _options(values: tuple[str, ...] | list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


TARGET_HINT = ('an extension or group number, "voicemail:21", "ivr:NAME" (a menu) or '
               '"callback:LINK" (the caller is queued to be called back on that link)')

LINES = Section(
    "routes", "Lines and MSNs",
    "Where calls to each of the line's numbers (MSN, or DDI on a P-P line) go, by day and "
    "outside office hours; and how extensions reach an outside line.",
    (Column("number", "MSN / DDI", size=12),
     Column("target", "Goes to", hint=TARGET_HINT, size=14),
     Column("night_target", "At night", hint="where calls go outside the schedule's hours",
            size=12),
     Column("schedule", "Schedule", hint="the office hours that are 'day' (empty: always "
                                         "day)", size=10)),
    scalars=(Column("line_access", "Line access prefix", hint="dialled before an outside "
                    "number, e.g. 0; empty: outside numbers are dialled directly"),))

EXTENSIONS = Section(
    "extensions", "Extensions",
    "The office's phones: ISDN terminals on the internal S0 bus, analog phones on the FXS "
    "ports, and outside numbers (a mobile) that groups and profiles can ring.",
    (Column("number", "Number", size=4),
     Column("name", "Name", size=10),
     Column("kind", "Kind", "select", _options(EXTENSION_KINDS)),
     Column("port", "Port", hint="isdn: the internal S0 port (s0int); analog: its FXS "
                                 "port (fxs1)", size=5),
     Column("msn", "Terminal MSN", hint="isdn: the MSN the terminal answers to (empty: "
                                        "the number)", size=7),
     Column("external", "Outside number", hint="external: the number dialled on the line",
            size=11),
     Column("forward_always", "Forward always", size=5,
            hint='forwarding: a number, or "voicemail" for the mailbox'),
     Column("forward_busy", "Forward busy", size=5),
     Column("forward_no_reply", "Forward no reply", size=5),
     Column("no_reply_seconds", "No reply after (s)", "int", size=3),
     Column("call_waiting", "Call waiting", "bool"),
     Column("dnd", "Do not disturb", "bool"),
     Column("voicemail", "Mailbox", "bool"),
     Column("record", "Record", "bool")),
    blank={"barring": "national"})

GROUPS = Section(
    "groups", "Groups",
    "Numbers that ring several extensions: all at once, one after the other (linear), or "
    "starting after the last one who answered (round-robin); then the overflow target.",
    (Column("number", "Number", size=5),
     Column("name", "Name", size=12),
     Column("strategy", "Rings", "select", _options(GROUP_STRATEGIES)),
     Column("members", "Members", "list", hint="extension numbers, in order, separated by "
                                               "commas", size=14),
     Column("member_seconds", "Each rings (s)", "int", size=3),
     Column("timeout_seconds", "Then overflow after (s)", "int", size=3),
     Column("overflow", "Overflow to", hint=TARGET_HINT, size=10),
     Column("record", "Record", "bool")))

BARRING = Section(
    "extensions", "Call barring",
    "What each extension may dial outside. Emergency numbers are always allowed; premium "
    "and other blocked ranges are refused (also behind a carrier-selection prefix) unless "
    "an extension is allowed premium numbers.",
    (Column("number", "Extension", "readonly"),
     Column("name", "Name", "readonly"),
     Column("barring", "May call", "select", _options(tuple(BARRING_CLASSES)),
            hint="internal: extensions and emergency only; local; national (with mobiles);"
                 " international"),
     Column("premium", "Premium numbers", "bool")),
    scalars=(Column("blocked_prefixes", "Also blocked", "list",
                    hint="the office's own blocked ranges, as prefixes separated by commas"
                         " (e.g. 0137, 0180)"),),
    fixed_rows=True)

PAGES = (("Lines", "/lines", LINES), ("Extensions", "/extensions", EXTENSIONS),
         ("Groups", "/groups", GROUPS), ("Barring", "/barring", BARRING))


def register(app: bottle.Bottle, web: Web) -> None:
    for nav, path, section in PAGES:
        _register_page(app, web, nav, path, section)


def _register_page(app: bottle.Bottle, web: Web, nav: str, path: str,
                   section: Section) -> None:
    web.nav(nav, path)

    @app.get(path, name=f"{nav.lower()}_page")
    @web.require("admin")
    def show() -> str:
        return web.render("records", section=section, edit=form_of(section,
                                                                   web.api("pbx.config")))

    @app.post(path, name=f"{nav.lower()}_save")
    @web.require("admin")
    def save() -> str:
        edit = edit_from_form(section, web.api("pbx.config"), bottle.request.forms)
        try:
            web.api("pbx.configure", config=edit.doc)
        except ApiError as e:
            return web.render("records", section=section, edit=edit,
                              errors=web.form_errors(e))
        web.redirect(path, flash=f"{section.title}: saved and applied.")
