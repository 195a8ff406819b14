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


@pytest.fixture
def admin(box_paths: BoxPaths, daemon) -> Iterator:
    """The web admin on the real daemon, set up, with staff user jana (extension 21):
    a WebClient logged in as the admin."""
    from tests.system.test_public_routes import start_public
    from tests.system.test_public_staff import add_staff_user
    from tests.system.webclient import WebClient, log_in

    proc, _, base = start_public(box_paths)
    add_staff_user(base, box_paths)
    client = WebClient(base)
    assert log_in(client).status == 303
    yield client
    assert stop(proc) == 0
