"""The PBX's office settings: extensions, groups, incoming routes, line access.

They live in the store (table "pbx", one document) and change at run time through the
API. ``PbxConfig.from_doc`` validates a whole document and reports every problem as a
``FieldError`` naming the field ("extensions[2].number"), so the web admin can put the
message beside the field it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from firmware.notify.email import check_address
from firmware.notify.errors import NotifyError
from firmware.pbx.numbering import BARRING_CLASSES, PLANS
from firmware.pbx.schedule import MODES, parse_holiday, parse_slot, zone

EXTENSION_KINDS = ("isdn", "analog", "external")
GROUP_STRATEGIES = ("ring-all", "linear", "round-robin")
ROUTE_KINDS = ("extension", "group", "callback", "voicemail", "ivr")
VOICEMAIL = "voicemail"  # as a forwarding target: the extension's own mailbox


class FieldError(ValueError):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


@dataclass(frozen=True)
class Extension:
    number: str
    name: str = ""
    kind: str = "isdn"
    port: str = ""  # isdn: the NT port of its terminal; analog: its FXS port
    msn: str = ""  # isdn: the MSN its terminal answers to (default: the number)
    external: str = ""  # external: the outside number dialled on the trunk
    barring: str = "national"
    premium: bool = False
    dnd: bool = False
    forward_always: str = ""
    forward_busy: str = ""
    forward_no_reply: str = ""
    no_reply_seconds: int = 20
    record: bool = False
    call_waiting: bool = False  # offered a second call while in one (off: busy)
    voicemail: bool = False  # has a mailbox: forwarding to "voicemail" reaches it
    voicemail_email: str = ""  # new messages are mailed here (with the recording)
    voicemail_seconds: int = 120  # longest message

    @property
    def terminal_msn(self) -> str:
        return self.msn or self.number


@dataclass(frozen=True)
class Group:
    number: str
    name: str = ""
    strategy: str = "ring-all"
    members: tuple[str, ...] = ()
    member_seconds: int = 15  # linear / round-robin: how long each member rings
    timeout_seconds: int = 60  # then the overflow target (or busy)
    overflow: str = ""
    record: bool = False  # its calls are recorded (firmware/pbx/recording.py)


@dataclass(frozen=True)
class MohSettings:
    """Music on hold (firmware/pbx/moh.py): a held party hears ``file`` from the data
    directory's moh/ folder ("": the first WAV there, else the built-in tune)."""

    enabled: bool = True
    file: str = ""


@dataclass(frozen=True)
class Route:
    """An incoming MSN/DDI and where its calls go (night_target outside office hours)."""

    number: str
    target: str
    night_target: str = ""
    schedule: str = ""  # the Schedule whose hours are "day"; none: always day


@dataclass(frozen=True)
class Schedule:
    """Office hours (firmware/pbx/schedule.py); ``mode`` forces day or night."""

    name: str
    timezone: str = "UTC"
    slots: tuple[str, ...] = ()
    holidays: tuple[str, ...] = ()
    mode: str = "auto"


@dataclass(frozen=True)
class LcrRule:
    """Outside numbers starting with ``prefix`` go out on ``lines`` in this order; the
    next is tried when one is full or congested."""

    prefix: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeatureCodes:
    """What an extension dials for a feature ("" switches it off)."""

    pickup: str = "*8"  # answer a call ringing in one of my groups
    directed_pickup: str = "**"  # then an extension number: answer its ringing call
    dnd: str = "*26"  # do not disturb on/off
    mailbox: str = "*98"  # listen to my own mailbox's new messages
    greeting: str = "*97"  # record my mailbox's greeting


