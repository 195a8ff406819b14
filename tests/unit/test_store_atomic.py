"""atomic_write_bytes and fsync_dir: the real file effects, plus the syscalls that make
them durable (spied, not replaced, so the effects are still checked for real)."""

from __future__ import annotations

import os
import stat

import pytest

from firmware.store import atomic_write_bytes, fsync_dir
from firmware.store.atomic import temp_path_for, temp_pid


def _leftovers(directory) -> list[str]:
    return sorted(name for name in os.listdir(directory) if ".tmp-" in name)


def test_round_trip_and_overwrite(tmp_path):
    target = tmp_path / "config.json"
    atomic_write_bytes(target, b"first")
    assert target.read_bytes() == b"first"
    atomic_write_bytes(str(target), b"second, and longer")
    assert target.read_bytes() == b"second, and longer"
    atomic_write_bytes(target, b"")
    assert target.read_bytes() == b""
    assert _leftovers(tmp_path) == []


def test_sequence_is_fsync_file_then_rename_then_fsync_dir(tmp_path, mocker):
    target = tmp_path / "store.json"
    target.write_bytes(b"old")
    events: list[tuple[str, ...]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        kind = "dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        events.append(("fsync", kind))
        real_fsync(fd)

    def replace(src, dst) -> None:
        events.append(("replace", os.fspath(src), os.fspath(dst)))
        real_replace(src, dst)

    mocker.patch.object(os, "fsync", side_effect=fsync)
    mocker.patch.object(os, "replace", side_effect=replace)

    atomic_write_bytes(target, b"new")

    tmp = temp_path_for(target)
    assert os.path.basename(tmp) == f".store.json.tmp-{os.getpid()}"
    assert events == [("fsync", "file"), ("replace", tmp, str(target)), ("fsync", "dir")]
    assert target.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failure_keeps_old_file_and_removes_temp(tmp_path, mocker, failing):
    target = tmp_path / "store.json"
    target.write_bytes(b"old")
    mocker.patch.object(os, failing, side_effect=OSError(5, "simulated EIO"))

    with pytest.raises(OSError, match="simulated EIO"):
        atomic_write_bytes(target, b"new")

    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_file_mode_of_replaced_file_is_kept(tmp_path):
    target = tmp_path / "secrets.json"
    target.write_bytes(b"old")
    target.chmod(0o600)
    atomic_write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_fsync_dir_fsyncs_a_directory_fd(tmp_path, mocker):
    spy = mocker.spy(os, "fsync")
    fsync_dir(tmp_path)
    (fd,) = spy.call_args.args
    assert spy.call_count == 1
    with pytest.raises(OSError):
        os.fstat(fd)  # and closed it afterwards


def test_temp_pid_recognises_only_our_temp_names():
    assert temp_pid("/d/store.json", ".store.json.tmp-1234") == 1234
    assert temp_pid("/d/store.json", ".store.json.tmp-junk") == -1
    assert temp_pid("/d/store.json", ".other.json.tmp-1234") is None
    assert temp_pid("/d/store.json", "store.json") is None
