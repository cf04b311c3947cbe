"""The Procfile's own commands: release migrates, web serves pages and Socket.IO with gevent."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import socketio

from tests.servers import free_port, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("procfile")
    port = free_port()
    env = dict(
        os.environ,
        PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}",
        PORT=str(port),
        HOITHI_ENV="production",
        SECRET_KEY="procfile-test-secret",
        DATABASE_URL=f"sqlite:///{tmp / 'prod.sqlite3'}",
        SESSION_COOKIE_SECURE="false",  # plain http on loopback
    )
    env.pop("REDIS_URL", None)
    commands = procfile()
    subprocess.run(["bash", "-c", commands["release"]], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [str(BIN / "flask"), "--app", "contest", "users", "create-admin"]
        + ["--username", "quantri", "--password", "mat-khau-san-xuat"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    process = subprocess.Popen(
        ["bash", "-c", "exec " + commands["web"]],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base + "/healthz", process)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def signed_in_session(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "username": "quantri", "password": "mat-khau-san-xuat"}
    response = session.post(base + "/login", data=form, allow_redirects=False)
    assert response.status_code == 302
    return session


def test_the_web_process_serves_the_vietnamese_pages(server):
    page = requests.get(server + "/")
    assert page.status_code == 200 and '<html lang="vi">' in page.text


def test_socketio_runs_over_websocket_under_gunicorn_and_gevent(server):
    session = signed_in_session(server)
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    client = socketio.Client(reconnection=False)
    client.connect(
        server, namespaces=["/staff"], transports=["websocket"], headers={"Cookie": cookie}
    )
    try:
        assert client.transport() == "websocket"
        reply = client.call("whoami", namespace="/staff", timeout=10)
        assert reply == {"ok": True, "username": "quantri", "roles": ["admin"]}
    finally:
        client.disconnect()


def test_socketio_refuses_an_anonymous_staff_connection_under_gunicorn(server):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server, namespaces=["/staff"], transports=["websocket"], wait_timeout=10)
    client.disconnect()