@dataclass(frozen=True)
class Menu:
    """An IVR / auto-attendant menu: what it says, and where each key sends the caller
    (a route target: an extension, a group, "voicemail:21", another "ivr:NAME")."""

    name: str
    text: str = ""  # spoken by espeak-ng, or the office's recording custom/LANG/ivr-NAME.wav
    options: dict[str, str] = field(default_factory=dict)  # key -> target
    timeout_seconds: int = 6  # silence after the menu before it is said again
    retries: int = 2  # times it is said again (silence or a wrong key)
    timeout_target: str = ""  # where silence ends up after the retries; "": goodbye


MENU_KEYS = set("0123456789*#")


@dataclass(frozen=True)
class PbxConfig:
    country: str = "DE"
    trunk: str = "trunk"  # the port of the office's line; "" when the box has none
    line_access: str = "0"  # prefix for an outside line; "" = outside numbers dialled directly
    extensions: tuple[Extension, ...] = ()
    groups: tuple[Group, ...] = ()
    routes: tuple[Route, ...] = ()
    blocked_prefixes: tuple[str, ...] = ()  # the office's own premium-like ranges
    transfer_return_seconds: int = 30  # a blind transfer nobody answers rings back; 0: never
    codes: FeatureCodes = FeatureCodes()
    schedules: tuple[Schedule, ...] = ()
    lcr: tuple[LcrRule, ...] = ()
    menus: tuple[Menu, ...] = ()
    moh: MohSettings = MohSettings()
    _by_number: dict[str, Extension | Group] = field(default_factory=dict, compare=False,
                                                     repr=False)

    def __post_init__(self) -> None:
        self._by_number.update({e.number: e for e in self.extensions})
        self._by_number.update({g.number: g for g in self.groups})

    def internal(self, number: str) -> Extension | Group | None:
        return self._by_number.get(number)

    def route(self, called: str) -> Route | None:
        return next((r for r in self.routes if r.number == called), None)

    def schedule(self, name: str) -> Schedule | None:
        return next((s for s in self.schedules if s.name == name), None)

    def menu(self, name: str) -> Menu | None:
        return next((m for m in self.menus if m.name == name), None)

    def to_doc(self) -> dict[str, Any]:
        doc = asdict(self)
        doc.pop("_by_number")
        return doc

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any], ports: Iterable[str] = (),
                 links: Iterable[str] | None = None) -> PbxConfig:
        """``links``: the callback links "callback:LINK" targets may name; None skips
        that check (a stored document stays loadable after a link is deleted)."""
        return _Validator(doc, tuple(ports), links).config()


def _digits(value: Any) -> bool:
    return isinstance(value, str) and value != "" and value.isascii() and value.isdigit()


