"""make setup's first step: refuse an interpreter older than the firmware needs."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - this check is for older interpreters
    sys.exit(f"setup: error: Python 3.11 or newer needed, found {sys.version.split()[0]}")
