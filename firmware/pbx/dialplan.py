"""Where digits dialled by an extension lead: an internal number, the trunk, or a refusal.

Digits arrive one by one from analog phones (overlap), so ``resolve`` also answers
"not yet": the caller waits for more digits until the inter-digit timeout, then calls
``resolve(..., complete=True)``. Refusals carry the Q.850 cause the caller's phone gets.
"""

from __future__ import annotations

from dataclasses import dataclass

from firmware.isdn.q931.causes import CauseValue
from firmware.pbx.config import Extension, Group, PbxConfig
from firmware.pbx.numbering import NumberClass, allowed, classify


@dataclass(frozen=True)
class Internal:
    target: Extension | Group


@dataclass(frozen=True)
class Outside:
    number: str  # what the trunk dials (line access prefix removed)
    number_class: NumberClass


@dataclass(frozen=True)
class Refused:
    cause: int
    reason: str


@dataclass(frozen=True)
class Incomplete:
    pass


Decision = Internal | Outside | Refused | Incomplete

# An outside number is taken as complete once it is this long (or on '#', or on the
# inter-digit timeout); emergency numbers go out as soon as they match.
MAX_NUMBER_LENGTH = 15  # E.164


def resolve(digits: str, caller: Extension | None, cfg: PbxConfig,
            complete: bool = False) -> Decision:
    """Decide for ``digits`` dialled by ``caller`` (None: the API, unrestricted)."""
    if digits.endswith("#"):
        digits, complete = digits[:-1], True
    if not digits:
        return Refused(CauseValue.INVALID_NUMBER_FORMAT, "no number") if complete \
            else Incomplete()
    if cfg.line_access and _is_emergency(digits, cfg):
        return _outside(digits, caller, cfg, True)  # emergency works without line access
    target = cfg.internal(digits)
    longer = _is_prefix_of_longer(digits, cfg)
    if target is not None and (complete or not longer):
        return Internal(target)
    if cfg.line_access and digits.startswith(cfg.line_access):
        return _outside(digits[len(cfg.line_access):], caller, cfg, complete)
    if not cfg.line_access and target is None and not longer:
        return _outside(digits, caller, cfg, complete)
    if longer and not complete:
        return Incomplete()
    return Refused(CauseValue.UNALLOCATED_NUMBER, f"no extension {digits}")


def _outside(number: str, caller: Extension | None, cfg: PbxConfig,
             complete: bool) -> Decision:
    if not number:
        return Refused(CauseValue.INVALID_NUMBER_FORMAT, "no number") if complete \
            else Incomplete()
    classified = classify(number, cfg.country, cfg.blocked_prefixes)
    cls = classified.number_class
    if cls is not NumberClass.EMERGENCY and not complete and len(number) < MAX_NUMBER_LENGTH:
        return Incomplete()
    if caller is not None and not allowed(cls, caller.barring, caller.premium):
        what = cls.name.lower()
        return Refused(CauseValue.OUTGOING_CALLS_BARRED,
                       f"{what} numbers are barred for extension {caller.number}")
    return Outside(number, cls)


def _is_emergency(digits: str, cfg: PbxConfig) -> bool:
    return classify(digits, cfg.country).number_class is NumberClass.EMERGENCY


def _is_prefix_of_longer(digits: str, cfg: PbxConfig) -> bool:
    """True when some internal number is longer and starts with ``digits``."""
    return any(n != digits and n.startswith(digits) for n in cfg._by_number)
