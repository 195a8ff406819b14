"""Enum members as attributes of a plain object, for code that reads them per frame.

On Python 3.11 reading a member off its class (`State.ACTIVE`) goes through the hook
that EnumType.__getattr__ installs: type.__getattribute__ called through a descriptor,
about as dear as a function call, on every read (3.12 dropped the hook). The protocol
cores read members per frame and per message, so their modules bind

    S = members(CallState)

and write `S.ACTIVE`: the very same member object, read at slot speed.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


def members(enum: type[Enum]) -> Any:
    """An object whose attributes are the members of `enum` (aliases included). It is
    an instance with slots, not a class: Python 3.11 reads an instance's slot at once,
    a class attribute through the type's lookup."""
    names = tuple(enum.__members__)
    cls = type(f"{enum.__name__}Members", (), {
        "__slots__": names, "__doc__": f"The members of {enum.__qualname__}, read fast.",
        "__repr__": lambda self: f"members({enum.__qualname__})"})
    namespace = cls()
    for name, member in enum.__members__.items():
        setattr(namespace, name, member)
    return namespace
