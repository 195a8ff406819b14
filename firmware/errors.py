"""Errors that end in one clear line for a person, not a traceback."""


class ConfigError(Exception):
    """Bad configuration or board profile: the daemon prints it and exits with code 2."""
