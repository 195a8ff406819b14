"""Fuzzing the ISDN stack: `python -m tests.fuzz --count N` (make fuzz runs the long one)."""
