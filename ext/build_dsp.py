"""cffi build script for ``firmware.media._dsp`` (out-of-line API mode).

Used two ways:

* by setuptools, through ``setup(cffi_modules=["ext/build_dsp.py:ffibuilder"])``
  when ``pip install -e .`` (or a wheel build) runs from the repo root;
* directly, ``python ext/build_dsp.py``: compiles in ``build/cffi/`` and copies the
  extension next to ``firmware/media/__init__.py``.

Each DSP piece is a header + source pair in ext/ listed in ``COMPONENTS``. The part of
a header between ``/* cffi:begin */`` and ``/* cffi:end */`` is its public API and is
passed to ``cdef()`` as is, so the declarations live in one place.
"""

from __future__ import annotations

import glob
import os
import re
import shutil

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODULE = "firmware.media._dsp"

# (header, source), both in ext/; a header that uses another's types comes after it
# (the engine, which holds DTMF and tone states, is last).
COMPONENTS: list[tuple[str, str]] = [
    ("g711.h", "g711.c"),
    ("tone.h", "tone.c"),
    ("fsk.h", "fsk.c"),
    ("dtmf.h", "dtmf.c"),
    ("mix.h", "mix.c"),
    ("hdlc.h", "hdlc.c"),
    ("goertzel.h", "goertzel.c"),
    ("engine.h", "engine.c"),
]

CFLAGS = ["-O2", "-Wall", "-Wextra", "-std=c11"]

_CDEF_BLOCK = re.compile(r"/\* cffi:begin \*/(.*?)/\* cffi:end \*/", re.DOTALL)


def cdef_of(header: str) -> str:
    """The cffi-visible declarations of ``header`` (a file name in ext/)."""
    with open(os.path.join(HERE, header), encoding="utf-8") as f:
        blocks = _CDEF_BLOCK.findall(f.read())
    if not blocks:
        raise RuntimeError(f"ext/{header}: no /* cffi:begin */ ... /* cffi:end */ block")
    return "\n".join(blocks)


def _path(name: str, absolute: bool) -> str:
    """Path of ext/``name``: relative to the cwd when possible (setuptools wants
    relative sources), absolute when asked or when the cwd is outside the repo."""
    path = os.path.join(HERE, name)
    if absolute:
        return path
    rel = os.path.relpath(path)
    return path if rel.startswith(os.pardir) else rel


def make_ffibuilder(absolute: bool = False) -> cffi.FFI:
    """A fresh FFI for all COMPONENTS."""
    ffi = cffi.FFI()
    for header, _ in COMPONENTS:
        ffi.cdef(cdef_of(header))
    ffi.set_source(
        MODULE,
        "\n".join(f'#include "{header}"' for header, _ in COMPONENTS),
        sources=[_path(source, absolute) for _, source in COMPONENTS],
        include_dirs=[_path(".", absolute)],
        extra_compile_args=CFLAGS,
        libraries=["m"],  # cos/sin/pow in the init functions
        depends=[_path(header, absolute) for header, _ in COMPONENTS],
    )
    return ffi


ffibuilder = make_ffibuilder()


def main() -> None:
    """Compile into build/cffi and copy the extension into firmware/media/."""
    tmpdir = os.path.join(ROOT, "build", "cffi")
    # cffi chdirs into tmpdir while compiling, so absolute paths here.
    built = make_ffibuilder(absolute=True).compile(tmpdir=tmpdir, verbose=True)
    package_dir = os.path.join(ROOT, *MODULE.split(".")[:-1])
    # Drop builds with another suffix (pip makes _dsp.abi3.so) so none shadows this one.
    for stale in glob.glob(os.path.join(package_dir, MODULE.rsplit(".", 1)[1] + ".*.so")):
        os.remove(stale)
    dest = os.path.join(package_dir, os.path.basename(built))
    shutil.copy2(built, dest)
    print(f"installed {os.path.relpath(dest, ROOT)}")


if __name__ == "__main__":
    main()
