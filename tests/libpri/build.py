"""Compiles the small C programs under tests/libpri against the system's libpri."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.cbuild import partial

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "build" / "libpri"
HEADER = Path("/usr/include/libpri.h")


def build(name: str, shared: bool = False) -> Path:
    """tests/libpri/NAME.c compiled (again only when the source is newer)."""
    if not HEADER.exists():
        raise RuntimeError(f"{HEADER} is missing: run `make setup` (it installs libpri-dev)")
    src = HERE / f"{name}.c"
    out = OUT / (f"lib{name}.so" if shared else name)
    if out.exists() and out.stat().st_mtime >= src.stat().st_mtime:
        return out
    OUT.mkdir(parents=True, exist_ok=True)
    flags = ["-shared", "-fPIC"] if shared else []
    cmd = ["gcc", "-O2", "-Wall", "-Wextra", *flags, "-o", str(partial(out)), str(src), "-lpri"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"compiling {src.name} failed:\n{done.stderr}")
    partial(out).replace(out)
    return out
