"""Two server processes share one show through Redis and PostgreSQL (the production shape).

A pad on process B sees what the host does on process A; both processes serve the same state
because each folds the same log; and when A is killed, the host carries on from B.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from contest.config import normalise_database_url
from tests.conftest import require_service
from tests.live.running import Screen, Server, host_cookie, prepare_show
from tests.servers import free_port

SECRET = "two-process-test-secret"


@pytest.fixture
def services():
    """A fresh PostgreSQL database and the Redis URL; both are required in CI."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    require_service("PostgreSQL", bool(base), "set TEST_DATABASE_URL")
    require_service("Redis", bool(redis_url), "set REDIS_URL")
    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.RedisError as exc:
        require_service("Redis", False, f"{redis_url}: {exc}")
    base = normalise_database_url(base)
    name = f"hoithi_2p_{uuid.uuid4().hex[:10]}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    yield url, redis_url
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def test_a_host_on_one_process_runs_a_pad_on_another_and_survives_losing_it(services):
    url, redis_url = services
    ids, pad_cookie = prepare_show(url, SECRET)
    shared = {
        "SECRET_KEY": SECRET,
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SOCKETIO_CHANNEL": f"hoithi-test-{uuid.uuid4().hex[:8]}",
    }
    a, b = Server(url, free_port(), **shared), Server(url, free_port(), **shared)
    screens = []
    try:
        a.start()
        b.start()
        cookie = host_cookie(a.base)
        host = Screen(a.base, ids["contest"], "host", cookie)
        pad = Screen(b.base, ids["contest"], "device", pad_cookie)
        screens += [host, pad]
        host.act("part.start", part=ids["part"])
        host.act("question.show", question=ids["question"])
        host.act("answers.open")
        on_b = pad.wait_for(lambda v: v["status"] == "answer", "the question, on process B")
        assert on_b["question"]["id"] == ids["question"]

        pad.act("answer.submit", question=ids["question"], response=1)
        host.wait_for(lambda v: v["question"]["answered"] == 1, "the pad's answer, on process A")

        a.process.kill()  # the host's process dies; its console reconnects to the other one
        a.process.wait(timeout=10)
        host.sio.disconnect()
        host = Screen(b.base, ids["contest"], "host", cookie)
        screens.append(host)
        resumed = host.wait_for(lambda v: v["seq"] == 4, "the same show, on process B")
        assert resumed["scene"] == "options" and resumed["question"]["answered"] == 1
        host.act("reveal")
        result = pad.wait_for(lambda v: v["status"] == "result", "the reveal")
        assert result["result"]["points"] == 10
    finally:
        for screen in screens:
            screen.sio.disconnect()
        a.stop()
        b.stop()
