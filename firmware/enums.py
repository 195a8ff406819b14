"""Enum members as plain class attributes, for code that reads them on every frame.

On Python 3.11 reading a member off its class (`State.ACTIVE`) goes through the hook
that EnumType.__getattr__ installs: type.__getattribute__ called through a descriptor,
about as dear as a function call, on every read (3.12 dropped the hook). The protocol
cores read members per frame and per message, so their modules bind

    S = members(CallState)

and write `S.ACTIVE`: the very same member object, read at plain attribute speed.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


def members(enum: type[Enum]) -> Any:
    """A plain class whose attributes are the members of `enum` (aliases included)."""
    namespace: dict[str, Any] = dict(enum.__members__)
    namespace["__doc__"] = f"The members of {enum.__qualname__}, read fast."
    return type(f"{enum.__name__}Members", (), namespace)
