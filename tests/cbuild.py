"""What the C test programs' builders share: gcc writes to a temporary name and the
finished file is renamed into place, so that pytest workers building side by side
never load a library another one is still writing."""

from __future__ import annotations

import os
from pathlib import Path


def partial(out: Path) -> Path:
    """Where gcc writes ``out`` first; ``partial(out).replace(out)`` when it is done."""
    return out.with_name(f".{out.name}.{os.getpid()}")
