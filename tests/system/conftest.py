from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.system.boxprocs import (
    BoxPaths,
    make_box_paths,
    remove_box_paths,
    start_daemon,
    stop,
    wait_for_api,
)


@pytest.fixture
def box_paths() -> Iterator[BoxPaths]:
    paths = make_box_paths()
    yield paths
    remove_box_paths(paths)


@pytest.fixture
def daemon(box_paths: BoxPaths) -> Iterator:
    """A real ringbackd on the simulated line, stopped with SIGTERM afterwards."""
    proc = start_daemon(box_paths)
    wait_for_api(box_paths, proc)
    yield proc
    if proc.poll() is None:
        assert stop(proc) == 0
