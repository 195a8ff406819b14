"""Ringback firmware: the daemon and everything it drives.

Kept import-free on purpose: `python -m firmware.ctl` must start with the plain
system interpreter on a technician's laptop, without the C extension built.
"""

__version__ = "0.1.0"
