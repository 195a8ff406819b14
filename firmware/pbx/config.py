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

from firmware.pbx.numbering import BARRING_CLASSES, PLANS

EXTENSION_KINDS = ("isdn", "analog", "external")
GROUP_STRATEGIES = ("ring-all", "linear", "round-robin")
ROUTE_KINDS = ("extension", "group", "callback", "voicemail", "ivr")


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


@dataclass(frozen=True)
class Route:
    """An incoming MSN/DDI and where its calls go (night_target outside office hours)."""

    number: str
    target: str
    night_target: str = ""


@dataclass(frozen=True)
class PbxConfig:
    country: str = "DE"
    trunk: str = "trunk"  # the port of the office's line; "" when the box has none
    line_access: str = "0"  # prefix for an outside line; "" = outside numbers dialled directly
    extensions: tuple[Extension, ...] = ()
    groups: tuple[Group, ...] = ()
    routes: tuple[Route, ...] = ()
    blocked_prefixes: tuple[str, ...] = ()  # the office's own premium-like ranges
    _by_number: dict[str, Extension | Group] = field(default_factory=dict, compare=False,
                                                     repr=False)

    def __post_init__(self) -> None:
        self._by_number.update({e.number: e for e in self.extensions})
        self._by_number.update({g.number: g for g in self.groups})

    def internal(self, number: str) -> Extension | Group | None:
        return self._by_number.get(number)

    def route(self, called: str) -> Route | None:
        return next((r for r in self.routes if r.number == called), None)

    def to_doc(self) -> dict[str, Any]:
        doc = asdict(self)
        doc.pop("_by_number")
        return doc

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any], ports: Iterable[str] = ()) -> PbxConfig:
        return _Validator(doc, tuple(ports)).config()


def _digits(value: Any) -> bool:
    return isinstance(value, str) and value != "" and value.isascii() and value.isdigit()


class _Validator:
    """Collects every problem of a document instead of stopping at the first."""

    def __init__(self, doc: Mapping[str, Any], ports: tuple[str, ...]) -> None:
        self.doc = doc
        self.ports = ports
        self.problems: list[tuple[str, str]] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append((where, message))

    def _items(self, key: str, kind: type, known: set[str]) -> tuple[Any, ...]:
        out = []
        for i, raw in enumerate(self.doc.get(key, ())):
            where = f"{key}[{i}]"
            if not isinstance(raw, Mapping):
                self.fail(where, "must be a table of settings")
                continue
            unknown = set(raw) - known
            if unknown:
                self.fail(where, f"unknown setting(s): {', '.join(sorted(unknown))}")
                continue
            try:
                item = kind(**{k: tuple(v) if isinstance(v, list) else v
                               for k, v in raw.items()})
            except TypeError as e:
                self.fail(where, str(e).split(".__init__() ")[-1])
                continue
            out.append(item)
        return tuple(out)

    def config(self) -> PbxConfig:
        top = set(self.doc) - {"country", "trunk", "line_access", "extensions", "groups",
                               "routes", "blocked_prefixes"}
        for key in sorted(top):
            self.fail(key, "unknown setting")
        ext_keys = set(Extension.__dataclass_fields__)
        grp_keys = set(Group.__dataclass_fields__)
        route_keys = set(Route.__dataclass_fields__)
        extensions = self._items("extensions", Extension, ext_keys)
        groups = self._items("groups", Group, grp_keys)
        routes = self._items("routes", Route, route_keys)
        cfg = PbxConfig(
            country=str(self.doc.get("country", "DE")).upper(),
            trunk=str(self.doc.get("trunk", "trunk")),
            line_access=str(self.doc.get("line_access", "0")),
            extensions=extensions, groups=groups, routes=routes,
            blocked_prefixes=tuple(self.doc.get("blocked_prefixes", ())),
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
            for name in ("target", "night_target"):
                value = getattr(r, name)
                if value or name == "target":
                    self._check_target(f"{where}.{name}", value, cfg)

    def _check_extension(self, where: str, e: Extension, cfg: PbxConfig) -> None:
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
        if not 5 <= int(e.no_reply_seconds) <= 120:
            self.fail(f"{where}.no_reply_seconds", "between 5 and 120")
        for name in ("forward_always", "forward_busy", "forward_no_reply"):
            value = getattr(e, name)
            if value and not _digits(value):
                self.fail(f"{where}.{name}", "a number: digits only")
            elif value == e.number:
                self.fail(f"{where}.{name}", "cannot forward to itself")

    def _check_group(self, where: str, g: Group, cfg: PbxConfig) -> None:
        if g.strategy not in GROUP_STRATEGIES:
            self.fail(f"{where}.strategy", f"one of {', '.join(GROUP_STRATEGIES)}")
        if not g.members:
            self.fail(f"{where}.members", "a group needs at least one member")
        for j, m in enumerate(g.members):
            if not isinstance(cfg.internal(m), Extension):
                self.fail(f"{where}.members[{j}]", f"no extension {m}")
        if not 5 <= int(g.member_seconds) <= 120:
            self.fail(f"{where}.member_seconds", "between 5 and 120")
        if not 5 <= int(g.timeout_seconds) <= 600:
            self.fail(f"{where}.timeout_seconds", "between 5 and 600")
        if g.overflow:
            self._check_target(f"{where}.overflow", g.overflow, cfg)

    def _check_target(self, where: str, target: str, cfg: PbxConfig) -> None:
        kind, _, arg = target.partition(":") if ":" in target else ("", "", target)
        if kind and kind not in ROUTE_KINDS:
            self.fail(where, f"unknown target kind {kind!r} (one of {', '.join(ROUTE_KINDS)})")
        elif kind in ("", "extension", "group") and cfg.internal(arg) is None:
            self.fail(where, f"no extension or group {arg or '(empty)'}")
