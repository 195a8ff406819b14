"""Compiles the small C reference programs under tests/spandsp against the system's
spandsp, as shared libraries for ctypes/cffi (benchmarks and quality cross-checks).

ext/ is on the include path so a reference loop can run our DSP and spandsp's side by
side in one C function, with no Python in between.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.cbuild import partial

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "build" / "spandsp"
HEADER = Path("/usr/include/x86_64-linux-gnu/spandsp.h")


def _spandsp_present() -> bool:
    done = subprocess.run(["pkg-config", "--exists", "spandsp"], capture_output=True)
    return done.returncode == 0


def build(name: str, extra_sources: tuple[str, ...] = ()) -> Path:
    """tests/spandsp/NAME.c (plus ``extra_sources``, paths relative to the repo root,
    e.g. ``ext/dtmf.c``) compiled as lib NAME.so; again only when a source is newer."""
    if not _spandsp_present():
        raise RuntimeError("spandsp is missing: run `make setup` (it installs libspandsp-dev)")
    sources = [HERE / f"{name}.c", *(ROOT / s for s in extra_sources)]
    out = OUT / f"lib{name}.so"
    newest = max(s.stat().st_mtime for s in sources)
    if out.exists() and out.stat().st_mtime >= newest:
        return out
    OUT.mkdir(parents=True, exist_ok=True)
    cflags = subprocess.run(
        ["pkg-config", "--cflags", "spandsp"], capture_output=True, text=True, check=True
    ).stdout.split()
    cmd = [
        "gcc", "-O2", "-Wall", "-Wextra", "-shared", "-fPIC", *cflags,
        f"-I{ROOT / 'ext'}", "-o", str(partial(out)), *map(str, sources), "-lspandsp", "-lm",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"compiling {name}.c failed:\n{done.stderr}")
    partial(out).replace(out)
    return out
