"""A table editor for lists of records in a settings document (extensions, groups,
routes...): one row per record and a blank one to add, a Remove box per row.

Inputs are named by the record's path in the document ("extensions[2].number"), the
same path the daemon names in its field errors, so each message lands beside its cell.
Only the columns shown are edited: the rest of a record (settings the table does not
show) is carried over from the record the row came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import bottle


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str = "text"  # text, int, bool, list (comma-separated), select, readonly
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    size: int = 8


@dataclass(frozen=True)
class Section:
    """One page: top-level settings (scalars) and one list of records."""

    key: str  # the list in the document: "extensions"
    title: str
    intro: str
    columns: tuple[Column, ...]
    scalars: tuple[Column, ...] = ()
    fixed_rows: bool = False  # edit the rows there are; no add, no remove
    blank: Mapping[str, Any] = field(default_factory=dict)  # a new row's hidden defaults


def to_text(column: Column, value: Any) -> str:
    if column.kind == "bool":
        return "1" if value else ""
    if column.kind == "list":
        return ", ".join(str(v) for v in value or ())
    return "" if value is None else str(value)


def from_text(column: Column, text: str) -> Any:
    text = text.strip()
    if column.kind == "bool":
        return bool(text)
    if column.kind == "list":
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if column.kind == "int":
        return int(text) if text.lstrip("-").isdigit() else text  # the daemon says why not
    return text


@dataclass
class Edit:
    """A page's form: the rows as text (what is shown) and the document to send."""

    scalars: dict[str, str]
    rows: list[dict[str, str]]
    doc: dict[str, Any]


def form_of(section: Section, doc: Mapping[str, Any]) -> Edit:
    """The form for the document as it is."""
    rows = [{"_from": str(i), **{c.name: to_text(c, rec.get(c.name)) for c in section.columns}}
            for i, rec in enumerate(doc.get(section.key, ()))]
    return Edit({c.name: to_text(c, doc.get(c.name)) for c in section.scalars}, rows,
                dict(doc))


def edit_from_form(section: Section, doc: Mapping[str, Any],
                   forms: bottle.FormsDict) -> Edit:
    """The document with the form's changes; blank and removed rows left out and the
    rest numbered again, as they are sent (so the daemon's paths match the form)."""
    new = dict(doc)
    scalars = {}
    for column in section.scalars:
        scalars[column.name] = forms.getunicode(column.name, "")
        new[column.name] = from_text(column, scalars[column.name])
    before = list(doc.get(section.key, ()))
    rows, records = [], []
    count = int(forms.get("rows", "0") or 0)
    for i in range(min(count, 1000)):
        prefix = f"{section.key}[{i}]."
        origin = forms.get(prefix + "_from", "")
        if forms.get(prefix + "_remove") and not section.fixed_rows:
            continue
        text = {c.name: forms.getunicode(prefix + c.name, "") for c in section.columns
                if c.kind != "readonly"}
        typed = [text[c.name] for c in section.columns if c.kind in ("text", "int", "list")]
        if not origin.isdigit() and not any(v.strip() for v in typed):
            continue  # the blank row, left blank (its selects still show their first choice)
        record = (dict(before[int(origin)]) if origin.isdigit() and int(origin) < len(before)
                  else dict(section.blank))
        for column in section.columns:
            if column.kind != "readonly":
                record[column.name] = from_text(column, text[column.name])
            else:
                text[column.name] = to_text(column, record.get(column.name))
        rows.append({"_from": origin, **text})
        records.append(record)
    new[section.key] = records
    return Edit(scalars, rows, new)


def cell_error(errors: Mapping[str, str], name: str) -> str:
    """The messages about one cell, its parts included ("groups[0].members[1]",
    "profiles[0].week.mon[1].end" for the slot "profiles[0].week.mon[1]")."""
    return "; ".join(m for k, m in errors.items()
                     if k == name or k.startswith((name + "[", name + ".")))


def row_error(errors: Mapping[str, str], key: str, index: int) -> str:
    return errors.get(f"{key}[{index}]", "")


def index_of(records: list[Mapping[str, Any]], key: str, value: str, what: str) -> int:
    """Where the record whose ``key`` is ``value`` sits in a list; 404 when it is not."""
    for i, record in enumerate(records):
        if record[key] == value:
            return i
    raise bottle.HTTPError(404, f"no {what} {value!r}")
