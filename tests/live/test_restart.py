"""Kill the server mid-question and start it again: the show carries on where it was.

A real gunicorn + gevent process (the Procfile's) on a database file. The host and a team pad
are Socket.IO clients that reconnect by themselves, as the browsers' socket.io-client does. After
the restart both see the same scene, the same question and the same deadline, the pad's answer is
accepted before that deadline, and the reveal scores it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
import socketio

from contest import create_app
from contest.extensions import db
from live import devices
from live.events import COOKIE_PREFIX, NAMESPACE
from tests.conftest import settings_for
from tests.live.factory import make_contest
from tests.servers import free_port, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WAIT_S = 20  # reconnecting takes about a second; this is only the give-up point


class Screen:
    """A Socket.IO client that re-syncs on every (re)connect, as the pages' client.js does."""

    def __init__(self, base: str, contest_id: int, kind: str, cookie: str) -> None:
        self.views: list[dict] = []
        self.connects = 0
        self.changed = threading.Condition()
        self.sio = socketio.Client(reconnection_delay=0.2, reconnection_delay_max=1)
        self.sio.on("connect", self._on_connect, namespace=NAMESPACE)
        self.sio.on("state", self._on_state, namespace=NAMESPACE)
        self.sio.connect(
            base,
            namespaces=[NAMESPACE],
            transports=["websocket"],
            headers={"Cookie": cookie},
            auth={"contest": contest_id, "as": kind},
            wait_timeout=10,
        )

    def _record(self, view: dict) -> None:
        with self.changed:
            self.views.append(view)
            self.changed.notify_all()

    def _on_connect(self) -> None:
        # Not in the handler's thread: a call from inside it would wait on itself.
        threading.Thread(target=self._sync, daemon=True).start()

    def _sync(self) -> None:
        reply = self.sio.call("sync", namespace=NAMESPACE, timeout=10)
        with self.changed:
            self.connects += 1
        self._record(reply["view"])

    def _on_state(self, data) -> None:
        self._record(data["view"])

    def wait_for(self, test, what: str) -> dict:
        with self.changed:
            if not self.changed.wait_for(lambda: self.views and test(self.views[-1]), WAIT_S):
                raise AssertionError(f"no view with {what}; last: {self.views[-1:]}")
            return self.views[-1]

    def wait_for_connects(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.connects >= count, WAIT_S), "no reconnect"

    def act(self, kind: str, **payload) -> dict:
        reply = self.sio.call("act", {"type": kind, "payload": payload}, namespace=NAMESPACE)
        assert reply["ok"], reply
        return reply


@pytest.fixture
def show(tmp_path):
    """A migrated database file with a contest, a host account and a bound team pad."""
    url = f"sqlite:///{tmp_path / 'stage.sqlite3'}"
    app = create_app(settings_for(url, SECRET_KEY="restart-test-secret"))
    with app.app_context():
        from flask_migrate import upgrade

        from contest.accounts import service as accounts
        from contest.accounts.roles import Role

        upgrade()
        contest = make_contest()
        accounts.create_user("dan", "Người dẫn", "mat-khau-dan-1", roles=[Role.HOST])
        db.session.commit()
        team = contest.teams[0]
        token = devices.bind_device(devices.seat_for_code(team.join_code))
        ids = {
            "contest": contest.id,
            "team": team.id,
            "part": contest.parts[0].id,
            "question": contest.parts[0].questions[0].id,
        }
        db.engine.dispose()
    return url, ids, f"{COOKIE_PREFIX}{ids['contest']}={token}"


class Server:
    def __init__(self, url: str, port: int) -> None:
        self.url, self.port = url, port
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = dict(
            os.environ,
            DATABASE_URL=self.url,
            SECRET_KEY="restart-test-secret",
            HOITHI_ENV="production",
            SESSION_COOKIE_SECURE="false",
        )
        env.pop("REDIS_URL", None)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}"]
            + ["--worker-class", "gevent", "--workers", "1", "--log-level", "warning", "wsgi:app"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wait_until_ready(self.base + "/healthz", self.process)

    def kill(self) -> None:
        """As a power cut would: no chance to say goodbye to anyone."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


def host_cookie(base: str) -> str:
    session = requests.Session()
    page = session.get(base + "/login").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "username": "dan", "password": "mat-khau-dan-1"}
    assert session.post(base + "/login", data=form, allow_redirects=False).status_code == 302
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def test_a_killed_server_restarts_from_the_log_and_every_screen_carries_on(show):
    url, ids, pad_cookie = show
    server = Server(url, free_port())
    server.start()
    screens = []
    try:
        host = Screen(server.base, ids["contest"], "host", host_cookie(server.base))
        pad = Screen(server.base, ids["contest"], "device", pad_cookie)
        screens += [host, pad]
        host.act("part.start", part=ids["part"])
        host.act("question.show", question=ids["question"])
        host.act("answers.open")
        before = pad.wait_for(lambda v: v["status"] == "answer", "answers open")
        deadline = before["timer"]["deadline"]
        assert deadline is not None

        server.kill()
        server.start()
        host.wait_for_connects(2)
        pad.wait_for_connects(2)

        after = pad.views[-1]
        assert after["seq"] == before["seq"] == 3
        assert after["status"] == "answer" and after["question"]["id"] == ids["question"]
        assert after["timer"]["deadline"] == pytest.approx(deadline, abs=1e-3)
        assert host.views[-1]["scene"] == "options"

        pad.act("answer.submit", question=ids["question"], response=1)
        host.act("reveal")
        result = pad.wait_for(lambda v: v["status"] == "result", "the reveal")
        assert result["result"]["points"] == 10 and result["team"]["total"] == 10
    finally:
        for screen in screens:
            screen.sio.disconnect()
        server.process.terminate()
        server.process.wait(timeout=10)
