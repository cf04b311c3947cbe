"""Real stage servers for tests: gunicorn + gevent processes, and screens that reconnect.

`Screen` is a Socket.IO client that re-syncs on every (re)connect, as the pages' client.js does;
`Server` starts the Procfile's web process on a port, with any extra environment.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import requests
import socketio

from live.events import NAMESPACE
from tests.servers import wait_until_ready

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


class Server:
    def __init__(self, url: str, port: int, **env: str) -> None:
        self.url, self.port, self.extra = url, port, env
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = dict(
            os.environ,
            DATABASE_URL=self.url,
            SECRET_KEY="stage-test-secret",
            HOITHI_ENV="production",
            SESSION_COOKIE_SECURE="false",
        )
        env.pop("REDIS_URL", None)
        env.update(self.extra)
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

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def host_cookie(base: str) -> str:
    session = requests.Session()
    page = session.get(base + "/login").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "username": "dan", "password": "mat-khau-dan-1"}
    assert session.post(base + "/login", data=form, allow_redirects=False).status_code == 302
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def prepare_show(url: str, secret: str) -> tuple[dict, str]:
    """Migrate the database at `url` and add a contest, a host (dan) and a bound team pad.

    Returns the ids the test needs and the pad's cookie header.
    """
    from flask_migrate import upgrade

    from contest import create_app
    from contest.accounts import service as accounts
    from contest.accounts.roles import Role
    from contest.extensions import db
    from live import devices
    from live.events import COOKIE_PREFIX
    from tests.conftest import settings_for
    from tests.live.factory import make_contest

    app = create_app(settings_for(url, SECRET_KEY=secret))
    with app.app_context():
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
    return ids, f"{COOKIE_PREFIX}{ids['contest']}={token}"
