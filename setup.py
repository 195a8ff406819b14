"""setuptools shim: cffi's `cffi_modules` has no pyproject.toml key yet.

Everything else lives in pyproject.toml. Each entry below is an out-of-line API-mode
build script in ext/; `pip install -e .` compiles it into the firmware package.
"""

from setuptools import setup

setup(cffi_modules=["ext/build_dsp.py:ffibuilder"])
