"""deploy/nginx.conf works: two processes behind nginx serve pages, static files and Socket.IO.

nginx runs as an ordinary process on loopback ports with the repository's own site file (only
the ports and the static folder are changed), in front of two gunicorn + gevent processes that
share a Redis message queue, as docs/deploy.md describes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import require_service
from tests.live.running import Server, prepare_show
from tests.servers import free_port, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECRET = "deploy-test-secret"


def site_for_test(ports: tuple[int, int], listen: int) -> str:
    """The repository's site file on free loopback ports, serving this checkout's static files."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = site.replace("server 127.0.0.1:5001;", f"server 127.0.0.1:{ports[0]};")
    site = site.replace("server 127.0.0.1:5002;", f"server 127.0.0.1:{ports[1]};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    site = site.replace("alias /srv/hoithi/static/;", f"alias {ROOT / 'static'}/;")
    assert site.count(str(ports[0])) == 1 and f"listen 127.0.0.1:{listen}" in site
    return site


@pytest.fixture
def nginx(tmp_path):
    require_service("nginx", Path(NGINX).exists(), "apt-get install nginx-light")
    redis_url = os.environ.get("REDIS_URL", "")
    require_service("Redis", bool(redis_url), "set REDIS_URL")
    url = f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
    ids, _pad = prepare_show(url, SECRET)
    shared = {
        "SECRET_KEY": SECRET,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SOCKETIO_CHANNEL": f"hoithi-deploy-{uuid.uuid4().hex[:8]}",
    }
    servers = [Server(url, free_port(), **shared), Server(url, free_port(), **shared)]
    listen = free_port()
    (tmp_path / "logs").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(
        "daemon off;\npid nginx.pid;\nerror_log logs/error.log;\n"
        "events { worker_connections 1024; }\n"
        "http {\n  access_log off;\n  client_body_temp_path tmp;\n  proxy_temp_path tmp;\n"
        + site_for_test((servers[0].port, servers[1].port), listen)
        + "\n}\n"
    )
    (tmp_path / "tmp").mkdir()
    process = None
    try:
        for server in servers:
            server.start()
        checked = subprocess.run(
            [NGINX, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(config)])
        base = f"http://127.0.0.1:{listen}"
        wait_until_ready(base + "/readyz", process, deadline_s=20)
        yield base, ids
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
        for server in servers:
            server.stop()


def test_pages_and_static_files_come_through_nginx(nginx):
    base, _ids = nginx
    page = requests.get(base + "/", timeout=10)
    assert page.status_code == 200 and '<html lang="vi">' in page.text
    sheet = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
    static = requests.get(base + sheet, timeout=10)
    assert static.status_code == 200 and "max-age=604800" in static.headers["Cache-Control"]
    assert requests.get(base + "/readyz", timeout=10).json() == {"status": "ok"}


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_socketio_reaches_the_processes_through_nginx(nginx, transport):
    base, ids = nginx
    client = socketio.Client(reconnection=False)
    states = []
    client.on("state", states.append, namespace="/live")
    client.connect(
        base,
        namespaces=["/live"],
        transports=[transport],
        auth={"contest": ids["contest"], "as": "scoreboard"},
        wait_timeout=10,
    )
    try:
        assert client.transport() == transport
        for _ in range(5):  # polling: several requests, all to the process holding the session
            reply = client.call("sync", namespace="/live", timeout=10)
            assert reply["ok"] and reply["view"]["title"] == "Hội thi thử"
    finally:
        client.disconnect()
