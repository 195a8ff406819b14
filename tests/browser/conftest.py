"""Browser tests: Debian's Chromium, headless, driven by Playwright against the real
daemon and web admin processes on the simulated line.

Playwright is told to use /usr/bin/chromium (it never downloads a browser). Each test gets
a fresh browser context; `shot(page, name)` saves a screenshot under
var/test-screenshots/ (or $RINGBACK_SCREENSHOTS) for a person to look at.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.system.boxprocs import REPO, BoxPaths, free_port, stop
from tests.system.conftest import box_paths, daemon  # noqa: F401  (fixtures)

CHROMIUM = Path(os.environ.get("RINGBACK_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(os.environ.get("RINGBACK_SCREENSHOTS", REPO / "var" / "test-screenshots"))
# Without these Chromium keeps reaching for Google's hosts, which this network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


# Per module, not per session: while Playwright's sync API is open it holds an event
# loop in this thread, and any later asyncio.run() in the same pytest worker fails
# (with pytest-xdist, other tests' modules run after these in the same worker).
@pytest.fixture(scope="module")
def chromium() -> Iterator:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium) -> Iterator:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors  # tests assert the page's own scripts did not fail
    yield pg
    context.close()


def shot(page, name: str) -> Path:
    """A full-page screenshot to look at after the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def start_web(paths: BoxPaths, *extra: str) -> tuple[subprocess.Popen, int]:
    """`python -m webadmin` on a free loopback port, talking to the daemon's socket."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "webadmin", "--listen",
                             f"127.0.0.1:{port}", "--api-socket", str(paths.socket), *extra],
                            cwd=REPO, stderr=subprocess.PIPE, text=True)
    wait_http(f"http://127.0.0.1:{port}/static/style.css", proc)
    return proc, port


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{url} did not come up") from None
            time.sleep(0.05)


@pytest.fixture
def web(box_paths: BoxPaths, daemon) -> Iterator[str]:  # noqa: F811
    """The web admin against a real daemon; yields its base URL."""
    proc, port = start_web(box_paths)
    yield f"http://127.0.0.1:{port}"
    assert stop(proc) == 0


def set_up_in_browser(page, web: str) -> None:
    """The first-boot setup filled in as a person does; ends logged in on the dashboard."""
    from tests.system.webclient import SETUP
    page.goto(web + "/")
    assert page.url.endswith("/setup")
    for name in ("admin", "password", "password2", "msns", "timezone"):
        page.fill(f"#{name}", SETUP[name])
    page.select_option("#country", SETUP["country"])
    page.select_option("#line_type", SETUP["line_type"])
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/setup" not in url)
