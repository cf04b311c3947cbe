"""Stage shows in real browsers: a restartable `flask run` with the demo, and screens to open.

Shared by the stage's browser tests (the show, the final formats, the look, audience voting).
"""

from __future__ import annotations

import json
import re
import subprocess

from playwright.sync_api import expect

from tests.browser.conftest import BIN, ROOT, DemoServer

CONSOLE = {"width": 1440, "height": 1000}
FIND_CONTEST = (
    "import json; from contest import create_app; from live.demo import demo_contest\n"
    "with create_app().app_context(): print(json.dumps(demo_contest().id))"
)


class StageServer(DemoServer):
    """The demo server, knowing the id of the demo's stage contest."""

    def __init__(self, tmp) -> None:
        super().__init__(tmp, "stage")
        found = subprocess.run(
            [str(BIN / "python"), "-c", FIND_CONTEST],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        self.contest_id = json.loads(found.stdout.strip().splitlines()[-1])


def join(page, code: str, screen: str) -> None:
    """What a person does with the code on the QR card: open the link, tap Vào."""
    page.goto(f"/stage/join?code={code}")
    page.get_by_role("button", name="Vào").click()
    expect(page).to_have_url(re.compile(rf"/stage/\d+/{screen}$"))
    expect(page.locator("#stage-conn")).to_have_text("Đã kết nối")