class _Validator:
    """Collects every problem of a document instead of stopping at the first."""

    def __init__(self, doc: Mapping[str, Any], ports: tuple[str, ...],
                 links: Iterable[str] | None = None) -> None:
        self.doc = doc
        self.ports = ports
        self.links = None if links is None else tuple(links)
        self.problems: list[tuple[str, str]] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append((where, message))

    def _items(self, key: str, kind: type) -> tuple[Any, ...]:
        out = []
        for i, raw in enumerate(self.doc.get(key, ())):
            item = self._item(f"{key}[{i}]", raw, kind)
            if item is not None:
                out.append(item)
        return tuple(out)

    def _item(self, where: str, raw: Any, kind: type) -> Any:
        if not isinstance(raw, Mapping):
            self.fail(where, "must be a table of settings")
            return None
        unknown = set(raw) - set(kind.__dataclass_fields__)
        if unknown:
            self.fail(where, f"unknown setting(s): {', '.join(sorted(unknown))}")
            return None
        try:
            return kind(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
        except TypeError as e:
            self.fail(where, str(e).split(".__init__() ")[-1])
            return None

    def _between(self, where: str, value: Any, low: int, high: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"a whole number between {low} and {high}")
        elif not low <= value <= high:
            self.fail(where, f"between {low} and {high}")

    def _int(self, key: str, default: int) -> int:
        value = self.doc.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, "a whole number")
            return default
        return value

    def config(self) -> PbxConfig:
        top = set(self.doc) - (set(PbxConfig.__dataclass_fields__) - {"_by_number"})
        for key in sorted(top):
            self.fail(key, "unknown setting")
        codes = self._item("codes", self.doc.get("codes", {}), FeatureCodes)
        moh = self._item("moh", self.doc.get("moh", {}), MohSettings)
        cfg = PbxConfig(
            country=str(self.doc.get("country", "DE")).upper(),
            trunk=str(self.doc.get("trunk", "trunk")),
            line_access=str(self.doc.get("line_access", "0")),
            extensions=self._items("extensions", Extension),
            groups=self._items("groups", Group),
            routes=self._items("routes", Route),
            blocked_prefixes=tuple(self.doc.get("blocked_prefixes", ())),
            transfer_return_seconds=self._int("transfer_return_seconds", 30),
            codes=codes or FeatureCodes(),
            schedules=self._items("schedules", Schedule),
            lcr=self._items("lcr", LcrRule),
            menus=self._items("menus", Menu),
            moh=moh or MohSettings(),
        )
        self._check(cfg)
        if self.problems:
            raise FieldError(self.problems)
        return cfg

    def _check(self, cfg: PbxConfig) -> None:
        if cfg.country not in PLANS:
            self.fail("country", f"unknown country (one of {', '.join(sorted(PLANS))})")
        if cfg.trunk and self.ports and cfg.trunk not in self.ports:
            self.fail("trunk", f"no port {cfg.trunk!r} (ports: {', '.join(self.ports)})")
        if cfg.line_access and not _digits(cfg.line_access):
            self.fail("line_access", "digits only, or empty for direct outside dialling")
        for i, p in enumerate(cfg.blocked_prefixes):
            if not _digits(p):
                self.fail(f"blocked_prefixes[{i}]", "digits only")
        if cfg.transfer_return_seconds and not 5 <= cfg.transfer_return_seconds <= 600:
            self.fail("transfer_return_seconds", "0 (never) or between 5 and 600")
        self._check_codes(cfg)
        self._check_schedules(cfg)
        self._check_lcr(cfg)
        self._check_menus(cfg)
        self._check_moh(cfg.moh)
        seen: dict[str, str] = {}
        for key, items in (("extensions", cfg.extensions), ("groups", cfg.groups)):
            for i, item in enumerate(items):
                where = f"{key}[{i}]"
                if not _digits(item.number):
                    self.fail(f"{where}.number", "digits only")
                elif item.number in seen:
                    self.fail(f"{where}.number", f"{item.number} is already {seen[item.number]}")
                elif cfg.country in PLANS and item.number in PLANS[cfg.country].emergency:
                    self.fail(f"{where}.number", f"{item.number} is an emergency number")
                elif cfg.line_access and item.number.startswith(cfg.line_access):
                    self.fail(f"{where}.number", f"starts with the line access prefix "
                                                 f"{cfg.line_access!r}")
                else:
                    seen[item.number] = f"{key[:-1]} {item.name or item.number}"
        for i, e in enumerate(cfg.extensions):
            self._check_extension(f"extensions[{i}]", e, cfg)
        for i, g in enumerate(cfg.groups):
            self._check_group(f"groups[{i}]", g, cfg)
        for i, r in enumerate(cfg.routes):
            where = f"routes[{i}]"
            if not _digits(r.number):
                self.fail(f"{where}.number", "the MSN/DDI: digits only")
            if r.schedule and cfg.schedule(r.schedule) is None:
                self.fail(f"{where}.schedule", f"no schedule {r.schedule!r}")
            if r.schedule and not r.night_target:
                self.fail(f"{where}.night_target", "a route with a schedule needs a night "
                                                   "target")
            for name in ("target", "night_target"):
                value = getattr(r, name)
                if value or name == "target":
                    self._check_target(f"{where}.{name}", value, cfg)

    def _check_codes(self, cfg: PbxConfig) -> None:
        codes = asdict(cfg.codes)
        for name, code in codes.items():
            if not isinstance(code, str) or (code and (not code.startswith("*") or not
                                                        set(code) <= set("0123456789*"))):
                self.fail(f"codes.{name}", "starts with * and holds digits and * only, "
                                           "or empty to switch the feature off")
                continue
            for other, code2 in codes.items():
                if other != name and code and isinstance(code2, str) and code2 \
                        and code2.startswith(code) and (code2 != code or other < name):
                    self.fail(f"codes.{name}",
                              f"{code} is the same as or the start of codes.{other}")

    def _check_schedules(self, cfg: PbxConfig) -> None:
        names: set[str] = set()
        for i, sch in enumerate(cfg.schedules):
            where = f"schedules[{i}]"
            if not isinstance(sch.name, str) or not sch.name:
                self.fail(f"{where}.name", "a name routes refer to")
            elif sch.name in names:
                self.fail(f"{where}.name", f"{sch.name!r} is already a schedule")
            names.add(sch.name)
            try:
                zone(str(sch.timezone))
            except ValueError as e:
                self.fail(f"{where}.timezone", str(e))
            for j, slot in enumerate(sch.slots):
                try:
                    parse_slot(str(slot))
                except ValueError as e:
                    self.fail(f"{where}.slots[{j}]", str(e))
            for j, day in enumerate(sch.holidays):
                try:
                    parse_holiday(str(day))
                except ValueError as e:
                    self.fail(f"{where}.holidays[{j}]", str(e))
            if sch.mode not in MODES:
                self.fail(f"{where}.mode", f"one of {', '.join(MODES)}")

    def _check_lcr(self, cfg: PbxConfig) -> None:
        for i, rule in enumerate(cfg.lcr):
            where = f"lcr[{i}]"
            if rule.prefix and not _digits(rule.prefix):
                self.fail(f"{where}.prefix", "digits only (empty: every outside number)")
            if not rule.lines:
                self.fail(f"{where}.lines", "at least one line")
            for j, line in enumerate(rule.lines):
                if self.ports and line not in self.ports:
                    self.fail(f"{where}.lines[{j}]",
                              f"no port {line!r} (ports: {', '.join(self.ports)})")

    def _check_menus(self, cfg: PbxConfig) -> None:
        names: set[str] = set()
        for i, menu in enumerate(cfg.menus):
            where = f"menus[{i}]"
            if not isinstance(menu.name, str) or not menu.name.isidentifier():
                self.fail(f"{where}.name", "letters, digits and _ (routes say ivr:NAME)")
            elif menu.name in names:
                self.fail(f"{where}.name", f"{menu.name!r} is already a menu")
            names.add(menu.name)
            if not isinstance(menu.options, Mapping) or not menu.options:
                self.fail(f"{where}.options", "at least one key and its target")
                continue
            for key, target in menu.options.items():
                if key not in MENU_KEYS:
                    self.fail(f"{where}.options.{key}", "a key: 0-9, * or #")
                elif target == f"ivr:{menu.name}":
                    self.fail(f"{where}.options.{key}", "a menu cannot lead to itself")
                else:
                    self._check_target(f"{where}.options.{key}", str(target), cfg)
            self._between(f"{where}.timeout_seconds", menu.timeout_seconds, 2, 30)
            self._between(f"{where}.retries", menu.retries, 0, 5)
            if menu.timeout_target:
                self._check_target(f"{where}.timeout_target", menu.timeout_target, cfg)

    def _check_moh(self, moh: MohSettings) -> None:
        if not isinstance(moh.enabled, bool):
            self.fail("moh.enabled", "true or false")
        name = moh.file
        if not isinstance(name, str) or (name and (
                not name.lower().endswith(".wav") or "/" in name or "\\" in name
                or name.startswith(".") or not name.isprintable())):
            self.fail("moh.file", "a WAV file's name in the data directory's moh/ folder "
                                  "(no path), or empty for the first one there")

    def _check_extension(self, where: str, e: Extension, cfg: PbxConfig) -> None:
        for flag in ("record",):
            if not isinstance(getattr(e, flag), bool):
                self.fail(f"{where}.{flag}", "true or false")
        if e.kind not in EXTENSION_KINDS:
            self.fail(f"{where}.kind", f"one of {', '.join(EXTENSION_KINDS)}")
        if e.kind in ("isdn", "analog") and self.ports and e.port not in self.ports:
            self.fail(f"{where}.port", f"no port {e.port!r} (ports: {', '.join(self.ports)})")
        if e.kind == "external" and not _digits(e.external):
            self.fail(f"{where}.external", "the outside number to dial: digits only")
        if e.msn and not _digits(e.msn):
            self.fail(f"{where}.msn", "digits only")
        if e.barring not in BARRING_CLASSES:
            self.fail(f"{where}.barring", f"one of {', '.join(BARRING_CLASSES)}")
        self._between(f"{where}.no_reply_seconds", e.no_reply_seconds, 5, 120)
        for name in ("forward_always", "forward_busy", "forward_no_reply"):
            value = getattr(e, name)
            if value == VOICEMAIL:
                if not e.voicemail:
                    self.fail(f"{where}.{name}", "the extension has no mailbox (voicemail)")
            elif value and not _digits(value):
                self.fail(f"{where}.{name}", 'a number (digits only) or "voicemail"')
            elif value == e.number:
                self.fail(f"{where}.{name}", "cannot forward to itself")

        if e.voicemail_email:
            try:
                check_address(e.voicemail_email)
            except NotifyError as err:
                self.fail(f"{where}.voicemail_email", str(err))
        self._between(f"{where}.voicemail_seconds", e.voicemail_seconds, 10, 600)

    def _check_group(self, where: str, g: Group, cfg: PbxConfig) -> None:
        if not isinstance(g.record, bool):
            self.fail(f"{where}.record", "true or false")
        if g.strategy not in GROUP_STRATEGIES:
            self.fail(f"{where}.strategy", f"one of {', '.join(GROUP_STRATEGIES)}")
        if not g.members:
            self.fail(f"{where}.members", "a group needs at least one member")
        for j, m in enumerate(g.members):
            if not isinstance(cfg.internal(m), Extension):
                self.fail(f"{where}.members[{j}]", f"no extension {m}")
        self._between(f"{where}.member_seconds", g.member_seconds, 5, 120)
        self._between(f"{where}.timeout_seconds", g.timeout_seconds, 5, 600)
        if g.overflow:
            self._check_target(f"{where}.overflow", g.overflow, cfg)

    def _check_target(self, where: str, target: str, cfg: PbxConfig) -> None:
        kind, _, arg = target.partition(":") if ":" in target else ("", "", target)
        if kind and kind not in ROUTE_KINDS:
            self.fail(where, f"unknown target kind {kind!r} (one of {', '.join(ROUTE_KINDS)})")
        elif kind in ("", "extension", "group") and cfg.internal(arg) is None:
            self.fail(where, f"no extension or group {arg or '(empty)'}")
        elif kind == "ivr" and cfg.menu(arg) is None:
            self.fail(where, f"no menu {arg or '(empty)'}")
        elif kind == "callback" and not arg:
            self.fail(where, 'the callback link, as in "callback:office"')
        elif kind == "callback" and self.links is not None and arg not in self.links:
            self.fail(where, f"no callback link {arg!r} (links: "
                             f"{', '.join(self.links) or 'none yet'})")
        elif kind == VOICEMAIL:
            ext = cfg.internal(arg)
            if not isinstance(ext, Extension) or not ext.voicemail:
                self.fail(where, f"no extension {arg or '(empty)'} with a mailbox")
