"""The office's notification settings: the SMTP server and the GSM modem, each optional.
Stored by the daemon (store table "notify"), changed through the API as a whole and
validated field by field; passwords and the SIM PIN are never read back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from firmware.notify.email import EmailSettings
from firmware.notify.sms import SmsSettings
from firmware.pbx.config import FieldError

HIDDEN = "********"  # a secret as the API shows it; sent back unchanged, it is kept
_SECRETS = {"email": "password", "sms": "pin"}
_KINDS = {"email": EmailSettings, "sms": SmsSettings}


@dataclass(frozen=True)
class NotifySettings:
    email: EmailSettings | None = None
    sms: SmsSettings | None = None

    def to_doc(self, hide_secrets: bool = False) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        for name in _KINDS:
            value = getattr(self, name)
            part = asdict(value) if value is not None else None
            if part is not None and hide_secrets and part.get(_SECRETS[name]):
                part[_SECRETS[name]] = HIDDEN
            doc[name] = part
        return doc

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any] | None,
                 before: NotifySettings | None = None) -> NotifySettings:
        """Settings from a document; a secret given as HIDDEN keeps ``before``'s."""
        doc = doc or {}
        problems: list[tuple[str, str]] = []
        for key in sorted(set(doc) - set(_KINDS)):
            problems.append((key, "unknown setting (email or sms)"))
        parts: dict[str, Any] = {}
        for name, kind in _KINDS.items():
            raw = doc.get(name)
            if raw is None:
                parts[name] = None
                continue
            if not isinstance(raw, Mapping):
                problems.append((name, "a table of settings, or null for none"))
                continue
            raw = dict(raw)
            secret = _SECRETS[name]
            if raw.get(secret) == HIDDEN:
                old = getattr(before, name) if before is not None else None
                raw[secret] = getattr(old, secret) if old is not None else None
            known = {f.name for f in fields(kind)}
            unknown = sorted(set(raw) - known)
            if unknown:
                problems.append((name, f"unknown setting(s): {', '.join(unknown)}"))
                continue
            try:
                parts[name] = kind(**raw)
            except (TypeError, ValueError) as e:
                problems.append((f"{name}.{_field_of(str(e), known)}", str(e)))
        if problems:
            raise FieldError(problems)
        return cls(**parts)


def _field_of(message: str, known: set[str]) -> str:
    """The setting a constructor's message is about (its first word that names one)."""
    words = [w.strip("'\":,()").lower() for w in message.split()]
    for word in words:
        if word in known:
            return word
    for word, name in (("smtp", "host"), ("pin", "pin"), ("device", "device"),
                       ("sender", "sender"), ("port", "port")):
        if word in words and name in known:
            return name
    return "settings"
