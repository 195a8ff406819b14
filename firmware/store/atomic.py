"""Atomic file replacement: after a power cut a reader sees the old file or the new one.

The sequence is the classic one: write a temp file in the same directory (rename is only
atomic within one filesystem), fsync it (so the rename can never point at unwritten
blocks), rename it over the target, then fsync the directory (so the rename itself is
on disk before we report success).
"""

from __future__ import annotations

import contextlib
import os

TEMP_MARKER = ".tmp-"


def temp_path_for(path: str | os.PathLike[str], pid: int | None = None) -> str:
    """The temp file name used while replacing `path`: `.<name>.tmp-<pid>` beside it.

    Hidden and tagged with the writer's pid so a leftover from a crash is recognisable
    (see `is_temp_for`) and two processes never share one temp file.
    """
    path = os.fspath(path)
    directory, name = os.path.split(path)
    return os.path.join(directory, f".{name}{TEMP_MARKER}{os.getpid() if pid is None else pid}")


def temp_pid(path: str | os.PathLike[str], candidate: str) -> int | None:
    """The writer pid if `candidate` (a bare file name) is a temp file of `path`, else None.

    Returns -1 for a temp name whose pid part is unreadable: still ours, but ownerless.
    """
    prefix = f".{os.path.basename(os.fspath(path))}{TEMP_MARKER}"
    if not candidate.startswith(prefix):
        return None
    suffix = candidate[len(prefix) :]
    return int(suffix) if suffix.isdigit() else -1


def fsync_dir(path: str | os.PathLike[str]) -> None:
    """fsync the directory `path`, making renames and new entries in it durable."""
    fd = os.open(os.fspath(path) or ".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """os.write, repeated only if the kernel took fewer bytes than given (legal, if rare)."""
    written = os.write(fd, data)
    while written < len(data):
        written += os.write(fd, data[written:])


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at `path` with `data`, atomically and durably.

    When this returns, `data` survives a power cut. If it raises, the old file is intact
    and the temp file is gone (best effort: a crash leaves it behind; see `temp_pid`).
    """
    path = os.fspath(path)
    directory = os.path.dirname(path) or "."
    tmp = temp_path_for(path)
    try:
        # Keep the mode of the file we replace, so an installer's chmod survives rewrites.
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
    try:
        try:
            os.fchmod(fd, mode)  # O_CREAT's mode is masked by umask, and a reused temp
            write_all(fd, data)  # file keeps its old mode
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(directory)
