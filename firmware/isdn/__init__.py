"""The ISDN protocol stack: sans-I/O cores (LAPD now, Q.931 next) and the line that runs them."""
