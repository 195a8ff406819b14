"""Errors that end in one clear line for a person, not a traceback."""


class ConfigError(Exception):
    """Bad configuration or board profile: the daemon prints it and exits with code 2."""


# The daemon's exit code for "start me again" (System → Reboot): devbox, or the box's
# init, starts it once more.
RESTART_EXIT = 3
