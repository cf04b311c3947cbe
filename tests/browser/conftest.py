"""Browser tests: Playwright for Python driving Debian's Chromium against a real `flask run`.

The server is a separate process, as with `make run`: the app, its Socket.IO server and its
rate limiter are not shared with the in-process apps of the other tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import require_service
from tests.servers import free_port, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}


class DemoServer:
    """`flask run` on a fresh SQLite database with the demo loaded, stoppable and restartable."""

    def __init__(self, tmp: Path, name: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:///{tmp / f'{name}.sqlite3'}",
            SECRET_KEY="browser-test-secret",
            HOITHI_ENV="development",
            IMPORT_FOLDER=str(tmp / "imports"),
            UPLOAD_FOLDER=str(tmp / "uploads"),
        )
        self.env.pop("REDIS_URL", None)
        self.flask = [str(BIN / "flask"), "--app", "contest"]
        self.process: subprocess.Popen | None = None
        for command in (["db", "upgrade"], ["demo"]):
            subprocess.run(
                self.flask + command, env=self.env, cwd=ROOT, check=True, capture_output=True
            )

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.flask + ["run", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_ready(self.base + "/healthz", self.process, deadline_s=30)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The demo served on a free port for the whole session; yields the base URL."""
    server = DemoServer(tmp_path_factory.mktemp("live"), "live")
    server.start()
    yield server.base
    server.stop()


@pytest.fixture(scope="session")
def browser():
    require_service("Chromium", Path(CHROMIUM).exists() or bool(shutil.which(CHROMIUM)), CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@contextmanager
def screens_on(browser, base: str) -> Iterator[Callable]:
    """Open pages as separate devices (each its own browser context, cookies and all)."""
    contexts = []

    def open_page(viewport):
        context = browser.new_context(viewport=viewport, base_url=base)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # uncaught script errors, for tests that check a screen has none
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def open_page(browser, live_server):
    """A fresh browser context at a viewport size; `open_page(PHONE)` returns a page."""
    with screens_on(browser, live_server) as open_one:
        yield lambda viewport=PHONE: open_one(viewport)


def screenshot(page, name: str) -> None:
    """Keep what a person would see, for looking at after the run (not compared)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
