"""Browser fixtures: one app server for the session, headless Debian Chromium, recorded pages.

Only the browser tests use these; they are lazy, so the other tests start no server. The page
fixtures record every request that leaves the app's origin (the dashboard must work offline)
and every console error or uncaught page error, for the tests to assert on.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tools.probes import CHROMIUM, CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
SERVER_START_TIMEOUT = 60.0
LAPTOP = {"width": 1366, "height": 768}
WAIT_MS = 30_000
"""How long a page waits for an element or a condition: waits, not speed tests (the benchmark
measures speed), so generous for a busy two-core machine."""


BROWSER_FIXTURES = frozenset({"browser", "new_page", "page", "app_url"})
"""A test using one of these drives Chromium or the session's server: marked ``browser``."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The marker decides where a test runs (`make test`: the others in parallel, these one at a
    # time); taken from the fixtures, so a new browser test cannot land on the wrong side.
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Start ``python app.py`` on a free port (seed data), wait until it answers, yield its URL."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        )

        def output() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")[-4000:]

        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while not _answers(base):
                if proc.poll() is not None:
                    pytest.fail(f"app.py exited with code {proc.returncode} before answering:\n{output()}",
                                pytrace=False)
                if time.monotonic() > deadline:
                    pytest.fail(f"app.py did not answer on {base} within {SERVER_START_TIMEOUT:.0f} s:\n"
                                f"{output()}", pytrace=False)
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright. Missing Chromium is a failure, not a skip."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: the browser tests need it. "
                    "Run `make test`, which installs it (apt-get install chromium).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageLog:
    """What the pages of one test did that a test may want to forbid."""

    origin: str
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def is_external(self, url: str) -> bool:
        if url.startswith(("data:", "blob:")):
            return False
        return not (url == self.origin or url.startswith(self.origin + "/"))


@pytest.fixture
def page_log(app_url: str) -> PageLog:
    return PageLog(origin=app_url)


@pytest.fixture
def new_page(browser, app_url: str, page_log: PageLog) -> Iterator[Callable[..., object]]:
    """Factory of recorded pages, each in its own browser context (no shared history or storage).

    External requests are recorded and aborted, so nothing reaches the network whatever the
    page tries; console errors and uncaught exceptions are recorded.
    """
    contexts = []

    def record_request(request) -> None:
        if page_log.is_external(request.url):
            page_log.external_requests.append(request.url)

    def record_console(message) -> None:
        if message.type == "error":
            location = message.location or {}
            page_log.console_errors.append(f"{message.text} ({location.get('url', '')})")

    def block_external(route) -> None:
        if route.request.url not in page_log.external_requests:
            page_log.external_requests.append(route.request.url)
        route.abort()

    def make(viewport: dict[str, int] | None = None):
        context = browser.new_context(viewport=viewport or LAPTOP, base_url=app_url)
        context.set_default_timeout(WAIT_MS)
        context.on("request", record_request)
        context.route(lambda url: page_log.is_external(url), block_external)
        contexts.append(context)
        page = context.new_page()
        page.on("console", record_console)
        page.on("pageerror", lambda error: page_log.console_errors.append(f"uncaught: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., object]):
    """A recorded page at a 1366x768 laptop viewport, its base URL the app."""
    return new_page()
