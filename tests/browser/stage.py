"""Stage shows in real browsers: a restartable `flask run` with the demo, and screens to open.

Shared by the stage's browser tests (the show, the final formats, the look, audience voting).
"""

from __future__ import annotations

import json
import os
import re
import subprocess

from playwright.sync_api import expect

from tests.browser.conftest import BIN, ROOT
from tests.servers import free_port, wait_until_ready

CONSOLE = {"width": 1440, "height": 1000}
FIND_CONTEST = (
    "import json; from contest import create_app; from live.demo import demo_contest\n"
    "with create_app().app_context(): print(json.dumps(demo_contest().id))"
)


class StageServer:
    """`flask run` on a fresh SQLite database with the demo, stoppable and restartable."""

    def __init__(self, tmp) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:///{tmp / 'stage.sqlite3'}",
            SECRET_KEY="browser-test-secret",
            HOITHI_ENV="development",
            IMPORT_FOLDER=str(tmp / "imports"),
            UPLOAD_FOLDER=str(tmp / "uploads"),
        )
        self.env.pop("REDIS_URL", None)
        self.flask = [str(BIN / "flask"), "--app", "contest"]
        self.process = None
        for command in (["db", "upgrade"], ["demo"]):
            subprocess.run(
                self.flask + command, env=self.env, cwd=ROOT, check=True, capture_output=True
            )
        found = subprocess.run(
            [str(BIN / "python"), "-c", FIND_CONTEST],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        self.contest_id = json.loads(found.stdout.strip().splitlines()[-1])

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


def join(page, code: str, screen: str) -> None:
    """What a person does with the code on the QR card: open the link, tap Vào."""
    page.goto(f"/stage/join?code={code}")
    page.get_by_role("button", name="Vào").click()
    expect(page).to_have_url(re.compile(rf"/stage/\d+/{screen}$"))
    expect(page.locator("#stage-conn")).to_have_text("Đã kết nối")
